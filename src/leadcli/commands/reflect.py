"""`leadcli reflect ID`: the after-call reflection, verdict and follow-ups."""

from __future__ import annotations

from pathlib import Path

import typer

from leadcli.commands._common import (
    InterviewId,
    home_dir,
    live_capture,
    load_content,
    message,
    next_step,
    open_store,
    saved,
    screen_printer,
)


def reflect(
    ctx: typer.Context,
    interview_id: InterviewId,
    answers: Path | None = typer.Option(
        None,
        "--answers",
        help="Take the reflection from the `reflection:` part of an answers file.",
    ),
    take_over: bool = typer.Option(
        False, "--take-over", help="Reflect here even if another session has the interview open."
    ),
) -> None:
    """Reflect after the call: rate what is unrated, answer the three questions, give a verdict.

    Re-running it edits the reflection, with the current values as defaults.

    \b
    Example: leadcli reflect 7kq2mz
    """
    from leadcli import prompting
    from leadcli.errors import Interrupted, UsageError
    from leadcli.interview.session import import_reflection, reflection_session
    from leadcli.render.wording import step_words
    from leadcli.services.reflection import steps_for

    content = load_content(ctx)
    if answers is not None:
        with open_store(ctx) as store:
            record = import_reflection(
                store, content, interview_id, answers, home=home_dir(ctx), take_over=take_over
            )
        message(f"reflection saved for interview {record.id} ({record.status})")
        return
    if not prompting.stdin_is_terminal():
        raise UsageError("reflect needs a terminal; to import a reflection, use --answers FILE")
    show = screen_printer()
    capture = live_capture(ctx, show)
    try:
        with prompting.live(resume=f"leadcli reflect {interview_id}"):
            record = reflection_session(
                capture,
                interview_id,
                prompting.ask,
                show,
                take_over=take_over,
                steps_for=steps_for(content, step_words(), prompting.completing),
            )
    except (KeyboardInterrupt, EOFError) as stop:
        which = capture.record.id if capture.record is not None else interview_id
        then = next_step(capture, which, f"Continue with: leadcli reflect {which}")
        unsaved = getattr(stop, "unsaved", "")
        if unsaved:
            raise Interrupted(
                f"stopped; NOT saved (the store failed), copy it now: {unsaved!r}. {then}"
            ) from None
        raise Interrupted(f"stopped; {saved(capture, 'what you gave is')}. {then}") from None
    finally:
        capture.close()
    message(f"reflection saved for interview {record.id} ({record.status})")
