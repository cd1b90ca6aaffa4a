"""Rendering benchmark: a 5 MB note in the terminal report and `show`, against plain baselines.

Everything runs in this process on the same record, so the ratios compare like with like:
the terminal views (rich, with leadcli's linear wrapping), the Markdown report, and a plain
floor that only splits the note into lines and writes them indented. `--before` also times the
way notes were printed before (one rich `Text` per note), which is quadratic in its line count.
Usage: python bench/render.py [--megabytes 5] [--runs 3] [--width 100] [--before]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

from rich.padding import Padding
from rich.text import Text

from leadcli.assessment.report import build_report
from leadcli.content.loader import load_content
from leadcli.content.models import Content
from leadcli.interview.session import content_stamp
from leadcli.paths import builtin_data_dir
from leadcli.render.interview.terminal import interview_view
from leadcli.render.plain import console
from leadcli.render.report.markdown import report_markdown
from leadcli.render.report.terminal import report_view
from leadcli.store.records import Answer, Contact, Interview, Snapshot


def make_record(megabytes: float) -> tuple[Interview, Content]:
    """An interview whose first answer holds about `megabytes` of note, in lines of ~820 characters."""
    content = load_content(builtin_data_dir())
    line = "They track falls weekly and share the chart at every board meeting. " * 12
    note = "\n".join([line] * int(megabytes * 1_000_000 / (len(line) + 1)))
    question = content.questions.questions[0]
    record = Interview(
        id="bench1",
        organization="Bench Trust",
        interviewer="Kim",
        region="United Kingdom",
        status="awaiting-reflection",
        position=0,
        created_at="2026-11-01T10:00:00+00:00",
        updated_at="2026-11-01T10:00:00+00:00",
        stamp=content_stamp(content),
        snapshot=Snapshot(
            questions=content.questions.questions, reflection=content.questions.reflection.questions
        ),
        contacts=[Contact(name="Ana", role="CEO", level="executive")],
        answers={question.id: Answer(question_id=question.id, notes=note, cues=[], rating="partial")},
        reflection=None,
    )
    return record, content


def timed(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--width", type=int, default=100)
    parser.add_argument("--before", action="store_true", help="also time one rich Text per note (slow)")
    args = parser.parse_args()
    record, content = make_record(args.megabytes)
    report = build_report(record, content)
    note = next(iter(record.answers.values())).notes

    def printed(renderable: object) -> None:
        console(io.StringIO(), width=args.width).print(renderable)

    def floor() -> None:
        io.StringIO().write("".join(f"   {line}\n" for line in note.split("\n")))

    cases: dict[str, Callable[[], object]] = {
        "plain floor (split + indent)": floor,
        "markdown report": lambda: report_markdown(report),
        "terminal report": lambda: printed(report_view(report)),
        "terminal show": lambda: printed(interview_view(record)),
    }
    if args.before:
        cases["before: one rich Text"] = lambda: printed(Padding(Text(note), (0, 0, 0, 3), expand=False))
    lines = note.count("\n") + 1
    print(f"{len(note) / 1e6:.1f} MB note, {lines} lines, width {args.width}, median of {args.runs}")
    seconds = {}
    for name, work in cases.items():
        seconds[name] = timed(work, 1 if name.startswith("before") else args.runs)
    floor_s, markdown_s = seconds["plain floor (split + indent)"], seconds["markdown report"]
    for name, value in seconds.items():
        print(
            f"  {name:30} {value:7.3f} s  {value / floor_s:6.1f}x floor  {value / markdown_s:5.1f}x markdown"
        )


if __name__ == "__main__":
    main()
