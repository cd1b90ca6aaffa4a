"""Pushing what waits in the local replica to the team store.

Each interview this machine has is merged into the team store's copy by the one merge
(`store.merge`): this machine's lines are added to the team's, single values resolve by their
clock stamps, and a value both changed is named as a conflict (once) and kept in the history.
`push_waiting` drains the replica that way, everything waiting in one transaction on each side,
and says what it pushed.

An interview an organization's erasure removed from the team store (its `uid` has a tombstone
there, `store.trail`) is refused: nothing of it is written, this machine keeps its lines (marked
in the replica, so the refusal is said once and not retried) until its user deletes them.

What leaves this machine is in the team server's time (`in_team_time`): stamps this machine made
by its own wall clock before it had reached the server are placed in the server's time
(`store.clock.placed`), and whatever is still ahead of the server's time now (a clock that jumped
after its offset was kept) is clamped just below it, in its order (`store.clock.clamped`), as are
moments (`updated_at`, ...) ahead of it: the team store never holds a time from the future.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone

from leadcli.store.clock import WALL, clamped, placed, skew_words
from leadcli.store.db import Store
from leadcli.store.interviews import Writes
from leadcli.store.merge import edit_stamps, in_server_time, map_stamps, merge, newest_stamp, normalized
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
    placed: int = 0  # its edits made by this machine's wall clock, placed in the server's time
    placement_ms: int = 0  # how far they were moved (the server's time less this machine's)
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


def placed_notice(pushed: list[Pushed]) -> str | None:
    """One line for stderr when edits made by this machine's own clock were placed in the team
    server's time by these pushes; None when none were, or the clock was within a second of it
    (nothing worth saying moved)."""
    count = sum(p.placed for p in pushed)
    if not count:
        return None
    placement = next(p.placement_ms for p in pushed if p.placed)
    if abs(placement) < 1000:
        return None
    edits = f"{count} edit{'s' if count != 1 else ''}"
    were = "was" if count == 1 else "were"
    return (
        f"this machine's clock was {skew_words(placement)} the team server; {edits} made offline"
        f" {were} placed in the server's time"
    )


def wall_edits(record: Interview) -> int:
    """How many edits of `record` this machine made by its own wall clock and can place now."""
    return len({s for s in edit_stamps(record) if s.endswith(WALL) and placed(s) != s})


def in_team_time(record: Interview, ceiling_ms: int) -> Interview:
    """`record` as it may reach the team store, whose time now is `ceiling_ms`: this machine's wall
    clock stamps placed in the server's time, and no stamp or moment ahead of `ceiling_ms`."""
    record = in_server_time(record)
    moved = clamped(edit_stamps(record), ceiling_ms)
    if moved:
        record = map_stamps(record, lambda s: moved.get(s, s))
    return _moments_at_most(record, ceiling_ms)


def _moments_at_most(record: Interview, ceiling_ms: int) -> Interview:
    """`record` with its moments (created, updated, each answer's updated) no later than
    `ceiling_ms`; the same object when none was later."""
    latest = datetime.fromtimestamp(ceiling_ms / 1000, timezone.utc)
    text = latest.isoformat(timespec="seconds")

    def moment(value: str) -> str:
        try:
            return text if value and datetime.fromisoformat(value) > latest else value
        except (ValueError, TypeError):  # not a moment leadcli wrote (no time zone): left as it is
            return value

    answers = {q: replace(a, updated_at=moment(a.updated_at)) for q, a in record.answers.items()}
    result = replace(
        record, created_at=moment(record.created_at), updated_at=moment(record.updated_at), answers=answers
    )
    return record if result == record else result


def _same_edits(record: Interview, stored: Interview) -> dict[str, str]:
    """What each stamp of `record` is in `stored` where `stored` holds the same edit: a line of
    the same id, a value (or follow-up) that is the same in both."""
    from leadcli.store.merge import ANSWER_FIELDS, INTERVIEW_FIELDS, REFLECTION_FIELDS

    same: dict[str, str] = {}

    def values(ours: object, theirs: object, fields: tuple[str, ...], a: dict, b: dict) -> None:
        for name in fields:
            if name in a and name in b and getattr(ours, name) == getattr(theirs, name):
                same.setdefault(a[name], b[name])

    values(record, stored, INTERVIEW_FIELDS, record.stamps, stored.stamps)
    for question_id, answer in record.answers.items():
        kept = stored.answers.get(question_id)
        if kept is None:
            continue
        values(answer, kept, ANSWER_FIELDS, answer.stamps, kept.stamps)
        lines = {line.id: line for line in kept.lines}
        for line in answer.lines:
            if line.id in lines:
                same.setdefault(line.stamp, lines[line.id].stamp)
                if line.gone and lines[line.id].gone:
                    same.setdefault(line.gone, lines[line.id].gone)
    if record.reflection is not None and stored.reflection is not None:
        ours, theirs = record.reflection, stored.reflection
        values(ours, theirs, REFLECTION_FIELDS, ours.stamps, theirs.stamps)
        follow_ups = {f.id: f for f in theirs.follow_ups if f.id}
        for item in ours.follow_ups:
            if item.id in follow_ups and item == replace(follow_ups[item.id], stamp=item.stamp):
                same.setdefault(item.stamp, follow_ups[item.id].stamp)
    return same


def not_ahead(record: Interview, now_ms: int, stored: Interview | None) -> tuple[Interview, int, int]:
    """`record`, from a file, with no stamp or moment ahead of `now_ms` (this machine's clock, or
    the team server's time): how an import takes it (a clock hours ahead where the file was made
    must not make its edits outrank later real ones). A stamp ahead that names an edit `stored`
    (this store's copy) already holds, taken in by an import before, is that edit's stamp there,
    so the same file imported again changes nothing; any other is placed just below both `now_ms`
    and the newest stamp of `stored`, in their order: it ranks below every edit this store had.
    Also how many stamps were ahead and how far the furthest was (ms)."""
    from leadcli.store.clock import format_stamp, is_stamp, parse_stamp

    ahead = sorted({s for s in edit_stamps(record) if is_stamp(s) and parse_stamp(s)[0] > now_ms})
    furthest = parse_stamp(ahead[-1])[0] - now_ms if ahead else 0
    if ahead:
        same = _same_edits(record, stored) if stored is not None else {}
        newest = newest_stamp(stored) if stored is not None else ""
        below = min(now_ms, parse_stamp(newest)[0] if is_stamp(newest) else now_ms) - 1
        fresh = [s for s in ahead if s not in same]
        moved = {s: same[s] for s in ahead if s in same}
        moved.update({s: format_stamp(max(below, 0), n, parse_stamp(s)[2]) for n, s in enumerate(fresh)})
        record = map_stamps(record, lambda s: moved.get(s, s))
    return _moments_at_most(record, now_ms), len(ahead), furthest


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
        now = team.connection.dialect.time_ms(team.connection)
        ceiling = now if now is not None else db.clock.physical_ms()
        records = [in_team_time(normalized(r), ceiling) for r in records]
        found = team.interviews.ids_by_uid([r.uid for r in records])  # where each copy is there
        stored_copies = team.interviews.load_many(sorted(set(found.values())))  # one read for them all
        begun = {i: (r.created_at, r.created_by, r.organization) for i, r in stored_copies.items()}
        records, homes, apart = team.interviews.homes(records, found, begun)
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
        stored_copies.update(team.interviews.load_many(sorted(set(homes.values()) - set(stored_copies))))
        writes = Writes()  # and one write per table
        created, keys = [], {}  # records read from one store share their snapshot objects
        made: set[str] = set()  # this machine's ids of those the team store did not have
        moved: dict[str, tuple[str, str]] = {}
        conflicts: dict[str, list[str]] = {}
        for given in records:
            record = given
            db.clock.observe(newest_stamp(record))
            home = homes.get(record.uid)
            other = f"{apart[record.id]} under its identity" if record.id in apart else None
            if other is not None:  # another interview there has its identity: kept apart from it
                moved[record.id] = (home or record.id, other)
            if home is not None:
                if home != record.id and other is None:
                    moved[record.id] = (home, there.get(record.id, record.id))
                stored = stored_copies.pop(home, None)
                if stored is None:  # an earlier copy in this push was merged into it: read it again
                    writes.flush(db)
                    stored = team.interviews._load(home)
                fresh = team.interviews.apply(stored, merge(stored, replace(record, id=home)), writes=writes)
                conflicts[record.id] = [c.describe(home) for c in fresh]
                continue
            made.add(record.id)
            if record.id in there:  # another interview has this id there: this one gets a new id
                new = team.interviews.free_id(db)
                moved[record.id] = (new, other or there[record.id])
                homes[record.uid] = new
                record = replace(record, id=new)
            shared = id(record.snapshot)
            if shared not in keys:
                keys[shared] = team.snapshots.add(
                    snapshot_data(record.snapshot.questions, record.snapshot.reflection)
                )
            created.append((record, keys[shared]))
        writes.flush(db)
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
    placements = {r.id: wall_edits(r) for r, _, _ in taken}
    before = replica.reached_team([r.id for r, _, _ in taken])
    created, moved, conflicts, refused = push_interviews(team, [record for record, _, _ in taken])
    replica.mark_erased([refused[r.id] for r, _, _ in taken if r.id in refused])
    replica.mark_pushed([(r.id, version, lines) for r, version, lines in taken if r.id not in refused])
    placement = replica.connection.clock.placement or 0
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
            placed=placements[r.id] if r.id not in refused else 0,
            placement_ms=placement,
        )
        for r, _, _ in taken
    ]
