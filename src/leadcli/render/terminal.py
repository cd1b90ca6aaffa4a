"""Rich renderables for the terminal. Every piece of content is a `Text`, never markup."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from leadcli.content.models import Framework, Offering, QuestionSet, Signal
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


def framework_tree(framework: Framework, *, detail: bool) -> RenderableType:
    title = Text.assemble((framework.name, "bold"), f" ({framework.status}, version {framework.version})")
    tree = Tree(title)
    for domain in framework.domains:
        label = Text.assemble((f"{domain.number}. ", "bold"), (domain.title, "bold cyan"), f"  [{domain.id}]")
        summary = Text(f"{domain.summary} {LEADCLI_MARK}", style="dim")
        branch = tree.add(Group(label, summary, *_signals(domain.signals)) if detail else label)
        for index, component in enumerate(domain.components, start=1):
            heading = Text.assemble(f"{domain.number}.{index} ", (component.title, "bold" if detail else ""))
            if detail:
                branch.add(Group(heading, Padding(Text(component.guidance), (0, 0, 1, 0))))
            else:
                branch.add(heading)
    if detail:
        return Group(tree, Text(LEGEND, style="dim"))
    return tree


def _signals(signals: tuple[Signal, ...]) -> list[Text]:
    if not signals:
        return []
    lines = [Text("What good looks like, in the report's words:", style="italic")]
    for sign in signals:
        lines.append(Text.assemble("  “", sign.quote, "”", (f"  ({sign.section})", "dim")))
    return lines


def questions_view(questions: QuestionSet) -> RenderableType:
    parts: list[RenderableType] = [
        Text(f"Question set version {questions.version} ({QUESTIONS_STATUS})", style="bold"),
        Text(QUESTIONS_TESTING, style="dim"),
        Text(questions.introduction, style="dim"),
        Text(),
    ]
    for question in questions.questions:
        parts.append(
            Text.assemble((f"{question.number}. {question.category}", "bold cyan"), f"  [{question.id}]")
        )
        for prompt in question.prompts:
            parts.append(Padding(Text(prompt, style="bold"), (0, 0, 0, 3)))
        parts.append(Padding(Text.assemble(("Trying to learn: ", "italic"), question.guidance), (0, 0, 0, 3)))
        for index, cue in enumerate(question.cues, start=1):
            line = Text.assemble(
                f"{index}. ", cue.text, (f" {LEADCLI_MARK}", "dim"), (f"  → {', '.join(cue.domains)}", "dim")
            )
            parts.append(Padding(line, (0, 0, 0, 5)))
        parts.append(Text())
    parts.append(Text("After the call", style="bold cyan"))
    parts.append(Padding(Text(questions.reflection.introduction, style="dim"), (0, 0, 0, 3)))
    for reflection in questions.reflection.questions:
        parts.append(
            Padding(Text.assemble("• ", reflection.text, (f"  [{reflection.id}]", "dim")), (0, 0, 0, 3))
        )
    parts += [Text(), Text(f"{LEGEND} Cues and their domains are †.", style="dim")]
    return Group(*parts)


def offerings_table(offerings: list[Offering], caption: str | None = None) -> RenderableType:
    table = Table(caption=caption, expand=False, show_lines=True)
    table.add_column("Offering", ratio=3, min_width=20)
    table.add_column("Audience", no_wrap=True)
    table.add_column("Region", ratio=1, min_width=10)
    table.add_column("Price (USD)", justify="right", min_width=17)
    for offering in offerings:
        name = Text.assemble(
            (name_text(offering), "bold"),
            ("\n" + " · ".join([*offering.types, offering.duration.text]), "dim"),
        )
        price = price_text(offering.price, with_unit=False).replace(" (", "\n(")
        table.add_row(
            name,
            Text("\n".join(offering.audience)),
            Text(regions_text(offering).replace("; ", "\n")),
            Text(f"{price}\nper {offering.price.per}"),
        )
    return Group(table, Text(OFFERINGS_LEGEND, style="dim"))


def offering_detail(offering: Offering, domain_titles: dict[str, str]) -> RenderableType:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    rows = [
        ("Name", name_text(offering)),
        ("Id", offering.id),
        ("Type", offering.type_label),
        ("Audience", audience_text(offering)),
        ("Description", offering.description),
        ("Duration", offering.duration.text),
        ("Structure", offering.structure),
        ("Region", regions_text(offering)),
        ("Price", price_text(offering.price)),
        (
            "Strengthens",
            "; ".join(domain_titles.get(d, d) for d in offering.domains) + " (editorial mapping)",
        ),
    ]
    for label, value in rows:
        table.add_row(Text(label), Text(value))
    return table
