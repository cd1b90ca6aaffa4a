"""`export -f jsonl` and importing it back: peak memory against plain iteration of the same rows.

For each size it builds a SQLite store (bench/generate.py: five answers of ~2 KB notes per
interview), then records the peak memory of

- the floor: a plain Python + sqlite3 script that reads every row of every record table once
  (what any export must at least do), holding nothing,
- `leadcli export -f jsonl` into /dev/null,
- `leadcli import` of that JSON Lines file into an empty store,

and prints each as a ratio to the floor. Streaming means the ratios stay flat as the store grows
(the store is 10x larger at the second size; a command that held it would grow with it).

    python bench/jsonl_memory.py [--sizes 2000,20000] [--runs 1]

Target: export and import each within 10 MB of their own peak at the smallest size while the store
grows tenfold (they stream). The ratio to the floor is printed for scale: most of the difference is
what any leadcli command loads on start-up (typer, rich; for the import, pydantic to check the
records), the same at every size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import measure  # noqa: E402 - the same subprocess wrapper and peak-memory reading

FLOOR = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1] + "/leadcli.db")
count = 0
for table in ("snapshots", "interviews", "contacts", "answers", "reflections", "follow_ups", "outcomes"):
    for row in db.execute(f"SELECT * FROM {table}"):
        count += len(row)
print(count)
"""
GROWTH_MB = 10


def _remover(path: Path):
    return lambda: shutil.rmtree(path, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="2000,20000", help="comma-separated store sizes")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "LEADCLI_DATABASE_URL")
    }
    missed = 0
    first: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        floor_script = Path(tmp) / "floor.py"
        floor_script.write_text(FLOOR, encoding="utf-8")
        for size in [int(s) for s in args.sizes.split(",")]:
            home, fresh, lines = Path(tmp) / f"store-{size}", Path(tmp) / "fresh", Path(tmp) / "export.jsonl"
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(home), str(size)], env=env, check=True
            )
            print(f"generated {size:,} interviews in {time.perf_counter() - started:.1f} s")
            run_env = {**env, "LEADCLI_HOME": str(home)}
            floor = measure([str(floor_script), str(home)], run_env, args.runs)
            export = measure(["leadcli", "export", "-f", "jsonl"], run_env, args.runs)
            subprocess.run(
                [sys.executable, "-m", "leadcli", "export", "-f", "jsonl", "-o", str(lines)],
                env=run_env,
                check=True,
            )

            imported = measure(
                ["leadcli", "import", str(lines)],
                {**env, "LEADCLI_HOME": str(fresh)},
                args.runs,
                _remover(fresh),
            )
            print(f"  jsonl file: {lines.stat().st_size / 2**20:,.0f} MB")
            print(f"  floor (every row read once): {floor[1]:6.1f} MB  {floor[0]:6.2f} s")
            for label, (seconds, peak) in (("export -f jsonl", export), ("import (jsonl)", imported)):
                ratio = peak / floor[1]
                grew = peak - first.setdefault(label, peak)
                ok = grew <= GROWTH_MB
                missed += not ok
                print(
                    f"  {label:<16} {peak:6.1f} MB  {seconds:6.2f} s  {ratio:4.2f}x the floor's peak,"
                    f" {grew:+.1f} MB from the smallest size  {'ok' if ok else 'MISSED'}"
                )
            shutil.rmtree(home, ignore_errors=True)
            _remover(fresh)()
            lines.unlink(missing_ok=True)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
