"""`leadcli offerings`: the catalog, filtered; `leadcli offerings show NAME`: one in full."""

from __future__ import annotations

from enum import Enum

import typer

from leadcli.commands._common import (
    FORMAT_HELP,
    Format,
    domain_titles,
    emit,
    load_content,
    message,
    render_with,
)


class Audience(str, Enum):
    executive = "executive"
    core = "core"
    point_of_care = "point-of-care"


class OfferingType(str, Enum):
    education = "education"
    membership = "membership"
    consulting = "consulting"


class Per(str, Enum):
    person = "person"
    organization = "organization"


class SortKey(str, Enum):
    name = "name"
    price = "price"
    duration = "duration"


app = typer.Typer(no_args_is_help=False)


@app.callback(invoke_without_command=True)
def offerings(
    ctx: typer.Context,
    audience: Audience | None = typer.Option(
        None, "--audience", "-a", help="Only offerings for this audience level."
    ),
    kind: OfferingType | None = typer.Option(None, "--type", "-t", help="Only offerings of this type."),
    region: str | None = typer.Option(
        None,
        "--region",
        "-r",
        help="Only offerings available there (Global ones are available everywhere).",
    ),
    max_price: float | None = typer.Option(
        None, "--max-price", help="Only offerings whose lowest price is at most this.", min=0
    ),
    per: Per | None = typer.Option(
        None, "--per", help="Only offerings priced per person or per organization."
    ),
    domain: str | None = typer.Option(
        None,
        "--domain",
        "-d",
        help="Only offerings that strengthen this domain (id; leadcli's mapping, not the report's).",
    ),
    sort: SortKey = typer.Option(SortKey.name, "--sort", "-s", help="Order by name, price or duration."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
) -> None:
    """List the institute's offerings with leadership content, filtered to what fits.

    \b
    Example: leadcli offerings --audience executive --region "United Kingdom" --sort price
    """
    if ctx.invoked_subcommand is not None:
        return
    from leadcli.content.catalog import OfferingQuery, find_offerings, is_known_place
    from leadcli.render import terminal

    content = load_content(ctx)
    query = OfferingQuery(
        audience=audience.value if audience else None,
        type=kind.value if kind else None,
        region=region,
        max_price=max_price,
        per=per.value if per else None,
        domain=domain,
        sort=sort.value,
    )
    found = find_offerings(content.catalog, query, [d.id for d in content.framework.domains])
    if region and not is_known_place(region, content.catalog):
        message(f"{region!r} is not a place leadcli knows; only offerings available globally match it")
    caption = f"{len(found)} of {len(content.catalog.offerings)} offerings"
    emit(
        fmt,
        table=lambda: terminal.offerings_table(found, caption=caption),
        json=lambda: {
            "version": content.catalog.version,
            "filters": query,
            "count": len(found),
            "offerings": found,
        },
        markdown=lambda: render_with("markdown", "offerings_markdown", found),
        csv=lambda: render_with("rows", "offerings_rows", found),
    )


@app.command("show")
def show(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Offering id or name, or the start of one (any case)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
) -> None:
    """Show one offering in full.

    \b
    Example: leadcli offerings show fellowship
    """
    from leadcli.content.catalog import get_offering
    from leadcli.render import terminal

    content = load_content(ctx)
    offering = get_offering(content.catalog, name)
    titles = domain_titles(content)
    emit(
        fmt,
        table=lambda: terminal.offering_detail(offering, titles),
        json=lambda: offering,
        markdown=lambda: render_with("markdown", "offering_markdown", offering, titles),
        csv=lambda: render_with("rows", "offerings_rows", [offering]),
    )
