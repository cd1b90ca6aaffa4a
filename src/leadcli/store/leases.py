"""Leases: one process at a time writes an open interview."""

from __future__ import annotations

import os
from dataclasses import dataclass

from leadcli.store.connection import Connection, StoreError, now
from leadcli.store.tables import Table


class LeaseHeld(StoreError):
    """Someone else has the interview open."""


@dataclass(frozen=True)
class Lease:
    """Who has an interview open: a user on a host, in one process, since a time."""

    interview_id: str
    holder: str
    host: str
    pid: int
    since: str = ""

    def describe(self) -> str:
        return f"{self.holder} on {self.host} (process {self.pid}) since {self.since}"


LEASES = Table("interview_leases", Lease)


def _gone(lease: Lease, host: str) -> bool:
    """True if `lease` was held by a process on this host that has ended."""
    if lease.host != host:
        return False
    try:
        os.kill(lease.pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, but belongs to someone else
        return False
    return False


class Leases:
    """The leases on interviews, and the one this store holds (every write to it checks it)."""

    def __init__(self, db: Connection) -> None:
        self.db = db
        self.held: Lease | None = None

    def take(self, lease: Lease, *, take_over: bool = False) -> None:
        """Hold `lease` on its interview, or raise LeaseHeld naming who has it.

        A lease left by a process that no longer runs on this host is taken without asking;
        `take_over` takes any lease (after a crash on another machine).
        """
        with self.db.transaction() as db:
            db.check_may_change(lease.interview_id)
            # Two machines taking the same lease: one waits for the other (where the dialect locks rows).
            db.execute("SELECT 1 FROM interviews WHERE id = ?" + db.dialect.for_update, (lease.interview_id,))
            row = db.execute(LEASES.select() + " WHERE interview_id = ?", (lease.interview_id,)).fetchone()
            if row is not None and not take_over:
                held = LEASES.record_of(row)
                if (held.host, held.pid) != (lease.host, lease.pid) and not _gone(held, lease.host):
                    raise LeaseHeld(
                        f"interview {lease.interview_id} is open by {held.describe()}",
                        hint="if that session crashed, add --take-over to continue here",
                    )
            if db.dialect.shared:  # only the owner's function writes leases; it names the holder itself
                db.execute(
                    "SELECT take_lease(?, ?, ?, ?)",
                    (lease.interview_id, lease.host, lease.pid, lease.since or now()),
                )
            else:
                db.execute("DELETE FROM interview_leases WHERE interview_id = ?", (lease.interview_id,))
                db.execute(LEASES.insert(), LEASES.values(lease, since=lease.since or now()))
        self.held = lease

    def release(self) -> None:
        """Give up this store's lease, if it still holds it."""
        lease, self.held = self.held, None
        if lease is None:
            return
        with self.db.transaction() as db:
            if db.dialect.shared:
                db.execute("SELECT release_lease(?, ?, ?)", (lease.interview_id, lease.host, lease.pid))
                return
            db.execute(
                "DELETE FROM interview_leases WHERE interview_id = ? AND host = ? AND pid = ?",
                (lease.interview_id, lease.host, lease.pid),
            )

    def check(self, db: Connection, interview_id: str) -> None:
        """Inside a write to `interview_id`: raise LeaseHeld if this store's lease on it was taken over."""
        lease = self.held
        if lease is None or lease.interview_id != interview_id:
            return
        # Where the dialect locks rows, the interview's row (which `take` locks too) stays locked
        # until this write commits, so a take-over from another machine waits for it instead of
        # slipping in between. (Nobody but the owner may lock the lease rows themselves.)
        if db.dialect.for_update:
            db.execute("SELECT 1 FROM interviews WHERE id = ?" + db.dialect.for_update, (lease.interview_id,))
        row = db.execute(LEASES.select() + " WHERE interview_id = ?", (lease.interview_id,)).fetchone()
        held = LEASES.record_of(row) if row is not None else None
        if held is None or (held.host, held.pid) != (lease.host, lease.pid):
            who = held.describe() if held else "nobody (the lease was removed)"
            raise LeaseHeld(
                f"interview {lease.interview_id} was taken over by {who}; this change was not saved"
            )
