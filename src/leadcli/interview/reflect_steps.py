"""Two steps of `reflect`: the interviewer's level per framework domain, and the offerings they
would propose. The interviewer's judgement comes first; leadcli's reading is shown as a suggestion.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, cast

from leadcli.content.catalog import offering_matches
from leadcli.prompting import Pasted
from leadcli.store.records import Reflection
from leadcli.vocabulary import LEVEL_WORDS, LEVELS, Level

Keep = Callable[[str], None]
AskKeeping = Callable[..., str]
"""`ask(prompt, keep)`: a line; on Ctrl-C the half-typed words go to `keep` first."""


def level_of(text: str) -> Level | None:
    """`strong`, `p`, `don't know`, `?` ... -> a level (`unknown` for don't know); None if not one."""
    word = " ".join(text.strip().lower().replace("’", "'").split())
    if word in ("don't know", "dont know", "d", "?", "unknown", "u"):
        return "unknown"
    short: dict[str, Level] = {"s": "strong", "p": "partial", "l": "low"}
    return short.get(word) or (cast(Level, word) if word in LEVELS else None)


def _tokens(entry: str) -> list[str]:
    """The words of a line of ids (spaces or commas between them)."""
    return [t for t in re.split(r"[\s,]+", entry.strip()) if t]


def _no_completion(words: Sequence[str]) -> AbstractContextManager[Any]:
    return contextlib.nullcontext()


@dataclass(frozen=True, kw_only=True)
class StepWords:
    """The output's shared wording the per-domain step shows (`render.wording`'s, passed in)."""

    mark: str
    """Beside leadcli's reading."""
    legend: str
    """What the mark means."""
    views: str
    """Heading the institute's stakeholders' views."""


@dataclass(frozen=True, kw_only=True)
class DomainStep:
    """What `reflect` shows for one domain before asking the interviewer's level."""

    domain_id: str
    number: int
    title: str
    reading: str
    """leadcli's reading (†), offered as a suggestion."""
    rests_on: str
    thin: bool
    why: str = ""
    """Why leadcli's reading is that level, in words (empty when it is unknown)."""
    views: tuple[str, ...] = ()
    """The institute's stakeholders' views for this domain (a few of the report's words each)."""


@dataclass
class ReflectionSteps:
    domains: list[DomainStep]
    offerings: dict[str, str]
    words: StepWords
    """Offering id -> name, in the catalog's order."""
    completing: Callable[[Sequence[str]], AbstractContextManager[Any]] = field(default=_no_completion)
    """Offers words for Tab completion at one prompt (the prompt seam's; none in tests)."""
    _show: Callable[[str], None] = field(default=print, init=False, repr=False)

    def domain_levels(
        self, reflection: Reflection, ask: AskKeeping, save: Callable[[], None], show: Callable[[str], None]
    ) -> None:
        """Ask a level per domain; Enter keeps what is there (or leadcli's reading), - clears."""
        self._show = show
        mark = self.words.mark
        self._show(
            "Your level for each framework domain: strong, partial, low or don't know (s/p/l/d)."
            f" Enter keeps what is there; - clears it (leadcli's reading {mark} is used then)."
            f" {self.words.legend}"
        )
        for step in self.domains:
            self._show(f"{step.number}. {step.title}")
            if step.views:
                quoted = " · ".join(f"“{v}”" for v in step.views)
                self._show(f"   {self.words.views}: {quoted}")
            thin = ", thin" if step.thin else ""
            self._show(f"   leadcli's reading {mark}: {step.reading} ({step.rests_on}{thin})")
            if step.why:
                self._show(f"   why: {step.why}")
            while True:
                current = reflection.domain_levels.get(step.domain_id)
                now = f"; yours now: {LEVEL_WORDS[current]}" if current else ""

                def keep(words: str, title: str = step.title) -> None:
                    if level_of(words) is None:  # an unconfirmed level is not a note
                        self._add_words(reflection, title, words, save)

                typed = ask(f"  your level (s/p/l/d{now}): ", keep, "the gaps")
                entry = typed.strip()
                if isinstance(typed, Pasted):  # a paste is never a level: it is words
                    self._add_words(reflection, step.title, entry, save)
                    continue
                if not entry:
                    break
                if entry == "-":
                    reflection.domain_levels.pop(step.domain_id, None)
                    save()
                    break
                level = level_of(entry)
                if level is not None:
                    reflection.domain_levels[step.domain_id] = level
                    save()
                    break
                if len(entry.split()) <= 2:
                    self._show("Type s, p, l or d (strong, partial, low, don't know), Enter or -.")
                    continue
                self._add_words(reflection, step.title, entry, save)
                self._show("Not a level: added to the gaps answer. Type s, p, l or d, Enter or -.")

    def proposals(
        self, reflection: Reflection, ask: AskKeeping, save: Callable[[], None], show: Callable[[str], None]
    ) -> None:
        """Ask which offerings the interviewer would propose (ids, or the start of an id or name as
        `offerings show` takes it; Tab completes); they lead the recommendations, labelled as theirs.

        A line of offering ids is the proposal; one word that names none (or several) is refused and
        asked again; any other line is a sentence, added to the fit answer (leadcli says so) before
        the proposal is asked again."""
        self._show = show
        ids = list(self.offerings)
        if reflection.proposed:
            self._show("You would propose: " + ", ".join(reflection.proposed))
        while True:
            with self.completing(ids):
                typed = ask(
                    "Offerings you would propose (ids, Tab completes; Enter keeps, - for none): ",
                    lambda words: self._keep_proposal(reflection, words, save),
                    "the fit",
                )
            entry = typed.strip()
            if not entry and not isinstance(typed, Pasted):
                return
            if entry == "-" and not isinstance(typed, Pasted):
                reflection.proposed = []
                save()
                return
            chosen = None if isinstance(typed, Pasted) else self._offering_ids(entry)
            if chosen:
                reflection.proposed = list(dict.fromkeys(chosen))
                save()
                return
            tokens = _tokens(entry)
            if len(tokens) == 1 and not isinstance(typed, Pasted):  # a mistyped id: refused
                matches = offering_matches(self.offerings.items(), tokens[0])
                why = f"matches {', '.join(matches)}" if matches else "not an offering id"
                self._show(f"{tokens[0]}: {why} (nothing was saved). Offerings: {', '.join(ids)}")
                continue
            if entry:  # a paste, or a sentence: words, never a choice of ids
                self._add_to_fit(reflection, entry, save)
                self._show("Not offering ids: added to the fit answer. Type offering ids, Enter or -.")

    def _offering_ids(self, entry: str) -> list[str] | None:
        """The ids a line names, each word one offering (`diag` is diagnostics); None unless all do."""
        chosen = []
        for token in _tokens(entry):
            matches = offering_matches(self.offerings.items(), token)
            if len(matches) != 1:
                return None
            chosen.append(matches[0])
        return chosen or None

    def _keep_proposal(self, reflection: Reflection, words: str, save: Callable[[], None]) -> None:
        """Half-typed words at the proposals prompt are kept in the fit answer, unless they are only
        offering ids (a choice not confirmed with Enter is not words)."""
        if self._offering_ids(words) is None:
            self._add_to_fit(reflection, words, save)

    @staticmethod
    def _add_to_fit(reflection: Reflection, words: str, save: Callable[[], None]) -> None:
        """A sentence typed where offering ids were asked is kept, as a line of the fit answer."""
        if not words.strip():
            return
        reflection.fit = f"{reflection.fit}\n{words.strip()}" if reflection.fit else words.strip()
        save()

    @staticmethod
    def _add_words(reflection: Reflection, about: str, words: str, save: Callable[[], None]) -> None:
        """Words typed where a level or an id was asked are kept, in the gaps answer."""
        if not words.strip():
            return
        line = f"{about}: {words.strip()}"
        reflection.gaps = f"{reflection.gaps}\n{line}" if reflection.gaps else line
        save()
