"""The trail and the erasure on the SQLite file (documents, single user); passwords never printed;
multi-host and service URLs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

from tests.conftest import require_postgres


def interview(run, tmp_path: Path, org: str, **extra: str) -> str:
    path = tmp_path / f"{org}.yaml"
    text = f"organization: {org}\ninterviewer: Kim\ncontacts: [{{name: Dr Zed Quux, level: executive}}]\n"
    text += "answers:\n  track-record: {notes: 'held the line', rating: low}\n"
    text += "".join(f"{k}: {v}\n" for k, v in extra.items())
    path.write_text(text, encoding="utf-8")
    made = run("interview", "--answers", str(path))
    assert made.exit_code == 0, made.output
    return json.loads(run("list", "-f", "json").stdout)["interviews"][0]["id"]


def test_the_sqlite_file_keeps_the_same_trail(run, tmp_path, isolated_home) -> None:
    import getpass

    me = getpass.getuser()
    made = interview(run, tmp_path, "Acme Health", reflection="{verdict: limited}")
    again = tmp_path / "r.yaml"
    again.write_text("reflection: {verdict: strong}\n", encoding="utf-8")
    assert run("reflect", made, "--answers", str(again)).exit_code == 0
    assert run("outcome", "Acme Health", "--result", "engaged").exit_code == 0
    assert run("export", "-o", str(tmp_path / "x.json")).exit_code == 0
    assert run("delete", made, "--yes").exit_code == 0
    history = json.loads(run("history", made, "-f", "json").stdout)["entries"]
    assert [(e["actor"], e["action"], e["detail"]) for e in history] == [
        (me, "created", ""),
        (me, "line added", "track-record"),
        (me, "rated", "track-record: low"),
        (me, "reflected", "limited"),
        (me, "reflected", "strong"),
        (me, "deleted", ""),
    ]
    trail = json.loads(run("audit", "--user", me, "-f", "json").stdout)["entries"]
    assert [e["action"] for e in trail][-3:] == ["outcome recorded", "exported", "deleted"]
    assert "held the line" not in json.dumps(trail)
    shown = run("history", made)
    assert shown.exit_code == 0 and "line added" in shown.stdout
    assert json.loads(run("audit", "--since", "2999-01-01", "-f", "json").stdout)["entries"] == []
    bad = run("audit", "--since", "yesterday")
    assert (bad.exit_code, bad.stderr) == (
        2,
        "leadcli: error: --since 'yesterday' is not a date (YYYY-MM-DD)\n",
    )


def test_the_trail_keeps_its_entries_and_order_when_016_drops_autoincrement(isolated_home) -> None:
    """016_one_call_lines makes the file's trail anew without AUTOINCREMENT (a typed line's commit
    then writes no sqlite_sequence page): every entry stays, in its order, and new ones follow."""
    from leadcli.store.db import Store
    from leadcli.store.dialects.sqlite import SQLITE

    old = SQLITE.open(isolated_home, migrate_upto="015_lease_machine")
    old.executemany(
        "INSERT INTO audit (at, actor, action, record_id, detail) VALUES (?, 'kim', ?, 'abc234', '')",
        [("2026-11-02T10:00:00+00:00", "created"), ("2026-11-02T10:00:01+00:00", "line added")],
    )
    before = old.execute("SELECT * FROM audit ORDER BY id").fetchall()
    old.close()
    with Store.open(isolated_home) as store:
        db = store.connection
        assert [tuple(r) for r in db.execute("SELECT * FROM audit ORDER BY id")] == [tuple(r) for r in before]
        table = db.execute("SELECT sql FROM sqlite_master WHERE name = 'audit'").fetchone()[0]
        assert "AUTOINCREMENT" not in table
        assert db.execute("SELECT count(*) FROM sqlite_sequence WHERE name = 'audit'").fetchone()[0] == 0
        store.trail.note_export(1)
        entries = store.trail.list()
        assert [e.action for e in entries] == ["created", "line added", "exported"]
        assert [e.action for e in store.trail.history("abc234")] == ["created", "line added"]


def test_a_line_written_alone_is_on_the_trail_in_the_stores_name_whatever_the_context_held(
    isolated_home,
) -> None:
    """In the file a typed line is one INSERT committed alone, made only while the trail's context
    names this store's user and no action; a context left otherwise (another user's write, an
    import's action) is set first, in a transaction, so the trail row is right either way. (The
    file's trail has one entry a minute of typing on a question: each line here is made to start
    a minute of its own by moving the entry before it back.)"""
    from leadcli.interview.session import begin_interview
    from leadcli.store.db import Store
    from leadcli.store.records import Answer
    from tests.reports_helpers import CONTENT

    with Store.open(isolated_home) as store:
        made = begin_interview(store, CONTENT, organization="Acme", interviewer="Kim", region="", contacts=[])
        answer = Answer(question_id="track-record")
        db = store.connection
        earlier = "UPDATE audit SET at = '2026-11-02T10:00:00+00:00' WHERE id = (SELECT max(id) FROM audit)"
        store.interviews.add_line(made.id, answer, "first")  # the answer's row too, in a transaction
        db.execute(earlier)
        store.interviews.add_line(made.id, answer, "alone")
        db.execute(earlier)
        db.execute("UPDATE audit_context SET actor = 'someone else', action = 'imported'")
        store.interviews.add_line(made.id, answer, "after an import's context")
        db.execute(earlier)
        store.interviews.add_line(made.id, answer, "alone again")
        lines = [(e.actor, e.detail) for e in store.trail.history(made.id) if e.action == "line added"]
        assert lines == [(store.user, "track-record")] * 4
        kept = store.interviews.get(made.id).answers["track-record"]
        assert kept.notes == "first\nalone\nafter an import's context\nalone again"


def test_an_erasure_in_the_file_leaves_no_byte_of_the_organization(run, tmp_path, isolated_home) -> None:
    kept = interview(run, tmp_path, "Keep Clinic")
    interview(run, tmp_path, "Zeta Erasure Clinic")
    interview(run, tmp_path, "zeta erasure clinic")
    assert (
        run("outcome", "Zeta Erasure Clinic", "--result", "declined", "--note", "Zeta said no").exit_code == 0
    )
    refused = run("delete", "--org", "Zeta")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "leadcli: error: nothing is recorded for an organization named 'Zeta' (exact name, any case)\n",
    )
    erased = run("delete", "--org", "ZETA ERASURE CLINIC", "--yes")
    assert erased.stderr == (
        "leadcli: erased 3 record(s) of ZETA ERASURE CLINIC; the trail keeps only that an erasure happened\n"
    )
    db = sqlite3.connect(isolated_home / "leadcli.db")
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        rows = " ".join(map(str, db.execute(f"SELECT * FROM {table}").fetchall()))
        assert "Zeta" not in rows and "zeta" not in rows, table
    assert list(db.execute("SELECT action, detail FROM audit WHERE action = 'erased'")) == [
        ("erased", "an organization: 2 interview(s), 1 outcome(s)")
    ]
    db.close()
    for file in isolated_home.glob("leadcli.db*"):  # nor in the file's free pages or its WAL
        assert b"Zeta" not in file.read_bytes() and b"zeta erasure" not in file.read_bytes(), file
    for fmt in ("json", "csv"):
        exported = run("export", "-f", fmt).stdout
        assert "Zeta" not in exported and kept in exported
    usage = run("delete", "--org", "Keep Clinic", kept)
    assert usage.exit_code == 2


# --- passwords ---------------------------------------------------------------------------------

HARD = ["Xq7 Zr9", "Xq7%Zr9", "Xq7/Zr9", "Xq7?Zr9", "Xq7#Zr9", "Xq7@Zr9"]
VISIBLE = "leadcli: a password on the command line is visible to other users of this machine (ps);"


def assert_hidden(text: str, password: str) -> None:
    for piece in (password, quote(password, safe=""), "Xq7", "Zr9"):
        assert piece not in text, (piece, text)


@pytest.mark.parametrize("password", HARD)
def test_no_password_character_reaches_any_output(run, monkeypatch, password) -> None:
    raw = f"postgresql://kim:{password}@127.0.0.1:1/leadcli"
    encoded = f"postgresql://kim:{quote(password, safe='')}@127.0.0.1:1/leadcli"
    in_query = f"postgresql://kim@127.0.0.1:1/leadcli?password={quote(password, safe='')}&sslmode=disable"
    for url in (raw, encoded, in_query):
        for args in (("--database-url", url, "list"), ("--database-url", url, "home")):
            result = run(*args)
            assert_hidden(result.output, password)
            assert result.stderr.count(VISIBLE) == 1  # said once, on the command line only
        monkeypatch.setenv("LEADCLI_DATABASE_URL", url)
        for args in (("list",), ("home",), ("admin", "migrate"), ("summary",)):
            result = run(*args)
            assert_hidden(result.output, password)
            assert VISIBLE not in result.stderr
            if args != ("home",):
                assert result.exit_code != 0 and result.stderr.count("\n") == 1, result.stderr
        monkeypatch.delenv("LEADCLI_DATABASE_URL")
    refused = run("--database-url", raw, "list")
    assert refused.exit_code == 2
    assert "percent-encoded" in refused.stderr and "~/.pgpass, a service file or PGPASSWORD" in refused.stderr
    reached = run("--database-url", encoded, "list")
    assert "cannot reach the database server (postgresql://kim:****@127.0.0.1:1/leadcli)" in reached.stderr
    assert run("--database-url", in_query, "home").stdout == (
        "postgresql://kim@127.0.0.1:1/leadcli?password=****&sslmode=disable\n"
    )


def test_multi_host_and_service_urls_work(postgres_url, run, monkeypatch, tmp_path) -> None:
    parts = urlsplit(require_postgres(postgres_url))
    schema = parts.query.rsplit("%3D", 1)[1]
    host, port, database = parts.hostname, parts.port or 5432, parts.path.lstrip("/")
    dead = f"127.0.0.1:{1}"
    multi = urlunsplit(parts._replace(netloc=f"{parts.username}:p%40ss@{dead},{host}:{port}"))
    monkeypatch.setenv("LEADCLI_DATABASE_URL", multi)
    listed = run("list", "-f", "json")
    assert (listed.exit_code, json.loads(listed.stdout)["interviews"], listed.stderr) == (0, [], "")
    assert (
        run("home").stdout
        == f"postgresql://{parts.username}:****@{dead},{host}:{port}/{database}?{parts.query}\n"
    )

    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[leadteam]\nhost={host}\nport={port}\ndbname={database}\nuser={parts.username}\n"
        f"options=-csearch_path={schema}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    for url in ("postgresql://?service=leadteam", "postgresql:///?service=leadteam"):
        monkeypatch.setenv("LEADCLI_DATABASE_URL", url)
        answers = tmp_path / "a.yaml"
        answers.write_text("organization: Service Check\ninterviewer: Kim\n", encoding="utf-8")
        assert run("interview", "--answers", str(answers)).exit_code == 0
    monkeypatch.setenv("LEADCLI_DATABASE_URL", multi)
    assert [r["organization"] for r in json.loads(run("list", "-f", "json").stdout)["interviews"]] == [
        "Service Check"
    ] * 2
