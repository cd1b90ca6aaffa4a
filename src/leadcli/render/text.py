"""Plain-text phrasing shared by every output format."""

from __future__ import annotations

from leadcli.content.models import AUDIENCE_LABELS, Offering, Price

CURRENCY_SIGNS = {"USD": "$"}


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
    return f"{offering.name} (name inferred)" if offering.name_inferred else offering.name
