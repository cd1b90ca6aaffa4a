"""The local replica: a SQLite store in the leadcli home holding only what this machine is working on.

With a server store every line is written here first (fsync, owner-only) and pushed to the server
off the prompt's path; with the SQLite store the store itself is the journal, and the replica takes
the lines only while the store cannot be written (a held lock, a full disk, a take-over, a delete).
An interview stays here until everything typed into it has reached the team store and no terminal
on this machine has it open; then it is forgotten, so a lost laptop costs as little as possible.

It lives in a folder of its own in the home, `replica/leadcli.db` (the same SQLite dialect as the
store). Beside the ordinary tables, `waiting` counts per interview what was written here (`version`, and
`lines`: the typed lines, cues, ratings and answers among those writes) and how much of it has
reached the team store (`pushed_version`, `pushed_lines`). An interview the team store refused
because an erasure removed it there has that erasure's tombstone in the replica's own `erasures`
(`mark_erased`): it no longer waits (never pushed again, said once), and it stays here, listed by
`erased_here`, until this machine's user deletes it (`discard`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from leadcli.store.clock import use_kept_offset
from leadcli.store.connection import Connection, now
from leadcli.store.db import Store
from leadcli.store.identity import machine_id
from leadcli.store.interviews import Interviews
from leadcli.store.leases import LEASES, gone
from leadcli.store.records import Interview
from leadcli.store.snapshots import snapshot_data
from leadcli.store.trail import ERASURE_COLUMNS, Erasure
from leadcli.vocabulary import Status

REPLICA_FOLDER = "replica"

_WAITING = """
CREATE TABLE IF NOT EXISTS waiting (
    interview_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 0,
    lines INTEGER NOT NULL DEFAULT 0,
    pushed_version INTEGER NOT NULL DEFAULT 0,
    pushed_lines INTEGER NOT NULL DEFAULT 0,
    created_here INTEGER NOT NULL DEFAULT 0,
    since TEXT NOT NULL DEFAULT ''
)
"""

# The replica's trail is never read (the team store writes its own when the lines arrive): it keeps
# no entry of a typed line (migration 022_line_trail_by_minute), so a line here writes its row and
# the count of what waits, no trail page.
_KEEPS_NO_LINE_TRAIL = "SELECT 1 FROM store_settings WHERE name = 'trail_of_lines' AND value = 'none'"


def replica_home(home: Path) -> Path:
    """The folder the replica's store file is in."""
    return home / REPLICA_FOLDER


def has_replica(home: Path) -> bool:
    from leadcli.store.dialects.sqlite import store_path

    return store_path(replica_home(home)).exists()


@contextmanager
def keeping_leases(db: Connection, interview_ids: list[str]) -> Iterator[None]:
    """Rewrite these interviews inside this block without losing who has them open (a lease row
    goes with its interview when that is deleted)."""
    rows = []
    for interview_id in interview_ids:
        row = db.execute(LEASES.select() + " WHERE interview_id = ?", (interview_id,)).fetchone()
        if row is not None:
            rows.append(LEASES.values(LEASES.record_of(row)))
    yield
    db.executemany(LEASES.insert(on_conflict="ON CONFLICT (interview_id) DO NOTHING"), rows)


@dataclass(frozen=True)
class Waiting:
    """One interview with writes that have not reached the team store yet."""

    interview_id: str
    organization: str
    version: int
    lines: int  # typed lines, cues, ratings and answers not yet pushed
    created_here: bool
    since: str  # when its oldest waiting write was made


def _bump(db: Connection, interview_id: str, lines: int, *, created_here: bool = False) -> None:
    db.execute(
        "INSERT INTO waiting (interview_id, version, lines, created_here, since) VALUES (?, 1, ?, ?, ?)"
        " ON CONFLICT (interview_id) DO UPDATE SET version = version + 1, lines = lines + excluded.lines,"
        " since = CASE WHEN version = pushed_version THEN excluded.since ELSE since END",
        (interview_id, lines, int(created_here), now()),
    )


class ReplicaInterviews(Interviews):
    """The replica's interviews: every write also counts what waits, in the same transaction."""

    _counts_as_line = True
    _lines_alone = False  # a line is counted as waiting in its own transaction

    def _touch(self, db: Connection, interview_id: str, **fields: object) -> None:
        super()._touch(db, interview_id, **fields)
        _bump(db, interview_id, 1 if self._counts_as_line else 0)

    def _line_written(self, db: Connection, interview_id: str) -> None:
        _bump(db, interview_id, 1)

    def set_position(self, interview_id: str, position: int) -> None:
        self._counts_as_line = False  # moving between questions is no line
        try:
            super().set_position(interview_id, position)
        finally:
            self._counts_as_line = True

    def set_status(self, interview_id: str, status: Status) -> None:
        self._counts_as_line = False
        try:
            super().set_status(interview_id, status)
        finally:
            self._counts_as_line = True

    def _write_interview(self, db: Connection, record: Interview, snapshot_key: str) -> None:
        super()._write_interview(db, record, snapshot_key)
        _bump(db, record.id, 0, created_here=True)


class Replica(Store):
    """The replica as a Store (`interviews` counting what waits), and what waits in it."""

    interviews: ReplicaInterviews

    def __init__(self, connection: Connection, machine: str = "") -> None:
        super().__init__(connection)
        self.interviews = ReplicaInterviews(connection, self.snapshots, self.leases)
        self.machine = machine  # this machine's id: a lease of one of its ended processes is stale

    @classmethod
    def open_in(cls, home: Path, *, busy_ms: int | None = None) -> Replica:
        """The replica in `home` (made owner-only if new), with `busy_ms` to wait for a held lock."""
        from leadcli.store.dialects.sqlite import SQLITE

        connection = SQLITE.open(replica_home(home))
        connection.execute(_WAITING)
        if connection.execute(_KEEPS_NO_LINE_TRAIL).fetchone() is None:
            connection.execute(
                "INSERT INTO store_settings (name, value) VALUES ('trail_of_lines', 'none')"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value"
            )
        if busy_ms is not None:
            SQLITE.wait_for_locks(connection, busy_ms)
        connection.node = machine_id(home)
        use_kept_offset(connection.node, home)  # stamps in the team server's time, offline too
        return cls(connection, connection.node)

    def put(self, record: Interview, *, lines: int = 0, pushed: bool = False) -> None:
        """Keep this whole copy of `record`, merged with any copy here (`store.merge`: every line of
        either is kept: two terminals on this machine may write one interview after a take-over),
        in one transaction.

        `lines`: how many of its lines are new (waiting); `pushed`: the copy is the team store's own
        (just fetched), so nothing of it waits.
        """
        from leadcli.store.merge import merge

        with self.transaction() as db:
            if self.has(record.id):
                record = merge(self.interviews._load(record.id), record).interview
            key = self.snapshots.add(snapshot_data(record.snapshot.questions, record.snapshot.reflection))
            with keeping_leases(db, [record.id]):
                self.interviews.write([(record, key)], replacing=[record.id])
            _bump(db, record.id, lines)
            if pushed:
                db.execute(
                    "UPDATE waiting SET pushed_version = version, pushed_lines = lines"
                    " WHERE interview_id = ?",
                    (record.id,),
                )

    # --- what waits, and what reached the team store ---------------------------------------

    def has(self, interview_id: str) -> bool:
        found = self.connection.execute("SELECT 1 FROM interviews WHERE id = ?", (interview_id,))
        return found.fetchone() is not None

    def waiting(self) -> list[Waiting]:
        """The interviews with writes not yet pushed, oldest first (not those the team store erased)."""
        rows = self.connection.execute(
            "SELECT w.interview_id, i.organization, w.version, w.lines - w.pushed_lines, w.created_here,"
            " w.since FROM waiting w JOIN interviews i ON i.id = w.interview_id"
            " WHERE w.version > w.pushed_version AND i.uid NOT IN (SELECT uid FROM erasures)"
            " ORDER BY w.since, w.interview_id"
        )
        return [Waiting(r[0], r[1], r[2], r[3], bool(r[4]), r[5]) for r in rows]

    def erased_here(self) -> list[tuple[Waiting, Erasure]]:
        """The interviews kept here that the team store erased (it refused them), with the erasure
        and how many of their lines never reached it."""
        cols = ", ".join(f"e.{c.strip()}" for c in ERASURE_COLUMNS.split(","))
        rows = self.connection.execute(
            "SELECT i.id, i.organization, coalesce(w.version, 0),"
            " coalesce(w.lines - w.pushed_lines, 0), coalesce(w.created_here, 0), coalesce(w.since, ''),"
            f" {cols} FROM interviews i JOIN erasures e ON e.uid = i.uid"
            " LEFT JOIN waiting w ON w.interview_id = i.id ORDER BY e.erased_at, i.id"
        )
        return [(Waiting(r[0], r[1], r[2], r[3], bool(r[4]), r[5]), Erasure(*r[6:])) for r in rows]

    def erasure_of(self, interview_id: str) -> Erasure | None:
        """The team store's erasure of this interview, if a push found one."""
        return next((e for w, e in self.erased_here() if w.interview_id == interview_id), None)

    def wait_again(self, interview_id: str) -> None:
        """The team store no longer has this interview (deleted there while it is open here): all
        of this machine's copy waits again, so the next push stores it there again, whole."""
        with self.transaction() as db:
            _bump(db, interview_id, 0)

    def mark_erased(self, erasures: list[Erasure]) -> None:
        """The team store refused these interviews: an erasure removed them there. They stop
        waiting (never pushed again) and stay here until deleted."""
        if not erasures:
            return
        with self.transaction() as db:
            db.executemany(
                f"INSERT INTO erasures ({ERASURE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (uid) DO NOTHING",
                [(e.uid, e.kind, e.record_id, e.org_key_sha256, e.erased_at, e.erased_by) for e in erasures],
            )

    def discard(self, interview_id: str) -> int:
        """Delete this machine's copy of an interview (and its erasure's mark); how many lines of it
        had not reached the team store."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT lines - pushed_lines FROM waiting WHERE interview_id = ?", (interview_id,)
            ).fetchone()
            db.execute(
                "DELETE FROM erasures WHERE uid IN (SELECT uid FROM interviews WHERE id = ?)", (interview_id,)
            )
            db.execute("DELETE FROM interviews WHERE id = ?", (interview_id,))
            db.execute("DELETE FROM waiting WHERE interview_id = ?", (interview_id,))
            return int(row[0]) if row is not None else 0

    def reached_team(self, interview_ids: list[str]) -> set[str]:
        """Those of these interviews a push from here has brought to the team store before (or that
        were fetched from it)."""
        marks = ", ".join("?" * len(interview_ids))
        rows = self.connection.execute(
            f"SELECT interview_id FROM waiting WHERE pushed_version > 0 AND interview_id IN ({marks})",
            interview_ids,
        )
        return {r[0] for r in rows}

    def lines_waiting(self, interview_id: str) -> int:
        """How many lines of this interview wait for the team store (none once it was erased there)."""
        row = self.connection.execute(
            "SELECT w.lines - w.pushed_lines, w.version > w.pushed_version"
            " AND i.uid NOT IN (SELECT uid FROM erasures) FROM waiting w"
            " JOIN interviews i ON i.id = w.interview_id WHERE w.interview_id = ?",
            (interview_id,),
        ).fetchone()
        return 0 if row is None or not row[1] else row[0]

    def take_waiting(self, interview_ids: list[str]) -> list[tuple[Interview, int, int]]:
        """These interviews as the replica has them, each with the version and line count of that
        copy, read from one snapshot."""
        taken = []
        with self.reading():
            for interview_id in interview_ids:
                row = self.connection.execute(
                    "SELECT version, lines FROM waiting WHERE interview_id = ?", (interview_id,)
                ).fetchone()
                if row is not None and self.has(interview_id):
                    taken.append((self.interviews.get(interview_id), row[0], row[1]))
        return taken

    def mark_pushed(self, pushed: list[tuple[str, int, int]]) -> None:
        """These copies (id, version, lines) reached the team store; an interview nothing newer waits
        for, and that no terminal on this machine has open, is forgotten."""
        with self.transaction() as db:
            db.executemany(
                "UPDATE waiting SET pushed_version = ?, pushed_lines = ? WHERE interview_id = ?"
                " AND pushed_version < ?",
                [(version, lines, interview_id, version) for interview_id, version, lines in pushed],
            )
            for interview_id, _, _ in pushed:
                self._forget(db, interview_id)

    def forget_if_done(self, interview_id: str) -> bool:
        """Remove the interview from this machine if all of it reached the team store and it is not
        open in a terminal here; True if it was removed."""
        with self.transaction() as db:
            return self._forget(db, interview_id)

    def _forget(self, db: Connection, interview_id: str) -> bool:
        row = db.execute(
            "SELECT version > pushed_version FROM waiting WHERE interview_id = ?", (interview_id,)
        ).fetchone()
        if row is not None and row[0]:
            return False
        held = db.execute(LEASES.select() + " WHERE interview_id = ?", (interview_id,)).fetchone()
        if held is not None and not gone(LEASES.record_of(held), self.machine):
            return False
        db.execute("DELETE FROM interviews WHERE id = ?", (interview_id,))
        db.execute("DELETE FROM waiting WHERE interview_id = ?", (interview_id,))
        return True
