"""Finding offerings: filters, places, sorting and lookup by name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from leadcli.content.models import Catalog, Offering
from leadcli.errors import NotFoundError, UsageError
from leadcli.vocabulary import AUDIENCE_LEVELS, OFFERING_TYPES, PRICE_UNITS, SORT_KEYS

GLOBAL = "global"

# Places a user may type, folded to the names regions use in offerings.yaml.
_ALIASES = {
    "us": "united states",
    "usa": "united states",
    "u.s.": "united states",
    "u.s.a.": "united states",
    "america": "united states",
    "united states of america": "united states",
    "uk": "united kingdom",
    "u.k.": "united kingdom",
    "great britain": "united kingdom",
    "britain": "united kingdom",
    "worldwide": GLOBAL,
    "international": GLOBAL,
    "everywhere": GLOBAL,
}
# Each place and the larger regions it lies in.
_WITHIN = {
    "united kingdom": ("europe",),
    "england": ("united kingdom", "europe"),
    "scotland": ("united kingdom", "europe"),
    "wales": ("united kingdom", "europe"),
    "northern ireland": ("united kingdom", "europe"),
    "united states": ("north america",),
    "canada": ("north america",),
    "mexico": ("north america",),
    **dict.fromkeys(
        (
            "ireland",
            "france",
            "germany",
            "netherlands",
            "belgium",
            "luxembourg",
            "denmark",
            "norway",
            "sweden",
            "finland",
            "iceland",
            "spain",
            "portugal",
            "italy",
            "greece",
            "switzerland",
            "austria",
            "poland",
            "czechia",
            "slovakia",
            "hungary",
            "slovenia",
            "croatia",
            "romania",
            "bulgaria",
            "estonia",
            "latvia",
            "lithuania",
            "malta",
            "cyprus",
        ),
        ("europe",),
    ),
}


def normalize_place(place: str) -> str:
    """A place as the catalog names it: case-folded, aliases resolved."""
    folded = " ".join(place.replace(",", " ").split()).casefold()
    return _ALIASES.get(folded, folded)


def _enclosing(place: str) -> set[str]:
    return {place, *_WITHIN.get(place, ())}


def serves_region(offering: Offering, place: str) -> bool:
    """True when the offering is available in `place` (or somewhere inside it)."""
    wanted = normalize_place(place)
    for region in offering.regions:
        offered = normalize_place(region)
        if offered == GLOBAL:
            return True
        if wanted == GLOBAL:
            continue
        # The UK is in Europe: a European offering serves it, and asking for Europe finds it.
        if offered in _enclosing(wanted) or wanted in _enclosing(offered):
            return True
    return False


def is_known_place(place: str, catalog: Catalog) -> bool:
    wanted = normalize_place(place)
    known = {GLOBAL, *_WITHIN, *(p for parents in _WITHIN.values() for p in parents)}
    known.update(normalize_place(r) for o in catalog.offerings for r in o.regions)
    return wanted in known


@dataclass(frozen=True, kw_only=True)
class OfferingQuery:
    """What a user asks of the catalog; every field optional."""

    audience: str | None = None
    type: str | None = None
    region: str | None = None
    max_price: float | None = None
    per: str | None = None
    domain: str | None = None
    sort: str = "name"


def _check_choice(value: str | None, choices: tuple[str, ...], what: str) -> None:
    if value is not None and value not in choices:
        raise UsageError(f"unknown {what} {value!r}; choose from: {', '.join(choices)}")


def find_offerings(catalog: Catalog, query: OfferingQuery, domain_ids: list[str]) -> list[Offering]:
    """The offerings that pass every filter in `query`, in the order it asks for."""
    _check_choice(query.audience, AUDIENCE_LEVELS, "audience")
    _check_choice(query.type, OFFERING_TYPES, "offering type")
    _check_choice(query.per, PRICE_UNITS, "price unit")
    _check_choice(query.sort, SORT_KEYS, "sort key")
    _check_choice(query.domain, tuple(domain_ids), "domain")
    if query.max_price is not None and query.max_price < 0:
        raise UsageError(f"--max-price must not be negative (got {query.max_price:g})")

    def keep(o: Offering) -> bool:
        return (
            (query.audience is None or query.audience in o.audience)
            and (query.type is None or query.type in o.types)
            and (query.region is None or serves_region(o, query.region))
            and (query.max_price is None or o.price.min <= query.max_price)
            and (query.per is None or o.price.per == query.per)
            and (query.domain is None or query.domain in o.domains)
        )

    sort_keys = {
        "name": lambda o: o.name.casefold(),
        "price": lambda o: (o.price.min, o.price.max, o.name.casefold()),
        "duration": lambda o: (o.duration.min_days, o.name.casefold()),
    }
    return sorted(filter(keep, catalog.offerings), key=sort_keys[query.sort])


def offering_matches(offerings: Iterable[tuple[str, str]], name: str) -> list[str]:
    """The one rule for naming an offering: of `offerings` (id, name), the id of the one whose id or
    name is `name` (any case); else the ids of those whose id or name starts with it. One id is a
    match; more are ambiguous; none, no offering."""
    wanted = name.strip().casefold()
    if not wanted:
        return []
    pairs = list(offerings)
    exact = [i for i, n in pairs if wanted in (i, n.casefold())]
    return exact[:1] or [i for i, n in pairs if i.startswith(wanted) or n.casefold().startswith(wanted)]


def get_offering(catalog: Catalog, name: str) -> Offering:
    """The one offering whose id or name matches `name` or starts with it (case-insensitive)."""
    if not name.strip():
        raise UsageError("give an offering name or id")
    by_id = {o.id: o for o in catalog.offerings}
    matches = [by_id[i] for i in offering_matches(((o.id, o.name) for o in catalog.offerings), name)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = "; ".join(o.name for o in matches)
        raise UsageError(f"{name!r} matches {len(matches)} offerings: {names}; type more of the name")
    names = "; ".join(o.name for o in catalog.offerings)
    raise NotFoundError(f"no offering matches {name!r}; offerings are: {names}")


def inferred_name_note(offering: Offering) -> str:
    """Says that an offering's name is leadcli's inference, not the report's words."""
    return (
        f"The name “{offering.name}” is leadcli's inference (name_inferred): the report's row lost its"
        " name, and leadcli gave it the name its description matches."
    )


def leadcli_notes(
    catalog: Catalog, offerings: list[Offering] | tuple[Offering, ...], query: OfferingQuery | None = None
) -> list[str]:
    """The catalog's own words on what is leadcli's reading in these offerings, each on one line.

    All of them (the prices' currency and date, the offering-to-domain mapping, how regions are
    read, any name leadcli inferred) without `query`; with it, those a filtered list rests on: the
    names inferred, the mapping when filtered by domain, the reading of places when by region.
    """
    inferred = [inferred_name_note(o) for o in offerings if o.name_inferred]
    if query is None:
        notes = [catalog.price_note, catalog.domain_mapping, catalog.places_note, *inferred]
    else:
        notes = [
            *inferred,
            catalog.domain_mapping if query.domain else None,
            catalog.places_note if query.region else None,
        ]
    return [" ".join(n.split()) for n in notes if n]
