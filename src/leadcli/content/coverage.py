"""Which offerings serve each framework domain, for each audience and kind of customer. Pure.

Everything here is leadcli's reading (†): the offering-to-domain mapping is editorial, and the
kind of customer an offering serves is read from how it is priced — per person for individuals,
per organization for organizations. The report names both kinds of customer (deliverable 6) but
does not sort its offerings by them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from leadcli.content.models import Catalog, Framework, Offering
from leadcli.vocabulary import AUDIENCE_LEVELS, CUSTOMER_KINDS, CustomerKind

CUSTOMER_OF_PRICE: dict[str, CustomerKind] = {"person": "individuals", "organization": "organizations"}
"""leadcli's reading: who an offering is for, from the unit of its price."""

COVERAGE_NOTE = (
    "Coverage is leadcli's reading (†): offerings are mapped to domains editorially, and an offering "
    "priced per person is read as serving individuals, one priced per organization as serving "
    "organizations."
)


def customer_of(offering: Offering) -> CustomerKind:
    """The kind of customer an offering serves, by leadcli's reading of its price unit."""
    return CUSTOMER_OF_PRICE[offering.price.per]


@dataclass(kw_only=True)
class CoverageCell:
    """One domain, for one audience and one kind of customer."""

    domain_id: str
    audience: str
    customer: str
    offerings: list[str] = field(default_factory=list)
    """Offering ids that serve it."""

    @property
    def empty(self) -> bool:
        return not self.offerings


@dataclass(kw_only=True)
class Coverage:
    """Domains against audiences and kinds of customer, with the offerings serving each cell."""

    domains: list[tuple[str, str]]
    """(domain id, title), in the framework's order."""
    audiences: list[str]
    customers: list[str]
    cells: list[CoverageCell]
    """Domain by domain, then audience, then customer."""
    names: dict[str, str]
    """Offering id -> name (name_inferred ones marked †)."""
    note: str = COVERAGE_NOTE

    def cell(self, domain_id: str, audience: str, customer: str) -> CoverageCell:
        return next(
            c for c in self.cells if (c.domain_id, c.audience, c.customer) == (domain_id, audience, customer)
        )

    def serving(self, domain_id: str, audience: str) -> list[str]:
        """Offering ids serving a domain for an audience, whatever the kind of customer (catalog order)."""
        found = {
            o for c in self.cells if (c.domain_id, c.audience) == (domain_id, audience) for o in c.offerings
        }
        return [o for o in self.names if o in found]

    @property
    def empty_cells(self) -> list[CoverageCell]:
        return [c for c in self.cells if c.empty]


def coverage(framework: Framework, catalog: Catalog) -> Coverage:
    """Every (domain, audience, customer) cell and the offerings that serve it."""
    cells = [
        CoverageCell(
            domain_id=domain.id,
            audience=audience,
            customer=customer,
            offerings=[
                o.id
                for o in catalog.offerings
                if domain.id in o.domains and audience in o.audience and customer_of(o) == customer
            ],
        )
        for domain in framework.domains
        for audience in AUDIENCE_LEVELS
        for customer in CUSTOMER_KINDS
    ]
    return Coverage(
        domains=[(d.id, d.title) for d in framework.domains],
        audiences=list(AUDIENCE_LEVELS),
        customers=list(CUSTOMER_KINDS),
        cells=cells,
        names={o.id: o.name + (" (name inferred †)" if o.name_inferred else "") for o in catalog.offerings},
    )
