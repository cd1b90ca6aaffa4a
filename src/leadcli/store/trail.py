"""The audit trail the store keeps of every change, and the erasure of an organization.

On a server the trail is written by the database's triggers (who is `session_user`) and no team
role may change it; in the SQLite file the same triggers document what its one user did.
"""

from __future__ import annotations

import builtins

from leadcli.names import name_key
from leadcli.store.connection import Connection, StoreError, now
from leadcli.store.records import AuditEntry


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

    def erase_organization(self, organization: str) -> int:
        """A data-subject erasure: every interview (with its people, notes and reflection) and every
        outcome of the organization, and their trail, go. The trail keeps that an erasure happened,
        by whom and when. How many records went."""
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
