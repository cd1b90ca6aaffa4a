"""`leadcli interview`: run the conversation live, or import one from an answers file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from leadcli.commands._common import (
    complete_ids,
    home_dir,
    live_capture,
    load_content,
    message,
    next_step,
    open_store,
    saved,
    screen_printer,
    settings,
    warn_unknown_region,
)

if TYPE_CHECKING:
    from leadcli.content.models import Content
    from leadcli.interview.session import Details


def questions_for_interview(ctx: typer.Context, content: Content) -> Content:
    """The team's published questions on a server (unless --data-dir), recorded under their version."""
    from leadcli.services.question_sets import interview_content

    options = settings(ctx)
    team = interview_content(content, home_dir(ctx), url=options.database_url, data_dir=options.data_dir)
    if team.note:
        message(team.note)
    return team.content


def interview(
    ctx: typer.Context,
    org: str = typer.Option("", "--org", help="The organization you are talking to."),
    contact: list[str] = typer.Option(
        [], "--contact", help='A person in the conversation: "Name, Role, level" (repeatable).'
    ),
    interviewer: str = typer.Option("", "--interviewer", help="Who is interviewing."),
    region: str = typer.Option("", "--region", help="Where the organization is."),
    resume: str | None = typer.Option(
        None, "--resume", help="Continue the interview with this id.", autocompletion=complete_ids
    ),
    take_over: bool = typer.Option(
        False, "--take-over", help="With --resume: continue here even if another session has it open."
    ),
    answers: Path | None = typer.Option(
        None, "--answers", help="Import an interview from a YAML answers file instead of asking."
    ),
) -> None:
    """Run the Appendix A conversation live, saving every note the moment it is typed.

    \b
    Example: leadcli interview --org "St Mary's Health" --contact "Ana Ruiz, CEO, executive"
    """
    from leadcli import prompting
    from leadcli.errors import Interrupted, UsageError
    from leadcli.interview.engine import Paused
    from leadcli.interview.session import Details, import_interview, interview_session, parse_contact
    from leadcli.render.interview.terminal import question_view
    from leadcli.render.wording import step_words
    from leadcli.services.reflection import steps_for

    refuse_options_that_do_not_apply(
        resume, take_over, answers, org=org, contact=contact, interviewer=interviewer, region=region
    )
    details = Details(
        organization=org,
        interviewer=interviewer,
        region=region,
        contacts=tuple(map(parse_contact, contact)),
    )
    content = load_content(ctx)
    if resume is None:  # a resumed interview keeps the set it was taken with, whatever the files say
        content = questions_for_interview(ctx, content)
    if answers is not None:
        from leadcli.config import load_config

        default = load_config().get("interviewer")  # when neither --interviewer nor the file names one
        with open_store(ctx) as store:
            record = import_interview(store, content, answers, details, default_interviewer=default)
        message(f"imported interview {record.id} with {record.organization} ({record.status})")
        warn_unknown_region(record.region, content)
        typer.echo(record.id)
        return
    if not prompting.stdin_is_terminal():
        raise UsageError("interview needs a terminal; to import notes typed elsewhere, use --answers FILE")
    details = with_config_defaults(details)
    warn_unknown_region(region, content)
    show = screen_printer()
    capture = live_capture(ctx, show)
    try:
        with prompting.live():
            interview_session(
                capture,
                content,
                details=details,
                resume=resume,
                ask=prompting.ask,
                show=show,
                view=question_view,
                edit=lambda text: prompting.open_in_editor(text, home_dir(ctx)),
                take_over=take_over,
                resume_hint=prompting.remember_resume,
                steps_for=steps_for(content, step_words(), prompting.completing),
            )
    except Paused as paused:
        which = paused.args[0]
        then = next_step(capture, which, f"Resume with: leadcli interview --resume {which}")
        message(f"paused and {saved(capture)}. {then}")
    except (KeyboardInterrupt, EOFError) as stop:
        resume = getattr(stop, "resume_command", None)
        if resume is None or capture.record is None:
            raise Interrupted("stopped before the interview began; nothing was saved") from None
        then = next_step(capture, capture.record.id, f"Resume with: {resume}")
        unsaved = getattr(stop, "unsaved", "")
        if unsaved:
            raise Interrupted(
                f"stopped; NOT saved (the store failed), copy it now: {unsaved!r}. {then}"
            ) from None
        raise Interrupted(f"stopped; {saved(capture, 'everything typed is')}. {then}") from None
    finally:
        capture.close()


def refuse_options_that_do_not_apply(
    resume: str | None, take_over: bool, answers: Path | None, **details: str | list[str]
) -> None:
    """A resumed interview keeps the details it was started with, and is never imported: options
    that would be ignored with --resume (or --take-over without it) are refused, in one line."""
    from leadcli.errors import UsageError

    if resume is None:
        if take_over:
            raise UsageError("--take-over goes with --resume ID: it continues an interview open elsewhere")
        return
    if answers is not None:
        raise UsageError(
            "--answers imports a new interview and does not go with --resume;"
            f" to set its reflection from a file: leadcli reflect {resume} --answers FILE"
        )
    given = [f"--{name}" for name, value in details.items() if value]
    if given:
        raise UsageError(
            f"{' and '.join(given)} cannot be used with --resume: a resumed interview keeps the"
            " organization, people, interviewer and region it was started with"
        )


def with_config_defaults(details: Details) -> Details:
    """The live interview's details, with the interviewer and region from `leadcli config` where the
    options left them out (an answers file names its own; the configured interviewer serves when
    it does not)."""
    from dataclasses import replace

    from leadcli.config import load_config

    config = load_config()
    return replace(
        details,
        interviewer=details.interviewer or config.get("interviewer"),
        region=details.region or config.get("region"),
    )
