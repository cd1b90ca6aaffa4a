"""`leadcli list`, `show` and `delete`: the recorded interviews."""

from __future__ import annotations

import typer

from leadcli.commands._common import (
    DataFormatOption,
    InterviewId,
    RecordsFormatOption,
    emit,
    message,
    open_store,
)
from leadcli.vocabulary import Status

TABLE_LIMIT = 50


def list_interviews(
    ctx: typer.Context,
    org: str | None = typer.Option(
        None, "--org", help="Only organizations whose name contains this (any case)."
    ),
    status: Status | None = typer.Option(None, "--status", help="Only interviews with this status."),
    limit: int | None = typer.Option(
        None,
        "--limit",
        "-n",
        min=0,
        help="At most this many (0: all). Default: 50 in the table, all otherwise.",
    ),
    fmt: RecordsFormatOption = "table",
) -> None:
    """List recorded interviews, most recently updated first.

    \b
    Example: leadcli list --status awaiting-reflection
    """
    from leadcli.render.interview.terminal import LIST_FIELDS, interviews_table

    if limit is None:
        limit = TABLE_LIMIT if fmt == "table" else 0
    with open_store(ctx) as store:
        rows, total = store.interviews.summaries(organization=org, status=status, limit=limit or None)
    emit(
        fmt,
        table=lambda: interviews_table(rows, total),
        json=lambda: {"count": len(rows), "total": total, "interviews": rows},
        csv=lambda: (LIST_FIELDS, [[getattr(r, f) for f in LIST_FIELDS] for r in rows]),
    )


def show(
    ctx: typer.Context,
    interview_id: InterviewId,
    fmt: DataFormatOption = "table",
) -> None:
    """Show everything recorded for one interview; notes print exactly as typed.

    \b
    Example: leadcli show 7kq2mz
    """
    from leadcli.render.interview.terminal import interview_view

    with open_store(ctx) as store:
        record = store.interviews.get(interview_id)
    emit(fmt, table=lambda: interview_view(record), json=lambda: record)


def delete(
    ctx: typer.Context,
    interview_id: InterviewId,
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete one interview and everything recorded with it.

    \b
    Example: leadcli delete 7kq2mz --yes
    """
    from leadcli import prompting
    from leadcli.errors import UsageError

    with open_store(ctx) as store:
        record = store.interviews.get(interview_id)
        if not yes:
            if not prompting.stdin_is_terminal():
                raise UsageError(
                    "delete asks for confirmation on a terminal; add --yes to delete without asking"
                )
            from leadcli.render.wording import counted
            from leadcli.untrusted import visible

            question = visible(
                f"Delete interview {record.id} with {record.organization}"
                f" ({counted(len(record.answers), 'answer')})? [y/N] ",
                lines=False,
            )
            if prompting.ask(question).strip().lower() not in ("y", "yes"):
                message("nothing deleted")
                return
        store.interviews.delete(record.id)
    message(f"deleted interview {record.id}")
