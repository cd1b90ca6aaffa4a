"""The store: migrations, ids, atomic writes."""

from __future__ import annotations

import json
import sqlite3

import pytest

from leadcli.interview.session import begin_interview
from leadcli.store.connection import StoreError
from leadcli.store.db import Store
from leadcli.store.migrations import MIGRATIONS
from leadcli.store.records import Answer
from leadcli.store.snapshots import snapshot_data


def names(home) -> list[str]:
    with sqlite3.connect(home / "leadcli.db") as db:
        return [r[0] for r in db.execute("SELECT name FROM migrations ORDER BY name")]


def test_a_store_from_the_first_migration_upgrades_cleanly(isolated_home, content) -> None:
    # Write an interview the way the first schema held it: its own copy of the questions.
    Store.open(isolated_home, migrate_upto="001_interviews").close()
    snapshot = json.dumps(snapshot_data(content.questions.questions, content.questions.reflection.questions))
    with sqlite3.connect(isolated_home / "leadcli.db") as db:
        db.execute(
            "INSERT INTO interviews VALUES ('old001', 'Acme', 'Kim', '', 'draft', 1, '2025-01-01T00:00:00+00:00',"
            " '2025-01-01T00:00:00+00:00', 'f1', 'fa', 'q1', 'qa', ?)",
            (snapshot,),
        )
        db.execute("INSERT INTO contacts VALUES ('old001', 0, 'A', 'CEO', 'core')")
        db.execute(
            "INSERT INTO answers VALUES ('old001', 'track-record', 'explored', 'kept', '[]', 'low', '2025-01-01')"
        )
    assert names(isolated_home) == ["001_interviews"]
    with Store.open(isolated_home) as upgraded:
        assert names(isolated_home) == [name for name, _ in MIGRATIONS]
        again = upgraded.interviews.get("old001")
        assert again.answers["track-record"].notes == "kept"
        assert again.snapshot.questions == content.questions.questions
        assert [(s.id, s.questions) for s in upgraded.interviews.summaries(organization="acm")[0]] == [
            ("old001", 5)
        ]
        indexes = {
            r[0] for r in upgraded.connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        assert "interviews_by_org_key" in indexes and "interviews_by_organization" not in indexes
        leftover = upgraded.connection.execute("SELECT snapshot FROM interviews").fetchone()[0]
        assert leftover == ""  # the copy moved into the shared snapshots table


@pytest.mark.usefixtures("store_backend")
def test_interviews_with_the_same_questions_share_one_snapshot(isolated_home, content) -> None:
    with Store.open(isolated_home) as store:
        for n in range(3):
            begin_interview(store, content, organization=f"O{n}", interviewer="K", region="", contacts=[])
        assert store.connection.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 1


def test_migrations_run_once(isolated_home) -> None:
    Store.open(isolated_home).close()
    Store.open(isolated_home).close()
    assert names(isolated_home) == [name for name, _ in MIGRATIONS]


def test_store_from_a_newer_leadcli_is_refused(isolated_home, run) -> None:
    Store.open(isolated_home).close()
    with sqlite3.connect(isolated_home / "leadcli.db") as db:
        db.execute("INSERT INTO migrations VALUES ('999_future', 'x')")
    result = run("list")
    assert result.exit_code == 1
    assert result.stderr == (
        "leadcli: error: this store was written by a newer leadcli (it has migration 999_future);"
        " upgrade leadcli to use it\n"
    )


def test_not_a_database(isolated_home, run) -> None:
    (isolated_home / "leadcli.db").write_bytes(b"this is not sqlite" * 100)
    result = run("list")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"leadcli: error: cannot open the store {isolated_home / 'leadcli.db'}: ")
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("store_backend")
def test_failed_write_leaves_what_was_there(isolated_home, content) -> None:
    with Store.open(isolated_home) as store:
        record = begin_interview(store, content, organization="A", interviewer="B", region="", contacts=[])
        store.interviews.save_answer(record.id, Answer(question_id="track-record", notes="original"))
        with pytest.raises(StoreError, match="nothing was changed"), store.transaction() as db:
            db.execute("UPDATE answers SET notes = 'half-written' WHERE interview_id = ?", (record.id,))
            db.execute("UPDATE answers SET rating = 'excellent' WHERE interview_id = ?", (record.id,))
        assert store.interviews.get(record.id).answers["track-record"].notes == "original"


@pytest.mark.sqlite_only  # the SQLite store's setup lock on its home folder
def test_a_store_another_process_is_setting_up_is_waited_for(tmp_path) -> None:
    """Two processes starting on a new store at once: one sets it up, the other waits (once,
    the loser's failed setup removed the winner's file, and both exited 1)."""
    import fcntl
    import os
    import threading

    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    held = os.open(home, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    opened: list[int] = []

    def open_store() -> None:
        with Store.open(home) as store:
            opened.append(store.interviews.summaries()[1])

    worker = threading.Thread(target=open_store)
    worker.start()
    worker.join(0.5)
    try:
        assert worker.is_alive() and not (home / "leadcli.db").exists()
    finally:
        os.close(held)  # releases the lock
    worker.join(15)
    assert opened == [0]


@pytest.mark.sqlite_only
def test_many_processes_opening_a_new_store_at_once_all_succeed(tmp_path) -> None:
    import subprocess
    import sys
    import time

    home = tmp_path / "home"
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from leadcli.store.db import Store\n"
        "while time.time() < float(sys.argv[2]): pass\n"
        "with Store.open(Path(sys.argv[1])) as store: store.interviews.summaries()\n"
    )
    start = str(time.time() + 1.5)
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(home), start], stderr=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    results = [(p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in procs]
    assert [code for code, _ in results] == [0] * 6, [err for _, err in results if err]
    assert names(home) == [name for name, _ in MIGRATIONS]


def test_locked_store_gives_a_one_line_error(isolated_home, content) -> None:
    with Store.open(isolated_home) as store:
        record = begin_interview(store, content, organization="A", interviewer="B", region="", contacts=[])
    holder = sqlite3.connect(isolated_home / "leadcli.db", timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = Store.open(isolated_home)
        store.connection.execute("PRAGMA busy_timeout = 100")
        with pytest.raises(StoreError, match="is locked by another process"):
            store.interviews.save_answer(record.id, Answer(question_id="track-record", notes="x"))
        store.close()
    finally:
        holder.rollback()
        holder.close()


def test_a_read_only_store_is_read_as_it_is_with_or_without_its_wal(
    isolated_home, content, monkeypatch
) -> None:
    import os

    writer = Store.open(isolated_home)
    first = begin_interview(
        writer, content, organization="In the WAL", interviewer="K", region="", contacts=[]
    )
    wal = isolated_home / "leadcli.db-wal"
    assert wal.exists() and wal.stat().st_size > 0  # the interview is in the WAL, not yet in the file
    before = sorted(p.name for p in isolated_home.iterdir())
    real_access = os.access  # tests may run as root, for whom chmod hides nothing
    monkeypatch.setattr(
        "leadcli.store.dialects.sqlite.os.access",
        lambda p, mode: False if mode & os.W_OK else real_access(p, mode),
    )
    with Store.open(isolated_home) as reader:
        assert reader.read_only
        assert [s.organization for s in reader.interviews.summaries()[0]] == ["In the WAL"]
        with pytest.raises(StoreError, match="is read-only"):
            reader.interviews.save_answer(first.id, Answer(question_id="track-record", notes="x"))
    writer.close()  # the last connection folds the WAL into the file and removes it
    assert not wal.exists()
    with Store.open(isolated_home) as reader:
        assert [s.organization for s in reader.interviews.summaries()[0]] == ["In the WAL"]
        assert reader.interviews.get(first.id).organization == "In the WAL"
    assert sorted(p.name for p in isolated_home.iterdir()) == [
        n for n in before if not n.startswith("leadcli.db-")
    ]
