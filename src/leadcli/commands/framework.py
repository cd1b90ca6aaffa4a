"""`leadcli framework`: the Leadership Framework for Quality."""

from __future__ import annotations

import typer

from leadcli.commands._common import FORMAT_HELP, Format, emit, load_content, render_with


def framework(
    ctx: typer.Context,
    domain: str | None = typer.Option(None, "--domain", "-d", help="Show one domain, by id or number."),
    detail: bool = typer.Option(False, "--detail", help="Show each component's guidance text."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
) -> None:
    """Show the five domains of the framework and their components.

    \b
    Example: leadcli framework --domain 3 --detail
    """
    from leadcli.render import terminal

    part = load_content(ctx).framework.part(domain)
    emit(
        fmt,
        table=lambda: terminal.framework_tree(part, detail=detail),
        json=lambda: part,
        markdown=lambda: render_with("markdown", "framework_markdown", part, detail=detail),
        csv=lambda: render_with("rows", "framework_rows", part.domains),
    )
