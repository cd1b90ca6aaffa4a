"""`leadcli questions`: the Appendix A conversation guide."""

from __future__ import annotations

import typer

from leadcli.commands._common import ContentFormatOption, domain_titles, emit, load_content


def questions(ctx: typer.Context, fmt: ContentFormatOption = "table") -> None:
    """Show the conversation questions, what to listen for, and the after-call reflection.

    \b
    Example: leadcli questions --format markdown > call-guide.md
    """
    from leadcli.render.content import markdown, rows, terminal

    content = load_content(ctx)
    emit(
        fmt,
        table=lambda: terminal.questions_view(content.questions),
        json=lambda: content.questions,
        markdown=lambda: markdown.questions_markdown(content.questions, domain_titles(content)),
        csv=lambda: rows.questions_rows(content.questions),
    )
