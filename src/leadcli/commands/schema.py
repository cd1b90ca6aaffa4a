"""`leadcli schema`: JSON Schemas of the data files, answers files and the JSON outputs."""

from __future__ import annotations

from pathlib import Path

import typer

from leadcli.commands._common import message


def schema(
    directory: Path | None = typer.Argument(
        None, help="Write the schema files here; without it, print them."
    ),
    force: bool = typer.Option(False, "--force", help="Replace schema files already in the directory."),
) -> None:
    """Write (or print) the JSON Schemas: of each data file (for editors that check YAML as you type),
    of answers files, of exports, and of the JSON that report, summary and evaluate print.

    \b
    The files are written owner-only, never through a link, and an existing one only with --force.

    \b
    Example: leadcli schema data/schema --force
    """
    import json

    from leadcli.content.schema import json_schemas, schema_text
    from leadcli.paths import ensure_private_dir
    from leadcli.render.files import write_private
    from leadcli.services.schemas import output_schemas

    schemas = {**json_schemas(), **output_schemas()}
    if directory is None:
        typer.echo(json.dumps(schemas, indent=2, ensure_ascii=False))
        return
    if not directory.exists():
        ensure_private_dir(directory)
    for name, value in schemas.items():
        path = directory / name
        write_private(path, schema_text(value), force=force)
        message(f"wrote {path}")
