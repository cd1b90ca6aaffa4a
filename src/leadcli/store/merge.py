"""The one merge of two copies of an interview: `sync`, `import` and an offline laptop all use it.

Nothing is overwritten and nothing is settled silently:

- **Notes** are lines, each with its own id (`NoteLine`): the merge is the union of both copies'
  lines by id, ordered by (stamp, id). A line one copy marked `gone` (replaced by an edit) is gone
  in the result, its text still kept.
- **Single values** (an answer's state, cues, judgements, rating; each reflection field; each
  follow-up; the interview's organization, interviewer, region, people, position and status)
  carry a hybrid-logical-clock stamp (`store.clock`). The higher stamp wins. When the two values
  differ and the winner was not set over the loser (its `FIELD<` stamp, what it replaced, is not
  the loser's, and another machine made it), both copies changed it: that is a **conflict**,
  named, and the losing value goes to the interview's history. Equal stamps (two old copies)
  are broken by the values themselves, so the result never depends on which copy came first.
- **Where the interview stands** is never named as a conflict. The position (the question to
  resume at) follows the higher stamp: it is where the interviewer who worked on it last was,
  and no answer depends on it. The **status** is not taken from either copy but worked out from
  the result (`vocabulary.status_for`): its questions are finished if they were on either copy
  (no copy ever goes back to draft: a finished interview resumed stays finished), and it is
  complete when the merged reflection has a verdict. So a stale copy resumed and finished later
  (its status `awaiting-reflection`, stamped after the other copy's `complete`) cannot send a
  reflected interview back to awaiting reflection, nor a finished one back to draft.
- **Follow-ups** are kept by id (union); one dropped on either copy (`gone:ID` in the
  reflection's stamps) stays dropped.

`merge(ours, theirs)` is pure and deterministic: merge(a, b) and merge(b, a) hold the same record
(`content` compares them), and merging a copy into the result changes nothing. Both copies are
first taken in the team server's time (`store.clock.placed`: this machine's stamps made before it
knew that time are placed in it), so one clock rule orders every stamp. Values recorded
before stamps existed take the stamp of their row's last change (`legacy_stamp`), and records
without identities get theirs from `normalized` (`store.identity`), the same on every machine.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from leadcli.store.clock import LEGACY_NODE, WALL, legacy_stamp, machine_of, parse_stamp, placed, stamp_time
from leadcli.store.identity import legacy_follow_up_id, legacy_lines, legacy_uid
from leadcli.store.records import Answer, FollowUp, Interview, NoteLine, Reflection
from leadcli.vocabulary import status_for

ANSWER_FIELDS = ("state", "cues", "judgements", "rating")
REFLECTION_FIELDS = ("fit", "concerns", "gaps", "verdict", "domain_levels", "proposed")
INTERVIEW_FIELDS = ("organization", "interviewer", "region", "contacts", "position", "status")
QUIET = frozenset({"position", "status"})
"""Interview fields never named as a conflict: where the interview stands (the status is then
worked out from the result, `merge`)."""
REPLACED = "<"
"""`stamps[FIELD + REPLACED]`: the stamp of the value this one was set over."""
GONE = "gone:"
"""`reflection.stamps[GONE + follow-up id]`: when that follow-up was dropped."""


@dataclass(frozen=True)
class Conflict:
    """One value both copies changed: which was kept, and which went to the history."""

    field: str
    """What it is, in words: `question 3 rating`, `reflection verdict`, `follow-up 2 ...`."""
    kept: Any
    kept_stamp: str
    lost: Any
    lost_stamp: str

    def describe(self, interview_id: str) -> str:
        return (
            f"conflict in interview {interview_id}, {self.field}: kept {_shown(self.kept)}"
            f" (set {when_set(self.kept_stamp)}), not {_shown(self.lost)} (set {when_set(self.lost_stamp)}),"
            " which is kept in the interview's history"
        )


@dataclass(frozen=True)
class Merged:
    interview: Interview
    conflicts: list[Conflict] = field(default_factory=list)
    changed: bool = False
    """Whether the result differs from `ours`: the other copy brought something, or was written
    later (the result's `updated_at` is the later of both)."""


_NAMED_VALUE = re.compile(
    "(?:" + "|".join(INTERVIEW_FIELDS)
    + r"|question \S+ (?:" + "|".join(ANSWER_FIELDS)
    + ")|reflection (?:" + "|".join(REFLECTION_FIELDS)
    + ")|follow-up '.*'|follow-up \".*\")"
)  # fmt: skip


def names_a_value(text: str) -> bool:
    """Whether `text` names a value as a conflict does (`Conflict.field`): `organization`,
    `question 2 rating`, `reflection verdict`, `follow-up 'call back'`."""
    return _NAMED_VALUE.fullmatch(text) is not None


def _shown(value: Any) -> str:
    if value is None or value in ("", [], {}):
        return "(nothing)"
    return json.dumps(plain(value), ensure_ascii=False)


def when_set(stamp: str) -> str:
    """When (and on which machine) a value with this stamp was set, in words."""
    try:
        when = stamp_time(stamp)
    except ValueError:
        return "at an unknown time"
    node = parse_stamp(stamp)[2]
    return f"{when}" if node == LEGACY_NODE else f"{when} on machine {node[:8]}"


def plain(value: Any) -> Any:
    """A value as JSON-ready data (people and follow-ups as objects)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _order(value: Any) -> str:
    return json.dumps(plain(value), sort_keys=True, ensure_ascii=False)


# --- identities and stamps of records made before they existed ------------------------------------


def normalized(record: Interview) -> Interview:
    """`record` with an identity, line ids and follow-up ids (worked out, the same on every machine,
    where it has none); the same object when it has them all."""
    uid = record.uid or legacy_uid(record.id, record.created_at, record.organization)
    answers = {}
    for question_id, answer in record.answers.items():
        if (answer.notes or answer.lines) and notes_of(answer.lines) != answer.notes:
            answers[question_id] = replace(answer, lines=_lines_for(uid, question_id, answer, record))
        else:
            answers[question_id] = answer
    reflection = record.reflection
    if reflection is not None and any(not f.id for f in reflection.follow_ups):
        follow_ups = [
            f if f.id else replace(f, id=legacy_follow_up_id(uid, i, f.text, record.created_at))
            for i, f in enumerate(reflection.follow_ups)
        ]
        reflection = replace(reflection, follow_ups=follow_ups)
    if uid == record.uid and reflection is record.reflection and answers == record.answers:
        return record
    return replace(record, uid=uid, answers=answers, reflection=reflection)


def _lines_for(uid: str, question_id: str, answer: Answer, record: Interview) -> list[NoteLine]:
    """Lines for notes given as one text (a file from before lines, or one edited by hand): each
    line's id worked out from its text (as `legacy_lines`, the same on every machine); lines given
    that the text no longer has are kept, gone."""
    moment = answer.updated_at or record.updated_at
    lines = [
        NoteLine(id=i, stamp=s, author=record.created_by, text=t)
        for i, s, t in legacy_lines(uid, question_id, answer.notes, moment)
    ]
    have = {line.id for line in lines}
    gone = [
        line if line.gone else replace(line, gone=legacy_stamp(moment))
        for line in answer.lines
        if line.id not in have
    ]
    return sorted([*lines, *gone], key=lambda x: (x.stamp, x.id))


def notes_of(lines: Iterable[NoteLine]) -> str:
    """The notes text of these lines: those not gone, in their order."""
    return "\n".join(line.text for line in lines if not line.gone)


def stamp_of(stamps: dict[str, str], name: str, moment: str) -> str:
    """The stamp of one value; for one recorded before stamps, that of its row's last change."""
    return stamps.get(name) or legacy_stamp(moment)


def edit_stamps(record: Interview) -> Iterator[str]:
    """Every stamp of an edit in `record`: its lines (and their edits), values, follow-ups and drops
    (not the `FIELD<` stamps, which name another edit's)."""
    yield from (s for k, s in record.stamps.items() if not k.endswith(REPLACED))
    for answer in record.answers.values():
        yield from (s for k, s in answer.stamps.items() if not k.endswith(REPLACED))
        for line in answer.lines:
            yield line.stamp
            if line.gone:
                yield line.gone
    if record.reflection is not None:
        yield from (s for k, s in record.reflection.stamps.items() if not k.endswith(REPLACED))
        yield from (f.stamp for f in record.reflection.follow_ups if f.stamp)


def map_stamps(record: Interview, change: Callable[[str], str]) -> Interview:
    """`record` with each stamp it holds (`FIELD<` ones too) changed by `change` (ids stay); the
    same object when none changes."""

    def stamps(given: dict[str, str]) -> dict[str, str]:
        return {k: change(v) for k, v in given.items()}

    answers = {
        q: replace(
            a,
            stamps=stamps(a.stamps),
            lines=[replace(x, stamp=change(x.stamp), gone=change(x.gone) if x.gone else "") for x in a.lines],
        )
        for q, a in record.answers.items()
    }
    reflection = record.reflection
    if reflection is not None:
        reflection = replace(
            reflection,
            stamps=stamps(reflection.stamps),
            follow_ups=[replace(f, stamp=change(f.stamp) if f.stamp else "") for f in reflection.follow_ups],
        )
    result = replace(record, stamps=stamps(record.stamps), answers=answers, reflection=reflection)
    return record if result == record else result


def in_server_time(record: Interview) -> Interview:
    """`record` with this machine's `@wall` stamps placed in the team server's time, where this
    process knows how (`store.clock.placed`); the same object otherwise."""
    if not any(_node(s).endswith(WALL) for s in _all_stamps(record)):
        return record
    return map_stamps(record, placed)


def _all_stamps(record: Interview) -> Iterator[str]:
    yield from edit_stamps(record)
    for stamps in (record.stamps, *(a.stamps for a in record.answers.values())):
        yield from (s for k, s in stamps.items() if k.endswith(REPLACED))
    if record.reflection is not None:
        yield from (s for k, s in record.reflection.stamps.items() if k.endswith(REPLACED))


def newest_stamp(record: Interview) -> str:
    """The highest stamp anywhere in `record` (a clock observes it before stamping an edit)."""
    found = [s for k, s in record.stamps.items() if not k.endswith(REPLACED)]
    for answer in record.answers.values():
        found.extend(s for k, s in answer.stamps.items() if not k.endswith(REPLACED))
        if answer.lines:
            found.append(max(max(line.stamp, line.gone) for line in answer.lines))
    if record.reflection is not None:
        found.extend(s for k, s in record.reflection.stamps.items() if not k.endswith(REPLACED))
        found.extend(f.stamp for f in record.reflection.follow_ups if f.stamp)
    return max(found, default="")


def restamp(stamps: dict[str, str], name: str, new: str, node: str, moment: str | None) -> None:
    """Stamp a value set over the one `stamps` has for `name` (recorded at `moment` if it has no
    stamp): `FIELD<` keeps what it was set over; over this machine's own unsent value, what that
    one was set over (so a run of edits on one machine follows the value it started from)."""
    old = stamps.get(name) or (legacy_stamp(moment) if moment else "")
    prior = stamps.get(name + REPLACED, "") if old and _machine(old) == machine_of(node) else old
    stamps[name] = new
    if prior:
        stamps[name + REPLACED] = prior
    else:
        stamps.pop(name + REPLACED, None)


# --- the merge ------------------------------------------------------------------------------------


def _node(stamp: str) -> str:
    try:
        return parse_stamp(stamp)[2]
    except ValueError:
        return ""


def _machine(stamp: str) -> str:
    """The machine that made a stamp (its wall-clock stamps and its others alike)."""
    return machine_of(_node(stamp))


def _set_over(winner: dict[str, str], name: str, winner_stamp: str, loser_stamp: str, lost: Any) -> bool:
    """Whether the winning value was set knowing the losing one (no conflict then); a value never
    set (empty, with no stamp of its own) is no loss either."""
    if winner.get(name + REPLACED) == loser_stamp:
        return True
    if _node(loser_stamp) == LEGACY_NODE and lost in (None, "", [], {}):
        return True
    node = _machine(winner_stamp)
    return bool(node) and node != LEGACY_NODE and node == _machine(loser_stamp)  # one machine, in order


class _Fields:
    """Resolves single values of two copies of one row, collecting conflicts."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts

    def pick(
        self,
        label: str,
        *,
        name: str,
        values: tuple[Any, Any],
        stamps: tuple[dict[str, str], dict[str, str]],
        moments: tuple[str, str],
        out: dict[str, str],
        quiet: bool = False,
    ) -> Any:
        (a, b), (sa, sb) = values, stamps
        ta, tb = stamp_of(sa, name, moments[0]), stamp_of(sb, name, moments[1])
        a_wins = (ta, _order(a)) >= (tb, _order(b))
        value, stamp, source = (a, ta, sa) if a_wins else (b, tb, sb)
        lost, lost_stamp = (b, tb) if a_wins else (a, ta)
        if name in sa or name in sb:
            out[name] = stamp
            if source.get(name + REPLACED):
                out[name + REPLACED] = source[name + REPLACED]
        if a != b and not quiet and not _set_over(source, name, stamp, lost_stamp, lost):
            self.conflicts.append(Conflict(f"{label} {name}".strip(), value, stamp, lost, lost_stamp))
        return value


def merge_lines(ours: list[NoteLine], theirs: list[NoteLine]) -> list[NoteLine]:
    """The union of two copies' lines by id, ordered by (stamp, id); gone in either, gone. A line
    whose copies differ only in their author keeps ours': on a server the author is the login that
    wrote the row (021_server_integrity), whatever a file or a laptop says."""
    by_id: dict[str, NoteLine] = {}
    for line in (*ours, *theirs):
        have = by_id.get(line.id)
        if have is None:
            by_id[line.id] = line
        elif have != line and (have.stamp, have.text, have.gone) != (line.stamp, line.text, line.gone):
            first = min(have, line, key=lambda x: (x.stamp, x.author, x.text))
            by_id[line.id] = replace(first, gone=max(have.gone, line.gone))
    return sorted(by_id.values(), key=lambda x: (x.stamp, x.id))


def _merge_answer(
    label: str, ours: Answer, theirs: Answer, moments: tuple[str, str], fields: _Fields
) -> Answer:
    stamps: dict[str, str] = {}
    picked = {
        name: fields.pick(
            label, name=name, values=(getattr(ours, name), getattr(theirs, name)),
            stamps=(ours.stamps, theirs.stamps),
            moments=(ours.updated_at or moments[0], theirs.updated_at or moments[1]), out=stamps,
        )
        for name in ANSWER_FIELDS
    }  # fmt: skip
    lines = merge_lines(ours.lines, theirs.lines)
    return Answer(
        question_id=ours.question_id,
        notes=notes_of(lines),
        updated_at=max(ours.updated_at, theirs.updated_at),
        lines=lines,
        stamps=stamps,
        **picked,
    )


def _merge_reflection(
    ours: Reflection, theirs: Reflection, moments: tuple[str, str], fields: _Fields
) -> Reflection:
    stamps: dict[str, str] = {}
    picked = {
        name: fields.pick(
            "reflection", name=name, values=(getattr(ours, name), getattr(theirs, name)),
            stamps=(ours.stamps, theirs.stamps), moments=moments, out=stamps,
        )
        for name in REFLECTION_FIELDS
    }  # fmt: skip
    for stamps_of in (ours.stamps, theirs.stamps):
        for key, stamp in stamps_of.items():
            if key.startswith(GONE):
                stamps[key] = max(stamp, stamps.get(key, ""))
    by_id: dict[str, tuple[FollowUp, str]] = {}
    for side, moment in ((ours, moments[0]), (theirs, moments[1])):
        for item in side.follow_ups:
            stamp = item.stamp or legacy_stamp(moment)
            have = by_id.get(item.id)
            if have is None or have[0] == item:
                by_id[item.id] = (item, stamp) if have is None else max(have, (item, stamp), key=_by_stamp)
                continue
            kept, lost = sorted((have, (item, stamp)), key=_by_stamp, reverse=True)
            fields.conflicts.append(
                Conflict(f"follow-up {kept[0].text[:40]!r}", kept[0], kept[1], lost[0], lost[1])
            )
            by_id[item.id] = kept
    follow_ups = [by_id[i][0] for i in sorted(by_id) if GONE + i not in stamps]
    return Reflection(follow_ups=follow_ups, stamps=stamps, **picked)


def _by_stamp(entry: tuple[FollowUp, str]) -> tuple[str, str]:
    return entry[1], _order(entry[0])


def merge(ours: Interview, theirs: Interview) -> Merged:
    """Both copies of one interview (the same `uid`) as one, with what conflicted.

    The result keeps `ours`'s id, times of creation, questions and authorship (the store's rules
    decide those); `changed` says whether it differs from `ours`."""
    ours, theirs = in_server_time(normalized(ours)), in_server_time(normalized(theirs))
    conflicts: list[Conflict] = []
    fields = _Fields(conflicts)
    moments = (ours.updated_at, theirs.updated_at)
    stamps: dict[str, str] = {}
    top = {
        name: fields.pick(
            "", name=name, values=(getattr(ours, name), getattr(theirs, name)),
            stamps=(ours.stamps, theirs.stamps), moments=moments, out=stamps, quiet=name in QUIET,
        )
        for name in INTERVIEW_FIELDS
    }  # fmt: skip
    numbers = {q.id: q.number for q in (*ours.snapshot.questions, *theirs.snapshot.questions)}
    answers: dict[str, Answer] = {}
    for question_id in sorted({*ours.answers, *theirs.answers}):
        mine, other = ours.answers.get(question_id), theirs.answers.get(question_id)
        if mine is None or other is None:
            kept = mine or other
            assert kept is not None
            answers[question_id] = replace(kept, lines=merge_lines(kept.lines, []))
            continue
        label = f"question {numbers.get(question_id, question_id)}"
        answers[question_id] = _merge_answer(label, mine, other, moments, fields)
    reflection = ours.reflection or theirs.reflection
    if ours.reflection is not None and theirs.reflection is not None:
        reflection = _merge_reflection(ours.reflection, theirs.reflection, moments, fields)
    top["status"] = status_for(  # worked out, never taken from one copy: see the module's doc
        questions_finished=ours.status != "draft" or theirs.status != "draft",
        has_verdict=reflection is not None and reflection.verdict is not None,
    )
    result = replace(
        ours,
        updated_at=max(ours.updated_at, theirs.updated_at),
        answers=answers,
        reflection=reflection,
        stamps=stamps,
        **top,
    )
    conflicts.sort(key=lambda c: (c.field, c.kept_stamp))
    changed = content(result) != content(ours) or result.updated_at != ours.updated_at
    return Merged(result, conflicts, changed)


def content(record: Interview) -> str:
    """What a merge decides of `record`, as text to compare (not its authorship, id or times)."""
    record = normalized(record)
    answers = {
        q: [plain(a.lines), {n: plain(getattr(a, n)) for n in ANSWER_FIELDS}, a.stamps]
        for q, a in sorted(record.answers.items())
    }
    reflection = None
    if record.reflection is not None:
        reflection = {n: plain(getattr(record.reflection, n)) for n in (*REFLECTION_FIELDS, "follow_ups")}
        reflection["stamps"] = record.reflection.stamps
    top = {n: plain(getattr(record, n)) for n in INTERVIEW_FIELDS}
    return _order([record.uid, top, record.stamps, answers, reflection])
