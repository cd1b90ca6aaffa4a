"""What the store holds, as plain dataclasses (no SQL here)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from leadcli.content.models import Cue, Question, ReflectionQuestion
from leadcli.names import name_key
from leadcli.vocabulary import (
    AnswerState,
    AudienceLevel,
    CueKind,
    Judgement,
    Level,
    OutcomeResult,
    Rating,
    Status,
    Verdict,
    Wording,
)

NOT_EXPLORED = "not explored"
UNRATED = "unrated"


def question_label(*, explored: bool, rating: str | None) -> str:
    """How a question stands, in one word or two: its rating, `unrated`, or `not explored`."""
    if not explored:
        return NOT_EXPLORED
    return rating or UNRATED


@dataclass(kw_only=True)
class Contact:
    name: str
    role: str = ""
    level: AudienceLevel


@dataclass(kw_only=True)
class NoteLine:
    """One line of an answer's notes: its own identity, its time (a clock stamp, `store.clock`),
    who typed it. Lines are only ever added; a line an edit replaced is kept, marked `gone` (the
    stamp of the edit), so every copy of the interview drops it alike."""

    id: str
    stamp: str
    author: str = ""
    text: str
    gone: str = ""


@dataclass(kw_only=True)
class Answer:
    """What was recorded for one question. A question with no Answer was not explored.

    `notes` is the text of its `lines` that are not gone, in their order (stamp, then id); `stamps`
    holds the clock stamp of each single value (state, cues, judgements, rating), and under
    `FIELD<` the stamp of the value it replaced (`store.merge`)."""

    question_id: str
    state: AnswerState = "explored"  # or "skipped": asked about but deliberately passed over
    notes: str = ""
    cues: list[str] = field(default_factory=list)
    judgements: dict[str, Judgement] = field(default_factory=dict)
    """Topic cue id -> `+` or `-`, for the topics heard that the interviewer judged."""
    rating: Rating | None = None
    updated_at: str = ""
    lines: list[NoteLine] = field(default_factory=list)
    stamps: dict[str, str] = field(default_factory=dict)

    @property
    def explored(self) -> bool:
        return self.state == "explored"


@dataclass(kw_only=True)
class FollowUp:
    text: str
    owner: str = ""
    due: str | None = None  # ISO date
    id: str = ""
    """Its identity across copies (sorts by when it was added; `store.identity`)."""
    stamp: str = ""
    """The clock stamp of its text, owner and due date."""


@dataclass(kw_only=True)
class Reflection:
    fit: str = ""
    concerns: str = ""
    gaps: str = ""
    verdict: Verdict | None = None
    follow_ups: list[FollowUp] = field(default_factory=list)
    domain_levels: dict[str, Level] = field(default_factory=dict)
    """The interviewer's own level per framework domain (strong, partial, low, or unknown for
    "don't know"); a domain left out takes leadcli's reading."""
    proposed: list[str] = field(default_factory=list)
    """Offering ids the interviewer would propose, in their order; they lead the recommendations."""
    stamps: dict[str, str] = field(default_factory=dict)
    """The clock stamp of each field (and `FIELD<`, what it replaced); `gone:ID`, when a follow-up
    was dropped."""


# The stated migration for copies of the questions taken before cues had kinds (questions
# 2019.12-a.1): each cue takes the kind it has had since; a cue not listed is a topic, and a topic
# heard in such an interview has no + or -, so it counts for nothing until judged.
LEGACY_CUE_KINDS: dict[str, CueKind] = {
    "problems-solved": "strength",
    "challenges-remaining": "concern",
    "results-sustained": "strength",
    "open-about-setbacks": "strength",
    "learning-culture": "strength",
    "looks-internally": "strength",
    "looks-externally": "strength",
    "names-exemplars": "strength",
    "understands-region": "strength",
    "issues-that-help": "strength",
    "issues-that-hurt": "concern",
}
LEGACY_REPORT_WORDED = frozenset(
    {"planning-process", "quality-infrastructure", "problems-solved", "learning-culture", "leaders-time"}
)


@dataclass(kw_only=True)
class Snapshot:
    """The question texts and cues an interview was taken with, kept with the record."""

    questions: tuple[Question, ...]
    reflection: tuple[ReflectionQuestion, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @classmethod
    def from_data(cls, data: dict) -> Snapshot:
        questions = tuple(
            Question(
                id=q["id"],
                number=q["number"],
                category=q["category"],
                prompts=tuple(q["prompts"]),
                guidance=q["guidance"],
                domains=tuple(q["domains"]),
                cues=tuple(
                    Cue(
                        id=c["id"],
                        text=c["text"],
                        domains=tuple(c["domains"]),
                        kind=cast(CueKind, c.get("kind") or LEGACY_CUE_KINDS.get(c["id"], "topic")),
                        words=c.get("words") or _legacy_words(c["id"]),
                    )
                    for c in q["cues"]
                ),
            )
            for q in data["questions"]
        )
        reflection = tuple(ReflectionQuestion(id=r["id"], text=r["text"]) for r in data["reflection"])
        return cls(questions=questions, reflection=reflection)


def _legacy_words(cue_id: str) -> Wording:
    return "report" if cue_id in LEGACY_REPORT_WORDED else "leadcli"


def legacy_cues_filled(data: dict) -> dict:
    """A snapshot's data with the kind and wording `Snapshot.from_data` gives its cues where a copy
    from before cues had kinds leaves them out (for checking it against the declaration)."""
    questions = [
        {**q, "cues": [_legacy_cue(c) for c in q["cues"]]}
        if isinstance(q, dict) and isinstance(q.get("cues"), list)
        else q
        for q in data["questions"]
    ]
    return {**data, "questions": questions}


def _legacy_cue(cue: Any) -> Any:
    cue_id = cue.get("id") if isinstance(cue, dict) else None
    if not isinstance(cue_id, str):
        return cue
    return {
        **cue,
        "kind": cue.get("kind") or LEGACY_CUE_KINDS.get(cue_id, "topic"),
        "words": cue.get("words") or _legacy_words(cue_id),
    }


@dataclass(kw_only=True)
class ContentStamp:
    """Which content an interview was taken with."""

    framework_version: str
    framework_sha256: str
    questions_version: str
    questions_sha256: str
    questions_source: str = ""
    """Where the questions came from when not the data files: `published` (the team store's
    set), or the `--data-dir` folder the interviewer gave."""


@dataclass(kw_only=True)
class Interview:
    id: str
    organization: str
    interviewer: str
    region: str = ""
    status: Status = "draft"
    position: int = 0
    created_at: str = ""
    updated_at: str = ""
    stamp: ContentStamp
    snapshot: Snapshot
    contacts: list[Contact] = field(default_factory=list)
    answers: dict[str, Answer] = field(default_factory=dict)
    reflection: Reflection | None = None
    created_by: str = ""  # the database user (or login name) that created it
    changed_by: str = ""  # ... and that last changed it
    assigned_to: str = ""  # whose it is to change (its creator, unless a manager assigned it)
    claimed_by: str = ""  # who an imported file said created it (never taken as the author)
    uid: str = ""
    """Its identity across machines and files (`store.identity`): the short `id` may clash, this never."""
    stamps: dict[str, str] = field(default_factory=dict)
    """The clock stamp of each single value kept in its row (position, status, ...)."""


@dataclass(frozen=True)
class LostValue:
    """A value that lost a merge, kept in the interview's history (`value_history`); an export
    carries each interview's (`lost_values`), so the store that imports it keeps them too."""

    field: str
    """What it is, in words: `question 3 rating`, `reflection verdict`, ..."""
    value: str
    """The value as JSON text."""
    stamp: str
    """Its clock stamp (`store.clock`)."""
    winner_stamp: str
    """The stamp of the value kept instead."""
    at: str
    """When a merge first kept it (in this store, or in the one whose export brought it)."""


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail: when, who (the store's user), what, on which record."""

    at: str
    actor: str
    action: str
    record_id: str
    detail: str


@dataclass
class InterviewSummary:
    """One line of `leadcli list` (fields in the order the store's query returns them)."""

    id: str
    organization: str
    interviewer: str
    region: str
    status: str
    created_at: str
    updated_at: str
    questions: int
    explored: int
    verdict: str | None


@dataclass(kw_only=True)
class InterviewFacts:
    """What the summary needs to work out one interview's domain levels: no notes, no texts."""

    id: str
    region: str
    snapshot: Snapshot
    people: tuple[str, ...]
    """Audience levels of the people in the conversation."""
    given: dict[str, tuple[Rating | None, list[str], dict[str, Judgement]]]
    """Explored questions: question id -> (rating, cue ids heard, topic judgements)."""
    domain_levels: dict[str, str] = field(default_factory=dict)
    """The interviewer's own levels per domain, from the reflection."""


@dataclass(kw_only=True)
class StoreFacts:
    """What the summary needs of the whole store, counted where the records are kept."""

    by_status: list[tuple[str, str | None, int]]
    """(status, verdict or None, how many interviews)."""
    organizations: list[str]
    """Each distinct organization, by its key (`names.name_key`)."""
    kept: list[tuple[list[tuple[str, ...]], tuple[str, ...], str, dict[str, str], int]]
    """Interviews whose (domain id, level) pairs were worked out earlier with the same rules, grouped:
    (leadcli's levels, audience levels of the people, region, the interviewer's own levels, how many)."""
    to_assess: Iterable[InterviewFacts]
    """The other interviews, one at a time, to be assessed."""
    overdue: list[tuple[str, str, FollowUp]]
    """(interview id, organization, follow-up) due before the day asked about, earliest first."""

    @classmethod
    def of(cls, interviews: list[Interview], due_before: str) -> StoreFacts:
        """The facts of interviews at hand (none of them assessed yet)."""
        by_status: Counter[tuple[str, str | None]] = Counter(
            (i.status, i.reflection.verdict if i.reflection else None) for i in interviews
        )
        overdue = [
            (i.id, i.organization, f)
            for i in interviews
            if i.reflection
            for f in i.reflection.follow_ups
            if f.due and f.due < due_before
        ]
        return cls(
            by_status=[(status, verdict, n) for (status, verdict), n in by_status.items()],
            organizations=sorted({name_key(i.organization) for i in interviews}),
            kept=[],
            to_assess=[
                InterviewFacts(
                    id=i.id,
                    region=i.region,
                    snapshot=i.snapshot,
                    people=tuple(c.level for c in i.contacts),
                    given={
                        a.question_id: (a.rating, a.cues, a.judgements)
                        for a in i.answers.values()
                        if a.explored
                    },
                    domain_levels=dict(i.reflection.domain_levels) if i.reflection else {},
                )
                for i in interviews
            ],
            overdue=sorted(overdue, key=lambda o: (o[2].due, o[0])),
        )


@dataclass(kw_only=True)
class Outcome:
    """What came of the conversations with one organization, as of one date."""

    id: str
    organization: str
    result: OutcomeResult
    date: str
    """ISO date the outcome was reached."""
    offerings: list[str] = field(default_factory=list)
    """Offering ids taken up (or discussed)."""
    note: str = ""
    recorded_at: str = ""


@dataclass(kw_only=True)
class AnsweredFacts:
    """What `leadcli evaluate` needs of one interview: how each question went, without notes."""

    id: str
    organization: str
    org_key: str
    """The organization's identity (`names.name_key`), as the store keeps it."""
    interviewer: str
    interviewer_key: str
    """The interviewer's identity (`names.name_key`), as the store keeps it."""
    created_at: str
    status: str
    position: int
    """In a draft, the questions before this one were reached; a finished interview reached all."""
    snapshot: Snapshot
    verdict: str | None
    answers: dict[str, tuple[str, str | None, list[str], int]]
    """Question id -> (state, rating, cue ids heard, characters of notes)."""
    judgements: dict[str, dict[str, str]] = field(default_factory=dict)
    """Question id -> the + or - given to the topics heard in it."""
    domain_levels: dict[str, str] = field(default_factory=dict)
    """The interviewer's own levels per domain, from the reflection."""


@dataclass(kw_only=True)
class RecordedQuestionSet:
    """The one text a question-set version names, as the store recorded it."""

    version: str
    sha256: str
    """SHA-256 of the set's text (`content.question_sets.set_digest`)."""
    data: dict
    """The set as plain data (`content.question_sets.set_data`)."""
    recorded_at: str
    recorded_by: str = ""


@dataclass(kw_only=True)
class Publication:
    """A manager's publishing of a question set to the team store: the set interviews then use."""

    question_set: RecordedQuestionSet
    published_at: str
    published_by: str = ""
