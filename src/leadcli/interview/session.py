"""Interview sessions as the commands run them: set-up, resuming, the lease, answers files.

The engines in `interview.engine` run the questions; this module creates or resumes the record,
holds the lease that keeps a second terminal from writing the same interview, and imports
interviews typed elsewhere.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leadcli.content.models import Content
from leadcli.errors import LeadcliError, UsageError
from leadcli.interview.capture import Capture, lease_for
from leadcli.interview.engine import Ask, Edit, InterviewEngine, Paused, ReflectionEngine, Show, View
from leadcli.interview.reflect_steps import ReflectionSteps
from leadcli.store.db import Store
from leadcli.store.records import Contact, ContentStamp, Interview, Reflection
from leadcli.store.snapshots import snapshot_data
from leadcli.vocabulary import AUDIENCE_LEVELS, audience_level, status_for


def parse_contact(text: str) -> Contact:
    """`"Name, Role, level"` (role optional) -> Contact; the level must be an audience level."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 2 or not parts[0]:
        raise UsageError(
            f'contact {text!r}: write it as "Name, Role, level" (level: {", ".join(AUDIENCE_LEVELS)})'
        )
    if len(parts) > 3:
        raise UsageError(
            f'contact {text!r} has {len(parts)} parts: write it as "Name, Role, level", the name in one'
            ' part ("Ana Ruiz", not "Ruiz, Ana") and no comma in the role'
        )
    level = audience_level(parts[-1])
    if level is None and len(parts) == 2:  # "Ana Ruiz, CEO": the role given, the level left out
        raise UsageError(
            f'contact {text!r} has no level: write it as "Name, Role, level", the level one of'
            f' {", ".join(AUDIENCE_LEVELS)} (the role may be left out: "Name, level")'
        )
    if level is None:
        raise UsageError(f"contact {text!r}: level {parts[-1]!r} is not one of {', '.join(AUDIENCE_LEVELS)}")
    return Contact(name=parts[0], role=parts[1] if len(parts) == 3 else "", level=level)


def content_stamp(content: Content) -> ContentStamp:
    return ContentStamp(
        framework_version=content.framework.version,
        framework_sha256=content.files["framework.yaml"].sha256 if content.files else "",
        questions_version=content.questions.version,
        questions_sha256=content.files["questions.yaml"].sha256 if content.files else "",
        questions_source=content.questions_from,
    )


def record_question_set(store: Store, content: Content) -> None:
    """Record the set of questions under its version (once), or refuse a second text for it.

    Called before an interview is created with the set (by `import_interview`, and by the
    `interview` command before the conversation starts), so nothing is ever recorded under a
    version that means two things.
    """
    from leadcli.content.question_sets import questions_file, set_data, set_digest

    data = set_data(content.questions)
    with store.transaction():
        store.question_sets.record(data, set_digest(data), where=questions_file(content))


def begin_interview(
    store: Store | Capture,
    content: Content,
    *,
    organization: str,
    interviewer: str,
    region: str,
    contacts: list[Contact],
) -> Interview:
    """Create a draft interview that keeps a copy of the questions it will show.

    Given a Capture (a live interview), it is created on this machine and leased to this process.
    """
    for label, value in (("organization", organization), ("interviewer", interviewer)):
        if not value.strip():
            raise UsageError(f"the {label} must not be blank")
    fields: dict[str, Any] = {
        "organization": organization.strip(),
        "interviewer": interviewer.strip(),
        "region": region.strip(),
        "contacts": contacts,
        "stamp": content_stamp(content),
    }
    snapshot = snapshot_data(content.questions.questions, content.questions.reflection.questions)
    if isinstance(store, Capture):
        return store.begin(**fields, snapshot=snapshot)
    return store.interviews.get(store.interviews.create(**fields, snapshot_data=snapshot))


@dataclass(frozen=True, kw_only=True)
class Details:
    """Who the conversation is with; anything left empty is asked for."""

    organization: str = ""
    interviewer: str = ""
    region: str = ""
    contacts: tuple[Contact, ...] = ()


def ask_details(details: Details, ask: Ask, show: Show) -> Details:
    organization = details.organization
    while not organization.strip():
        organization = ask("Organization: ")
    contacts = list(details.contacts)
    if not contacts:
        show(
            'People in the conversation, one per line as "Name, Role, level" '
            f"({', '.join(AUDIENCE_LEVELS)}); blank to finish."
        )
        while entry := ask("  person: ").strip():
            for line in filter(str.strip, entry.split("\n")):  # a pasted list: one person a line
                try:
                    contacts.append(parse_contact(line))
                except UsageError as exc:
                    show(exc.message)
    interviewer = details.interviewer
    while not interviewer.strip():
        interviewer = ask("Interviewer (you): ")
    region = details.region or ask("Region of the organization (e.g. United Kingdom; Enter to skip): ")
    return Details(
        organization=organization, interviewer=interviewer, region=region, contacts=tuple(contacts)
    )


def interview_session(
    capture: Capture,
    content: Content,
    *,
    details: Details,
    resume: str | None,
    ask: Ask,
    show: Show,
    view: View,
    edit: Edit | None,
    take_over: bool = False,
    steps_for: Callable[[Interview], ReflectionSteps] | None = None,
    resume_hint: Callable[[str], None] = lambda hint: None,
) -> Interview:
    """Start or resume an interview and run it; offer the reflection when it is finished.

    The interview is leased to this process while it runs, so a second terminal cannot resume it
    and overwrite its notes. Raises Paused on /pause and KeyboardInterrupt/EOFError on Ctrl-C,
    a signal or end of input, with `resume_command` set on the exception; nothing typed is lost.
    `resume_hint` is told the command that continues the conversation whenever it changes.
    """
    if resume:
        interview = capture.resume(resume, take_over=take_over)
        if interview.position >= len(interview.snapshot.questions):
            interview.position = 0  # a finished interview is resumed to amend it, from the top
        show(f"Resuming interview {interview.id} with {interview.organization}.")
    else:
        filled = ask_details(details, ask, show)
        interview = begin_interview(
            capture,
            content,
            organization=filled.organization,
            interviewer=filled.interviewer,
            region=filled.region,
            contacts=list(filled.contacts),
        )
        show(f"Interview {interview.id} with {interview.organization}. Type /help for commands.")
    resume = f"leadcli interview --resume {interview.id}"
    resume_hint(resume)
    stopping = False
    try:
        engine = InterviewEngine(capture, interview, ask, show, view, edit)
        if not engine.run():
            raise Paused(interview.id)
        skipped = [q.number for q in interview.snapshot.questions if q.id not in interview.answers]
        left = f" (not explored: {', '.join(map(str, skipped))})" if skipped else ""
        show(f"Questions finished{left}. Interview {interview.id} is {interview.status}.")
        resume = f"leadcli reflect {interview.id}"
        resume_hint(resume)
        if engine.yes_or_no("Reflect now? [y/N] "):  # a sentence typed on is a note, not a No
            ReflectionEngine(capture, interview, ask, show, steps_for).run()
            show(f"Saved. See the assessment with: leadcli report {interview.id}")
        else:
            show(f"Reflect later with: leadcli reflect {interview.id}")
    except (KeyboardInterrupt, EOFError) as exc:
        exc.resume_command = resume  # type: ignore[union-attr]
        stopping = True
        raise
    finally:
        capture.close(stopping=stopping)  # never raises: a store failure cannot hide the stop
    return interview


def release_lease(store: Store, *, quietly: bool) -> None:
    """Let go of the lease; `quietly` when stopping, so a store failure cannot hide the stop."""
    if not quietly:
        store.leases.release()
        return
    with contextlib.suppress(LeadcliError):
        store.leases.release()


def import_interview(store: Store, content: Content, path: Any, details: Details) -> Interview:
    """Store an interview from an answers file, all at once, only if the whole file is valid."""
    from leadcli.interview.answers_file import load_answers_file

    parsed = load_answers_file(
        path,
        content.questions,
        need_interview=not (details.organization and details.interviewer),
        **_reflection_names(content),
    )
    organization = details.organization or parsed.organization
    verdict = parsed.reflection is not None and bool(parsed.reflection.verdict)
    status = status_for(questions_finished=True, has_verdict=verdict)
    record_question_set(store, content)
    interview_id = store.interviews.create(
        organization=organization,
        interviewer=details.interviewer or parsed.interviewer,
        region=details.region or parsed.region,
        contacts=list(details.contacts) or parsed.contacts,
        stamp=content_stamp(content),
        snapshot_data=snapshot_data(content.questions.questions, content.questions.reflection.questions),
        answers=parsed.answers,
        reflection=parsed.reflection,
        status=status,
    )
    return store.interviews.get(interview_id)


def reflection_session(
    capture: Capture,
    interview_id: str,
    ask: Ask,
    show: Show,
    *,
    take_over: bool = False,
    steps_for: Callable[[Interview], ReflectionSteps] | None = None,
) -> Interview:
    """Run the reflection on an interview, leased to this process like a resumed interview, every
    answer written on this machine first (see `interview.capture`).

    The reflection rewrites unrated answers and the reflection from this process's memory, so an
    interview open in another terminal is refused (LeaseHeld) rather than overwritten.
    """
    interview = capture.resume(interview_id, take_over=take_over)
    stopping = False
    try:
        ReflectionEngine(capture, interview, ask, show, steps_for).run()
    except (KeyboardInterrupt, EOFError):
        stopping = True
        raise
    finally:
        capture.close(stopping=stopping)
    return interview


def import_reflection(
    store: Store, content: Content, interview_id: str, path: Any, *, home: Path, take_over: bool = False
) -> Interview:
    """Set an interview's reflection from the `reflection:` part of an answers file; the fields the
    file leaves out keep their values."""
    from leadcli.errors import ContentError
    from leadcli.interview.answers_file import load_answers_file

    interview = store.interviews.get(interview_id)
    parsed = load_answers_file(path, content.questions, need_interview=False, **_reflection_names(content))
    if parsed.reflection is None:
        raise ContentError(
            [f"{path}:1: reflection: the file has no reflection section"],
            about=f"the answers file {path}",
        )
    reflection = parsed.reflection
    if interview.reflection is not None:  # what the file leaves out stays as it is
        kept = interview.reflection
        reflection = Reflection(
            **{
                name: getattr(reflection if name in parsed.reflection_given else kept, name)
                for name in ("fit", "concerns", "gaps", "verdict", "follow_ups", "domain_levels", "proposed")
            }
        )
    store.leases.take(lease_for(store, interview.id, home), take_over=take_over)
    try:
        store.interviews.save_reflection(interview.id, reflection)
    finally:
        store.leases.release()
    return store.interviews.get(interview.id)


def _reflection_names(content: Content) -> dict[str, tuple[str, ...]]:
    """What an answers file's reflection may name: the framework's domains and the offerings."""
    return {
        "domain_ids": tuple(d.id for d in content.framework.domains),
        "offering_ids": tuple(o.id for o in content.catalog.offerings),
    }
