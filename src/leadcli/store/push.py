"""Pushing what waits in the local replica to the team store.

Each interview this machine has is merged into the team store's copy by the one merge
(`store.merge`): this machine's lines are added to the team's, single values resolve by their
clock stamps, and a value both changed is named as a conflict (once) and kept in the history.
`push_waiting` drains the replica that way, everything waiting in one transaction on each side,
and says what it pushed.
"""

from __future__ import annotations

from dataclasses import dataclass

from leadcli.store.db import Store
from leadcli.store.merge import merge, newest_stamp, normalized
from leadcli.store.records import Interview
from leadcli.store.replica import Replica
from leadcli.store.snapshots import snapshot_data


@dataclass(frozen=True)
class Pushed:
    """One interview's waiting writes that reached the team store."""

    interview_id: str
    organization: str
    lines: int
    created: bool  # the team store did not have it (new offline, or deleted there meanwhile)
    refused: str | None = None  # why it was not pushed (it waits on this machine)
    conflicts: tuple[str, ...] = ()  # what the merge named, in words (each said once)

    @property
    def needs_attention(self) -> bool:
        """It is to be said even to a --quiet command: it was refused (and waits here)."""
        return self.refused is not None

    def describe(self) -> str:
        """What happened to it, for stderr: one line (each line of it is said on its own)."""
        what = f"{self.lines} line{'s' if self.lines != 1 else ''}"
        if self.refused:
            where = f"interview {self.interview_id} ({self.organization})"
            return (
                f"{what} of {where} {'stays' if self.lines == 1 else 'stay'} on this machine: {self.refused}"
            )
        how = "new interview" if self.created else "interview"
        return f"pushed {what} of {how} {self.interview_id} ({self.organization}) to the team store"


def push_interviews(
    team: Store, records: list[Interview]
) -> tuple[set[str], dict[str, str], dict[str, list[str]]]:
    """Merge this machine's copies `records` into the team store (`store.merge`), all in one
    transaction: lines only added, values by their stamps, nothing replaced.

    Returns the ids the team store did not have (created, as they are here); those it has as
    another interview (another creation, `uid`, under the same id), with why: those are left out,
    to wait on this machine, never mixed into the other one; and the conflicts each merge named
    for the first time, in words.
    """
    with team.transaction() as db:
        ids = [r.id for r in records]
        marks = ", ".join("?" * len(ids))
        there = {
            row[0]: tuple(row[1:])
            for row in db.execute(
                f"SELECT id, uid, created_at, organization FROM interviews WHERE id IN ({marks})", ids
            )
        }
        records = [normalized(r) for r in records]
        clashes = {
            r.id: f"the team store has another interview {r.id} ({there[r.id][2]}, created {there[r.id][1]})"
            for r in records
            if r.id in there and there[r.id][0] != r.uid
        }
        created, keys = [], {}  # records read from one store share their snapshot objects
        conflicts: dict[str, list[str]] = {}
        for record in records:
            if record.id in clashes:
                continue
            db.clock.observe(newest_stamp(record))
            if record.id in there:
                stored = team.interviews._load(record.id)
                fresh = team.interviews.apply(stored, merge(stored, record))
                conflicts[record.id] = [c.describe(record.id) for c in fresh]
                continue
            shared = id(record.snapshot)
            if shared not in keys:
                keys[shared] = team.snapshots.add(
                    snapshot_data(record.snapshot.questions, record.snapshot.reflection)
                )
            created.append((record, keys[shared]))
        team.interviews.write(created)
    return set(ids) - set(there), clashes, conflicts


def push_waiting(replica: Replica, team: Store, *, only: str | None = None) -> list[Pushed]:
    """Push every interview waiting in `replica` (or only the one `only` names) to `team`, in one
    transaction on each side. Raises StoreError when the team store fails; nothing is marked
    pushed then, and the next push sends it all again (merging is idempotent)."""
    waiting = [w for w in replica.waiting() if only is None or w.interview_id == only]
    taken = replica.take_waiting([w.interview_id for w in waiting])
    if not taken:
        return []
    created, clashes, conflicts = push_interviews(team, [record for record, _, _ in taken])
    replica.mark_pushed([(r.id, version, lines) for r, version, lines in taken if r.id not in clashes])
    lines = {w.interview_id: w.lines for w in waiting}
    names = {w.interview_id: w.organization for w in waiting}
    return [
        Pushed(
            r.id, names[r.id], lines[r.id], r.id in created, clashes.get(r.id), tuple(conflicts.get(r.id, ()))
        )
        for r, _, _ in taken
    ]
