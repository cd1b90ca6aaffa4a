"""What the interviewer types at the cues prompt: `2+ 5-`, `1 3`, cue ids. A pure function.

A topic cue takes + or - (the interviewer's judgement of what was heard); a topic typed plainly
is heard but not judged until the interviewer says which. A strength or concern has its direction
already: a matching sign is allowed, the opposite one is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from leadcli.content.models import Cue, Question
from leadcli.vocabulary import Judgement

_SIGNS: dict[str, Judgement] = {"+": "+", "-": "-", "−": "-"}  # the typographic minus too
_FIXED = {"strength": "+", "concern": "-"}


@dataclass
class CueAnswer:
    """The cues heard, in the order typed, and the + or - given to the topics among them."""

    heard: list[str] = field(default_factory=list)
    judgements: dict[str, Judgement] = field(default_factory=dict)

    def unjudged(self, question: Question) -> list[Cue]:
        """The topics heard with no + or - yet."""
        return [
            c
            for c in question.cues
            if c.kind == "topic" and c.id in self.heard and c.id not in self.judgements
        ]


def parse_cue_answer(text: str, question: Question) -> CueAnswer:
    """`"2+ 5- 3"` or cue ids (`planning-process+`) -> what was heard; raises ValueError with a reason."""
    answer = CueAnswer()
    cues = list(question.cues)
    by_id = {c.id: c for c in cues}
    for token in re.split(r"[\s,]+", text.strip()):
        if not token:
            continue
        body, sign = token, None
        if token not in by_id and len(token) > 1 and token[-1] in _SIGNS:
            body, sign = token[:-1], _SIGNS[token[-1]]
        if body.isdigit() and 1 <= int(body) <= len(cues):
            cue = cues[int(body) - 1]
        elif body in by_id:
            cue = by_id[body]
        else:
            raise ValueError(
                f"{token!r} is not a cue of this question: use numbers 1 to {len(cues)}, + or - after a topic"
            )
        if sign is not None and cue.kind != "topic" and _FIXED[cue.kind] != sign:
            number = cues.index(cue) + 1
            raise ValueError(
                f"{token!r}: cue {number} is a {cue.kind} (leadcli's reading); only topics take + or -"
            )
        if cue.id not in answer.heard:
            answer.heard.append(cue.id)
        if sign is not None and cue.kind == "topic":
            answer.judgements[cue.id] = sign
    return answer


def judgement_of(text: str) -> Judgement | None:
    """`+`, `-` (or `−`) -> the judgement; None if it is not one."""
    return _SIGNS.get(text.strip())


def cue_answer_text(question: Question, heard: list[str], judgements: Mapping[str, str]) -> str:
    """What was heard as the interviewer would type it: `2+ 5-` (numbers; ids the question lacks as is)."""
    numbers = {c.id: str(n) for n, c in enumerate(question.cues, start=1)}
    return " ".join(numbers.get(c, c) + judgements.get(c, "") for c in heard)
