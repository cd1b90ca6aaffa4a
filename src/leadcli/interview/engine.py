"""The interview engines: the question loop (notes, cues, rating, navigation) and the reflection.

The engines know nothing of typer or rich. They ask through `ask(prompt) -> line` (which raises
KeyboardInterrupt, possibly `prompting.Stopped` carrying the half-typed line, or EOFError) and show
through `show(thing)`: plain strings are printed literally, never as markup; the question view is
made by the `view` function the command passes in. Every note line, cue choice and rating is
written to the store as it is given, and nothing typed is ever thrown away: a line that is not a
valid answer at the cues or rating prompt is added to the notes, so is a pasted block (`Pasted`,
never a command, a cue or a rating), and so is whatever was half typed when the conversation stops.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from leadcli.content.models import Question
from leadcli.dates import DATE_EXAMPLE, DATE_FORMAT, date_text, looks_like_date
from leadcli.errors import LeadcliError
from leadcli.interview.cue_answers import cue_answer_text, judgement_of, parse_cue_answer
from leadcli.interview.reflect_steps import ReflectionSteps
from leadcli.prompting import Pasted
from leadcli.store.records import Answer, FollowUp, Interview, Reflection
from leadcli.vocabulary import RATINGS, VERDICTS, Rating, Status, Verdict, letters, one_of, status_for


class InterviewWrites(Protocol):
    """The six writes the engines make, as `Store.interviews` makes them."""

    def save_answer(self, interview_id: str, answer: Answer) -> None: ...
    def add_line(self, interview_id: str, answer: Answer, text: str) -> object: ...
    def forget_answer(self, interview_id: str, question_id: str) -> None: ...
    def set_position(self, interview_id: str, position: int) -> None: ...
    def set_status(self, interview_id: str, status: Status) -> None: ...
    def save_reflection(self, interview_id: str, reflection: Reflection) -> None: ...


class Writes(Protocol):
    """Where the engines write: a Store, or `interview.capture.Capture` (this machine first)."""

    @property
    def interviews(self) -> InterviewWrites: ...


Ask = Callable[[str], str]
Show = Callable[[Any], None]
Edit = Callable[[str], str]


class View(Protocol):
    """The question on screen (`render/interview/terminal.question_view`); with `reminder`, only
    its numbered cues on one line, marked as the full list marks them, to show again just before
    `cues heard` once the notes have scrolled the list away."""

    def __call__(
        self, question: Question, index: int, total: int, answer: Answer | None, *, reminder: bool = False
    ) -> Any: ...


# name -> whether it takes an argument. /quit and /exit mean /pause: nothing is ever lost by leaving.
COMMANDS = {"back": False, "skip": False, "goto": True, "edit": False, "pause": False, "help": False}
ALIASES = {"quit": "pause", "exit": "pause"}

HELP = """Commands at any prompt:
  /back      go back to the previous question and amend its answer
  /skip      skip this question (it stays "not explored")
  /goto N    jump to question N
  /edit      open $EDITOR on this question's notes
  /pause     save and stop (also /quit, /exit); resume later with `leadcli interview --resume ID`
  /help      show this list
Notes: type lines, a blank line ends the note. Start a line with // to type a literal /.
A pasted block goes into the notes whole, blank lines included.
Anything typed at the cues or rating prompt that is not an answer is added to the notes."""

_RATING_KEYS: dict[str, Rating] = {r[0]: r for r in RATINGS} | {r: r for r in RATINGS}  # s, p, l
RATING_WORDS = one_of(RATINGS)  # strong, partial or low
RATING_LETTERS = "/".join(letters(RATINGS))  # s/p/l
RATING_SHORTCUTS = one_of(letters(RATINGS))  # s, p or l
NOT_A_RATING = f"Not a rating: added to the notes. Type {RATING_SHORTCUTS}, or Enter to leave it unrated."
NOT_A_RATING_WORD = f"Type {RATING_SHORTCUTS} ({', '.join(RATINGS)}), or Enter to leave it unrated."
VERDICT_WORDS = one_of(VERDICTS)
_VERDICT_KEYS: dict[str, Verdict] = {v[0]: v for v in VERDICTS} | {v: v for v in VERDICTS}


@dataclass(frozen=True)
class Nav:
    """A navigation command typed at a prompt."""

    action: str
    argument: str = ""


class Paused(Exception):
    """The interviewer typed /pause (or /quit, /exit); everything is saved."""


def parse_command(line: str) -> Nav | str | None:
    """A line starting with `/`: the command it is, or a one-line reason it is not one.

    Only an exact command name counts (any case), with an argument only where it takes one:
    `/skip-level meetings` and `/pasue` are refused, never guessed. None: not a command at all.
    """
    stripped = line.strip()
    if not stripped.startswith("/") or stripped.startswith("//"):
        return None
    name, _, argument = stripped[1:].partition(" ")
    name = ALIASES.get(name.lower(), name.lower())
    argument = argument.strip()
    if name in COMMANDS and (bool(argument) == COMMANDS[name] or name == "goto"):
        return Nav(name, argument)
    if name in COMMANDS:  # a command given an argument it does not take (/help me)
        typed = stripped.split()[0]
        return f"{typed} takes no argument (nothing was saved): type {typed} alone; // types a /."
    known = " ".join(f"/{c}{' N' if takes else ''}" for c, takes in COMMANDS.items())
    return f"{stripped.split()[0]!r} is not a command (nothing was saved). Commands: {known}; // types a /."


def parse_cues(text: str, question: Question) -> list[str]:
    """`"1 3"` or cue ids -> cue ids of this question (any + or - dropped); raises ValueError."""
    return parse_cue_answer(text, question).heard


def tries_an_answer(text: str) -> bool:
    """True for what looks like a choice gone wrong — one word, or numbers only (`1 9`, `1 3+ 4-`,
    `x`, `planing`, `maybe`) — which is refused and asked again; anything longer is words from the
    call, which go to the notes."""
    tokens = [t for t in re.split(r"[\s,]+", text.strip()) if t]
    return len(tokens) <= 1 or all(re.fullmatch(r"\d+[+-]?", t) for t in tokens)


def rating_of(text: str) -> Rating | None:
    """`s`, `P`, `partial`, `LOW` ... -> the rating; None if it is not one."""
    return _RATING_KEYS.get(text.strip().lower())


def verdict_of(text: str) -> Verdict | None:
    """`m`, `Moderate` ... -> the verdict; None if it is not one."""
    return _VERDICT_KEYS.get(text.strip().lower())


def kept_words(partial: str) -> str:
    """What of a stopped prompt's half-typed (and typed-ahead) lines is kept: each line as Enter
    would keep it (`//` types a `/`); a half-typed /command is no words."""
    lines = []
    for line in partial.split("\n"):
        stripped = line.lstrip()
        if parse_command(line) is not None:
            continue
        lines.append(stripped[1:] if stripped.startswith("//") else line)
    return "\n".join(lines).strip("\n") if "".join(lines).strip() else ""


def _say(show: Show, text: str) -> None:
    """Show `text` while stopping: a terminal that is gone must not hide the stop."""
    with contextlib.suppress(OSError):
        show(text)


@dataclass
class InterviewEngine:
    store: Writes
    interview: Interview
    ask: Ask
    show: Show
    view: View
    edit: Edit | None = None
    _questions: tuple[Question, ...] = field(init=False)
    _current: Answer | None = field(init=False, default=None)
    _answering: bool = field(init=False, default=False)  # at the cues or rating prompt

    def __post_init__(self) -> None:
        self._questions = self.interview.snapshot.questions

    # --- prompting ------------------------------------------------------------------------

    def _ask(self, prompt: str) -> str:
        """A line; on Ctrl-C, a signal or a closed terminal, what was half typed is kept in the notes
        first (after the last question: in its notes), each line a line of its own, and leadcli says
        so; keys typed after the stop (while leadcli was busy) are kept after them, never glued onto
        the half-typed line. If the store cannot take them, the stop carries them as `unsaved`."""
        try:
            return self.ask(prompt)
        except KeyboardInterrupt as stop:
            words = kept_words(getattr(stop, "partial", ""))
            after = kept_words(getattr(stop, "after", ""))
            if words or after:
                answer = self._current or self._last_answer()
                number = 1 + next(i for i, q in enumerate(self._questions) if q.id == answer.question_id)
                try:
                    for line in [x for x in f"{words}\n{after}".split("\n") if x.strip()]:
                        self._add_to_notes(answer, line)
                except LeadcliError as exc:
                    stop.unsaved = "\n".join(x for x in (words, after) if x)  # type: ignore[attr-defined]
                    _say(self.show, f"{exc.message}: the half-typed words were NOT saved.")
                    raise stop from None
                what = "answer" if self._answering else "words"
                if words:
                    _say(self.show, f"Kept the half-typed {what} in the notes of question {number}: {words}")
                if after:
                    _say(
                        self.show,
                        f"Kept what was typed after the stop in the notes of question {number}, as"
                        f" lines of their own: {after}",
                    )
            raise

    def _line(self, prompt: str) -> str | Nav:
        """One line of input, or a navigation command. /help and unknown commands are answered here.
        A paste at the cues or rating prompt goes to the notes, and the prompt is asked again."""
        while True:
            line = self._ask(prompt)
            if isinstance(line, Pasted):
                if not self._answering:
                    return line
                if line.strip() and self._current is not None:
                    self._add_to_notes(self._current, line)
                    self.show("Pasted text is never a cue or a rating: added to the notes.")
                continue
            command = parse_command(line)
            if command is None:
                stripped = line.lstrip()
                return stripped[1:] if stripped.startswith("//") else line
            if isinstance(command, str):
                self.show(command)
            elif command.action == "help":
                self.show(HELP)
            else:
                return command

    def _save(self, answer: Answer) -> None:
        self.interview.answers[answer.question_id] = answer
        self.store.interviews.save_answer(self.interview.id, answer)

    def _add_to_notes(self, answer: Answer, text: str) -> None:
        """One line more in the answer's notes: one row written, whatever the notes' length."""
        self.interview.answers[answer.question_id] = answer
        self.store.interviews.add_line(self.interview.id, answer, text)

    # --- the conversation -------------------------------------------------------------------

    def run(self) -> bool:
        """Go through the questions from where the interview stands; False if paused."""
        total = len(self._questions)
        index = min(max(self.interview.position, 0), total)
        shown = -1
        while True:
            while index < total:
                question = self._questions[index]
                if index != shown:
                    self.store.interviews.set_position(self.interview.id, index)
                    self.show(self.view(question, index, total, self.interview.answers.get(question.id)))
                    shown = index
                outcome = self._answer(question)
                if outcome is None:
                    index += 1
                    continue
                if outcome.action == "pause":
                    return False
                index = self._navigate(outcome, index, question)
            unexplored = self.unexplored()
            if not unexplored or not self._offer(unexplored):
                break
            index = unexplored[0]
        self.store.interviews.set_position(self.interview.id, total)
        has_verdict = bool(self.interview.reflection and self.interview.reflection.verdict)
        status = status_for(questions_finished=True, has_verdict=has_verdict)
        if status != self.interview.status:
            self.store.interviews.set_status(self.interview.id, status)
            self.interview.status = status
        return True

    def unexplored(self) -> list[int]:
        """Indexes of the questions with nothing recorded (skipped ones were passed over on purpose)."""
        return [i for i, q in enumerate(self._questions) if q.id not in self.interview.answers]

    def _offer(self, unexplored: list[int]) -> bool:
        names = "; ".join(
            f"{i + 1}. {self._questions[i].category}" for i in unexplored
        )  # numbers as /goto takes them
        self.show(f"Not explored yet: {names}.")
        return self.yes_or_no(f"Go to question {unexplored[0] + 1} now? [y/N] ")

    def yes_or_no(self, prompt: str) -> bool:
        """A y/N answer after the last question (a /command counts as No); another word (`maybe`)
        or numbers are refused and the question asked again, nothing stored; a sentence or a paste
        typed there is kept in the last question's notes, and the question is asked again."""
        while True:
            entry = self._ask(prompt)
            answer = entry.strip().lower()
            if not isinstance(entry, Pasted) and (
                answer in ("", "y", "yes", "n", "no") or parse_command(entry) is not None
            ):
                return answer in ("y", "yes")
            if not isinstance(entry, Pasted) and tries_an_answer(entry):
                self.show("Type y or n (Enter for no).")
            elif entry.strip():
                self.keep_after_the_end(entry)

    def _last_answer(self) -> Answer:
        last = self._questions[-1]
        kept = self.interview.answers.get(last.id)
        return kept if kept is not None and kept.explored else Answer(question_id=last.id)

    def keep_after_the_end(self, entry: str) -> None:
        """A sentence typed on after the last question belongs to the question just left."""
        self._add_to_notes(self._last_answer(), entry)
        self.show(f"Added to the notes of question {len(self._questions)}.")

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
        try:
            nav = self._notes(answer)
            self._answering = True
            nav = nav or self._cues(question, answer) or self._rating(answer)
        finally:
            self._current, self._answering = None, False
        if nav is not None:
            return nav
        existing = self.interview.answers.get(question.id)
        if not (answer.notes or answer.cues or answer.rating) and existing and existing.explored:
            self.store.interviews.forget_answer(self.interview.id, question.id)
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
                if isinstance(entry, Pasted):  # a paste of blank lines does not end the note
                    continue
                return None
            self._add_to_notes(answer, entry)
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
        current = cue_answer_text(question, answer.cues, answer.judgements)
        example = "1 3+ 4-" if any(c.kind == "topic" for c in question.cues) else "1 3"
        hint = f" [{current}; - for none]" if current else f" (e.g. {example}; Enter for none)"
        if answer.notes.count("\n") >= 3:  # the numbered cues have scrolled away: show them again
            number = self._questions.index(question)
            self.show(self.view(question, number, len(self._questions), answer, reminder=True))
        while True:
            entry = self._line(f"  cues heard{hint}: ")
            if isinstance(entry, Nav):
                return entry
            if not entry.strip():
                return None
            try:
                heard = parse_cue_answer("" if entry.strip() == "-" else entry, question)
            except ValueError as exc:
                if tries_an_answer(entry):
                    self.show(f"{exc} (nothing was saved).")
                    continue
                self._add_to_notes(answer, entry)
                self.show(f"{exc}; added to the notes.")
                continue
            answer.cues, answer.judgements = heard.heard, heard.judgements
            if answer.notes or answer.cues or answer.rating or answer.question_id in self.interview.answers:
                self._save(answer)
            return self._judge(question, answer, heard.unjudged(question))

    def _judge(self, question: Question, answer: Answer, topics: list) -> Nav | None:
        """Ask + or - for each topic heard plainly; Enter keeps it heard, not judged."""
        for cue in topics:
            number = question.cues.index(cue) + 1
            while True:
                entry = self._line(f"  {number} {cue.text}: + or -? (Enter: heard, not judged) ")
                if isinstance(entry, Nav):
                    return entry
                if not entry.strip():
                    break
                sign = judgement_of(entry)
                if sign is not None:
                    answer.judgements[cue.id] = sign
                    self._save(answer)
                    break
                if tries_an_answer(entry):
                    self.show("Type + or - (or Enter to keep it heard, not judged).")
                    continue
                self._add_to_notes(answer, entry)
                self.show("Not + or -: added to the notes.")
        return None

    def _rating(self, answer: Answer) -> Nav | None:
        hint = (
            f" [{answer.rating}; - for none]"
            if answer.rating
            else f" ({RATING_LETTERS}; Enter to leave unrated)"
        )
        while True:
            entry = self._line(f"  evidence: {RATING_WORDS}{hint}: ")
            if isinstance(entry, Nav):
                return entry
            choice = entry.strip()
            if not choice:
                return None
            if choice == "-":
                answer.rating = None
            elif rating_of(choice) is not None:
                answer.rating = rating_of(choice)
            elif tries_an_answer(entry):
                self.show(NOT_A_RATING_WORD)
                continue
            else:
                self._add_to_notes(answer, entry)
                self.show(NOT_A_RATING)
                continue
            self._save(answer)
            return None


def _is_answer(entry: str, answers: tuple[str, ...]) -> bool:
    """Whether a typed line is one of `answers` (a paste never is)."""
    return not isinstance(entry, Pasted) and entry.strip().lower() in answers


@dataclass
class ReflectionEngine:
    """After the call: rate what is unrated, the three reflection questions, a level per domain,
    the offerings to propose, verdict, follow-ups.

    As in the interview nothing typed is thrown away: a sentence at a prompt that wants a choice (the
    rating, `Keep them?`, the verdict, the due date) goes where a sentence belongs (the notes, the
    concerns, the follow-up's text) and leadcli says so; a stop keeps what was half typed."""

    store: Writes
    interview: Interview
    ask: Ask
    show: Show
    steps_for: Callable[[Interview], ReflectionSteps] | None = None
    """The per-domain levels and the proposals, made from the interview as it stands when they are
    asked (so leadcli's reading counts the ratings just given); without it (no content given) both
    are skipped."""

    def run(self) -> Reflection:
        reflection = self.interview.reflection or Reflection()
        self._rate_unrated()
        self.show("Reflection (Enter keeps what is there; type lines, a blank line ends an answer):")
        questions = {r.id: r for r in self.interview.snapshot.reflection}
        for key in ("fit", "concerns", "gaps"):
            question = questions.get(key)
            if question is None:
                continue
            self.show(question.text)
            current = getattr(reflection, key)
            if current:
                self.show(f"  now: {current}")
            self._lines(reflection, key)
        if self.steps_for is not None:
            self.interview.reflection = reflection
            steps = self.steps_for(self.interview)  # now: the ratings just typed count
            steps.domain_levels(reflection, self._ask, lambda: self._save(reflection), self.show)
            steps.proposals(reflection, self._ask, lambda: self._save(reflection), self.show)
        reflection.verdict = self._verdict(reflection)
        self._save(reflection)
        self._follow_ups(reflection)
        return reflection

    def _lines(self, reflection: Reflection, key: str) -> None:
        """An answer of several lines, ended by a blank line, each saved as it is typed; the first
        replaces what was there (Enter keeps it, `-` clears it)."""
        prompt = "  > "
        while True:
            entry = self._ask(prompt, lambda words: self._add_to(reflection, key, words), f"the {key}")
            text = entry.strip()
            if not text:
                if isinstance(entry, Pasted):
                    continue
                return
            if prompt == "  > ":
                setattr(reflection, key, "" if _is_answer(entry, ("-",)) else text)
                self._save(reflection)
                if not getattr(reflection, key):
                    return
            else:
                self._add_to(reflection, key, text)
            prompt = "  … "

    def _save(self, reflection: Reflection) -> None:
        self.interview.reflection = reflection
        self.store.interviews.save_reflection(self.interview.id, reflection)

    def _ask(self, prompt: str, keep: Callable[[str], None], where: str, *, always: bool = False) -> str:
        """A line; on Ctrl-C, a signal or a closed terminal, the half-typed words are handed to `keep`
        (saved) first and leadcli says where they went.

        `always`: call `keep` even with nothing half typed (what was given before is pending)."""
        try:
            return self.ask(prompt)
        except KeyboardInterrupt as stop:
            typed = (getattr(stop, "partial", "").strip(), getattr(stop, "after", "").strip())
            partial = "\n".join(words for words in typed if words)  # after the stop: a line of its own
            if partial or always:
                try:
                    keep(partial)
                except LeadcliError as exc:
                    stop.unsaved = partial  # type: ignore[attr-defined]
                    _say(self.show, f"{exc.message}: the half-typed words were NOT saved.")
                    raise stop from None
                if partial:
                    _say(self.show, f"Kept the half-typed words in {where}: {partial}")
            raise

    def _add_to(self, reflection: Reflection, key: str, words: str) -> None:
        current = getattr(reflection, key)
        setattr(reflection, key, f"{current}\n{words}" if current else words)
        self._save(reflection)

    def _add_to_notes(self, answer: Answer, words: str) -> None:
        self.store.interviews.add_line(self.interview.id, answer, words)

    def _rate_unrated(self) -> None:
        for question in self.interview.snapshot.questions:
            answer = self.interview.answers.get(question.id)
            if answer is None or not answer.explored or answer.rating:
                continue
            self.show(f"Question {question.number}, {question.category}: {answer.notes or '(no notes)'}")
            while True:
                entry = self._ask(
                    f"  evidence: {RATING_WORDS} ({RATING_LETTERS}; Enter to leave unrated): ",
                    functools.partial(self._add_to_notes, answer),
                    f"the notes of question {question.number}",
                )
                choice = entry.strip()
                if not choice or (not isinstance(entry, Pasted) and rating_of(choice) is not None):
                    break
                if not isinstance(entry, Pasted) and tries_an_answer(entry):  # `1 2 3 4+`, `stong`
                    self.show(NOT_A_RATING_WORD)
                    continue
                self._add_to_notes(answer, choice)
                self.show(NOT_A_RATING)
            if choice:
                answer.rating = rating_of(choice)
                self.store.interviews.save_answer(self.interview.id, answer)

    def _to_concerns(self, reflection: Reflection) -> Callable[[str], None]:
        return lambda words: self._add_to(reflection, "concerns", words)

    def _verdict(self, reflection: Reflection) -> Verdict | None:
        current = reflection.verdict
        hint = f" [{current}]" if current else ""
        while True:
            entry = self._ask(
                f"Leadership commitment: {VERDICT_WORDS}{hint}: ",
                self._to_concerns(reflection),
                "the concerns",
            )
            choice = entry.strip().lower()
            if not choice and not isinstance(entry, Pasted):
                return current
            if not isinstance(entry, Pasted) and verdict_of(choice) is not None:
                return verdict_of(choice)
            if choice and (isinstance(entry, Pasted) or not tries_an_answer(entry)):
                self._add_to(reflection, "concerns", entry.strip())
                self.show("Not a verdict: added to the concerns.")
            self.show(f"Type {VERDICT_WORDS} (or the first letter).")

    def _follow_ups(self, reflection: Reflection) -> None:
        if reflection.follow_ups:
            self.show("Follow-ups so far:")
            for item in reflection.follow_ups:
                self.show(f"  - {item.text} ({item.owner or 'no owner'}, due {item.due or 'no date'})")
            while True:
                entry = self._ask("Keep them? [Y/n] ", self._to_concerns(reflection), "the concerns")
                if _is_answer(entry, ("", "y", "yes", "n", "no")):
                    break
                if entry.strip() and (isinstance(entry, Pasted) or not tries_an_answer(entry)):
                    self._add_to(reflection, "concerns", entry.strip())
                    self.show("Not a yes or no: added to the concerns.")
                self.show("Type y to keep the follow-ups or n to start them again (Enter keeps them).")
            if _is_answer(entry, ("n", "no")):
                reflection.follow_ups = []
                self._save(reflection)

        def keep(text: str, owner: str = "", due: str = "") -> None:
            """A follow-up cut short by Ctrl-C or a signal is saved with what it has."""
            due_date = date_text(due) if due else None
            if due and due_date is None:  # not a date: kept in the text, not lost
                text = f"{text} (due: {due})"
            reflection.follow_ups.append(FollowUp(text=text, owner=owner, due=due_date))
            self._save(reflection)

        while True:
            text = self._ask("Follow-up action (Enter to finish): ", keep, "a follow-up").strip()
            if not text:
                return
            owner = self._ask(
                "  owner: ", functools.partial(keep, text), "the follow-up", always=True
            ).strip()
            while True:
                entry = self._ask(
                    f"  due ({DATE_FORMAT}, Enter for none): ",
                    functools.partial(keep, text, owner),
                    "the follow-up's text",
                    always=True,
                )
                due = entry.strip()
                due_date = date_text(due) if due else None
                if due and due_date is None:
                    if isinstance(entry, Pasted) or not looks_like_date(due):
                        text = f"{text} (due: {due})"
                        self.show("Not a date: added to the follow-up's text.")
                    self.show(f"Write the date as {DATE_FORMAT}, e.g. {DATE_EXAMPLE}, or Enter for none.")
                    continue
                break
            reflection.follow_ups.append(FollowUp(text=text, owner=owner, due=due_date))
            self._save(reflection)
