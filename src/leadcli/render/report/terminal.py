"""The report in the terminal: user text is literal (`text()`, `Notes`), tables fit any width."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from leadcli.assessment.report import OrgReport, Report
from leadcli.render.plain import Notes, one_line, text, wrap_words
from leadcli.render.tables import Column, FittedTable
from leadcli.render.wording import (
    AGREE,
    CHANGE,
    KINDS_KEY,
    LEVEL_KEY,
    MARK,
    agree_text,
    bar,
    call_columns_key,
    call_level_cell,
    call_overall_cell,
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
    passed_text,
    question_label,
    recommendation_why,
    recommendations_note,
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
    said = recommendations_note(report.recommendations_note, len(report.recommendations))
    if said:
        parts.append(Padding(text(said), (0, 0, 0, 3), expand=False))
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
            ("-", Text.assemble(text(p.name, "bold"), text(" — " + passed_text(p))))
            for p in report.passed_over
        ]
        parts.append(_numbered(passed))
    parts.append(Text(""))
    parts += [text(line, style="dim") for line in legend_lines(report.leadcli_notes)]
    parts.append(text(LEVEL_KEY, style="dim"))
    parts.append(text(KINDS_KEY, style="dim"))
    return Group(*parts)


class CallRows:
    """The calls with one organization, one row each, laid out by hand.

    Every cell is one of leadcli's own words (a date, an id, a level, an audience level), so each
    column is as wide as its longest cell and only the last (who was in the call) wraps. A rich
    Table measures and renders every cell apart: ten times slower at 500 calls. Narrower than the
    fixed columns, each call becomes a block of two lines: date, id and people, then the levels.
    """

    def __init__(self, header: list[str], rows: list[list[tuple[str, str]]]) -> None:
        self.header = header
        self.rows = rows  # per call: (text, style) for each cell, the people last
        self.widths = [
            max(cell_len(header[i]), *(cell_len(row[i][0]) for row in rows)) for i in range(len(header) - 1)
        ]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        styles: dict[str, Style] = {}

        def style(name: str) -> Style:
            if name not in styles:
                styles[name] = console.get_style(name) if name else Style.null()
            return styles[name]

        width = options.max_width
        people = max((cell_len(w) for row in self.rows for w in row[-1][0].split()), default=1)
        needed = max(people, cell_len(self.header[-1]))
        for gap in ("  ", " "):  # two spaces between columns; one when two do not leave room
            fixed = sum(self.widths) + len(gap) * len(self.widths)
            if width - fixed >= needed:
                break
        else:
            yield from self._stacked(width, style)
            return
        left = width - fixed
        spacer, newline = Segment(gap), Segment.line()
        header = [(h, "bold") for h in self.header]
        for number, row in enumerate([header, *self.rows]):
            for cell, size in zip(row, self.widths, strict=False):
                yield Segment(cell[0] + " " * (size - cell_len(cell[0])), style(cell[1]))
                yield spacer
            last = row[-1][0]
            lines = [last] if cell_len(last) <= left else wrap_words(last, left)
            yield Segment(lines[0], style(row[-1][1]))
            yield newline
            for more in lines[1:]:
                yield Segment(" " * fixed + more, style(row[-1][1]))
                yield newline
            if number == 0:
                yield Segment("─" * min(width, fixed + needed), style("dim"))
                yield newline

    def _stacked(self, width: int, style: Callable[[str], Style]) -> Iterator[Segment]:
        newline = Segment.line()
        for row in self.rows:
            first = " ".join(cell[0] for cell in (*row[:2], row[-1]))
            for line in wrap_words(first, width):
                yield Segment(line, style("bold"))
                yield newline
            items = [(f"{head} ", cell) for head, cell in zip(self.header[2:-1], row[2:-1], strict=True)]
            used = 0
            for head, (value, name) in items:
                size = cell_len(head) + cell_len(value)
                if used and used + 2 + size > width:
                    yield newline
                    used = 0
                yield Segment("  " + head, style("dim"))
                yield Segment(value, style(name))
                used += 2 + size
            yield newline


def org_report_view(report: OrgReport) -> RenderableType:
    """One row per call (a level per domain, by its number), then the domains: agreement and change."""
    header = ["Date", "Call", *[f"{d.number}{MARK}" for d in report.domains], f"Overall{MARK}", "People"]
    rows = []
    for index, call in enumerate(report.calls):
        levels = [
            (call_level_cell(d.levels[index], d.levels_by[index]), LEVEL_STYLE.get(d.levels[index], ""))
            for d in report.domains
        ]
        overall = call_overall_cell(call.overall, call.overall_source)
        people = ", ".join(sorted({p.level for p in call.people})) or "—"
        rows.append([(call.date, ""), (call.id, ""), *levels, (overall, "bold"), (people, "dim")])
    domains = FittedTable([Column("Domain"), Column(AGREE), Column(CHANGE)])
    for domain in report.domains:
        domains.add_row(
            f"{domain.number}. {domain.title}",
            text(agree_text(domain.disagree), style="bold red" if domain.disagree else ""),
            domain.change,
        )
    numbers = f"{report.domains[0].number}–{report.domains[-1].number}" if report.domains else ""
    return Group(
        text(f"{report.organization}: {counted(len(report.calls), 'call')}, oldest first", style="bold"),
        CallRows(header, rows),
        Text(""),
        domains,
        *_outcome_lines(report),
        Text(""),
        *[text(line, style="dim") for line in legend_lines([call_columns_key(numbers)])],
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
