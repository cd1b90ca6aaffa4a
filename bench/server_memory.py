"""Server-store memory: leadcli's whole-store reads on PostgreSQL against a plain psycopg floor.

For each size it builds a database of its own (bench/generate.py: five answers of ~2 KB notes per
interview), then records the peak memory (and time) of `export`, `summary`, `evaluate` and
`report --org`, next to the floor: a plain psycopg script that reads every table the export reads
through named (server-side) cursors and writes each row out as JSON, nothing kept. The ratio of
peaks is printed; the target is 100 MB for every command at every size.

    python bench/server_memory.py --database-url postgresql://postgres@127.0.0.1/postgres \\
        [--sizes 10000,100000] [--runs 1]

Each size's database (leadcli_memory_N) is dropped first if there, and after the run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import measure  # noqa: E402 - the same subprocess wrapper and peak-memory reading

TARGET_MB = 100
COMMANDS = [
    ("export", ["export", "-o", "{tmp}/export.json", "--force"]),
    ("summary", ["summary"]),
    ("evaluate", ["evaluate"]),
    ("report --org", ["report", "--org", "Organization 7"]),
]

# The floor: each table through a named cursor, rows written out as they come.
FLOOR = """
import json, sys
import psycopg
url, out = sys.argv[1], sys.argv[2]
with psycopg.connect(url) as db, open(out, "w", encoding="utf-8") as handle:
    for n, sql in enumerate([
        "SELECT * FROM leadcli.interviews ORDER BY id",
        "SELECT * FROM leadcli.contacts ORDER BY interview_id, position",
        "SELECT * FROM leadcli.answers ORDER BY interview_id, question_id",
        "SELECT * FROM leadcli.reflections ORDER BY interview_id",
        "SELECT * FROM leadcli.follow_ups ORDER BY interview_id, position",
    ]):
        with db.cursor(name=f"floor{n}") as cursor:
            cursor.itersize = 2000
            cursor.execute(sql)
            for row in cursor:
                handle.write(json.dumps(row, default=str) + "\\n")
"""


def _database(url: str, name: str, *, drop_only: bool = False) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server (a superuser's URL)")
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated store sizes")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    missed = 0
    with tempfile.TemporaryDirectory() as tmp:
        floor = Path(tmp) / "floor.py"
        floor.write_text(FLOOR, encoding="utf-8")
        for size in [int(s) for s in args.sizes.split(",")]:
            name = f"leadcli_memory_{size}"
            server = _database(args.database_url, name)
            try:
                started = time.perf_counter()
                run_env = {**env, "LEADCLI_DATABASE_URL": server, "LEADCLI_HOME": tmp, "COLUMNS": "100"}
                subprocess.run(
                    [sys.executable, str(HERE / "generate.py"), tmp, str(size)], env=run_env, check=True
                )
                print(f"generated {size:,} interviews in {time.perf_counter() - started:.0f} s")
                floor_time, floor_mb = measure([str(floor), server, f"{tmp}/floor.jsonl"], run_env, args.runs)
                print(f"  floor (psycopg, named cursors) {floor_time:7.1f}s {floor_mb:6.0f}MB")
                for label, command in COMMANDS:
                    seconds, peak = measure(
                        ["leadcli", *(a.format(tmp=tmp) for a in command)], run_env, args.runs
                    )
                    met = peak <= TARGET_MB
                    missed += not met
                    print(
                        f"  {label:14} {seconds:7.1f}s {peak:6.0f}MB   {peak / floor_mb:4.1f}x the floor's"
                        f" peak   <= {TARGET_MB}MB: {'met' if met else 'MISSED'}"
                    )
            finally:
                _database(args.database_url, name, drop_only=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
