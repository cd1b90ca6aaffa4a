"""What Enter costs in a live interview on a PostgreSQL team store 300 ms away, against the same on
the local SQLite store (the floor: a write to this machine's disk).

Both go through `interview.capture.Capture`, as `leadcli interview` does: on the server store each
line is written to the local replica and pushed by a background thread through a TCP proxy that
adds 150 ms each way (tests/faultproxy.py); on SQLite it is written to the store itself. The two
are interleaved line by line so other load on the machine weighs on both alike. Prints medians,
p95 and their ratio, and checks every line reached the server.
Usage: python bench/capture_latency.py [--lines 200] [--rtt-ms 300]
       [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
It works in a new database on that server, leadcli_bench_capture (dropped first if there).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--rtt-ms", type=float, default=300.0)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    from scale import _server_database
    from tests.faultproxy import FaultProxy

    from leadcli.content.loader import load_content
    from leadcli.interview.capture import Capture
    from leadcli.interview.session import begin_interview
    from leadcli.paths import builtin_data_dir
    from leadcli.store.db import Store
    from leadcli.store.records import Answer

    content = load_content(builtin_data_dir())
    server = _server_database(args.database_url, "leadcli_bench_capture")
    Store.open(Path(), url=server).close()  # the schema exists before the clock starts
    parts = urlsplit(server)
    details = {"organization": "Bench", "interviewer": "Kim", "region": "", "contacts": []}
    question = content.questions.questions[0].id
    with (
        tempfile.TemporaryDirectory() as tmp,
        FaultProxy((parts.hostname, parts.port), delay=args.rtt_ms / 2000) as link,
    ):
        far = Capture(Path(tmp) / "far", url=link.url(server), show=lambda _: None)
        near = Capture(Path(tmp) / "near", url=None, show=lambda _: None)
        far_record = begin_interview(far, content, **details)
        near_record = begin_interview(near, content, **details)
        lines, on_server, on_disk = [], [], []
        for n in range(args.lines):
            lines.append(f"typed line {n} of the notes")
            notes = "\n".join(lines)
            started = time.perf_counter()
            far.interviews.save_answer(far_record.id, Answer(question_id=question, notes=notes))
            on_server.append(time.perf_counter() - started)
            started = time.perf_counter()
            near.interviews.save_answer(near_record.id, Answer(question_id=question, notes=notes))
            on_disk.append(time.perf_counter() - started)
        far.pusher.finish(60)  # type: ignore[union-attr]
        left = far.waiting_lines()
        far.close()
        near.close()
    with Store.open(Path(), url=server) as team:
        reached = team.interviews.get(far_record.id).answers[question].notes.count("\n") + 1

    def ms(values: list[float], q: int) -> float:
        return statistics.quantiles(values, n=100)[q - 1] * 1000

    print(f"Enter in a live interview, {args.lines} lines, team store {args.rtt_ms:.0f} ms away:")
    for label, values in (
        ("server store (replica + push)", on_server),
        ("local SQLite store (floor)", on_disk),
    ):
        print(f"  {label:29}  median {ms(values, 50):6.2f} ms   p95 {ms(values, 95):6.2f} ms")
    print(
        f"  ratio (median)                 {statistics.median(on_server) / statistics.median(on_disk):.2f}x"
    )
    print(f"  lines on the server after the push: {reached} of {args.lines} ({left} waiting)")


if __name__ == "__main__":
    main()
