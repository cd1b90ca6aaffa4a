"""`leadcli evaluate --by-version -f markdown`, and the phrasing the terminal view shares with it."""

from __future__ import annotations

from leadcli.assessment.evaluate import percent
from leadcli.assessment.versions import VersionedEvaluation, VersionFigures
from leadcli.render.evaluate.markdown import OUTCOME_HEADER, PROVENANCE, WORKING, outcome_cells
from leadcli.render.markdown import inline, table

QUESTION_HEADER = [
    "Question", "Version", "Change", "Reached", "Explored", "95% interval", "Cues heard", "Rated", WORKING,
]  # fmt: skip


def heading(result: VersionedEvaluation) -> str:
    scope = [f"since {result.since}"] if result.since else []
    if result.interviewer:
        scope.append(f"by {result.interviewer}")
    names = ", ".join(f"{v.version} ({v.interviews})" for v in result.versions) or "none"
    text = f"Evaluating {result.interviews} interview(s) by question-set version: {names}"
    return text + (f" ({'; '.join(scope)})" if scope else "")


def change_text(cell: VersionFigures) -> str:
    if cell.change is None:
        return ""
    if cell.change == "changed":
        return "changed: " + ", ".join(cell.changed)
    return cell.change


def interval_text(interval: list[float] | None) -> str:
    return "—" if interval is None else f"{percent(interval[0])}–{percent(interval[1])}"


def question_cells(cell: VersionFigures, *, reasons: bool = True) -> list[str]:
    f = cell.figures
    rated = f.explored - f.ratings.unrated
    return [
        cell.version,
        change_text(cell),
        str(f.asked),
        f"{f.explored} ({percent(cell.explored_share)})",
        interval_text(cell.explored_interval),
        percent(f.cue_share),
        f"{rated} of {f.explored} ({percent(cell.rated_share)})",
        "yes" if f.working else ("no: " + "; ".join(f.problems) if reasons else "no"),
    ]


def question_rows(result: VersionedEvaluation, *, reasons: bool = True) -> list[list[str]]:
    """One row per question and version (the reasons a question is not working with `reasons`)."""
    rows = []
    for q in result.questions:
        for index, cell in enumerate(q.versions):
            label = f"{q.number}. {q.category}" if index == 0 else ""
            rows.append([label, *question_cells(cell, reasons=reasons)])
        if q.dropped_in:
            rows.append(["", q.dropped_in, "dropped", "", "", "", "", "", ""])
    return rows


def outcome_rows(result: VersionedEvaluation) -> list[list[str]]:
    return [
        [v.version, o.verdict, *outcome_cells(o)] for v in result.versions for o in v.outcomes if o.interviews
    ]


def warnings(result: VersionedEvaluation) -> list[str]:
    return [f"{v.version}: {w}" for v in result.versions for w in v.warnings]


def versions_markdown(result: VersionedEvaluation) -> str:
    out = [f"# {inline(heading(result))}", ""]
    out += [f"- {inline(line, starts_block=False)}" for line in result.findings]
    out += ["", "## Questions by version", "", table(QUESTION_HEADER, question_rows(result))]
    out += ["## Outcomes by reflection verdict, per version", ""]
    out.append(table(["Version", "Verdict", *OUTCOME_HEADER], outcome_rows(result)))
    if warnings(result):
        out += ["## Read with care", ""]
        out += [f"- {inline(w, starts_block=False)}" for w in warnings(result)]
    for line in PROVENANCE:
        out += ["", f"*{inline(line)}*"]
    return "\n".join(out).rstrip() + "\n"
