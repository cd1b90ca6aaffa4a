"""A question set as plain data, the one text its version names, and what changed between two.

A version names exactly one text: what the set *says* (questions, cues, guidance, assessment
rules, reflection, notes), not the file's comments or layout. `set_data` is that text as plain
data, with fields left at their default omitted (so a newer leadcli that adds an optional field
reads an unchanged file as the same text); `set_digest` is its SHA-256. `diff_sets` compares two
such texts on plain data only, so it reads versions recorded by older or newer leadclis alike.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from leadcli.content.models import Content, Question, QuestionSet

VERSION_KEY = "version"
DIFF_NOTE = (
    "The listening cues, their kinds and domains, and the assessment rules are leadcli's reading (†);"
    " the questions, guidance and reflection are the report's in the built-in set."
)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.default is not dataclasses.MISSING and item == f.default:
                continue
            data[f.name] = _plain(item)
        return data
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def set_data(questions: QuestionSet) -> dict[str, Any]:
    """The question set as plain, JSON-ready data (default-valued fields left out)."""
    return _plain(questions)


def questions_file(content: Content) -> str:
    """The questions file the content was read from (or a name for it), to name it in messages."""
    found = content.files.get("questions.yaml")
    return found.path if found else "questions.yaml"


def questions_data(questions: tuple[Question, ...]) -> dict[str, Any]:
    """Just the questions (as an interview's copy keeps them), as plain data for `question_changes`."""
    return {"questions": _plain(questions)}


def canonical_text(data: dict[str, Any]) -> str:
    """The text a version names: the set's data, its version left out, as sorted compact JSON."""
    body = {k: v for k, v in data.items() if k != VERSION_KEY}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def set_digest(data: dict[str, Any]) -> str:
    """SHA-256 of the text the set's version names."""
    return hashlib.sha256(canonical_text(data).encode()).hexdigest()


def next_version(version: str) -> str:
    """A suggestion for the version after `version`: its last number plus one, else `.2` added."""
    import re

    match = re.search(r"(\d+)(\D*)$", version)
    if match is None:
        return f"{version}.2"
    return f"{version[: match.start(1)]}{int(match.group(1)) + 1}{match.group(2)}"


def conflict_message(version: str, where: str, recorded_at: str) -> str:
    """One line: the set at `where` changed under a version the store already has another text for."""
    return (
        f"{where}: the questions changed but their version did not: version {version!r} already names "
        f"another text in the store (recorded {recorded_at[:10]}); give the changed set a new version, "
        f"e.g. version: {next_version(version)!r}"
    )


# --- what changed --------------------------------------------------------------------------


@dataclass(kw_only=True)
class QuestionChange:
    """A question added, removed or changed (identity is the question id)."""

    question_id: str
    number: int
    category: str
    change: str
    """`added`, `removed` or `changed`."""
    reworded: bool = False
    """Its prompts (what the interviewer asks) changed."""
    fields: list[str] = field(default_factory=list)
    """Which of its own fields changed (prompts, guidance, category, number, domains)."""
    old_prompts: list[str] = field(default_factory=list)
    new_prompts: list[str] = field(default_factory=list)
    domains_added: list[str] = field(default_factory=list)
    domains_removed: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class CueChange:
    """A listening cue added, removed or changed (identity is the cue id)."""

    question_id: str
    cue_id: str
    change: str
    """`added`, `removed` or `changed`."""
    reworded: bool = False
    old_text: str | None = None
    new_text: str | None = None
    domains_added: list[str] = field(default_factory=list)
    domains_removed: list[str] = field(default_factory=list)
    old_kind: str | None = None
    new_kind: str | None = None
    """The cue's kind (strength, concern, topic) where it changed; None where a set has none."""
    fields: list[str] = field(default_factory=list)
    """Which of its fields changed."""


@dataclass(kw_only=True)
class ValueChange:
    """One value that differs: an assessment rule, a reflection question, a note."""

    path: str
    """Where it is, e.g. `domain_levels.strong` or `reflection.fit`."""
    old: Any
    new: Any


@dataclass(kw_only=True)
class SetDiff:
    """What changed from one question-set version to another."""

    old_version: str
    new_version: str
    old_from: str
    """Where the old set was read: `store` or the questions file's path."""
    new_from: str
    same_text: bool
    questions: list[QuestionChange]
    cues: list[CueChange]
    rules: list[ValueChange]
    """The assessment rules (leadcli's reading) that changed."""
    reflection: list[ValueChange]
    other: list[ValueChange]
    """Anything else: introduction, status, notes, source."""

    counts: dict[str, int] = field(default_factory=dict)
    """How many of each kind of change, by name."""
    note: str = DIFF_NOTE


_QUESTION_FIELDS = ("prompts", "guidance", "category", "number", "domains")


def _counts(
    questions: list[QuestionChange], cues: list[CueChange], rules: list[ValueChange]
) -> dict[str, int]:
    def count(items: list, change: str) -> int:
        return sum(1 for item in items if item.change == change)

    return {
        "questions added": count(questions, "added"),
        "questions removed": count(questions, "removed"),
        "questions reworded": sum(1 for q in questions if q.reworded),
        "cues added": count(cues, "added"),
        "cues removed": count(cues, "removed"),
        "cues reworded": sum(1 for c in cues if c.reworded),
        "cue kinds changed": sum(1 for c in cues if "kind" in c.fields),
        "domains changed": sum(1 for q in questions if "domains" in q.fields)
        + sum(1 for c in cues if "domains" in c.fields),
        "assessment rules changed": len(rules),
    }


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts as `a.b` paths to their leaves."""
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flat(item, f"{prefix}{key}."))
        return flat
    return {prefix.rstrip("."): value}


def _values(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[ValueChange]:
    a, b = _flat(old), _flat(new)
    return [
        ValueChange(path=prefix + key, old=a.get(key), new=b.get(key))
        for key in sorted(a.keys() | b.keys())
        if a.get(key) != b.get(key)
    ]


def _cue_changes(question_id: str, old: list[dict], new: list[dict]) -> list[CueChange]:
    before, after = _by_id(old), _by_id(new)
    changes = []
    for cue_id in [*before, *(c for c in after if c not in before)]:
        a, b = before.get(cue_id), after.get(cue_id)
        if a is None or b is None:
            cue = b if a is None else a
            assert cue is not None
            changes.append(
                CueChange(
                    question_id=question_id,
                    cue_id=cue_id,
                    change="added" if a is None else "removed",
                    old_text=None if a is None else a.get("text"),
                    new_text=None if b is None else b.get("text"),
                    old_kind=None if a is None else a.get("kind"),
                    new_kind=None if b is None else b.get("kind"),
                )
            )
            continue
        fields = sorted(k for k in a.keys() | b.keys() if k != "id" and a.get(k) != b.get(k))
        if not fields:
            continue
        kind_changed = "kind" in fields
        changes.append(
            CueChange(
                question_id=question_id,
                cue_id=cue_id,
                change="changed",
                reworded="text" in fields,
                old_text=a.get("text"),
                new_text=b.get("text"),
                domains_added=[d for d in b.get("domains", []) if d not in a.get("domains", [])],
                domains_removed=[d for d in a.get("domains", []) if d not in b.get("domains", [])],
                old_kind=a.get("kind") if kind_changed else None,
                new_kind=b.get("kind") if kind_changed else None,
                fields=fields,
            )
        )
    return changes


def question_changes(
    old: dict[str, Any], new: dict[str, Any]
) -> tuple[list[QuestionChange], list[CueChange]]:
    """Questions and cues added, removed or changed from `old` to `new` (plain question lists)."""
    before, after = _by_id(old.get("questions", [])), _by_id(new.get("questions", []))
    questions: list[QuestionChange] = []
    cues: list[CueChange] = []
    for question_id in [*before, *(q for q in after if q not in before)]:
        a, b = before.get(question_id), after.get(question_id)
        shown = b if b is not None else a
        assert shown is not None
        common = {"question_id": question_id, "number": shown["number"], "category": shown["category"]}
        if a is None or b is None:
            questions.append(
                QuestionChange(
                    **common,
                    change="added" if a is None else "removed",
                    old_prompts=[] if a is None else list(a["prompts"]),
                    new_prompts=[] if b is None else list(b["prompts"]),
                )
            )
            cues += _cue_changes(question_id, [] if a is None else a["cues"], [] if b is None else b["cues"])
            continue
        fields = [k for k in _QUESTION_FIELDS if a.get(k) != b.get(k)]
        fields += sorted(
            k
            for k in a.keys() | b.keys()
            if k not in (*_QUESTION_FIELDS, "id", "cues") and a.get(k) != b.get(k)
        )
        if fields:
            questions.append(
                QuestionChange(
                    **common,
                    change="changed",
                    reworded="prompts" in fields,
                    fields=fields,
                    old_prompts=list(a["prompts"]) if "prompts" in fields else [],
                    new_prompts=list(b["prompts"]) if "prompts" in fields else [],
                    domains_added=[d for d in b["domains"] if d not in a["domains"]],
                    domains_removed=[d for d in a["domains"] if d not in b["domains"]],
                )
            )
        cues += _cue_changes(question_id, a["cues"], b["cues"])
    return questions, cues


def _reflection(data: dict[str, Any]) -> dict[str, Any]:
    guide = data.get("reflection", {})
    found = {"introduction": guide.get("introduction")}
    found.update({q["id"]: q.get("text") for q in guide.get("questions", [])})
    return found


def diff_sets(old: dict[str, Any], new: dict[str, Any], *, old_from: str, new_from: str) -> SetDiff:
    """What changed from the set `old` to the set `new` (both as `set_data` gives them)."""
    questions, cues = question_changes(old, new)
    skip = {VERSION_KEY, "questions", "assessment", "reflection"}
    rules = _values(old.get("assessment", {}), new.get("assessment", {}))
    return SetDiff(
        old_version=str(old.get(VERSION_KEY, "")),
        new_version=str(new.get(VERSION_KEY, "")),
        old_from=old_from,
        new_from=new_from,
        same_text=canonical_text(old) == canonical_text(new),
        questions=questions,
        cues=cues,
        rules=rules,
        reflection=_values(_reflection(old), _reflection(new), "reflection."),
        other=_values(
            {k: v for k, v in old.items() if k not in skip},
            {k: v for k, v in new.items() if k not in skip},
        ),
        counts=_counts(questions, cues, rules),
    )
