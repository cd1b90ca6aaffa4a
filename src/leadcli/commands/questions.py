"""`leadcli questions`: the Appendix A conversation guide."""

from __future__ import annotations

import typer

from leadcli.commands._common import FORMAT_HELP, Format, domain_titles, emit, load_content, render_with


def questions(
    ctx: typer.Context,
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
) -> None:
    """Show the conversation questions, what to listen for, and the after-call reflection.

    \b
    Example: leadcli questions --format markdown > call-guide.md
    """
    from leadcli.render import terminal

    content = load_content(ctx)
    titles = domain_titles(content)
    emit(
        fmt,
        table=lambda: terminal.questions_view(content.questions),
        json=lambda: content.questions,
        markdown=lambda: render_with("markdown", "questions_markdown", content.questions, titles),
        csv=lambda: render_with("rows", "questions_rows", content.questions),
    )
