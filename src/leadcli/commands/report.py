"""`leadcli report`: the assessment of one interview, or of every call with one organization."""

from __future__ import annotations

import typer

from leadcli.commands._common import (
    ForceOption,
    OrgOption,
    OutputOption,
    ReportFormatOption,
    complete_ids,
    emit,
    load_content,
    open_store,
    warn,
    warn_unknown_region,
)


def report(
    ctx: typer.Context,
    interview_id: str | None = typer.Argument(
        None,
        metavar="[ID]",
        help="Interview id or unique prefix; default: the most recent.",
        autocompletion=complete_ids,
    ),
    org: OrgOption = None,
    fmt: ReportFormatOption = "table",
    output: OutputOption = None,
    force: ForceOption = False,
    show_all: bool = typer.Option(False, "--all", help="Also list the offerings not recommended, and why."),
) -> None:
    """Assess leadership commitment by framework domain and recommend offerings.

    \b
    Example: leadcli report 7kq2mz --format html --output st-marys.html
    """
    from leadcli.errors import UsageError
    from leadcli.names import invisibly_different
    from leadcli.render.report import (
        html as report_html,
    )
    from leadcli.render.report import (
        markdown as report_markdown,
    )
    from leadcli.render.report import (
        terminal as report_terminal,
    )
    from leadcli.services.reports import organization_report, single_report

    content = load_content(ctx)
    with open_store(ctx) as store:
        if org is not None:
            if interview_id is not None:
                raise UsageError("give an interview ID or --org, not both")
            if fmt == "html":
                raise UsageError("--org reports come as table, markdown or json")
            data = organization_report(store, content, org)
            alike = invisibly_different(store.interviews.spellings(data.organization))
            if alike:
                warn(
                    "these spellings differ only by invisible characters and count as one organization: "
                    + "; ".join(alike)
                )
            emit(
                fmt,
                table=lambda: report_terminal.org_report_view(data),
                markdown=lambda: report_markdown.org_report_markdown(data),
                json=lambda: data,
                output=output,
                force=force,
            )
            return
        result = single_report(store, content, interview_id, include_passed=show_all)
    warn_unknown_region(result.interview.region, content)
    emit(
        fmt,
        table=lambda: report_terminal.report_view(result),
        markdown=lambda: report_markdown.report_markdown(result),
        html=lambda: report_html.report_html(result),
        json=lambda: result,
        output=output,
        force=force,
    )
