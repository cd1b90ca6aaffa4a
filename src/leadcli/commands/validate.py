"""`leadcli validate`: check the three data files (and their questions' version against the store)."""

from __future__ import annotations

from pathlib import Path

import typer

from leadcli.commands._common import DataFormatOption, emit, message, open_existing_store, settings


def validate(
    ctx: typer.Context,
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="Folder holding framework.yaml, questions.yaml and offerings.yaml."
    ),
    fmt: DataFormatOption = "table",
) -> None:
    """Check the data files and print what they hold, or every problem as FILE:LINE: field: problem.

    Questions that changed under a version the store already records are refused: give them a new
    version.

    \b
    Example: leadcli validate --data-dir ./my-content
    """
    from leadcli.content.loader import content_summary, validate_data_dir
    from leadcli.paths import resolve_data_dir
    from leadcli.services.question_sets import check_version
    from leadcli.store.connection import StoreError

    content = validate_data_dir(resolve_data_dir(data_dir or settings(ctx).data_dir))
    try:
        store = open_existing_store(ctx)
    except StoreError as error:
        store = None
        message(f"the questions' version was not checked against the store: {error.message}")
    if store is not None:
        with store:
            check_version(store, content)
    summary = content_summary(content)
    emit(fmt, table=summary.sentence, json=lambda: summary)
