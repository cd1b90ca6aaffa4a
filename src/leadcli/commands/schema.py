"""`leadcli schema`: JSON Schemas of the three data files."""

from __future__ import annotations

from pathlib import Path

import typer

from leadcli.commands._common import message


def schema(
    directory: Path | None = typer.Argument(
        None, help="Write the schema files here; without it, print them."
    ),
) -> None:
    """Write (or print) the JSON Schema of each data file, for editors that check YAML as you type.

    \b
    Example: leadcli schema data/schema
    """
    import json

    from leadcli.content.schema import json_schemas, write_schemas

    if directory is None:
        typer.echo(json.dumps(json_schemas(), indent=2, ensure_ascii=False))
        return
    for path in write_schemas(directory):
        message(f"wrote {path}")
