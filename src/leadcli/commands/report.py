"""`leadcli report`: the assessment of one interview, or of every call with one organization."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from leadcli.commands._common import emit, load_content, open_store, render_with


class ReportFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    html = "html"
    json = "json"


def report(
    ctx: typer.Context,
    interview_id: str | None = typer.Argument(
        None, metavar="[ID]", help="Interview id or unique prefix; default: the most recent."
    ),
    org: str | None = typer.Option(None, "--org", help="Compare every interview with this organization."),
    fmt: ReportFormat = typer.Option(
        ReportFormat.table, "--format", "-f", help="table, markdown, html or json."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file (owner-only)."),
    force: bool = typer.Option(False, "--force", help="Replace --output if it exists."),
    show_all: bool = typer.Option(False, "--all", help="Also list the offerings not recommended, and why."),
) -> None:
    """Assess leadership commitment by framework domain and recommend offerings.

    \b
    Example: leadcli report 7kq2mz --format html --output st-marys.html
    """
    from leadcli.errors import UsageError
    from leadcli.services.reports import organization_report, single_report

    content = load_content(ctx)
    with open_store(ctx) as store:
        if org is not None:
            if interview_id is not None:
                raise UsageError("give an interview ID or --org, not both")
            if fmt is ReportFormat.html:
                raise UsageError("--org reports come as table, markdown or json")
            data = organization_report(store, content, org)
            emit(
                fmt,
                table=lambda: render_with("report_terminal", "org_report_view", data),
                markdown=lambda: render_with("report_markdown", "org_report_markdown", data),
                json=lambda: data,
                output=output,
                force=force,
            )
            return
        result = single_report(store, content, interview_id, include_passed=show_all)
    emit(
        fmt,
        table=lambda: render_with("report_terminal", "report_view", result),
        markdown=lambda: render_with("report_markdown", "report_markdown", result),
        html=lambda: render_with("report_html", "report_html", result),
        json=lambda: result,
        output=output,
        force=force,
    )
