"""`leadcli summary`: statuses, verdicts and gaps across every interview; `--demand`: where the
conversations found needs, beside the offerings that serve them."""

from __future__ import annotations

from typing import Annotated, get_args

import typer

from leadcli.commands._common import emit, load_content, open_store, progress, usable_format
from leadcli.vocabulary import ContentFormat

WITH_DEMAND = ("markdown", "csv", "excel")
"""The formats only `--demand` writes; the summary itself is a table or JSON."""


def summary(
    ctx: typer.Context,
    show_demand: bool = typer.Option(
        False,
        "--demand",
        help="How often each domain came out low or concerning per audience, beside the offerings that"
        " serve it (also as markdown and csv).",
    ),
    fmt: Annotated[
        ContentFormat,
        typer.Option(
            "--format", "-f", help="Output format: table or json; with --demand also markdown, csv or excel."
        ),
    ] = "table",
) -> None:
    """Across all interviews: statuses, verdicts, domain gaps, offerings, overdue follow-ups.

    \b
    Example: leadcli summary --demand
    """
    from leadcli.services.reports import summary as build

    if not show_demand:  # said before the store is read; a configured format falls back to a table
        fmt = usable_format(
            ctx,
            fmt,
            [f for f in get_args(ContentFormat) if f not in WITH_DEMAND],
            refusal=f"--format {fmt} needs --demand; without it choose from: table, json",
        )
    content = load_content(ctx)
    with open_store(ctx) as store, progress("assessing interviews") as shown:
        data = build(store, content, progress=shown)
    if show_demand and data.demand is not None:
        demand = data.demand
        if fmt == "table":
            from leadcli.render.market.terminal import demand_view

            emit(fmt, table=lambda: demand_view(demand))
            return
        from leadcli.render.market import markdown as market_markdown
        from leadcli.render.market import rows as market_rows

        emit(
            fmt,
            json=lambda: demand,
            markdown=lambda: market_markdown.demand_markdown(demand),
            csv=lambda: market_rows.demand_rows(demand),
        )
        return
    from leadcli.render.summary.terminal import summary_view

    emit(fmt, table=lambda: summary_view(data), json=lambda: data)
