"""Pushing what waits in the local replica to the team store.

`push_interview` is the one call that combines this machine's copy of an interview with the team
store's: it never replaces the team's lines with this machine's, it adds to them. `push_waiting`
drains the replica through it, one interview at a time, and says what it pushed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from leadcli.store.db import Store, keeping_lease, snapshot_data
from leadcli.store.records import Answer, Interview
from leadcli.store.replica import Replica


@dataclass(frozen=True)
class Pushed:
    """One interview's waiting writes that reached the team store."""

    interview_id: str
    organization: str
    lines: int
    created: bool  # the team store did not have it (new offline, or deleted there meanwhile)

    def describe(self) -> str:
        what = f"{self.lines} line{'s' if self.lines != 1 else ''}"
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


def push_interview(team: Store, record: Interview) -> bool:
    """Combine this machine's copy `record` into the team store, in one transaction; True if the team
    store did not have the interview (it is created, as it is here)."""
    with team.transaction() as db:
        there = db.execute("SELECT 1 FROM interviews WHERE id = ?", (record.id,)).fetchone() is not None
        combined = _combine(team._load(record.id), record) if there else record
        key = team.add_snapshot(snapshot_data(record.snapshot.questions, record.snapshot.reflection))
        with keeping_lease(db, record.id):
            team.write_interviews([(combined, key)], replacing=[record.id] if there else [])
    return not there


def push_waiting(replica: Replica, team: Store, *, only: str | None = None) -> list[Pushed]:
    """Push every interview waiting in `replica` (or only the one `only` names) to `team`.

    Raises StoreError when the team store fails; what was pushed before that stays pushed.
    """
    pushed = []
    for waiting in replica.waiting():
        if only is not None and waiting.interview_id != only:
            continue
        taken = replica.take_waiting(waiting.interview_id)
        if taken is None:
            continue
        record, version, lines = taken
        created = push_interview(team, record)
        replica.mark_pushed(waiting.interview_id, version, lines)
        pushed.append(Pushed(waiting.interview_id, waiting.organization, waiting.lines, created))
    return pushed
