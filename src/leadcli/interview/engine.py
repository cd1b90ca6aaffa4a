"""The interview engine: sequencing, navigation and saving. Prompts go through one seam.

The engine knows nothing of typer, rich or the render code. It asks through `ask(prompt) -> line`
(which may raise KeyboardInterrupt or EOFError: everything typed before is already committed) and
shows through `show(thing)`: plain strings (user text, printed literally by the caller's console)
or what the `view` it was given returns.
Every note line, cue choice and rating is written to the store as it is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from leadcli.content.models import Question
from leadcli.errors import LeadcliError, UsageError
from leadcli.store.db import Store
from leadcli.store.records import (
    Answer,
    Contact,
    FollowUp,
    Interview,
    Reflection,
)
from leadcli.vocabulary import AUDIENCE_LEVELS, RATINGS, VERDICTS, status_for

Ask = Callable[[str], str]
Show = Callable[[Any], None]
Edit = Callable[[str], str]
QuestionView = Callable[[Question, int, int, Answer | None], Any]  # question, index, total, answer

HELP = """Commands at any prompt:
  /back      go back to the previous question and amend its answer
  /skip      skip this question (it stays "not explored")
  /goto N    jump to question N
  /edit      open $EDITOR on this question's notes
  /pause     save and stop; resume later with `leadcli interview --resume ID`
  /quit      the same as /pause (so is /exit)
  /help      show this list
Notes: type lines, a blank line ends the note. Start a line with // to type a literal /.
Text typed at the cues or rating prompt that is not an answer is added to the notes."""

# Each command exactly as typed (any case); only /goto takes an argument.
_COMMAND = re.compile(r"^/(back|skip|edit|pause|quit|exit|help)\s*$|^/(goto)\s+(\S+)\s*$", re.IGNORECASE)
_ALIASES = {"quit": "pause", "exit": "pause"}
_NOTES_HIDE_CUES = 4  # note lines after which the cues are shown again before "cues heard"
COMMANDS = "/back, /skip, /goto N, /edit, /pause (or /quit, /exit), /help"
_RATING_KEYS = {"s": "strong", "p": "partial", "l": "low", **{r: r for r in RATINGS}}
_VERDICT_KEYS = {v[0]: v for v in VERDICTS} | {v: v for v in VERDICTS}


@dataclass(frozen=True)
class Nav:
    """A navigation command typed at a prompt."""

    action: str
    argument: str = ""


class Paused(Exception):
    """The interviewer typed /pause; everything is saved."""


def parse_contact(text: str) -> Contact:
    """`"Name, Role, level"` (role optional) -> Contact; the level must be an audience level."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 2 or not parts[0]:
        raise UsageError(
            f'contact {text!r}: write it as "Name, Role, level" (level: {", ".join(AUDIENCE_LEVELS)})'
        )
    level = parts[-1].lower().replace(" ", "-")
    if level not in AUDIENCE_LEVELS:
        raise UsageError(f"contact {text!r}: level {parts[-1]!r} is not one of {', '.join(AUDIENCE_LEVELS)}")
    role = ", ".join(parts[1:-1])
    return Contact(name=parts[0], role=role, level=level)


def parse_cues(text: str, question: Question) -> list[str]:
    """`"1 3"` or cue ids -> cue ids of this question; raises ValueError with a reason."""
    chosen: list[str] = []
    ids = [c.id for c in question.cues]
    for token in re.split(r"[\s,]+", text.strip()):
        if not token:
            continue
        if token.isdigit() and 1 <= int(token) <= len(ids):
            cue_id = ids[int(token) - 1]
        elif token in ids:
            cue_id = token
        else:
            raise ValueError(f"{token!r} is not a cue of this question: use numbers 1 to {len(ids)}")
        if cue_id not in chosen:
            chosen.append(cue_id)
    return chosen


@dataclass
class InterviewEngine:
    store: Store
    interview: Interview
    ask: Ask
    show: Show
    view: QuestionView
    edit: Edit | None = None
    _questions: tuple[Question, ...] = field(init=False)
    _current: Answer | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self._questions = self.interview.snapshot.questions

    # --- prompting ------------------------------------------------------------------------

    def _line(self, prompt: str) -> str | Nav:
        """One line of input, or a navigation command. /help is answered here."""
        while True:
            try:
                line = self.ask(prompt)
            except KeyboardInterrupt as stop:
                # The seam hands over the half-typed line (`partial`); it is saved before stopping.
                partial = getattr(stop, "partial", "")
                if partial.strip() and self._current is not None:
                    self._current.notes = (
                        f"{self._current.notes}\n{partial}" if self._current.notes else partial
                    )
                    self._save(self._current)
                raise
            stripped = line.strip()
            if stripped.startswith("//"):
                return line.lstrip()[1:]
            if not stripped.startswith("/"):
                return line
            match = _COMMAND.match(stripped)
            if match is None:
                self.show(
                    f"Not a command, not saved: {stripped}. Commands: {COMMANDS}. Type // for a literal /."
                )
                continue
            action = (match.group(1) or match.group(2)).lower()
            command = Nav(_ALIASES.get(action, action), (match.group(3) or "").strip())
            if command.action == "help":
                self.show(HELP)
                continue
            total = len(self._questions)
            if command.action == "goto" and not (
                command.argument.isdigit() and 1 <= int(command.argument) <= total
            ):
                self.show(f"/goto needs a question number from 1 to {total}.")  # one line, no redraw
                continue
            return command

    def _save(self, answer: Answer) -> None:
        self.interview.answers[answer.question_id] = answer
        self.store.save_answer(self.interview.id, answer)

    # --- the conversation -------------------------------------------------------------------

    def run(self) -> bool:
        """Go through the questions from where the interview stands; False if paused."""
        total = len(self._questions)
        index = min(max(self.interview.position, 0), total)
        while index < total:
            question = self._questions[index]
            self.store.set_position(self.interview.id, index)
            self.show(self.view(question, index, total, self.interview.answers.get(question.id)))
            outcome = self._answer(question)
            if outcome is None:
                index += 1
                continue
            if outcome.action == "pause":
                return False
            index = self._navigate(outcome, index, question)
        self.store.set_position(self.interview.id, total)
        self.interview.position = total
        status = status_for(
            questions_finished=True,
            has_verdict=bool(self.interview.reflection and self.interview.reflection.verdict),
        )
        if status != self.interview.status:
            self.store.set_status(self.interview.id, status)
            self.interview.status = status
        return True

    def unexplored(self) -> list[Question]:
        """The questions with no notes, cues or rating (skipped ones included)."""
        return [q for q in self._questions if not (a := self.interview.answers.get(q.id)) or not a.explored]

    def _navigate(self, nav: Nav, index: int, question: Question) -> int:
        total = len(self._questions)
        if nav.action == "back":
            if index == 0:
                self.show("This is the first question.")
            return max(index - 1, 0)
        if nav.action == "skip":
            existing = self.interview.answers.get(question.id)
            if existing is None or not (existing.notes or existing.cues or existing.rating):
                self._save(Answer(question_id=question.id, state="skipped"))
            return index + 1
        if nav.action == "goto":
            if nav.argument.isdigit() and 1 <= int(nav.argument) <= total:
                return int(nav.argument) - 1
            self.show(f"/goto needs a question number from 1 to {total}.")
            return index
        self.show(f"/{nav.action} is not available here.")  # /edit outside the notes
        return index

    def _answer(self, question: Question) -> Nav | None:
        answer = self.interview.answers.get(question.id)
        if answer is None or not answer.explored:
            answer = Answer(question_id=question.id)
        self._current = answer
        nav = self._notes(answer)
        if nav is not None:
            return nav
        nav = self._cues(question, answer)
        if nav is not None:
            return nav
        nav = self._rating(answer)
        if nav is not None:
            return nav
        existing = self.interview.answers.get(question.id)
        if not (answer.notes or answer.cues or answer.rating) and existing and existing.explored:
            self.store.forget_answer(self.interview.id, question.id)
            del self.interview.answers[question.id]
        return None

    def _notes(self, answer: Answer) -> Nav | None:
        prompt = "  … " if answer.notes else "  notes> "
        while True:
            entry = self._line(prompt)
            if isinstance(entry, Nav):
                if entry.action != "edit":
                    return entry
                self._edit_notes(answer)
                continue
            if not entry.strip():
                return None
            answer.notes = f"{answer.notes}\n{entry}" if answer.notes else entry
            self._save(answer)
            prompt = "  … "

    def _edit_notes(self, answer: Answer) -> None:
        if self.edit is None:
            self.show("/edit needs an editor: set $EDITOR.")
            return
        try:
            edited = self.edit(answer.notes).rstrip("\n")
        except LeadcliError as exc:  # a missing editor must not end the interview
            self.show(exc.message)
            return
        if edited != answer.notes:
            answer.notes = edited
            self._save(answer)
        self.show("Notes now read:" if edited else "Notes are empty.")
        if edited:
            self.show(edited)

    def _cues(self, question: Question, answer: Answer) -> Nav | None:
        if not question.cues:
            return None
        numbers = {c.id: str(n) for n, c in enumerate(question.cues, start=1)}
        current = " ".join(numbers.get(c, c) for c in answer.cues)
        hint = f" [{current}; - for none]" if current else " (e.g. 1 3; Enter for none)"
        if answer.notes.count("\n") >= _NOTES_HIDE_CUES:  # the numbered cues have scrolled away
            self.show(_cue_list(question))
        while True:
            entry = self._line(f"  cues heard{hint}: ")
            if isinstance(entry, Nav):
                return entry
            if not entry.strip():
                return None
            try:
                answer.cues = [] if entry.strip() == "-" else parse_cues(entry, question)
            except ValueError as exc:
                self._keep_as_note(answer, entry, f"{exc}")
                self.show(_cue_list(question))
                continue
            if answer.notes or answer.cues or answer.rating or answer.question_id in self.interview.answers:
                self._save(answer)
            return None

    def _keep_as_note(self, answer: Answer, entry: str, reason: str) -> None:
        """A line that is not an answer is never thrown away: it joins the notes."""
        answer.notes = f"{answer.notes}\n{entry}" if answer.notes else entry
        self._save(answer)
        self.show(f"{reason}; kept in this question's notes.")

    def _rating(self, answer: Answer) -> Nav | None:
        hint = f" [{answer.rating}; - for none]" if answer.rating else " (s/p/l; Enter to leave unrated)"
        while True:
            entry = self._line(f"  evidence: strong, partial or low{hint}: ")
            if isinstance(entry, Nav):
                return entry
            choice = entry.strip().lower()
            if not choice:
                return None
            if choice == "-":
                answer.rating = None
            elif choice in _RATING_KEYS:
                answer.rating = _RATING_KEYS[choice]
            else:
                self._keep_as_note(answer, entry, f"{entry.strip()!r} is not a rating (s, p or l)")
                continue
            self._save(answer)
            return None


def _cue_list(question: Question) -> str:
    """The numbered cues on one line, to see them again after long notes."""
    return "  cues: " + " · ".join(f"{n} {c.text}" for n, c in enumerate(question.cues, start=1))


@dataclass
class ReflectionEngine:
    """After the call: rate what is unrated, the three reflection questions, verdict, follow-ups."""

    store: Store
    interview: Interview
    ask: Ask
    show: Show

    def run(self) -> Reflection:
        reflection = self.interview.reflection or Reflection()
        self._rate_unrated()
        self.show("Reflection (Enter keeps what is there):")
        questions = {r.id: r for r in self.interview.snapshot.reflection}
        for key in ("fit", "concerns", "gaps"):
            question = questions.get(key)
            if question is None:
                continue
            self.show(question.text)
            current = getattr(reflection, key)
            if current:
                self.show(f"  now: {current}")
            entry = self.ask("  > ").strip()
            if entry:
                setattr(reflection, key, "" if entry == "-" else entry)
                self._save(reflection)
        reflection.verdict = self._verdict(reflection.verdict)
        self._save(reflection)
        self._follow_ups(reflection)
        return reflection

    def _save(self, reflection: Reflection) -> None:
        self.interview.reflection = reflection
        self.store.save_reflection(self.interview.id, reflection)

    def _rate_unrated(self) -> None:
        for question in self.interview.snapshot.questions:
            answer = self.interview.answers.get(question.id)
            if answer is None or not answer.explored or answer.rating:
                continue
            self.show(f"Question {question.number}, {question.category}: {answer.notes or '(no notes)'}")
            while True:
                choice = self.ask(
                    "  evidence: strong, partial or low (s/p/l; Enter to leave unrated): "
                ).strip()
                if not choice or choice.lower() in _RATING_KEYS:
                    break
                self.show("Type s, p or l, or Enter to leave it unrated.")
            if choice:
                answer.rating = _RATING_KEYS[choice.lower()]
                self.store.save_answer(self.interview.id, answer)

    def _verdict(self, current: str | None) -> str | None:
        hint = f" [{current}]" if current else ""
        while True:
            choice = (
                self.ask(f"Leadership commitment: strong, moderate, limited or unclear{hint}: ")
                .strip()
                .lower()
            )
            if not choice:
                return current
            if choice in _VERDICT_KEYS:
                return _VERDICT_KEYS[choice]
            self.show("Type strong, moderate, limited or unclear (or the first letter).")

    def _follow_ups(self, reflection: Reflection) -> None:
        from datetime import date

        if reflection.follow_ups:
            self.show("Follow-ups so far:")
            for item in reflection.follow_ups:
                self.show(f"  - {item.text} ({item.owner or 'no owner'}, due {item.due or 'no date'})")
            if self.ask("Keep them? [Y/n] ").strip().lower() in ("n", "no"):
                reflection.follow_ups = []
                self._save(reflection)
        while True:
            text = self.ask("Follow-up action (Enter to finish): ").strip()
            if not text:
                return
            owner = self.ask("  owner: ").strip()
            while True:
                due = self.ask("  due (YYYY-MM-DD, Enter for none): ").strip()
                try:
                    due_date = date.fromisoformat(due).isoformat() if due else None
                except ValueError:
                    self.show("Write the date as YYYY-MM-DD, e.g. 2027-01-15.")
                    continue
                break
            reflection.follow_ups.append(FollowUp(text=text, owner=owner, due=due_date))
            self._save(reflection)
