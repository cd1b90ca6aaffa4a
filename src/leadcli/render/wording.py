"""The wording every output format shares: the † mark and legend, verdict, question state, follow-up."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from leadcli.content.models import AUDIENCE_LABELS, Offering, Price
from leadcli.store.records import question_label

if TYPE_CHECKING:
    from leadcli.assessment.report import ReportHeader
    from leadcli.store.records import Contact, FollowUp, Outcome

__all__ = [
    "question_label"
]  # a question's state label (rating, `unrated`, `not explored`), defined with the records

CURRENCY_SIGNS = {"USD": "$"}

# What leadcli adds to the report (summaries, cues, mappings, rules, inferred names) carries this mark.
MARK = "†"
LEGEND = f"{MARK} leadcli's own reading, not the report's words."


def ours(text: str) -> str:
    """`text` marked as leadcli's reading rather than the report's words."""
    return f"{text} {MARK}"


def overall_text(overall: str, source: str) -> str:
    """`strong (reflection verdict)`; marked when it is the assessment's own reading."""
    text = f"{overall} ({source})"
    return text if source == "reflection verdict" else ours(text)


VERDICT_LABEL = "Verdict on leadership commitment"


def verdict_text(verdict: str | None) -> str:
    """The reflection's verdict, or `not given`."""
    return verdict or "not given"


def follow_up_text(item: FollowUp, escape: Callable[[str], str] = str) -> str:
    """`Call the CNO — Ana Ruiz, due 2026-12-01`; each part passed through the format's `escape`."""
    return f"{escape(item.text)} — {escape(item.owner or 'no owner')}, due {escape(item.due or 'no date')}"


def recommended_name(name: str, *, inferred: bool) -> str:
    return f"{name} (name inferred {MARK})" if inferred else name


def legend_lines(notes: Sequence[str]) -> list[str]:
    """The legend under a report: the mark, then the content's own words on what is leadcli's."""
    return [LEGEND, *notes]


def money(amount: int, currency: str) -> str:
    sign = CURRENCY_SIGNS.get(currency)
    return f"{sign}{amount:,}" if sign else f"{amount:,} {currency}"


def price_text(price: Price, *, with_unit: bool = True) -> str:
    """`$24,000–$40,000 per organization (plus added training)`."""
    amount = money(price.min, price.currency)
    if price.is_range:
        amount += f"–{money(price.max, price.currency)}"
    if with_unit:
        amount += f" per {price.per}"
    if price.note:
        amount += f" ({price.note})"
    return amount


def audience_text(offering: Offering) -> str:
    text = "; ".join(AUDIENCE_LABELS[level] for level in offering.audience)
    return f"{text} ({offering.audience_note})" if offering.audience_note else text


def regions_text(offering: Offering) -> str:
    text = "; ".join(offering.regions)
    return f"{text}, {offering.region_note}" if offering.region_note else text


def name_text(offering: Offering) -> str:
    return f"{offering.name} (name inferred {MARK})" if offering.name_inferred else offering.name


BAR_WIDTH = 10


def bar(strength: float | None) -> str:
    """`██████░░░░` for 0..1; a dotted bar when there is no evidence."""
    if strength is None:
        return "·" * BAR_WIDTH
    filled = round(max(0.0, min(1.0, strength)) * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def people_text(people: Sequence[Contact]) -> str:
    """`Ana Ruiz (CEO, executive); Tom Hale (core)`, or a dash for nobody."""
    return "; ".join(f"{p.name} ({', '.join(x for x in (p.role, p.level) if x)})" for p in people) or "—"


def header_rows(head: ReportHeader) -> list[tuple[str, str]]:
    """The facts every report opens with, as (label, value) pairs."""
    return [
        ("People", people_text(head.people)),
        ("Interviewer", head.interviewer),
        ("Region", head.region or "—"),
        ("Date", head.created_at[:10]),
        ("Status", head.status),
        ("Interview", head.id),
        ("Content", f"framework {head.framework_version}, questions {head.questions_version}"),
    ]


def status_text(status: str) -> str:
    """An interview's status for reading: `awaiting reflection` (a space, so a narrow column can wrap)."""
    return status.replace("-", " ")


def counted(count: int, noun: str) -> str:
    """`1 call`, `2 calls`: a count with its noun in the right number."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def outcome_text(outcome: Outcome) -> str:
    """`engaged on 2026-11-20 (offerings: whole-system-quality) — signed for spring`."""
    text = f"{outcome.result} on {outcome.date}"
    if outcome.offerings:
        text += f" (offerings: {', '.join(outcome.offerings)})"
    note = " ".join(outcome.note.split())
    return text + (f" — {note}" if note else "")
