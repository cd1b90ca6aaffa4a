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
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any, NamedTuple

from leadcli import __version__
from leadcli.errors import ContentError
from leadcli.json_stream import JsonLines, JsonStream, NotJson
from leadcli.progress import SILENT, Progress, counted
from leadcli.services.outcomes import check_outcome
from leadcli.store.db import Store
from leadcli.store.interviews import is_interview_id
from leadcli.store.records import (
    Answer,
    Contact,
    ContentStamp,
    FollowUp,
    Interview,
    Reflection,
    Snapshot,
)
from leadcli.store.snapshots import snapshot_text
from leadcli.untrusted import MAX_ITEMS, MAX_NAME, MAX_TEXT, clean_data, clean_input, json_escaped
from leadcli.vocabulary import (
    ANSWER_STATES,
    AUDIENCE_LEVELS,
    JUDGEMENTS,
    LEVELS,
    RATINGS,
    STATUSES,
    VERDICTS,
    status_for,
)

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
            people = "; ".join(f"{c['name']} ({c['level']})" for c in record["contacts"])
            verdict = (record["reflection"] or {}).get("verdict") or ""
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
                        verdict=verdict,
                    )
                )
    store.trail.note_export(count)


# --- import: checking each record -----------------------------------------------------------


def _is_unicode(text: str) -> bool:
    """False for text with a lone surrogate, which JSON can spell (`\\ud800`) but no store can keep."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list"}.get(
        type(value), "an object"
    )


class _Checker:
    """Collects problems as `FILE: path: what is wrong`, one line each."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []
        self.line = 0
        """The line of the record being checked, in a JSON Lines file (0: not named)."""

    def at(self) -> str:
        """`FILE` or `FILE:LINE`, where each problem's line begins."""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def add(self, where: str, text: str) -> None:
        self.problems.append(f"{self.at()}: {where}: {text}")

    def text(
        self, data: dict, name: str, where: str, *, required: bool = False, limit: int = MAX_TEXT
    ) -> str:
        value = data.get(name, "" if not required else None)
        if type(value) is str and len(value) > limit:
            self.add(f"{where}.{name}", f"is {len(value):,} characters; at most {limit:,} are taken")
            return ""
        if (
            type(value) is str
            and "\x00" not in value
            and (value.isascii() or _is_unicode(value))
            and (not required or value.strip())
        ):
            return value  # the usual case, first and fast
        if not isinstance(value, str):
            self.add(f"{where}.{name}", f"must be text, not {_type_name(value)}")
            return ""
        if not _is_unicode(value):
            self.add(f"{where}.{name}", "holds a lone surrogate (\\ud800-\\udfff), which is not text")
            return ""
        if required and not value.strip():
            self.add(f"{where}.{name}", "required field is missing or blank")
        return clean_input(value)  # NUL is dropped on the way in, as from the keyboard

    def choice(self, data: dict, name: str, where: str, allowed: tuple[str, ...], *, optional: bool) -> Any:
        value = data.get(name)
        if value is None and optional:
            return None
        if value not in allowed:
            self.add(f"{where}.{name}", f"{value!r} is not one of {', '.join(allowed)}")
            return None
        return value

    def moment(self, data: dict, name: str, where: str, *, optional: bool = False) -> str:
        """An ISO date and time with its time zone, as leadcli writes them."""
        value = data.get(name)
        if optional and value in (None, ""):
            return ""
        try:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.add(
                f"{where}.{name}",
                f"{value!r} is not a date and time with a time zone (like 2026-11-02T10:00:00+00:00)",
            )
            return ""
        if parsed > datetime.now(timezone.utc) + timedelta(days=1):
            # Newer wins on import: a time in the future would outrank every later edit.
            self.add(f"{where}.{name}", f"{value!r} is in the future")
            return ""
        return value  # type: ignore[return-value]

    def items(self, data: dict, name: str, where: str) -> list:
        """The list under `name` (empty when absent); anything else is a problem and counts as empty."""
        value = data.get(name, [])
        if isinstance(value, list) and len(value) > MAX_ITEMS:
            self.add(f"{where}.{name}", f"has {len(value):,} items; at most {MAX_ITEMS:,} are taken")
            return []
        if isinstance(value, list):
            return value
        self.add(f"{where}.{name}", f"must be a list, not {_type_name(value)}")
        return []

    def fields(self, data: Any, where: str, known: _Names) -> bool:
        """True if `data` is an object with no members but `known`."""
        if not isinstance(data, dict):
            self.add(where, f"must be an object, not {_type_name(data)}")
            return False
        if not known.set.issuperset(data):
            for name in data:
                if name not in known:
                    self.add(f"{where}.{name}", f"unknown field; fields are: {', '.join(known)}")
        return True


class _Names(tuple):
    """A record's field names in declaration order (for messages), with a set of them (for quick checks)."""

    set: frozenset[str]

    def __new__(cls, record: type) -> _Names:
        self = super().__new__(cls, (f.name for f in dataclass_fields(record)))
        self.set = frozenset(self)
        return self


# The fields an export holds are the records' own (an interview's `snapshot` is its snapshot's key).
_INTERVIEW_FIELDS = _Names(Interview)
_STAMP_FIELDS = _Names(ContentStamp)  # questions_source: older exports leave it out
_ANSWER_FIELDS = _Names(Answer)
_REFLECTION_FIELDS = _Names(Reflection)
_CONTACT_FIELDS = _Names(Contact)
_FOLLOW_UP_FIELDS = _Names(FollowUp)


_CUE_SHAPE = {"id": str, "text": str, "domains": [str]}
_QUESTION_SHAPE = {
    "id": str, "number": int, "category": str, "prompts": [str], "guidance": str, "domains": [str],
    "cues": [_CUE_SHAPE],
}  # fmt: skip


def _check_shape(check: _Checker, where: str, value: Any, shape: Any) -> None:
    """Check `value` against a shape: a type, `[shape]` for a list of them, or a dict of members
    (members not named are let be: newer content may add some)."""
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            check.add(where, f"must be an object, not {_type_name(value)}")
            return
        for name, inner in shape.items():
            if name not in value:
                check.add(f"{where}.{name}", "required field is missing")
            else:
                _check_shape(check, f"{where}.{name}", value[name], inner)
    elif isinstance(shape, list):
        if not isinstance(value, list):
            check.add(where, f"must be a list, not {_type_name(value)}")
            return
        for index, item in enumerate(value):
            _check_shape(check, f"{where}[{index}]", item, shape[0])
    elif type(value) is not shape:
        check.add(where, f"must be {_type_name(shape())}, not {_type_name(value)}")


@dataclass
class _Questions:
    """A snapshot as the import uses it: parsed and keyed once, however many interviews share it."""

    snapshot: Snapshot
    data: dict
    cues: dict[str, list[str]]
    stored_key: str | None = None


def _check_snapshot(check: _Checker, key: str, data: Any) -> _Questions | None:
    where = f"snapshots.{key}"
    before = len(check.problems)
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        check.add(where, "must be an object with `questions` and `reflection` lists")
        return None
    try:
        _, digest = snapshot_text(data)
    except UnicodeEncodeError:
        check.add(where, "holds a lone surrogate (\\ud800-\\udfff), which is not text")
        return None
    if digest != key:
        check.add(where, f"the questions' SHA-256 is {digest}, not the key they are filed under")
    for index, question in enumerate(data["questions"]):
        _check_shape(check, f"{where}.questions[{index}]", question, _QUESTION_SHAPE)
    reflection = data.get("reflection")
    if not isinstance(reflection, list):
        check.add(f"{where}.reflection", f"must be a list, not {_type_name(reflection)}")
    else:
        for index, item in enumerate(reflection):
            _check_shape(check, f"{where}.reflection[{index}]", item, {"id": str, "text": str})
    if len(check.problems) > before:
        return None
    snapshot = Snapshot.from_data(data)
    cues: dict[str, list[str]] = {}
    for index, question in enumerate(snapshot.questions):
        if not isinstance(question.id, str) or question.id in cues:
            check.add(f"{where}.questions[{index}].id", f"{question.id!r} is not a new question id")
            continue
        cues[question.id] = [c.id for c in question.cues]
    return _Questions(snapshot, data, cues) if len(check.problems) == before else None


def _check_interview(check: _Checker, item: Any, index: int, snapshots: dict[str, _Questions]) -> Any:
    """The interview in one record of an export and its snapshot, or None after adding problems."""
    where = f"interviews[{index}]"
    if not check.fields(item, where, _INTERVIEW_FIELDS):
        return None
    before = len(check.problems)
    interview_id = item.get("id")
    if not is_interview_id(interview_id):
        check.add(
            f"{where}.id",
            f"{interview_id!r} is not a leadcli interview id (six characters of"
            " 23456789abcdefghjkmnpqrstuvwxyz, lower case)",
        )
    key = item.get("snapshot")
    questions = snapshots.get(key) if isinstance(key, str) else None
    if questions is None:
        check.add(f"{where}.snapshot", f"{key!r} is not one of the export's snapshots")
    status = check.choice(item, "status", where, STATUSES, optional=False)
    position = item.get("position", 0)
    limit = len(questions.snapshot.questions) if questions else position
    if type(position) is not int or not 0 <= position <= limit:
        check.add(f"{where}.position", f"{position!r} is not a question position from 0 to {limit}")
    stamp = item.get("stamp")
    if check.fields(stamp, f"{where}.stamp", _STAMP_FIELDS):
        for name in _STAMP_FIELDS:
            check.text(stamp, name, f"{where}.stamp")
    contacts = []
    for n, person in enumerate(check.items(item, "contacts", where)):
        at = f"{where}.contacts[{n}]"
        if check.fields(person, at, _CONTACT_FIELDS):
            contacts.append(
                Contact(
                    name=check.text(person, "name", at, required=True, limit=MAX_NAME),
                    role=check.text(person, "role", at, limit=MAX_NAME),
                    level=check.choice(person, "level", at, AUDIENCE_LEVELS, optional=False),
                )
            )
    answers = _check_answers(check, item.get("answers", {}), where, questions)
    reflection = _check_reflection(check, item.get("reflection"), f"{where}.reflection")
    record = Interview(
        id=interview_id,  # type: ignore[arg-type]
        organization=check.text(item, "organization", where, required=True, limit=MAX_NAME),
        interviewer=check.text(item, "interviewer", where, required=True, limit=MAX_NAME),
        region=check.text(item, "region", where, limit=MAX_NAME),
        status=status_for(
            questions_finished=status not in (None, "draft"),
            has_verdict=reflection is not None and reflection.verdict is not None,
        ),
        position=position,
        created_at=check.moment(item, "created_at", where),
        updated_at=check.moment(item, "updated_at", where),
        stamp=ContentStamp(**{name: stamp.get(name, "") for name in _STAMP_FIELDS})
        if isinstance(stamp, dict)
        else ContentStamp(
            framework_version="", framework_sha256="", questions_version="", questions_sha256=""
        ),
        snapshot=questions.snapshot if questions else Snapshot(questions=(), reflection=()),
        contacts=contacts,
        answers=answers,
        reflection=reflection,
        created_by=check.text(item, "created_by", where),
        changed_by=check.text(item, "changed_by", where),
        # what the file says about authorship is kept apart, labelled; the store sets its own
        claimed_by=check.text(item, "claimed_by", where) or check.text(item, "created_by", where),
    )
    return (record, questions) if len(check.problems) == before else None


def _check_answers(
    check: _Checker, given: Any, where: str, questions: _Questions | None
) -> dict[str, Answer]:
    where = f"{where}.answers"
    if not isinstance(given, dict):
        check.add(where, f"must be an object, not {_type_name(given)}")
        return {}
    answers = {}
    for question_id, entry in given.items():
        at = f"{where}.{question_id}"
        cue_ids = questions.cues.get(question_id) if questions else None
        if questions is not None and cue_ids is None:
            check.add(at, f"unknown question id; its questions are: {', '.join(questions.cues)}")
            continue
        if not check.fields(entry, at, _ANSWER_FIELDS):
            continue
        if entry.get("question_id") != question_id:
            check.add(
                f"{at}.question_id",
                f"{entry.get('question_id')!r} is filed under {question_id!r}: an answer must be under"
                " its own question's id",
            )
        cues = check.items(entry, "cues", at)
        for n, cue_id in enumerate(cues):
            if cue_ids is not None and cue_id not in cue_ids:
                check.add(
                    f"{at}.cues[{n}]",
                    f"{cue_id!r} is not a cue of {question_id}; its cues are: {', '.join(cue_ids)}",
                )
            elif cue_id in cues[:n]:
                check.add(f"{at}.cues[{n}]", f"{cue_id!r} is listed twice")
        judged = entry.get("judgements", {})  # exports before 011_cue_judgements have none
        if not isinstance(judged, dict):
            check.add(f"{at}.judgements", f"must be an object, not {_type_name(judged)}")
            judged = {}
        for cue_id, sign in judged.items():
            if cue_id not in cues:
                check.add(f"{at}.judgements.{cue_id}", f"{cue_id!r} is not among the cues heard")
            if sign not in JUDGEMENTS:
                check.add(f"{at}.judgements.{cue_id}", f"{sign!r} is not a judgement; use + or -")
        answers[question_id] = Answer(
            question_id=question_id,
            state=check.choice(entry, "state", at, ANSWER_STATES, optional=False) or "explored",
            notes=check.text(entry, "notes", at),
            cues=list(cues),
            judgements={k: v for k, v in judged.items() if isinstance(v, str)},
            rating=check.choice(entry, "rating", at, RATINGS, optional=True),
            updated_at=check.moment(entry, "updated_at", at, optional=True),
        )
    return answers


def _check_reflection(check: _Checker, given: Any, where: str) -> Reflection | None:
    if given is None or not check.fields(given, where, _REFLECTION_FIELDS):
        return None
    follow_ups = []
    for n, item in enumerate(check.items(given, "follow_ups", where)):
        at = f"{where}.follow_ups[{n}]"
        if not check.fields(item, at, _FOLLOW_UP_FIELDS):
            continue
        due = item.get("due")
        if due is not None and not _is_date(due):
            check.add(f"{at}.due", f"{due!r} is not a real date (YYYY-MM-DD)")
        follow_ups.append(
            FollowUp(
                text=check.text(item, "text", at, required=True),
                owner=check.text(item, "owner", at, limit=MAX_NAME),
                due=due,
            )
        )
    return Reflection(
        fit=check.text(given, "fit", where),
        concerns=check.text(given, "concerns", where),
        gaps=check.text(given, "gaps", where),
        verdict=check.choice(given, "verdict", where, VERDICTS, optional=True),
        follow_ups=follow_ups,
        domain_levels=_domain_levels(check, given, where),
        proposed=[p for p in check.items(given, "proposed", where) if isinstance(p, str)],
    )


def _domain_levels(check: _Checker, given: dict, where: str) -> dict[str, str]:
    """The interviewer's levels per domain (absent in exports before 011_cue_judgements)."""
    levels = given.get("domain_levels", {})
    if not isinstance(levels, dict):
        check.add(f"{where}.domain_levels", f"must be an object, not {_type_name(levels)}")
        return {}
    for domain_id, level in levels.items():
        if level not in LEVELS:
            check.add(
                f"{where}.domain_levels.{domain_id}", f"{level!r} is not a level; use {', '.join(LEVELS)}"
            )
    return {k: v for k, v in levels.items() if v in LEVELS}


# --- import ---------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Conflict:
    """An interview the store holds in a newer version than the file: the store's copy is kept."""

    id: str
    store_updated_at: str
    file_updated_at: str


@dataclass(kw_only=True)
class ImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Already in the store, changed at the same moment: the same interview."""
    conflicts: list[Conflict] = field(default_factory=list)
    outcomes_added: int = 0
    """Outcomes the store did not have (one with the same id is the same outcome)."""


class ImportRefused(ContentError):
    """An export with problems: every problem is listed, and nothing was imported."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(problems, about=_about(path))
        self.hint = "nothing was imported"


def _about(path: Path) -> str:
    return f"the import file {path}"


def _is_date(value: Any) -> bool:
    try:
        return isinstance(value, str) and len(value) == 10 and bool(date.fromisoformat(value))
    except ValueError:
        return False


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


_JSONL_START = re.compile(r'\ufeff?[ \t]*\{[ \t]*"type"[ \t]*:')
"""How a JSON Lines export begins (its first line is `{"type": "header", ...}`)."""


def import_records(store: Store, path: Path, progress: Progress = SILENT) -> ImportResult:
    """Bring in a JSON or JSON Lines export: all of it, in one transaction, or (with any problem)
    none of it.

    Interviews the store lacks are added. One the store has is replaced when the file's copy was
    changed later (`updated_at`), skipped when both were changed at the same moment, and kept,
    as a conflict, when the store's copy is the newer.
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
        self.check = _Checker(path)
        self.result = ImportResult()
        self.header: dict[str, Any] = {}
        self.snapshots: dict[str, _Questions] = {}
        self.seen: dict[str, int] = {}  # interview id -> the index of the record that had it
        self.batch: list[tuple[Interview, _Questions]] = []
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
        for key, data in self.stream.members():
            questions = _check_snapshot(self.check, key, data)
            if questions is not None:
                self.snapshots[key] = questions

    def read_interviews(self) -> None:
        for index, item in enumerate(self.stream.items()):
            self.interview(item, index)
        self.flush()

    def interview(self, item: Any, index: int) -> None:
        """Check one interview record and queue it for the next batch."""
        checked = _check_interview(self.check, item, index, self.snapshots)
        if checked is None:
            return
        record, questions = checked
        if record.id in self.seen:
            self.check.add(
                f"interviews[{index}].id",
                f"{record.id!r} is also the id of interviews[{self.seen[record.id]}]",
            )
            return
        self.seen[record.id] = index
        self.batch.append((record, questions))
        if len(self.batch) >= BATCH:
            self.flush()

    def read_outcomes(self) -> None:
        """Outcomes are checked like interviews and written in the same transaction."""
        for index, item in enumerate(self.stream.items()):
            self.outcome(item, index)

    def outcome(self, item: Any, index: int) -> None:
        outcome, problems = check_outcome(clean_data(item), f"outcomes[{index}]")
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
        key = record.pop("key", None)
        if not isinstance(key, str):
            self.check.add(
                "key", f"a snapshot's key must be the SHA-256 of its questions, not {_type_name(key)}"
            )
            return
        questions = _check_snapshot(self.check, key, record)
        if questions is not None:
            self.snapshots[key] = questions


def _write_batch(store: Store, batch: list[tuple[Interview, _Questions]], result: ImportResult) -> None:
    """Write one batch: new interviews added, newer ones replacing the store's, the rest left be."""
    present = store.interviews.updated_times([record.id for record, _ in batch])
    writes: list[tuple[Interview, str]] = []
    replacing = []
    for record, questions in batch:
        if questions.stored_key is None:
            questions.stored_key = store.snapshots.add(questions.data)
        stored = present.get(record.id)
        if stored is not None:
            ours, theirs = _moment(stored), _moment(record.updated_at)
            if theirs == ours:
                result.skipped.append(record.id)
                continue
            if theirs < ours:
                result.conflicts.append(
                    Conflict(id=record.id, store_updated_at=stored, file_updated_at=record.updated_at)
                )
                continue
            replacing.append(record.id)
            result.updated.append(record.id)
        else:
            result.added.append(record.id)
        writes.append((record, questions.stored_key))
    store.interviews.write(writes, replacing=replacing)
