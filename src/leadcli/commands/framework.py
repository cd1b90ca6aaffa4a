"""`leadcli framework`: the Leadership Framework for Quality."""

from __future__ import annotations

import typer

from leadcli.commands._common import ContentFormatOption, complete_domains, emit, load_content


def framework(
    ctx: typer.Context,
    domain: str | None = typer.Option(
        None, "--domain", "-d", help="Show one domain, by id or number.", autocompletion=complete_domains
    ),
    detail: bool = typer.Option(False, "--detail", help="Show each component's guidance text."),
    fmt: ContentFormatOption = "table",
) -> None:
    """Show the five domains of the framework and their components.

    \b
    Example: leadcli framework --domain 3 --detail
    """
    from leadcli.render.content import markdown, rows, terminal
    from leadcli.render.data import content_data

    part = load_content(ctx).framework.part(domain)
    emit(
        fmt,
        table=lambda: terminal.framework_tree(part, detail=detail),
        json=lambda: content_data(part),
        markdown=lambda: markdown.framework_markdown(part, detail=detail),
        csv=lambda: rows.framework_rows(part.domains),
    )
