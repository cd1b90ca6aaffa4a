"""Every fixed vocabulary leadcli uses, defined once, and the rule for an interview's status.

Each vocabulary is a `Literal` type (for models and type checkers) with its values as a tuple
derived from it (for commands, SQL checks and messages). Import these; never spell the values out.
"""

from __future__ import annotations

from typing import Literal, get_args

# --- content ---------------------------------------------------------------------------------

AudienceLevel = Literal["executive", "core", "point-of-care"]
AUDIENCE_LEVELS: tuple[str, ...] = get_args(AudienceLevel)  # str: the store's rows carry them as text

OfferingType = Literal["education", "membership", "consulting"]
OFFERING_TYPES: tuple[OfferingType, ...] = get_args(OfferingType)

PricePer = Literal["person", "organization"]
PRICE_UNITS: tuple[PricePer, ...] = get_args(PricePer)

CustomerKind = Literal["organizations", "individuals"]
"""The two kinds of customer the report names (deliverable 6)."""
CUSTOMER_KINDS: tuple[CustomerKind, ...] = get_args(CustomerKind)

DurationUnit = Literal["day", "week", "month", "year"]
DURATION_UNITS: tuple[DurationUnit, ...] = get_args(DurationUnit)

SortKey = Literal["name", "price", "duration"]
SORT_KEYS: tuple[SortKey, ...] = get_args(SortKey)

CueKind = Literal["strength", "concern", "topic"]
"""What hearing a cue means: a strength, a concern (a risk to the work), or a topic judged + or -."""
CUE_KINDS: tuple[str, ...] = get_args(CueKind)

Wording = Literal["report", "leadcli"]
"""Whose words a text is: the report's own, or leadcli's (marked †)."""
WORDINGS: tuple[str, ...] = get_args(Wording)

# --- what an interview records ---------------------------------------------------------------

Rating = Literal["strong", "partial", "low"]
RATINGS: tuple[Rating, ...] = get_args(Rating)

AnswerState = Literal["explored", "skipped"]
ANSWER_STATES: tuple[AnswerState, ...] = get_args(AnswerState)

Judgement = Literal["+", "-"]
"""The interviewer's + or - on a topic cue heard (a topic heard without one counts for nothing)."""
JUDGEMENTS: tuple[str, ...] = get_args(Judgement)

Verdict = Literal["strong", "moderate", "limited", "unclear"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)

Status = Literal["draft", "awaiting-reflection", "complete"]
STATUSES: tuple[Status, ...] = get_args(Status)

# --- what came of the conversations --------------------------------------------------------

OutcomeResult = Literal["engaged", "declined", "no-decision"]
OUTCOME_RESULTS: tuple[OutcomeResult, ...] = get_args(OutcomeResult)

# --- what the assessment works out -----------------------------------------------------------

Level = Literal["strong", "partial", "low", "unknown"]
LEVELS: tuple[Level, ...] = get_args(Level)
LEVEL_WORDS = {"strong": "strong", "partial": "partial", "low": "low", "unknown": "don't know"}
"""How `reflect` asks for a domain level: `unknown` is the interviewer's "don't know"."""

# --- output ----------------------------------------------------------------------------------

# Each command offers only the formats it can write; --help lists exactly those.
# `excel` is CSV for spreadsheets opened without an import dialog: UTF-8 with a byte-order mark, CRLF.
ContentFormat = Literal["table", "json", "markdown", "csv", "excel"]  # framework, questions, offerings
RecordsFormat = Literal["table", "json", "csv", "excel"]  # list
DataFormat = Literal["table", "json"]  # show, summary, validate
ReportFormat = Literal["table", "markdown", "html", "json"]  # report
ExportFormat = Literal["json", "jsonl", "csv", "excel"]  # export
StudyFormat = Literal["table", "markdown", "json"]  # evaluate
OutputFormat = Literal[ContentFormat, RecordsFormat, DataFormat, ReportFormat, ExportFormat, StudyFormat]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = get_args(OutputFormat)


def audience_level(text: str) -> AudienceLevel | None:
    """`Point of care`, `EXECUTIVE` ... -> the audience level, as people type it; None if it is none."""
    level = text.strip().lower().replace(" ", "-")
    return next((known for known in get_args(AudienceLevel) if known == level), None)


def one_of(values: tuple[str, ...]) -> str:
    """`strong, partial or low`: a vocabulary as a prompt or a message says it."""
    return f"{', '.join(values[:-1])} or {values[-1]}" if len(values) > 1 else "".join(values)


def letters(values: tuple[str, ...]) -> tuple[str, ...]:
    """The one-letter shortcuts a prompt takes for a vocabulary: its values' first letters."""
    return tuple(value[0] for value in values)


def status_for(*, questions_finished: bool, has_verdict: bool) -> Status:
    """The one rule for an interview's status.

    An interview is a draft until its questions are finished (every one answered, skipped or left
    on purpose when the interviewer ends it); then it awaits reflection until the reflection gives a
    verdict, and is complete after that. A verdict given to a draft leaves it a draft.
    """
    if not questions_finished:
        return "draft"
    return "complete" if has_verdict else "awaiting-reflection"


def questions_finished(status: Status, position: int, questions: int) -> bool:
    """Whether an interview's questions are finished: its status already says so, or it stands past
    the last question. Once finished they stay finished: a finished interview resumed to amend it
    stands at a question again (`position`), and no copy of it goes back to draft."""
    return status != "draft" or position >= questions
