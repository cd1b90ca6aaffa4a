"""The audit trail as a table: when, who, what, on which record (never what was typed)."""

from __future__ import annotations

from rich.console import RenderableType

from leadcli.render.tables import Column, FittedTable
from leadcli.store.records import AuditEntry

AUDIT_FIELDS = ["at", "actor", "action", "record_id", "detail"]


def audit_table(entries: list[AuditEntry], *, with_record: bool = True) -> RenderableType:
    columns = [Column("When"), Column("Who"), Column("What")]
    if with_record:
        columns.append(Column("Record"))
    columns.append(Column("Detail"))
    table = FittedTable(columns, caption=f"{len(entries)} {'entry' if len(entries) == 1 else 'entries'}")
    for e in entries:
        cells = [e.at, e.actor, e.action, *([e.record_id or "—"] if with_record else []), e.detail or "—"]
        table.add_row(*cells)
    return table
