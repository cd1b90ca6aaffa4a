"""Moving records between machines: export to JSON or CSV, and import a JSON export back.

An export is one JSON object: a header, then `snapshots` (each distinct set of questions once, by
the SHA-256 of its text), then one top-level list per kind of record (`interviews`), one record a
line. Both directions stream, so a store of any size never has to fit in memory: the export reads
one consistent snapshot of the store, and the import checks every record as strictly as an answers
file and writes them in batches inside one transaction, so it lands whole or not at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from leadcli import __version__
from leadcli.errors import ContentError
from leadcli.json_stream import JsonLines, JsonStream, NotJson
from leadcli.progress import SILENT, Progress, counted
from leadcli.store.db import Store
from leadcli.store.records import Interview, LostValue, Snapshot
from leadcli.store.snapshots import snapshot_text
from leadcli.store.trail import Erasure
from leadcli.untrusted import json_escaped

if TYPE_CHECKING:  # the import's checks need pydantic, which an export never imports
    from leadcli.services.import_check import Questions

EXPORT_KIND = "leadcli-export"
EXPORT_SCHEMA_VERSION = 1
BATCH = 500
"""Interviews written per batch on import (all inside the one transaction)."""


def _dumps(value: Any) -> str:
    return _escaped(json.dumps(value, ensure_ascii=False))


def _escaped(text: str) -> str:
    """JSON text with C1 and bidi controls spelled `\\uXXXX`; all-ASCII text (the usual kind,
    known at once) cannot hold any."""
    return text if text.isascii() else json_escaped(text)


# --- export ---------------------------------------------------------------------------------


# The header an export opens with, before its sections; import refuses any other field there.
HEADER_FIELDS = ("kind", "schema_version", "leadcli_version", "exported_at")


def export_json(store: Store, progress: Progress = SILENT) -> Iterator[str]:
    """Every interview, whole, as the chunks of one JSON document, read from one store snapshot."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    values = (EXPORT_KIND, EXPORT_SCHEMA_VERSION, __version__, now)
    header = dict(zip(HEADER_FIELDS, values, strict=True))
    yield "{\n" + "".join(f"  {_dumps(k)}: {_dumps(v)},\n" for k, v in header.items())
    with store.reading():
        keys: dict[str, str] = {}  # the store's key -> the key of the text as exported
        lines = []
        for stored_key, stored_text in store.snapshots.texts().items():
            text, key = snapshot_text(json.loads(stored_text))
            keys[stored_key] = key
            lines.append(f"    {_dumps(key)}: {_escaped(text)}")
        yield '  "snapshots": {\n' + ",\n".join(lines) + "\n  },\n"
        yield '  "interviews": ['
        count = 0
        rows = counted(store.interviews.export_rows(), progress, store.interviews.count())
        for index, data in enumerate(rows):
            data["snapshot"] = keys[data["snapshot"]]
            count += 1
            yield ("," if index else "") + "\n    " + _dumps(data)
        yield "\n  ],\n" + _outcomes_json(store)
    store.trail.note_export(count)
    yield "}\n"


JSONL_TYPES = ("header", "snapshot", "interview", "outcome")
"""The kinds of line in a JSON Lines export, in the order they come (each line's `type`)."""


def export_jsonl(store: Store, progress: Progress = SILENT) -> Iterator[str]:
    """The same records as `export_json`, one JSON object a line (JSON Lines), each with its `type`:
    the header, each snapshot (with its `key`), each interview, each outcome. Nothing is held but
    the record being written, so it streams into `jq` or another program at any size."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    header = dict(zip(HEADER_FIELDS, (EXPORT_KIND, EXPORT_SCHEMA_VERSION, __version__, now), strict=True))
    yield _dumps({"type": "header", **header}) + "\n"
    with store.reading():
        keys: dict[str, str] = {}
        for stored_key, stored_text in store.snapshots.texts().items():
            text, key = snapshot_text(json.loads(stored_text))
            keys[stored_key] = key
            members = text[1:] if text != "{}" else "}"
            yield f'{{"type": "snapshot", "key": {_dumps(key)}, ' + _escaped(members) + "\n"
        count = 0
        for data in counted(store.interviews.export_rows(), progress, store.interviews.count()):
            data["snapshot"] = keys[data["snapshot"]]
            count += 1
            yield _dumps({"type": "interview", **data}) + "\n"
        from dataclasses import asdict

        for outcome in store.outcomes.list():
            yield _dumps({"type": "outcome", **asdict(outcome)}) + "\n"
    store.trail.note_export(count)


def _outcomes_json(store: Store) -> str:
    """The `outcomes` section: every outcome recorded (the history, not only the latest), one a line."""
    from dataclasses import asdict

    rows = ",\n".join(f"    {_dumps(asdict(o))}" for o in store.outcomes.list())
    return f'  "outcomes": [\n{rows}\n  ]\n' if rows else '  "outcomes": []\n'


class CsvRow(NamedTuple):
    """One row of the CSV export: one question of one interview (its fields are the header)."""

    interview_id: str
    organization: str
    interviewer: str
    region: str
    status: str
    created_at: str
    people: str
    question_id: str
    question_number: int
    category: str
    state: str
    rating: str
    cues: str
    notes: str
    verdict: str
    fit: str
    """The reflection's answers (the same on each of the interview's rows), then its follow-ups."""
    concerns: str
    gaps: str
    follow_ups: str
    updated_at: str


CSV_HEADER = list(CsvRow._fields)


def export_table(store: Store, progress: Progress = SILENT) -> tuple[list[str], Iterator[list[Any]]]:
    """One row per question per interview, for spreadsheets: the header, and the rows as a stream
    (written by `render.data.csv_chunks`, which defuses formulas)."""
    return CSV_HEADER, _export_rows(store, progress)


def _export_rows(store: Store, progress: Progress) -> Iterator[list[Any]]:
    count = 0
    with store.reading():
        snapshots = {
            key: Snapshot.from_data(json.loads(text)) for key, text in store.snapshots.texts().items()
        }
        for record in counted(store.interviews.export_rows(), progress, store.interviews.count()):
            count += 1
            people = "; ".join(_person(c) for c in record["contacts"])
            reflection = record["reflection"] or {}
            follow_ups = "; ".join(_follow_up(f) for f in reflection.get("follow_ups", ()))
            for question in snapshots[record["snapshot"]].questions:
                answer = record["answers"].get(question.id)
                explored = answer is not None and answer["state"] == "explored"
                given = answer if explored and answer else {}
                yield list(
                    CsvRow(
                        interview_id=record["id"],
                        organization=record["organization"],
                        interviewer=record["interviewer"],
                        region=record["region"],
                        status=record["status"],
                        created_at=record["created_at"],
                        people=people,
                        question_id=question.id,
                        question_number=question.number,
                        category=question.category,
                        state="explored" if explored else "not explored",
                        rating=given.get("rating") or "",
                        cues=";".join(
                            c + given.get("judgements", {}).get(c, "") for c in given.get("cues", ())
                        ),
                        notes=given.get("notes", ""),
                        verdict=reflection.get("verdict") or "",
                        fit=reflection.get("fit", ""),
                        concerns=reflection.get("concerns", ""),
                        gaps=reflection.get("gaps", ""),
                        follow_ups=follow_ups,
                        updated_at=record["updated_at"],
                    )
                )
    store.trail.note_export(count)


def _person(contact: dict) -> str:
    """`Ana Ruiz (CEO, executive)`: a contact in one cell, with the role when there is one."""
    about = ", ".join(part for part in (contact["role"], contact["level"]) if part)
    return f"{contact['name']} ({about})"


def _follow_up(item: dict) -> str:
    """`Send proposal (Kim, due 2027-01-15)`: a follow-up in one cell."""
    about = ", ".join(part for part in (item["owner"], f"due {item['due']}" if item["due"] else "") if part)
    return f"{item['text']} ({about})" if about else item["text"]


# --- import ---------------------------------------------------------------------------------


@dataclass(kw_only=True)
class ImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    """Interviews the store had (the same `uid`) that the file's copy added to (`store.merge`)."""
    skipped: list[str] = field(default_factory=list)
    """Interviews the store had that the file's copy brought nothing new to."""
    renamed: list[tuple[str, str]] = field(default_factory=list)
    """(the file's id, the id it was added under): another interview of the store has that id."""
    conflicts: list[str] = field(default_factory=list)
    """The values both copies changed, in words: which was kept, which went to the history."""
    outcomes_added: int = 0
    """Outcomes the store did not have (one with the same id is the same outcome)."""
    erased: list[tuple[str, str, Erasure]] = field(default_factory=list)
    """(the file's id, its organization, the erasure): interviews an erasure removed from the store,
    skipped (an erasure is never undone by an import)."""
    outcomes_erased: int = 0
    """Outcomes an erasure removed from the store, skipped."""
    kept_apart: list[tuple[str, str, str]] = field(default_factory=list)
    """(the file's id, the id it is kept under, the store's interview in words): the store's
    interview under the file's interview's identity is another interview (begun at another
    moment, not by the importer); the file's was kept apart, under an identity of its own
    (`Interviews.homes`)."""
    ahead: list[tuple[str, int, int]] = field(default_factory=list)
    """(the interview's id here, how many of its stamps, how far ahead at most in ms): edits the
    file stamped ahead of this machine's clock (or the team server's time), placed below it."""

    def ahead_words(self) -> str | None:
        """The one line that names the stamps ahead (None when there were none)."""
        if not self.ahead:
            return None
        from leadcli.store.clock import skew_words

        count, furthest = sum(n for _, n, _ in self.ahead), max(ms for _, _, ms in self.ahead)
        ids = ", ".join(interview_id for interview_id, _, _ in self.ahead)
        how_far = skew_words(-max(furthest, 1000)).removesuffix(" ahead of")
        return (
            f"{count} edit(s) of interview(s) {ids} were stamped up to {how_far} ahead of this"
            " machine's clock (the clock where the file was made was ahead): they rank as made"
            " before this import and every edit this store had, never above a later one"
        )


class ImportRefused(ContentError):
    """An export with problems: every problem is listed, and nothing was imported."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(problems, about=_about(path))
        self.hint = "nothing was imported"


def _about(path: Path) -> str:
    return f"the import file {path}"


_JSONL_START = re.compile(r'\ufeff?[ \t]*\{[ \t]*"type"[ \t]*:')
"""How a JSON Lines export begins (its first line is `{"type": "header", ...}`)."""


def import_records(store: Store, path: Path, progress: Progress = SILENT) -> ImportResult:
    """Bring in a JSON or JSON Lines export: all of it, in one transaction, or (with any problem)
    none of it.

    Interviews the store lacks are added. One the store has (the same identity, `uid`) is merged
    with the file's copy (`store.merge`): lines are added, single values resolve by their clock
    stamps, and a value both changed is named as a conflict and kept in the history; nothing is
    replaced, not even an interview open live. Each interview's `lost_values` (its history's)
    are kept in the store's history once, and a conflict they hold is not named again. A
    different interview under an id the store has is added under a new id. Importing the same
    file again changes nothing. An interview or outcome an organization's erasure removed from
    the store (its tombstone, `store.trail`) is skipped and named in the result, never brought
    back.
    """
    try:
        handle = path.open(encoding="utf-8", newline="")
    except FileNotFoundError:
        raise ContentError([f"{path}: file not found"], about=_about(path)) from None
    except OSError as exc:
        raise ContentError([f"{path}: cannot read: {exc.strerror or exc}"], about=_about(path)) from None
    with handle, store.transaction("imported"):
        try:
            lines = bool(_JSONL_START.match(handle.read(64)))
            handle.seek(0)
            progress.start(path.stat().st_size)
            reading = _Counted(handle, progress)
            if lines:
                result, problems = _LinesImporter(store, path, JsonLines(reading)).run()
            else:
                result, problems = _Importer(store, path, JsonStream(reading)).run()
        except NotJson as exc:
            raise ContentError(
                [f"{path}:{exc.line}: not valid JSON: {exc.text}"], about=_about(path)
            ) from None
        except UnicodeDecodeError as exc:
            raise ContentError(
                [f"{path}: cannot read: not UTF-8 ({exc.reason})"], about=_about(path)
            ) from None
        except OSError as exc:
            raise ContentError([f"{path}: cannot read: {exc.strerror or exc}"], about=_about(path)) from None
        if problems:
            raise ImportRefused(path, problems)  # leaving the transaction undoes every write
    return result


class _Counted:
    """A text file whose reads are counted on a `Progress`, in bytes (as UTF-8), as they are read."""

    def __init__(self, handle: IO[str], progress: Progress) -> None:
        self.handle = handle
        self.progress = progress

    def read(self, size: int = -1) -> str:
        text = self.handle.read(size)
        self.progress.advance(len(text.encode()))
        return text

    def seek(self, offset: int) -> int:
        return self.handle.seek(offset)

    def __iter__(self) -> Iterator[str]:
        for line in self.handle:
            self.progress.advance(len(line.encode()))
            yield line


class _Importer:
    """One pass over an export: check each record once, write it in batches while all is well."""

    def __init__(self, store: Store, path: Path, stream: Any) -> None:
        self.store = store
        self.path = path
        self.stream = stream  # a JsonStream; a JsonLines for `_LinesImporter`
        from leadcli.services.import_check import Problems

        self.check = Problems(path)
        self.result = ImportResult()
        self.header: dict[str, Any] = {}
        self.snapshots: dict[str, Questions] = {}
        self.seen: dict[str, int] = {}  # interview id -> the index of the record that had it
        self.uids: dict[str, int] = {}  # interview identity -> the index of the record that had it
        self.batch: list[tuple[Interview, Questions, list[LostValue]]] = []
        self.sections: dict[str, Callable[[], None]] = {
            "snapshots": self.read_snapshots,
            "interviews": self.read_interviews,
            "outcomes": self.read_outcomes,
        }
        self.outcome_ids: dict[str, int] = {}  # outcome id -> the index of the record that had it

    def run(self) -> tuple[ImportResult, list[str]]:
        self.read()
        return self.result, self.check.problems

    def read(self) -> None:
        stream, done = self.stream, set()
        if stream.peek() != "{":
            stream.take("{", "a JSON object")
        for name in stream.names():
            if name in done or name in self.header:
                raise NotJson(stream.line(stream.key_at), f"{name!r} is given twice")
            if name in self.sections:
                self.header_checked()
                if name == "interviews" and "snapshots" not in done:
                    self.check.add(name, "must come after `snapshots` (as `leadcli export` writes them)")
                    stream.value()
                else:
                    self.sections[name]()
                done.add(name)
            elif isinstance(value := stream.value(), list | dict):
                self.check.add(name, "unknown section; sections are: " + ", ".join(self.sections))
            elif name not in HEADER_FIELDS:
                self.check.add(name, "unknown field; an export's header has: " + ", ".join(HEADER_FIELDS))
            else:
                self.header[name] = value
        if stream.peek():
            raise NotJson(stream.line(), "more text after the end of the export")
        self.header_checked()
        if not self.check.problems and not {"snapshots", "interviews"} <= done:
            raise ContentError(
                [f"{self.path}: an export needs `snapshots` (an object) and `interviews` (a list)"],
                about=_about(self.path),
            )

    def header_checked(self) -> None:
        if self.header.get("kind") != EXPORT_KIND:
            raise ContentError(
                [f"{self.path}: not a leadcli export (made with `leadcli export --format json`)"],
                about=_about(self.path),
            )
        version = self.header.get("schema_version")
        if version != EXPORT_SCHEMA_VERSION:
            raise ContentError(
                [
                    f"{self.path}: export schema_version {version!r};"
                    f" this leadcli reads {EXPORT_SCHEMA_VERSION}"
                ],
                about=_about(self.path),
            )

    def read_snapshots(self) -> None:
        from leadcli.services.import_check import check_snapshot

        for key, data in self.stream.members():
            questions = check_snapshot(self.check, key, data)
            if questions is not None:
                self.snapshots[key] = questions

    def read_interviews(self) -> None:
        for index, item in enumerate(self.stream.items()):
            self.interview(item, index)
        self.flush()

    def interview(self, item: Any, index: int) -> None:
        """Check one interview record and queue it for the next batch."""
        from leadcli.services.import_check import check_interview

        checked = check_interview(self.check, item, index, self.snapshots, nul=self.stream.nul)
        if checked is None:
            return
        record, questions, lost = checked
        if record.id in self.seen:
            self.check.add(
                f"interviews[{index}].id",
                f"{record.id!r} is also the id of interviews[{self.seen[record.id]}]",
            )
            return
        self.seen[record.id] = index
        if record.uid and record.uid in self.uids:
            self.check.add(
                f"interviews[{index}].uid",
                f"{record.uid!r} is also the identity of interviews[{self.uids[record.uid]}]: one"
                " interview, given twice",
            )
            return
        if record.uid:
            self.uids[record.uid] = index
        self.batch.append((record, questions, lost))
        if len(self.batch) >= BATCH:
            self.flush()

    def read_outcomes(self) -> None:
        """Outcomes are checked like interviews and written in the same transaction."""
        for index, item in enumerate(self.stream.items()):
            self.outcome(item, index)

    def outcome(self, item: Any, index: int) -> None:
        from leadcli.services.import_check import check_outcome

        outcome, problems = check_outcome(item, f"outcomes[{index}]")
        self.check.problems += [f"{self.check.at()}: {problem}" for problem in problems]
        if outcome is None:
            return
        if outcome.id in self.outcome_ids:
            self.check.add(
                f"outcomes[{index}].id",
                f"{outcome.id!r} is also the id of outcomes[{self.outcome_ids[outcome.id]}]",
            )
            return
        self.outcome_ids[outcome.id] = index
        if not self.check.problems:  # after a problem, only checking goes on
            if self.store.trail.erased([outcome.id]):  # an erasure removed it: never brought back
                self.result.outcomes_erased += 1
                return
            self.result.outcomes_added += self.store.outcomes.write([outcome])

    def flush(self) -> None:
        if not self.check.problems and self.batch:  # after a problem, only checking goes on
            _write_batch(self.store, self.batch, self.result)
        self.batch = []


class _LinesImporter(_Importer):
    """A JSON Lines export (`export -f jsonl`): the same records, one a line, each with its `type`;
    a problem is named by its line."""

    def read(self) -> None:
        counts = dict.fromkeys(JSONL_TYPES, 0)
        for number, value in self.stream.records():
            self.check.line = number
            kind = value.get("type") if isinstance(value, dict) else None
            if not counts["header"] and kind != "header":
                raise ContentError(
                    [f"{self.path}:{number}: not a leadcli export: its first line must be the header"
                     ' ({"type": "header", ...}, as `leadcli export -f jsonl` writes it)'],
                    about=_about(self.path),
                )  # fmt: skip
            if kind not in JSONL_TYPES:
                self.check.add("type", f"{kind!r} is not a kind of line; kinds are: {', '.join(JSONL_TYPES)}")
                continue
            record = {name: member for name, member in value.items() if name != "type"}
            if kind == "header":
                self.read_header(record, again=bool(counts["header"]))
            elif kind == "snapshot":
                if counts["interview"]:
                    self.check.add(
                        "type", "a snapshot must come before the interviews (as `leadcli export` writes them)"
                    )
                else:
                    self.read_snapshot(record)
            elif kind == "interview":
                self.interview(record, counts["interview"])
            else:
                self.outcome(record, counts["outcome"])
            counts[kind] += 1
        self.check.line = 0
        self.flush()
        if not counts["header"]:
            raise ContentError(
                [f"{self.path}: the file is empty, not a leadcli export"], about=_about(self.path)
            )

    def read_header(self, record: dict, *, again: bool) -> None:
        if again:
            self.check.add("type", "a second header; an export has one, on its first line")
            return
        for name, value in record.items():
            if name not in HEADER_FIELDS:
                self.check.add(name, "unknown field; an export's header has: " + ", ".join(HEADER_FIELDS))
            else:
                self.header[name] = value
        self.header_checked()

    def read_snapshot(self, record: dict) -> None:
        from leadcli.services.import_check import check_snapshot, type_name

        key = record.pop("key", None)
        if not isinstance(key, str):
            self.check.add(
                "key", f"a snapshot's key must be the SHA-256 of its questions, not {type_name(key)}"
            )
            return
        questions = check_snapshot(self.check, key, record)
        if questions is not None:
            self.snapshots[key] = questions


def _write_batch(
    store: Store, batch: list[tuple[Interview, Questions, list[LostValue]]], result: ImportResult
) -> None:
    """Write one batch: new interviews added, the store's own merged with the file's copies; the
    values each copy's history kept join the store's (a conflict settled there is not named again)."""
    from leadcli.store.merge import merge, newest_stamp, normalized
    from leadcli.store.push import not_ahead

    interviews, db = store.interviews, store.connection
    server_ms = db.dialect.time_ms(db)
    now_ms = server_ms if server_ms is not None else db.clock.physical_ms()
    records = [(normalized(record), questions, lost) for record, questions, lost in batch]
    found = interviews.ids_by_uid([record.uid for record, _, _ in records])
    placed, homes, apart = interviews.homes(
        [record for record, _, _ in records], found, interviews.made_of(found.values())
    )
    records = [(record, q, lost) for record, (_, q, lost) in zip(placed, records, strict=True)]
    erased = store.trail.erased(record.uid for record, _, _ in records if record.uid not in homes)
    result.erased += [(r.id, r.organization, erased[r.uid]) for r, _, _ in records if r.uid in erased]
    records = [(record, q, lost) for record, q, lost in records if record.uid not in erased]
    taken = set(interviews.updated_times([record.id for record, _, _ in records]))
    writes: list[tuple[Interview, str]] = []
    histories: list[tuple[str, list[LostValue]]] = []
    for given, questions, lost in records:
        home = homes.get(given.uid)
        stored = interviews._load(home) if home is not None else None
        record, ahead, furthest = not_ahead(given, now_ms, stored)  # no edit from the future
        if ahead:
            result.ahead.append((home or given.id, ahead, furthest))
        db.clock.observe(newest_stamp(record))  # an edit after this import sorts after all it holds
        if questions.stored_key is None:
            questions.stored_key = store.snapshots.add(questions.data)
        if given.id in apart:
            result.kept_apart.append((given.id, home or given.id, apart[given.id]))
        if home is not None and stored is not None:
            kept = interviews.keep_lost(home, lost)  # before the merge: what it settled is known
            stored = interviews._load(home)
            merged = merge(stored, replace(record, id=home))
            fresh = interviews.apply(stored, merged)  # a conflict newly kept changed its history
            result.conflicts += [c.describe(home) for c in fresh]
            (result.updated if merged.changed or fresh or kept else result.skipped).append(home)
            continue
        if record.id in taken:
            new = interviews.free_id(db)
            while new in taken:
                new = interviews.free_id(db)
            if record.id in apart:  # said once, as kept apart, under the id it now has
                result.kept_apart[-1] = (record.id, new, apart[record.id])
            else:
                result.renamed.append((record.id, new))
            record = replace(record, id=new)
        taken.add(record.id)
        homes[record.uid] = record.id
        result.added.append(record.id)
        writes.append((record, questions.stored_key))
        histories.append((record.id, lost))
    interviews.write(writes)
    interviews.add_history([(interview_id, v) for interview_id, lost in histories for v in lost])
