"""The Python functions behind `leadcli outcome`: record what came of the conversations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from leadcli.content.models import Content
from leadcli.dates import DATE_FORMAT, EARLIEST_OUTCOME, parse_date
from leadcli.errors import NotFoundError, UsageError
from leadcli.services.reports import find_organization
from leadcli.store.db import Store
from leadcli.store.records import Outcome
from leadcli.vocabulary import OUTCOME_RESULTS


def option_date(text: str, option: str) -> date:
    """A `YYYY-MM-DD` date given on the command line, or a usage error naming the option."""
    parsed = parse_date(text)
    if parsed is None:
        raise UsageError(f"{option} {text!r} is not a date; write it as {DATE_FORMAT}")
    return parsed


def record_outcome(
    store: Store,
    content: Content,
    name: str,
    result: str,
    *,
    offerings: Iterable[str] = (),
    when: str | None = None,
    note: str = "",
    today: date | None = None,
) -> Outcome:
    """Record an outcome for the organization `name` matches (as `report --org` matches it)."""
    if result not in OUTCOME_RESULTS:
        raise UsageError(f"unknown result {result!r}; choose from: {', '.join(OUTCOME_RESULTS)}")
    today = today or date.today()
    decided = option_date(when, "--date") if when is not None else today
    if decided > today:
        raise UsageError(f"--date {decided.isoformat()} is in the future")
    if decided < EARLIEST_OUTCOME:
        raise UsageError(
            f"--date {decided.isoformat()} is before {EARLIEST_OUTCOME.year}: outcomes start in 2000"
        )
    known = [o.id for o in content.catalog.offerings]
    chosen: list[str] = []
    for given in offerings:
        wanted = given.strip().casefold()
        if wanted not in known:
            raise NotFoundError(f"unknown offering id {given!r}; offering ids are: {', '.join(known)}")
        if wanted not in chosen:
            chosen.append(wanted)
    organization = find_organization(store, name)
    return store.outcomes.record(
        organization=organization, result=result, date=decided.isoformat(), offerings=chosen, note=note
    )
