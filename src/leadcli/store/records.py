"""What the store holds, as plain dataclasses (no SQL here)."""

from __future__ import annotations

from dataclasses import dataclass, field

from leadcli.content.models import Cue, Question, ReflectionQuestion

NOT_EXPLORED = "not explored"


@dataclass(kw_only=True)
class Contact:
    name: str
    role: str = ""
    level: str


@dataclass(kw_only=True)
class Answer:
    """What was recorded for one question. A question with no Answer was not explored."""

    question_id: str
    state: str = "explored"  # or "skipped": asked about but deliberately passed over
    notes: str = ""
    cues: list[str] = field(default_factory=list)
    rating: str | None = None
    updated_at: str = ""

    @property
    def explored(self) -> bool:
        return self.state == "explored"


@dataclass(kw_only=True)
class FollowUp:
    text: str
    owner: str = ""
    due: str | None = None  # ISO date


@dataclass(kw_only=True)
class Reflection:
    fit: str = ""
    concerns: str = ""
    gaps: str = ""
    verdict: str | None = None
    follow_ups: list[FollowUp] = field(default_factory=list)


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
                cues=tuple(Cue(id=c["id"], text=c["text"], domains=tuple(c["domains"])) for c in q["cues"]),
            )
            for q in data["questions"]
        )
        reflection = tuple(ReflectionQuestion(id=r["id"], text=r["text"]) for r in data["reflection"])
        return cls(questions=questions, reflection=reflection)


@dataclass(kw_only=True)
class ContentStamp:
    """Which content an interview was taken with."""

    framework_version: str
    framework_sha256: str
    questions_version: str
    questions_sha256: str


@dataclass(kw_only=True)
class Interview:
    id: str
    organization: str
    interviewer: str
    region: str = ""
    status: str = "draft"
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
    """What the summary needs of one interview: no notes, no reflection texts."""

    id: str
    organization: str
    region: str
    status: str
    snapshot: Snapshot
    verdict: str | None
    people: tuple[str, ...]
    """Audience levels of the people in the conversation."""
    given: dict[str, tuple[str | None, list[str]]]
    """Explored questions: question id -> (rating, cue ids heard); empty when `levels` is known."""
    follow_ups: list[FollowUp]
    levels: list[tuple[str, str]] | None = None
    """(domain id, level) pairs worked out earlier with the same rules, if the store kept them."""

    @classmethod
    def of(cls, interview: Interview) -> InterviewFacts:
        reflection = interview.reflection
        return cls(
            id=interview.id,
            organization=interview.organization,
            region=interview.region,
            status=interview.status,
            snapshot=interview.snapshot,
            verdict=reflection.verdict if reflection else None,
            people=tuple(c.level for c in interview.contacts),
            given={a.question_id: (a.rating, a.cues) for a in interview.answers.values() if a.explored},
            follow_ups=list(reflection.follow_ups) if reflection else [],
        )
