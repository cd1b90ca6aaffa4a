"""The team summary for the terminal."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from leadcli.assessment.report import Summary
from leadcli.render.plain import text
from leadcli.render.tables import Column, FittedTable
from leadcli.render.wording import GAPS_KEY, MARK, RANKED, THEIRS, legend_lines, recommended_name

OVERDUE_SHOWN = 20
GAP_COLUMNS = (("Low", MARK), ("Unknown", MARK), ("Low", THEIRS), ("Don't know", THEIRS))
"""The counts per domain: leadcli's readings (†), then the interviewer's own levels (*)."""


def summary_view(summary: Summary) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    grid.add_row("Interviews", str(summary.interviews))
    grid.add_row("Organizations", str(summary.organizations))
    grid.add_row("By status", text(", ".join(f"{k} {v}" for k, v in summary.by_status.items())))
    verdicts = ", ".join(f"{k} {v}" for k, v in summary.verdicts.items()) or "—"
    grid.add_row("Verdicts", text(f"{verdicts} (the interviewers' own)"))
    outcomes = ", ".join(f"{k} {v}" for k, v in summary.outcomes.items())
    grid.add_row("Outcomes", text(f"{outcomes} (organizations, by their latest outcome)"))
    domains = FittedTable(
        [
            Column("Domain"),
            *[Column(f"{head} {mark}", justify="right") for head, mark in GAP_COLUMNS],
        ],
        title="How often each domain came out low or unknown",
    )
    for d in summary.domains:
        domains.add_row(
            d.title,
            str(d.low - d.low_by_interviewer),
            str(d.unknown - d.unknown_by_interviewer),
            str(d.low_by_interviewer),
            str(d.unknown_by_interviewer),
        )
    offers = FittedTable([Column("Offering"), Column("Interviews", justify="right")], title=RANKED)
    inferred = set(summary.inferred_names)
    for name, count in summary.top_recommendations:
        offers.add_row(recommended_name(name, inferred=name in inferred), str(count))
    legend = [Text(""), *[text(line, style="dim") for line in legend_lines([GAPS_KEY])]]
    if not summary.overdue:
        return Group(
            grid, Text(""), domains, Text(""), offers, Text(""), Text("Overdue follow-ups (0): none"), *legend
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
    return Group(grid, Text(""), domains, Text(""), offers, Text(""), overdue, *legend)
