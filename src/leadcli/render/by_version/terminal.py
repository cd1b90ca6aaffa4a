"""`leadcli evaluate --by-version` in the terminal: each question across the versions, side by side."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from leadcli.assessment.versions import VersionedEvaluation
from leadcli.render.by_version.markdown import (
    QUESTION_HEADER,
    heading,
    outcome_rows,
    question_rows,
    warnings,
)
from leadcli.render.evaluate.markdown import OUTCOME_HEADER, PROVENANCE
from leadcli.render.plain import text
from leadcli.render.tables import Column, FittedTable


def versions_view(result: VersionedEvaluation) -> RenderableType:
    parts: list[RenderableType] = [text(heading(result), style="bold"), Text("")]
    parts += [Padding(text(line), (0, 0, 0, 2), expand=False) for line in result.findings]
    questions = FittedTable([Column(h) for h in QUESTION_HEADER], title="Questions by version")
    for row in question_rows(result, reasons=False):  # the reasons follow the table
        questions.add_row(*row[:-1], text(row[-1], style="" if row[-1] == "yes" else "bold red"))
    failing = [
        f"{q.number}. {q.category} ({cell.version}): {'; '.join(cell.figures.problems)}"
        for q in result.questions
        for cell in q.versions
        if cell.figures.problems
    ]
    outcomes = FittedTable(
        [Column(h) for h in ("Version", "Verdict", *OUTCOME_HEADER)],
        title="Outcomes by reflection verdict, per version",
    )
    for row in outcome_rows(result):
        outcomes.add_row(*row)
    parts += [Text(""), questions]
    if failing:
        parts.append(Text("Not working", style="bold"))
        parts += [Padding(text(line), (0, 0, 0, 3), expand=False) for line in failing]
    parts += [Text(""), outcomes]
    if warnings(result):
        parts += [Text(""), Text("Read with care", style="bold yellow")]
        parts += [Padding(text(w), (0, 0, 0, 3), expand=False) for w in warnings(result)]
    parts += [Text(""), *[text(line, style="dim") for line in PROVENANCE]]
    return Group(*parts)
