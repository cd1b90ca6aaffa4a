"""`leadcli summary`: statuses, verdicts and gaps across every interview."""

from __future__ import annotations

import typer

from leadcli.commands._common import DataFormatOption, emit, load_content, open_store


def summary(
    ctx: typer.Context,
    fmt: DataFormatOption = "table",
) -> None:
    """Across all interviews: statuses, verdicts, domain gaps, offerings, overdue follow-ups.

    \b
    Example: leadcli summary
    """
    from leadcli.render.summary.terminal import summary_view
    from leadcli.services.reports import summary as build

    content = load_content(ctx)
    with open_store(ctx) as store:
        data = build(store, content)
    emit(fmt, table=lambda: summary_view(data), json=lambda: data)
