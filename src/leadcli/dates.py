"""The one date rule, for every way a date comes in: `YYYY-MM-DD`, a real day, nothing else; and
the one rule for a moment (`updated_at` in an export): that date, `T`, a time and its time zone.

The live reflection, answers files, outcomes (`--date` and imports) and `evaluate --since` all read
dates here. `date.fromisoformat` alone is not the rule: from Python 3.11 it also takes `20270105`,
`2027-W01-1` and other ISO forms that leadcli's other readers refuse.
"""

from __future__ import annotations

import re
from datetime import date, datetime

DATE_FORMAT = "YYYY-MM-DD"
DATE_EXAMPLE = "2027-01-15"
DATE_HINT = f"write it as {DATE_FORMAT}, e.g. {DATE_EXAMPLE}"
EARLIEST_OUTCOME = date(2000, 1, 1)
"""Outcome dates before this are refused (`outcome --date`, imports): a mistyped year (`0026`,
`1926`), not a decision leadcli could have an interview before."""
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# As leadcli writes them (`isoformat()`): seconds, milli- or microseconds if any, an offset or Z;
# the same on every Python leadcli runs on (3.11 `fromisoformat` alone takes many more forms).
_ISO_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{3}(?:[0-9]{3})?)?(?:[+-][0-9]{2}:[0-9]{2}|Z)"
)


# A date mistyped rather than words: digits and separators, or an ISO week date (`2027-W01-1`).
_DATE_LIKE = re.compile(r"[\d\s./-]+|\d{4}-?W\d{2}(?:-?\d)?", re.IGNORECASE)


def looks_like_date(text: str) -> bool:
    """True when `text` is a date written another way (`20270105`, `15/01/2027`, `2027-W01-1`):
    asked again rather than kept as words."""
    return _DATE_LIKE.fullmatch(text.strip()) is not None


def parse_date(text: str) -> date | None:
    """The day `text` names as `YYYY-MM-DD` (spaces around it allowed), or None if it names none."""
    value = text.strip()
    if not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:  # 2027-02-30
        return None


def date_text(value: object) -> str | None:
    """A date read from a file as `YYYY-MM-DD` text: a `date`, or
    text in the one form; None for anything else (`20270105`, `15/01/2027`, `2027-02-30`, a date
    with a time)."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        parsed = parse_date(value)
        return parsed.isoformat() if parsed else None
    return None


def parse_moment(text: str) -> datetime | None:
    """The moment `text` names as `2026-11-02T10:00:00+00:00` (a time zone is required), or None."""
    if not _ISO_MOMENT.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:  # 2026-02-30T..., 25:00:00
        return None
