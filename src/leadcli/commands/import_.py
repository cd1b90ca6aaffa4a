"""`leadcli import`: bring in the interviews of an export (JSON or JSON Lines), all or nothing."""

from __future__ import annotations

from pathlib import Path

import typer

from leadcli.commands._common import message, open_store, progress, warn


def import_(
    ctx: typer.Context,
    path: Path = typer.Argument(
        ..., metavar="FILE", help="A JSON or JSON Lines file made by `leadcli export`."
    ),
    ids: bool = typer.Option(False, "--ids", help="Also print the id of each interview added or updated."),
) -> None:
    """Import an export (JSON or JSON Lines): new interviews are added, newer copies replace older ones.

    An interview the store already has is updated when the file's copy was changed later, skipped
    when it is the same, and kept (reported as a conflict) when the store's copy is newer. Every
    record is checked first; with any problem, nothing is imported.

    \b
    It prints the counts on stderr; --ids prints each added or updated interview's id on stdout.

    \b
    Example: leadcli import leadcli-export.json
    """
    from leadcli.services.exchange import import_records

    with open_store(ctx) as store, progress(f"importing {path.name}", in_bytes=True) as shown:
        result = import_records(store, path, shown)
    for conflict in result.conflicts:
        warn(
            f"conflict: kept {conflict.id} as it is: the store's copy (changed {conflict.store_updated_at})"
            f" is newer than the file's (changed {conflict.file_updated_at})"
        )
    message(
        f"imported {len(result.added)} new interview(s), updated {len(result.updated)},"
        f" skipped {len(result.skipped)} unchanged, kept {len(result.conflicts)} newer in the store"
    )
    if result.outcomes_added:
        message(f"imported {result.outcomes_added} outcome(s)")
    if ids:
        for interview_id in [*result.added, *result.updated]:
            typer.echo(interview_id)
