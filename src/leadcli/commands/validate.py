"""`leadcli validate`: check the three data files."""

from __future__ import annotations

from pathlib import Path

import typer

from leadcli.commands._common import DataFormatOption, emit, settings


def validate(
    ctx: typer.Context,
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="Folder holding framework.yaml, questions.yaml and offerings.yaml."
    ),
    fmt: DataFormatOption = "table",
) -> None:
    """Check the data files and print what they hold, or every problem as FILE:LINE: field: problem.

    \b
    Example: leadcli validate --data-dir ./my-content
    """
    from leadcli.content.loader import content_summary, validate_data_dir
    from leadcli.paths import resolve_data_dir

    summary = content_summary(validate_data_dir(resolve_data_dir(data_dir or settings(ctx).data_dir)))
    emit(fmt, table=summary.sentence, json=lambda: summary)
