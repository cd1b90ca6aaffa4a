"""`leadcli offerings`: the catalog, filtered; `leadcli offerings show NAME`: one in full."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from leadcli.commands._common import (
    ContentFormatOption,
    complete_domains,
    complete_offerings,
    domain_titles,
    emit,
    load_content,
    warn,
)
from leadcli.vocabulary import AudienceLevel, ContentFormat, OfferingType, PricePer, SortKey

if TYPE_CHECKING:
    from leadcli.content.models import Content, Offering

app = typer.Typer(no_args_is_help=False)


@app.callback(invoke_without_command=True)
def offerings(
    ctx: typer.Context,
    audience: AudienceLevel | None = typer.Option(
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
    per: PricePer | None = typer.Option(
        None, "--per", help="Only offerings priced per person or per organization."
    ),
    domain: str | None = typer.Option(
        None,
        "--domain",
        "-d",
        help="Only offerings that strengthen this framework domain (id or number), by leadcli's own"
        " mapping of offerings to domains (the report does not map them).",
        autocompletion=complete_domains,
    ),
    sort: SortKey = typer.Option("name", "--sort", "-s", help="Order by name, price or duration."),
    show_coverage: bool = typer.Option(
        False,
        "--coverage",
        help="Show which offerings serve each domain, audience and kind of customer, and which cells"
        " none serves (leadcli's reading; the filters above narrow the offerings counted).",
    ),
    fmt: ContentFormatOption = "table",
) -> None:
    """List the institute's offerings with leadership content, filtered to what fits.

    \b
    Example: leadcli offerings --audience executive --region "United Kingdom" --sort price
    """
    if ctx.invoked_subcommand is not None:
        return
    from leadcli.content.catalog import OfferingQuery, find_offerings, is_known_place, leadcli_notes
    from leadcli.render.content import markdown, rows, terminal
    from leadcli.render.data import content_data

    content = load_content(ctx)
    if domain is not None:  # by number or id, any case, as `framework --domain` takes it
        domain = content.framework.named(domain).id
    query = OfferingQuery(
        audience=audience,
        type=kind,
        region=region,
        max_price=max_price,
        per=per,
        domain=domain,
        sort=sort,
    )
    found = find_offerings(content.catalog, query, [d.id for d in content.framework.domains])
    if region and not is_known_place(region, content.catalog):
        warn(f"{region!r} is not a place leadcli knows; only offerings available globally match it")
    if show_coverage:
        _coverage(content, found, fmt)
        return
    from leadcli.render.wording import found_caption

    caption = found_caption(
        len(found), len(content.catalog.offerings), by_domain=bool(domain), by_region=bool(region)
    )
    as_of = content.catalog.source.prices_as_of
    rests_on = leadcli_notes(content.catalog, found, query)  # what this list rests on
    emit(
        fmt,
        table=lambda: terminal.offerings_table(found, caption=caption, notes=rests_on, prices_as_of=as_of),
        json=lambda: content_data(
            {"version": content.catalog.version, "filters": query, "count": len(found), "offerings": found},
            prices_as_of=as_of,
            leadcli_notes=leadcli_notes(content.catalog, found),
        ),
        markdown=lambda: markdown.offerings_markdown(
            found, notes=rests_on, prices_as_of=as_of, caption=caption if domain or region else None
        ),
        csv=lambda: rows.offerings_rows(found, prices_as_of=as_of),
    )


def _coverage(content: Content, found: list[Offering], fmt: ContentFormat) -> None:
    import dataclasses

    from leadcli.content.coverage import coverage

    catalog = dataclasses.replace(content.catalog, offerings=tuple(found))
    data = coverage(content.framework, catalog)
    if fmt == "table":
        from leadcli.render.market.terminal import coverage_view

        emit(fmt, table=lambda: coverage_view(data))
        return
    from leadcli.render.market import markdown as market_markdown
    from leadcli.render.market import rows as market_rows

    emit(
        fmt,
        json=lambda: data,
        markdown=lambda: market_markdown.coverage_markdown(data),
        csv=lambda: market_rows.coverage_rows(data),
    )


@app.command("show")
def show(
    ctx: typer.Context,
    name: str = typer.Argument(
        ..., help="Offering id or name, or the start of one (any case).", autocompletion=complete_offerings
    ),
    fmt: ContentFormatOption = "table",
) -> None:
    """Show one offering in full.

    \b
    Example: leadcli offerings show fellowship
    """
    from leadcli.content.catalog import get_offering, leadcli_notes
    from leadcli.render.content import markdown, rows, terminal
    from leadcli.render.data import content_data

    content = load_content(ctx)
    offering = get_offering(content.catalog, name)
    titles = domain_titles(content)
    as_of = content.catalog.source.prices_as_of
    notes = leadcli_notes(content.catalog, [offering])
    emit(
        fmt,
        table=lambda: terminal.offering_detail(offering, titles, notes, prices_as_of=as_of),
        json=lambda: content_data(offering, prices_as_of=as_of, leadcli_notes=notes),
        markdown=lambda: markdown.offering_markdown(offering, titles, notes, prices_as_of=as_of),
        csv=lambda: rows.offerings_rows([offering], prices_as_of=as_of),
    )
