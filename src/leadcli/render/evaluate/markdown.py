"""`leadcli evaluate -f markdown`, and the plain phrasing the terminal view shares with it."""

from __future__ import annotations

from leadcli.assessment.evaluate import RULES_OF_THUMB, Evaluation, OutcomeRow, percent
from leadcli.render.markdown import inline, table
from leadcli.render.wording import LEGEND, ours

READING_TITLE = ours("Outcomes by the assessment's own reading")
WORKING = ours("Working?")
PROVENANCE = [LEGEND, RULES_OF_THUMB]


def heading(evaluation: Evaluation) -> str:
    """`Evaluating 12 interviews at 5 organizations by 3 interviewers (since 2026-01-01)`."""
    scope = [f"since {evaluation.since}"] if evaluation.since else []
    if evaluation.interviewer:
        scope.append(f"by {evaluation.interviewer}; agreement: pairs with them on one side")
    text = (
        f"Evaluating {evaluation.interviews} interview(s) at {evaluation.organizations} organization(s)"
        f" by {evaluation.interviewers} interviewer(s)"
    )
    return text + (f" ({'; '.join(scope)})" if scope else "")


QUESTIONS_ASKED = (
    ("Is each question doing its job?", "questions"),
    ("Do interviewers read the same organization alike?", "agreement"),
    ("Does the verdict foretell the outcome?", "outcomes"),
)


def number(value: float | None, places: int = 2) -> str:
    if value is None:
        return "—"
    shown = f"{value:.{places}f}"
    return shown[1:] if float(shown) == 0 and shown.startswith("-") else shown  # no "-0.00"


def interval_text(row: OutcomeRow) -> str:
    return "—" if row.interval is None else f"{percent(row.interval[0])}–{percent(row.interval[1])}"


def outcome_cells(row: OutcomeRow) -> list[str]:
    return [
        str(row.interviews),
        str(row.engaged),
        str(row.declined),
        str(row.no_decision),
        str(row.open),
        percent(row.engaged_share),
        interval_text(row),
    ]


OUTCOME_HEADER = ["Interviews", "Engaged", "Declined", "No decision", "Open", "Engaged share", "95% interval"]


def evaluation_markdown(evaluation: Evaluation) -> str:
    out = [f"# {inline(heading(evaluation))}", ""]
    for question, key in QUESTIONS_ASKED:
        out += [f"**{question}** {inline(getattr(evaluation.findings, key))}", ""]
    out += ["## Questions", ""]
    out.append(
        table(
            ["#", "Question", "Reached", "Explored", "Skipped", "Cues heard", "Strong", "Partial", "Low",
             "Unrated", "Median note", WORKING],
            [
                [
                    str(q.number), q.category, str(q.asked), str(q.explored), str(q.skipped),
                    percent(q.cue_share), str(q.ratings.strong), str(q.ratings.partial),
                    str(q.ratings.low), str(q.ratings.unrated),
                    "—" if q.median_note_chars is None else f"{q.median_note_chars:g}",
                    "yes" if q.working else "no: " + "; ".join(q.problems),
                ]
                for q in evaluation.questions
            ],
        )
    )  # fmt: skip
    out += ["## Do interviewers agree?", ""]
    out.append(
        table(
            ["Domain", "Organizations", "Pairs", "Agreement", "Kappa"],
            [
                [d.title, str(d.organizations), str(d.pairs), percent(d.agreement), number(d.kappa)]
                for d in evaluation.agreement
            ],
        )
    )
    out += ["## Outcomes by reflection verdict", ""]
    out.append(
        table(["Verdict", *OUTCOME_HEADER], [[r.verdict, *outcome_cells(r)] for r in evaluation.outcomes])
    )
    out += [f"## {inline(READING_TITLE)}", ""]
    out.append(
        table(
            ["Reading", *OUTCOME_HEADER],
            [[r.reading, *outcome_cells(r)] for r in evaluation.outcomes_by_reading],
        )
    )
    if evaluation.warnings:
        out += ["## Read with care", ""]
        out += [f"- {inline(w)}" for w in evaluation.warnings]
    for line in PROVENANCE:  # each its own paragraph
        out += ["", f"*{inline(line)}*"]
    return "\n".join(out).rstrip() + "\n"
