"""Setting up an interview session: new or resumed, its content stamp, its lease, and imports.

The engines in `engine.py` run the conversation; this module decides which interview they run on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from leadcli.content.models import Content
from leadcli.errors import LeadcliError, UsageError
from leadcli.interview.engine import (
    Ask,
    Edit,
    InterviewEngine,
    Paused,
    QuestionView,
    ReflectionEngine,
    Show,
    parse_contact,
)
from leadcli.store.db import Store, now, snapshot_data
from leadcli.store.records import Contact, ContentStamp, Interview, Lease
from leadcli.vocabulary import AUDIENCE_LEVELS, status_for


def content_stamp(content: Content) -> ContentStamp:
    return ContentStamp(
        framework_version=content.framework.version,
        framework_sha256=content.files["framework.yaml"].sha256 if content.files else "",
        questions_version=content.questions.version,
        questions_sha256=content.files["questions.yaml"].sha256 if content.files else "",
    )


def begin_interview(
    store: Store,
    content: Content,
    *,
    organization: str,
    interviewer: str,
    region: str,
    contacts: list[Contact],
) -> Interview:
    """Create a draft interview that keeps a copy of the questions it will show."""
    for label, value in (("organization", organization), ("interviewer", interviewer)):
        if not value.strip():
            raise UsageError(f"the {label} must not be blank")
    interview_id = store.create_interview(
        organization=organization.strip(),
        interviewer=interviewer.strip(),
        region=region.strip(),
        contacts=contacts,
        stamp=content_stamp(content),
        snapshot_data=snapshot_data(content.questions.questions, content.questions.reflection.questions),
    )
    return store.get(interview_id)


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
            try:
                contacts.append(parse_contact(entry))
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
    store: Store,
    content: Content,
    *,
    details: Details,
    resume: str | None,
    ask: Ask,
    show: Show,
    edit: Edit | None,
    view: QuestionView,
    take_over: bool = False,
) -> Interview:
    """Start or resume an interview and run it; offer the reflection when it is finished.

    The interview is held by a lease while it runs, so a second terminal cannot resume it
    (`take_over` replaces a lease left by a crashed session).

    Raises Paused on /pause and KeyboardInterrupt/EOFError on Ctrl-C or end of input, with
    `resume_command` set on the exception; nothing typed before is lost either way.
    """
    if resume:
        interview = store.get(resume)
        lease = hold_lease(store, interview.id, take_over=take_over)
        if interview.position >= len(interview.snapshot.questions):
            interview.position = 0  # a finished interview is resumed to amend it, from the top
        show(f"Resuming interview {interview.id} with {interview.organization}.")
    else:
        filled = ask_details(details, ask, show)
        interview = begin_interview(
            store,
            content,
            organization=filled.organization,
            interviewer=filled.interviewer,
            region=filled.region,
            contacts=list(filled.contacts),
        )
        lease = hold_lease(store, interview.id, take_over=False)
        show(f"Interview {interview.id} with {interview.organization}. Type /help for commands.")
    resume = f"leadcli interview --resume {interview.id}"
    try:
        engine = InterviewEngine(store, interview, ask, show, view, edit)
        while True:
            if not engine.run():
                raise Paused(interview.id)
            left = engine.unexplored()
            if not left:
                show(f"All questions done. Interview {interview.id} is {interview.status}.")
                break
            names = ", ".join(f"{q.number} ({q.category})" for q in left)
            show(f"Not explored yet: {names}.")
            if ask(f"Go to question {left[0].number} now? [y/N] ").strip().lower() not in ("y", "yes"):
                show(f"Interview {interview.id} is {interview.status}.")
                break
            engine.interview.position = engine._questions.index(left[0])
        resume = f"leadcli reflect {interview.id}"
        if ask("Reflect now? [y/N] ").strip().lower() in ("y", "yes"):
            ReflectionEngine(store, interview, ask, show).run()
            show(f"Saved. See the assessment with: leadcli report {interview.id}")
        else:
            show(f"Reflect later with: leadcli reflect {interview.id}")
    except (KeyboardInterrupt, EOFError) as exc:
        exc.resume_command = resume  # type: ignore[union-attr]
        raise
    finally:
        store.release_lease(interview.id, lease.token)
    return store.get(interview.id)


def import_interview(store: Store, content: Content, path: Any, details: Details) -> Interview:
    """Store an interview from an answers file, all at once, only if the whole file is valid."""
    from leadcli.interview.answers_file import load_answers_file

    parsed = load_answers_file(
        path, content.questions, need_interview=not (details.organization and details.interviewer)
    )
    organization = details.organization or parsed.organization
    status = status_for(
        questions_finished=True, has_verdict=bool(parsed.reflection and parsed.reflection.verdict)
    )
    interview_id = store.create_interview(
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
    return store.get(interview_id)


def import_reflection(store: Store, content: Content, interview_id: str, path: Any) -> Interview:
    """Replace an interview's reflection with the `reflection:` part of an answers file."""
    from leadcli.errors import ContentError
    from leadcli.interview.answers_file import load_answers_file

    interview = store.get(interview_id)
    parsed = load_answers_file(path, content.questions, need_interview=False)
    if parsed.reflection is None:
        raise ContentError([f"{path}:1: reflection: the file has no reflection section"])
    store.save_reflection(interview.id, parsed.reflection)
    return store.get(interview.id)


class InterviewBusy(LeadcliError):
    """The interview is open in another session; writing from two would lose lines."""


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by someone else
        return False
    return False


def hold_lease(store: Store, interview_id: str, *, take_over: bool) -> Lease:
    """Claim the interview for this process, or raise InterviewBusy naming who holds it.

    A lease left by a process that no longer runs on this host is taken without asking.
    """
    import getpass
    import secrets
    import socket

    host = socket.gethostname()
    mine = Lease(
        token=secrets.token_hex(8),
        username=getpass.getuser(),
        host=host,
        pid=os.getpid(),
        since=now(),
    )

    def replace(held: Lease) -> bool:
        return take_over or (held.host == host and _process_gone(held.pid))

    held = store.claim_lease(interview_id, mine, replace=replace)
    if held is not None:
        raise InterviewBusy(
            f"interview {interview_id} is open in another session ({held.username}@{held.host}, "
            f"pid {held.pid}, since {held.since}); finish it there, or if that session crashed, "
            f"run: leadcli interview --resume {interview_id} --take-over"
        )
    return mine
