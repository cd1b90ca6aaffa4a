"""Markdown that pastes cleanly into an email, a wiki or a CRM note."""

from __future__ import annotations

from collections.abc import Iterable

from leadcli.content.models import Framework, Offering, QuestionSet
from leadcli.render.text import (
    LEADCLI_MARK,
    LEGEND,
    OFFERINGS_LEGEND,
    QUESTIONS_STATUS,
    QUESTIONS_TESTING,
    audience_text,
    name_text,
    price_text,
    regions_text,
)


def cell(text: str) -> str:
    """Text made safe for one Markdown table cell."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def table(header: list[str], rows: Iterable[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def framework_markdown(framework: Framework, *, detail: bool) -> str:
    out = [f"# {framework.name}", "", f"*{framework.status}, version {framework.version}*", ""]
    for domain in framework.domains:
        out += [f"## {domain.number}. {domain.title}", "", f"{domain.summary} {LEADCLI_MARK}", ""]
        if detail and domain.signals:
            out += ["What good looks like, in the report's words:", ""]
            out += [f"> “{sign.quote}” ({sign.section})\n>" for sign in domain.signals]
            out.append("")
        for index, component in enumerate(domain.components, start=1):
            out.append(f"{index}. **{component.title}**")
            if detail:
                out += [
                    "",
                    *[f"   {para}" if para else "" for para in component.guidance.split("\n")],
                    "",
                ]
        out.append("")
    out += [f"*{LEGEND}*", ""]
    return "\n".join(out).rstrip() + "\n"


def questions_markdown(questions: QuestionSet, domain_titles: dict[str, str]) -> str:
    out = ["# Conversation questions", "", f"*Version {questions.version} ({QUESTIONS_STATUS})*", ""]
    out += [QUESTIONS_TESTING, "", questions.introduction, ""]
    for question in questions.questions:
        out += [f"## {question.number}. {question.category}", ""]
        out += [f"> {prompt}" for prompt in question.prompts]
        out += ["", f"*Trying to learn:* {question.guidance}", ""]
        for index, cue in enumerate(question.cues, start=1):
            domains = ", ".join(domain_titles.get(d, d) for d in cue.domains)
            out.append(f"{index}. {cue.text} {LEADCLI_MARK} — *{domains}*")
        out.append("")
    out += ["## After the call", "", questions.reflection.introduction, ""]
    out += [f"- {r.text}" for r in questions.reflection.questions]
    out += ["", f"*{LEGEND} Cues and their domains are {LEADCLI_MARK}.*"]
    return "\n".join(out) + "\n"


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
    return table(header, rows) + f"\n*{OFFERINGS_LEGEND}*\n"


def offering_markdown(offering: Offering, domain_titles: dict[str, str]) -> str:
    strengthens = "; ".join(domain_titles.get(d, d) for d in offering.domains)
    return "\n".join(
        [
            f"## {name_text(offering)}",
            "",
            offering.description,
            "",
            f"- **Type:** {offering.type_label}",
            f"- **Audience:** {audience_text(offering)}",
            f"- **Duration:** {offering.duration.text}",
            f"- **Structure:** {offering.structure}",
            f"- **Region:** {regions_text(offering)}",
            f"- **Price:** {price_text(offering.price)}",
            f"- **Strengthens:** {strengthens} (editorial mapping)",
            "",
        ]
    )
