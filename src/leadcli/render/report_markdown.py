"""The report as Markdown that pastes cleanly into an email or a CRM note."""

from __future__ import annotations

import re

from leadcli.assessment.report import OrgReport, Report
from leadcli.render.markdown import table
from leadcli.render.text import bar, header_rows, outcome_text, people_text

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def escape(text: str) -> str:
    """User text as literal Markdown: no emphasis, links, HTML or headings sneak in."""
    escaped = _SPECIAL.sub(r"\\\1", text)
    return re.sub(r"^([#>+\-]|\d+\.)", r"\\\1", escaped, flags=re.MULTILINE)


def quoted(text: str) -> list[str]:
    return [f"> {line}" if line else ">" for line in escape(text).splitlines()] or ["> (no notes)"]


def report_markdown(report: Report) -> str:
    head = report.interview
    a = report.assessment
    out = [
        f"# Leadership assessment: {escape(head.organization)}",
        "",
        *[f"- **{label}:** {escape(value)}" for label, value in header_rows(head)],
        "",
        "## Leadership commitment by framework domain",
        "",
    ]
    rows = [
        [
            str(d.number),
            d.title,
            f"{bar(d.strength)} {d.level}" + (" (mixed)" if d.conflicting else ""),
            f"{d.explored}/{d.questions}",
            f"{d.cues_heard}/{d.cues_available}",
            ", ".join(d.ratings) or "—",
        ]
        for d in a.domains
    ]
    out.append(table(["#", "Domain", "Level", "Explored", "Cues heard", "Ratings"], rows).rstrip())
    out += ["", f"**Overall:** {a.overall} ({a.overall_source})", "", "## What was heard", ""]
    for q in report.questions:
        state = q.rating or ("unrated" if q.state == "explored" else q.state)
        out += [f"### {q.number}. {q.category} — {state}", ""]
        if q.state == "explored":
            out += [*quoted(q.notes), ""]
            if q.cues_heard:
                out += ["Cues heard: " + "; ".join(c.text for c in q.cues_heard), ""]
    if report.reflection is not None:
        out += ["## Reflection", ""]
        for item in report.reflection.answers:
            out += [f"**{item.question}**", "", escape(item.answer) or "—", ""]
        out += [
            f"**Verdict on leadership commitment:** {report.reflection.verdict or 'not given'}",
            "",
        ]
        if report.reflection.follow_ups:
            out += ["Follow-ups:", ""]
            out += [
                f"- {escape(f.text)} — {escape(f.owner) or 'no owner'}, due {f.due or 'no date'}"
                for f in report.reflection.follow_ups
            ]
            out.append("")
    out += ["## Recommended offerings", ""]
    if not report.recommendations:
        out += ["None fit the gaps, the people and the region.", ""]
    out += [f"{r.rank}. **{r.name}** — {escape(r.why)}" for r in report.recommendations]
    if report.passed_over:
        out += ["", "## Not recommended", ""]
        out += [f"- **{p.name}** — {escape('; '.join(p.reasons))}" for p in report.passed_over]
    return "\n".join(out).rstrip() + "\n"


def org_report_markdown(report: OrgReport) -> str:
    header = ["Domain", *[f"{c.date} ({c.id})" for c in report.calls], "Agree?", "Change"]
    rows = [
        [f"{d.number}. {d.title}", *d.levels, "disagree" if d.disagree else "yes", d.change]
        for d in report.domains
    ]
    rows.append(["Overall", *[c.overall for c in report.calls], "", ""])
    calls = [
        f"- {c.date} · {c.id} · {escape(c.interviewer)} with {escape(people_text(c.people))} · {c.status}"
        for c in report.calls
    ]
    lines = [
        f"# {escape(report.organization)}: {len(report.calls)} calls",
        "",
        *calls,
        "",
        table(header, rows),
        "## Outcome",
        "",
    ]
    if report.outcome is None:
        lines.append("None recorded yet.")
    else:
        lines.append(f"**Latest:** {escape(outcome_text(report.outcome))}")
        if len(report.outcomes) > 1:
            lines += ["", "Earlier outcomes:", ""]
            lines += [f"- {escape(outcome_text(o))}" for o in reversed(report.outcomes[:-1])]
    return "\n".join(lines).rstrip() + "\n"
