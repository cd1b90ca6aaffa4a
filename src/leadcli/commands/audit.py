"""`leadcli history ID` and `leadcli audit`: the trail the store keeps of every change."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import typer

from leadcli.commands._common import InterviewId, RecordsFormatOption, emit, open_store

if TYPE_CHECKING:
    from rich.console import RenderableType


def history(ctx: typer.Context, interview_id: InterviewId, fmt: RecordsFormatOption = "table") -> None:
    """Show an interview's trail: who created, added to, rated, reflected on, assigned, deleted it, when;
    and each value that lost a merge, with when it and the value kept were set.

    \b
    Example: leadcli history 7kq2mz
    """
    from leadcli.errors import NotFoundError
    from leadcli.render.audit.terminal import (
        AUDIT_FIELDS,
        audit_table,
        lost_value_data,
        lost_values_table,
    )

    with open_store(ctx) as store:
        try:
            found = store.interviews.resolve_id(interview_id)
            entries = store.trail.history(found)
            lost = store.interviews.history(found)
        except NotFoundError:  # a deleted interview keeps its trail (not its values): the whole id finds it
            entries = store.trail.history(interview_id.strip().lower())
            lost = []
            if not entries:
                raise

    def table() -> RenderableType:
        shown = audit_table(entries, with_record=False)
        from rich.console import Group

        return Group(shown, "", lost_values_table(lost)) if lost else shown

    emit(
        fmt,
        table=table,
        json=lambda: {
            "interview": interview_id,
            "count": len(entries),
            "entries": entries,
            "lost_values": [lost_value_data(v) for v in lost],
        },
        csv=lambda: (AUDIT_FIELDS, [[getattr(e, f) for f in AUDIT_FIELDS] for e in entries]),
    )


def audit(
    ctx: typer.Context,
    since: str | None = typer.Option(
        None, "--since", metavar="DATE", help="Only from this day (YYYY-MM-DD) on."
    ),
    user: str | None = typer.Option(None, "--user", metavar="NAME", help="Only what this user did."),
    fmt: RecordsFormatOption = "table",
) -> None:
    """Show the team's audit trail (managers): every change, by whom and when, never the notes.

    \b
    Example: leadcli audit --since 2026-12-01 --user ana
    """
    from leadcli.errors import UsageError
    from leadcli.render.audit.terminal import AUDIT_FIELDS, audit_table

    if since is not None:
        try:
            since = date.fromisoformat(since).isoformat()
        except ValueError:
            raise UsageError(f"--since {since!r} is not a date (YYYY-MM-DD)") from None
    with open_store(ctx) as store:
        entries = store.trail.list(since=since, user=user)
    emit(
        fmt,
        table=lambda: audit_table(entries),
        json=lambda: {"count": len(entries), "entries": entries},
        csv=lambda: (AUDIT_FIELDS, [[getattr(e, f) for f in AUDIT_FIELDS] for e in entries]),
    )
