"""`leadcli export`: every interview as JSON or CSV."""

from __future__ import annotations

import sys

import typer

from leadcli.commands._common import ExportFormatOption, ForceOption, OutputOption, message, open_store


def export(
    ctx: typer.Context,
    fmt: ExportFormatOption = "json",
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Export every interview, for analysis or to move records to another machine.

    \b
    Example: leadcli export --output leadcli-export.json
    """
    from leadcli.render.data import csv_chunks
    from leadcli.render.files import write_private
    from leadcli.services.exchange import export_json, export_table

    with open_store(ctx) as store:
        chunks = export_json(store) if fmt == "json" else csv_chunks(*export_table(store))
        if output is None or str(output) == "-":
            sys.stdout.writelines(chunks)
            return
        write_private(output, chunks, force=force)
    message(f"wrote {output}")
