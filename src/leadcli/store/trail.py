"""The audit trail the store keeps of every change, and the erasure of an organization.

On a server the trail is written by the database's triggers (who is `session_user`) and no team
role may change it; in the SQLite file the same triggers document what its one user did.

An erasure leaves a tombstone per record it removed (`erasures`, migration 020_erasures): the
interview's identity (`uid`) or the outcome's id, its short id, a SHA-256 of the organization's
key, when and by whom. A push or an import of a tombstoned record is refused (`Trail.erased`).
"""

from __future__ import annotations

import builtins
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from leadcli.names import name_key
from leadcli.store.connection import Connection, StoreError, now
from leadcli.store.records import AuditEntry


@dataclass(frozen=True)
class Erasure:
    """One record an organization's erasure removed: what a push or an import may not bring back."""

    uid: str  # the interview's identity, or the outcome's id
    kind: str  # interview or outcome
    record_id: str
    org_key_sha256: str
    erased_at: str
    erased_by: str

    def when(self) -> str:
        """`by mia at 2026-12-03 14:02` (the time in UTC, to the minute)."""
        return f"by {self.erased_by or 'someone'} at {self.erased_at[:16].replace('T', ' ')}"


ERASURE_COLUMNS = "uid, kind, record_id, org_key_sha256, erased_at, erased_by"


def org_key_sha256(key: str) -> str:
    """What a tombstone keeps of an organization: the SHA-256 of its identity key, not its name."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class Trail:
    def __init__(self, db: Connection) -> None:
        self.db = db

    def history(self, interview_id: str) -> builtins.list[AuditEntry]:
        """The trail of one interview, oldest first (also after it was deleted)."""
        if self.db.dialect.shared:  # anyone in the team, through the owner's function
            rows = self.db.execute(
                "SELECT at, actor, action, ?, detail FROM interview_history(?)", (interview_id, interview_id)
            )
        else:
            rows = self.db.execute(
                "SELECT at, actor, action, record_id, detail FROM audit WHERE record_id = ? ORDER BY id",
                (interview_id,),
            )
        return [AuditEntry(*r) for r in rows]

    def list(self, *, since: str | None = None, user: str | None = None) -> builtins.list[AuditEntry]:
        """The team's trail (managers only on a team store), oldest first."""
        self.db.refuse_unless_manager("the team's audit trail")
        clauses, params = [], []
        if since:
            clauses.append("at >= ?")
            params.append(since)
        if user:
            clauses.append("actor = ?")
            params.append(user)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.db.execute(
            f"SELECT at, actor, action, record_id, detail FROM audit{where} ORDER BY id", params
        )
        return [AuditEntry(*r) for r in rows]

    def note_export(self, count: int) -> None:
        """Put an export (a read the database cannot see) on the trail, if the store can be written."""
        try:
            if self.db.dialect.shared:
                self.db.execute("SELECT note_export(?)", (count,))
            elif not self.db.read_only and self.db.dialect.has_table(self.db, "audit"):
                with self.db.transaction() as db:
                    db.execute(
                        "INSERT INTO audit (at, actor, action, record_id, detail)"
                        " VALUES (?, ?, 'exported', '', ?)",
                        (now(), self.db.user, f"{count} interview(s)"),
                    )
        except StoreError:
            return
        except self.db.errors:  # a read-only replica, a lost connection: the export itself is whole
            return

    def erased(self, uids: Iterable[str]) -> dict[str, Erasure]:
        """The tombstones of these identities (interview uids or outcome ids) the store keeps, by uid."""
        wanted = sorted({u for u in uids if u})
        found: dict[str, Erasure] = {}
        for start in range(0, len(wanted), 500):
            batch = wanted[start : start + 500]
            rows = self.db.execute(
                f"SELECT {ERASURE_COLUMNS} FROM erasures WHERE uid IN ({', '.join('?' * len(batch))})", batch
            )
            found.update((r[0], Erasure(*r)) for r in rows)
        return found

    def erase_organization(self, organization: str) -> int:
        """A data-subject erasure: every interview (with its people, notes and reflection) and every
        outcome of the organization, and their trail, go. The trail keeps that an erasure happened,
        by whom and when, and a tombstone of each record keeps it from coming back (a laptop's push,
        an old export's import). How many records went."""
        self.db.refuse_unless_manager("erasing an organization")
        if self.db.dialect.shared:
            with self.db.transaction("erased") as db:
                found = db.execute("SELECT erase_organization(?)", (name_key(organization),)).fetchone()
                return int(found[0])
        # In the file, freed pages are overwritten and the WAL emptied: no byte of it stays behind.
        self.db.execute("PRAGMA secure_delete = ON")
        try:
            gone = self._erase_in_file(organization)
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self.db.execute("PRAGMA secure_delete = OFF")
        return gone

    def _erase_in_file(self, organization: str) -> int:
        key = name_key(organization)  # one identity rule for an organization's name, as everywhere
        with self.db.transaction("erased") as db:
            ids = [r[0] for r in db.execute(
                "SELECT id FROM interviews WHERE org_key = ?"
                " UNION ALL SELECT id FROM outcomes WHERE org_key = ?",
                (key, key),
            )]  # fmt: skip
            hashed, moment = org_key_sha256(key), now()
            db.execute(
                f"INSERT INTO erasures ({ERASURE_COLUMNS})"
                " SELECT uid, 'interview', id, ?, ?, ? FROM interviews WHERE org_key = ? AND uid <> ''"
                " UNION ALL SELECT id, 'outcome', id, ?, ?, ? FROM outcomes WHERE org_key = ?"
                " ON CONFLICT (uid) DO NOTHING",
                (hashed, moment, self.db.user, key, hashed, moment, self.db.user, key),
            )
            interviews = db.execute("DELETE FROM interviews WHERE org_key = ?", (key,))
            outcomes = db.execute("DELETE FROM outcomes WHERE org_key = ?", (key,))
            counts = interviews.rowcount, outcomes.rowcount
            for start in range(0, len(ids), 500):  # one pass over the trail (no index by record)
                batch = ids[start : start + 500]
                db.execute(f"DELETE FROM audit WHERE record_id IN ({', '.join('?' * len(batch))})", batch)
            db.execute(
                "INSERT INTO audit (at, actor, action, record_id, detail) VALUES (?, ?, 'erased', '', ?)",
                (now(), self.db.user, f"an organization: {counts[0]} interview(s), {counts[1]} outcome(s)"),
            )
            return sum(counts)
