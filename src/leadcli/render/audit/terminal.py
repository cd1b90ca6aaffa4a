"""The audit trail as a table: when, who, what, on which record (never what was typed)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import RenderableType

from leadcli.render.tables import Column, FittedTable
from leadcli.store.merge import when_set
from leadcli.store.records import AuditEntry, LostValue

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


def lost_values_table(values: list[LostValue]) -> RenderableType:
    """The values that lost a merge: what each was, when it was set, and when the one kept was."""
    columns = [Column("What"), Column("Value that lost"), Column("It was set"), Column("Kept instead, set")]
    table = FittedTable(columns, title="Values that lost a merge (kept in the interview's history)")
    for v in values:
        lost = _loaded(v.value)
        shown = f'"{lost}"' if isinstance(lost, str) else json.dumps(lost, ensure_ascii=False)
        table.add_row(v.field, shown, when_set(v.stamp), when_set(v.winner_stamp))  # cells: one line, visible
    return table


def lost_value_data(value: LostValue) -> dict[str, Any]:
    """One value that lost a merge, for JSON output: the value itself, its stamp's time and the winner's."""
    return {
        "field": value.field,
        "value": _loaded(value.value),
        "set": when_set(value.stamp),
        "winner_set": when_set(value.winner_stamp),
        "stamp": value.stamp,
        "winner_stamp": value.winner_stamp,
        "kept_at": value.at,
    }


def _loaded(text: str) -> Any:
    """A kept value from its JSON text (text that is not JSON, as it is)."""
    try:
        return json.loads(text)
    except ValueError:
        return text
