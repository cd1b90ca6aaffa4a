"""Commit latency per typed line: `Store.save_answer` against a bare INSERT + COMMIT (the floor).

Each typed line of a live interview is one `save_answer` (its own transaction). This times N of
them on one interview and, on the same store, N bare one-row INSERT + COMMIT into a scratch table,
the two interleaved so that other load on the machine weighs on both alike.
Usage: python bench/commit_latency.py [--lines 500] [--database-url postgresql://.../postgres]
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
from leadcli.interview.session import begin_interview
from leadcli.paths import builtin_data_dir
from leadcli.store.db import Store
from leadcli.store.records import Answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    content = load_content(builtin_data_dir())
    if args.database_url:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from scale import _server_database

        args.database_url = _server_database(args.database_url, "leadcli_bench_latency")
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp), url=args.database_url) as store:
        record = begin_interview(
            store, content, organization="Bench", interviewer="x", region="", contacts=[]
        )
        question = content.questions.questions[0].id
        db = store.connection
        db.execute("CREATE TABLE IF NOT EXISTS bench_floor (n INTEGER, text TEXT)")
        # Interleaved, one of each per line, so whatever else the machine is doing weighs on both.
        lines, per_line, floor = [], [], []
        for n in range(args.lines):
            lines.append(f"typed line {n} of the notes")
            start = time.perf_counter()
            store.interviews.save_answer(record.id, Answer(question_id=question, notes="\n".join(lines)))
            per_line.append(time.perf_counter() - start)
            start = time.perf_counter()
            db.execute(db.dialect.begin_write)
            db.execute("INSERT INTO bench_floor (n, text) VALUES (?, ?)", (n, "typed line"))
            db.execute("COMMIT")
            floor.append(time.perf_counter() - start)
        db.execute("DROP TABLE bench_floor")
        store.interviews.delete(record.id)
    where = "PostgreSQL" if args.database_url else "SQLite"

    def ms(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100)[int(q) - 1] * 1000

    print(f"{where}, {args.lines} lines:")
    print(f"  save_answer per line   median {ms(per_line, 50):6.2f} ms   p95 {ms(per_line, 95):6.2f} ms")
    print(f"  bare INSERT + COMMIT   median {ms(floor, 50):6.2f} ms   p95 {ms(floor, 95):6.2f} ms")
    print(f"  ratio (median)         {statistics.median(per_line) / statistics.median(floor):.2f}x")


if __name__ == "__main__":
    main()
