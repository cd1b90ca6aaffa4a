"""The team server store against the real server, with real login roles made for this run and dropped
after it: who may do what (through leadcli and through plain SQL), authorship, a planted `public`
function, stalls, the audit trail, erasure."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from leadcli.store.team import TABLES, Team

LOGINS = {"olga": "owner", "mia": "manager", "ana": "interviewer", "ben": "interviewer", "rex": "reader"}


@dataclass
class TeamServer:
    """A database of its own with leadcli set up by `leadcli admin setup --apply`, and five logins."""

    admin_url: str  # the superuser, in the team's database
    team: Team
    names: dict[str, str]  # ana -> the login's name on the server (unique per run)

    def url(self, person: str) -> str:
        parts = urlsplit(self.admin_url)
        return urlunsplit(
            parts._replace(netloc=f"{self.names[person]}@{parts.hostname}:{parts.port or 5432}")
        )

    def sql(self, person: str, statement: str, params: tuple = ()) -> list[tuple]:
        """Run one statement as `person` with plain psycopg, leadcli's schema on the path."""
        import psycopg

        options = f"{self.url(person)}?options=-csearch_path%3D{self.team.schema}"
        with psycopg.connect(options, autocommit=True) as connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def admin(self, statement: str, params: tuple = ()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else []


@pytest.fixture(scope="module")
def server(postgres_database: str | None) -> Iterator[TeamServer]:
    """Set up once per module; every role and the database are dropped at the end."""
    import psycopg
    from typer.testing import CliRunner

    from leadcli import prompting
    from leadcli.cli import build_app
    from tests.conftest import require_postgres

    base = require_postgres(postgres_database)
    tag = uuid.uuid4().hex[:8]
    database = f"leadcli_team_{tag}"
    team = Team(schema="leadcli", prefix=f"lt{tag}")
    names = {person: f"lt{tag}_{person}" for person in [*LOGINS, "eve"]}
    parts = urlsplit(base)
    admin_url = urlunsplit(parts._replace(path=f"/{database}"))
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    server = TeamServer(admin_url=admin_url, team=team, names=names)
    try:
        # PostgreSQL 12-14 as installed: anyone may create in `public`. An outsider (eve, no team
        # role) plants look-alikes there before leadcli is set up; they copy every note they see.
        server.admin("GRANT CREATE ON SCHEMA public TO PUBLIC")
        server.admin(f"CREATE ROLE {names['eve']} LOGIN")
        plant = """
            CREATE TABLE public.pwned (who TEXT, what TEXT);
            GRANT INSERT, SELECT ON public.pwned TO PUBLIC;
            CREATE FUNCTION public.pg_advisory_xact_lock(integer) RETURNS void LANGUAGE sql AS
                $$ INSERT INTO public.pwned VALUES (session_user, 'advisory lock') $$;
            CREATE FUNCTION public.pg_try_advisory_xact_lock(integer) RETURNS boolean LANGUAGE sql AS
                $$ INSERT INTO public.pwned VALUES (session_user, 'try lock') RETURNING true $$;
            CREATE FUNCTION public.lower(character varying) RETURNS text LANGUAGE sql AS
                $$ INSERT INTO public.pwned VALUES (session_user, 'lower') RETURNING $1::text $$;
            CREATE FUNCTION public.set_config(text, text, boolean) RETURNS text LANGUAGE sql AS
                $$ INSERT INTO public.pwned VALUES (session_user, 'set_config') RETURNING $2 $$;
            CREATE TABLE public.migrations (name TEXT, applied_at TEXT);
            GRANT ALL ON public.migrations TO PUBLIC;
        """
        with psycopg.connect(server.url("eve"), autocommit=True) as connection:
            connection.execute(plant)

        runner = CliRunner()
        env = {"LEADCLI_DATABASE_URL": admin_url}
        setup = runner.invoke(
            build_app(),
            ["admin", "setup", "--apply", "--schema", team.schema, "--roles", team.prefix],
            env=env,
        )
        assert setup.exit_code == 0, setup.output
        secrets = iter(["s3 cr%t/?#@", "s3 cr%t/?#@"] * len(LOGINS))
        saved = prompting.ask_secret
        prompting.ask_secret = lambda prompt: next(secrets)  # type: ignore[assignment]
        try:
            for person, group in LOGINS.items():
                granted = runner.invoke(
                    build_app(), ["admin", "grant", group, names[person], "--password"], env=env
                )
                assert granted.exit_code == 0, granted.output
                assert "s3" not in granted.output
        finally:
            prompting.ask_secret = saved  # type: ignore[assignment]
        yield server
    finally:
        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            for name in [*names.values(), *team.roles]:
                connection.execute(f"DROP ROLE IF EXISTS {name}")


@pytest.fixture
def as_(server: TeamServer, run, monkeypatch: pytest.MonkeyPatch):
    """Run leadcli as one of the logins: `as_("ana", "list")`."""

    def invoke(person: str, *args: str):
        monkeypatch.setenv("LEADCLI_DATABASE_URL", server.url(person))
        return run(*args)

    return invoke


def one_line(result) -> str:
    assert result.exit_code != 0, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def new_interview(as_, tmp_path: Path, person: str, org: str, **extra: str) -> str:
    path = tmp_path / f"{uuid.uuid4().hex}.yaml"
    text = f"organization: {org}\ninterviewer: {person}\n"
    text += "contacts: [{name: Dr Zed Quux, role: CEO, level: executive}]\n"
    text += "answers:\n  track-record: {notes: 'held the line', rating: partial}\n"
    text += "".join(f"{k}: {v}\n" for k, v in extra.items())
    path.write_text(text, encoding="utf-8")
    made = as_(person, "interview", "--answers", str(path))
    assert made.exit_code == 0, made.output
    return made.stdout.strip().splitlines()[-1] if made.stdout.strip() else latest(as_, person)


def latest(as_, person: str) -> str:
    return json.loads(as_(person, "list", "-f", "json").stdout)["interviews"][0]["id"]


def denied(server: TeamServer, person: str, statement: str) -> str:
    import psycopg

    with pytest.raises(psycopg.Error) as refused:
        server.sql(person, statement)
    return refused.value.sqlstate or ""


# --- set-up --------------------------------------------------------------------------------


def test_every_table_of_the_store_has_a_sharing_rule(server: TeamServer) -> None:
    tables = {r[0] for r in server.admin("SELECT tablename FROM pg_tables WHERE schemaname = 'leadcli'")}
    assert tables == set(TABLES), (
        "a new table needs a kind in store.team.TABLES (and so its grants and policies)"
    )
    unprotected = server.admin(
        "SELECT relname FROM pg_class WHERE relnamespace = 'leadcli'::regnamespace AND relkind = 'r'"
        " AND NOT relrowsecurity"
    )
    assert {r[0] for r in unprotected} == {t for t, kind in TABLES.items() if kind == "internal"}


def test_the_printed_setup_is_what_psql_runs(server: TeamServer, run, tmp_path: Path) -> None:
    import shutil
    import subprocess

    import psycopg

    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("no psql here")
    tag = uuid.uuid4().hex[:8]
    database, team = f"leadcli_print_{tag}", Team(schema="crm", prefix=f"lp{tag}")
    printed = run("admin", "setup", "--schema", "crm", "--roles", team.prefix, "--database", database)
    assert printed.exit_code == 0
    assert "CREATE POLICY assignee_changes ON answers" in printed.stdout
    assert "REVOKE CREATE ON SCHEMA public FROM PUBLIC;" in printed.stdout
    script = tmp_path / "setup.sql"
    script.write_text(printed.stdout, encoding="utf-8")
    parts = urlsplit(server.admin_url)
    with psycopg.connect(server.admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    try:
        done = subprocess.run(
            [psql, "-v", "ON_ERROR_STOP=1", "-q", "-h", parts.hostname or "", "-p", str(parts.port or 5432),
             "-U", "postgres", "-d", database, "-f", str(script)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        with psycopg.connect(urlunsplit(parts._replace(path=f"/{database}"))) as connection:
            names = [r[0] for r in connection.execute("SELECT name FROM crm.migrations ORDER BY name")]
        from leadcli.store.migrations import MIGRATIONS

        assert names == [name for name, _ in MIGRATIONS]
    finally:
        with psycopg.connect(server.admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
            for role in team.roles:
                connection.execute(f"DROP ROLE IF EXISTS {role}")


# --- each role, through leadcli ----------------------------------------------------------------


def test_interviewers_change_only_their_own_and_managers_assign(server, as_, tmp_path, keyboard) -> None:
    ana = server.names["ana"]
    mine = new_interview(as_, tmp_path, "ana", "Acme Health")
    rule = (
        f"leadcli: error: interview {mine} belongs to another interviewer ({ana}); a manager can assign it"
        " (`leadcli assign`)\n"
    )
    reflection = tmp_path / "reflection.yaml"
    reflection.write_text("reflection: {fit: it fits, verdict: strong}\n", encoding="utf-8")
    keyboard()
    for args in [
        ("delete", mine, "--yes"),
        ("reflect", mine, "--answers", str(reflection)),
        ("interview", "--resume", mine, "--take-over"),
        ("assign", mine, server.names["ben"]),
    ]:
        refused = as_("ben", *args)
        if args[0] == "assign":
            assert one_line(refused) == (
                f"leadcli: error: assigning an interview is for managers (role {server.team.role('manager')});"
                f" {server.names['ben']} is not one\n"
            )
        else:
            assert one_line(refused) == rule, args
    assert json.loads(as_("ben", "show", mine, "-f", "json").stdout)["reflection"] is None

    unknown = one_line(as_("mia", "assign", mine, "nosuchuser"))  # once, it orphaned the interview
    assert unknown.startswith(
        "leadcli: error: 'nosuchuser' is not an interviewer or manager of this team store; they are: "
    )
    assert all(server.names[who] in unknown for who in ("ana", "ben", "mia"))
    assert server.names["rex"] not in unknown  # a reader cannot be given interviews
    assert server.admin("SELECT assigned_to FROM leadcli.interviews WHERE id = %s", (mine,))[0][0] == ana
    assert as_("mia", "assign", mine, server.names["ben"]).exit_code == 0
    assert as_("ben", "reflect", mine, "--answers", str(reflection)).exit_code == 0
    assert "belongs to another interviewer" in one_line(as_("ana", "delete", mine, "--yes"))
    assert as_("mia", "delete", mine, "--yes").exit_code == 0


def test_a_reader_reads_everything_writes_nothing_and_its_summary_prints_nothing_stray(
    server, as_, tmp_path, keyboard
) -> None:
    rex = server.names["rex"]
    made = new_interview(as_, tmp_path, "ana", "Reader Check", reflection="{verdict: strong}")
    cache = server.admin("SELECT count(*) FROM leadcli.assessment_cache")[0][0]
    trail = server.admin("SELECT count(*) FROM leadcli.audit WHERE action <> 'exported'")[0][0]
    for args in [("list",), ("show", made), ("report", made), ("report", "--org", "reader check"),
                 ("summary",), ("evaluate",), ("history", made)]:  # fmt: skip
        result = as_("rex", *args)
        assert result.exit_code == 0, (args, result.output)
        assert result.stderr == "", args
    assert server.admin("SELECT count(*) FROM leadcli.assessment_cache")[0][0] == cache
    assert server.admin("SELECT count(*) FROM leadcli.audit WHERE action <> 'exported'")[0][0] == trail
    exported = tmp_path / "all.json"
    assert as_("rex", "export", "-o", str(exported)).exit_code == 0
    rule = (
        f"leadcli: error: {rex} may only read this store (role {server.team.role('reader')});"
        f" its owner makes them an interviewer with `leadcli admin grant interviewer {rex}`\n"
    )
    answers = tmp_path / "a.yaml"
    answers.write_text("organization: Nope\ninterviewer: rex\n", encoding="utf-8")
    keyboard()
    for args in [("delete", made, "--yes"), ("interview", "--answers", str(answers)),
                 ("interview", "--resume", made), ("import", str(exported)),
                 ("outcome", "Reader Check", "--result", "engaged")]:  # fmt: skip
        assert one_line(as_("rex", *args)) == rule, args
    assert "is for managers" in one_line(as_("rex", "audit"))
    assert "only the store's owner" in one_line(as_("rex", "admin", "migrate"))


def test_only_managers_read_the_trail_erase_and_only_the_owner_upgrades(server, as_) -> None:
    manager = server.team.role("manager")
    ana = server.names["ana"]
    assert one_line(as_("ana", "audit")) == (
        f"leadcli: error: the team's audit trail is for managers (role {manager}); {ana} is not one\n"
    )
    assert one_line(as_("ana", "delete", "--org", "Acme Health", "--yes")) == (
        f"leadcli: error: erasing an organization is for managers (role {manager}); {ana} is not one\n"
    )
    assert one_line(as_("mia", "admin", "migrate")) == (
        f"leadcli: error: only the store's owner (role {server.team.role('owner')}) upgrades it;"
        f" {server.names['mia']} is not a member (an administrator adds one with"
        " `leadcli admin grant owner LOGIN`)\n"
    )
    assert as_("mia", "audit").exit_code == 0
    upgraded = as_("olga", "admin", "migrate")
    assert (upgraded.exit_code, upgraded.stderr) == (0, "leadcli: the store is up to date\n")


# --- each role, through plain SQL --------------------------------------------------------------


def test_a_typed_line_in_one_call_is_held_to_the_same_rules(server, as_, tmp_path) -> None:
    """add_note_line (016_one_call_lines) runs as its caller: a colleague's interview is refused
    whether leadcli or plain SQL calls it, a reader may not call it, and the caller's own lines
    are on the trail in their name, written by the trail's trigger."""
    import psycopg

    from leadcli.store.connection import Refused
    from leadcli.store.db import Store

    ana = server.names["ana"]
    anas = new_interview(as_, tmp_path, "ana", "One Call")
    signature = "leadcli.add_note_line(text, text, text, text, text, text, text, text, text, text, integer)"
    assert server.admin(
        f"SELECT prosecdef, obj_description(p.oid, 'pg_proc') <> '' FROM pg_proc p WHERE p.oid = '{signature}'::regprocedure"
    ) == [(False, True)]  # SECURITY INVOKER, and commented
    call = "SELECT add_note_line(%s, 'track-record', %s, 's', 'ben', 'planted', NULL, NULL, '', '', NULL)"
    with pytest.raises(psycopg.Error) as refused:
        server.sql("ben", call, (anas, "b" * 32))
    assert refused.value.sqlstate == "LC001"
    with pytest.raises(psycopg.Error) as refused:
        server.sql("rex", call, (anas, "c" * 32))
    assert refused.value.sqlstate == "42501"  # no EXECUTE for readers
    with Store.open(tmp_path, url=server.url("ben")) as store:
        answer = store.interviews.get(anas).answers["track-record"]
        with pytest.raises(Refused, match=f"interview {anas} belongs to another interviewer \\({ana}\\)"):
            store.interviews.add_line(anas, answer, "ben was here")
    with Store.open(tmp_path, url=server.url("ana")) as store:
        answer = store.interviews.get(anas).answers["track-record"]
        store.interviews.add_line(anas, answer, "one call")
        assert [x.text for x in store.interviews.get(anas).answers["track-record"].lines] == [
            "held the line", "one call",
        ]  # fmt: skip
    trail = server.admin(
        "SELECT actor, detail FROM leadcli.audit WHERE record_id = %s AND action = 'line added' ORDER BY id",
        (anas,),
    )
    assert trail == [(ana, "track-record"), (ana, "track-record")]


def test_plain_sql_is_held_to_the_same_rules(server, as_, tmp_path) -> None:
    anas = new_interview(as_, tmp_path, "ana", "Sql Check")
    bens = new_interview(as_, tmp_path, "ben", "Sql Check")
    ben = server.names["ben"]
    # A colleague's rows are not there to change: nothing is touched. Since 021_server_integrity
    # interviewers may not DELETE (they call forget_rows) nor change a line's text at all.
    for statement in [
        f"UPDATE note_lines SET text = 'rewritten' WHERE interview_id = '{anas}'",
        f"DELETE FROM interviews WHERE id = '{anas}'",
        f"DELETE FROM answers WHERE interview_id = '{anas}'",
        f"DELETE FROM note_lines WHERE interview_id = '{anas}'",
        f"DELETE FROM value_history WHERE interview_id = '{anas}'",
    ]:
        assert denied(server, "ben", statement) == "42501", statement
    assert denied(server, "ben", f"SELECT forget_rows('answers', '{anas}', 'track-record')") == "LC001"
    assert server.admin(f"SELECT text FROM leadcli.note_lines WHERE interview_id = '{anas}'") == [
        ("held the line",)
    ]
    # Adding a row to a colleague's interview is refused by the policy.
    assert denied(server, "ben", f"INSERT INTO follow_ups VALUES ('{anas}', 9, 'x', '', NULL)") == "42501"
    line = f"INSERT INTO note_lines (interview_id, question_id, id, stamp, text) VALUES ('{anas}', 'q', 'x', 's', 'x')"
    assert denied(server, "ben", line) == "42501"
    kept = (
        "INSERT INTO value_history (interview_id, field, value, stamp, winner_stamp, at)"
        f" VALUES ('{anas}', 'f', '1', 's', 's', 'now')"
    )
    assert denied(server, "ben", kept) == "42501"
    # Authorship and ownership are the database's: not even on one's own interview.
    assert denied(server, "ben", f"UPDATE interviews SET created_by = 'mia' WHERE id = '{bens}'") == "42501"
    server.sql("ben", f"UPDATE interviews SET changed_by = 'mia' WHERE id = '{bens}'")
    assert server.admin(f"SELECT created_by, changed_by FROM leadcli.interviews WHERE id = '{bens}'") == [
        (ben, ben)
    ]
    assert (
        denied(server, "ben", f"UPDATE interviews SET assigned_to = '{ben}' WHERE id = '{anas}'") == "42501"
    )
    assert denied(server, "ben", f"UPDATE interviews SET assigned_to = 'x' WHERE id = '{bens}'") == "42501"
    # leadcli's own tables: only through the owner's narrow functions.
    for statement in [
        "INSERT INTO migrations VALUES ('999_future', '2099-01-01T00:00:00+00:00')",
        "DELETE FROM migrations",
        f"INSERT INTO interview_leases VALUES ('{anas}', 'ben', 'h', 1, 'now')",
        "INSERT INTO snapshots VALUES ('x', 1, '{}')",
        "UPDATE assessment_cache SET levels = '[]'",
        "INSERT INTO store_settings VALUES ('manager_role', 'public')",
        "INSERT INTO audit (at, actor, action) VALUES ('now', 'mia', 'deleted')",
        "UPDATE audit SET actor = 'mia'",
        "DELETE FROM audit",
        "TRUNCATE audit",
        "SELECT audit_note('deleted', 'x', '')",
        "SELECT erase_organization('sql check')",
        "CREATE TABLE leadcli.mine (x int)",
        "CREATE TABLE public.mine (x int)",
    ]:
        assert denied(server, "ben", statement) == "42501", statement
    assert denied(server, "ben", f"SELECT take_lease('{anas}', 'm', 'h', 1, 'now')") == "42501"
    assert denied(server, "ben", "SELECT add_snapshot('not-its-hash', 1, '{}')") == "22023"
    # A reader writes nothing anywhere; the trail is the managers'.
    for statement in [
        f"UPDATE interviews SET region = 'x' WHERE id = '{anas}'",
        "INSERT INTO outcomes VALUES ('x', 'a', 'a', 'engaged', '2026-01-01', '[]', '', 'now')",
        "SELECT * FROM audit",
        f"SELECT keep_levels('{anas}', 'r', '[]')",
    ]:
        assert denied(server, "rex", statement) == "42501", statement
    assert len(server.sql("mia", "SELECT * FROM audit")) > 0
    # A manager changes anything but a typed line (021_server_integrity: a line's text is fixed
    # for the whole team), and the database says who did.
    assert denied(server, "mia", f"UPDATE note_lines SET text = 'x' WHERE interview_id = '{anas}'") == "42501"
    server.sql("mia", f"UPDATE interviews SET region = 'checked' WHERE id = '{anas}'")
    assert server.admin(f"SELECT region, changed_by FROM leadcli.interviews WHERE id = '{anas}'") == [
        ("checked", server.names["mia"])
    ]


def test_authorship_in_an_imported_file_is_kept_apart_and_never_taken(server, as_, tmp_path) -> None:
    made = new_interview(as_, tmp_path, "ana", "Forgery Check")
    exported = tmp_path / "x.json"
    assert as_("mia", "export", "-o", str(exported)).exit_code == 0
    data = json.loads(exported.read_text())
    forged = next(r for r in data["interviews"] if r["id"] == made)
    forged.update(
        id="zz2345", uid="", created_by="the-ceo", changed_by="the-ceo", assigned_to="the-ceo", claimed_by=""
    )
    data["interviews"] = [forged]
    data["outcomes"] = []
    exported.write_text(json.dumps(data), encoding="utf-8")
    assert as_("ben", "import", str(exported)).exit_code == 0
    ben = server.names["ben"]
    shown = json.loads(as_("ben", "show", "zz2345", "-f", "json").stdout)
    assert (shown["created_by"], shown["changed_by"], shown["assigned_to"]) == (ben, ben, ben)
    assert shown["claimed_by"] == "the-ceo"
    assert "Created by (the file says)  the-ceo" in as_("ben", "show", "zz2345").stdout
    assert [
        (e["actor"], e["action"])
        for e in json.loads(as_("mia", "history", "zz2345", "-f", "json").stdout)["entries"]
    ] == [(ben, "imported")]


def test_the_lost_values_an_interviewer_imports_go_only_where_they_may_change(server, as_, tmp_path) -> None:
    anas = new_interview(as_, tmp_path, "ana", "History Check")
    exported = tmp_path / "history.json"
    assert as_("ana", "export", "-o", str(exported)).exit_code == 0
    data = json.loads(exported.read_text())
    record = next(r for r in data["interviews"] if r["id"] == anas)
    record["lost_values"] = [
        {"field": "question 2 rating", "value": '"low"', "stamp": "1793613600000.000000.aaaaaaaaaaaaaaaa",
         "winner_stamp": "1793613601000.000000.bbbbbbbbbbbbbbbb", "at": "2026-11-02T10:00:02+00:00"}
    ]  # fmt: skip
    data.update(interviews=[record], outcomes=[])
    exported.write_text(json.dumps(data), encoding="utf-8")
    kept = f"SELECT field, value FROM leadcli.value_history WHERE interview_id = '{anas}'"
    # a colleague's interview: the history is hers to add to, not ben's
    refused = one_line(as_("ben", "import", str(exported)))
    assert f"interview {anas} belongs to another interviewer ({server.names['ana']})" in refused
    assert server.admin(kept) == []
    assert as_("ana", "import", str(exported)).exit_code == 0
    assert server.admin(kept) == [("question 2 rating", '"low"')]
    trail = f"SELECT actor, action FROM leadcli.audit WHERE record_id = '{anas}' AND action = 'conflict kept'"
    assert server.admin(trail) == [(server.names["ana"], "conflict kept")]
    assert as_("ana", "import", str(exported)).stderr.endswith("skipped 1 unchanged, 0 conflict(s)\n")
    assert server.admin(kept) == [("question 2 rating", '"low"')]
    assert len(server.admin(trail)) == 1
    # the same file's interview as a new one of ben's own (another identity): his to keep
    record.update(uid="cd" * 16, id="zz3456")
    exported.write_text(json.dumps(data), encoding="utf-8")
    added = as_("ben", "import", str(exported))
    assert added.exit_code == 0, added.stderr
    new = (
        added.stderr.split(" was added as ")[1].split(",")[0]
        if " was added as " in added.stderr
        else "zz3456"
    )
    lost = json.loads(as_("rex", "history", new, "-f", "json").stdout)["lost_values"]
    assert [(v["field"], v["value"]) for v in lost] == [("question 2 rating", "low")]


# --- names from outside leadcli's schema ------------------------------------------------------


def test_a_function_planted_in_public_is_never_called(server, as_, tmp_path, monkeypatch) -> None:
    from leadcli.store import migrations

    new_interview(as_, tmp_path, "ana", "Plant Check")
    for person, args in [("ana", ("list",)), ("rex", ("summary",)), ("mia", ("export",)), ("mia", ("audit",)),
                         ("ben", ("report", "--org", "plant check"))]:  # fmt: skip
        assert as_(person, *args).exit_code == 0
    # The owner's next upgrade (one more migration) runs under the pinned path too.
    extra = ("999_test_upgrade", ["CREATE INDEX outcomes_by_result ON outcomes(result)"])
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, extra])
    upgraded = as_("olga", "admin", "migrate")
    server.admin("DELETE FROM leadcli.migrations WHERE name = '999_test_upgrade'")
    server.admin("DROP INDEX IF EXISTS leadcli.outcomes_by_result")
    assert upgraded.stderr == "leadcli: upgraded the store: 999_test_upgrade\n"
    assert server.admin("SELECT * FROM public.pwned") == []
    assert server.admin("SELECT count(*) FROM public.migrations") == [(0,)]
    # The plant is real: a session on the default search_path does call it ...
    import psycopg

    with psycopg.connect(server.url("ana"), autocommit=True) as connection:
        connection.execute("SELECT pg_try_advisory_xact_lock(1::integer)")
    assert server.admin("SELECT what FROM public.pwned") == [("try lock",)]
    server.admin("DELETE FROM public.pwned")
    # ... and after the set-up a role outside the team cannot even connect; given CONNECT (another
    # application's role), it still cannot plant another.
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        psycopg.connect(server.url("eve")).close()
    database = urlsplit(server.admin_url).path.lstrip("/")
    server.admin(f'GRANT CONNECT ON DATABASE "{database}" TO {server.names["eve"]}')
    plant = "CREATE FUNCTION public.upper(varchar) RETURNS text LANGUAGE sql AS $$ SELECT '' $$"
    assert denied(server, "eve", plant) == "42501"
    assert denied(server, "eve", "SELECT * FROM leadcli.answers") == "42501"


# --- no stalls ---------------------------------------------------------------------------------


def test_a_reader_holding_locks_never_stalls_an_interviewer(server, as_, tmp_path, monkeypatch) -> None:
    import psycopg

    from leadcli.store import migrations
    from leadcli.store.db import Store
    from leadcli.store.dialects import postgres
    from leadcli.store.records import Answer

    made = new_interview(as_, tmp_path, "ana", "Stall Check")
    reader = psycopg.connect(f"{server.url('rex')}?options=-csearch_path%3Dleadcli", autocommit=True)
    try:
        reader.execute("SELECT pg_advisory_lock(%s)", (postgres._MIGRATION_LOCK,))
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM interviews").fetchall()  # holds ACCESS SHARE until it ends

        store = Store.open(Path("/nonexistent"), url=server.url("ana"))  # opened before the upgrade is known

        def one_enter(note: str) -> float:
            started = time.monotonic()
            store.interviews.save_answer(made, Answer(question_id="track-record", notes=note))
            return time.monotonic() - started

        assert one_enter("first") < 1.0  # the reader's locks are not in an interviewer's way at all
        extra = ("999_test_stall", ["ALTER TABLE interviews ADD COLUMN stall_test TEXT"])
        monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, extra])
        blocked = as_("olga", "admin", "migrate")
        rex = server.names["rex"]
        assert f"holds its upgrade lock: {rex} (process" in one_line(blocked)
        reader.execute("SELECT pg_advisory_unlock(%s)", (postgres._MIGRATION_LOCK,))

        # The upgrade now waits for the reader's table lock; an Enter queued behind it waits at
        # most the upgrade's lock timeout, and is then saved.
        waited: list[float] = []
        enter = threading.Thread(target=lambda: (time.sleep(0.5), waited.append(one_enter("second"))))
        enter.start()
        started = time.monotonic()
        blocked = as_("olga", "admin", "migrate")
        took = time.monotonic() - started
        enter.join()
        assert f"waited {postgres.UPGRADE_LOCK_TIMEOUT} for a table in use by {rex} (process" in one_line(
            blocked
        )
        assert took < 3.0 + 2.0
        limit = postgres.LOCK_TIMEOUT_MS / 1000
        assert waited and waited[0] < limit, waited
        store.close()
    finally:
        reader.close()
    assert server.admin(
        f"SELECT text FROM leadcli.note_lines WHERE interview_id = '{made}' AND gone = ''"
    ) == [("second",)]
    assert "stall_test" not in [
        r[0]
        for r in server.admin(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'interviews'"
        )
    ]


# --- the trail ---------------------------------------------------------------------------------


def test_a_day_of_work_is_on_the_trail_and_an_interviewer_cannot_alter_it(server, as_, tmp_path) -> None:
    ana, ben, mia, rex = (server.names[p] for p in ("ana", "ben", "mia", "rex"))
    since = server.admin("SELECT max(id) FROM leadcli.audit")[0][0] or 0
    made = new_interview(as_, tmp_path, "ana", "Day Check", reflection="{verdict: moderate}")
    reflection = tmp_path / "r.yaml"
    reflection.write_text("reflection: {verdict: strong}\n", encoding="utf-8")
    assert as_("ana", "reflect", made, "--answers", str(reflection)).exit_code == 0
    assert as_("mia", "assign", made, ben).exit_code == 0
    assert as_("ben", "outcome", "Day Check", "--result", "engaged").exit_code == 0
    assert as_("rex", "export", "-o", str(tmp_path / "day.json")).exit_code == 0
    assert as_("mia", "delete", made, "--yes").exit_code == 0

    history = [
        (e["actor"], e["action"], e["detail"])
        for e in json.loads(as_("rex", "history", made, "-f", "json").stdout)["entries"]
    ]
    assert history == [
        (ana, "created", ""),
        (ana, "line added", "track-record"),
        (ana, "rated", "track-record: partial"),
        (ana, "reflected", "moderate"),
        (ana, "reflected", "strong"),
        (mia, "assigned", f"{ana} -> {ben}"),
        (mia, "deleted", ""),
    ]
    trail = [
        (e["actor"], e["action"]) for e in json.loads(as_("mia", "audit", "-f", "json").stdout)["entries"]
    ]
    rows = server.admin("SELECT actor, action FROM leadcli.audit WHERE id > %s ORDER BY id", (since,))
    assert trail[-len(rows) :] == rows
    assert [a for _, a in rows] == [
        "created", "line added", "rated", "reflected", "reflected", "assigned", "outcome recorded", "exported",
        "deleted",
    ]  # fmt: skip
    assert (ben, "outcome recorded") in rows and (rex, "exported") in rows
    by_ana = json.loads(as_("mia", "audit", "--user", ana, "--since", "2000-01-01", "-f", "json").stdout)[
        "entries"
    ]
    assert by_ana and {e["actor"] for e in by_ana} == {ana}
    text = json.dumps(json.loads(as_("mia", "audit", "-f", "json").stdout))
    assert "held the line" not in text  # never what was typed
    before = server.admin("SELECT count(*) FROM leadcli.audit")
    for statement in ["UPDATE audit SET actor = 'x'", "DELETE FROM audit", "TRUNCATE audit"]:
        assert denied(server, "ana", statement) == "42501"
    assert server.admin("SELECT count(*) FROM leadcli.audit") == before


# --- erasure -----------------------------------------------------------------------------------


def test_an_erasure_leaves_nothing_of_the_organization(server, as_, tmp_path) -> None:
    kept = new_interview(as_, tmp_path, "ana", "Keep Me Clinic")
    gone = [new_interview(as_, tmp_path, person, "Zeta Erasure Clinic") for person in ("ana", "ben")]
    assert (
        as_(
            "ben", "outcome", "Zeta Erasure Clinic", "--result", "declined", "--note", "Zeta said no"
        ).exit_code
        == 0
    )
    erased = as_("mia", "delete", "--org", "zeta erasure clinic", "--yes")
    assert erased.exit_code == 0, erased.output
    assert erased.stderr == (
        "leadcli: erased 3 record(s) of zeta erasure clinic; the trail keeps only that an erasure happened\n"
    )
    tables = [r[0] for r in server.admin("SELECT tablename FROM pg_tables WHERE schemaname = 'leadcli'")]
    for table in tables:
        everything = " ".join(r[0] for r in server.admin(f"SELECT t::text FROM leadcli.{table} t"))
        # the tombstones (020_erasures) keep the erased records' ids, never the organization's name
        for trace in ["Zeta", "zeta", *([] if table == "erasures" else gone)]:
            assert trace not in everything, (table, trace)
    tombstones = server.sql("ana", "SELECT kind, record_id, erased_by FROM erasures ORDER BY kind, record_id")
    assert [t[:2] for t in tombstones if t[0] == "interview"] == [("interview", i) for i in sorted(gone)]
    assert len(tombstones) == 3 and {t[2] for t in tombstones} == {server.names["mia"]}
    for person in ("mia", "ana"):  # read by the team, written by no team role: only the erasure
        for statement in [
            "INSERT INTO erasures VALUES ('x', 'outcome', 'x', 'x', now(), 'x')",
            "UPDATE erasures SET erased_by = 'x'",
            "DELETE FROM erasures",
        ]:
            assert denied(server, person, statement) == "42501", (person, statement)
    assert len(server.sql("ana", "SELECT uid FROM erasures")) == 3
    assert kept in " ".join(r[0] for r in server.admin("SELECT t::text FROM leadcli.interviews t"))
    for fmt in ("json", "csv"):
        exported = as_("mia", "export", "-f", fmt).stdout
        assert "Zeta" not in exported and not any(i in exported for i in gone)
    erasures = server.admin("SELECT actor, record_id, detail FROM leadcli.audit WHERE action = 'erased'")
    assert erasures == [(server.names["mia"], "", "an organization: 2 interview(s), 1 outcome(s)")]
