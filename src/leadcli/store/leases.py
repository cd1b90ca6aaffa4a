"""Leases: one process at a time writes an open interview.

A lease names the terminal that holds it by its machine's own identity (`store.identity.machine_id`,
a random id kept in the leadcli home) and its process id; the host name is kept only to tell people
where it is. Two laptops both called "MacBook-Pro", or two containers whose processes have the same
ids, are told apart, and a lease left by a process that has ended is recognised as stale only on the
machine that holds it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from leadcli.store.connection import Connection, StoreError, now
from leadcli.store.tables import Table


class LeaseHeld(StoreError):
    """Someone else has the interview open (`holder`, when a terminal holds it)."""

    def __init__(self, message: str, *, hint: str | None = None, holder: Lease | None = None) -> None:
        super().__init__(message, hint=hint)
        self.holder = holder


@dataclass(frozen=True)
class Lease:
    """Who has an interview open: a user on a machine (its id and host name), in one process, since a time."""

    interview_id: str
    holder: str
    host: str
    pid: int
    since: str = ""
    machine: str = ""  # the machine's id; '' on a lease taken before migration 015_lease_machine

    def describe(self) -> str:
        where = f"machine {self.machine}, process {self.pid}" if self.machine else f"process {self.pid}"
        return f"{self.holder} on {self.host} ({where}) since {self.since}"

    def same_terminal(self, other: Lease) -> bool:
        """True if `other` names the same process on the same machine (the host name may change)."""
        if self.machine or other.machine:
            return (self.machine, self.pid) == (other.machine, other.pid)
        return (self.host, self.pid) == (other.host, other.pid)  # two leases older than 015


LEASES = Table("interview_leases", Lease)

HOLDS = (
    "EXISTS (SELECT 1 FROM interview_leases WHERE interview_id = ? AND pid = ?"
    " AND CASE WHEN machine <> '' OR ? <> '' THEN machine = ? ELSE host = ? END)"
)
"""SQL: the lease on an interview is still the one `holds_params` names (`Lease.same_terminal`)."""


def holds_params(lease: Lease) -> tuple:
    """The values of HOLDS for `lease`."""
    return (lease.interview_id, lease.pid, lease.machine, lease.machine, lease.host)


def gone(lease: Lease, machine: str) -> bool:
    """True if `lease` was held by a process on this machine (`machine`, its id) that has ended.

    Only this machine can know: a lease of another machine, or one older than machine ids, is never
    taken for stale.
    """
    if not machine or lease.machine != machine:
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

    def _current(self, db: Connection, interview_id: str) -> Lease | None:
        row = db.execute(LEASES.select() + " WHERE interview_id = ?", (interview_id,)).fetchone()
        return LEASES.record_of(row) if row is not None else None

    def open_in(self, db: Connection, interview_id: str, machine: str) -> Lease | None:
        """Inside a write: the live lease on `interview_id` (locking the interview's row where the
        dialect locks rows, so nobody takes one meanwhile), or None if nobody holds it or its process
        on this machine (`machine`) has ended."""
        db.execute("SELECT 1 FROM interviews WHERE id = ?" + db.dialect.for_update, (interview_id,))
        held = self._current(db, interview_id)
        return held if held is not None and not gone(held, machine) else None

    def refuse_if_open(
        self, interview_id: str, machine: str, refused: str, *, db: Connection | None = None
    ) -> None:
        """Raise LeaseHeld naming who has `interview_id` open live, so that what was asked is refused
        (`refused` says so: "it was not deleted") rather than done under the typist. Inside a
        write, give its `db`."""
        if db is None:  # only read: the write that follows checks again, locked
            held = self._current(self.db, interview_id)
            held = held if held is not None and not gone(held, machine) else None
        else:
            held = self.open_in(db, interview_id, machine)
        if held is not None:
            raise LeaseHeld(
                f"interview {interview_id} is open by {held.describe()}; {refused}",
                hint="if that session crashed, add --take-over",
                holder=held,
            )

    def take(self, lease: Lease, *, take_over: bool = False) -> Lease | None:
        """Hold `lease` on its interview, or raise LeaseHeld naming who has it.

        A lease left by a process that no longer runs on this machine is taken without asking;
        `take_over` takes any lease (after a crash on another machine) and returns the live one it
        took, if any: that terminal may still be typing.
        """
        with self.db.transaction() as db:
            db.check_may_change(lease.interview_id)
            # Two machines taking the same lease: one waits for the other (where the dialect locks rows).
            held = self.open_in(db, lease.interview_id, lease.machine)
            if held is not None and not take_over and not held.same_terminal(lease):
                raise LeaseHeld(
                    f"interview {lease.interview_id} is open by {held.describe()}",
                    hint="if that session crashed, add --take-over to continue here",
                    holder=held,
                )
            since = lease.since or now()
            if db.dialect.shared:  # only the owner's function writes leases; it names the holder itself
                db.execute(
                    "SELECT take_lease(?, ?, ?, ?, ?)",
                    (lease.interview_id, lease.machine, lease.host, lease.pid, since),
                )
            else:
                db.execute("DELETE FROM interview_leases WHERE interview_id = ?", (lease.interview_id,))
                db.execute(LEASES.insert(), LEASES.values(lease, since=since))
        self.held = lease
        return held if held is not None and not held.same_terminal(lease) else None

    def taken(self) -> Lease | None:
        """The lease that replaced the one this store holds, if another terminal took it over (it
        is then no longer this store's)."""
        lease = self.held
        if lease is None:
            return None
        now_held = self._current(self.db, lease.interview_id)
        if now_held is None or now_held.same_terminal(lease):
            return None
        self.held = None
        return now_held

    def release(self) -> None:
        """Give up this store's lease, if it still holds it."""
        lease, self.held = self.held, None
        if lease is None:
            return
        with self.db.transaction() as db:
            if db.dialect.shared:
                db.execute("SELECT release_lease(?, ?, ?)", (lease.interview_id, lease.machine, lease.pid))
                return
            db.execute(
                "DELETE FROM interview_leases WHERE interview_id = ? AND machine = ? AND pid = ?"
                + ("" if lease.machine else " AND host = ?"),
                (lease.interview_id, lease.machine, lease.pid, *(() if lease.machine else (lease.host,))),
            )

    def release_ended(self, machine: str) -> list[str]:
        """Give up the leases that processes of this machine (`machine`, its id) left when they
        ended without releasing them (the network was down when the interview ended): only this
        machine can tell they are stale, so it clears them for everyone. Returns their interviews."""
        if not machine:
            return []
        rows = self.db.execute(LEASES.select() + " WHERE machine = ?", (machine,)).fetchall()
        ended = [lease for lease in map(LEASES.record_of, rows) if gone(lease, machine)]
        with self.db.transaction() as db:
            for lease in ended:
                if db.dialect.shared:
                    db.execute(
                        "SELECT release_lease(?, ?, ?)", (lease.interview_id, lease.machine, lease.pid)
                    )
                else:
                    db.execute(
                        "DELETE FROM interview_leases WHERE interview_id = ? AND machine = ? AND pid = ?",
                        (lease.interview_id, lease.machine, lease.pid),
                    )
        return [lease.interview_id for lease in ended]

    def held_on(self, interview_id: str) -> Lease | None:
        """This store's lease, if it is on `interview_id` (then every write to it checks it)."""
        lease = self.held
        return lease if lease is not None and lease.interview_id == interview_id else None

    def taken_over(self, db: Connection, interview_id: str) -> LeaseHeld:
        """The error for a write to `interview_id` that this store's lease no longer covers,
        naming who holds the interview now (read from `db`)."""
        held = self._current(db, interview_id)
        who = held.describe() if held else "nobody (the lease was removed)"
        return LeaseHeld(
            f"interview {interview_id} was taken over by {who}; this change was not saved", holder=held
        )

    def check(self, db: Connection, interview_id: str) -> None:
        """Inside a write to `interview_id`: raise LeaseHeld if this store's lease on it was taken over."""
        lease = self.held_on(interview_id)
        if lease is None:
            return
        # Where the dialect locks rows, the interview's row (which `take` locks too) stays locked
        # until this write commits, so a take-over from another machine waits for it instead of
        # slipping in between. (Nobody but the owner may lock the lease rows themselves.)
        if db.dialect.for_update:
            db.execute("SELECT 1 FROM interviews WHERE id = ?" + db.dialect.for_update, (lease.interview_id,))
        held = self._current(db, interview_id)
        if held is None or not held.same_terminal(lease):
            raise self.taken_over(db, interview_id)
