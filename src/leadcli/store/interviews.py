"""Interviews: their rows, people, answers, reflections and follow-ups."""

from __future__ import annotations

import copy
import dataclasses
import json
import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from itertools import groupby
from operator import itemgetter
from typing import Any

from leadcli.errors import NotFoundError, UsageError
from leadcli.names import name_key
from leadcli.store.clock import Clock, legacy_stamp
from leadcli.store.connection import Connection, StoreError, not_yours, now
from leadcli.store.identity import kept_apart_uid, ordered_id, random_id, same_moment
from leadcli.store.leases import HOLDS, Lease, Leases, holds_params
from leadcli.store.merge import (
    ANSWER_FIELDS,
    GONE,
    INTERVIEW_FIELDS,
    REFLECTION_FIELDS,
    REPLACED,
    Conflict,
    Merged,
    newest_stamp,
    normalized,
    notes_of,
    plain,
    restamp,
)
from leadcli.store.records import (
    Answer,
    Contact,
    ContentStamp,
    FollowUp,
    Interview,
    InterviewSummary,
    LostValue,
    NoteLine,
    Reflection,
    Snapshot,
)
from leadcli.store.snapshots import Snapshots, snapshot_data
from leadcli.store.tables import (
    ANSWERS,
    CONTACTS,
    FOLLOW_UPS,
    INTERVIEWS,
    NOTE_LINES,
    REFLECTIONS,
    VALUE_HISTORY,
    Table,
)
from leadcli.vocabulary import Status, questions_finished, status_for

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


def make_line(clock: Clock, author: str, text: str) -> NoteLine:
    """A new note line: its own id, the clock's stamp, who typed it."""
    return NoteLine(id=ordered_id(), stamp=clock.stamp(), author=author, text=text)


def append_line(answer: Answer, line: NoteLine) -> None:
    """Add `line` to the answer in memory: its lines and its notes' text.

    The text is grown in place (while nothing else holds it, Python appends to a string without
    copying it), so a line costs the same at 1 KB of notes as at 5 MB."""
    answer.lines.append(line)
    notes, answer.notes = answer.notes, ""
    if notes:
        notes += "\n"
    notes += line.text
    answer.notes = notes


def follow_up_id(stamp: str) -> str:
    """The id of a new follow-up: sorts by when it was added, never the same twice."""
    return f"{stamp}~{random_id()[:12]}"


TOUCH_SECONDS = 60
"""A typed line moves its interview's updated_at (and changed_by) only when that is this far
behind: the interview's row (and its index by updated_at) is then not rewritten at every line."""

_INSERT_LINE = NOTE_LINES.insert()
if NOTE_LINES.columns != ("interview_id", "question_id", "id", "stamp", "author", "text", "gone"):
    raise RuntimeError("note_lines' columns changed: update _line_row")  # pragma: no cover


def _line_row(line: NoteLine, interview_id: str, question_id: str) -> tuple:
    """`NOTE_LINES.values(line, interview_id, question_id)`, made without its generic work (each
    typed line needs one)."""
    return (interview_id, question_id, line.id, line.stamp, line.author, line.text, line.gone)


_INSERT_LINE_IF_HELD = (
    f"INSERT INTO note_lines ({', '.join(NOTE_LINES.columns)})"
    f" SELECT {', '.join('?' * len(NOTE_LINES.columns))} WHERE {HOLDS}"
)
"""One line's row, added only while the lease named after it still holds (one statement)."""
_AS_IN_CONTEXT = "EXISTS (SELECT 1 FROM audit_context WHERE actor = ? AND action = '')"
_INSERT_LINE_ALONE = (
    f"INSERT INTO note_lines ({', '.join(NOTE_LINES.columns)})"
    f" SELECT {', '.join('?' * len(NOTE_LINES.columns))} WHERE {_AS_IN_CONTEXT}"
)
_INSERT_LINE_ALONE_IF_HELD = f"{_INSERT_LINE_IF_HELD} AND {_AS_IN_CONTEXT}"
"""A line's row in a file, committed on its own: only while the trail's context names this store's
user and no action (and, with a lease, the lease holds); else nothing, and a transaction follows."""

_REFLECTION_KEY = ""  # the reflection's entry in `Interviews._seen` (beside question ids)
_BATCH = 200  # interviews read by one query per table (`Interviews.load_many`)


def stamp_changes(value: Answer | Reflection, seen: dict | None, clock: Clock, node: str) -> dict:
    """Stamp, on `value` itself, each single value changed since `seen` (as `seen_values` gave
    it), and give new follow-ups their ids and stamps, dropped ones their `gone:` stamp; returns
    what is seen now. The live capture does this in memory, so a change keeps its stamp wherever
    it is written (the store, the replica, or memory while the disk is full)."""
    names = ANSWER_FIELDS if isinstance(value, Answer) else REFLECTION_FIELDS
    before = seen if seen is not None else seen_values(_empty(value))
    for name in names:
        if getattr(value, name) != before[name]:
            restamp(value.stamps, name, clock.stamp(), node, None)
    if isinstance(value, Reflection):
        for index, item in enumerate(value.follow_ups):
            if not item.id:
                stamp = clock.stamp()
                value.follow_ups[index] = dataclasses.replace(item, id=follow_up_id(stamp), stamp=stamp)
        for dropped in set(before.get("follow_ups", [])) - {f.id for f in value.follow_ups}:
            value.stamps[GONE + dropped] = clock.stamp()
    return seen_values(value)


def seen_values(value: Answer | Reflection) -> dict:
    """The single values of an answer or reflection as they are now (a copy), and its follow-ups' ids."""
    names = ANSWER_FIELDS if isinstance(value, Answer) else REFLECTION_FIELDS
    seen = {name: copy.deepcopy(getattr(value, name)) for name in names}
    if isinstance(value, Reflection):
        seen["follow_ups"] = [f.id for f in value.follow_ups]
    return seen


def _empty(value: Answer | Reflection) -> Answer | Reflection:
    return Answer(question_id=value.question_id) if isinstance(value, Answer) else Reflection()


def _take_changes(
    db: Connection,
    value: Answer | Reflection,
    *,
    stored: Answer | Reflection | None,
    seen: dict | None,
    names: tuple[str, ...],
    moment: str | None,
) -> dict[str, str]:
    """The stamps to write for `value` over the store's `stored`: a value its caller stamped
    after the store's, or changed since `seen` (what the caller last read), is written with its
    stamp (a new one if it has none); any other takes the store's, in `value` too."""
    stamps = dict(stored.stamps if stored is not None else value.stamps)
    base = stored if stored is not None else _empty(value)
    for name in names:
        if stored is not None and name not in stamps and moment:  # recorded before stamps: its time
            stamps[name] = legacy_stamp(moment)
        mine = value.stamps.get(name, "")
        if mine and mine > stamps.get(name, ""):  # changed by the caller, stamped as it was
            stamps[name] = mine
            if value.stamps.get(name + REPLACED):
                stamps[name + REPLACED] = value.stamps[name + REPLACED]
            else:
                stamps.pop(name + REPLACED, None)
        elif getattr(value, name) != (seen[name] if seen is not None else getattr(base, name)):
            restamp(stamps, name, db.clock.stamp(), db.node, moment)
        elif stored is not None:
            setattr(value, name, copy.deepcopy(getattr(stored, name)))
    return stamps


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_APPLIED = ("organization", "interviewer", "region", "position", "status", "updated_at")
"""The interview row's own values a merge writes (beside the worked-out keys and the stamps; its
uid is the one both copies share, fixed once stored)."""

_FORGET = {
    "interviews": "DELETE FROM interviews WHERE id = ?",
    "contacts": "DELETE FROM contacts WHERE interview_id = ?",
    "follow_ups": "DELETE FROM follow_ups WHERE interview_id = ?",
    "answers": "DELETE FROM answers WHERE interview_id = ? AND question_id = ?",
}
"""The deletes of an interview's rows. On a server they go through `forget_rows`
(021_server_integrity): interviewers have no table-level DELETE there."""


def forget(db: Connection, table: str, rows: list[tuple]) -> None:
    """Delete `table`'s rows of each (interview id[, question id]) in `rows` (its `_FORGET` delete)."""
    if db.dialect.shared:
        calls = [(table, row[0], row[1] if len(row) > 1 else None) for row in rows]
        db.executemany("SELECT forget_rows(?, ?, ?)", calls)
    else:
        db.executemany(_FORGET[table], rows)


class Writes:
    """The rows `Interviews.apply` writes, gathered over several interviews and written a table at
    a time by `flush`, in a fixed order (the interview rows, people, answers, lines, reflections,
    follow-ups): on a server a few round trips for a whole push, not several per interview."""

    def __init__(self) -> None:
        self.interviews: list[tuple] = []
        self.contacts_gone: list[tuple] = []
        self.contacts: list[tuple] = []
        self.answers: list[tuple] = []
        self.lines: list[tuple] = []
        self.gone: list[tuple] = []
        self.reflections: list[tuple] = []
        self.follow_ups_gone: list[tuple] = []
        self.follow_ups: list[tuple] = []

    def flush(self, db: Connection) -> None:
        """Write every row gathered (inside the caller's transaction) and forget them."""
        keys = _keys(db)
        assignments = ", ".join(f"{n} = ?" for n in (*_APPLIED, *keys))
        if self.interviews:
            update = f"UPDATE interviews SET {assignments}, stamps = ?, changed_by = ? WHERE id = ?"
            db.executemany(update, self.interviews)
            self.interviews.clear()
        if self.contacts_gone:
            forget(db, "contacts", self.contacts_gone)
            self.contacts_gone.clear()
        for sql, rows in (
            (CONTACTS.insert(), self.contacts),
            (ANSWERS.upsert(("interview_id", "question_id")), self.answers),
            (NOTE_LINES.insert(), self.lines),
            ("UPDATE note_lines SET gone = ? WHERE interview_id = ? AND id = ?", self.gone),
            (REFLECTIONS.upsert(("interview_id",)), self.reflections),
        ):
            if rows:
                db.executemany(sql, rows)
                rows.clear()
        if self.follow_ups_gone:
            forget(db, "follow_ups", self.follow_ups_gone)
            self.follow_ups_gone.clear()
        if self.follow_ups:
            db.executemany(FOLLOW_UPS.insert(), self.follow_ups)
            self.follow_ups.clear()


def _keys(db: Connection) -> list[str]:
    """The worked-out key columns a merge writes: none on a server, whose trigger works them out
    from the names (021_server_integrity) and gives interviewers no right to set them."""
    return [] if db.dialect.shared else [c for c in INTERVIEWS.worked_out if c != "snapshot"]


class Interviews:
    """The interviews in the store. Every write commits at once and checks this store's lease."""

    def __init__(self, db: Connection, snapshots: Snapshots, leases: Leases) -> None:
        self.db = db
        self.snapshots = snapshots
        self.leases = leases
        self._seen: dict[tuple[str, str], dict] = {}
        """The single values as this object last read or wrote them, per (interview, question or
        the reflection): a save writes only what its caller changed since, so a value another
        copy brought in meanwhile (an import, a merge) is never written over unseen."""
        self._touched: dict[str, float] = {}
        """When (time.monotonic) this object last moved each interview's updated_at."""

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
        """Create an interview (with any answers and reflection) in one transaction. Each value
        it is created with is stamped now: a later edit on another copy is then known to be set
        over it (a value without a stamp takes its row's last change, which moves)."""
        with self.db.transaction() as db:
            interview_id = self.free_id(db)
            stamp_now = now()
            position = len(snapshot_data["questions"]) if status != "draft" else 0
            values: list[Answer | Reflection] = [*(answers or [])]
            if reflection is not None:
                values.append(reflection)
            for value in values:
                stamp_changes(value, None, db.clock, db.node)
            record = Interview(
                id=interview_id,
                uid=random_id(),
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
            )
            record.stamps = {name: db.clock.stamp() for name in INTERVIEW_FIELDS}
            self._write_interview(db, record, self.snapshots.add(snapshot_data))
        return interview_id

    def free_id(self, db: Connection) -> str:
        """A new short id no interview of this store has."""
        interview_id = new_id()
        while db.execute("SELECT 1 FROM interviews WHERE id = ?", (interview_id,)).fetchone():
            interview_id = new_id()
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
        return self.load_many([interview_id])[interview_id]

    def load_many(self, interview_ids: list[str]) -> dict[str, Interview]:
        """These interviews (those the store has), by id, read a batch at a time: one query per
        table for the whole batch (on a server a handful of round trips, not several per interview)."""
        found: dict[str, Interview] = {}
        for start in range(0, len(interview_ids), _BATCH):
            found.update(self._load_batch(interview_ids[start : start + _BATCH]))
        return found

    def _load_batch(self, interview_ids: list[str]) -> dict[str, Interview]:
        db = self.db
        marks = ", ".join("?" * len(interview_ids))
        rows = db.execute(
            INTERVIEWS.select("snapshot_sha256") + f" WHERE id IN ({marks})", interview_ids
        ).fetchall()
        if not rows:
            return {}
        contacts: dict[str, list[Contact]] = {}
        for r in self._rows_of(CONTACTS, interview_ids, order="position"):
            contacts.setdefault(r[0], []).append(CONTACTS.record_of(r, 1))
        answers: dict[str, dict[str, Answer]] = {}
        for r in self._rows_of(ANSWERS, interview_ids):
            answer = ANSWERS.record_of(r, 1)
            answers.setdefault(r[0], {})[answer.question_id] = answer
        lines: dict[str, dict[str, list[NoteLine]]] = {}
        for r in self._rows_of(NOTE_LINES, interview_ids, "question_id", order="stamp, id"):
            lines.setdefault(r[0], {}).setdefault(r[1], []).append(NOTE_LINES.record_of(r, 2))
        follow_ups: dict[str, list[FollowUp]] = {}
        for r in self._rows_of(FOLLOW_UPS, interview_ids, order="position"):
            follow_ups.setdefault(r[0], []).append(FOLLOW_UPS.record_of(r, 1))
        reflections = {
            r[0]: REFLECTIONS.record_of(r, 1, follow_ups=follow_ups.get(r[0], []))
            for r in self._rows_of(REFLECTIONS, interview_ids)
        }
        found = {}
        for row in rows:
            interview_id = row["id"]
            kept_answers = answers.get(interview_id, {})
            for question_id, kept in lines.get(interview_id, {}).items():
                answer = kept_answers.get(question_id)
                if answer is None and notes_of(kept):  # lines of an answer row gone: still notes
                    answer = kept_answers[question_id] = Answer(question_id=question_id)
                if answer is not None:
                    answer.lines, answer.notes = kept, notes_of(kept)
            reflection = reflections.get(interview_id)
            record: Interview = INTERVIEWS.record_of(
                row,
                1,
                snapshot=self.snapshots.get(row[0]),
                contacts=contacts.get(interview_id, []),
                answers=kept_answers,
                reflection=reflection,
            )
            for answer in kept_answers.values():
                self._remember(interview_id, answer.question_id, answer, ANSWER_FIELDS)
            if reflection is not None:
                self._remember(interview_id, _REFLECTION_KEY, reflection, REFLECTION_FIELDS)
            db.clock.observe(newest_stamp(record))  # an edit made after reading it sorts after it all
            found[interview_id] = record
        return found

    def _rows_of(
        self, table: Table, interview_ids: list[str], *leading: str, order: str = ""
    ) -> Iterable[Any]:
        """`table`'s rows of these interviews, each led by its interview id (and `leading`
        columns), in interview order then `order`."""
        marks = ", ".join("?" * len(interview_ids))
        ordering = f" ORDER BY interview_id, {order}" if order else ""
        return self.db.execute(
            table.select("interview_id", *leading) + f" WHERE interview_id IN ({marks}){ordering}",
            interview_ids,
        )

    def _remember(
        self, interview_id: str, key: str, value: Answer | Reflection, names: tuple[str, ...]
    ) -> None:
        self._seen[(interview_id, key)] = seen_values(value)

    def _touch(self, db: Connection, interview_id: str, **fields: object) -> None:
        """The interview was changed now by this store's user (the lease checked); `fields` of its
        row are set too, each with a new clock stamp."""
        self.leases.check(db, interview_id)
        self._touched[interview_id] = time.monotonic()
        assignments = "".join(f", {name} = ?" for name in fields)
        values: tuple = tuple(fields.values())
        if fields:
            row = db.execute(
                "SELECT stamps, updated_at FROM interviews WHERE id = ?", (interview_id,)
            ).fetchone()
            stamps = json.loads(row[0]) if row is not None else {}
            for name in fields:
                restamp(stamps, name, db.clock.stamp(), db.node, row[1] if row is not None else None)
            assignments += ", stamps = ?"
            values += (json.dumps(stamps),)
        db.execute(
            f"UPDATE interviews SET updated_at = ?, changed_by = ?{assignments} WHERE id = ?",
            (now(), self.db.user, *values, interview_id),
        )

    def _save_row(self, db: Connection, interview_id: str, answer: Answer) -> None:
        """Write the answer's single values that its caller changed (each with a new stamp); the
        others take the store's, in `answer` too (another copy may have brought them)."""
        row = db.execute(
            ANSWERS.select() + " WHERE interview_id = ? AND question_id = ?",
            (interview_id, answer.question_id),
        ).fetchone()
        stored = ANSWERS.record_of(row) if row is not None else None
        seen = self._seen.get((interview_id, answer.question_id)) if stored is not None else None
        moment = stored.updated_at if stored is not None else None
        stamps = _take_changes(db, answer, stored=stored, seen=seen, names=ANSWER_FIELDS, moment=moment)
        answer.stamps = stamps
        db.execute(
            ANSWERS.upsert(("interview_id", "question_id")),
            ANSWERS.values(answer, interview_id, updated_at=now()),
        )
        self._remember(interview_id, answer.question_id, answer, ANSWER_FIELDS)

    def _fit_lines(
        self, db: Connection, interview_id: str, answer: Answer
    ) -> tuple[list[NoteLine], list[NoteLine]]:
        """Lines for notes set as one text (an edit, a file): those added after the answer's lines
        are new lines; any other change marks its lines gone and makes the text new lines. Returns
        (added, gone); `answer.lines` holds them."""
        if not answer.lines:
            answer.lines = [
                NOTE_LINES.record_of(r)
                for r in db.execute(
                    NOTE_LINES.select() + " WHERE interview_id = ? AND question_id = ? ORDER BY stamp, id",
                    (interview_id, answer.question_id),
                )
            ]
        live = [line for line in answer.lines if not line.gone]
        joined = notes_of(live)
        if joined == answer.notes:
            return [], []
        gone: list[NoteLine] = []
        if not live or not joined:
            rest = answer.notes
        elif answer.notes.startswith(joined + "\n"):
            rest = answer.notes[len(joined) + 1 :]
        else:
            when = db.clock.stamp()
            gone = [dataclasses.replace(line, gone=when) for line in live]
            dropped = {line.id for line in gone}
            answer.lines = [line for line in answer.lines if line.id not in dropped] + gone
            rest = answer.notes
        added = [make_line(db.clock, db.user, text) for text in rest.split("\n")] if rest else []
        answer.lines.extend(added)
        return added, gone

    def _write_lines(
        self, db: Connection, interview_id: str, question_id: str, lines: list[NoteLine]
    ) -> None:
        if len(lines) == 1:
            db.execute(NOTE_LINES.insert(), NOTE_LINES.values(lines[0], interview_id, question_id))
        elif lines:
            db.executemany(
                NOTE_LINES.insert(), [NOTE_LINES.values(x, interview_id, question_id) for x in lines]
            )

    def _mark_gone(self, db: Connection, interview_id: str, lines: list[NoteLine]) -> None:
        db.executemany(
            "UPDATE note_lines SET gone = ? WHERE interview_id = ? AND id = ?",
            [(line.gone, interview_id, line.id) for line in lines],
        )

    def save_answer(self, interview_id: str, answer: Answer) -> None:
        """Save what the caller changed of the answer; notes changed as one text become lines."""
        with self.db.transaction() as db:
            db.check_may_change(interview_id)
            added, gone = self._fit_lines(db, interview_id, answer)
            self._save_row(db, interview_id, answer)
            self._write_lines(db, interview_id, answer.question_id, added)
            self._mark_gone(db, interview_id, gone)
            self._touch(db, interview_id)

    def new_line(self, text: str) -> NoteLine:
        return make_line(self.db.clock, self.db.user, text)

    def add_line(self, interview_id: str, answer: Answer, text: str) -> NoteLine:
        """Add one typed line to the answer's notes: one row, whatever the length of the notes."""
        line = self.new_line(text)
        append_line(answer, line)
        self.write_line(interview_id, answer, line)
        return line

    def write_line(self, interview_id: str, answer: Answer, line: NoteLine) -> None:
        """Write one line already in `answer`: one row, whatever the length of the notes, checked
        against this store's lease in the same transaction (the answer's row too, the first time
        this object writes it). On a server it is one call, one round trip (`add_note_line`,
        migration 016_one_call_lines); the interview's updated_at follows when it is
        TOUCH_SECONDS behind."""
        if (interview_id, answer.question_id) not in self._seen:
            with self.db.transaction() as db:
                db.check_may_change(interview_id)
                self._save_row(db, interview_id, answer)
                self._write_lines(db, interview_id, answer.question_id, [line])
                self._touch(db, interview_id)
            return
        lease = self.leases.held_on(interview_id)
        # The row's updated_at, when this object has not moved it for TOUCH_SECONDS (and nobody else has).
        touch = None
        clock = time.monotonic()
        if clock - self._touched.get(interview_id, -TOUCH_SECONDS) >= TOUCH_SECONDS:
            moment = datetime.now(timezone.utc)
            behind = moment - timedelta(seconds=TOUCH_SECONDS)
            touch = (moment.isoformat(timespec="seconds"), behind.isoformat(timespec="seconds"))
        if self.db.dialect.shared:
            self._call_add_line(interview_id, answer.question_id, line, touch, lease)
        elif touch is not None or not self._line_alone(interview_id, answer.question_id, line, lease):
            row = _line_row(line, interview_id, answer.question_id)
            with self.db.transaction() as db:  # sets the trail's context first
                db.check_may_change(interview_id)
                if lease is None:
                    db.execute(_INSERT_LINE, row)
                elif db.execute(_INSERT_LINE_IF_HELD, (*row, *holds_params(lease))).rowcount == 0:
                    raise self.leases.taken_over(db, interview_id)
                if touch is not None:
                    db.execute(
                        "UPDATE interviews SET updated_at = ?, changed_by = ?"
                        " WHERE id = ? AND updated_at < ?",
                        (touch[0], db.user, interview_id, touch[1]),
                    )
                self._line_written(db, interview_id)
        if touch is not None:
            self._touched[interview_id] = clock

    _lines_alone = True
    """A line may be written by its INSERT alone (a subclass with more to write beside it says no)."""

    def _line_alone(self, interview_id: str, question_id: str, line: NoteLine, lease: Lease | None) -> bool:
        """A line in a file by one statement committed on its own, when nothing else goes with it:
        its INSERT carries the lease check and holds off unless the trail's context already names
        this store's user and no action (the triggers then write the trail row as they would in
        `transaction()`). False if it held off; the caller then writes it in a transaction."""
        db = self.db
        if not (self._lines_alone and db.manager):
            return False
        row = _line_row(line, interview_id, question_id)
        sql, params = (
            (_INSERT_LINE_ALONE_IF_HELD, (*row, *holds_params(lease), db.user))
            if lease is not None
            else (_INSERT_LINE_ALONE, (*row, db.user))
        )
        try:
            return bool(db.write_alone(sql, params).rowcount)
        except db.errors as exc:
            raise StoreError(db.describe(exc) + "; nothing was changed") from None

    def _call_add_line(
        self,
        interview_id: str,
        question_id: str,
        line: NoteLine,
        touch: tuple[str, str] | None,
        lease: Lease | None,
    ) -> None:
        """A line on a server: one call of `add_note_line` (it runs as this user), committed alone."""
        db = self.db
        machine, host, pid = (lease.machine, lease.host, lease.pid) if lease is not None else ("", "", None)
        when, behind = touch if touch is not None else (None, None)
        try:
            db.write_alone(
                "SELECT add_note_line(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (interview_id, question_id, line.id, line.stamp, line.author, line.text, when, behind,
                 machine, host, pid),
            )  # fmt: skip
        except db.errors as exc:
            code = getattr(exc, "sqlstate", None)
            if code == "LC001":  # not this user's interview: its assignee is the error's detail
                detail = getattr(getattr(exc, "diag", None), "message_detail", None) or "?"
                raise not_yours(interview_id, detail) from None
            if code == "LC002":
                raise self.leases.taken_over(db, interview_id) from None
            raise StoreError(db.describe(exc) + "; nothing was changed") from None

    def _line_written(self, db: Connection, interview_id: str) -> None:
        """Inside a typed line's transaction (a store in a file): what else goes with it."""

    def forget_answer(self, interview_id: str, question_id: str) -> None:
        with self.db.transaction() as db:
            db.check_may_change(interview_id)
            forget(db, "answers", [(interview_id, question_id)])
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
        """Write the reflection fields and follow-ups its caller changed (each with a new stamp);
        the others, and follow-ups another copy added meanwhile, take the store's."""
        row = db.execute(REFLECTIONS.select() + " WHERE interview_id = ?", (interview_id,)).fetchone()
        stored_items = [
            FOLLOW_UPS.record_of(r)
            for r in db.execute(
                FOLLOW_UPS.select() + " WHERE interview_id = ? ORDER BY position", (interview_id,)
            )
        ]
        stored = REFLECTIONS.record_of(row, follow_ups=stored_items) if row is not None else None
        seen = self._seen.get((interview_id, _REFLECTION_KEY)) if stored is not None else None
        base = stored or Reflection()
        moment = db.execute("SELECT updated_at FROM interviews WHERE id = ?", (interview_id,)).fetchone()
        stamps = _take_changes(
            db,
            reflection,
            stored=stored,
            seen=seen,
            names=REFLECTION_FIELDS,
            moment=moment[0] if stored and moment else None,
        )
        for key, stamp in reflection.stamps.items():
            if key.startswith(GONE):
                stamps[key] = stamp
        given_ids = set()
        for index, item in enumerate(reflection.follow_ups):
            if not item.id:
                stamp = db.clock.stamp()
                reflection.follow_ups[index] = dataclasses.replace(item, id=follow_up_id(stamp), stamp=stamp)
            given_ids.add(reflection.follow_ups[index].id)
        had = seen["follow_ups"] if seen is not None else [f.id for f in base.follow_ups]
        for dropped in set(had) - given_ids:
            stamps[GONE + dropped] = db.clock.stamp()
        kept = {f.id: f for f in stored_items if GONE + f.id not in stamps}
        kept.update((f.id, f) for f in reflection.follow_ups if f.id not in kept)
        reflection.follow_ups[:] = [kept[i] for i in sorted(kept)]
        reflection.stamps = stamps
        db.execute(REFLECTIONS.upsert(("interview_id",)), REFLECTIONS.values(reflection, interview_id, now()))
        forget(db, "follow_ups", [(interview_id,)])
        db.executemany(
            FOLLOW_UPS.insert(),
            [FOLLOW_UPS.values(f, interview_id, i) for i, f in enumerate(reflection.follow_ups)],
        )
        self._remember(interview_id, _REFLECTION_KEY, reflection, REFLECTION_FIELDS)

    def save_reflection(self, interview_id: str, reflection: Reflection) -> None:
        """Save the reflection; the status follows `status_for` (a draft stays a draft, and finished
        questions stay finished: `questions_finished`)."""
        with self.db.transaction() as db:
            db.check_may_change(interview_id)
            self._write_reflection(db, interview_id, reflection)
            row = db.execute(
                "SELECT i.status, i.position, s.questions FROM interviews i"
                " JOIN snapshots s ON s.sha256 = i.snapshot_sha256 WHERE i.id = ?",
                (interview_id,),
            ).fetchone()
            status = status_for(
                questions_finished=questions_finished(row[0], row[1], row[2]),
                has_verdict=bool(reflection.verdict),
            )
            self._touch(db, interview_id, status=status)

    def delete(self, interview_id: str, *, machine: str = "", take_over: bool = False) -> None:
        """Delete the interview; refused (LeaseHeld, naming who) while a terminal has it open live,
        unless `take_over` (that session crashed). A lease left by a process of this machine
        (`machine`, its id) that has ended does not count."""
        with self.db.transaction() as db:
            db.check_may_change(interview_id)
            if not take_over:
                self.leases.refuse_if_open(interview_id, machine, "it was not deleted", db=db)
            forget(db, "interviews", [(interview_id,)])

    def assign(self, interview_id: str, user: str) -> None:
        """Give an interview to another user (managers only): from now on it is theirs to change."""
        self.db.refuse_unless_manager("assigning an interview")
        logins = self.db.dialect.team_logins(self.db)
        if logins is not None and user not in logins:
            raise NotFoundError(
                f"{user!r} is not an interviewer or manager of this team store; they are: "
                + (", ".join(logins) or "nobody yet")
                + " (an owner adds one with `leadcli admin grant interviewer LOGIN`)"
            )
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

    def ids_by_uid(self, uids: list[str]) -> dict[str, str]:
        """The short id of each of these interviews (by `uid`) the store has."""
        if not uids:
            return {}
        marks = ", ".join("?" * len(uids))
        rows = self.db.execute(f"SELECT uid, id FROM interviews WHERE uid IN ({marks})", uids)
        return {r[0]: r[1] for r in rows}

    def homes(
        self, records: list[Interview], found: dict[str, str], made: dict[str, tuple[str, str, str]]
    ) -> tuple[list[Interview], dict[str, str], dict[str, str]]:
        """Where each copy belongs in this store, by its identity, given `found` (`ids_by_uid` of
        the copies) and `made` (`made_of` those ids): (the copies, some given a new identity;
        uid -> the short id of the interview each joins; a copy's id -> in words, the other
        interview whose identity it came with).

        The interview the store has under a copy's `uid` is the same interview if it was begun at
        the copy's moment (uid and created_at are fixed once stored), or this store's user made it
        (a push clamps a moment ahead of the server's clock). Otherwise it is another interview
        under that identity (a row made to catch this copy's merges): the copy is kept apart,
        under `kept_apart_uid`, never merged into it. Whether the user may change the same
        interview is the merge's to check, as ever.
        """
        homes, out, apart = dict(found), [], {}
        user = self.db.user
        for record in records:
            home = found.get(record.uid)
            placed = record
            if home is not None and home in made:
                created_at, created_by, organization = made[home]
                if created_by != user and not same_moment(created_at, record.created_at):
                    apart[record.id] = f"{home} ({organization}, created {created_at})"
                    placed = dataclasses.replace(record, uid=kept_apart_uid(record.uid, user))
                    homes.pop(record.uid, None)
            out.append(placed)
        if apart:
            homes.update(self.ids_by_uid([r.uid for r in out if r.id in apart]))
        return out, homes, apart

    def made_of(self, ids: Iterable[str]) -> dict[str, tuple[str, str, str]]:
        """(created_at, created_by, organization) of each of these interviews the store has."""
        wanted = sorted(set(ids))
        made = {}
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            marks = ", ".join("?" * len(batch))
            for row in self.db.execute(
                f"SELECT id, created_at, created_by, organization FROM interviews WHERE id IN ({marks})",
                batch,
            ):
                made[row[0]] = (row[1], row[2], row[3])
        return made

    def updated_times(self, ids: list[str]) -> dict[str, str]:
        """When each of these interviews (those the store has) was last changed."""
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self.db.execute(f"SELECT id, updated_at FROM interviews WHERE id IN ({marks})", ids)
        return {r[0]: r[1] for r in rows}

    def write(self, records: list[tuple[Interview, str]], *, replacing: Iterable[str] = ()) -> None:
        """Write whole interviews (ids and times kept) with their snapshot keys, a batch at once.

        Interviews named in `replacing` are deleted first, with everything they hold (only the
        replica does that, with its own copies). A record without an identity, line ids or
        follow-up ids gets them (`store.merge.normalized`). Call inside `transaction()`: a batch is
        only kept when the whole transaction is.
        """
        db = self.db
        doomed = [(interview_id,) for interview_id in replacing]
        for (interview_id,) in doomed:
            db.check_may_change(interview_id)
        if doomed:
            forget(db, "interviews", doomed)
        records = [(normalized(r), key) for r, key in records]
        db.executemany(
            INTERVIEWS.insert(),
            [INTERVIEWS.values(r, key, **self._authorship(r)) for r, key in records],
        )
        db.executemany(
            CONTACTS.insert(),
            [CONTACTS.values(c, r.id, i) for r, _ in records for i, c in enumerate(r.contacts)],
        )
        db.executemany(  # the lines first: the trail says a line was added before it was rated
            NOTE_LINES.insert(),
            [
                NOTE_LINES.values(line, r.id, a.question_id)
                for r, _ in records
                for a in r.answers.values()
                for line in a.lines
            ],
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

    def apply(self, stored: Interview, merged: Merged, *, writes: Writes | None = None) -> list[Conflict]:
        """Write into the store's copy `stored` what the merge `merged` adds or changes: lines only
        added (or marked gone), rows changed only where a value did; nothing is deleted. The values
        that lost go to the history. Returns the conflicts not already in it (each is named once).
        With `writes`, the rows wait there for its `flush` (several interviews' a table at a time).
        Call inside `transaction()`."""
        db, record, interview_id = self.db, merged.interview, stored.id
        db.check_may_change(interview_id)
        kept = self._kept(interview_id) if merged.conflicts else set()
        fresh = [c for c in merged.conflicts if (c.field, c.lost_stamp) not in kept]
        at = now()
        self._insert_lost(
            interview_id,
            [LostValue(c.field, json.dumps(plain(c.lost), ensure_ascii=False), c.lost_stamp, c.kept_stamp, at)
             for c in fresh],
        )  # fmt: skip
        if not merged.changed:
            return fresh
        own = writes is None
        out = Writes() if writes is None else writes
        stored = normalized(stored)
        keys = {c: INTERVIEWS.worked_out[c](record) for c in _keys(db)}
        out.interviews.append(
            (*(getattr(record, n) for n in _APPLIED), *keys.values(), json.dumps(record.stamps), db.user,
             interview_id)
        )  # fmt: skip
        if record.contacts != stored.contacts:
            out.contacts_gone.append((interview_id,))
            out.contacts.extend(CONTACTS.values(c, interview_id, i) for i, c in enumerate(record.contacts))
        for question_id, answer in record.answers.items():
            before = stored.answers.get(question_id)
            row = ANSWERS.values(answer, interview_id)
            if before is None or ANSWERS.values(before, interview_id) != row:
                out.answers.append(row)
            had = {line.id: line for line in before.lines} if before is not None else {}
            out.lines.extend(
                NOTE_LINES.values(x, interview_id, question_id) for x in answer.lines if x.id not in had
            )
            out.gone.extend(
                (x.gone, interview_id, x.id) for x in answer.lines if x.id in had and x.gone != had[x.id].gone
            )
        if record.reflection is not None and (
            stored.reflection is None
            or REFLECTIONS.values(record.reflection, "", "") != REFLECTIONS.values(stored.reflection, "", "")
            or record.reflection.follow_ups != stored.reflection.follow_ups
        ):
            reflection = record.reflection
            out.reflections.append(REFLECTIONS.values(reflection, interview_id, now()))
            out.follow_ups_gone.append((interview_id,))
            out.follow_ups.extend(
                FOLLOW_UPS.values(f, interview_id, i) for i, f in enumerate(reflection.follow_ups)
            )
        for key in [k for k in self._seen if k[0] == interview_id]:
            del self._seen[key]  # what this object read of it is not what the store has now
        if own:
            out.flush(db)
        return fresh

    def history(self, interview_id: str) -> list[LostValue]:
        """The values that lost a merge, in the order they were kept."""
        rows = self.db.execute(
            VALUE_HISTORY.select() + " WHERE interview_id = ? ORDER BY id", (interview_id,)
        )
        return [VALUE_HISTORY.record_of(r) for r in rows]

    def keep_lost(self, interview_id: str, values: Iterable[LostValue]) -> int:
        """Keep in the interview's history values that lost a merge elsewhere (an export's): one
        it has already (the same field and stamp) stays as it is. Returns how many were new. A
        conflict kept here is not named again by a later merge (`apply`). Call inside
        `transaction()`."""
        values = list(values)
        if not values:
            return 0
        self.db.check_may_change(interview_id)
        kept = self._kept(interview_id)
        new = []
        for value in values:
            if (value.field, value.stamp) not in kept:
                kept.add((value.field, value.stamp))
                new.append(value)
        self._insert_lost(interview_id, new)
        return len(new)

    def _kept(self, interview_id: str) -> set[tuple[str, str]]:
        """(field, stamp) of each value the interview's history keeps."""
        rows = self.db.execute(
            "SELECT field, stamp FROM value_history WHERE interview_id = ?", (interview_id,)
        )
        return {(r[0], r[1]) for r in rows}

    def _insert_lost(self, interview_id: str, values: list[LostValue]) -> None:
        self.add_history([(interview_id, v) for v in values])

    def add_history(self, rows: list[tuple[str, LostValue]]) -> None:
        """Keep (interview id, lost value) rows in one statement; one the history has already
        (field and stamp) is left as it is. For interviews this transaction wrote (`write`): the
        others go through `keep_lost`, which checks the lease and counts."""
        if rows:
            self.db.executemany(
                VALUE_HISTORY.insert(on_conflict="ON CONFLICT (interview_id, field, stamp) DO NOTHING"),
                [VALUE_HISTORY.values(v, interview_id) for interview_id, v in rows],
            )

    def export_rows(self) -> Iterator[dict]:
        """Every interview as plain JSON-ready data, in id order, one at a time (memory stays flat).

        The shape is that of an `Interview` (its fields in their order), with `snapshot` the key of
        its questions' snapshot, then `lost_values`: the values of its history that lost a merge.
        Each table is read by one cursor sorted by interview id and merged here; call inside
        `reading()` so the cursors see the same store.
        """
        db = self.db
        contacts = Groups(db.execute(CONTACTS.select("interview_id") + " ORDER BY interview_id, position"))
        answers = Groups(db.execute(ANSWERS.select("interview_id") + " ORDER BY interview_id, question_id"))
        lines = Groups(
            db.execute(NOTE_LINES.select("interview_id", "question_id") + " ORDER BY interview_id, stamp, id")
        )
        reflections = Groups(db.execute(REFLECTIONS.select("interview_id") + " ORDER BY interview_id"))
        follow_ups = Groups(
            db.execute(FOLLOW_UPS.select("interview_id") + " ORDER BY interview_id, position")
        )
        lost = Groups(db.execute(VALUE_HISTORY.select("interview_id") + " ORDER BY interview_id, id"))
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
            by_question: dict[str, list[dict]] = {}
            for line in lines.take(interview_id):
                by_question.setdefault(line[1], []).append(NOTE_LINES.data(line, 2))
            data["answers"] = {}
            for a in answers.take(interview_id):
                answer = ANSWERS.data(a, 1)
                kept = by_question.get(answer["question_id"], [])
                answer["notes"] = "\n".join(x["text"] for x in kept if not x["gone"])
                answer["lines"] = kept
                data["answers"][a[1]] = {name: answer[name] for name in _ANSWER_FIELDS}
            data["reflection"] = reflection
            exported = {name: data[name] for name in _INTERVIEW_FIELDS}
            exported["lost_values"] = [VALUE_HISTORY.data(v, 1) for v in lost.take(interview_id)]
            yield _placed_data(exported)


def _placed_data(exported: dict) -> dict:
    """An exported interview with the `@wall` stamps this machine made before it first reached the
    team server placed in the server's time (`store.clock.placed`, the rule a push and the merge
    follow), where this process knows the placement: what leaves the machine is in one time.
    Only stamps are touched, never text."""
    from leadcli.store.clock import WALL, placed

    def place(holder: dict | None, *names: str) -> None:
        for name in names:
            value = holder.get(name) if holder is not None else None
            if isinstance(value, str) and value.endswith(WALL):
                holder[name] = placed(value)  # type: ignore[index]

    def place_all(stamps: dict) -> None:
        place(stamps, *list(stamps))

    place_all(exported["stamps"])
    for answer in exported["answers"].values():
        place_all(answer["stamps"])
        for line in answer["lines"]:
            place(line, "stamp", "gone")
    reflection = exported["reflection"]
    if reflection is not None:
        place_all(reflection["stamps"])
        for item in reflection["follow_ups"]:
            place(item, "stamp")
    for value in exported["lost_values"]:
        place(value, "stamp", "winner_stamp")
    return exported


_INTERVIEW_FIELDS = tuple(f.name for f in dataclasses.fields(Interview))
_ANSWER_FIELDS = tuple(f.name for f in dataclasses.fields(Answer))
