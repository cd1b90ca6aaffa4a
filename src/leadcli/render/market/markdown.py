"""`offerings --coverage` and `summary --demand` as Markdown, and the phrasing the terminal views
share with it. Both are leadcli's reading (†): every format says so."""

from __future__ import annotations

from leadcli.assessment.demand import Demand, DemandCell
from leadcli.content.coverage import Coverage
from leadcli.content.models import AUDIENCE_LABELS
from leadcli.render.markdown import inline, table
from leadcli.render.wording import LEGEND, MARK, ours

NONE_SERVES = ours("none")
COVERAGE_TITLE = ours("Which offerings serve each domain, audience and kind of customer")
DEMAND_TITLE = ours("Where the conversations found a need, beside the offerings that serve it")


def offering_list(ids: list[str], names: dict[str, str]) -> str:
    return "; ".join(names.get(o, o) for o in ids) if ids else NONE_SERVES


def coverage_caption(found: Coverage) -> str:
    empty = len(found.empty_cells)
    return f"{empty} of {len(found.cells)} cells have no offering ({MARK} leadcli's reading)."


def coverage_markdown(found: Coverage) -> str:
    out = [f"# {inline(COVERAGE_TITLE)}", "", inline(coverage_caption(found)), ""]
    header = ["Domain", "Customer", *(AUDIENCE_LABELS[a] for a in found.audiences)]
    rows = [
        [
            title,
            customer,
            *(
                offering_list(found.cell(domain_id, a, customer).offerings, found.names)
                for a in found.audiences
            ),
        ]
        for domain_id, title in found.domains
        for customer in found.customers
    ]
    out.append(table(header, rows))
    out += [f"*{inline(found.note)}*", "", f"*{inline(LEGEND)}*"]
    return "\n".join(out).rstrip() + "\n"


def demand_heading(found: Demand) -> str:
    audiences = ", ".join(f"{n} with {AUDIENCE_LABELS[a].lower()}" for a, n in found.by_audience.items())
    return f"Demand from {found.conversations} conversation(s) ({audiences})"


def needing_text(cell: DemandCell) -> str:
    return f"{cell.needing} of {cell.conversations}"


def share_text(cell: DemandCell) -> str:
    return "—" if cell.share is None else f"{round(cell.share * 100)}%"


DEMAND_HEADER = ["Domain", "Audience", "Low or concerning", "Share", ours("Offerings serving it")]


def demand_cells(cell: DemandCell, names: dict[str, str]) -> list[str]:
    return [
        cell.title,
        AUDIENCE_LABELS[cell.audience],
        needing_text(cell),
        share_text(cell),
        offering_list(cell.offerings, names),
    ]


def demand_markdown(found: Demand) -> str:
    out = [f"# {inline(DEMAND_TITLE)}", "", inline(demand_heading(found)), "", inline(found.finding), ""]
    out.append(table(DEMAND_HEADER, [demand_cells(c, found.names) for c in found.cells]))
    if found.warnings:
        out += ["## Read with care", ""]
        out += [f"- {inline(w)}" for w in found.warnings]
        out.append("")
    out += [f"*{inline(found.note)}*", "", f"*{inline(LEGEND)}*"]
    return "\n".join(out).rstrip() + "\n"
