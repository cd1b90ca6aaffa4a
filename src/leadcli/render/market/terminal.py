"""`offerings --coverage` and `summary --demand` in the terminal (leadcli's reading, marked †)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from leadcli.assessment.demand import Demand
from leadcli.content.coverage import Coverage
from leadcli.content.models import AUDIENCE_LABELS
from leadcli.render.market.markdown import (
    COVERAGE_TITLE,
    DEMAND_HEADER,
    DEMAND_TITLE,
    NONE_SERVES,
    coverage_caption,
    demand_cells,
    demand_heading,
    offering_list,
)
from leadcli.render.plain import text
from leadcli.render.tables import Column, FittedTable
from leadcli.render.wording import LEGEND


def _offerings(ids: list[str], names: dict[str, str]) -> Text:
    if not ids:
        return text(NONE_SERVES, style="bold red")
    return text(offering_list(ids, names).replace("; ", "\n"))


def coverage_view(found: Coverage) -> RenderableType:
    table = FittedTable(
        [Column("Domain"), Column("Customer"), *(Column(AUDIENCE_LABELS[a]) for a in found.audiences)],
        title=COVERAGE_TITLE,
        caption=coverage_caption(found),
        show_lines=True,
    )
    for domain_id, title in found.domains:
        for customer in found.customers:
            cells = [
                _offerings(found.cell(domain_id, a, customer).offerings, found.names) for a in found.audiences
            ]
            table.add_row(title, customer, *cells)
    return Group(table, text(found.note, style="dim"), text(LEGEND, style="dim"))


def demand_view(found: Demand) -> RenderableType:
    parts: list[RenderableType] = [text(DEMAND_TITLE, style="bold"), text(demand_heading(found)), Text("")]
    parts += [Padding(text(found.finding), (0, 0, 0, 2), expand=False), Text("")]
    table = FittedTable(
        [Column(h, justify="right" if i in (2, 3) else "left") for i, h in enumerate(DEMAND_HEADER)]
    )
    for cell in found.cells:
        row = demand_cells(cell, found.names)
        style = "bold red" if cell.unserved else ""
        table.add_row(
            text(row[0], style=style),
            row[1],
            row[2],
            row[3],
            _offerings(cell.offerings, found.names),
        )
    parts.append(table)
    if found.warnings:
        parts += [Text(""), Text("Read with care", style="bold yellow")]
        parts += [Padding(text(w), (0, 0, 0, 3), expand=False) for w in found.warnings]
    parts += [Text(""), text(found.note, style="dim"), text(LEGEND, style="dim")]
    return Group(*parts)
