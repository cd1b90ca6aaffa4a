"""Scale benchmark: leadcli's record commands on generated stores of growing size.

For each size it builds a store (bench/generate.py: five answers of ~2 KB notes per interview),
then times each command (median of --runs, warm) and records its peak memory, and checks the
targets at 10,000 interviews. Usage: python bench/scale.py [--sizes 1000,10000] [--runs 3]
With --database-url postgresql://.../postgres it does the same on that server, in a new database
per size (leadcli_bench_N, dropped first if there).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WRAPPER = (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: sys.stderr.write("
    "f'\\nMAXRSS_KB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n'))\n"
    "from leadcli.cli import main\n"
    "sys.argv = ['leadcli', *sys.argv[1:]]\n"
    "main()\n"
)
# (label, arguments, seconds, megabytes); targets hold at 10,000 interviews.
COMMANDS = [
    ("list", ["list"], 0.5, 100),
    ("summary", ["summary"], 1.0, 100),
    ("report ID", ["report", "{middle}"], 0.3, 100),
    ("report --org (50 interviews)", ["report", "--org", "Organization 7"], 0.5, 100),
]
TARGET_SIZE = 10_000


def measure(args: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(runs + 1):  # the first run warms the caches and is not counted
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", WRAPPER, *args], env=env, capture_output=True, text=True, check=True
        )
        times.append(time.perf_counter() - start)
        peaks.append(int(done.stderr.rsplit("MAXRSS_KB=", 1)[1].split()[0]) / 1024)
    return statistics.median(times[1:]), max(peaks[1:])


def _server_database(url: str, name: str) -> str:
    """A fresh database `name` on the server `url` names; its URL."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _store_megabytes(home: Path, url: str | None) -> float:
    if not url:
        return (home / "leadcli.db").stat().st_size / 2**20
    import psycopg

    with psycopg.connect(url) as db:
        return db.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated store sizes")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", help="a PostgreSQL server to run against instead of SQLite")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[str, dict[int, tuple[float, float]]] = {label: {} for label, *_ in COMMANDS}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            home = Path(tmp) / f"store-{size}"
            gen_env = {**env, "LEADCLI_HOME": str(home)}
            if args.database_url:
                gen_env["LEADCLI_DATABASE_URL"] = _server_database(args.database_url, f"leadcli_bench_{size}")
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(home), str(size)], env=gen_env, check=True
            )
            megabytes = _store_megabytes(home, gen_env.get("LEADCLI_DATABASE_URL"))
            took = time.perf_counter() - started
            print(f"generated {size:,} interviews ({megabytes:,.0f} MB) in {took:.1f} s")
            run_env = {**gen_env, "COLUMNS": "100"}
            middle = f"b{size // 2:07d}"  # the generator's ids
            for label, command, _, _ in COMMANDS:
                results[label][size] = measure([a.format(middle=middle) for a in command], run_env, args.runs)
    missed = 0
    header = "".join(f"{size:>18,}" for size in sizes)
    print(f"\n{'command':30}{header}   target at {TARGET_SIZE:,}")
    for label, _, seconds, megabytes in COMMANDS:
        cells = "".join(f"{t:8.2f}s {m:5.0f}MB  " for t, m in (results[label][s] for s in sizes))
        verdict = ""
        if TARGET_SIZE in results[label]:
            t, m = results[label][TARGET_SIZE]
            met = t <= seconds and m <= megabytes
            missed += not met
            verdict = f"<= {seconds}s, <= {megabytes}MB: {'met' if met else 'MISSED'}"
        print(f"{label:30}{cells} {verdict}")
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        print(f"\ngrowth from {first:,} to {last:,} interviews ({last / first:.0f}x the records):")
        for label, *_ in COMMANDS:
            ratio = results[label][last][0] / results[label][first][0]
            print(f"  {label:30} time x{ratio:.2f}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
