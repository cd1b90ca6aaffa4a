"""`offerings --coverage` and `summary --demand` as flat rows for CSV (leadcli's reading, named in
the column headers)."""

from __future__ import annotations

from leadcli.assessment.demand import Demand
from leadcli.content.coverage import Coverage

Rows = tuple[list[str], list[list[object]]]


def coverage_rows(found: Coverage) -> Rows:
    titles = dict(found.domains)
    header = ["domain_id", "domain", "audience", "customer_by_leadcli", "offering_ids", "offerings", "empty"]
    rows: list[list[object]] = [
        [
            c.domain_id,
            titles[c.domain_id],
            c.audience,
            c.customer,
            ";".join(c.offerings),
            "; ".join(found.names[o] for o in c.offerings),
            "yes" if c.empty else "no",
        ]
        for c in found.cells
    ]
    return header, rows


def demand_rows(found: Demand) -> Rows:
    header = [
        "domain_id",
        "domain",
        "audience",
        "conversations",
        "domain_known",
        "low_or_concerning",
        "share",
        "offering_ids_by_leadcli",
        "offerings_by_leadcli",
        "unserved",
    ]
    rows: list[list[object]] = [
        [
            c.domain_id,
            c.title,
            c.audience,
            c.conversations,
            c.known,
            c.needing,
            "" if c.share is None else c.share,
            ";".join(c.offerings),
            "; ".join(found.names[o] for o in c.offerings),
            "yes" if c.unserved else "no",
        ]
        for c in found.cells
    ]
    return header, rows
