"""The report as Markdown that pastes cleanly into an email or a CRM note.

Every piece of user or content text goes through `inline()` (one line) or `block()` (multi-line,
hard breaks kept), so no note can open a code block, a heading, a list, a link or HTML.
"""

from __future__ import annotations

from leadcli.assessment.report import OrgReport, Report
from leadcli.render.markdown import block, inline, prose, table
from leadcli.render.wording import (
    AGREE,
    CHANGE,
    KINDS_KEY,
    LEVEL_KEY,
    ORG_KEY,
    VERDICT_LABEL,
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
    passed_text,
    people_text,
    question_label,
    recommendation_why,
    recommendations_note,
    recommended_name,
    rests_text,
    verdict_text,
)


def quoted(text: str) -> list[str]:
    """Notes as a block quote, line by line."""
    return [f"> {line}" if line else ">" for line in block(text).split("\n")] if text else ["> (no notes)"]


def report_markdown(report: Report) -> str:
    head = report.interview
    a = report.assessment
    out = [
        f"# Leadership assessment: {inline(head.organization)}",
        "",
        *[f"- **{label}:** {inline(value)}" for label, value in header_rows(head)],
        "",
        "## Leadership commitment by framework domain",
        "",
    ]
    rows = [
        [
            str(d.number),
            d.title,
            f"{bar(d.strength)} {level_text(d)}",
            heard_list(d.strengths),
            heard_list(d.concerns),
            rests_text(d, a.thin_below),
        ]
        for d in a.domains
    ]
    header = ["#", "Domain", "Level", "Strengths heard", "Concerns heard", ours("Rests on")]
    out.append(table(header, rows).rstrip())
    out += ["", prose(LEVEL_KEY), "", prose(KINDS_KEY)]
    out += [
        "",
        f"**Overall:** {inline(overall_text(a.overall, a.overall_source))}",
        "",
        "## What was heard",
        "",
    ]
    for q in report.questions:
        state = question_label(explored=q.state == "explored", rating=q.rating)
        out += [f"### {q.number}. {inline(q.category)} — {inline(state)}", ""]
        if q.state == "explored":
            out += [*quoted(q.notes), ""]
            if q.cues_heard:
                out += ["Cues heard: " + inline("; ".join(heard_cue_text(c) for c in q.cues_heard)), ""]
    if report.reflection is not None:
        out += ["## Reflection", ""]
        for item in report.reflection.answers:
            out += [f"**{inline(item.question)}**", "", block(item.answer) or "—", ""]
        out += [
            f"**{VERDICT_LABEL}:** {inline(verdict_text(report.reflection.verdict))}",
            "",
        ]
        if report.reflection.follow_ups:
            out += ["Follow-ups:", ""]
            out += [f"- {follow_up_text(f, inline)}" for f in report.reflection.follow_ups]
            out.append("")
    out += ["## Recommended offerings", ""]
    said = recommendations_note(report.recommendations_note, len(report.recommendations))
    if said:
        out += [prose(said), ""]
    for r in report.recommendations:
        name = inline(recommended_name(r.name, inferred=r.name_inferred))
        out.append(f"{r.rank}. **{name}** — {inline(recommendation_why(r), starts_block=False)}")
        out.append(f"   {inline(offer_text(r), starts_block=False)}")
        if r.report_says:
            out.append(f"   The report: {inline(r.report_says, starts_block=False)}")
    if report.passed_over:
        out += ["", "## Not recommended", ""]
        out += [
            f"- **{inline(p.name)}** — {inline(passed_text(p), starts_block=False)}"
            for p in report.passed_over
        ]
    for line in legend_lines(report.leadcli_notes):
        out += ["", prose(line)]
    return "\n".join(out).rstrip() + "\n"


def org_report_markdown(report: OrgReport) -> str:
    header = ["Domain", *[f"{c.date} ({c.id})" for c in report.calls], AGREE, CHANGE]
    rows = [
        [
            f"{d.number}. {d.title}",
            *[call_level_text(level, by) for level, by in zip(d.levels, d.levels_by, strict=True)],
            agree_text(d.disagree),
            d.change,
        ]
        for d in report.domains
    ]
    rows.append(["Overall", *[call_overall_text(c.overall, c.overall_source) for c in report.calls], "", ""])
    calls = [
        "- " + inline(f"{c.date} · {c.id} · {c.interviewer} with {people_text(c.people)} · {c.status}")
        for c in report.calls
    ]
    lines = [
        f"# {inline(report.organization)}: {counted(len(report.calls), 'call')}",
        "",
        *calls,
        "",
        table(header, rows),
    ]
    if report.outcome is None:
        lines.append("**Outcome:** none recorded yet.")
    else:
        lines.append(f"**Outcome:** {inline(outcome_text(report.outcome))}")
        if len(report.outcomes) > 1:
            lines += ["", "Earlier outcomes:", ""]
            lines += [f"- {inline(outcome_text(o))}" for o in reversed(report.outcomes[:-1])]
    for line in legend_lines([ORG_KEY]):
        lines += ["", prose(line)]
    return "\n".join(lines).rstrip() + "\n"
