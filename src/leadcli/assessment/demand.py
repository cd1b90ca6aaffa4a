"""Where the team's conversations found a need, beside the offerings that serve it. Pure functions.

For each framework domain and audience level: how many conversations with someone at that level
the assessment read the domain as low (or flagged a concern in it), and which offerings serve the
domain for that audience (`content.coverage`, leadcli's reading). Cells with demand and no
offering come first. This is market insight from the team's own conversations, not a survey.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from leadcli.content.coverage import Coverage
from leadcli.vocabulary import AUDIENCE_LEVELS

NEED_LEVELS = ("low",)
"""A domain at one of these levels is a need; so is one where the assessment flags a concern."""
DEMAND_NOTE = (
    "A domain's level is leadcli's assessment of what was heard (†), and a need is a domain read low"
    " or flagged with a concern."
)
FEW_CONVERSATIONS = 10
"""Fewer conversations than this with an audience: its figures are a first impression."""


@dataclass(kw_only=True)
class Conversation:
    """What demand needs of one interview (or of `times` interviews alike)."""

    levels: dict[str, str]
    """Domain id -> the assessment's level."""
    audiences: tuple[str, ...]
    """Audience levels of the people in the conversation."""
    concerns: frozenset[str] = frozenset()
    """Domain ids the assessment flags with a concern."""
    times: int = 1


@dataclass(kw_only=True)
class DemandCell:
    domain_id: str
    title: str
    audience: str
    conversations: int
    """Conversations with someone at this audience level."""
    known: int
    """Of those, how many gave the domain a known level."""
    needing: int
    """Of those, how many read the domain low or flagged a concern in it."""
    share: float | None
    """needing / conversations (None with no conversations)."""
    offerings: list[str] = field(default_factory=list)
    """Offering ids serving this domain for this audience (leadcli's reading †)."""

    @property
    def unserved(self) -> bool:
        return self.needing > 0 and not self.offerings


@dataclass(kw_only=True)
class Demand:
    conversations: int
    """Every conversation considered."""
    without_people: int
    """Conversations with nobody recorded, so with no audience to count them under."""
    by_audience: dict[str, int]
    """Conversations with someone at each audience level."""
    cells: list[DemandCell]
    """Demand without an offering first, then the rest with demand, most first, then no demand."""
    names: dict[str, str]
    """Offering id -> name."""
    finding: str
    warnings: list[str] = field(default_factory=list)
    note: str = ""


def demand(conversations: Iterable[Conversation], coverage: Coverage) -> Demand:
    """Count needs per domain and audience across `conversations`, beside `coverage`."""
    total = without = 0
    by_audience: Counter[str] = Counter()
    known: Counter[tuple[str, str]] = Counter()
    needing: Counter[tuple[str, str]] = Counter()
    for item in conversations:
        total += item.times
        people = [a for a in AUDIENCE_LEVELS if a in item.audiences]
        if not people:
            without += item.times
        for audience in people:
            by_audience[audience] += item.times
            for domain_id, level in item.levels.items():
                if level != "unknown":
                    known[domain_id, audience] += item.times
                if level in NEED_LEVELS or domain_id in item.concerns:
                    needing[domain_id, audience] += item.times
    cells = []
    for domain_id, title in coverage.domains:
        for audience in AUDIENCE_LEVELS:
            n = by_audience[audience]
            cells.append(
                DemandCell(
                    domain_id=domain_id,
                    title=title,
                    audience=audience,
                    conversations=n,
                    known=known[domain_id, audience],
                    needing=needing[domain_id, audience],
                    share=round(needing[domain_id, audience] / n, 4) if n else None,
                    offerings=coverage.serving(domain_id, audience),
                )
            )
    order = {(d, a): i for i, (d, a) in enumerate((c.domain_id, c.audience) for c in cells)}
    cells.sort(key=lambda c: (not c.unserved, c.needing == 0, -c.needing, order[c.domain_id, c.audience]))
    return Demand(
        conversations=total,
        without_people=without,
        by_audience={a: by_audience[a] for a in AUDIENCE_LEVELS},
        cells=cells,
        names=coverage.names,
        finding=_finding(total, cells),
        warnings=_warnings(total, without, by_audience),
        note=f"{DEMAND_NOTE} {coverage.note}",
    )


def _finding(total: int, cells: list[DemandCell]) -> str:
    if not total:
        return "No conversations yet: there is no demand to read."
    unserved = [c for c in cells if c.unserved]
    base = f"From {total} conversation{'s' if total != 1 else ''}: "
    if unserved:
        named = "; ".join(f"{c.title} for {c.audience} ({c.needing} of {c.conversations})" for c in unserved)
        return base + f"{len(unserved)} need(s) no offering serves — {named}."
    if any(c.needing for c in cells):
        return base + "every need found is served by at least one offering."
    return base + "no domain came out low or concerning."


def _warnings(total: int, without: int, by_audience: Counter[str]) -> list[str]:
    warnings = []
    if total < FEW_CONVERSATIONS:
        warnings.append(f"Only {total} conversation(s): a first impression, not market evidence.")
    thin = [a for a in AUDIENCE_LEVELS if 0 < by_audience[a] < FEW_CONVERSATIONS]
    if total >= FEW_CONVERSATIONS and thin:
        warnings.append(f"Fewer than {FEW_CONVERSATIONS} conversations with: {', '.join(thin)}.")
    if without:
        warnings.append(f"{without} conversation(s) recorded nobody's level and count under no audience.")
    return warnings
