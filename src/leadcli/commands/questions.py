"""`leadcli questions`: the Appendix A conversation guide; `questions diff`: what changed between versions."""

from __future__ import annotations

import typer

from leadcli.commands._common import (
    ContentFormatOption,
    ForceOption,
    OutputOption,
    domain_titles,
    emit,
    home_dir,
    load_content,
    message,
    open_existing_store,
    settings,
)
from leadcli.vocabulary import StudyFormat

app = typer.Typer(no_args_is_help=False)


@app.callback(invoke_without_command=True)
def questions(ctx: typer.Context, fmt: ContentFormatOption = "table") -> None:
    """Show the conversation questions, what to listen for, and the after-call reflection.

    \b
    Example: leadcli questions --format markdown > call-guide.md
    """
    if ctx.invoked_subcommand is not None:
        return
    from leadcli.render.content import markdown, rows, terminal
    from leadcli.render.data import content_data
    from leadcli.services.question_sets import questions_in_use

    options = settings(ctx)
    # What a new interview asks: on the team store, the team's published set (not the files).
    team = questions_in_use(
        load_content(ctx), home_dir(ctx), url=options.database_url, data_dir=options.data_dir
    )
    if team.published:
        message(f"the team's published questions, {team.published}: what a new interview asks")
    content = team.content
    emit(
        fmt,
        table=lambda: terminal.questions_view(content.questions),
        json=lambda: content_data(content.questions),
        markdown=lambda: markdown.questions_markdown(content.questions, domain_titles(content)),
        csv=lambda: rows.questions_rows(content.questions),
    )


@app.command("diff")
def diff(
    ctx: typer.Context,
    old: str | None = typer.Argument(
        None,
        metavar="[OLD]",
        help="A question-set version the store records, or 'files' (default: the published set, else the"
        " latest other version recorded).",
    ),
    new: str | None = typer.Argument(
        None, metavar="[NEW]", help="A version the store records, or 'files' (default: the current files)."
    ),
    fmt: StudyFormat = typer.Option("table", "--format", "-f", help="Output format."),
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """What changed between two question-set versions: questions, cues, domains, cue kinds, rules.

    \b
    Example: leadcli questions diff 2019.12-a.1 files --format markdown
    """
    from leadcli.services.question_sets import diff as build

    content = load_content(ctx)
    store = open_existing_store(ctx)
    try:
        data = build(store, content, old, new)
    finally:
        if store is not None:
            store.close()
    if fmt == "table":
        from leadcli.render.question_diff.terminal import diff_view

        emit(fmt, table=lambda: diff_view(data))
        return
    from leadcli.render.question_diff.markdown import diff_markdown

    emit(fmt, markdown=lambda: diff_markdown(data), json=lambda: data, output=output, force=force)
