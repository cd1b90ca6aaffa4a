"""`leadcli import`: bring in the interviews of a JSON export."""

from __future__ import annotations

from pathlib import Path

import typer

from leadcli.commands._common import message, open_store


def import_(
    ctx: typer.Context,
    path: Path = typer.Argument(..., metavar="FILE", help="A JSON file made by `leadcli export`."),
) -> None:
    """Import a JSON export; interviews already in the store are skipped.

    \b
    Example: leadcli import leadcli-export.json
    """
    from leadcli.services.exchange import import_records

    with open_store(ctx) as store:
        result = import_records(store, path)
    message(f"imported {len(result.added)} interview(s); skipped {len(result.skipped)} already present")
    if result.outcomes_added:
        message(f"imported {result.outcomes_added} outcome(s)")
    for interview_id in result.added:
        typer.echo(interview_id)
