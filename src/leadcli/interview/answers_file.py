"""`--answers FILE`: interviews typed elsewhere, validated in full before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from leadcli.content.models import QuestionSet
from leadcli.dates import DATE_HINT, date_text
from leadcli.errors import ContentError
from leadcli.interview.cue_answers import parse_cue_answer
from leadcli.interview.engine import rating_of, verdict_of
from leadcli.interview.reflect_steps import level_of
from leadcli.store.records import Answer, Contact, FollowUp, Reflection
from leadcli.vocabulary import (
    AUDIENCE_LEVELS,
    RATINGS,
    VERDICTS,
    AudienceLevel,
    Judgement,
    Level,
    Rating,
    Verdict,
    audience_level,
    letters,
    one_of,
)

_STRICT: dict[str, Any] = {"extra": "forbid"}


@dataclass(frozen=True, kw_only=True)
class ContactEntry:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    name: str
    role: str = ""
    level: str
    """An audience level, in any case, as the live interview takes it (`point of care` too)."""


@dataclass(frozen=True, kw_only=True)
class AnswerEntry:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    notes: str = ""
    cues: tuple[str | int, ...] = ()
    """Cue ids or numbers, as the live interview takes them (`2+`, `5-` for a topic judged)."""
    rating: str | None = None
    """strong, partial or low (or s/p/l), in any case."""


@dataclass(frozen=True, kw_only=True)
class FollowUpEntry:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    text: str
    owner: str = ""
    due: str | int | None = None
    """YYYY-MM-DD (checked by leadcli, so that `20270105` or a date with a time gets a plain message;
    the YAML reader keeps an unquoted date as its text)."""


@dataclass(frozen=True, kw_only=True)
class ReflectionEntry:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT
    fit: str = ""
    concerns: str = ""
    gaps: str = ""
    verdict: str | None = None
    """strong, moderate, limited or unclear (or the first letter), in any case."""
    follow_ups: tuple[FollowUpEntry, ...] = ()
    domain_levels: dict[str, str] = field(default_factory=dict)
    """Framework domain id -> the interviewer's level: strong, partial, low or don't know."""
    proposed: tuple[str, ...] = ()
    """Offering ids the interviewer would propose, in order."""


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
    reflection_given: frozenset[str] = frozenset()
    """The reflection fields the file gives (the others are left as they are by `reflect`)."""


_MISSING = {
    "interviewer": "required field is missing or blank (or give --interviewer, or set yours once with"
    " `leadcli config set interviewer NAME`)",
}


def load_answers_file(
    path: Path,
    questions: QuestionSet,
    *,
    required: tuple[str, ...] = ("organization", "interviewer"),
    domain_ids: tuple[str, ...] = (),
    offering_ids: tuple[str, ...] = (),
) -> ParsedAnswers:
    """Read and check an answers file against the current questions; raise ContentError if bad.

    `required` are the fields the file must give (those no option or setting gives); `domain_ids`
    and `offering_ids` are what the reflection's levels and proposals may name."""
    from leadcli.content.validation import validate_document
    from leadcli.content.yamlfile import YamlFileError, load_yaml
    from leadcli.untrusted import clean_data

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
    for key in required:
        if not getattr(parsed, key).strip():
            problems.append(doc.problem((key,), _MISSING.get(key, "required field is missing or blank")))
    levels = _contact_levels(doc, parsed, problems)
    ratings: dict[str, Rating | None] = {}
    cues_of: dict[str, list[str]] = {}
    judged_of: dict[str, dict[str, Judgement]] = {}
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
        cues_of[question_id], judged_of[question_id] = _heard(doc, question, entry, problems)
        ratings[question_id] = rating_of(entry.rating) if entry.rating else None
        if entry.rating and ratings[question_id] is None:
            shortcuts = ", ".join(letters(RATINGS))
            problems.append(
                doc.problem(
                    ("answers", question_id, "rating"),
                    f"{entry.rating!r} is not a rating; use {one_of(RATINGS)} (or {shortcuts})",
                )
            )
    verdict, dues = _reflection_values(doc, parsed, problems)
    levels_given = _domain_levels(doc, parsed, problems, domain_ids)
    _check_proposed(doc, parsed, problems, offering_ids)
    if problems:
        raise ContentError(problems, about=about)
    answers = [
        Answer(
            question_id=qid,
            notes=e.notes.rstrip("\n"),
            cues=cues_of[qid],
            judgements=judged_of[qid],
            rating=ratings[qid],
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
            verdict=verdict,
            follow_ups=[
                FollowUp(text=f.text.strip(), owner=f.owner.strip(), due=dues[i])
                for i, f in enumerate(r.follow_ups)
            ],
            domain_levels=levels_given,
            proposed=list(dict.fromkeys(p.strip() for p in r.proposed)),
        )
    return ParsedAnswers(
        organization=parsed.organization.strip(),
        interviewer=parsed.interviewer.strip(),
        region=parsed.region.strip(),
        contacts=[
            Contact(name=c.name.strip(), role=c.role.strip(), level=levels[i])
            for i, c in enumerate(parsed.contacts)
        ],
        answers=answers,
        reflection=reflection,
        reflection_given=frozenset(doc.data.get("reflection") or {})
        if isinstance(doc.data, dict)
        else frozenset(),
    )


def _heard(
    doc: Any, question: Any, entry: AnswerEntry, problems: list[str]
) -> tuple[list[str], dict[str, Judgement]]:
    """The cues heard for one answer, and the + or - given to its topics; problems appended."""
    cue_ids = [c.id for c in question.cues]
    heard: list[str] = []
    judged: dict[str, Judgement] = {}
    for index, given in enumerate(entry.cues):
        try:
            answer = parse_cue_answer(str(given), question)
        except ValueError as exc:
            reason = str(exc)
            if "only topics" not in reason:
                reason = (
                    f"{given!r} is not a cue of {question.id}; its cues are: {', '.join(cue_ids)}"
                    f" (or numbers 1 to {len(cue_ids)}, + or - after a topic)"
                )
            problems.append(doc.problem(("answers", question.id, "cues", index), reason))
            continue
        heard += [c for c in answer.heard if c not in heard]
        judged.update(answer.judgements)
    return heard, judged


def _contact_levels(doc: Any, parsed: AnswersFile, problems: list[str]) -> dict[int, AudienceLevel]:
    """Each contact's audience level, normalised as the live interview does; problems appended."""
    levels: dict[int, AudienceLevel] = {}
    for index, contact in enumerate(parsed.contacts):
        if not contact.name.strip():
            problems.append(doc.problem(("contacts", index, "name"), "must not be blank"))
        level = audience_level(contact.level)
        if level is None:
            problems.append(
                doc.problem(
                    ("contacts", index, "level"),
                    f"{contact.level!r} is not one of {', '.join(AUDIENCE_LEVELS)}",
                )
            )
        else:
            levels[index] = level
    return levels


def _reflection_values(
    doc: Any, parsed: AnswersFile, problems: list[str]
) -> tuple[Verdict | None, dict[int, str | None]]:
    """The verdict and each follow-up's due date, checked as the live reflection checks them."""
    verdict: Verdict | None = None
    dues: dict[int, str | None] = {}
    if parsed.reflection is not None:
        given_verdict = parsed.reflection.verdict
        verdict = verdict_of(given_verdict) if given_verdict else None
        if given_verdict and verdict is None:
            problems.append(
                doc.problem(
                    ("reflection", "verdict"),
                    f"{given_verdict!r} is not a verdict; use {', '.join(VERDICTS)}",
                )
            )
        for index, follow_up in enumerate(parsed.reflection.follow_ups):
            if not follow_up.text.strip():
                problems.append(doc.problem(("reflection", "follow_ups", index, "text"), "must not be blank"))
            dues[index] = date_text(follow_up.due)
            if follow_up.due is not None and dues[index] is None:
                problems.append(
                    doc.problem(
                        ("reflection", "follow_ups", index, "due"),
                        f"{follow_up.due!r} is not a date; {DATE_HINT}",
                    )
                )
    return verdict, dues


def _domain_levels(
    doc: Any, parsed: AnswersFile, problems: list[str], domain_ids: tuple[str, ...]
) -> dict[str, Level]:
    """The interviewer's levels per domain, checked as `reflect` checks them; problems appended."""
    levels: dict[str, Level] = {}
    if parsed.reflection is None:
        return levels
    for domain_id, given in parsed.reflection.domain_levels.items():
        where = ("reflection", "domain_levels", domain_id)
        if domain_ids and domain_id not in domain_ids:
            problems.append(doc.problem(where, f"unknown domain id; domains are: {', '.join(domain_ids)}"))
            continue
        level = level_of(given)
        if level is None:
            problems.append(
                doc.problem(where, f"{given!r} is not a level; use strong, partial, low or don't know")
            )
            continue
        levels[domain_id] = level
    return levels


def _check_proposed(
    doc: Any, parsed: AnswersFile, problems: list[str], offering_ids: tuple[str, ...]
) -> None:
    if parsed.reflection is None or not offering_ids:
        return
    for index, given in enumerate(parsed.reflection.proposed):
        if given.strip() not in offering_ids:
            problems.append(
                doc.problem(
                    ("reflection", "proposed", index),
                    f"{given!r} is not an offering id; offerings are: {', '.join(offering_ids)}",
                )
            )
