"""`leadcli export`, `leadcli import` and `leadcli summary`: records across the whole store."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from leadcli.commands._common import Format, emit, load_content, message, open_store


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
    from leadcli.exchange import export_csv, export_json
    from leadcli.render.files import write_private

    with open_store(ctx) as store:
        chunks = export_json(store) if fmt is ExportFormat.json else export_csv(store)
        if output is None:
            sys.stdout.writelines(chunks)
            return
        write_private(output, chunks, force=force)
    message(f"wrote {output}")


def import_(
    ctx: typer.Context,
    path: Path = typer.Argument(..., metavar="FILE", help="A JSON file made by `leadcli export`."),
) -> None:
    """Import a JSON export; interviews already in the store are skipped.

    \b
    Example: leadcli import leadcli-export.json
    """
    from leadcli.exchange import import_records

    with open_store(ctx) as store:
        result = import_records(store, path)
    message(f"imported {len(result.added)} interview(s); skipped {len(result.skipped)} already present")
    for interview_id in result.added:
        typer.echo(interview_id)


def summary(
    ctx: typer.Context,
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table or json."),
) -> None:
    """Across all interviews: statuses, verdicts, domain gaps, offerings, overdue follow-ups.

    \b
    Example: leadcli summary
    """
    from leadcli.render.report_terminal import summary_view
    from leadcli.reporting import summary as build

    content = load_content(ctx)
    with open_store(ctx) as store:
        data = build(store, content)
    emit(fmt, table=lambda: summary_view(data), json=lambda: data)
