"""The team summary for the terminal."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from leadcli.assessment.report import Summary
from leadcli.render.plain import text
from leadcli.render.tables import Column, FittedTable

OVERDUE_SHOWN = 20


def summary_view(summary: Summary) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    grid.add_row("Interviews", str(summary.interviews))
    grid.add_row("Organizations", str(summary.organizations))
    grid.add_row("By status", text(", ".join(f"{k} {v}" for k, v in summary.by_status.items())))
    grid.add_row("Verdicts", text(", ".join(f"{k} {v}" for k, v in summary.verdicts.items()) or "—"))
    outcomes = ", ".join(f"{k} {v}" for k, v in summary.outcomes.items())
    grid.add_row("Outcomes", text(f"{outcomes} (organizations, by their latest outcome)"))
    domains = FittedTable(
        [Column("Domain"), Column("Low", justify="right"), Column("Unknown", justify="right")],
        title="How often each domain came out low or unknown",
    )
    for d in summary.domains:
        domains.add_row(d.title, str(d.low), str(d.unknown))
    offers = FittedTable(
        [Column("Offering"), Column("Interviews", justify="right")],
        title="Most recommended offerings (top three per interview)",
    )
    for name, count in summary.top_recommendations:
        offers.add_row(name, str(count))
    if not summary.overdue:
        return Group(
            grid, Text(""), domains, Text(""), offers, Text(""), Text("Overdue follow-ups (0): none")
        )
    shown = summary.overdue[:OVERDUE_SHOWN]
    title = f"Overdue follow-ups ({len(summary.overdue)}" + (
        f"; the {OVERDUE_SHOWN} oldest shown, all of them with --format json)"
        if len(shown) < len(summary.overdue)
        else ")"
    )
    overdue = FittedTable(
        [Column(name) for name in ("Due", "Interview", "Organization", "Follow-up", "Owner")], title=title
    )
    for item in shown:
        overdue.add_row(item.due, item.interview_id, item.organization, item.text, item.owner)
    return Group(grid, Text(""), domains, Text(""), offers, Text(""), overdue)
