"""Start-up benchmark: leadcli against a bare typer app doing the same kind of output.

Runs each command many times, alternating leadcli and the baseline in the same run, and prints
medians and ratios against the targets. Usage: python bench/startup.py [--runs N]

`validate (uncached)` is the first run on new content: `leadcli validate` reads, checks and
validates the three data files in full (it never uses the cache); its baseline reads the same
files with PyYAML and validates them with one pydantic adapter of plain types.
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

from leadcli.paths import builtin_data_dir

BASELINE = '''
import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer()


@app.command()
def help_screen(name: str = typer.Option("x", help="A name.")) -> None:
    """A command, so the app has a help screen like a real one."""


@app.command()
def table(audience: str = typer.Option("executive", help="An audience.")) -> None:
    """Print a 10-row rich table."""
    grid = Table(caption="10 rows")
    for column in ("Offering", "Audience", "Region", "Price (USD)"):
        grid.add_column(column)
    for row in range(10):
        grid.add_row(f"Offering number {row}", audience, "Global", f"${row * 1000:,}")
    Console().print(grid)


@app.command()
def report(interview: str = typer.Argument("x", help="An id.")) -> None:
    """A report-like page: a header, a five-row table, paragraphs and a numbered list."""
    console = Console()
    console.print("Leadership assessment: Example", style="bold")
    grid = Table(title="Domains")
    for column in ("#", "Domain", "Evidence", "Level"):
        grid.add_column(column)
    for row in range(5):
        grid.add_row(str(row + 1), f"Domain number {row}", "#####.....", "partial")
    console.print(grid)
    for row in range(5):
        console.print(f"{row + 1}. Question {row}: notes as they were typed, for {interview}.")
    for row in range(6):
        console.print(f"{row + 1}. Offering {row}: strengthens a gap; for executive leaders")


@app.command()
def validate(data_dir: str = typer.Argument(..., help="A data folder.")) -> None:
    """Read the three data files with PyYAML and validate them with pydantic (plain types)."""
    from pathlib import Path

    import yaml
    from pydantic import TypeAdapter

    check = TypeAdapter(dict[str, object])
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for name in ("framework.yaml", "questions.yaml", "offerings.yaml"):
        check.validate_python(yaml.load(Path(data_dir, name).read_bytes(), Loader=loader))
    print("3 files valid")
'''

REPO = Path(__file__).resolve().parents[1]
DATA = builtin_data_dir()
EXAMPLE = REPO / "examples" / "call-notes.yaml"

# (label, leadcli arguments, baseline arguments, target ratio)
CASES = [
    ("--help", ["--help"], ["--help"], 1.10),
    (
        "offerings --audience executive",
        ["offerings", "-a", "executive"],
        ["table", "--audience", "executive"],
        1.25,
    ),
    ("report (one interview)", ["report"], ["report", "x"], 1.50),
    ("validate (uncached)", ["validate"], ["validate", str(DATA)], 1.50),
]


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "bare_app.py").write_text(BASELINE, encoding="utf-8")
        # As an installed package runs: with its bytecode cached.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update({"LEADCLI_HOME": str(Path(tmp, "home")), "PYTHONPATH": tmp, "COLUMNS": "100"})
        leadcli = [sys.executable, "-c", "from leadcli.cli import main; main()"]
        bare = [sys.executable, "-c", "from bare_app import app; app()"]
        subprocess.run(
            [*leadcli, "interview", "--answers", str(EXAMPLE)], env=env, capture_output=True, check=True
        )
        failed = 0
        print(f"{'command':34} {'leadcli':>9} {'baseline':>9} {'ratio':>6} {'target':>7}")
        for label, ours, theirs, target in CASES:
            timed([*leadcli, *ours], env)  # warm: content cache filled, bytecode written
            timed([*bare, *theirs], env)
            mine, base = [], []
            for _ in range(args.runs):
                mine.append(timed([*leadcli, *ours], env))
                base.append(timed([*bare, *theirs], env))
            ratio = statistics.median(mine) / statistics.median(base)
            verdict = "met" if ratio <= target else "MISSED"
            failed += verdict != "met"
            times = f"{statistics.median(mine) * 1000:7.1f}ms {statistics.median(base) * 1000:7.1f}ms"
            print(f"{label:34} {times} {ratio:5.2f}x {f'<={target:.2f}x':>7} {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
