"""Interviews: their rows, people, answers, reflections and follow-ups."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter

from leadcli.errors import NotFoundError, UsageError
from leadcli.names import name_key
from leadcli.store.connection import Connection, now
from leadcli.store.leases import Leases
from leadcli.store.records import (
    Answer,
    Contact,
    ContentStamp,
    Interview,
    InterviewSummary,
    Reflection,
    Snapshot,
)
from leadcli.store.snapshots import Snapshots, snapshot_data
from leadcli.store.tables import ANSWERS, CONTACTS, FOLLOW_UPS, INTERVIEWS, REFLECTIONS
from leadcli.vocabulary import Status, status_for

_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: easy to read aloud and type
_ID_LENGTH = 6


def new_id(length: int = _ID_LENGTH) -> str:
    """A new random id in leadcli's alphabet."""
    import secrets  # imported here: it pulls in OpenSSL, which most commands never need

    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(length))


def is_interview_id(text: object) -> bool:
    """True for an id in leadcli's own format: six characters of its alphabet, lower case."""
    return isinstance(text, str) and len(text) == _ID_LENGTH and not text.strip(_ID_ALPHABET)


def numbered_id(number: int) -> str:
    """The `number`th id in leadcli's format (for generated test and benchmark stores)."""
    digits = []
    for _ in range(_ID_LENGTH):
        number, digit = divmod(number, len(_ID_ALPHABET))
        digits.append(_ID_ALPHABET[digit])
    return "".join(reversed(digits))


class Groups:
    """Rows sorted by their first column (an interview id), handed out one id's group at a time."""

    def __init__(self, rows: Iterable[tuple]) -> None:
        self._groups = groupby(rows, key=itemgetter(0))
        self._current = next(self._groups, None)

    def take(self, key: str) -> list[tuple]:
        while self._current is not None and self._current[0] < key:
            self._current = next(self._groups, None)
        if self._current is None or self._current[0] != key:
            return []
        group = list(self._current[1])
        self._current = next(self._groups, None)
        return group


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Interviews:
    """The interviews in the store. Every write commits at once and checks this store's lease."""

    def __init__(self, db: Connection, snapshots: Snapshots, leases: Leases) -> None:
        self.db = db
        self.snapshots = snapshots
        self.leases = leases

    def create(
        self,
        *,
        organization: str,
        interviewer: str,
        region: str,
        contacts: list[Contact],
        stamp: ContentStamp,
        snapshot_data: dict,
        answers: list[Answer] | None = None,
        reflection: Reflection | None = None,
        status: Status = "draft",
    ) -> str:
        """Create an interview (with any answers and reflection) in one transaction."""
        with self.db.transaction() as db:
            interview_id = new_id()
            while db.execute("SELECT 1 FROM interviews WHERE id = ?", (interview_id,)).fetchone():
                interview_id = new_id()
            stamp_now = now()
            position = len(snapshot_data["questions"]) if status != "draft" else 0
            self._write_interview(
                db,
                Interview(
                    id=interview_id,
                    organization=organization,
                    interviewer=interviewer,
                    region=region,
                    status=status,
                    position=position,
                    created_at=stamp_now,
                    updated_at=stamp_now,
                    stamp=stamp,
                    snapshot=Snapshot(questions=(), reflection=()),  # the row refers to it by key
                    contacts=contacts,
                    answers={a.question_id: a for a in answers or []},
                    reflection=reflection,
                ),
                self.snapshots.add(snapshot_data),
            )
        return interview_id

    def _write_interview(self, db: Connection, record: Interview, snapshot_key: str) -> None:
        """Write one whole interview: its row, people, answers and reflection."""
        self.write([(record, snapshot_key)])

    def _authorship(self, record: Interview) -> dict[str, str]:
        """created_by, changed_by, assigned_to and claimed_by for a new row: the store's user made it
        (on a server the database sets these itself); what a file said about its author is kept
        apart, in claimed_by."""
        user = self.db.user
        claimed = record.claimed_by if record.claimed_by != user else ""
        return {"created_by": user, "changed_by": user, "assigned_to": user, "claimed_by": claimed}

    def resolve_id(self, prefix: str) -> str:
        """The full id of the one interview whose id starts with `prefix`."""
        wanted = prefix.strip().lower()
        if not wanted:
            raise UsageError("give an interview id (see `leadcli list`)")
        rows = self.db.execute(
            "SELECT id FROM interviews WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
            (wanted, wanted + "\uffff"),
        ).fetchall()
        if not rows:
            raise NotFoundError(f"no interview with id {prefix!r}", hint="see `leadcli list` for the ids")
        if len(rows) > 1:
            ids = ", ".join(r["id"] for r in rows)
            raise UsageError(f"{prefix!r} matches several interviews ({ids}); type more of the id")
        return rows[0]["id"]

    def latest_id(self) -> str:
        row = self.db.execute(
            "SELECT id FROM interviews ORDER BY updated_at DESC, rowid DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise NotFoundError("there are no interviews yet", hint="start one with `leadcli interview`")
        return row["id"]

    def get(self, prefix: str) -> Interview:
        """The interview whose id is, or uniquely starts with, `prefix`."""
        return self._load(self.resolve_id(prefix))

    def _load(self, interview_id: str) -> Interview:
        db = self.db
        row = db.execute(INTERVIEWS.select("snapshot_sha256") + " WHERE id = ?", (interview_id,)).fetchone()
        contacts = [
            CONTACTS.record_of(r)
            for r in db.execute(
                CONTACTS.select() + " WHERE interview_id = ? ORDER BY position", (interview_id,)
            )
        ]
        answers = {
            r["question_id"]: ANSWERS.record_of(r)
            for r in db.execute(ANSWERS.select() + " WHERE interview_id = ?", (interview_id,))
        }
        reflection = None
        ref = db.execute(REFLECTIONS.select() + " WHERE interview_id = ?", (interview_id,)).fetchone()
        if ref is not None:
            follow_ups = [
                FOLLOW_UPS.record_of(r)
                for r in db.execute(
                    FOLLOW_UPS.select() + " WHERE interview_id = ? ORDER BY position", (interview_id,)
                )
            ]
            reflection = REFLECTIONS.record_of(ref, follow_ups=follow_ups)
        return INTERVIEWS.record_of(
            row,
            1,
            snapshot=self.snapshots.get(row[0]),
            contacts=contacts,
            answers=answers,
            reflection=reflection,
        )

    def _touch(self, db: Connection, interview_id: str, **fields: object) -> None:
        self.leases.check(db, interview_id)
        assignments = "".join(f", {name} = ?" for name in fields)
        db.execute(
            f"UPDATE interviews SET updated_at = ?, changed_by = ?{assignments} WHERE id = ?",
            (now(), self.db.user, *fields.values(), interview_id),
        )

    def _write_answer(
        self, db: Connection, interview_id: str, answer: Answer, when: str | None = None
    ) -> None:
        db.execute(
            ANSWERS.upsert(("interview_id", "question_id")),
            ANSWERS.values(answer, interview_id, updated_at=when or now()),
        )

    def save_answer(self, interview_id: str, answer: Answer) -> None:
        with self.db.transaction() as db:
            db.check_may_change(interview_id)
            self._write_answer(db, interview_id, answer)
            self._touch(db, interview_id)

    def forget_answer(self, interview_id: str, question_id: str) -> None:
        with self.db.transaction() as db:
            db.check_may_change(interview_id)
            db.execute(
                "DELETE FROM answers WHERE interview_id = ? AND question_id = ?",
                (interview_id, question_id),
            )
            self._touch(db, interview_id)

    def set_position(self, interview_id: str, position: int) -> None:
        with self.db.transaction() as db:
            db.check_may_change(interview_id)
            self._touch(db, interview_id, position=position)

    def set_status(self, interview_id: str, status: Status) -> None:
        with self.db.transaction() as db:
            db.check_may_change(interview_id)
            self._touch(db, interview_id, status=status)

    def _write_reflection(self, db: Connection, interview_id: str, reflection: Reflection) -> None:
        db.execute(REFLECTIONS.upsert(("interview_id",)), REFLECTIONS.values(reflection, interview_id, now()))
        db.execute("DELETE FROM follow_ups WHERE interview_id = ?", (interview_id,))
        db.executemany(
            FOLLOW_UPS.insert(),
            [FOLLOW_UPS.values(f, interview_id, i) for i, f in enumerate(reflection.follow_ups)],
        )

    def save_reflection(self, interview_id: str, reflection: Reflection) -> None:
        """Save the reflection; the status follows `status_for` (a draft stays a draft)."""
        with self.db.transaction() as db:
            db.check_may_change(interview_id)
            self._write_reflection(db, interview_id, reflection)
            row = db.execute(
                "SELECT i.position, s.questions FROM interviews i"
                " JOIN snapshots s ON s.sha256 = i.snapshot_sha256 WHERE i.id = ?",
                (interview_id,),
            ).fetchone()
            status = status_for(questions_finished=row[0] >= row[1], has_verdict=bool(reflection.verdict))
            self._touch(db, interview_id, status=status)

    def delete(self, interview_id: str, *, machine: str = "", take_over: bool = False) -> None:
        """Delete the interview; refused (LeaseHeld, naming who) while a terminal has it open live,
        unless `take_over` (that session crashed). A lease left by a process of this machine
        (`machine`, its id) that has ended does not count."""
        with self.db.transaction() as db:
            db.check_may_change(interview_id)
            if not take_over:
                self.leases.refuse_if_open(interview_id, machine, "it was not deleted", db=db)
            db.execute("DELETE FROM interviews WHERE id = ?", (interview_id,))

    def assign(self, interview_id: str, user: str) -> None:
        """Give an interview to another user (managers only): from now on it is theirs to change."""
        self.db.refuse_unless_manager("assigning an interview")
        with self.db.transaction() as db:
            db.execute("UPDATE interviews SET assigned_to = ? WHERE id = ?", (user, interview_id))

    def ids(self, *, organization: str | None = None) -> list[str]:
        """Interview ids, oldest first; with `organization`, only that organization's (`name_key`)."""
        if organization is None:
            rows = self.db.execute("SELECT id FROM interviews ORDER BY created_at, rowid")
        else:
            rows = self.db.execute(
                "SELECT id FROM interviews WHERE org_key = ? ORDER BY created_at, rowid",
                (name_key(organization),),
            )
        return [r["id"] for r in rows]

    def spellings(self, organization: str) -> list[str]:
        """Every name the organization's interviews are stored under (one key, `name_key`)."""
        rows = self.db.execute(
            "SELECT DISTINCT organization FROM interviews WHERE org_key = ?", (name_key(organization),)
        )
        return sorted(r[0] for r in rows)

    def organizations(self) -> dict[str, str]:
        """Each organization's key (`name_key`) and one name it is stored under (the first in
        code-point order, the same on every backend), by key."""
        names: dict[str, str] = {}
        for key, name in self.db.execute("SELECT DISTINCT org_key, organization FROM interviews"):
            if key not in names or name < names[key]:
                names[key] = name
        return dict(sorted(names.items()))

    def insert(self, record: Interview) -> bool:
        """Store a whole interview as it is (id and times kept); False if that id exists already."""
        with self.db.transaction() as db:
            if db.execute("SELECT 1 FROM interviews WHERE id = ?", (record.id,)).fetchone():
                return False
            key = self.snapshots.add(snapshot_data(record.snapshot.questions, record.snapshot.reflection))
            self.write([(record, key)])
        return True

    def summaries(
        self, *, organization: str | None = None, status: str | None = None, limit: int | None = None
    ) -> tuple[list[InterviewSummary], int]:
        """Interviews most recently updated first (at most `limit`), and how many match in all."""
        clauses, params = [], []
        if organization:  # any part of the name, as `name_key` spells both
            clauses.append("i.org_key LIKE ? ESCAPE '\\'")
            params.append(f"%{_like_escape(name_key(organization))}%")
        if status:
            clauses.append("i.status = ?")
            params.append(status)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        total = self.db.execute(f"SELECT count(*) FROM interviews i {where}", params).fetchone()[0]
        rows = self.db.execute(
            "SELECT i.id, i.organization, i.interviewer, i.region, i.status, i.created_at,"
            " i.updated_at, s.questions AS questions,"
            " (SELECT count(*) FROM answers a"
            "  WHERE a.interview_id = i.id AND a.state = 'explored') AS explored, r.verdict"
            " FROM interviews i JOIN snapshots s ON s.sha256 = i.snapshot_sha256"
            f" LEFT JOIN reflections r ON r.interview_id = i.id {where}"
            " ORDER BY i.updated_at DESC, i.rowid DESC" + ("" if limit is None else " LIMIT ?"),
            params if limit is None else [*params, limit],
        )
        return [InterviewSummary(*row) for row in rows], total

    def count(self) -> int:
        """How many interviews the store holds."""
        return int(self.db.execute("SELECT count(*) FROM interviews").fetchone()[0])

    def interviewers(self) -> dict[str, str]:
        """Each interviewer's key (`name_key`) and one name it is stored under (the first in
        code-point order), by key: one person however their name was typed."""
        names: dict[str, str] = {}
        for key, name in self.db.execute("SELECT DISTINCT interviewer_key, interviewer FROM interviews"):
            if key not in names or name < names[key]:
                names[key] = name
        return dict(sorted(names.items()))

    def updated_times(self, ids: list[str]) -> dict[str, str]:
        """When each of these interviews (those the store has) was last changed."""
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self.db.execute(f"SELECT id, updated_at FROM interviews WHERE id IN ({marks})", ids)
        return {r[0]: r[1] for r in rows}

    def write(self, records: list[tuple[Interview, str]], *, replacing: Iterable[str] = ()) -> None:
        """Write whole interviews (ids and times kept) with their snapshot keys, a batch at once.

        Interviews named in `replacing` are deleted first, with everything they hold. Call inside
        `transaction()`: a batch is only kept when the whole transaction is.
        """
        db = self.db
        doomed = [(interview_id,) for interview_id in replacing]
        for (interview_id,) in doomed:
            db.check_may_change(interview_id)
        if doomed:
            db.executemany("DELETE FROM interviews WHERE id = ?", doomed)
        db.executemany(
            INTERVIEWS.insert(),
            [INTERVIEWS.values(r, key, **self._authorship(r)) for r, key in records],
        )
        db.executemany(
            CONTACTS.insert(),
            [CONTACTS.values(c, r.id, i) for r, _ in records for i, c in enumerate(r.contacts)],
        )
        db.executemany(
            ANSWERS.insert(),
            [
                ANSWERS.values(a, r.id, updated_at=a.updated_at or r.updated_at)
                for r, _ in records
                for a in r.answers.values()
            ],
        )
        reflected = [(r, r.reflection) for r, _ in records if r.reflection is not None]
        db.executemany(
            REFLECTIONS.insert(), [REFLECTIONS.values(x, r.id, r.updated_at) for r, x in reflected]
        )
        db.executemany(
            FOLLOW_UPS.insert(),
            [FOLLOW_UPS.values(f, r.id, i) for r, x in reflected for i, f in enumerate(x.follow_ups)],
        )

    def export_rows(self) -> Iterator[dict]:
        """Every interview as plain JSON-ready data, in id order, one at a time (memory stays flat).

        The shape is that of an `Interview` (its fields in their order), with `snapshot` the key of
        its questions' snapshot. Each table is read by one cursor sorted by interview id and merged
        here; call inside `reading()` so the cursors see the same store.
        """
        db = self.db
        contacts = Groups(db.execute(CONTACTS.select("interview_id") + " ORDER BY interview_id, position"))
        answers = Groups(db.execute(ANSWERS.select("interview_id") + " ORDER BY interview_id, question_id"))
        reflections = Groups(db.execute(REFLECTIONS.select("interview_id") + " ORDER BY interview_id"))
        follow_ups = Groups(
            db.execute(FOLLOW_UPS.select("interview_id") + " ORDER BY interview_id, position")
        )
        rows = db.execute(INTERVIEWS.select("snapshot_sha256") + " ORDER BY id")
        for row in rows:
            data = INTERVIEWS.data(row, 1)
            interview_id = data["id"]
            reflection = None
            for found in reflections.take(interview_id):
                reflection = REFLECTIONS.data(found, 1)
                reflection["follow_ups"] = [FOLLOW_UPS.data(f, 1) for f in follow_ups.take(interview_id)]
            data["snapshot"] = row[0]
            data["contacts"] = [CONTACTS.data(c, 1) for c in contacts.take(interview_id)]
            data["answers"] = {a[1]: ANSWERS.data(a, 1) for a in answers.take(interview_id)}
            data["reflection"] = reflection
            yield {name: data[name] for name in _INTERVIEW_FIELDS}


_INTERVIEW_FIELDS = tuple(f.name for f in dataclasses.fields(Interview))
