"""The report as one self-contained, printable HTML file: inline CSS and SVG, nothing fetched."""

from __future__ import annotations

import html

from leadcli.assessment.report import Report
from leadcli.render.wording import (
    LEVEL_KEY,
    MARK,
    VERDICT_LABEL,
    follow_up_text,
    header_rows,
    heard_cue_text,
    heard_list,
    legend_lines,
    level_text,
    offer_text,
    overall_text,
    question_label,
    recommendation_why,
    recommended_name,
    rests_text,
    verdict_text,
)
from leadcli.untrusted import visible
from leadcli.vocabulary import Level

LEVEL_COLOUR: dict[Level, str] = {
    "strong": "#2e7d32",
    "partial": "#b26a00",
    "low": "#c62828",
    "unknown": "#9e9e9e",
}

CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin-bottom: .2rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
dl.meta dt { font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
.notes { white-space: pre-wrap; background: #fafafa; border-left: 3px solid #ccc; padding: .4rem .7rem; }
.level { font-weight: 600; }
.muted { color: #666; }
.about { font-size: .9rem; color: #444; border-bottom: 1px solid #ddd; padding-bottom: .3rem; }
@media print {
  body { margin: 0; max-width: none; }
  h2 { break-after: avoid; }
  section { break-inside: avoid; }
}
"""


def escape(text: str) -> str:
    """User text as HTML text: tags and entities literal, control characters shown (`\\x1b`)."""
    return html.escape(visible(text))


def _chart(report: Report) -> str:
    """A horizontal bar per domain, with the level written beside it (colour is never the only signal)."""
    import textwrap

    rows = report.assessment.domains
    height = 44 * len(rows) + 10
    parts = [
        f'<svg role="img" width="700" height="{height}" viewBox="0 0 700 {height}"'
        f" aria-label=\"Evidence per framework domain ({MARK} leadcli's reading;"
        " (theirs) the interviewer's)\">"
    ]
    for index, d in enumerate(rows):
        y = 10 + index * 44
        colour = LEVEL_COLOUR[d.level]
        lines = textwrap.wrap(f"{d.number}. {d.title}", 42)[:2]
        label = "".join(
            f'<tspan x="0" dy="{0 if n == 0 else 14}">{escape(line)}</tspan>' for n, line in enumerate(lines)
        )
        parts.append(f'<text x="0" y="{y + (14 if len(lines) == 1 else 8)}" font-size="12">{label}</text>')
        parts.append(f'<rect x="320" y="{y}" width="280" height="20" fill="#eee" stroke="#ccc"/>')
        if d.level != "unknown":
            width = round(280 * (d.strength or 0))
            parts.append(f'<rect x="320" y="{y}" width="{width}" height="20" fill="{colour}"/>')
        mark = MARK if d.level_by == "leadcli" else "(theirs)"
        parts.append(
            f'<text x="608" y="{y + 15}" font-size="12" fill="{colour}">{escape(d.level)} {mark}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def report_html(report: Report) -> str:
    head, a = report.interview, report.assessment
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Leadership assessment: {escape(head.organization)}</title>",
        f"<style>{CSS}</style></head><body>",
        f'<p class="about">{escape(report.about)}</p>',
        f"<h1>Leadership assessment: {escape(head.organization)}</h1>",
        '<dl class="meta">',
    ]
    for label, value in header_rows(head):
        out.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
    out += ["</dl>", "<section><h2>Leadership commitment by framework domain</h2>", _chart(report)]
    out.append(f'<p class="muted">{escape(LEVEL_KEY)}</p>')
    out.append(
        "<table><tr><th>#</th><th>Domain</th><th>Level</th><th>Strengths heard</th><th>Concerns heard</th>"
        f"<th>Rests on {MARK}</th></tr>"
    )
    for d in a.domains:
        out.append(
            f"<tr><td>{d.number}</td><td>{escape(d.title)}</td>"
            f'<td class="level" style="color:{LEVEL_COLOUR[d.level]}">{escape(level_text(d))}</td>'
            f"<td>{escape(heard_list(d.strengths))}</td><td>{escape(heard_list(d.concerns))}</td>"
            f"<td>{escape(rests_text(d, a.thin_below))}</td></tr>"
        )
    out += [
        "</table>",
        f"<p><strong>Overall:</strong> {escape(overall_text(a.overall, a.overall_source))}</p></section>",
        "<section><h2>What was heard</h2>",
    ]
    for q in report.questions:
        state = question_label(explored=q.state == "explored", rating=q.rating)
        out.append(f"<h3>{q.number}. {escape(q.category)} — {escape(state)}</h3>")
        if q.state == "explored":
            out.append(f'<div class="notes">{escape(q.notes) or "(no notes)"}</div>')
            if q.cues_heard:
                heard = "; ".join(heard_cue_text(c) for c in q.cues_heard)
                out.append(f'<p class="muted">Cues heard: {escape(heard)}</p>')
    out.append("</section>")
    if report.reflection is not None:
        out.append("<section><h2>Reflection</h2>")
        for item in report.reflection.answers:
            out.append(f"<h3>{escape(item.question)}</h3><p>{escape(item.answer) or '—'}</p>")
        out.append(
            f"<p><strong>{VERDICT_LABEL}:</strong> {escape(verdict_text(report.reflection.verdict))}</p>"
        )
        if report.reflection.follow_ups:
            out.append("<ul>")
            for f in report.reflection.follow_ups:
                out.append(f"<li>{follow_up_text(f, escape)}</li>")
            out.append("</ul>")
        out.append("</section>")
    out.append("<section><h2>Recommended offerings</h2>")
    if report.recommendations:
        out.append("<ol>")
        for r in report.recommendations:
            name = escape(recommended_name(r.name, inferred=r.name_inferred))
            says = f"<br><em>The report:</em> {escape(r.report_says)}" if r.report_says else ""
            offer = f'<br><span class="muted">{escape(offer_text(r))}</span>'
            out.append(f"<li><strong>{name}</strong> — {escape(recommendation_why(r))}{offer}{says}</li>")
        out.append("</ol>")
    else:
        out.append("<p>None fit the gaps, the people and the region.</p>")
    out.append("</section>")
    if report.passed_over:
        out.append("<section><h2>Not recommended</h2><ul>")
        out += [
            f"<li><strong>{escape(p.name)}</strong> — {escape('; '.join(p.reasons))}</li>"
            for p in report.passed_over
        ]
        out.append("</ul></section>")
    out.append('<footer class="muted">')
    out += [f"<p>{escape(line)}</p>" for line in legend_lines(report.leadcli_notes)]
    out.append("</footer>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
