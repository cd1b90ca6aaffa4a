"""Outcomes: what came of the conversations with each organization (every one kept, as history)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone

from leadcli.names import name_key
from leadcli.store.connection import Connection
from leadcli.store.interviews import new_id
from leadcli.store.records import Outcome

_OUTCOME_ID_LENGTH = 12  # outcomes are never typed; long ids keep them apart across machines


class Outcomes:
    """The outcomes in the store."""

    def __init__(self, db: Connection) -> None:
        self.db = db

    def record(
        self, *, organization: str, result: str, date: str, offerings: list[str], note: str
    ) -> Outcome:
        """Add one outcome for an organization (earlier ones are kept as its history)."""
        outcome = Outcome(
            id=new_id(_OUTCOME_ID_LENGTH),
            organization=organization,
            result=result,  # type: ignore[arg-type]
            date=date,
            offerings=list(offerings),
            note=note,
            # to the microsecond: two outcomes for one date in the same second keep their order
            recorded_at=datetime.now(timezone.utc).isoformat(timespec="microseconds"),
        )
        with self.db.transaction():
            self.write([outcome])
        return outcome

    def write(self, outcomes: Iterable[Outcome]) -> int:
        """Add outcomes (ids and times kept); one whose id is there already is left be. How many were new.

        Call inside `transaction()`.
        """
        added = 0
        for o in outcomes:
            cursor = self.db.execute(
                "INSERT INTO outcomes"
                " (id, organization, org_key, result, decided_on, offerings, note, recorded_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                (
                    o.id, o.organization, name_key(o.organization), o.result, o.date,
                    json.dumps(o.offerings), o.note, o.recorded_at,
                ),
            )  # fmt: skip
            added += max(cursor.rowcount, 0)
        return added

    def list(self, organization: str | None = None) -> list[Outcome]:
        """Outcomes, per organization oldest first (by date, then when recorded).

        With `organization`, only that organization's (`name_key`).
        """
        where, params = ("WHERE org_key = ?", (name_key(organization),)) if organization else ("", ())
        rows = self.db.execute(
            "SELECT id, organization, result, decided_on, offerings, note, recorded_at FROM outcomes"
            f" {where} ORDER BY org_key, decided_on, recorded_at, id",
            params,
        )
        return [
            Outcome(
                id=r[0], organization=r[1], result=r[2], date=r[3], offerings=json.loads(r[4]),
                note=r[5], recorded_at=r[6],
            )
            for r in rows
        ]  # fmt: skip
