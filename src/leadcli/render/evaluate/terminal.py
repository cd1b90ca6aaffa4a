"""`leadcli evaluate` in the terminal: the three answers in words, then the tables.

User and content text is literal (`text()`); tables fit any width (`FittedTable`).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from leadcli.assessment.evaluate import Evaluation, OutcomeRow, percent
from leadcli.render.evaluate.markdown import (
    OUTCOME_HEADER,
    PROVENANCE,
    QUESTIONS_ASKED,
    READING_TITLE,
    WORKING,
    heading,
    number,
    outcome_cells,
)
from leadcli.render.plain import text
from leadcli.render.tables import Column, FittedTable


def evaluation_view(evaluation: Evaluation) -> RenderableType:
    parts: list[RenderableType] = [text(heading(evaluation), style="bold"), Text("")]
    for question, key in QUESTIONS_ASKED:
        parts.append(Text(question, style="bold cyan"))
        parts.append(Padding(text(getattr(evaluation.findings, key)), (0, 0, 0, 3), expand=False))
    parts += [Text(""), _questions(evaluation), Text(""), _agreement(evaluation), Text("")]
    parts.append(_outcomes("Outcomes by reflection verdict", "Verdict", evaluation.outcomes, "verdict"))
    parts.append(Text(""))
    parts.append(_outcomes(READING_TITLE, "Reading", evaluation.outcomes_by_reading, "reading"))
    if evaluation.warnings:
        parts += [Text(""), Text("Read with care", style="bold yellow")]
        parts += [Padding(text(w), (0, 0, 0, 3), expand=False) for w in evaluation.warnings]
    parts += [Text(""), *[text(line, style="dim") for line in PROVENANCE]]
    return Group(*parts)


def _questions(evaluation: Evaluation) -> FittedTable:
    right = [
        Column(header, justify="right")
        for header in ("Reached", "Explored", "Skipped", "Cues\nheard", "Rated\nS/P/L/–", "Median\nnote")
    ]
    table = FittedTable([Column("Question"), *right, Column(WORKING)], title="Questions")
    for q in evaluation.questions:
        r = q.ratings
        table.add_row(
            f"{q.number}. {q.category}",
            str(q.asked),
            str(q.explored),
            str(q.skipped),
            percent(q.cue_share),
            f"{r.strong}/{r.partial}/{r.low}/{r.unrated}",
            "—" if q.median_note_chars is None else f"{q.median_note_chars:g}",
            text("yes") if q.working else text("no", style="bold red"),
        )
    return table


def _agreement(evaluation: Evaluation) -> FittedTable:
    right = [Column(header, justify="right") for header in ("Organizations", "Pairs", "Agreement", "Kappa")]
    table = FittedTable(
        [Column("Domain"), *right], title="Do interviewers agree? (pairs at one organization)"
    )
    for d in evaluation.agreement:
        table.add_row(d.title, str(d.organizations), str(d.pairs), percent(d.agreement), number(d.kappa))
    return table


def _outcomes(title: str, label: str, rows: Sequence[OutcomeRow], key: str) -> FittedTable:
    columns = [Column(header.replace(" ", "\n", 1), justify="right") for header in OUTCOME_HEADER]
    table = FittedTable([Column(label), *columns], title=title)
    for row in rows:
        table.add_row(getattr(row, key), *outcome_cells(row))
    return table
