"""Outcomes: what came of the conversations with each organization (every one kept, as history)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from leadcli.names import name_key
from leadcli.store.connection import Connection
from leadcli.store.interviews import new_id
from leadcli.store.records import Outcome
from leadcli.store.tables import OUTCOMES

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
        insert = OUTCOMES.insert(on_conflict="ON CONFLICT (id) DO NOTHING")
        for o in outcomes:
            added += max(self.db.execute(insert, OUTCOMES.values(o)).rowcount, 0)
        return added

    def list(self, organization: str | None = None) -> list[Outcome]:
        """Outcomes, per organization oldest first (by date, then when recorded).

        With `organization`, only that organization's (`name_key`).
        """
        where, params = ("WHERE org_key = ?", (name_key(organization),)) if organization else ("", ())
        rows = self.db.execute(
            f"{OUTCOMES.select()} {where} ORDER BY org_key, decided_on, recorded_at, id", params
        )
        return [OUTCOMES.record_of(r) for r in rows]
