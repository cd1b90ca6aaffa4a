"""`--answers FILE`: interviews typed elsewhere, validated in full before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from leadcli.content.models import QuestionSet
from leadcli.errors import ContentError
from leadcli.store.records import Answer, Contact, FollowUp, Reflection
from leadcli.vocabulary import AudienceLevel, Rating, Verdict

_STRICT: dict[str, Any] = {"extra": "forbid"}


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
    cues: tuple[str, ...] = ()
    rating: Rating | None = None


@dataclass(frozen=True, kw_only=True)
class FollowUpEntry:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    text: str
    owner: str = ""
    due: date | None = None


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
    from leadcli.text_input import clean_data

    about = f"the answers file {path}"
    try:
        doc = load_yaml(path)
    except YamlFileError as exc:
        raise ContentError(exc.problems, about=about) from None
    doc.data = clean_data(doc.data)
    parsed, problems = validate_document(doc, AnswersFile)
    if parsed is None:
        raise ContentError(problems, about=about)
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
        for index, cue_id in enumerate(entry.cues):
            if cue_id not in cue_ids:
                problems.append(
                    doc.problem(
                        ("answers", question_id, "cues", index),
                        f"{cue_id!r} is not a cue of {question_id}; its cues are: {', '.join(cue_ids)}",
                    )
                )
    if problems:
        raise ContentError(problems, about=about)
    answers = [
        Answer(question_id=qid, notes=e.notes.rstrip("\n"), cues=list(e.cues), rating=e.rating)
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
                FollowUp(text=f.text, owner=f.owner, due=f.due.isoformat() if f.due else None)
                for f in r.follow_ups
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
