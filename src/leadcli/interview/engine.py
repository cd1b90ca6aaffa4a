"""The interview engine: sequencing, navigation and saving. Prompts go through one seam.

The engine knows nothing of typer. It asks through `ask(prompt) -> line` (which may raise
KeyboardInterrupt or EOFError: everything typed before is already committed) and shows through
`show(renderable)`. Every note line, cue choice and rating is written to the store as it is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from leadcli.content.models import Content, Question
from leadcli.errors import LeadcliError, UsageError
from leadcli.store.db import Store, snapshot_data
from leadcli.store.records import (
    Answer,
    Contact,
    ContentStamp,
    FollowUp,
    Interview,
    Reflection,
)
from leadcli.vocabulary import AUDIENCE_LEVELS, RATINGS, VERDICTS

Ask = Callable[[str], str]
Show = Callable[[Any], None]
Edit = Callable[[str], str]

HELP = """Commands at any prompt:
  /back      go back to the previous question and amend its answer
  /skip      skip this question (it stays "not explored")
  /goto N    jump to question N
  /edit      open $EDITOR on this question's notes
  /pause     save and stop; resume later with `leadcli interview --resume ID`
  /help      show this list
Notes: type lines, a blank line ends the note. Start a line with // to type a literal /."""

_COMMAND = re.compile(r"^/(back|skip|goto|edit|pause|help)\b\s*(.*)$", re.IGNORECASE)
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


def content_stamp(content: Content) -> ContentStamp:
    return ContentStamp(
        framework_version=content.framework.version,
        framework_sha256=content.files["framework.yaml"].sha256 if content.files else "",
        questions_version=content.questions.version,
        questions_sha256=content.files["questions.yaml"].sha256 if content.files else "",
    )


def begin_interview(
    store: Store,
    content: Content,
    *,
    organization: str,
    interviewer: str,
    region: str,
    contacts: list[Contact],
) -> Interview:
    """Create a draft interview that keeps a copy of the questions it will show."""
    for label, value in (("organization", organization), ("interviewer", interviewer)):
        if not value.strip():
            raise UsageError(f"the {label} must not be blank")
    interview_id = store.create_interview(
        organization=organization.strip(),
        interviewer=interviewer.strip(),
        region=region.strip(),
        contacts=contacts,
        stamp=content_stamp(content),
        snapshot_data=snapshot_data(content.questions.questions, content.questions.reflection.questions),
    )
    return store.get(interview_id)


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
    edit: Edit | None = None
    _questions: tuple[Question, ...] = field(init=False)

    def __post_init__(self) -> None:
        self._questions = self.interview.snapshot.questions

    # --- prompting ------------------------------------------------------------------------

    def _line(self, prompt: str) -> str | Nav:
        """One line of input, or a navigation command. /help is answered here."""
        while True:
            line = self.ask(prompt)
            match = _COMMAND.match(line.strip())
            if match is None:
                return line[1:] if line.startswith("//") else line
            command = Nav(match.group(1).lower(), match.group(2).strip())
            if command.action == "help":
                self.show(HELP)
                continue
            return command

    def _save(self, answer: Answer) -> None:
        self.interview.answers[answer.question_id] = answer
        self.store.save_answer(self.interview.id, answer)

    # --- the conversation -------------------------------------------------------------------

    def run(self) -> bool:
        """Go through the questions from where the interview stands; False if paused."""
        from leadcli.render.interview import question_view

        total = len(self._questions)
        index = min(max(self.interview.position, 0), total)
        while index < total:
            question = self._questions[index]
            self.store.set_position(self.interview.id, index)
            self.show(question_view(question, index, total, self.interview.answers.get(question.id)))
            outcome = self._answer(question)
            if outcome is None:
                index += 1
                continue
            if outcome.action == "pause":
                return False
            index = self._navigate(outcome, index, question)
        self.store.set_position(self.interview.id, total)
        if self.interview.status == "draft":
            self.store.set_status(self.interview.id, "awaiting-reflection")
            self.interview.status = "awaiting-reflection"
        return True

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
            self.show(_literal(edited))

    def _cues(self, question: Question, answer: Answer) -> Nav | None:
        if not question.cues:
            return None
        numbers = {c.id: str(n) for n, c in enumerate(question.cues, start=1)}
        current = " ".join(numbers.get(c, c) for c in answer.cues)
        hint = f" [{current}; - for none]" if current else " (e.g. 1 3; Enter for none)"
        while True:
            entry = self._line(f"  cues heard{hint}: ")
            if isinstance(entry, Nav):
                return entry
            if not entry.strip():
                return None
            try:
                answer.cues = [] if entry.strip() == "-" else parse_cues(entry, question)
            except ValueError as exc:
                self.show(str(exc))
                continue
            if answer.notes or answer.cues or answer.rating or answer.question_id in self.interview.answers:
                self._save(answer)
            return None

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
                self.show("Type s, p or l (strong, partial, low), or Enter to leave it unrated.")
                continue
            self._save(answer)
            return None


def _literal(value: str) -> Any:
    from leadcli.render.plain import text

    return text(value)


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
            self.show(_literal(question.text))
            current = getattr(reflection, key)
            if current:
                self.show(_literal(f"  now: {current}"))
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
            self.show(
                _literal(f"Question {question.number}, {question.category}: {answer.notes or '(no notes)'}")
            )
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
                self.show(
                    _literal(f"  - {item.text} ({item.owner or 'no owner'}, due {item.due or 'no date'})")
                )
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


# --- whole sessions, as the commands run them -----------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Details:
    """Who the conversation is with; anything left empty is asked for."""

    organization: str = ""
    interviewer: str = ""
    region: str = ""
    contacts: tuple[Contact, ...] = ()


def ask_details(details: Details, ask: Ask, show: Show) -> Details:
    organization = details.organization
    while not organization.strip():
        organization = ask("Organization: ")
    contacts = list(details.contacts)
    if not contacts:
        show(
            'People in the conversation, one per line as "Name, Role, level" '
            f"({', '.join(AUDIENCE_LEVELS)}); blank to finish."
        )
        while entry := ask("  person: ").strip():
            try:
                contacts.append(parse_contact(entry))
            except UsageError as exc:
                show(exc.message)
    interviewer = details.interviewer
    while not interviewer.strip():
        interviewer = ask("Interviewer (you): ")
    region = details.region or ask("Region of the organization (e.g. United Kingdom; Enter to skip): ")
    return Details(
        organization=organization, interviewer=interviewer, region=region, contacts=tuple(contacts)
    )


def interview_session(
    store: Store,
    content: Content,
    *,
    details: Details,
    resume: str | None,
    ask: Ask,
    show: Show,
    edit: Edit | None,
) -> Interview:
    """Start or resume an interview and run it; offer the reflection when it is finished.

    Raises Paused on /pause and KeyboardInterrupt/EOFError on Ctrl-C or end of input, with
    `resume_command` set on the exception; nothing typed before is lost either way.
    """
    if resume:
        interview = store.get(resume)
        if interview.position >= len(interview.snapshot.questions):
            interview.position = 0  # a finished interview is resumed to amend it, from the top
        show(_literal(f"Resuming interview {interview.id} with {interview.organization}."))
    else:
        filled = ask_details(details, ask, show)
        interview = begin_interview(
            store,
            content,
            organization=filled.organization,
            interviewer=filled.interviewer,
            region=filled.region,
            contacts=list(filled.contacts),
        )
        show(_literal(f"Interview {interview.id} with {interview.organization}. Type /help for commands."))
    resume = f"leadcli interview --resume {interview.id}"
    try:
        if not InterviewEngine(store, interview, ask, show, edit).run():
            raise Paused(interview.id)
        show(_literal(f"All questions done. Interview {interview.id} is {interview.status}."))
        resume = f"leadcli reflect {interview.id}"
        if ask("Reflect now? [y/N] ").strip().lower() in ("y", "yes"):
            ReflectionEngine(store, interview, ask, show).run()
            show(_literal(f"Saved. See the assessment with: leadcli report {interview.id}"))
        else:
            show(_literal(f"Reflect later with: leadcli reflect {interview.id}"))
    except (KeyboardInterrupt, EOFError) as exc:
        exc.resume_command = resume  # type: ignore[union-attr]
        raise
    return store.get(interview.id)


def import_interview(store: Store, content: Content, path: Any, details: Details) -> Interview:
    """Store an interview from an answers file, all at once, only if the whole file is valid."""
    from leadcli.interview.answers_file import load_answers_file

    parsed = load_answers_file(
        path, content.questions, need_interview=not (details.organization and details.interviewer)
    )
    organization = details.organization or parsed.organization
    status = "awaiting-reflection"
    if parsed.reflection is not None and parsed.reflection.verdict:
        status = "complete"
    interview_id = store.create_interview(
        organization=organization,
        interviewer=details.interviewer or parsed.interviewer,
        region=details.region or parsed.region,
        contacts=list(details.contacts) or parsed.contacts,
        stamp=content_stamp(content),
        snapshot_data=snapshot_data(content.questions.questions, content.questions.reflection.questions),
        answers=parsed.answers,
        reflection=parsed.reflection,
        status=status,
    )
    return store.get(interview_id)


def import_reflection(store: Store, content: Content, interview_id: str, path: Any) -> Interview:
    """Replace an interview's reflection with the `reflection:` part of an answers file."""
    from leadcli.errors import ContentError
    from leadcli.interview.answers_file import load_answers_file

    interview = store.get(interview_id)
    parsed = load_answers_file(path, content.questions, need_interview=False)
    if parsed.reflection is None:
        raise ContentError(
            [f"{path}:1: reflection: the file has no reflection section"],
            about=f"the answers file {path}",
        )
    store.save_reflection(interview.id, parsed.reflection)
    return store.get(interview.id)
