"""Driving a live interview through faults: a script of typed lines and fault actions, the
fault-free transcript to compare with, and waiting for the background push."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest

# The two questions of the tiny content, answered; `ACTIONS` go between these lines.
LINES = [
    "Board sets three aims",
    "CFO worried about cost",
    "",
    "1 2",
    "p",
    "Ideas come from nurses",
    "a weekly huddle",
    "",
    "1",
    "s",
    "n",  # Reflect now?
]
TYPED_WORDS = ["Board sets three aims", "CFO worried about cost", "Ideas come from nurses", "a weekly huddle"]
ARGS = ("interview", "--org", "St Mary's", "--contact", "Ana Ruiz, CEO, executive", "--interviewer", "Kim")
ARGS += ("--region", "UK")


class Script:
    """Types lines at leadcli's prompts, echoing them as a terminal would; a callable in the script
    is run (a fault, a wait) when the prompt after it is reached, instead of being typed."""

    def __init__(self, items: list[Any]) -> None:
        self.items = list(items)
        self.times: list[float] = []  # when each prompt was asked

    def __call__(self, prompt: str) -> str:
        while self.items and callable(self.items[0]):
            self.items.pop(0)()
        self.times.append(time.monotonic())
        if not self.items:
            raise EOFError
        line = self.items.pop(0)
        sys.stdout.write(f"{prompt}{line}\n")
        return line


def install(monkeypatch: pytest.MonkeyPatch, items: list[Any]) -> Script:
    from leadcli import prompting

    script = Script(items)
    monkeypatch.setenv("COLUMNS", "500")  # status lines unwrapped, in the baseline alike
    monkeypatch.setattr(prompting, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(prompting, "ask", script)
    return script


def captures(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every Capture the test's interviews make, as they are made."""
    from leadcli.interview.capture import Capture

    made: list[Any] = []
    original = Capture.__init__

    def remember(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(Capture, "__init__", remember)
    return made


def until(condition: Callable[[], object], what: str, seconds: float = 30.0) -> Callable[[], None]:
    """A script action: wait until `condition()` holds (fail the test after `seconds`)."""

    def wait() -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {seconds} s for {what}")
            time.sleep(0.02)

    return wait


def no_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The live interview's watcher (and its pusher's look for a delete) never looks: a test of
    what a write finds is then not raced by what the watcher finds meanwhile."""
    from leadcli.interview import capture

    monkeypatch.setattr(capture, "WATCH_SECONDS", 3600.0)


def synced(made: list[Any]) -> Callable[[], None]:
    """Wait until the running interview has nothing waiting for the team store and the pusher is well."""

    def done() -> bool:
        capture = made[-1]
        pusher = capture.pusher
        healthy = pusher is None or (pusher.problem is None and pusher.busy_since is None)
        return capture.mode != "memory" and healthy and capture.waiting_lines() == 0

    return until(done, "every line to reach the team store")


def failing(made: list[Any]) -> Callable[[], None]:
    """Wait until the pusher has found the team store failing (or slow)."""
    return until(
        lambda: made[-1].pusher is not None and (made[-1].pusher.problem or made[-1].pusher.slow()),
        "the push to fail",
    )


def script_with(actions: dict[int, list[Callable[[], None]]], lines: list[str] = LINES) -> list[Any]:
    """`lines` (LINES) with the actions for index i run just before line i is typed."""
    items: list[Any] = []
    for index, line in enumerate(lines):
        items.extend(actions.get(index, []))
        items.append(line)
    items.extend(actions.get(len(lines), []))
    return items


def normalized(text: str, *ids: str) -> list[str]:
    """Transcript lines without trailing spaces, interview ids (fixed ones, and `ids`) as ID and
    times as TIME."""
    text = re.sub(r"\bid\d{4}\b", "ID", text)
    shown = re.search(r"^Interview (\w{6}) with", text, re.MULTILINE)
    for interview_id in (*ids, *([shown.group(1)] if shown else [])):
        text = text.replace(interview_id, "ID")
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", "TIME", text)
    return [line.rstrip() for line in text.splitlines()]


def expected(baseline: str, after: dict[str, list[str]], *, at_end: list[str] = ()) -> list[str]:
    """The fault-free transcript with the lines `after[echo]` shown right after the line `echo`
    (a prompt and what was typed at it), and `at_end` before the last line."""
    lines: list[str] = []
    pending = dict(after)
    for line in normalized(baseline):
        lines.append(line)
        if line in pending:
            lines.extend(pending.pop(line))
    assert not pending, f"typed lines not in the transcript: {list(pending)}"
    if at_end:
        lines.extend(at_end)
    return lines


def run_baseline(
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    tiny_data: Any,
    home: Any,
    lines: list[str] = LINES,
) -> str:
    """The transcript of the same interview (`lines`) with nothing going wrong (SQLite, its own home)."""
    install(monkeypatch, list(lines))
    monkeypatch.delenv("LEADCLI_DATABASE_URL", raising=False)
    result = run("--home", str(home), "--data-dir", str(tiny_data), *ARGS)
    assert result.exit_code == 0, result.output
    return result.stdout


def assert_every_word_stored(record: Any, *, also: tuple[str, ...] = ()) -> None:
    """Every typed line (and `also`), the cues and the ratings are in the stored interview."""
    first, second = (record.answers[q.id] for q in record.snapshot.questions)
    notes = first.notes.split("\n") + second.notes.split("\n")
    for words in (*TYPED_WORDS, *also):
        assert words in notes, (words, notes)
    ours = [line for line in notes if line in TYPED_WORDS]
    assert ours == TYPED_WORDS  # each once, in the order typed
    assert (first.cues, first.rating) == (["who-decides", "infrastructure"], "partial")
    assert (second.cues, second.rating) == (["inside"], "strong")


NOTES1 = "  notes> Board sets three aims"
NOTES2 = "  … CFO worried about cost"
CUES1 = "  cues heard (e.g. 1 3; Enter for none): 1 2"
RATING1 = "  evidence: strong, partial or low (s/p/l; Enter to leave unrated): p"
NOTES3 = "  notes> Ideas come from nurses"
NOTES4 = "  … a weekly huddle"
CUES2 = "  cues heard (e.g. 1 3; Enter for none): 1"
RATING2 = "  evidence: strong, partial or low (s/p/l; Enter to leave unrated): s"


def same(got: list[str], want: list[str]) -> None:
    """Assert two transcripts are the same, showing the difference line by line when not."""
    import difflib

    assert got == want, "\n" + "\n".join(difflib.unified_diff(want, got, "expected", "got", lineterm=""))


def sqlite_store(home: Any) -> Any:
    """The SQLite store in `home` itself (whatever LEADCLI_DATABASE_URL says)."""
    from leadcli.store.db import Store
    from leadcli.store.dialects.sqlite import SQLITE

    return Store(SQLITE.open(home))
