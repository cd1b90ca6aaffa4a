"""Markdown that pastes cleanly into an email, a wiki or a CRM note."""

from __future__ import annotations

import re
from collections.abc import Iterable

from leadcli.content.models import Framework, Offering, QuestionSet
from leadcli.render.text import LEGEND, MARK, audience_text, name_text, ours, price_text, regions_text
from leadcli.untrusted import visible

# Everywhere: what starts emphasis, code, links, HTML, tables, strikethrough or fences; entities.
_SPECIAL = re.compile(r"[\\`*_\[\]<>|~]")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# At a line start: headings, lists (`-`, `+`, `1.`, `1)`), setext underlines (`===`, `---`).
_BLOCK_START = re.compile(r"^(?:[#+=-]|(\d{1,9})([.)]))")


def _line(text: str, *, starts_block: bool = True) -> str:
    escaped = _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\g<0>", text.strip()))
    if not starts_block:
        return escaped
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[0]}", escaped)


def inline(text: str, *, starts_block: bool = True) -> str:
    """User text as literal Markdown on one line: nothing in it can start a block or inline markup.

    Line breaks become spaces (headings, list items and table cells are one line); indentation
    is dropped, so no line becomes a code block; control characters are shown (`\\x1b`).
    """
    return _line(" ".join(part.strip() for part in visible(text).split("\n")), starts_block=starts_block)


def block(text: str) -> str:
    """Multi-line user text as literal Markdown, each line break kept as a hard break (`\\`)."""
    lines = [_line(line) for line in visible(text).split("\n")]
    return "\n".join(
        line + "\\" if line and index + 1 < len(lines) and lines[index + 1] else line
        for index, line in enumerate(lines)
    )


def cell(text: str) -> str:
    """Text made safe for one Markdown table cell (never at a line start: `1.` stays as it is)."""
    return inline(text, starts_block=False)


def table(header: list[str], rows: Iterable[list[str]]) -> str:
    lines = [
        "| " + " | ".join(cell(name) for name in header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def framework_markdown(framework: Framework, *, detail: bool) -> str:
    out = [
        f"# {inline(framework.name)}",
        "",
        f"*{inline(framework.status)}, version {inline(framework.version)}*",
        "",
    ]
    for domain in framework.domains:
        out += [f"## {domain.number}. {inline(domain.title)}", "", block(ours(domain.summary)), ""]
        for index, component in enumerate(domain.components, start=1):
            out.append(f"{index}. **{inline(component.title)}**")
            if detail:
                out += [
                    "",
                    *[
                        f"   {inline(para)}" if para.strip() else ""
                        for para in component.guidance.split("\n")
                    ],
                    "",
                ]
        if detail and domain.signals:
            out += ["", "*Signs of commitment, in the report's words:*", ""]
            out += [f"- “{inline(s.quote, starts_block=False)}” ({inline(s.place)})" for s in domain.signals]
        out.append("")
    out.append(f"*{inline(LEGEND)}*")
    return "\n".join(out).rstrip() + "\n"


def questions_markdown(questions: QuestionSet, domain_titles: dict[str, str]) -> str:
    out = [
        "# Conversation questions",
        "",
        f"*Version {inline(questions.version)} ({inline(questions.status)}).*"
        + (
            f" The report: “{inline(questions.status_note, starts_block=False)}”"
            if questions.status_note
            else ""
        )
        + " See how they work in practice with `leadcli evaluate`.",
        "",
        block(questions.introduction),
        "",
    ]
    for question in questions.questions:
        out += [f"## {question.number}. {inline(question.category)}", ""]
        out += [f"> {inline(prompt)}" for prompt in question.prompts]
        out += ["", f"*Trying to learn:* {inline(question.guidance)}", ""]
        for index, cue in enumerate(question.cues, start=1):
            domains = ", ".join(domain_titles.get(d, d) for d in cue.domains)
            out.append(f"{index}. {inline(ours(cue.text))} — *{inline(domains)}*")
        out.append("")
    out += ["## After the call", "", block(questions.reflection.introduction), ""]
    out += [f"- {inline(r.text)}" for r in questions.reflection.questions]
    out += ["", f"*{inline(LEGEND)} Listening cues: {inline(questions.cue_note or '')}*"]
    return "\n".join(out) + "\n"


def _status_words(questions: QuestionSet) -> str:
    if not questions.status_note:
        return ""
    return f" The report: “{inline(questions.status_note, starts_block=False)}”"


def offerings_markdown(offerings: list[Offering]) -> str:
    header = ["Offering", "Type", "Audience", "Duration", "Region", "Price"]
    rows = [
        [
            name_text(o),
            o.type_label,
            ", ".join(o.audience),
            o.duration.text,
            regions_text(o),
            price_text(o.price),
        ]
        for o in offerings
    ]
    legend = f"\n*{inline(LEGEND)}*\n" if any(MARK in row[0] for row in rows) else ""
    return table(header, rows) + legend


def offering_markdown(offering: Offering, domain_titles: dict[str, str]) -> str:
    strengthens = "; ".join(domain_titles.get(d, d) for d in offering.domains)
    return "\n".join(
        [
            f"## {inline(name_text(offering))}",
            "",
            block(offering.description),
            "",
            f"- **Type:** {inline(offering.type_label)}",
            f"- **Audience:** {inline(audience_text(offering))}",
            f"- **Duration:** {inline(offering.duration.text)}",
            f"- **Structure:** {inline(offering.structure)}",
            f"- **Region:** {inline(regions_text(offering))}",
            f"- **Price:** {inline(price_text(offering.price))}",
            f"- **Strengthens:** {inline(ours(strengthens))}",
            "",
            f"*{inline(LEGEND)}*",
            "",
        ]
    )
