"""What a team role could still do to the server store with plain SQL, refused by the database
itself (021_server_integrity): each test connects as that role with plain psycopg."""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from pathlib import Path

import pytest

from leadcli.names import name_key
from leadcli.store.team import TABLES
from tests import test_team_store
from tests.test_team_store import denied, new_interview

# The team server of tests/test_team_store.py (its own database and logins), and leadcli as each.
server = test_team_store.server
as_ = test_team_store.as_

# --- 1. the assessment cache ----------------------------------------------------------------


def _summary(as_, person: str) -> dict:
    result = as_(person, "summary", "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _rules(server, interview_id: str) -> str:
    [(rules,)] = server.admin(
        "SELECT rules FROM leadcli.assessment_cache WHERE interview_id = %s LIMIT 1", (interview_id,)
    )
    return rules.split(":")[0]


def test_a_colleagues_forged_levels_count_nowhere_and_bad_ones_are_refused(
    server, as_, tmp_path, content
) -> None:
    anas = new_interview(as_, tmp_path, "ana", "Cache Check")
    before = _summary(as_, "mia")
    key = _rules(server, anas)
    strong = json.dumps([[d.id, "strong"] for d in content.framework.domains])
    server.sql("ben", "SELECT keep_levels(%s, %s, %s)", (anas, key, strong))  # well formed: ben's own row
    assert _summary(as_, "mia") == before  # a manager's summary reads only the rows she wrote
    for forged in ['{"not": "a list"}', '[["direction"]]', '[["direction", "superb"]]', "not json",
                   '[["direction", "low", 7]]', "[1]"]:  # fmt: skip
        assert denied(server, "ben", f"SELECT keep_levels('{anas}', '{key}', '{forged}')") == "22023", forged
    assert _summary(as_, "mia") == before
    assert _summary(as_, "ana")["interviews"] == before["interviews"]
    written = server.admin("SELECT written_by FROM leadcli.assessment_cache WHERE interview_id = %s", (anas,))
    assert {w for (w,) in written} >= {server.names["mia"], server.names["ben"]}


def test_a_bad_cache_row_is_worked_out_again_not_a_crash(server, as_, tmp_path) -> None:
    """Even a row that reached the cache some other way (the owner, an old leadcli) is only a
    cache: one that is not what leadcli writes counts as missing and is worked out again."""
    anas = new_interview(as_, tmp_path, "ana", "Bad Row Check")
    before = _summary(as_, "mia")
    mia = server.names["mia"]
    for bad in ['{"direction": 1}', '[["direction"]]', '[["no-such-domain", "low"]]', '[["direction", "x"]]']:
        server.admin(
            "UPDATE leadcli.assessment_cache SET levels = %s::jsonb WHERE interview_id = %s AND written_by = %s",
            (bad, anas, mia),
        )
        assert _summary(as_, "mia") == before, bad


def test_a_bad_cache_row_in_a_file_is_worked_out_again(run, isolated_home, tmp_path) -> None:
    from leadcli.store.db import Store

    answers = tmp_path / "a.yaml"
    answers.write_text(
        "organization: A\ninterviewer: K\nanswers: {future-vision: {cues: [looks-externally], rating: low}}\n"
    )
    assert run("interview", "--answers", str(answers)).exit_code == 0
    before = run("summary", "-f", "json")
    assert before.exit_code == 0
    with Store.open(isolated_home) as store:
        store.connection.execute("UPDATE assessment_cache SET levels = '{\"a\": 1}'")
    after = run("summary", "-f", "json")
    assert (after.exit_code, after.stdout) == (0, before.stdout), after.output


# --- 2. keys, identity and creation moment --------------------------------------------------


def _plant(server, person: str, *, like: str, uid: str, org: str, created: str, key: str = "") -> str:
    """An interview row inserted with plain SQL as `person`, copying `like`'s questions."""
    [(snapshot, fv, fs, qv, qs)] = server.admin(
        "SELECT snapshot_sha256, framework_version, framework_sha256, questions_version, questions_sha256"
        " FROM leadcli.interviews WHERE id = %s",
        (like,),
    )
    planted = "zz" + uuid.uuid4().hex[:4].translate(str.maketrans("01", "23"))
    server.sql(
        person,
        "INSERT INTO interviews (id, organization, interviewer, status, created_at, updated_at,"
        " framework_version, framework_sha256, questions_version, questions_sha256, snapshot,"
        " snapshot_sha256, uid, org_key, interviewer_key)"
        " VALUES (%s, %s, 'x', 'draft', %s, %s, %s, %s, %s, %s, '', %s, %s, %s, %s)",
        (planted, org, created, created, fv, fs, qv, qs, snapshot, uid, key or "hidden", key or "hidden"),
    )
    return planted


def test_keys_are_the_databases_and_an_interview_cannot_hide_from_an_erasure(server, as_, tmp_path) -> None:
    bens = new_interview(as_, tmp_path, "ben", "Hide Me Org")
    for column, value in [("org_key", "elsewhere"), ("interviewer_key", "x"), ("uid", "0" * 32),
                          ("created_at", "2020-01-01T00:00:00+00:00"), ("snapshot_sha256", "x"),
                          ("questions_version", "x")]:  # fmt: skip
        statement = f"UPDATE interviews SET {column} = '{value}' WHERE id = '{bens}'"
        assert denied(server, "ben", statement) == "42501", column
    server.sql(
        "mia", f"UPDATE interviews SET org_key = 'elsewhere', interviewer_key = 'y' WHERE id = '{bens}'"
    )
    for column, value in [("uid", "0" * 32), ("created_at", "2020-01-01T00:00:00+00:00")]:
        assert (
            denied(server, "mia", f"UPDATE interviews SET {column} = '{value}' WHERE id = '{bens}'")
            == "LC003"
        )
    server.sql("ben", f"UPDATE interviews SET organization = 'HIDE  me\u200b org' WHERE id = '{bens}'")
    planted = _plant(server, "ben", like=bens, uid=uuid.uuid4().hex, org="Hide Me ORG",
                     created="2026-11-02T10:00:00+00:00")  # fmt: skip
    keys = server.admin(
        "SELECT org_key, interviewer_key FROM leadcli.interviews WHERE id IN (%s, %s)", (bens, planted)
    )
    assert set(keys) <= {("hide me org", name_key(server.names["ben"])), ("hide me org", "x"),
                         ("hide me org", "ben")}  # fmt: skip
    server.sql("ben", "INSERT INTO outcomes VALUES ('o-hide', 'Hide Me Org', 'hidden', 'engaged', '2026-01-01',"
               " '[]', '', '2026-01-02T00:00:00+00:00')")  # fmt: skip
    assert server.admin("SELECT org_key FROM leadcli.outcomes WHERE id = 'o-hide'") == [("hide me org",)]
    erased = as_("mia", "delete", "--org", "Hide Me Org", "--yes")
    assert erased.exit_code == 0, erased.output
    assert server.admin("SELECT id FROM leadcli.interviews WHERE id IN (%s, %s)", (bens, planted)) == []
    assert server.admin("SELECT id FROM leadcli.outcomes WHERE id = 'o-hide'") == []


def test_name_key_in_sql_is_pythons_for_every_code_point_to_u2ffff(server) -> None:
    """The database's name_key is leadcli.names.name_key for each code point from U+0001 to
    U+2FFFF (all but the surrogates, which text cannot hold, and NUL, which leadcli drops on input),
    and for names made of them."""
    codes = [c for c in range(1, 0x30000) if not 0xD800 <= c <= 0xDFFF]
    samples = [chr(c) for c in codes]
    rng = random.Random(21)
    alphabet = ("aAßẞİıΣσςǅﬃé\u0301\u0327 \t\u3000\u00a0\u200b\u00ad\u2028Åｶﾞ\U0001d400\u1e9e\u0130"
                "\u2160\u00bd\u2126\u212b")  # fmt: skip
    samples += ["École  Santé", " ÉCOLE SANTÉ ", "e\u0301cole sante\u0301", "St\u200bMary's", "straße",
                "\u1e9e\u1e9e", "ΣΊΣΥΦΟΣ", "ǄEMAL", "x\u00ady", "\U000e0041tag"]  # fmt: skip
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    wrong = []
    for start in range(0, len(samples), 20000):
        chunk = samples[start : start + 20000]
        rows = server.sql(
            "rex",
            "SELECT t.s, name_key(t.s) FROM unnest(%s::text[]) WITH ORDINALITY AS t(s, n) ORDER BY n",
            (chunk,),
        )
        wrong += [(s, k, name_key(s)) for s, k in rows if k != name_key(s)]
    assert wrong == []


# --- 3. an interview's identity --------------------------------------------------------------


def test_a_copied_uid_captures_nobodys_merges(server, as_, tmp_path) -> None:
    anas = new_interview(as_, tmp_path, "ana", "Identity Check")
    bens = new_interview(as_, tmp_path, "ben", "Identity Check")
    [(ana_uid,)] = server.admin("SELECT uid FROM leadcli.interviews WHERE id = %s", (anas,))
    assert denied(server, "ben", f"UPDATE interviews SET uid = '{ana_uid}' WHERE id = '{bens}'") == "42501"
    assert denied(server, "mia", f"UPDATE interviews SET uid = '{ana_uid}' WHERE id = '{bens}'") == "LC003"
    with pytest.raises(Exception) as twice:
        _plant(
            server, "ben", like=anas, uid=ana_uid, org="Identity Check", created="2026-11-02T10:00:00+00:00"
        )
    assert getattr(twice.value, "sqlstate", None) == "23505"
    # A copy that is not on the server yet (a laptop's): ben plants a row under its uid first.
    exported = tmp_path / "laptop.json"
    assert as_("ana", "export", "-o", str(exported)).exit_code == 0
    data = json.loads(exported.read_text())
    record = next(r for r in data["interviews"] if r["id"] == anas)
    laptop_uid = uuid.uuid4().hex
    record.update(uid=laptop_uid, id="zz9999")
    data.update(interviews=[record], outcomes=[])
    exported.write_text(json.dumps(data), encoding="utf-8")
    planted = _plant(server, "ben", like=anas, uid=laptop_uid, org="Identity Check",
                     created="2026-01-01T00:00:00+00:00")  # fmt: skip
    lines = "SELECT count(*) FROM leadcli.note_lines WHERE interview_id = %s"
    for person in ("mia", "ana"):
        imported = as_(person, "import", str(exported))
        assert imported.exit_code == 0, imported.output
        assert f"has the identity of the store's interview {planted} (Identity Check" in imported.stderr
        assert "kept apart as" in imported.stderr
        assert server.admin(lines, (planted,)) == [(0,)]
    kept = server.admin(
        "SELECT assigned_to FROM leadcli.interviews WHERE organization = 'Identity Check' AND id NOT IN (%s, %s, %s)",
        (anas, bens, planted),
    )
    assert sorted(a for (a,) in kept) == sorted([server.names["mia"], server.names["ana"]])
    again = as_("ana", "import", str(exported))  # the same file again: into the copy kept apart
    assert again.exit_code == 0
    assert again.stderr.endswith(
        "imported 0 new interview(s), updated 0, skipped 1 unchanged, 0 conflict(s)\n"
    )


def test_a_push_is_kept_apart_from_a_row_planted_under_its_uid(server, as_, tmp_path) -> None:
    from dataclasses import replace

    from leadcli.store.db import Store
    from leadcli.store.push import push_interviews
    from tests.reports_helpers import make_interview

    like = new_interview(as_, tmp_path, "ben", "Push Check")
    record = replace(
        make_interview({"track-record": ("typed offline", [], "low")}, interview_id="pp2345",
                       organization="Push Check"),
        uid=uuid.uuid4().hex,
    )  # fmt: skip
    planted = _plant(
        server, "ben", like=like, uid=record.uid, org="Push Check", created="2026-01-01T00:00:00+00:00"
    )
    lines = "SELECT count(*) FROM leadcli.note_lines WHERE interview_id = %s"
    with Store.open(tmp_path / "ana-laptop", url=server.url("ana")) as team:
        made, moved, _, _ = push_interviews(team, [record])
        kept, other = moved[record.id]
        assert made == {record.id} and other.startswith(f"{planted} (Push Check, created 2026-01-01")
        assert other.endswith("under its identity")
        again, moved_again, _, _ = push_interviews(team, [record])  # later pushes find the copy kept apart
    assert (again, moved_again[record.id][0]) == (set(), kept)
    assert server.admin(lines, (planted,)) == [(0,)]
    assert server.admin(lines, (kept,)) == [(1,)]
    assert server.admin("SELECT assigned_to FROM leadcli.interviews WHERE id = %s", (kept,)) == [
        (server.names["ana"],)
    ]


# --- 4. lines and history ----------------------------------------------------------------------


def test_a_lines_author_is_its_writer_its_text_fixed_and_the_history_only_grows(
    server, as_, tmp_path
) -> None:
    bens = new_interview(as_, tmp_path, "ben", "Line Check")
    ben = server.names["ben"]
    server.sql(
        "ben",
        "INSERT INTO note_lines (interview_id, question_id, id, stamp, author, text)"
        f" VALUES ('{bens}', 'track-record', '{'f' * 32}', 's', '{server.names['ana']}', 'said by ana?')",
    )
    assert server.admin(f"SELECT author, claimed_author FROM leadcli.note_lines WHERE id = '{'f' * 32}'") == [
        (ben, server.names["ana"])
    ]
    assert server.admin(f"SELECT author, claimed_author FROM leadcli.note_lines WHERE interview_id = '{bens}'"
                        " AND id <> %s", ("f" * 32,)) == [(ben, "")]  # fmt: skip
    assert (
        denied(server, "ben", f"UPDATE note_lines SET text = 'rewritten' WHERE interview_id = '{bens}'")
        == "42501"
    )
    assert (
        denied(server, "ben", f"UPDATE note_lines SET author = 'x' WHERE interview_id = '{bens}'") == "42501"
    )
    server.sql(
        "ben",
        "INSERT INTO value_history (interview_id, field, value, stamp, winner_stamp, at)"
        f" VALUES ('{bens}', 'f', '1', 's', 's', now())",
    )
    for person in ("ben", "mia"):
        assert denied(server, person, f"DELETE FROM value_history WHERE interview_id = '{bens}'") == "42501"
        assert (
            denied(server, person, f"UPDATE value_history SET value = '2' WHERE interview_id = '{bens}'")
            == "42501"
        )
    assert server.admin(f"SELECT value FROM leadcli.value_history WHERE interview_id = '{bens}'") == [("1",)]
    shown = json.loads(as_("mia", "show", bens, "-f", "json").stdout)
    authors = {line["author"] for line in shown["answers"]["track-record"]["lines"]}
    assert authors == {ben}


# --- 5. the export's trail row ----------------------------------------------------------------


def test_an_export_on_the_trail_counts_what_the_store_holds(server, as_, tmp_path) -> None:
    new_interview(as_, tmp_path, "ana", "Export Check")
    trail = "SELECT count(*) FROM leadcli.audit WHERE action = 'exported'"
    [(before,)] = server.admin(trail)
    for count in ("-99999", "-1", "1000000000", "NULL"):
        assert denied(server, "rex", f"SELECT note_export({count})") == "22023", count
    assert server.admin(trail) == [(before,)]
    assert as_("rex", "export", "-o", str(tmp_path / "x.json")).exit_code == 0
    assert server.admin(trail) == [(before + 1,)]


# --- 6. locks --------------------------------------------------------------------------------

_STRONG = (
    "ROW SHARE",
    "SHARE UPDATE EXCLUSIVE",
    "SHARE",
    "SHARE ROW EXCLUSIVE",
    "EXCLUSIVE",
    "ACCESS EXCLUSIVE",
)


def test_interviewers_and_readers_hold_no_lock_that_stalls_a_colleague(server, as_, tmp_path) -> None:
    """PostgreSQL 15 lets LOCK TABLE take ACCESS SHARE with SELECT, ROW EXCLUSIVE with INSERT, and
    every other mode only with table-level UPDATE, DELETE or TRUNCATE, which no interviewer or
    reader has on any table (column-level UPDATE does not count)."""
    import psycopg

    for person in ("ben", "rex"):
        for table in TABLES:
            for mode in _STRONG:
                with psycopg.connect(f"{server.url(person)}?options=-csearch_path%3Dleadcli") as connection:
                    with pytest.raises(psycopg.Error) as refused:
                        connection.execute(f"LOCK TABLE {table} IN {mode} MODE NOWAIT")
                    assert refused.value.sqlstate == "42501", (person, table, mode)
    # What ben may take, held open, is in nobody's way: ana adds a line and a reflection meanwhile.
    anas = new_interview(as_, tmp_path, "ana", "Lock Check")
    held = threading.Event()
    done = threading.Event()

    def hold() -> None:
        with psycopg.connect(f"{server.url('ben')}?options=-csearch_path%3Dleadcli") as connection:
            for table, kind in TABLES.items():
                if kind != "trail":
                    mode = "ROW EXCLUSIVE" if kind in ("interview", "part", "shared") else "ACCESS SHARE"
                    connection.execute(f"LOCK TABLE {table} IN {mode} MODE")
            held.set()
            done.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        reflection = tmp_path / "r.yaml"
        reflection.write_text("reflection: {fit: it fits, verdict: strong}\n", encoding="utf-8")
        started = time.monotonic()
        assert as_("ana", "reflect", anas, "--answers", str(reflection)).exit_code == 0
        assert as_("ana", "delete", anas, "--yes").exit_code == 0
        assert time.monotonic() - started < 5
    finally:
        done.set()
        holder.join()


# --- upgrading a store at 020 with rows in it -------------------------------------------------


@pytest.mark.parametrize("before", ["020_erasures", "022_line_trail_by_minute"])
def test_a_server_store_with_rows_upgrades_cleanly(postgres_database, monkeypatch, before: str) -> None:
    """A store at 020, or at 022 without 021 (022 landed first), with rows that the holes let be."""
    import psycopg

    from leadcli.store import migrations
    from leadcli.store.db import Store
    from leadcli.store.dialects.postgres import POSTGRES
    from leadcli.store.migrations import migrate
    from tests.conftest import require_postgres
    from tests.reports_helpers import make_interview

    base = require_postgres(postgres_database)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    connection = POSTGRES.connect(f"{base}?options=-csearch_path%3D{schema}")
    try:
        every = migrations.MIGRATIONS
        monkeypatch.setattr(migrations, "MIGRATIONS", [m for m in every if m[0] != "021_server_integrity"])
        migrate(connection, upto=before)
        monkeypatch.setattr(migrations, "MIGRATIONS", every)
        store = Store(connection)
        first = make_interview(
            {"track-record": ("held", [], "low")}, interview_id="old001", organization="Ünï  Org"
        )
        second = make_interview(
            {"track-record": ("kept", [], "strong")}, interview_id="old002", organization="Two"
        )
        store.interviews.insert(first)
        store.interviews.insert(second)
        with store.connection.transaction() as db:  # what the holes allowed before
            db.execute("UPDATE interviews SET org_key = 'hidden', interviewer_key = 'x' WHERE id = 'old001'")
            db.execute(
                "UPDATE interviews SET uid = (SELECT uid FROM interviews WHERE id = 'old001') WHERE id = 'old002'"
            )
            db.execute("INSERT INTO assessment_cache VALUES ('old001', 'r:x', '{\"a\": 1}')")
        ran = migrate(connection)
        assert ran[0] == "021_server_integrity" and before not in ran
        rows = connection.execute("SELECT id, org_key, uid FROM interviews ORDER BY id").fetchall()
        assert [(r[0], r[1]) for r in rows] == [("old001", name_key("Ünï  Org")), ("old002", "two")]
        assert rows[0][2] != rows[1][2] and len(rows[1][2]) == 32
        assert connection.execute("SELECT count(*) FROM assessment_cache").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM note_lines").fetchone()[0] == 2
        with Store(connection) as upgraded:
            assert upgraded.interviews.get("old001").answers["track-record"].notes == "held"
    finally:
        connection.close()
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def test_sqlite_stores_need_nothing_of_021(isolated_home: Path) -> None:
    from leadcli.store.db import Store

    with Store.open(isolated_home) as store:
        names = [r[0] for r in store.connection.execute("SELECT name FROM migrations")]
        columns = [r[1] for r in store.connection.execute("PRAGMA table_info(note_lines)")]
    assert "021_server_integrity" in names
    assert "claimed_author" not in columns
