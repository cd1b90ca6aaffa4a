"""`leadcli list`, `show` and `delete`: the recorded interviews."""

from __future__ import annotations

from enum import Enum

import typer

from leadcli.commands._common import Format, emit, message, open_store

TABLE_LIMIT = 50


class Status(str, Enum):
    draft = "draft"
    awaiting_reflection = "awaiting-reflection"
    complete = "complete"


def list_interviews(
    ctx: typer.Context,
    org: str | None = typer.Option(None, "--org", help="Only organizations whose name contains this."),
    status: Status | None = typer.Option(None, "--status", help="Only interviews with this status."),
    limit: int | None = typer.Option(
        None,
        "--limit",
        "-n",
        min=0,
        help="At most this many (0: all). Default: 50 in the table, all otherwise.",
    ),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output format: table, json or csv."),
) -> None:
    """List recorded interviews, most recently updated first.

    \b
    Example: leadcli list --status awaiting-reflection
    """
    from leadcli.render.interview import LIST_FIELDS, interviews_table

    if limit is None:
        limit = TABLE_LIMIT if fmt is Format.table else 0
    with open_store(ctx) as store:
        rows, total = store.list(
            organization=org, status=status.value if status else None, limit=limit or None
        )
    emit(
        fmt,
        table=lambda: interviews_table(rows, total),
        json=lambda: rows,
        csv=lambda: (LIST_FIELDS, [[getattr(r, f) for f in LIST_FIELDS] for r in rows]),
    )


def show(
    ctx: typer.Context,
    interview_id: str = typer.Argument(..., metavar="ID", help="Interview id (a unique prefix is enough)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output format: table or json."),
) -> None:
    """Show everything recorded for one interview; notes print exactly as typed.

    \b
    Example: leadcli show 7kq2mz
    """
    from leadcli.render.interview import interview_view

    with open_store(ctx) as store:
        record = store.get(interview_id)
    emit(fmt, table=lambda: interview_view(record), json=lambda: record)


def delete(
    ctx: typer.Context,
    interview_id: str = typer.Argument(..., metavar="ID", help="Interview id (a unique prefix is enough)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete one interview and everything recorded with it.

    \b
    Example: leadcli delete 7kq2mz --yes
    """
    from leadcli import prompting
    from leadcli.errors import UsageError

    with open_store(ctx) as store:
        record = store.get(interview_id)
        if not yes:
            if not prompting.stdin_is_terminal():
                raise UsageError(
                    "delete asks for confirmation on a terminal; add --yes to delete without asking"
                )
            question = (
                f"Delete interview {record.id} with {record.organization}"
                f" ({len(record.answers)} answers)? [y/N] "
            )
            if prompting.ask(question).strip().lower() not in ("y", "yes"):
                message("nothing deleted")
                return
        store.delete(record.id)
    message(f"deleted interview {record.id}")
