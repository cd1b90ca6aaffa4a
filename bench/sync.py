"""`leadcli sync` of 1,000 waiting lines, against a floor: the same records written in one bulk
transaction (`Interviews.write`), the least a store can do to hold them.

The replica holds 20 interviews typed offline, 50 lines each (one `add_line` each, as typed).
Each round copies that replica and syncs it into an empty team store (the interviews are created
there), syncs it into a team store that already has the same interviews without those lines (they
are merged in: the usual case, lines typed while the server was away), and writes the same final
records into another empty store of the same kind; rounds alternate so that other load on the
machine weighs on both alike. Prints medians and their ratios. A push reads the team's copies of
the waiting interviews a table at a time (`Interviews.load_many`) and writes what the merges add a
table at a time (`Writes`): on a server the merged sync is a couple of dozen statements in all,
not several per interview.
Usage: python bench/sync.py [--rounds 5] [--database-url postgresql://.../postgres]
On a server it works in new databases leadcli_bench_sync_*, dropped first if there.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

INTERVIEWS, LINES_EACH = 20, 50


def build_replica(home: Path, content) -> list:
    """A replica in `home` with INTERVIEWS x LINES_EACH waiting lines; the final records."""
    from leadcli.interview.session import content_stamp
    from leadcli.store.records import Answer
    from leadcli.store.replica import Replica
    from leadcli.store.snapshots import snapshot_data

    snapshot = snapshot_data(content.questions.questions, content.questions.reflection.questions)
    questions = [q.id for q in content.questions.questions]
    records = []
    with Replica.open_in(home) as replica:
        for n in range(INTERVIEWS):
            interview_id = replica.interviews.create(
                organization=f"Offline {n}", interviewer="Kim", region="", contacts=[],
                stamp=content_stamp(content), snapshot_data=snapshot,
            )  # fmt: skip
            answers: dict[str, Answer] = {}
            for line in range(LINES_EACH):
                question = questions[line % len(questions)]
                answer = answers.setdefault(question, Answer(question_id=question))
                replica.interviews.add_line(
                    interview_id, answer, f"line {line} of interview {n}, typed on the train"
                )
            records.append(replica.interviews.get(interview_id))
        assert sum(w.lines for w in replica.waiting()) == INTERVIEWS * LINES_EACH
        replica.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return records


def empty_team(tmp: Path, name: str, server: str | None) -> tuple[Path, str | None]:
    home = tmp / name
    home.mkdir()
    if server is None:
        return home, None
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import _set_up_server
    from scale import _server_database

    url = _server_database(server, f"leadcli_bench_sync_{name}")
    _set_up_server(url)
    return home, url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from leadcli.content.loader import load_content
    from leadcli.paths import builtin_data_dir
    from leadcli.services.sync import sync
    from leadcli.store.db import Store
    from leadcli.store.replica import replica_home
    from leadcli.store.snapshots import snapshot_data

    content = load_content(builtin_data_dir())
    synced, merged, floor = [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        source = tmp / "source"
        records = build_replica(source, content)
        for n in range(args.rounds):
            home, url = empty_team(tmp, f"s{n}", args.database_url)
            shutil.copytree(replica_home(source), replica_home(home))
            Store.open(home, url=url).close()  # the empty team store exists before the clock starts
            started = time.perf_counter()
            result = sync(home, url)
            synced.append(time.perf_counter() - started)
            assert not result.left and sum(p.lines for p in result.pushed) == INTERVIEWS * LINES_EACH, result

            home, url = empty_team(tmp, f"m{n}", args.database_url)
            shutil.copytree(replica_home(source), replica_home(home))
            with Store.open(home, url=url) as team, team.transaction():  # the interviews, not their lines
                first = records[0].snapshot
                key = team.snapshots.add(snapshot_data(first.questions, first.reflection))
                team.interviews.write([(replace(r, answers={}), key) for r in records])
            started = time.perf_counter()
            result = sync(home, url)
            merged.append(time.perf_counter() - started)
            assert not result.left and sum(p.lines for p in result.pushed) == INTERVIEWS * LINES_EACH, result
            with Store.open(home, url=url) as team:
                assert (
                    sum(len(a.lines) for a in team.interviews.get(records[0].id).answers.values())
                    == LINES_EACH
                )

            home, url = empty_team(tmp, f"f{n}", args.database_url)
            with Store.open(home, url=url) as team:
                started = time.perf_counter()
                with team.transaction():
                    first = records[0].snapshot  # all share one set of questions
                    key = team.snapshots.add(snapshot_data(first.questions, first.reflection))
                    team.interviews.write([(r, key) for r in records])
                floor.append(time.perf_counter() - started)
    where = "PostgreSQL" if args.database_url else "SQLite"
    lines = INTERVIEWS * LINES_EACH
    print(f"{where}: sync of {lines:,} waiting lines ({INTERVIEWS} interviews), {args.rounds} rounds")
    base = statistics.median(floor)
    print(f"  floor: one bulk write                  median {base * 1000:8.1f} ms")
    for label, times in (("sync into an empty store", synced), ("sync merged into their interviews", merged)):
        median = statistics.median(times)
        print(f"  {label:<38} median {median * 1000:8.1f} ms   ratio {median / base:.2f}x")


if __name__ == "__main__":
    main()
