"""What `leadcli import` takes: each record of an export checked against its one declaration.

The records' shapes are their dataclasses (`store/records.py`; the questions' are the content
models): pydantic checks each record against its declaration, with the import's rules around it
(no field the declaration lacks, text no longer than `MAX_TEXT`). What a declaration cannot say is
checked here after it, once per record: the id rule, dates and moments (`dates.py`), names' length
and blankness, and the checks across records (an interview's snapshot, its questions and cues, ids
given twice are the importer's). Every problem is one line: `FILE: where.field: what is wrong`,
naming the value. A record whose fields fail pydantic is not checked across records until they pass.
"""

from __future__ import annotations

import dataclasses
import time
import typing
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from leadcli.dates import DATE_FORMAT, EARLIEST_OUTCOME, parse_date, parse_moment
from leadcli.store.clock import is_stamp, parse_stamp, too_far_ahead
from leadcli.store.identity import is_identity
from leadcli.store.interviews import is_interview_id
from leadcli.store.records import Interview, Outcome, Snapshot, legacy_cues_filled
from leadcli.store.snapshots import snapshot_text
from leadcli.store.tables import without_none
from leadcli.untrusted import MAX_ITEMS, MAX_NAME, MAX_TEXT, clean_data
from leadcli.vocabulary import status_for

# The records carry no pydantic settings of their own (the output schemas that hold some of them
# stay as they are), so the import's rules are given around them: see `_adapter`.
_FROM_OUTSIDE: dict[str, Any] = {"extra": "forbid", "str_max_length": MAX_TEXT}


@cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    """Checks a list of `model` under the import's rules (settings apply to the dataclasses inside)."""
    return TypeAdapter(list[model], config=_FROM_OUTSIDE)  # type: ignore[arg-type]


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list"}.get(
        type(value), "an object"
    )


class Problems:
    """The problems of one file, as `FILE: where: what is wrong`, one line each."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.problems: list[str] = []
        self.line = 0
        """The line of the record being checked, in a JSON Lines file (0: not named)."""
        self._now_ms = time.time_ns() // 1_000_000  # a moment too far after it is in the future

    def at(self) -> str:
        """`FILE` or `FILE:LINE`, where each problem's line begins."""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def add(self, where: str, text: str) -> None:
        self.problems.append(f"{self.at()}: {where}: {text}" if self.path else f"{where}: {text}")

    def validated(self, model: Any, data: Any, where: str, *, checked: tuple[str, ...] = ()) -> Any:
        """`data` as a `model`, or None after adding its problems; fields in `checked` have a rule
        of their own, already applied, so pydantic's word on them is left out."""
        try:
            return _adapter(model).validate_python([data])[0]
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"])[1:]
                if not loc or loc[0] not in checked:
                    self.add(_at(where, loc), _wording(model, loc, error))
            return None

    def moment(self, value: Any, where: str, name: str, *, optional: bool = False) -> None:
        """`where.name` is an ISO date and time with its time zone, as leadcli writes them, and not
        in the future."""
        if optional and value == "":
            return
        parsed = parse_moment(value) if isinstance(value, str) else None
        if parsed is None:
            self.add(
                f"{where}.{name}",
                f"{value!r} is not a date and time with a time zone (like 2026-11-02T10:00:00+00:00)",
            )
        elif too_far_ahead(int(parsed.timestamp() * 1000), self._now_ms):
            # a time in the future would outrank every later edit
            self.add(f"{where}.{name}", f"{value!r} is in the future")

    def stamp(self, value: str, where: str, name: str) -> None:
        """`where.name` is a clock stamp (`store.clock`), not as far ahead of now as only a hostile
        or broken file's is (`store.clock.too_far_ahead`: more than a day)."""
        if not is_stamp(value):
            self.add(f"{where}.{name}", f"{value!r} is not a leadcli stamp (MMMMMMMMMMMMM.CCCCCC.NODE)")
        elif too_far_ahead(parse_stamp(value)[0], self._now_ms):
            self.add(f"{where}.{name}", f"{value!r} is in the future")

    def name(self, value: str, where: str, name: str, *, required: bool = False) -> None:
        """`where.name` is a name: not too long, and (if `required`) not blank."""
        if len(value) > MAX_NAME:
            self.add(f"{where}.{name}", f"is {len(value):,} characters; at most {MAX_NAME:,} are taken")
        elif required and not value.strip():
            self.add(f"{where}.{name}", "required field is missing or blank")

    def items(self, value: list, where: str, name: str) -> None:
        if len(value) > MAX_ITEMS:
            self.add(f"{where}.{name}", f"has {len(value):,} items; at most {MAX_ITEMS:,} are taken")


def _at(where: str, loc: tuple) -> str:
    return where + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)


def _wording(model: Any, loc: tuple, error: Any) -> str:
    """One pydantic error in leadcli's words."""
    kind, value = error["type"], error["input"]
    if kind in ("unexpected_keyword_argument", "extra_forbidden"):
        fields = dataclasses.fields(_type_at(model, loc[:-1]))
        return "unknown field; fields are: " + ", ".join(f.name for f in fields)
    if kind in ("missing", "missing_keyword_only_argument", "missing_argument"):
        return "required field is missing"
    if kind == "literal_error":
        allowed = typing.get_args(_type_at(model, loc))
        return f"{value!r} is not one of {', '.join(allowed)}"
    if kind == "string_unicode":
        return "holds a lone surrogate (\\ud800-\\udfff), which is not text"
    if kind == "string_too_long":
        return f"is {len(value):,} characters; at most {error['ctx']['max_length']:,} are taken"
    wanted = {
        "string_type": "text",
        "list_type": "a list",
        "tuple_type": "a list",
        "dict_type": "an object",
        "dataclass_type": "an object",
        "dataclass_args_type": "an object",
        "int_type": "a number",
        "int_parsing": "a number",
        "int_from_float": "a whole number",
    }.get(kind)
    if wanted:
        return f"must be {wanted}, not {type_name(value)}"
    return f"{error['msg']} (got {value!r})"


def _type_at(model: Any, loc: tuple) -> Any:
    """The declared type at `loc` below `model`: a field of a dataclass, an item of a list, a value
    of a dict; `| None` left out."""
    current = without_none(model)
    for part in loc:
        origin, args = typing.get_origin(current), typing.get_args(current)
        if origin is dict:
            current = args[1]
        elif origin in (list, tuple):
            current = args[0]
        else:
            current = typing.get_type_hints(current)[part]
        current = without_none(current)
    return current


# --- snapshots ------------------------------------------------------------------------------


@dataclass
class Questions:
    """A snapshot as the import uses it: parsed and keyed once, however many interviews share it."""

    snapshot: Snapshot
    data: dict
    cues: dict[str, list[str]]
    stored_key: str | None = None


def check_snapshot(problems: Problems, key: str, data: Any) -> Questions | None:
    where = f"snapshots.{key}"
    before = len(problems.problems)
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        problems.add(where, "must be an object with `questions` and `reflection` lists")
        return None
    try:
        _, digest = snapshot_text(data)
    except UnicodeEncodeError:
        problems.add(where, "holds a lone surrogate (\\ud800-\\udfff), which is not text")
        return None
    if digest != key:
        problems.add(where, f"the questions' SHA-256 is {digest}, not the key they are filed under")
    snapshot = problems.validated(Snapshot, legacy_cues_filled(data), where)
    if snapshot is None:
        return None
    # as kept, read back by `Snapshot.from_data`: a number must be a number, not text that reads as one
    for index, question in enumerate(data["questions"]):
        if type(question["number"]) is not int:
            problems.add(
                f"{where}.questions[{index}].number", f"must be a number, not {type_name(question['number'])}"
            )
    cues: dict[str, list[str]] = {}
    for index, question in enumerate(snapshot.questions):
        if question.id in cues:
            problems.add(f"{where}.questions[{index}].id", f"{question.id!r} is not a new question id")
            continue
        cues[question.id] = [c.id for c in question.cues]
    return Questions(snapshot, data, cues) if len(problems.problems) == before else None


_NO_SNAPSHOT = Snapshot(questions=(), reflection=())


# --- interviews -----------------------------------------------------------------------------

# Fields the import checks by rules of their own before pydantic sees the record.
_OWN_RULES = ("id", "snapshot", "position", "created_at", "updated_at")


def check_interview(
    problems: Problems, item: Any, index: int, snapshots: dict[str, Questions], *, nul: bool = True
) -> tuple[Interview, Questions] | None:
    """The interview in one record of an export and its snapshot, or None after adding problems.

    `nul`: the record's JSON text spelled a NUL (`JsonStream.nul`), which is dropped as from the
    keyboard (`untrusted.clean_data`). A lone surrogate, the other thing only an escape can spell,
    is refused by the check of every text field."""
    where = f"interviews[{index}]"
    if not isinstance(item, dict):
        problems.add(where, f"must be an object, not {type_name(item)}")
        return None
    before = len(problems.problems)
    data = clean_data(item) if nul else dict(item)
    interview_id = data.get("id")
    if not is_interview_id(interview_id):
        problems.add(
            f"{where}.id",
            f"{interview_id!r} is not a leadcli interview id (six characters of"
            " 23456789abcdefghjkmnpqrstuvwxyz, lower case)",
        )
    key = data.get("snapshot")
    questions = snapshots.get(key) if isinstance(key, str) else None
    if questions is None:
        problems.add(f"{where}.snapshot", f"{key!r} is not one of the export's snapshots")
    position = data.get("position", 0)
    limit = len(questions.snapshot.questions) if questions else position
    if type(position) is not int or not 0 <= position <= limit:
        problems.add(f"{where}.position", f"{position!r} is not a question position from 0 to {limit}")
    for name in ("created_at", "updated_at"):
        problems.moment(data.get(name), where, name)
    data["snapshot"] = questions.snapshot if questions else _NO_SNAPSHOT
    record: Interview | None = problems.validated(Interview, data, where, checked=_OWN_RULES)
    if record is None:
        return None
    _check_record(problems, record, where, questions)
    if len(problems.problems) > before or questions is None:
        return None
    record.status = status_for(
        questions_finished=record.status != "draft",
        has_verdict=record.reflection is not None and record.reflection.verdict is not None,
    )
    record.assigned_to = ""  # the store sets whose it is
    # what the file says about authorship is kept apart, labelled; the store sets its own
    record.claimed_by = record.claimed_by or record.created_by
    return record, questions


def _check_stamps(problems: Problems, stamps: dict[str, str], where: str) -> None:
    """Each value of `stamps` is a clock stamp (`store.clock`), and not from the future: a stamp
    ahead of every clock would win every later merge."""
    for name, stamp in stamps.items():
        problems.stamp(stamp, f"{where}.stamps", name)


def _check_record(problems: Problems, record: Interview, where: str, questions: Questions | None) -> None:
    """What the declaration cannot say of a well-typed interview."""
    if record.uid and not is_identity(record.uid):
        problems.add(f"{where}.uid", f"{record.uid!r} is not an interview identity (32 hex digits)")
    _check_stamps(problems, record.stamps, where)
    problems.name(record.organization, where, "organization", required=True)
    problems.name(record.interviewer, where, "interviewer", required=True)
    problems.name(record.region, where, "region")
    problems.items(record.contacts, where, "contacts")
    for n, person in enumerate(record.contacts):
        problems.name(person.name, f"{where}.contacts[{n}]", "name", required=True)
        problems.name(person.role, f"{where}.contacts[{n}]", "role")
    for question_id, answer in record.answers.items():
        at = f"{where}.answers.{question_id}"
        cue_ids = questions.cues.get(question_id) if questions else None
        if questions is not None and cue_ids is None:
            problems.add(at, f"unknown question id; its questions are: {', '.join(questions.cues)}")
            continue
        if answer.question_id != question_id:
            problems.add(
                f"{at}.question_id",
                f"{answer.question_id!r} is filed under {question_id!r}: an answer must be under"
                " its own question's id",
            )
        problems.items(answer.cues, at, "cues")
        for n, cue_id in enumerate(answer.cues):
            if cue_ids is not None and cue_id not in cue_ids:
                problems.add(
                    f"{at}.cues[{n}]",
                    f"{cue_id!r} is not a cue of {question_id}; its cues are: {', '.join(cue_ids)}",
                )
            elif cue_id in answer.cues[:n]:
                problems.add(f"{at}.cues[{n}]", f"{cue_id!r} is listed twice")
        for cue_id in answer.judgements:  # exports before 011_cue_judgements have none
            if cue_id not in answer.cues:
                problems.add(f"{at}.judgements.{cue_id}", f"{cue_id!r} is not among the cues heard")
        problems.moment(answer.updated_at, at, "updated_at", optional=True)
        _check_stamps(problems, answer.stamps, at)
        problems.items(answer.lines, at, "lines")
        for n, line in enumerate(answer.lines):
            if not line.id.strip():
                problems.add(f"{at}.lines[{n}].id", "required field is missing or blank")
            problems.stamp(line.stamp, f"{at}.lines[{n}]", "stamp")
            if line.gone:
                problems.stamp(line.gone, f"{at}.lines[{n}]", "gone")
    reflection = record.reflection
    if reflection is not None:
        at = f"{where}.reflection"
        problems.items(reflection.follow_ups, at, "follow_ups")
        _check_stamps(problems, reflection.stamps, at)
        problems.items(reflection.proposed, at, "proposed")
        for n, follow_up in enumerate(reflection.follow_ups):
            problems.name(follow_up.text, f"{at}.follow_ups[{n}]", "text", required=True)
            problems.name(follow_up.owner, f"{at}.follow_ups[{n}]", "owner")
            if follow_up.stamp:
                problems.stamp(follow_up.stamp, f"{at}.follow_ups[{n}]", "stamp")
            if follow_up.due is not None and parse_date(follow_up.due) is None:
                problems.add(
                    f"{at}.follow_ups[{n}].due", f"{follow_up.due!r} is not a real date ({DATE_FORMAT})"
                )


# --- outcomes -------------------------------------------------------------------------------


def check_outcome(item: object, where: str) -> tuple[Outcome | None, list[str]]:
    """One outcome of an export, checked: the outcome, or None and its problems (`WHERE.field: ...`)."""
    problems = Problems(None)
    outcome: Outcome | None = problems.validated(Outcome, clean_data(item), where)
    if outcome is not None:
        if not outcome.id.strip() or not outcome.organization.strip():
            problems.add(where, "needs an id and an organization")
        day = parse_date(outcome.date)
        if day is None:
            problems.add(f"{where}.date", f"{outcome.date!r} is not a {DATE_FORMAT} date")
        elif day > date.today() + timedelta(days=1):
            # The latest outcome counts: one dated in the future would outrank every real one.
            problems.add(f"{where}.date", f"{outcome.date!r} is in the future")
        elif day < EARLIEST_OUTCOME:
            problems.add(f"{where}.date", f"{outcome.date!r} is before 2000: outcomes start in 2000")
        problems.moment(outcome.recorded_at, where, "recorded_at", optional=True)
        if not outcome.recorded_at and day is not None:
            # A hand-made file may leave it out: the start of the decided day, the same on every
            # machine that imports the file (a server store keeps it as a timestamptz).
            outcome.recorded_at = f"{day.isoformat()}T00:00:00+00:00"
    return (None if problems.problems else outcome), problems.problems
