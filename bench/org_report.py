"""`report --org` in the terminal against the same report as JSON, at many calls with one organization.

It builds a SQLite store of N interviews (bench/generate.py) all with one organization, then times,
alternating in the same process (median of --runs): the report read and built, and rendered

- as JSON (`report --org NAME -f json`), the baseline,
- in the terminal at 80 columns and at 200 (`report --org NAME`),

and prints each terminal time as a ratio to the JSON time.

    python bench/org_report.py [--calls 500] [--runs 7]

Target: the terminal report within 2x the JSON report's time at 500 calls, at either width.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = 2.0
NAME = "Organization 0"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "LEADCLI_DATABASE_URL"}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "store"
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(home), str(args.calls)], env=env, check=True
        )
        import sqlite3

        db = sqlite3.connect(home / "leadcli.db")
        with db:
            db.execute("UPDATE interviews SET organization = ?, org_key = ?", (NAME, NAME.lower()))
        db.close()
        return _measure(home, args.calls, args.runs)


def _measure(home: Path, calls: int, runs: int) -> int:
    from leadcli.content.loader import load_content
    from leadcli.paths import builtin_data_dir
    from leadcli.render.data import dump_json
    from leadcli.render.plain import console
    from leadcli.render.report.terminal import org_report_view
    from leadcli.services.reports import organization_report
    from leadcli.store.db import Store

    content = load_content(builtin_data_dir())

    def json_report() -> None:
        with Store.open(home) as store:
            dump_json(organization_report(store, content, NAME))

    def terminal(width: int) -> Callable[[], None]:
        def render() -> None:
            with Store.open(home) as store:
                report = organization_report(store, content, NAME)
            console(io.StringIO(), width=width).print(org_report_view(report))

        return render

    tasks = {
        "json": json_report,
        "terminal, 80 columns": terminal(80),
        "terminal, 200 columns": terminal(200),
    }
    times: dict[str, list[float]] = {label: [] for label in tasks}
    for run in range(runs + 1):
        for label, task in tasks.items():
            start = time.perf_counter()
            task()
            if run:  # the first round warms up
                times[label].append(time.perf_counter() - start)
    base = statistics.median(times["json"])
    print(f"report --org with {calls:,} calls (median of {runs})")
    print(f"  json                    {base:6.3f} s")
    missed = 0
    for label in list(tasks)[1:]:
        seconds = statistics.median(times[label])
        ratio = seconds / base
        missed += ratio > TARGET
        print(f"  {label:<23} {seconds:6.3f} s  {ratio:4.2f}x json  {'ok' if ratio <= TARGET else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
