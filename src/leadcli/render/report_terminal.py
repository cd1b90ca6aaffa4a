"""The report in the terminal: every piece of user text is a `Text`, never markup."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from leadcli.assessment.report import OrgReport, Report, Summary
from leadcli.render.text import bar, header_rows, outcome_text

LEVEL_STYLE = {"strong": "green", "partial": "yellow", "low": "red", "unknown": "dim"}
OVERDUE_SHOWN = 20


def _header(report: Report) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for label, value in [("Organization", report.interview.organization), *header_rows(report.interview)]:
        grid.add_row(Text(label), Text(value))
    return grid


def _domains(report: Report) -> RenderableType:
    table = Table(title="Leadership commitment by framework domain", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("Domain", min_width=24)
    table.add_column("Evidence", no_wrap=True)
    table.add_column("Level", no_wrap=True)
    table.add_column("Explored", justify="right")
    table.add_column("Cues", justify="right")
    table.add_column("Ratings")
    for d in report.assessment.domains:
        ratings = ", ".join(d.ratings) + (" (mixed)" if d.conflicting else "")
        table.add_row(
            str(d.number),
            Text(d.title),
            Text(bar(d.strength), style=LEVEL_STYLE[d.level]),
            Text(d.level, style=LEVEL_STYLE[d.level]),
            f"{d.explored}/{d.questions}",
            f"{d.cues_heard}/{d.cues_available}",
            Text(ratings or "—"),
        )
    return table


def _numbered(items: list[tuple[str, Text]]) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for label, text in items:
        grid.add_row(label, text)
    return grid


def report_view(report: Report) -> RenderableType:
    assessment = report.assessment
    parts: list[RenderableType] = [
        Text(f"Leadership assessment: {report.interview.organization}", style="bold"),
        _header(report),
        Text(""),
        _domains(report),
        Text.assemble(("Overall: ", "bold"), assessment.overall, f" ({assessment.overall_source})"),
        Text(""),
        Text("What was heard", style="bold cyan"),
    ]
    for q in report.questions:
        state = q.rating or ("unrated" if q.state == "explored" else q.state)
        parts.append(Text.assemble((f"{q.number}. {q.category}", "bold"), f"  [{state}]"))
        if q.state == "explored":
            parts.append(Padding(Text(q.notes or "(no notes)"), (0, 0, 0, 3), expand=False))
            if q.cues_heard:
                heard = "Heard: " + "; ".join(c.text for c in q.cues_heard)
                parts.append(Padding(Text(heard, style="dim"), (0, 0, 0, 3), expand=False))
    if report.reflection is not None:
        parts += [Text(""), Text("Reflection", style="bold cyan")]
        for item in report.reflection.answers:
            parts.append(Padding(Text(item.question, style="italic"), (0, 0, 0, 3), expand=False))
            parts.append(Padding(Text(item.answer or "—"), (0, 0, 0, 5), expand=False))
        parts.append(Text(f"   Verdict: {report.reflection.verdict or 'not given'}"))
        for f in report.reflection.follow_ups:
            line = f"   Follow-up: {f.text} — {f.owner or 'no owner'}, due {f.due or 'no date'}"
            parts.append(Text(line))
    parts += [Text(""), Text("Recommended offerings", style="bold cyan")]
    if not report.recommendations:
        parts.append(Text("   None fit the gaps, the people and the region."))
    recommended = [
        (f"{r.rank}.", Text.assemble((r.name, "bold"), f" — {r.why}")) for r in report.recommendations
    ]
    parts.append(_numbered(recommended))
    if report.passed_over:
        parts += [Text(""), Text("Not recommended", style="bold cyan")]
        passed = [
            ("-", Text.assemble((p.name, "bold"), " — " + "; ".join(p.reasons))) for p in report.passed_over
        ]
        parts.append(_numbered(passed))
    return Group(*parts)


def org_report_view(report: OrgReport) -> RenderableType:
    table = Table(
        title=f"{report.organization}: {len(report.calls)} calls, oldest first",
        title_justify="left",
    )
    table.add_column("Domain")
    for call in report.calls:
        who = ", ".join(sorted({p.level for p in call.people})) or "—"
        table.add_column(Text(f"{call.date}\n{call.id}\n{who}"), no_wrap=True)
    table.add_column("Agree?")
    table.add_column("Change")
    for domain in report.domains:
        table.add_row(
            Text(f"{domain.number}. {domain.title}"),
            *[Text(level, style=LEVEL_STYLE[level]) for level in domain.levels],
            Text(
                "disagree" if domain.disagree else "yes",
                style="bold red" if domain.disagree else "",
            ),
            Text(domain.change),
        )
    table.add_row(
        Text("Overall", style="bold"),
        *[
            Text(call.overall + ("*" if call.overall_source == "reflection verdict" else ""))
            for call in report.calls
        ],
        Text(""),
        Text(""),
    )
    return Group(
        table,
        Text(
            "* the interviewer's reflection verdict; otherwise the assessment's reading",
            style="dim",
        ),
        *_outcome_lines(report),
    )


def _outcome_lines(report: OrgReport) -> list[RenderableType]:
    if report.outcome is None:
        return [Text("Outcome: none recorded yet (leadcli outcome ORG --result ...)")]
    lines: list[RenderableType] = [
        Text.assemble(("Outcome: ", "bold"), outcome_text(report.outcome)),
    ]
    if len(report.outcomes) > 1:
        lines.append(Text("Earlier outcomes:", style="dim"))
        lines += [
            Padding(Text(outcome_text(o), style="dim"), (0, 0, 0, 3), expand=False)
            for o in reversed(report.outcomes[:-1])
        ]
    return lines


def summary_view(summary: Summary) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row("Interviews", str(summary.interviews))
    grid.add_row("Organizations", str(summary.organizations))
    grid.add_row("By status", ", ".join(f"{k} {v}" for k, v in summary.by_status.items()))
    grid.add_row("Verdicts", ", ".join(f"{k} {v}" for k, v in summary.verdicts.items()) or "—")
    outcomes = ", ".join(f"{k} {v}" for k, v in summary.outcomes.items())
    grid.add_row("Outcomes", f"{outcomes} (organizations, by their latest outcome)")
    domains = Table(title="How often each domain came out low or unknown", title_justify="left")
    domains.add_column("Domain")
    domains.add_column("Low", justify="right")
    domains.add_column("Unknown", justify="right")
    for d in summary.domains:
        domains.add_row(Text(d.title), str(d.low), str(d.unknown))
    offers = Table(title="Most recommended offerings (top three per interview)", title_justify="left")
    offers.add_column("Offering")
    offers.add_column("Interviews", justify="right")
    for name, count in summary.top_recommendations:
        offers.add_row(Text(name), str(count))
    if not summary.overdue:
        return Group(grid, Text(""), domains, offers, Text("Overdue follow-ups (0): none"))
    shown = summary.overdue[:OVERDUE_SHOWN]
    title = f"Overdue follow-ups ({len(summary.overdue)}" + (
        f"; the {OVERDUE_SHOWN} oldest shown, all of them with --format json)"
        if len(shown) < len(summary.overdue)
        else ")"
    )
    overdue = Table(title=title, title_justify="left")
    for column in ("Due", "Interview", "Organization", "Follow-up", "Owner"):
        overdue.add_column(column)
    for item in shown:
        overdue.add_row(
            item.due, item.interview_id, Text(item.organization), Text(item.text), Text(item.owner)
        )
    return Group(grid, Text(""), domains, offers, overdue)
