"""Rich renderables for the terminal. Every piece of content is a literal `Text` (`text()`), never markup."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from leadcli.content.models import Framework, Offering, QuestionSet
from leadcli.render.plain import one_line, text
from leadcli.render.tables import Column, FittedTable
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


def framework_tree(framework: Framework, *, detail: bool) -> RenderableType:
    title = Text.assemble(
        text(framework.name, "bold"), text(f" ({framework.status}, version {framework.version})")
    )
    tree = Tree(title)
    for domain in framework.domains:
        label = Text.assemble(
            (f"{domain.number}. ", "bold"), text(domain.title, "bold cyan"), text(f"  [{domain.id}]")
        )
        branch = tree.add(Group(label, text(ours(domain.summary), style="dim")) if detail else label)
        for index, component in enumerate(domain.components, start=1):
            heading = Text.assemble(
                f"{domain.number}.{index} ", text(component.title, "bold" if detail else "")
            )
            if detail:
                branch.add(Group(heading, Padding(text(component.guidance), (0, 0, 1, 0))))
            else:
                branch.add(heading)
        if detail and domain.stakeholder_views:
            views = branch.add(Text(STAKEHOLDER_VIEWS, style="italic"))
            for view in domain.stakeholder_views:
                views.add(Group(text(f"“{view.quote}”"), text(view.place, style="dim")))
    if detail:
        return Group(tree, Text(), text(LEGEND, style="dim"))
    return tree


def questions_view(questions: QuestionSet) -> RenderableType:
    parts: list[RenderableType] = [
        text(f"Questions version {questions.version} ({questions.status} {MARK})", "bold"),
        text(_status_line(questions), style="dim"),
        Text(),
        text(questions.introduction, style="dim"),
        Text(),
    ]
    for question in questions.questions:
        parts.append(
            Text.assemble(
                text(f"{question.number}. {question.category}", "bold cyan"), text(f"  [{question.id}]")
            )
        )
        for prompt in question.prompts:
            parts.append(Padding(text(prompt, style="bold"), (0, 0, 0, 3)))
        parts.append(
            Padding(Text.assemble(("Trying to learn: ", "italic"), text(question.guidance)), (0, 0, 0, 3))
        )
        for index, cue in enumerate(question.cues, start=1):
            line = Text.assemble(
                f"{index}. {KIND_MARKS[cue.kind]} ",
                text(cue_text(cue)),
                text(f"  [{cue.kind}] → {', '.join(cue.domains)}", "dim"),
            )
            parts.append(Padding(line, (0, 0, 0, 5)))
        parts.append(Text())
    parts.append(Text("After the call", style="bold cyan"))
    parts.append(Padding(text(questions.reflection.introduction, style="dim"), (0, 0, 0, 3)))
    for reflection in questions.reflection.questions:
        parts.append(
            Padding(
                Text.assemble("• ", text(reflection.text), text(f"  [{reflection.id}]", "dim")), (0, 0, 0, 3)
            )
        )
    parts += [
        Text(),
        text(cue_note_line(questions.cue_note), style="dim"),
        text(KINDS_KEY, style="dim"),
    ]
    return Group(*parts)


def _status_line(questions: QuestionSet) -> str:
    """The questions' status in the report's words, and where to see how they are doing."""
    return f"{status_words(questions)} See how they work in practice with `leadcli evaluate`.".lstrip()


def _lines(*parts: str) -> Text:
    """Content text on lines of its own: each part literal (one line), the breaks leadcli's."""
    return Text("\n").join(one_line(part) for part in parts)


def offerings_table(
    offerings: list[Offering],
    caption: str | None = None,
    *,
    notes: Sequence[str] = (),
    prices_as_of: str | None = None,
) -> RenderableType:
    """The offerings; under them the legend, the prices' reading and `notes` (what the list rests on)."""
    table = FittedTable(
        [Column("Offering"), Column("Audience"), Column("Region"), Column("Price", justify="right")],
        caption=caption,
        show_lines=True,
    )
    for offering in offerings:
        name = Text.assemble(
            one_line(name_text(offering), "bold"),
            "\n",
            one_line(" · ".join([*offering.types, offering.duration.text]), "dim"),
        )
        price = price_text(offering.price, with_unit=False).split(" (", 1)
        quote = [f"({price[1]}"] if len(price) > 1 else []
        table.add_row(
            name,
            _lines(*offering.audience),
            _lines(*regions_text(offering).split("; ")),
            _lines(price[0], *quote, f"per {offering.price.per}"),
        )
    legend = legend_lines([prices_line(prices_as_of), *notes])
    return Group(table, *[text(line, style="dim") for line in legend])


def offering_detail(
    offering: Offering,
    domain_titles: dict[str, str],
    notes: Sequence[str] = (),
    *,
    prices_as_of: str | None = None,
) -> RenderableType:
    """One offering in full; under it the legend and the catalog's notes on what is leadcli's."""
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
        ("Price", price_text(offering.price) + (f" ({list_price(prices_as_of)})" if prices_as_of else "")),
        ("Strengthens", ours("; ".join(domain_titles.get(d, d) for d in offering.domains))),
    ]
    for label, value in rows:
        table.add_row(Text(label), text(value))
    return Group(table, Text(), *[text(line, style="dim") for line in legend_lines(notes)])
