"""`leadcli reflect ID`: the after-call reflection, verdict and follow-ups."""

from __future__ import annotations

from pathlib import Path

import typer

from leadcli.commands._common import InterviewId, load_content, message, open_store, screen_printer


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

    with open_store(ctx) as store:
        if answers is not None:
            record = import_reflection(store, load_content(ctx), interview_id, answers, take_over=take_over)
            message(f"reflection saved for interview {record.id} ({record.status})")
            return
        if not prompting.stdin_is_terminal():
            raise UsageError("reflect needs a terminal; to import a reflection, use --answers FILE")
        interview_id = store.interviews.resolve_id(interview_id)
        try:
            with prompting.live(resume=f"leadcli reflect {interview_id}"):
                record = reflection_session(
                    store, interview_id, prompting.ask, screen_printer(), take_over=take_over
                )
        except (KeyboardInterrupt, EOFError) as stop:
            unsaved = getattr(stop, "unsaved", "")
            if unsaved:
                raise Interrupted(
                    f"stopped; NOT saved (the store failed), copy it now: {unsaved!r}. "
                    f"Continue with: leadcli reflect {interview_id}"
                ) from None
            raise Interrupted(
                f"stopped; what you gave is saved. Continue with: leadcli reflect {interview_id}"
            ) from None
        message(f"reflection saved for interview {record.id} ({record.status})")
