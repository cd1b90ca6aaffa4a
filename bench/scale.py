"""Scale benchmark: leadcli's record commands on generated stores of growing size.

For each size it builds a store (bench/generate.py: five answers of ~2 KB notes per interview),
then times each command (median of --runs, warm) and records its peak memory. The bulk commands
(`export`, `import`, `summary`) are each timed next to their floor: a plain Python + sqlite3 script
doing the same work over the same store (bench/floors.py), and the ratio is printed. It also
reports the store's size per interview and the share of its pages left unused.

    python bench/scale.py [--sizes 1000,10000] [--runs 3]
    python bench/scale.py --database-url postgresql://HOST/postgres   # the same on a server

On a server each size gets a new database (leadcli_bench_N, dropped first if there), and only the
record commands are timed (the floors are SQLite scripts).

Targets (checked at every size of at least 10,000): list 0.5 s, report 0.3 s, report --org 0.5 s,
summary 1 s, each within 100 MB; export <= 1.5x its floor; import <= 2x export of the same store,
within 100 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from leadcli.store.interviews import numbered_id

HERE = Path(__file__).resolve().parent
# Runs leadcli (`-m leadcli`) or a script, then writes the process's peak memory to stderr.
WRAPPER = (
    "import atexit, resource, runpy, sys\n"
    "atexit.register(lambda: sys.stderr.write("
    "f'\\nMAXRSS_KB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n'))\n"
    "target, *sys.argv = sys.argv[1:]\n"
    "if target == 'leadcli':\n"
    "    from leadcli.cli import main\n"
    "    sys.argv = ['leadcli', *sys.argv]\n"
    "    main()\n"
    "else:\n"
    "    sys.argv = [target, *sys.argv]\n"
    "    runpy.run_path(target, run_name='__main__')\n"
)
FLOORS = str(HERE / "floors.py")
# (label, arguments, seconds, megabytes); targets hold at 10,000 interviews and up.
COMMANDS = [
    ("list", ["list"], 0.5, 100),
    ("summary", ["summary"], 1.0, 100),
    ("report ID", ["report", "{middle}"], 0.3, 100),
    ("report --org (50 interviews)", ["report", "--org", "Organization 7"], 0.5, 100),
]
TARGET_SIZE = 10_000
Result = tuple[float, float]


def measure(
    args: list[str], env: dict[str, str], runs: int, prepare: Callable[[], None] | None = None
) -> Result:
    """Median seconds and peak megabytes of `args` (after one uncounted warm-up run)."""
    times, peaks = [], []
    for _ in range(runs + 1):
        if prepare is not None:
            prepare()
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", WRAPPER, *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=True,
        )
        times.append(time.perf_counter() - start)
        peaks.append(int(done.stderr.rsplit("MAXRSS_KB=", 1)[1].split()[0]) / 1024)
    return statistics.median(times[1:]), max(peaks[1:])


def store_figures(home: Path, count: int) -> str:
    """Bytes per interview, the text they hold, and the share of the store's pages left unused."""
    db = sqlite3.connect(home / "leadcli.db")
    size, unused = db.execute("SELECT sum(pgsize), sum(unused) FROM dbstat").fetchone()
    text = db.execute("SELECT sum(length(text)) FROM note_lines").fetchone()[0] or 0
    page = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    return (
        f"{size / count / 1024:.1f} KB per interview for {text / count / 1024:.1f} KB of notes;"
        f" {unused / size:.0%} of the store unused ({page // 1024} KiB pages)"
    )


def bulk(home: Path, tmp: Path, env: dict[str, str], runs: int) -> dict[str, tuple[Result, Result]]:
    """export, import and summary, each with its floor."""
    export_file, floor_file, fresh = tmp / "export.json", tmp / "floor.json", tmp / "fresh"
    run_env = {**env, "LEADCLI_HOME": str(home)}

    def empty() -> None:
        shutil.rmtree(fresh, ignore_errors=True)

    figures = {
        "export": (
            measure(["leadcli", "export", "-o", str(export_file), "--force"], run_env, runs),
            measure([FLOORS, "export", str(home), str(floor_file)], run_env, runs),
        ),
        "summary": (
            measure(["leadcli", "summary"], run_env, runs),
            measure([FLOORS, "summary", str(home)], run_env, runs),
        ),
    }
    import_env = {**env, "LEADCLI_HOME": str(fresh)}
    figures["import"] = (
        measure(["leadcli", "import", str(export_file)], import_env, runs, empty),
        measure([FLOORS, "import", str(export_file), str(fresh)], import_env, runs, empty),
    )
    empty()
    export_file.unlink(missing_ok=True)
    floor_file.unlink(missing_ok=True)
    return figures


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
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated store sizes")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", help="a PostgreSQL server to run against instead of SQLite")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[str, dict[int, Result]] = {label: {} for label, *_ in COMMANDS}
    bulk_results: dict[int, dict[str, tuple[Result, Result]]] = {}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    missed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            home = Path(tmp) / f"store-{size}"
            server = args.database_url and _server_database(args.database_url, f"leadcli_bench_{size}")
            gen_env = {**env, "LEADCLI_DATABASE_URL": server} if server else env
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(home), str(size)], env=gen_env, check=True
            )
            megabytes = _store_megabytes(home, server)
            took = time.perf_counter() - started
            print(f"generated {size:,} interviews ({megabytes:,.0f} MB) in {took:.1f} s")
            if not server:
                print(f"  store: {store_figures(home, size)}")
            run_env = {**gen_env, "LEADCLI_HOME": str(home), "COLUMNS": "100"}
            middle = numbered_id(size // 2)  # the generator's ids
            for label, command, _, _ in COMMANDS:
                arguments = ["leadcli", *(a.format(middle=middle) for a in command)]
                results[label][size] = measure(arguments, run_env, args.runs)
            if server:
                continue
            bulk_results[size] = bulk(home, Path(tmp), {**env, "COLUMNS": "100"}, args.runs)
            shutil.rmtree(home)
    header = "".join(f"{size:>18,}" for size in sizes)
    print(f"\n{'command':30}{header}   target at {TARGET_SIZE:,} and up")
    for label, _, seconds, megabytes in COMMANDS:
        cells = "".join(f"{t:8.2f}s {m:5.0f}MB  " for t, m in (results[label][s] for s in sizes))
        met = all(t <= seconds and m <= megabytes for s, (t, m) in results[label].items() if s >= TARGET_SIZE)
        missed += not met
        print(f"{label:30}{cells} <= {seconds}s, <= {megabytes}MB: {'met' if met else 'MISSED'}")
    print(
        "\nbulk commands against their floor (plain Python + sqlite3 doing the same work, bench/floors.py):"
    )
    for size, figures in bulk_results.items():
        print(f"  {size:,} interviews")
        for label, ((t, m), (ft, fm)) in figures.items():
            print(f"    {label:8} {t:7.2f}s {m:5.0f}MB   floor {ft:7.2f}s {fm:5.0f}MB   ratio {t / ft:5.2f}x")
        if size >= TARGET_SIZE:
            export_ratio = figures["export"][0][0] / figures["export"][1][0]
            import_vs_export = figures["import"][0][0] / figures["export"][0][0]
            checks = [
                ("export <= 1.5x its floor", export_ratio <= 1.5),
                (f"import <= 2x export ({import_vs_export:.2f}x)", import_vs_export <= 2.0),
                ("import <= 100 MB", figures["import"][0][1] <= 100),
                (
                    "summary <= 1 s, <= 100 MB",
                    figures["summary"][0][0] <= 1 and figures["summary"][0][1] <= 100,
                ),
            ]
            for text, met in checks:
                missed += not met
                print(f"    {text}: {'met' if met else 'MISSED'}")
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        print(f"\ngrowth from {first:,} to {last:,} interviews ({last / first:.0f}x the records):")
        for label, *_ in COMMANDS:
            ratio = results[label][last][0] / results[label][first][0]
            print(f"  {label:30} time x{ratio:.2f}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
