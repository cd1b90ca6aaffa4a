"""`leadcli evaluate --by-version`: the evaluation per question-set version, side by side. Pure.

The interviews are split by the version of the questions they were taken with, each version is
evaluated on its own (`assessment.evaluate`, with the same small-number warnings and Wilson
intervals), and each question is followed across the versions by its id. Where a version
rewords a question (its prompts differ from the version before that asked it) the question is
marked reworded there; where only its cues or other fields changed, it is marked changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from leadcli.assessment.evaluate import (
    Evaluation,
    QuestionFigures,
    VerdictOutcomes,
    _round,
    evaluate,
    pairs_warning,
    percent,
    wilson_interval,
)
from leadcli.content.models import Content, Question
from leadcli.content.question_sets import question_changes, questions_data
from leadcli.store.records import AnsweredFacts

SCHEMA_VERSION = 1
UNVERSIONED = "(no version)"
NOTE = (
    "Whether a question is working, and when numbers are too few to read, are leadcli's rules of thumb (†),"
    " not the report's; a question is followed across versions by its id."
)


@dataclass(kw_only=True)
class VersionFigures:
    """One question under one version."""

    version: str
    change: str | None
    """`new` (first asked in this version), `reworded`, `changed` (cues or guidance), or None."""
    changed: list[str] = field(default_factory=list)
    """What changed from the version before, e.g. `prompts`, `cue looks-at-data added`."""
    figures: QuestionFigures
    explored_share: float | None
    """Explored / reached."""
    explored_interval: list[float] | None
    """95% Wilson interval of the explored share."""
    rated_share: float | None
    """Rated / explored."""
    rated_interval: list[float] | None


@dataclass(kw_only=True)
class QuestionAcross:
    """One question (by id) across the versions; `versions` lists only those that asked it."""

    id: str
    number: int
    category: str
    versions: list[VersionFigures]
    dropped_in: str | None = None
    """The first version after one that asked it that no longer does."""


@dataclass(kw_only=True)
class VersionColumn:
    version: str
    interviews: int
    first: str
    """Date of its first interview."""
    last: str
    questions: int
    outcomes: list[VerdictOutcomes]
    """Verdict against outcome, as `evaluate` gives them, for this version's interviews."""
    warnings: list[str]


@dataclass(kw_only=True)
class VersionedEvaluation:
    schema_version: int
    since: str | None
    interviewer: str | None
    interviews: int
    versions: list[VersionColumn]
    """Oldest first (by first interview)."""
    questions: list[QuestionAcross]
    findings: list[str]
    """For each reworded question: how the revision fares against the text it replaced."""
    note: str = NOTE


def _share(part: int, whole: int) -> tuple[float | None, list[float] | None]:
    interval = wilson_interval(part, whole)
    share = _round(part / whole) if whole else None
    return share, [_round(interval[0]), _round(interval[1])] if interval else None  # type: ignore[list-item]


def _what_changed(before: Question, after: Question) -> tuple[str | None, list[str]]:
    questions, cues = question_changes(questions_data((before,)), questions_data((after,)))
    changed = list(questions[0].fields) if questions else []
    changed += [f"cue {c.cue_id} {c.change}" for c in cues]
    if not changed:
        return None, []
    return ("reworded" if questions and questions[0].reworded else "changed"), changed


def evaluate_by_version(
    facts: Iterable[AnsweredFacts],
    versions: dict[str, str],
    content: Content,
    results: dict[str, str],
    *,
    since: date | None = None,
    interviewer: str | None = None,
    decided_on: dict[str, str] | None = None,
) -> VersionedEvaluation:
    """The evaluation of each question-set version's interviews, and each question across them.

    `versions` maps each interview's id to the version of the questions it was taken with;
    `decided_on` is as for `evaluate` (outcomes dated before an interview foretold nothing).
    """
    groups: dict[str, list[AnsweredFacts]] = {}
    for item in facts:
        groups.setdefault(versions.get(item.id) or UNVERSIONED, []).append(item)
    ordered = sorted(groups.items(), key=lambda kv: (min(i.created_at for i in kv[1]), kv[0]))
    columns: list[VersionColumn] = []
    asked_by: dict[str, tuple[Question, ...]] = {}
    evaluations: dict[str, Evaluation] = {}
    for version, items in ordered:
        items.sort(key=lambda i: i.created_at)
        asked = items[-1].snapshot.questions  # the latest copy under the version stands for it
        result = evaluate(
            items, content, results, since=since, interviewer=interviewer, asked=asked, decided_on=decided_on
        )
        if not result.interviews:
            continue
        kept = [i for i in items if i.created_at[:10] >= (since.isoformat() if since else "")]
        asked_by[version], evaluations[version] = asked, result
        columns.append(
            VersionColumn(
                version=version,
                interviews=result.interviews,
                first=kept[0].created_at[:10],
                last=kept[-1].created_at[:10],
                questions=len(asked),
                outcomes=result.outcomes,
                # agreement is not shown per version, so neither is its warning
                warnings=[
                    w for w in result.warnings if w != pairs_warning(sum(d.pairs for d in result.agreement))
                ],
            )
        )
    rows: dict[str, QuestionAcross] = {}
    previous: dict[str, Question] = {}  # the question as the last version that asked it had it
    for column in columns:
        by_id = {q.id: q for q in asked_by[column.version]}
        for figures in evaluations[column.version].questions:
            question = by_id.get(figures.id)
            if question is None:
                continue  # reached under another copy only: not this version's question
            before = previous.get(question.id)
            change: str | None
            if before is not None:
                change, changed = _what_changed(before, question)
            else:  # in the oldest version everything is first asked: nothing is new there
                change, changed = (None if column is columns[0] else "new"), []
            explored = _share(figures.explored, figures.asked)
            rated = figures.explored - figures.ratings.unrated
            rated_share = _share(rated, figures.explored)
            row = rows.setdefault(
                question.id,
                QuestionAcross(
                    id=question.id, number=question.number, category=question.category, versions=[]
                ),
            )
            row.number, row.category, row.dropped_in = question.number, question.category, None
            row.versions.append(
                VersionFigures(
                    version=column.version,
                    change=change,
                    changed=changed,
                    figures=figures,
                    explored_share=explored[0],
                    explored_interval=explored[1],
                    rated_share=rated_share[0],
                    rated_interval=rated_share[1],
                )
            )
            previous[question.id] = question
        for question_id, row in rows.items():
            if question_id not in by_id and row.dropped_in is None:
                row.dropped_in = column.version
    questions = sorted(rows.values(), key=lambda r: (r.number, r.id))
    return VersionedEvaluation(
        schema_version=SCHEMA_VERSION,
        since=since.isoformat() if since else None,
        interviewer=interviewer,
        interviews=sum(c.interviews for c in columns),
        versions=columns,
        questions=questions,
        findings=_findings(questions, columns),
    )


def _fraction(cell: VersionFigures) -> str:
    f = cell.figures
    rated = f.explored - f.ratings.unrated
    return (
        f"explored {f.explored} of {f.asked} ({percent(cell.explored_share)}), "
        f"rated {rated} of {f.explored} ({percent(cell.rated_share)})"
    )


def _findings(questions: list[QuestionAcross], columns: list[VersionColumn]) -> list[str]:
    if len(columns) < 2:
        return ["Only one question-set version has interviews: nothing to compare yet."]
    findings = []
    for row in questions:
        for before, after in zip(row.versions, row.versions[1:], strict=False):
            if after.change not in ("reworded", "changed"):
                continue
            what = "reworded" if after.change == "reworded" else "changed (" + ", ".join(after.changed) + ")"
            findings.append(
                f"{row.number}. {row.category} {what} in {after.version}: {_fraction(after)}; "
                f"under {before.version}: {_fraction(before)}."
            )
        if row.dropped_in:
            findings.append(f"{row.number}. {row.category} is not asked from {row.dropped_in} on.")
        first = row.versions[0]
        if first.change == "new":
            findings.append(f"{row.number}. {row.category} is new in {first.version}: {_fraction(first)}.")
    if not findings:
        findings.append("No question changed between the versions that have interviews.")
    if any(c.interviews < 10 for c in columns):
        findings.append("Some versions have fewer than 10 interviews: read the differences with care.")
    return findings
