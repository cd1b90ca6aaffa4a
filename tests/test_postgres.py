"""The shared PostgreSQL store: migrations, roles, authorship, connection errors, moving records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from leadcli.store.connection import StoreError
from leadcli.store.db import Store
from leadcli.store.dialects.postgres import POSTGRES
from leadcli.store.migrations import MIGRATIONS


def server_names(url: str) -> list[str]:
    with Store.open(Path("/nonexistent"), url=url) as store:
        return [r[0] for r in store.connection.execute("SELECT name FROM migrations ORDER BY name")]


def test_migrations_are_recorded_once_and_a_newer_store_is_refused(postgres_url, run, monkeypatch) -> None:
    monkeypatch.setenv("LEADCLI_DATABASE_URL", postgres_url)
    assert run("admin", "migrate").stderr == "leadcli: the store is up to date\n"
    assert server_names(postgres_url) == sorted(name for name, _ in MIGRATIONS)
    with Store.open(Path("/nonexistent"), url=postgres_url) as store:
        store.connection.execute("INSERT INTO migrations VALUES ('999_future', '2099-01-01T00:00:00+00:00')")
    result = run("list")
    assert result.exit_code == 1
    assert result.stderr == (
        "leadcli: error: the store is ahead of this leadcli (it has migration 999_future);"
        " upgrade leadcli (pip install -U leadcli) to use it\n"
    )


def test_a_store_behind_says_who_upgrades_it_and_only_admin_migrate_does(
    postgres_url, run, monkeypatch
) -> None:
    monkeypatch.setenv("LEADCLI_DATABASE_URL", postgres_url)
    last = MIGRATIONS[-1][0]
    with Store.open(Path("/nonexistent"), url=postgres_url) as store:
        store.connection.execute("DELETE FROM migrations WHERE name = ?", (last,))
    result = run("list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"leadcli: error: the store is behind this leadcli (it is at {MIGRATIONS[-2][0]}, this leadcli needs"
        f" {last}); its owner (postgres) upgrades it with `leadcli admin migrate`\n"
    )
    assert last not in server_names_raw(postgres_url)  # reading it changed nothing


def server_names_raw(url: str) -> list[str]:
    import psycopg

    with psycopg.connect(url) as connection:
        return [r[0] for r in connection.execute("SELECT name FROM migrations")]


def test_two_processes_upgrading_at_once_migrate_once(postgres_database) -> None:
    import psycopg

    from tests.conftest import require_postgres

    base = require_postgres(postgres_database)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    url = f"{base}?options=-csearch_path%3D{schema}"
    script = "import sys; from leadcli.services.admin import migrate_store; from leadcli.store.migrations import UpgradeBlocked\n"
    script += "try:\n    migrate_store(sys.argv[1])\nexcept UpgradeBlocked as e:\n    print(e)"
    procs = [subprocess.Popen([sys.executable, "-c", script, url]) for _ in range(4)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0, 0]
    assert server_names(url) == sorted(name for name, _ in MIGRATIONS)
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


def test_show_and_export_say_who_created_and_changed(store_backend, run, tmp_path, fixed_ids) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("organization: Acme\ninterviewer: Kim\n", encoding="utf-8")
    assert run("interview", "--answers", str(answers)).exit_code == 0
    with Store.open(tmp_path) as store:
        who = store.user
    assert who  # current_user on the server, the login name on SQLite
    shown = run("show", "id0001").stdout
    assert f"Created by    {who}" in shown
    assert f"Changed by    {who}" in shown
    exported = json.loads(run("export").stdout)["interviews"][0]
    assert (exported["created_by"], exported["changed_by"]) == (who, who)


def test_export_from_the_server_imports_into_sqlite_and_back(
    postgres_url, run, tmp_path, monkeypatch
) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "organization: Acme\ninterviewer: Kim\nregion: Canada\n"
        "contacts: [{name: Bo, role: COO, level: core}]\n"
        "answers:\n  track-record: {notes: 'held', cues: [results-sustained], rating: low}\n"
        "reflection: {fit: maybe, verdict: limited, follow_ups: [{text: call, due: 2027-01-01}]}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("LEADCLI_DATABASE_URL", postgres_url)
    assert run("interview", "--answers", str(answers)).exit_code == 0
    interview_id = json.loads(run("list", "-f", "json").stdout)["interviews"][0]["id"]
    on_server = run("report", interview_id, "-f", "json").stdout
    summary_on_server = run("summary", "-f", "json").stdout
    export = tmp_path / "server.json"
    assert run("export", "-o", str(export)).exit_code == 0

    monkeypatch.delenv("LEADCLI_DATABASE_URL")
    assert run("import", str(export)).exit_code == 0
    assert run("report", interview_id, "-f", "json").stdout == on_server
    assert run("summary", "-f", "json").stdout == summary_on_server
    back = tmp_path / "laptop.json"
    assert run("export", "-o", str(back)).exit_code == 0

    monkeypatch.setenv("LEADCLI_DATABASE_URL", postgres_url)
    assert run("delete", interview_id, "--yes").exit_code == 0
    assert run("import", str(back)).exit_code == 0
    assert run("report", interview_id, "-f", "json").stdout == on_server
    strip = [json.loads(p.read_text())["interviews"] for p in (export, back)]
    # Authorship is the store's own: the laptop's copy was created by its login; the server's
    # user is only what the file claimed.
    authorship = ("created_by", "changed_by", "assigned_to", "claimed_by")
    laptop = {name: strip[1][0][name] for name in authorship}
    assert laptop["claimed_by"] == strip[0][0]["created_by"] == "postgres"
    assert laptop["created_by"] == laptop["assigned_to"] != "postgres"
    assert [{k: v for k, v in r.items() if k not in authorship} for r in strip[0]] == [
        {k: v for k, v in r.items() if k not in authorship} for r in strip[1]
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://kim:s3cret@127.0.0.1:1/leadcli",
            "cannot reach the database server (postgresql://kim:****@127.0.0.1:1/leadcli);"
            " is it running, and is the host and port right?",
        ),
        ("mysql://kim@127.0.0.1/x", "--database-url (LEADCLI_DATABASE_URL) takes a postgresql:// URL"),
    ],
)
def test_connection_failures_are_one_line_without_the_password(run, monkeypatch, url, expected) -> None:
    monkeypatch.setenv("LEADCLI_DATABASE_URL", url)
    result = run("list")
    assert result.exit_code in {1, 2}
    assert result.stderr == f"leadcli: error: {expected}\n"
    assert "s3cret" not in result.output


def test_a_database_that_does_not_exist(postgres_database, run, monkeypatch) -> None:
    from tests.conftest import require_postgres

    base = require_postgres(postgres_database).rsplit("/", 1)[0]
    monkeypatch.setenv("LEADCLI_DATABASE_URL", f"{base}/no_such_db_here")
    result = run("list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"leadcli: error: the database no_such_db_here does not exist on the server ({base}/no_such_db_here)\n"
    )


def test_a_server_that_wants_tls(postgres_database, run, monkeypatch) -> None:
    from tests.conftest import require_postgres

    base = require_postgres(postgres_database)
    monkeypatch.setenv("LEADCLI_DATABASE_URL", f"{base}?sslmode=require")
    result = run("list")
    # This server may or may not offer TLS; either way: one line, no traceback.
    assert result.exit_code in {0, 1}
    if result.exit_code:
        assert result.stderr.count("\n") == 1
        assert "TLS" in result.stderr


def test_home_masks_the_password(run, monkeypatch) -> None:
    monkeypatch.setenv(
        "LEADCLI_DATABASE_URL", "postgresql://kim:s3cret@db.example:5432/leads?sslmode=require"
    )
    assert run("home").stdout == "postgresql://kim:****@db.example:5432/leads?sslmode=require\n"
    assert (
        POSTGRES.mask_url("postgresql://db/leads?password=s3cret&x=1")
        == "postgresql://db/leads?password=****&x=1"
    )
    assert POSTGRES.mask_url("postgresql://kim@db/leads") == "postgresql://kim@db/leads"


def test_a_read_only_sqlite_store_still_reads(run, isolated_home, tmp_path, monkeypatch, fixed_ids) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("organization: Acme\ninterviewer: Kim\n", encoding="utf-8")
    assert run("interview", "--answers", str(answers)).exit_code == 0
    real_access = os.access
    # Tests may run as root, for whom chmod hides nothing: say what a read-only folder says.
    monkeypatch.setattr(
        "leadcli.store.dialects.sqlite.os.access",
        lambda p, mode: False if mode & os.W_OK else real_access(p, mode),
    )
    for args in (("list",), ("show", "id0001"), ("report", "id0001"), ("summary",), ("export",)):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
    refused = run("delete", "id0001", "--yes")
    assert refused.exit_code == 1
    assert "is read-only" in refused.stderr
    assert refused.stderr.count("\n") == 1


def test_many_writers_on_the_server_keep_every_interview(postgres_url, isolated_home) -> None:
    script = textwrap.dedent("""\
        import sys
        from pathlib import Path
        from leadcli.content.loader import load_content
        from leadcli.paths import builtin_data_dir
        from leadcli.interview.session import begin_interview
        from leadcli.store.db import Store
        from leadcli.store.records import Answer
        content = load_content(builtin_data_dir())
        with Store.open(Path("/nonexistent"), url=sys.argv[1]) as store:
            for n in range(40):
                record = begin_interview(store, content, organization=f"{sys.argv[2]} {n}",
                                         interviewer="x", region="", contacts=[])
                store.interviews.save_answer(record.id, Answer(question_id="track-record", notes=f"note {n}"))
        """)
    procs = [
        subprocess.Popen([sys.executable, "-c", script, postgres_url, name], env={**os.environ})
        for name in ("left", "right", "third")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    with Store.open(isolated_home, url=postgres_url) as store:
        rows, total = store.interviews.summaries()
        assert total == 120
        assert all(r.explored == 1 for r in rows)


def test_a_failed_server_write_changes_nothing(postgres_url, isolated_home) -> None:
    from leadcli.content.loader import load_content
    from leadcli.interview.session import begin_interview
    from leadcli.paths import builtin_data_dir
    from leadcli.store.records import Answer

    content = load_content(builtin_data_dir())
    with Store.open(isolated_home, url=postgres_url) as store:
        record = begin_interview(store, content, organization="A", interviewer="B", region="", contacts=[])
        store.interviews.save_answer(record.id, Answer(question_id="track-record", notes="original"))
        with pytest.raises(StoreError, match="nothing was changed"), store.transaction() as db:
            db.execute("UPDATE answers SET notes = 'half' WHERE interview_id = ?", (record.id,))
            db.execute("UPDATE answers SET rating = 'excellent' WHERE interview_id = ?", (record.id,))
        assert store.interviews.get(record.id).answers["track-record"].notes == "original"


@pytest.mark.parametrize(
    ("server_says", "expected"),
    [
        (
            'connection failed: connection to server at "db" (10.0.0.5), port 5432 failed: FATAL:  '
            'password authentication failed for user "kim"',
            "the database server refused the password for user kim (postgresql://kim:****@db/leads)",
        ),
        (
            'connection failed: connection to server at "db", port 5432 failed: FATAL:  no pg_hba.conf entry'
            ' for host "10.0.0.9", user "kim", database "leads", no encryption',
            "the database server requires TLS; add sslmode=require (or verify-full) to the URL"
            " (postgresql://kim:****@db/leads)",
        ),
        (
            'connection failed: FATAL:  database "leads" does not exist',
            "the database leads does not exist on the server (postgresql://kim:****@db/leads)",
        ),
    ],
)
def test_what_the_server_says_becomes_one_line_without_the_password(server_says, expected) -> None:
    from leadcli.store.dialects.postgres import describe_connect_failure

    said = describe_connect_failure("postgresql://kim:s3cret@db/leads", Exception(server_says))
    assert said == expected


# --- 014_server_types: the types and comments a DBA expects, data kept ---------------------------


def _typed_store(postgres_database: str | None, upto: str | None) -> tuple[Store, str]:
    import psycopg

    from tests.conftest import require_postgres

    base = require_postgres(postgres_database)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    from leadcli.store.migrations import migrate

    connection = POSTGRES.connect(f"{base}?options=-csearch_path%3D{schema}")
    migrate(connection, upto=upto)
    return Store(connection), schema


def _everything(store: Store) -> dict:
    """What the store holds, as the rest of leadcli reads it."""
    with store.reading():
        return {
            "interviews": list(store.interviews.export_rows()),
            "snapshots": {k: json.loads(t) for k, t in store.snapshots.texts().items()},
            "outcomes": store.outcomes.list(),
            "trail": store.trail.history("typed1"),
            "updated": store.interviews.updated_times(["typed1"]),
            "overdue": store.facts.summary("rules", "2030-01-01").overdue,
        }


def test_server_types_keep_every_value_and_read_back_as_before(postgres_database) -> None:
    from leadcli.store.migrations import migrate
    from leadcli.store.records import FollowUp, Outcome, Reflection
    from tests.reports_helpers import make_interview

    names = [name for name, _ in MIGRATIONS]
    store, schema = _typed_store(postgres_database, names[names.index("014_server_types") - 1])
    try:
        record = make_interview(
            {"quality-planning": ("Board sets aims", ["planning-process+"], "strong")},
            interview_id="typed1",
            reflection=Reflection(
                fit="yes",
                verdict="moderate",
                domain_levels={"direction": "strong"},
                proposed=["diag"],
                follow_ups=[FollowUp(text="Call", owner="Kim", due="2027-01-15"), FollowUp(text="Later")],
            ),
            created_at="2026-11-02T10:00:00.250000+00:00",
        )
        store.interviews.insert(record)
        outcome = Outcome(
            id="out1",
            organization="St Mary's Health",
            result="engaged",
            date="2027-01-20",
            offerings=["diag"],
            recorded_at="2027-01-20T09:00:00.000001+00:00",
        )
        store.outcomes.write([outcome])
        before = _everything(store)
        assert before["interviews"][0]["created_at"] == "2026-11-02T10:00:00.250000+00:00"
        migrate(store.connection)
        assert _everything(store) == before  # the same values, as the same text, after the change
        store.interviews.insert(make_interview(interview_id="typed2", created_at="2026-11-03T10:00:00+00:00"))
        assert store.interviews.get("typed2").created_at == "2026-11-03T10:00:00+00:00"
        assert [e.at[-6:] for e in store.trail.history("typed2")] == ["+00:00"]
        types = {
            (t, c): kind
            for t, c, kind in store.connection.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = ?",
                (schema,),
            )
        }
        assert types["interviews", "created_at"] == types["audit", "at"] == "timestamp with time zone"
        assert types["follow_ups", "due"] == types["outcomes", "decided_on"] == "date"
        assert (
            types["answers", "cues"]
            == types["snapshots", "data"]
            == types["outcomes", "offerings"]
            == "jsonb"
        )
        assert "text" not in {types[t, c] for t, c in types if c.endswith("_at") or c in ("since", "due")}
    finally:
        store.close()


def test_every_table_and_column_of_a_server_store_has_a_comment(postgres_url) -> None:
    """Catches a table or column a migration adds without its COMMENT ON (store.migrations.COMMENTS)."""
    from leadcli.store.team import TABLES

    with Store.open(Path("/nonexistent"), url=postgres_url) as store:
        db = store.connection
        tables = [
            r[0]
            for r in db.execute(
                "SELECT c.relname FROM pg_class c WHERE c.relnamespace = to_regnamespace(current_schema())"
                " AND c.relkind = 'r' ORDER BY 1"
            )
        ]
        assert set(TABLES) <= set(tables)
        bare_tables = [
            t
            for t in tables
            if not db.execute("SELECT obj_description(to_regclass(?), 'pg_class')", (t,)).fetchone()[0]
        ]
        bare_columns = [
            f"{t}.{c}"
            for t, c, about in db.execute(
                "SELECT c.relname, a.attname, col_description(c.oid, a.attnum) FROM pg_class c"
                " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                " WHERE c.relnamespace = to_regnamespace(current_schema()) AND c.relkind = 'r'"
            )
            if not about
        ]
    assert bare_tables == [] and bare_columns == []
