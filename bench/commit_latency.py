"""Commit latency per typed line: `Interviews.add_line` against a bare INSERT + COMMIT (the floor).

Each typed line of a live interview is one `add_line`: one new row of `note_lines`, whatever the
length of the notes already there, checked against the lease the interview holds (this bench takes
one, as `interview/capture.py` does). In the SQLite file that is one INSERT committed on its own,
writing one page (the line's row: the file's trail records typing to the minute, migration
022_line_trail_by_minute); on a server one call of `add_note_line` sent alone, one round trip
(migration 016_one_call_lines). This times N of them on an answer that
already holds about 1 KB and about 1 MB of notes and, on the same store, N bare one-row INSERT +
COMMIT into a scratch table (BEGIN, INSERT, COMMIT: on a server three round trips), interleaved so
that other load on the machine weighs on both alike. Target: within 1.5x of the floor at both sizes.

In the SQLite file it also times the same row (the line's, the trail's trigger run as for a line)
written by sqlite3 alone, no leadcli code: the least a line can cost there, one 16 KiB WAL frame
as the floor writes. Two more rows say what the medians leave out: about
once a minute of typing a line also moves the interview's updated_at
(`store.interviews.TOUCH_SECONDS`), timed apart on `--lines // 5` lines each made to move it; and
with a server store the typist waits for this machine's replica, not the server (`store/replica.py`:
SQLite, the line's row and the count of what waits, in one transaction; no trail), timed the same
way against a floor in the replica's file.

Usage: python bench/commit_latency.py [--lines 300] [--database-url postgresql://.../postgres]
On a server it works in a new database, leadcli_bench_latency (dropped first if there).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from leadcli.content.loader import load_content
from leadcli.interview.capture import lease_for
from leadcli.interview.session import begin_interview
from leadcli.paths import builtin_data_dir
from leadcli.store.db import Store
from leadcli.store.identity import ordered_id
from leadcli.store.records import Answer

LINE = "typed line of the notes, about a hundred characters long, as an interviewer types them .."
LONG_AGO = "2000-01-01T00:00:00+00:00"
BOUNDS: list[float] = []  # SQLite: a line's row by sqlite3 alone (its trigger too), over the floor


def one_size(
    store: Store, home: Path, content, existing: int, lines: int, *, touching: bool = False
) -> tuple[list[float], list[float]]:
    """(per line, floor) seconds for `lines` lines typed onto `existing` bytes of notes; with
    `touching`, each line made to move the interview's updated_at (set back, untimed, before it)."""
    record = begin_interview(store, content, organization="Bench", interviewer="x", region="", contacts=[])
    store.leases.take(lease_for(store, record.id, home))  # as a live interview holds it
    question = content.questions.questions[0].id
    answer = Answer(question_id=question, notes="\n".join([LINE] * max(1, existing // (len(LINE) + 1))))
    store.interviews.save_answer(record.id, answer)  # the notes already there, as lines
    db = store.connection
    db.execute("CREATE TABLE IF NOT EXISTS bench_floor (n INTEGER, text TEXT)")
    per_line, floor, bound = [], [], []
    for n in range(lines):  # interleaved, one of each per line
        if touching:
            db.execute("UPDATE interviews SET updated_at = ? WHERE id = ?", (LONG_AGO, record.id))
            store.interviews._touched.clear()
        start = time.perf_counter()
        store.interviews.add_line(record.id, answer, f"{LINE} {n}")
        per_line.append(time.perf_counter() - start)
        start = time.perf_counter()
        db.execute(db.dialect.begin_write)
        db.execute("INSERT INTO bench_floor (n, text) VALUES (?, ?)", (n, LINE))
        db.execute("COMMIT")
        floor.append(time.perf_counter() - start)
        if not db.dialect.shared:  # the same row (one more line of the answer) by sqlite3 alone
            start = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO note_lines (interview_id, question_id, id, stamp, author, text)"
                " VALUES (?, ?, ?, '', 'bench', ?)",
                (record.id, question, ordered_id(), LINE),  # ids as leadcli makes them: after the others
            )
            db.execute("COMMIT")
            bound.append(time.perf_counter() - start)
    db.execute("DROP TABLE bench_floor")
    if bound:
        db.execute("DELETE FROM note_lines WHERE author = 'bench'")
        BOUNDS.append(statistics.median(bound) / statistics.median(floor))
    assert store.interviews.get(record.id).answers[question].notes == answer.notes
    if touching:
        assert store.interviews.updated_times([record.id])[record.id] > LONG_AGO
    store.leases.release()
    store.interviews.delete(record.id)
    return per_line, floor


def report(label: str, per_line: list[float], floor: list[float]) -> None:
    median, base = statistics.median(per_line), statistics.median(floor)
    p95 = statistics.quantiles(per_line, n=100)[94]
    print(
        f"  {label}: add_line median {median * 1000:6.2f} ms (p95 {p95 * 1000:6.2f}),"
        f" bare INSERT + COMMIT {base * 1000:6.2f} ms, ratio {median / base:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    content = load_content(builtin_data_dir())
    if args.database_url:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from scale import _server_database

        args.database_url = _server_database(args.database_url, "leadcli_bench_latency")
        from generate import _set_up_server

        _set_up_server(args.database_url)
    where = "PostgreSQL" if args.database_url else "SQLite"
    few = max(20, args.lines // 5)
    print(f"{where}, {args.lines} lines each ({few} where updated_at moves):")
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp), url=args.database_url) as store:
        for label, size in (("1 KB", 1_000), ("1 MB", 1_000_000)):
            report(f"{label} of notes", *one_size(store, Path(tmp), content, size, args.lines))
        if BOUNDS:
            print(
                "  the least a line costs (its row, by sqlite3 alone):"
                f" {' and '.join(f'{b:.2f}x' for b in BOUNDS)} the floor"
            )
        for label, size in (("1 KB", 1_000), ("1 MB", 1_000_000)):
            moved = one_size(store, Path(tmp), content, size, few, touching=True)
            report(f"{label}, updated_at moved", *moved)
    from leadcli.store.replica import Replica

    print(
        f"this machine's replica (where a line typed on a server store is written first), {args.lines} lines:"
    )
    with tempfile.TemporaryDirectory() as tmp, Replica.open_in(Path(tmp)) as replica:
        for label, size in (("1 KB", 1_000), ("1 MB", 1_000_000)):
            report(f"{label} of notes", *one_size(replica, Path(tmp), content, size, args.lines))


if __name__ == "__main__":
    main()
