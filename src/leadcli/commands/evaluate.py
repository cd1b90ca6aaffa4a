"""`leadcli evaluate`: do the questions work, do interviewers agree, does the verdict foretell the outcome."""

from __future__ import annotations

import typer

from leadcli.commands._common import (
    ForceOption,
    OutputOption,
    complete_interviewers,
    emit,
    load_content,
    open_store,
    progress,
)
from leadcli.vocabulary import StudyFormat


def evaluate(
    ctx: typer.Context,
    since: str | None = typer.Option(
        None, "--since", metavar="YYYY-MM-DD", help="Only interviews from this date on."
    ),
    interviewer: str | None = typer.Option(
        None,
        "--interviewer",
        metavar="NAME",
        help="Only this interviewer's interviews (any case).",
        autocompletion=complete_interviewers,
    ),
    by_version: bool = typer.Option(
        False,
        "--by-version",
        help="The question figures and verdict-vs-outcome rows per question-set version, side by side.",
    ),
    fmt: StudyFormat = typer.Option("table", "--format", "-f", help="Output format."),
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Test the questions: does each do its job, do interviewers agree, does the verdict foretell the outcome?

    \b
    Example: leadcli evaluate --since 2026-01-01
    """
    from leadcli.services.evaluate import evaluation, evaluation_by_version

    content = load_content(ctx)
    with open_store(ctx) as store:
        if by_version:
            with progress("reading interviews") as shown:
                versions = evaluation_by_version(
                    store, content, since=since, interviewer=interviewer, progress=shown
                )
        else:
            with progress("reading interviews") as shown:
                data = evaluation(store, content, since=since, interviewer=interviewer, progress=shown)
    if by_version:
        if fmt == "table":
            from leadcli.render.by_version.terminal import versions_view

            emit(fmt, table=lambda: versions_view(versions))
            return
        from leadcli.render.by_version.markdown import versions_markdown

        emit(
            fmt,
            markdown=lambda: versions_markdown(versions),
            json=lambda: versions,
            output=output,
            force=force,
        )
        return
    from leadcli.render.evaluate import markdown as evaluate_markdown
    from leadcli.render.evaluate import terminal

    emit(
        fmt,
        table=lambda: terminal.evaluation_view(data),
        markdown=lambda: evaluate_markdown.evaluation_markdown(data),
        json=lambda: data,
        output=output,
        force=force,
    )
