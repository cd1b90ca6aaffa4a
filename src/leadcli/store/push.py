"""Pushing what waits in the local replica to the team store.

Each interview this machine has is merged into the team store's copy by the one merge
(`store.merge`): this machine's lines are added to the team's, single values resolve by their
clock stamps, and a value both changed is named as a conflict (once) and kept in the history.
`push_waiting` drains the replica that way, everything waiting in one transaction on each side,
and says what it pushed.

An interview an organization's erasure removed from the team store (its `uid` has a tombstone
there, `store.trail`) is refused: nothing of it is written, this machine keeps its lines (marked
in the replica, so the refusal is said once and not retried) until its user deletes them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from leadcli.store.db import Store
from leadcli.store.merge import merge, newest_stamp, normalized
from leadcli.store.records import Interview
from leadcli.store.replica import Replica
from leadcli.store.snapshots import snapshot_data
from leadcli.store.trail import Erasure


@dataclass(frozen=True)
class Pushed:
    """One interview's waiting writes that reached the team store."""

    interview_id: str
    organization: str
    lines: int
    created: bool  # the team store did not have it (new offline, or deleted there meanwhile)
    conflicts: tuple[str, ...] = ()  # what the merge named, in words (each said once)
    team_id: str = ""  # its id on the team store, where the team had another interview under this one's
    other: str = ""  # that other interview, in words
    erased: Erasure | None = None  # refused: the team store erased it (its lines stay here)
    restored: bool = False  # it had reached the team store and was deleted there: stored again

    @property
    def needs_attention(self) -> bool:
        """It is to be said even to a --quiet command: it is on the team store under another id,
        it was stored again after a delete there, or it was refused as erased."""
        return bool(self.team_id) or self.erased is not None or self.restored

    def describe(self) -> str:
        """What happened to it, for stderr: one line (each line of it is said on its own)."""
        if self.erased is not None:
            return erased_words(self.interview_id, self.organization, self.erased, self.lines)
        what = f"{self.lines} line{'s' if self.lines != 1 else ''}"
        if self.restored:
            return (
                f"pushed {what} of interview {self.interview_id} ({self.organization}) to the team store:"
                " it had been deleted there, so it is stored there again, whole (`leadcli delete"
                f" {self.interview_id}` deletes it again)"
            )
        how = "new interview" if self.created else "interview"
        pushed = f"pushed {what} of {how} {self.interview_id} ({self.organization}) to the team store"
        if self.team_id:
            return f"{pushed} as {self.team_id}: the team store has another interview {self.other}; both kept"
        return pushed


def erased_words(interview_id: str, organization: str, erasure: Erasure, lines: int) -> str:
    """The one line a refused push of an erased interview says (and `sync --status` repeats)."""
    what = f"{lines} waiting line{'s' if lines != 1 else ''}" if lines else "copy"
    return (
        f"interview {interview_id} ({organization}) was erased from the team store {erasure.when()};"
        f" its {what} stay{'s' if lines == 1 or not lines else ''} on this machine only —"
        f" `leadcli delete {interview_id}` removes {'it' if lines == 1 or not lines else 'them'}"
    )


def push_interviews(
    team: Store, records: list[Interview]
) -> tuple[set[str], dict[str, tuple[str, str]], dict[str, list[str]], dict[str, Erasure]]:
    """Merge this machine's copies `records` into the team store (`store.merge`), all in one
    transaction: lines only added, values by their stamps, nothing replaced. A copy the team store
    does not have and whose `uid` an erasure removed is not written (the last of the four results:
    this machine's id -> its tombstone).

    A copy is found on the team store by its identity (`uid`), whatever its short id there. Returns
    the ids the team store did not have (created); those it keeps under another id (this machine's
    id is another interview's there: both are kept, never mixed), with that id and the other
    interview in words; and the conflicts each merge named for the first time, in words.
    """
    with team.transaction() as db:
        records = [normalized(r) for r in records]
        homes = team.interviews.ids_by_uid([r.uid for r in records])  # where each copy is there
        erased = team.trail.erased(r.uid for r in records if r.uid not in homes)
        refused = {r.id: erased[r.uid] for r in records if r.uid in erased}
        records = [r for r in records if r.uid not in erased]  # an erasure is never undone by a push
        if not records:
            return set(), {}, {}, refused
        ids = [r.id for r in records]
        marks = ", ".join("?" * len(ids))
        there = {
            row[0]: f"{row[0]} ({row[2]}, created {row[1]})"
            for row in db.execute(
                f"SELECT id, created_at, organization FROM interviews WHERE id IN ({marks})", ids
            )
        }
        created, keys = [], {}  # records read from one store share their snapshot objects
        made: set[str] = set()  # this machine's ids of those the team store did not have
        moved: dict[str, tuple[str, str]] = {}
        conflicts: dict[str, list[str]] = {}
        for given in records:
            record = given
            db.clock.observe(newest_stamp(record))
            home = homes.get(record.uid)
            if home is not None:
                if home != record.id:
                    moved[record.id] = (home, there.get(record.id, record.id))
                stored = team.interviews._load(home)
                fresh = team.interviews.apply(stored, merge(stored, replace(record, id=home)))
                conflicts[record.id] = [c.describe(home) for c in fresh]
                continue
            made.add(record.id)
            if record.id in there:  # another interview has this id there: this one gets a new id
                new = team.interviews.free_id(db)
                moved[record.id] = (new, there[record.id])
                homes[record.uid] = new
                record = replace(record, id=new)
            shared = id(record.snapshot)
            if shared not in keys:
                keys[shared] = team.snapshots.add(
                    snapshot_data(record.snapshot.questions, record.snapshot.reflection)
                )
            created.append((record, keys[shared]))
        team.interviews.write(created)
    return made, moved, conflicts, refused


def push_waiting(replica: Replica, team: Store, *, only: str | None = None) -> list[Pushed]:
    """Push every interview waiting in `replica` (or only the one `only` names) to `team`, in one
    transaction on each side. Raises StoreError when the team store fails; nothing is marked
    pushed then, and the next push sends it all again (merging is idempotent). One the team store
    erased is marked so in the replica (never pushed again, still kept) and reported once."""
    waiting = [w for w in replica.waiting() if only is None or w.interview_id == only]
    taken = replica.take_waiting([w.interview_id for w in waiting])
    if not taken:
        return []
    before = replica.reached_team([r.id for r, _, _ in taken])
    created, moved, conflicts, refused = push_interviews(team, [record for record, _, _ in taken])
    replica.mark_erased([refused[r.id] for r, _, _ in taken if r.id in refused])
    replica.mark_pushed([(r.id, version, lines) for r, version, lines in taken if r.id not in refused])
    lines = {w.interview_id: w.lines for w in waiting}
    names = {w.interview_id: w.organization for w in waiting}
    return [
        Pushed(
            r.id,
            names[r.id],
            lines[r.id],
            r.id in created,
            tuple(conflicts.get(r.id, ())),
            *moved.get(r.id, ("", "")),
            erased=refused.get(r.id),
            restored=r.id in created and r.id in before and r.id not in moved,
        )
        for r, _, _ in taken
    ]
