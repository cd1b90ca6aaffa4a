"""`leadcli export`: every interview as JSON or CSV."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from leadcli.commands._common import message, open_store


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"


def export(
    ctx: typer.Context,
    fmt: ExportFormat = typer.Option(
        ExportFormat.json, "--format", "-f", help="json (whole records) or csv."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file (owner-only)."),
    force: bool = typer.Option(False, "--force", help="Replace --output if it exists."),
) -> None:
    """Export every interview, for analysis or to move records to another machine.

    \b
    Example: leadcli export --output leadcli-export.json
    """
    from leadcli.render.files import write_private
    from leadcli.services.exchange import export_csv, export_json

    with open_store(ctx) as store:
        chunks = export_json(store) if fmt is ExportFormat.json else export_csv(store)
        if output is None:
            sys.stdout.writelines(chunks)
            return
        write_private(output, chunks, force=force)
    message(f"wrote {output}")
