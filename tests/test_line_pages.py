"""A typed line's commit in a file writes one page (issue 19, speed), and the trail still says who
typed into which question, to the minute (022_line_trail_by_minute). Pages are counted as frames
added to the write-ahead log, not timed."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

from leadcli.interview.capture import lease_for
from leadcli.interview.session import begin_interview
from leadcli.store.db import Store
from leadcli.store.records import Answer
from leadcli.store.replica import Replica
from tests.reports_helpers import CONTENT

FRAME = 24  # each WAL frame: a 24-byte header and one page


def a_minute_to_spare() -> None:
    """Wait, if need be, until the minute has at least 10 s left (what a test expects to fall in
    one minute of the trail's then does)."""
    while datetime.now(timezone.utc).second >= 50:
        time.sleep(0.5)


def pages_per_line(store: Store, home: Path, lines: int = 5) -> list[float]:
    """How many pages each of `lines` typed lines (after the answer's first two) adds to the WAL."""
    made = begin_interview(store, CONTENT, organization="Acme", interviewer="Kim", region="", contacts=[])
    store.leases.take(lease_for(store, made.id, home))  # as a live interview holds it
    answer = Answer(question_id="track-record")
    store.interviews.add_line(made.id, answer, "first")  # the answer's row too
    store.interviews.add_line(made.id, answer, "second")
    db = store.connection
    db.execute("PRAGMA wal_autocheckpoint=0")  # the log only grows while this counts
    page = db.execute("PRAGMA page_size").fetchone()[0]
    wal = Path(db.where + "-wal")
    counted = []
    for n in range(lines):
        before = wal.stat().st_size
        store.interviews.add_line(made.id, answer, f"line {n}")
        counted.append((wal.stat().st_size - before) / (page + FRAME))
    assert store.interviews.get(made.id).answers["track-record"].notes.endswith(f"line {lines - 1}")
    return counted


def test_a_typed_line_in_the_sqlite_store_writes_one_page(isolated_home) -> None:
    a_minute_to_spare()
    with Store.open(isolated_home) as store:
        assert pages_per_line(store, isolated_home) == [1.0] * 5


def test_a_typed_line_in_the_replica_writes_its_row_and_the_count_of_what_waits_no_trail(
    isolated_home,
) -> None:
    with Replica.open_in(isolated_home) as replica:
        assert pages_per_line(replica, isolated_home) == [2.0] * 5
        db = replica.connection
        assert db.execute("SELECT count(*) FROM audit WHERE action = 'line added'").fetchone()[0] == 0
        (waiting,) = replica.waiting()
        assert waiting.lines >= 7  # every line counted as waiting all the same
    with Replica.open_in(isolated_home) as again:  # opened again: still no trail of lines
        settings = again.connection.execute("SELECT value FROM store_settings WHERE name = 'trail_of_lines'")
        assert [tuple(r) for r in settings] == [("none",)]


def test_the_files_trail_records_typing_by_question_and_minute(isolated_home) -> None:
    """A run of lines on one question in one minute is one `line added`; a line on another
    question, after another entry, or in a later minute makes its own; nothing typed is in it."""
    a_minute_to_spare()
    with Store.open(isolated_home) as store:
        made = begin_interview(store, CONTENT, organization="Acme", interviewer="Kim", region="", contacts=[])
        first, second = Answer(question_id="track-record"), Answer(question_id="quality-planning")
        for text in ("one", "two", "three"):
            store.interviews.add_line(made.id, first, text)
        store.interviews.add_line(made.id, second, "other question")
        store.interviews.add_line(made.id, first, "back again")
        first.rating = "low"
        store.interviews.save_answer(made.id, first)
        store.interviews.add_line(made.id, first, "after the rating")
        db = store.connection
        db.execute("UPDATE audit SET at = '2026-11-02T10:00:00+00:00' WHERE id = (SELECT max(id) FROM audit)")
        store.interviews.add_line(made.id, first, "a minute later")
        store.interviews.add_line(made.id, first, "and on")
        trail = [(e.actor, e.action, e.detail) for e in store.trail.history(made.id)]
        me = store.user
        assert trail == [
            (me, "created", ""),
            (me, "line added", "track-record"),
            (me, "line added", "quality-planning"),
            (me, "line added", "track-record"),
            (me, "rated", "track-record: low"),
            (me, "line added", "track-record"),
            (me, "line added", "track-record"),
        ]
        kept = store.interviews.get(made.id).answers["track-record"]
        assert [line.text for line in kept.lines] == [
            "one", "two", "three", "back again", "after the rating", "a minute later", "and on",
        ]  # fmt: skip


def test_022_keeps_the_files_trail_and_only_changes_what_a_line_adds(isolated_home) -> None:
    from leadcli.store.dialects.sqlite import SQLITE

    old = SQLITE.open(isolated_home, migrate_upto="020_erasures")
    old.executemany(
        "INSERT INTO audit (at, actor, action, record_id, detail) VALUES (?, 'kim', ?, 'abc234', ?)",
        [("2026-11-02T10:00:00+00:00", "created", ""), ("2026-11-02T10:00:01+00:00", "line added", "q")] * 2,
    )
    before = old.execute("SELECT * FROM audit ORDER BY id").fetchall()
    old.close()
    with Store.open(isolated_home) as store:
        after = store.connection.execute("SELECT * FROM audit ORDER BY id").fetchall()
        assert [tuple(r) for r in after] == [tuple(r) for r in before]
        assert "022_line_trail_by_minute" in [
            r[0] for r in store.connection.execute("SELECT name FROM migrations")
        ]
