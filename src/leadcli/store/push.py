"""Pushing what waits in the local replica to the team store.

`_combine` is the one call that combines this machine's copy of an interview with the team store's
(to become the one merge function of issue 19): it never replaces the team's lines with this
machine's, it adds to them. `push_waiting` drains the replica through it, everything waiting in one
transaction on each side, and says what it pushed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from leadcli.store.db import Store
from leadcli.store.records import Answer, Interview
from leadcli.store.replica import Replica, keeping_leases
from leadcli.store.snapshots import snapshot_data


@dataclass(frozen=True)
class Pushed:
    """One interview's waiting writes that reached the team store."""

    interview_id: str
    organization: str
    lines: int
    created: bool  # the team store did not have it (new offline, or deleted there meanwhile)
    refused: str | None = None  # why it was not pushed (it waits on this machine)

    @property
    def needs_attention(self) -> bool:
        """It is to be said even to a --quiet command: it was refused (and waits here)."""
        return self.refused is not None

    def describe(self) -> str:
        """What happened to it, for stderr: one line (each line of it is said on its own)."""
        what = f"{self.lines} line{'s' if self.lines != 1 else ''}"
        if self.refused:
            where = f"interview {self.interview_id} ({self.organization})"
            return f"{what} of {where} stay on this machine: {self.refused}"
        how = "new interview" if self.created else "interview"
        return f"pushed {what} of {how} {self.interview_id} ({self.organization}) to the team store"


def _union_notes(theirs: str, ours: str) -> str:
    """The team's lines, then this machine's lines the team does not have, in their order."""
    if not theirs or theirs == ours or ours.startswith(theirs):
        return ours or theirs
    if not ours or theirs.startswith(ours):
        return theirs
    have = Counter(theirs.split("\n"))
    added = []
    for line in ours.split("\n"):
        if have[line]:
            have[line] -= 1
        else:
            added.append(line)
    return "\n".join([theirs, *added]) if added else theirs


def _combine(theirs: Interview, ours: Interview) -> Interview:
    """Both copies of one interview as one: every line of either side; single values (cues, rating,
    reflection, position, status) as this machine last set them, where it has them."""
    answers: dict[str, Answer] = dict(theirs.answers)
    for question_id, mine in ours.answers.items():
        other = answers.get(question_id)
        notes = mine.notes if other is None else _union_notes(other.notes, mine.notes)
        answers[question_id] = replace(mine, notes=notes)
    return replace(
        ours,
        updated_at=max(ours.updated_at, theirs.updated_at),
        answers=answers,
        reflection=ours.reflection if ours.reflection is not None else theirs.reflection,
        created_by=theirs.created_by or ours.created_by,
    )


def push_interviews(team: Store, records: list[Interview]) -> tuple[set[str], dict[str, str]]:
    """Combine this machine's copies `records` into the team store, all in one transaction.

    Returns the ids the team store did not have (created, as they are here), and those it has as
    another interview (another creation under the same id), with why: those are left out, to wait
    on this machine, never mixed into the other one.
    """
    with team.transaction() as db:
        ids = [r.id for r in records]
        marks = ", ".join("?" * len(ids))
        there = {
            row[0]: tuple(row[1:])
            for row in db.execute(
                f"SELECT id, created_at, organization, interviewer FROM interviews WHERE id IN ({marks})", ids
            )
        }
        clashes = {  # the same creation has the same time, organization and interviewer
            r.id: f"the team store has another interview {r.id} ({there[r.id][1]}, created {there[r.id][0]})"
            for r in records
            if r.id in there and there[r.id] != (r.created_at, r.organization, r.interviewer)
        }
        combined, keys = [], {}  # records read from one store share their snapshot objects
        for record in records:
            if record.id in clashes:
                continue
            merged = _combine(team.interviews._load(record.id), record) if record.id in there else record
            shared = id(record.snapshot)
            if shared not in keys:
                keys[shared] = team.snapshots.add(
                    snapshot_data(record.snapshot.questions, record.snapshot.reflection)
                )
            combined.append((merged, keys[shared]))
        replaced = sorted(set(there) - set(clashes))
        with keeping_leases(db, replaced):
            team.interviews.write(combined, replacing=replaced)
    return set(ids) - set(there), clashes


def push_waiting(replica: Replica, team: Store, *, only: str | None = None) -> list[Pushed]:
    """Push every interview waiting in `replica` (or only the one `only` names) to `team`, in one
    transaction on each side. Raises StoreError when the team store fails; nothing is marked
    pushed then, and the next push sends it all again (combining is idempotent)."""
    waiting = [w for w in replica.waiting() if only is None or w.interview_id == only]
    taken = replica.take_waiting([w.interview_id for w in waiting])
    if not taken:
        return []
    created, clashes = push_interviews(team, [record for record, _, _ in taken])
    replica.mark_pushed([(r.id, version, lines) for r, version, lines in taken if r.id not in clashes])
    lines = {w.interview_id: w.lines for w in waiting}
    names = {w.interview_id: w.organization for w in waiting}
    return [Pushed(r.id, names[r.id], lines[r.id], r.id in created, clashes.get(r.id)) for r, _, _ in taken]
