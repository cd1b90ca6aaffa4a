"""`leadcli export`: every interview as JSON, JSON Lines or CSV."""

from __future__ import annotations

from collections.abc import Generator
from contextlib import closing
from typing import cast

import typer

from leadcli.commands._common import (
    ExportFormatOption,
    ForceOption,
    OutputOption,
    message,
    open_store,
    progress,
    write_result,
)


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
    from leadcli.services.exchange import export_json, export_jsonl, export_table

    with open_store(ctx) as store, progress("exporting interviews") as shown:
        if fmt == "json":
            chunks = export_json(store, shown)
        elif fmt == "jsonl":
            chunks = export_jsonl(store, shown)
        else:
            chunks = csv_chunks(*export_table(store, shown), excel=fmt == "excel")
        # Closed while the store is still open, even when the reader went away (`| head -1`).
        with closing(cast(Generator[str, None, None], chunks)):  # both writers are generators
            if output is None or str(output) == "-":
                write_result(chunks, utf8=True)
                return
            write_private(output, chunks, force=force)
    message(f"wrote {output}")
