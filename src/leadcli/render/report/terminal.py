"""The report in the terminal: user text is literal (`text()`, `Notes`), tables fit any width."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from leadcli.assessment.report import OrgReport, Report
from leadcli.render.plain import Notes, one_line, text
from leadcli.render.tables import Column, FittedTable
from leadcli.render.wording import (
    AGREE,
    CHANGE,
    LEVEL_KEY,
    ORG_KEY,
    agree_text,
    bar,
    call_level_text,
    call_overall_text,
    counted,
    follow_up_text,
    header_rows,
    heard_cue_text,
    heard_list,
    legend_lines,
    level_text,
    offer_text,
    ours,
    outcome_text,
    overall_text,
    question_label,
    recommendation_why,
    recommended_name,
    rests_text,
    verdict_text,
)
from leadcli.vocabulary import Level

LEVEL_STYLE: dict[Level, str] = {"strong": "green", "partial": "yellow", "low": "red", "unknown": "dim"}


def _header(report: Report) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for label, value in [("Organization", report.interview.organization), *header_rows(report.interview)]:
        grid.add_row(Text(label), one_line(value))
    return grid


def _domains(report: Report) -> RenderableType:
    table = FittedTable(
        [
            Column("Domain"),
            Column("Evidence"),
            Column("Level"),
            Column("Strengths heard"),
            Column("Concerns heard"),
            Column(ours("Rests on")),
        ],
        title="Leadership commitment by framework domain",
    )
    thin_below = report.assessment.thin_below
    for d in report.assessment.domains:
        table.add_row(
            f"{d.number}. {d.title}",
            text(bar(d.strength), style=LEVEL_STYLE[d.reading]),
            text(level_text(d), style=LEVEL_STYLE[d.level]),
            text(heard_list(d.strengths)),
            text(heard_list(d.concerns)),
            text(rests_text(d, thin_below), style="dim"),
        )
    return table


def _numbered(items: list[tuple[str, Text]]) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, line in items:
        grid.add_row(label, line)
    return grid


def report_view(report: Report) -> RenderableType:
    assessment = report.assessment
    parts: list[RenderableType] = [
        text(f"Leadership assessment: {report.interview.organization}", style="bold"),
        _header(report),
        Text(""),
        _domains(report),
        Text.assemble(
            ("Overall: ", "bold"), text(overall_text(assessment.overall, assessment.overall_source))
        ),
        Text(""),
        Text("What was heard", style="bold cyan"),
    ]
    for q in report.questions:
        state = question_label(explored=q.state == "explored", rating=q.rating)
        parts.append(Text.assemble(text(f"{q.number}. {q.category}", "bold"), text(f"  [{state}]")))
        if q.state == "explored":
            parts.append(Notes(q.notes or "(no notes)", indent=3))
            if q.cues_heard:
                heard = "Heard: " + "; ".join(heard_cue_text(c) for c in q.cues_heard)
                parts.append(Padding(text(heard, style="dim"), (0, 0, 0, 3), expand=False))
    if report.reflection is not None:
        parts += [Text(""), Text("Reflection", style="bold cyan")]
        for item in report.reflection.answers:
            parts.append(Padding(text(item.question, style="italic"), (0, 0, 0, 3), expand=False))
            parts.append(Notes(item.answer or "—", indent=5))
        parts.append(
            Padding(text(f"Verdict: {verdict_text(report.reflection.verdict)}"), (0, 0, 0, 3), expand=False)
        )
        for f in report.reflection.follow_ups:
            line = f"Follow-up: {follow_up_text(f)}"
            parts.append(Padding(text(line), (0, 0, 0, 3), expand=False))
    parts += [Text(""), Text("Recommended offerings", style="bold cyan")]
    if not report.recommendations:
        parts.append(Text("   None fit the gaps, the people and the region."))
    recommended = [
        (
            f"{r.rank}.",
            Text.assemble(
                text(recommended_name(r.name, inferred=r.name_inferred), "bold"),
                text(f" — {recommendation_why(r)}"),
                text(f"\n{offer_text(r)}", "dim"),
                text(f"\nThe report: {r.report_says}" if r.report_says else "", "italic"),
            ),
        )
        for r in report.recommendations
    ]
    parts.append(_numbered(recommended))
    if report.passed_over:
        parts += [Text(""), Text("Not recommended", style="bold cyan")]
        passed = [
            ("-", Text.assemble(text(p.name, "bold"), text(" — " + "; ".join(p.reasons))))
            for p in report.passed_over
        ]
        parts.append(_numbered(passed))
    parts.append(Text(""))
    parts += [text(line, style="dim") for line in legend_lines(report.leadcli_notes)]
    parts.append(text(LEVEL_KEY, style="dim"))
    return Group(*parts)


def org_report_view(report: OrgReport) -> RenderableType:
    calls = [
        Column(f"{call.date}\n{call.id}\n{', '.join(sorted({p.level for p in call.people})) or '—'}")
        for call in report.calls
    ]
    table = FittedTable(
        [Column("Domain"), *calls, Column(AGREE), Column(CHANGE)],
        title=f"{report.organization}: {counted(len(report.calls), 'call')}, oldest first",
    )
    for domain in report.domains:
        table.add_row(
            f"{domain.number}. {domain.title}",
            *[
                text(call_level_text(level, by), style=LEVEL_STYLE.get(level, ""))
                for level, by in zip(domain.levels, domain.levels_by, strict=True)
            ],
            text(agree_text(domain.disagree), style="bold red" if domain.disagree else ""),
            domain.change,
        )
    table.add_row(
        text("Overall", style="bold"),
        *[call_overall_text(call.overall, call.overall_source) for call in report.calls],
        "",
        "",
    )
    return Group(
        table,
        *_outcome_lines(report),
        Text(""),
        *[text(line, style="dim") for line in legend_lines([ORG_KEY])],
    )


def _outcome_lines(report: OrgReport) -> list[RenderableType]:
    if report.outcome is None:
        return [Text("Outcome: none recorded yet (leadcli outcome ORG --result ...)")]
    lines: list[RenderableType] = [
        Text.assemble(("Outcome: ", "bold"), text(outcome_text(report.outcome))),
    ]
    if len(report.outcomes) > 1:
        lines.append(Text("Earlier outcomes:", style="dim"))
        lines += [
            Padding(text(outcome_text(o), style="dim"), (0, 0, 0, 3), expand=False)
            for o in reversed(report.outcomes[:-1])
        ]
    return lines
