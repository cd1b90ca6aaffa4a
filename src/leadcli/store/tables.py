"""How each record is kept: its table and columns, derived from the record's one declaration.

A record (`store/records.py`) is a typed dataclass. Its plain fields (text, a number, a vocabulary's
`Literal`) are columns of the same name; a list of text is one column holding JSON; a field that
holds other records (contacts, answers, a reflection, follow-ups) is rows of their own table, and a
record of fields kept in its parent's row (the content stamp) adds its fields as columns. A table
adds the columns that place a row (`interview_id`, `position`, the snapshot's key) and any column
worked out from the record (`org_key`, `interviewer_key`). From that come the column lists, the
INSERT, the mapping of a row to its record and the export's shape (`data`) — nothing here is
written out twice.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import Any

from leadcli.names import name_key
from leadcli.store.records import (
    Answer,
    Contact,
    FollowUp,
    Interview,
    LostValue,
    NoteLine,
    Outcome,
    Reflection,
)


def without_none(kind: Any) -> Any:
    """`kind` without `| None`."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        rest = [k for k in typing.get_args(kind) if k is not type(None)]
        return rest[0] if len(rest) == 1 else kind
    return kind


def _holds_records(kind: Any) -> bool:
    kind = without_none(kind)
    if dataclasses.is_dataclass(kind):
        return True
    return any(dataclasses.is_dataclass(k) for k in typing.get_args(kind))


def _is_text_list(kind: Any) -> bool:
    """A list of text, or text to text (topic judgements, domain levels: a vocabulary's words are
    text): kept as one JSON column."""
    origin, args = typing.get_origin(without_none(kind)), typing.get_args(without_none(kind))
    return (origin is list and args == (str,)) or (origin is dict and args[0] is str)


@dataclass(frozen=True)
class Table:
    """One record's table. `given` columns are placed by the caller (first, in this order)."""

    name: str
    record: type
    given: tuple[str, ...] = ()
    inline: tuple[str, ...] = ()
    """Fields holding a record whose own fields are columns of this table (the content stamp)."""
    renamed: dict[str, str] = field(default_factory=dict)
    """Field -> column, where the column's name differs (a migration is history)."""
    worked_out: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    """Column -> how it is worked out from the record (kept for queries, not a field)."""
    elsewhere: tuple[str, ...] = ()
    """Plain fields kept elsewhere, not as columns (an answer's notes: its lines' text)."""

    @cached_property
    def _hints(self) -> dict[str, Any]:
        return typing.get_type_hints(self.record)

    @cached_property
    def fields(self) -> tuple[str, ...]:
        """The record's fields kept as columns of this table, in declaration order."""
        return tuple(
            f.name
            for f in dataclasses.fields(self.record)
            if not _holds_records(self._hints[f.name]) and f.name not in self.elsewhere
        )

    @cached_property
    def inlined(self) -> tuple[tuple[str, type, tuple[str, ...]], ...]:
        """(field, its record type, that record's fields) for each inline field."""
        found = []
        for name in self.inline:
            kind = without_none(self._hints[name])
            found.append((name, kind, tuple(f.name for f in dataclasses.fields(kind))))
        return tuple(found)

    @cached_property
    def json_fields(self) -> frozenset[str]:
        return frozenset(name for name in self.fields if _is_text_list(self._hints[name]))

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """Every column this table writes, in the order `values` gives them."""
        own = tuple(self.renamed.get(name, name) for name in self.fields)
        inlined = tuple(name for _, _, names in self.inlined for name in names)
        return (*self.given, *own, *inlined, *self.worked_out)

    @cached_property
    def selected(self) -> tuple[str, ...]:
        """The columns `record` and `data` read, in the order they read them."""
        own = tuple(self.renamed.get(name, name) for name in self.fields)
        return (*own, *(name for _, _, names in self.inlined for name in names))

    def insert(self, *, on_conflict: str = "") -> str:
        """`INSERT INTO table (columns) VALUES (?, ...)`, with `on_conflict` (an ON CONFLICT clause)."""
        marks = ", ".join("?" * len(self.columns))
        sql = f"INSERT INTO {self.name} ({', '.join(self.columns)}) VALUES ({marks})"
        return f"{sql} {on_conflict}" if on_conflict else sql

    def upsert(self, key: Sequence[str]) -> str:
        """An INSERT that replaces the row with the same `key` columns."""
        changed = ", ".join(f"{c} = excluded.{c}" for c in self.columns if c not in key)
        return self.insert(on_conflict=f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {changed}")

    def aliased(self, alias: str) -> str:
        """The columns `record_of` reads, each as `alias.column` (for a query that joins tables)."""
        return ", ".join(f"{alias}.{column}" for column in self.selected)

    def select(self, *leading: str) -> str:
        """`SELECT leading..., columns FROM table` (what `record` and `data` read, after `leading`)."""
        return f"SELECT {', '.join((*leading, *self.selected))} FROM {self.name}"

    @cached_property
    def _getter(self) -> Callable[[Any], tuple]:
        names = self.fields
        get = attrgetter(*names)
        return (lambda record: (get(record),)) if len(names) == 1 else get

    def values(self, record: Any, *given: Any, **instead: Any) -> tuple:
        """The row of `record` (after the `given` columns' values); `instead` overrides fields."""
        own = list(self._getter(record))
        for index, name in enumerate(self.fields):
            if name in instead:
                own[index] = instead[name]
            if name in self.json_fields:
                own[index] = json.dumps(own[index])
        inlined = [getattr(getattr(record, name), f) for name, _, names in self.inlined for f in names]
        return (*given, *own, *inlined, *(work(record) for work in self.worked_out.values()))

    def data(self, row: Sequence[Any], start: int = 0) -> dict[str, Any]:
        """The record's fields (and inline records, nested) from `row[start:]`, as JSON-ready data."""
        data = dict(zip(self.fields, row[start : start + len(self.fields)], strict=True))
        for name in self.json_fields:
            data[name] = json.loads(data[name])
        at = start + len(self.fields)
        for name, _, names in self.inlined:
            data[name] = dict(zip(names, row[at : at + len(names)], strict=True))
            at += len(names)
        return data

    def record_of(self, row: Sequence[Any], start: int = 0, **more: Any) -> Any:
        """The record from `row[start:]`, with `more` fields (those kept elsewhere) given."""
        data = self.data(row, start)
        for name, kind, _ in self.inlined:
            data[name] = kind(**data[name])
        return self.record(**data, **more)


INTERVIEWS = Table(
    "interviews",
    Interview,
    given=("snapshot_sha256",),
    inline=("stamp",),
    # `snapshot` is the emptied column of the copy each interview once kept (003_shared_snapshots).
    worked_out={
        "snapshot": lambda record: "",
        "org_key": lambda record: name_key(record.organization),
        "interviewer_key": lambda record: name_key(record.interviewer),
    },
)
CONTACTS = Table("contacts", Contact, given=("interview_id", "position"))
# `judgements` is the column `cue_judgements` (011_cue_judgements); the notes are the answer's
# lines (`NOTE_LINES`), the `notes` column left empty since 012_note_lines.
ANSWERS = Table(
    "answers",
    Answer,
    given=("interview_id",),
    renamed={"judgements": "cue_judgements"},
    elsewhere=("notes",),
)
NOTE_LINES = Table("note_lines", NoteLine, given=("interview_id", "question_id"))
REFLECTIONS = Table("reflections", Reflection, given=("interview_id", "updated_at"))
FOLLOW_UPS = Table("follow_ups", FollowUp, given=("interview_id", "position"))
# Its `id` column (a serial) is the order the values were kept in; one value is kept once
# (`value_history_once`: interview, field, stamp).
VALUE_HISTORY = Table("value_history", LostValue, given=("interview_id",))
OUTCOMES = Table(
    "outcomes",
    Outcome,
    renamed={"date": "decided_on"},
    worked_out={"org_key": lambda record: name_key(record.organization)},
)
