"""`--answers FILE`: interviews typed elsewhere, validated in full before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic.functional_validators import BeforeValidator

from leadcli.content.models import QuestionSet
from leadcli.errors import ContentError
from leadcli.store.records import Answer, Contact, FollowUp, Reflection
from leadcli.vocabulary import AudienceLevel, Rating, Verdict

_STRICT: dict[str, Any] = {"extra": "forbid"}


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


@dataclass(frozen=True, kw_only=True)
class ContactEntry:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    name: str
    role: str = ""
    level: AudienceLevel


@dataclass(frozen=True, kw_only=True)
class AnswerEntry:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    notes: str = ""
    cues: tuple[str | int, ...] = ()  # cue ids, or numbers as typed live
    rating: Annotated[Rating, BeforeValidator(_lower)] | None = None  # `PARTIAL` as typed live


@dataclass(frozen=True, kw_only=True)
class FollowUpEntry:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    text: str
    owner: str = ""
    due: Any = None  # checked by the loader, so that `20270105` gets a plain message


@dataclass(frozen=True, kw_only=True)
class ReflectionEntry:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    fit: str = ""
    concerns: str = ""
    gaps: str = ""
    verdict: Verdict | None = None
    follow_ups: tuple[FollowUpEntry, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AnswersFile:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    organization: str = ""
    interviewer: str = ""
    region: str = ""
    contacts: tuple[ContactEntry, ...] = ()
    answers: dict[str, AnswerEntry] = field(default_factory=dict)
    reflection: ReflectionEntry | None = None
    questions_version: str | None = None
    """The questions version the answers were written for; checked when given."""


@dataclass(frozen=True, kw_only=True)
class ParsedAnswers:
    organization: str
    interviewer: str
    region: str
    contacts: list[Contact]
    answers: list[Answer]
    reflection: Reflection | None


def load_answers_file(path: Path, questions: QuestionSet, *, need_interview: bool = True) -> ParsedAnswers:
    """Read and check an answers file against the current questions; raise ContentError if bad."""
    from leadcli.content.validation import validate_document
    from leadcli.content.yamlfile import YamlFileError, load_yaml

    try:
        doc = load_yaml(path)
    except YamlFileError as exc:
        raise ContentError(exc.problems) from None
    parsed, problems = validate_document(doc, AnswersFile)
    if parsed is None:
        raise ContentError(problems)
    by_id = {q.id: q for q in questions.questions}
    if parsed.questions_version and parsed.questions_version != questions.version:
        problems.append(
            doc.problem(
                ("questions_version",),
                f"written for questions version {parsed.questions_version!r}, but this content is "
                f"{questions.version!r}; check the question ids, then update or remove this line",
            )
        )
    if need_interview:
        for key in ("organization", "interviewer"):
            if not getattr(parsed, key).strip():
                problems.append(doc.problem((key,), "required field is missing or blank"))
    cues_by_question: dict[str, list[str]] = {}
    for question_id, entry in parsed.answers.items():
        question = by_id.get(question_id)
        if question is None:
            problems.append(
                doc.problem(
                    ("answers", question_id),
                    f"unknown question id; questions are: {', '.join(by_id)}",
                )
            )
            continue
        cue_ids = [c.id for c in question.cues]
        chosen: list[str] = []
        for index, cue in enumerate(entry.cues):
            text = str(cue).strip()
            if text.isdigit() and 1 <= int(text) <= len(cue_ids):
                text = cue_ids[int(text) - 1]
            if text not in cue_ids:
                problems.append(
                    doc.problem(
                        ("answers", question_id, "cues", index),
                        f"{cue!r} is not a cue of {question_id}; its cues are: {', '.join(cue_ids)}"
                        f" (or numbers 1 to {len(cue_ids)})",
                    )
                )
            elif text not in chosen:
                chosen.append(text)
        cues_by_question[question_id] = chosen
    for index, contact in enumerate(parsed.contacts):
        if not contact.name.strip():
            problems.append(doc.problem(("contacts", index, "name"), "the name must not be blank"))
    dues: list[str | None] = []
    if parsed.reflection is not None:
        for index, item in enumerate(parsed.reflection.follow_ups):
            due, problem = _due(item.due)
            if problem:
                problems.append(doc.problem(("reflection", "follow_ups", index, "due"), problem))
            dues.append(due)
    if problems:
        raise ContentError(problems)
    answers = [
        Answer(
            question_id=qid,
            notes=e.notes.rstrip("\n"),
            cues=cues_by_question[qid],
            rating=e.rating,
        )
        for qid, e in parsed.answers.items()
        if e.notes.strip() or e.cues or e.rating
    ]
    reflection = None
    if parsed.reflection is not None:
        r = parsed.reflection
        reflection = Reflection(
            fit=r.fit.strip(),
            concerns=r.concerns.strip(),
            gaps=r.gaps.strip(),
            verdict=r.verdict,
            follow_ups=[
                FollowUp(text=f.text, owner=f.owner, due=due)
                for f, due in zip(r.follow_ups, dues, strict=True)
            ],
        )
    return ParsedAnswers(
        organization=parsed.organization.strip(),
        interviewer=parsed.interviewer.strip(),
        region=parsed.region.strip(),
        contacts=[Contact(name=c.name, role=c.role, level=c.level) for c in parsed.contacts],
        answers=answers,
        reflection=reflection,
    )


def _due(value: Any) -> tuple[str | None, str]:
    """A follow-up's due date as ISO text, or a plain reason why it is not a date."""
    if value is None or value == "":
        return None, ""
    if isinstance(value, date):
        return value.isoformat(), ""
    try:
        return date.fromisoformat(str(value).strip()).isoformat(), ""
    except ValueError:
        return None, f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2027-01-05"
