"""`leadcli questions diff -f markdown`, and the plain phrasing the terminal view shares with it."""

from __future__ import annotations

import json
from typing import Any

from leadcli.content.question_sets import CueChange, QuestionChange, SetDiff, ValueChange
from leadcli.render.markdown import inline
from leadcli.render.wording import LEGEND, MARK, ours

RULES_TITLE = ours("Assessment rules")
SIGNS = {"added": "+", "removed": "-", "changed": "~"}


def title(diff: SetDiff) -> str:
    return f"Questions {diff.old_version} ({diff.old_from}) → {diff.new_version} ({diff.new_from})"


def _one(what: str) -> str:
    """`questions added` -> `question added`: the count's noun in the singular."""
    noun, _, rest = what.partition(" ")
    if noun in ("assessment", "cue") and rest:  # `assessment rules changed`, `cue kinds changed`
        second, _, rest = rest.partition(" ")
        return f"{noun} {second.removesuffix('s')} {rest}"
    return f"{noun.removesuffix('s')} {rest}"


def counts_line(diff: SetDiff) -> str:
    if diff.same_text:
        return "No change: the two sets say the same."
    found = [f"{n} {what if n != 1 else _one(what)}" for what, n in diff.counts.items() if n]
    return "; ".join(found) if found else "Only notes or wording outside the questions changed (see below)."


def value(item: Any) -> str:
    if item is None:
        return "(none)"
    return item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)


def question_lines(change: QuestionChange) -> tuple[str, list[str]]:
    """A question's heading line and the lines under it."""
    what = "reworded" if change.reworded else change.change
    head = f"{SIGNS[change.change]} {change.number}. {change.category} ({change.question_id}): {what}"
    lines = []
    if change.change == "removed":
        lines += [f"was: {p}" for p in change.old_prompts]
    elif change.change == "added":
        lines += [f"asks: {p}" for p in change.new_prompts]
    else:
        lines += [f"was: {p}" for p in change.old_prompts]
        lines += [f"now: {p}" for p in change.new_prompts]
        other = [f for f in change.fields if f not in ("prompts", "domains")]
        if other:
            lines.append("also changed: " + ", ".join(other))
    if change.domains_added:
        lines.append("domains added: " + ", ".join(change.domains_added))
    if change.domains_removed:
        lines.append("domains removed: " + ", ".join(change.domains_removed))
    return head, lines


def cue_lines(change: CueChange) -> tuple[str, list[str]]:
    what = "reworded" if change.reworded else change.change
    head = f"{SIGNS[change.change]} {change.question_id} / {change.cue_id}: {what}"
    lines = []
    if change.change == "added":
        lines.append(f"listens for: {change.new_text}")
    elif change.change == "removed":
        lines.append(f"listened for: {change.old_text}")
    elif change.reworded:
        lines += [f"was: {change.old_text}", f"now: {change.new_text}"]
    if "kind" in change.fields:
        lines.append(f"kind: {value(change.old_kind)} → {value(change.new_kind)} {MARK}")
    if change.domains_added:
        lines.append("domains added: " + ", ".join(change.domains_added))
    if change.domains_removed:
        lines.append("domains removed: " + ", ".join(change.domains_removed))
    other = [f for f in change.fields if f not in ("text", "kind", "domains")]
    if other:
        lines.append("also changed: " + ", ".join(other))
    return head, lines


def value_line(change: ValueChange) -> str:
    return f"{change.path}: {value(change.old)} → {value(change.new)}"


def sections(diff: SetDiff) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """(section title, [(heading line, lines under it)]) for every part that changed."""
    none: list[str] = []
    found: list[tuple[str, list[tuple[str, list[str]]]]] = [
        ("Questions", [question_lines(q) for q in diff.questions]),
        ("Listening cues", [cue_lines(c) for c in diff.cues]),
        (RULES_TITLE, [(value_line(r), none) for r in diff.rules]),
        ("Reflection", [(value_line(r), none) for r in diff.reflection]),
        ("Other fields", [(value_line(r), none) for r in diff.other]),
    ]
    return [(name, items) for name, items in found if items]


def diff_markdown(diff: SetDiff) -> str:
    out = [f"# {inline(title(diff))}", "", inline(counts_line(diff)), ""]
    for name, items in sections(diff):
        out += [f"## {inline(name)}", ""]
        for head, lines in items:
            out.append(f"- {inline(head, starts_block=False)}")
            out += [f"  - {inline(line, starts_block=False)}" for line in lines]
        out.append("")
    out += [f"*{inline(diff.note)}*", "", f"*{inline(LEGEND)}*"]
    return "\n".join(out).rstrip() + "\n"
