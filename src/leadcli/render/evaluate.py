"""`leadcli evaluate` in the terminal: the three answers in words, then the tables.

Every piece of user or content text is a `Text`, never markup.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from leadcli.assessment.evaluate import Evaluation, percent
from leadcli.render.evaluate_markdown import OUTCOME_HEADER, QUESTIONS_ASKED, heading, number, outcome_cells

_TIGHT: dict = {"pad_edge": False, "padding": (0, 1), "collapse_padding": True}
"""Little space between columns and none at the edges, so the tables fit 80 columns."""


def evaluation_view(evaluation: Evaluation) -> RenderableType:
    parts: list[RenderableType] = [Text(heading(evaluation), style="bold"), Text("")]
    for question, key in QUESTIONS_ASKED:
        parts.append(Text(question, style="bold cyan"))
        parts.append(Padding(Text(getattr(evaluation.findings, key)), (0, 0, 0, 3), expand=False))
    parts += [Text(""), _questions(evaluation), _agreement(evaluation)]
    parts.append(_outcomes("Outcomes by reflection verdict", "Verdict", evaluation.outcomes, "verdict"))
    parts.append(
        _outcomes(
            "Outcomes by the assessment's own reading", "Reading", evaluation.outcomes_by_reading, "reading"
        )
    )
    if evaluation.warnings:
        parts.append(Text("Read with care", style="bold yellow"))
        parts += [Padding(Text(w), (0, 0, 0, 3), expand=False) for w in evaluation.warnings]
    return Group(*parts)


def _questions(evaluation: Evaluation) -> Table:
    table = Table(title="Questions", title_justify="left", box=box.SIMPLE_HEAD, **_TIGHT)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Question", min_width=14)
    for label in ("Reached", "Explored", "Skipped", "Cues\nheard", "Rated\nS/P/L/–", "Median\nnote"):
        table.add_column(label, justify="right", no_wrap=True)
    table.add_column("Working?", no_wrap=True)
    for q in evaluation.questions:
        r = q.ratings
        table.add_row(
            str(q.number),
            Text(q.category),
            str(q.asked),
            str(q.explored),
            str(q.skipped),
            percent(q.cue_share),
            f"{r.strong}/{r.partial}/{r.low}/{r.unrated}",
            "—" if q.median_note_chars is None else f"{q.median_note_chars:g}",
            Text("yes") if q.working else Text("no", style="bold red"),
        )
    return table


def _agreement(evaluation: Evaluation) -> Table:
    table = Table(
        title="Do interviewers agree? (pairs at one organization)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        **_TIGHT,
    )
    table.add_column("Domain")
    for label in ("Organizations", "Pairs", "Agreement", "Kappa"):
        table.add_column(label, justify="right", no_wrap=True)
    for d in evaluation.agreement:
        table.add_row(
            Text(d.title), str(d.organizations), str(d.pairs), percent(d.agreement), number(d.kappa)
        )
    return table


def _outcomes(title: str, label: str, rows: list, key: str) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, **_TIGHT)
    table.add_column(label, no_wrap=True)
    for column in OUTCOME_HEADER:  # two-word headings on two lines, to fit 80 columns
        table.add_column(column.replace(" ", "\n", 1), justify="right", no_wrap=True)
    for row in rows:
        table.add_row(Text(getattr(row, key)), *outcome_cells(row))
    return table
