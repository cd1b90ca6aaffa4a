"""The framework, the questions and the offerings as Markdown."""

from __future__ import annotations

from collections.abc import Sequence

from leadcli.content.models import Framework, Offering, QuestionSet
from leadcli.render.markdown import block, inline, table
from leadcli.render.wording import (
    KIND_MARKS,
    KINDS_KEY,
    LEGEND,
    MARK,
    STAKEHOLDER_VIEWS,
    audience_text,
    cue_note_line,
    cue_text,
    legend_lines,
    list_price,
    name_text,
    ours,
    price_text,
    prices_line,
    regions_text,
    status_words,
)


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
        if detail and domain.stakeholder_views:
            out += ["", f"*{inline(STAKEHOLDER_VIEWS)}:*", ""]
            out += [
                f"- “{inline(v.quote, starts_block=False)}” ({inline(v.place)})"
                for v in domain.stakeholder_views
            ]
        out.append("")
    out.append(f"*{inline(LEGEND)}*")
    return "\n".join(out).rstrip() + "\n"


def questions_markdown(questions: QuestionSet, domain_titles: dict[str, str]) -> str:
    out = [
        "# Conversation questions",
        "",
        f"*Version {inline(questions.version)} ({inline(questions.status)} {MARK}).*"
        + f" {inline(status_words(questions), starts_block=False)}"
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
            out.append(
                f"{index}. {inline(KIND_MARKS[cue.kind])} {inline(cue_text(cue), starts_block=False)}"
                f" — {cue.kind} — *{inline(domains)}*"
            )
        out.append("")
    out += ["## After the call", "", block(questions.reflection.introduction), ""]
    out += [f"- {inline(r.text)}" for r in questions.reflection.questions]
    out += ["", f"*{inline(cue_note_line(questions.cue_note))}*"]
    out += ["", f"*{inline(KINDS_KEY)}*"]
    return "\n".join(out) + "\n"


def offerings_markdown(
    offerings: list[Offering],
    *,
    notes: Sequence[str] = (),
    prices_as_of: str | None = None,
    caption: str | None = None,
) -> str:
    """The offerings as a table; under it `caption`, the legend, the prices' reading and `notes`."""
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
    under = [caption] if caption else []
    legend = "".join(
        f"\n*{inline(line)}*\n" for line in [*under, *legend_lines([prices_line(prices_as_of), *notes])]
    )
    return table(header, rows) + legend


def offering_markdown(
    offering: Offering,
    domain_titles: dict[str, str],
    notes: Sequence[str] = (),
    *,
    prices_as_of: str | None = None,
) -> str:
    """One offering in full; under it the legend and the catalog's notes on what is leadcli's."""
    dated = f" ({list_price(prices_as_of)})" if prices_as_of else ""
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
            f"- **Price:** {inline(price_text(offering.price) + dated)}",
            f"- **Strengthens:** {inline(ours(strengthens))}",
            "",
            *[f"*{inline(line)}*\n" for line in legend_lines(notes)],
        ]
    )
