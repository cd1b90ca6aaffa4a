"""The report as one self-contained, printable HTML file: inline CSS, nothing fetched, fits a phone."""

from __future__ import annotations

import html
import re

from leadcli.assessment.report import Report
from leadcli.render.wording import (
    KINDS_KEY,
    LEVEL_KEY,
    MARK,
    THEIRS_LABEL,
    VERDICT_LABEL,
    follow_up_text,
    header_rows,
    heard_cue_text,
    heard_list,
    legend_lines,
    level_text,
    offer_text,
    overall_text,
    passed_text,
    question_label,
    recommendation_why,
    recommendations_note,
    recommended_name,
    rests_text,
    verdict_text,
)
from leadcli.untrusted import visible
from leadcli.vocabulary import Level

# Each colour has at least 4.5:1 contrast on the page's white and the table header's grey (WCAG AA).
LEVEL_COLOUR: dict[Level, str] = {
    "strong": "#2e7d32",
    "partial": "#995c00",
    "low": "#c62828",
    "unknown": "#6b6b6b",
}

CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin-bottom: .2rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
.notes, .answer { white-space: pre-wrap; }
.notes { background: #fafafa; border-left: 3px solid #ccc; padding: .4rem .7rem; }
.level { font-weight: 600; }
.muted { color: #595959; }
.about { font-size: .9rem; color: #444; border-bottom: 1px solid #ddd; padding-bottom: .3rem; }
.chart { margin: .5rem 0 1rem; }
.bar-row { display: grid; grid-template-columns: minmax(0, 2fr) minmax(6rem, 2fr) minmax(5rem, 1fr);
           gap: .2rem .8rem; align-items: center; margin: .35rem 0; }
.bar { display: block; height: 1.1rem; background: #eee; border: 1px solid #ccc; }
.fill { display: block; height: 100%; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.bar-level { font-weight: 600; }
@media (max-width: 36rem) {
  body { margin: 1rem auto; }
  .bar-row { grid-template-columns: minmax(0, 1fr) max-content; }
  .bar-row .bar-title { grid-column: 1 / -1; }
  table.domains, table.domains tbody, table.domains tr, table.domains td { display: block; }
  table.domains tr:first-child { display: none; }
  table.domains tr { border: 1px solid #ddd; margin: .5rem 0; }
  table.domains td { border: none; padding: .1rem .5rem; }
  table.domains td::before { content: attr(data-label) ": "; font-weight: 600; }
}
@media print {
  body { margin: 0; max-width: none; }
  h2, h3 { break-after: avoid; }
  tr, .bar-row, .notes, li { break-inside: avoid; }
}
"""


def escape(text: str) -> str:
    """User text as HTML text: tags and entities literal, control characters shown (`\\x1b`)."""
    return html.escape(visible(text))


def prose(text: str) -> str:
    """One of leadcli's own sentences (a legend, a key): escaped, its `command` spans as code."""
    return _CODE_SPAN.sub(r"<code>\1</code>", escape(text))


_CODE_SPAN = re.compile(r"`([^`<>]+)`")


def _chart(report: Report) -> str:
    """A bar per domain, its whole title beside it and its level written out with whose reading it is
    (colour is never the only signal); plain HTML and CSS, so it fits a phone as well as a page."""
    parts = [
        '<div class="chart" role="img" aria-label="Evidence per framework domain'
        f" ({MARK} leadcli's reading; {THEIRS_LABEL} the interviewer's own)\">"
    ]
    for d in report.assessment.domains:
        # The bar is leadcli's reading (as in every format); the level beside it says whose it is,
        # and leadcli's beside the interviewer's where they differ.
        colour = LEVEL_COLOUR[d.level]
        width = 0 if d.strength is None else round(100 * max(0.0, min(1.0, d.strength)))
        parts.append(
            '<div class="bar-row">'
            f'<span class="bar-title">{d.number}. {escape(d.title)}</span>'
            f'<span class="bar" aria-hidden="true"><span class="fill" style="width:{width}%;'
            f'background:{LEVEL_COLOUR[d.reading]}"></span></span>'
            f'<span class="bar-level" style="color:{colour}">{escape(level_text(d))}</span>'
            "</div>"
        )
    parts.append("</div>")
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
    out.append(f'<p class="muted">{prose(LEVEL_KEY)}</p>')
    out.append(f'<p class="muted">{prose(KINDS_KEY)}</p>')
    out.append(
        '<table class="domains"><tr><th>#</th><th>Domain</th><th>Level</th><th>Strengths heard</th>'
        f"<th>Concerns heard</th><th>Rests on {MARK}</th></tr>"
    )
    for d in a.domains:
        out.append(
            f'<tr><td data-label="#">{d.number}</td><td data-label="Domain">{escape(d.title)}</td>'
            f'<td data-label="Level" class="level" style="color:{LEVEL_COLOUR[d.level]}">'
            f"{escape(level_text(d))}</td>"
            f'<td data-label="Strengths heard">{escape(heard_list(d.strengths))}</td>'
            f'<td data-label="Concerns heard">{escape(heard_list(d.concerns))}</td>'
            f'<td data-label="Rests on {MARK}">{escape(rests_text(d, a.thin_below))}</td></tr>'
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
            out.append(f'<h3>{escape(item.question)}</h3><p class="answer">{escape(item.answer) or "—"}</p>')
        out.append(
            f"<p><strong>{VERDICT_LABEL}:</strong> {escape(verdict_text(report.reflection.verdict))}</p>"
        )
        if report.reflection.follow_ups:
            out.append("<ul>")
            for f in report.reflection.follow_ups:
                out.append(f'<li class="answer">{follow_up_text(f, escape)}</li>')
            out.append("</ul>")
        out.append("</section>")
    out.append("<section><h2>Recommended offerings</h2>")
    said = recommendations_note(report.recommendations_note, len(report.recommendations))
    if said:
        out.append(f"<p>{prose(said)}</p>")
    if report.recommendations:
        out.append("<ol>")
        for r in report.recommendations:
            name = escape(recommended_name(r.name, inferred=r.name_inferred))
            says = f"<br><em>The report:</em> {escape(r.report_says)}" if r.report_says else ""
            offer = f'<br><span class="muted">{escape(offer_text(r))}</span>'
            out.append(f"<li><strong>{name}</strong> — {escape(recommendation_why(r))}{offer}{says}</li>")
        out.append("</ol>")
    out.append("</section>")
    if report.passed_over:
        out.append("<section><h2>Not recommended</h2><ul>")
        out += [
            f"<li><strong>{escape(p.name)}</strong> — {escape(passed_text(p))}</li>"
            for p in report.passed_over
        ]
        out.append("</ul></section>")
    out.append('<footer class="muted">')
    out += [f"<p>{prose(line)}</p>" for line in legend_lines(report.leadcli_notes)]
    out.append("</footer>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
