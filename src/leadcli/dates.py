"""The one date rule, for every way a date comes in: `YYYY-MM-DD`, a real day, nothing else.

The live reflection, answers files, outcomes (`--date` and imports) and `evaluate --since` all read
dates here. `date.fromisoformat` alone is not the rule: from Python 3.11 it also takes `20270105`,
`2027-W01-1` and other ISO forms that leadcli's other readers refuse.
"""

from __future__ import annotations

import re
from datetime import date

DATE_FORMAT = "YYYY-MM-DD"
DATE_EXAMPLE = "2027-01-15"
DATE_HINT = f"write it as {DATE_FORMAT}, e.g. {DATE_EXAMPLE}"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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
    """A date read from a file as `YYYY-MM-DD` text: a `date` (YAML reads `2027-01-15` as one) or
    text in the one form; None for anything else (`20270105`, `15/01/2027`, `2027-02-30`)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        parsed = parse_date(value)
        return parsed.isoformat() if parsed else None
    return None
