"""The Python functions behind `leadcli outcome`: record what came of the conversations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from leadcli.content.models import Content
from leadcli.dates import DATE_FORMAT, EARLIEST_OUTCOME, parse_date
from leadcli.errors import DATA_FILES, ContentError, NotFoundError, UsageError
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


def outcomes_from_export(items: object, where: str, *, about: str = DATA_FILES) -> list[Outcome]:
    """The `outcomes` list of a JSON export, checked whole; every problem as one line.

    `about` names the file for the error's heading.
    """
    if items is None:
        return []  # exports made before outcomes were kept
    if not isinstance(items, list):
        raise ContentError([f"{where}: outcomes: must be a list"], about=about)
    outcomes, problems = [], []
    for index, item in enumerate(items):
        outcome, found = check_outcome(item, f"outcomes[{index}]")
        problems += [f"{where}: {problem}" for problem in found]
        if outcome is not None:
            outcomes.append(outcome)
    if problems:
        raise ContentError(problems, about=about)
    return outcomes


def check_outcome(item: object, where: str) -> tuple[Outcome | None, list[str]]:
    """One outcome of an export, checked: the outcome, or None and its problems (`WHERE.field: ...`)."""
    from pydantic import TypeAdapter, ValidationError

    from leadcli.content.yamlfile import format_loc

    try:
        outcome = TypeAdapter(Outcome).validate_python(item)
    except ValidationError as exc:
        return None, [
            f"{where}{'.' + format_loc(tuple(e['loc'])) if e['loc'] else ''}: {e['msg']}"
            for e in exc.errors()
        ]
    problems = []
    if not outcome.id.strip() or not outcome.organization.strip():
        problems.append(f"{where}: needs an id and an organization")
    day = parse_date(outcome.date)
    if day is None:
        problems.append(f"{where}.date: {outcome.date!r} is not a {DATE_FORMAT} date")
    elif day > date.today() + timedelta(days=1):
        # The latest outcome counts: one dated in the future would outrank every real one.
        problems.append(f"{where}.date: {outcome.date!r} is in the future")
    elif day < EARLIEST_OUTCOME:
        problems.append(f"{where}.date: {outcome.date!r} is before 2000: outcomes start in 2000")
    return (None if problems else outcome), problems
