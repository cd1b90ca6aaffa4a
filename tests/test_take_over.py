"""`--take-over` from a second real terminal while the first is still typing: the terminal that lost
the lease keeps every line (they are combined into the interview, never refused) and says so; the
one that took it says whose it was. On SQLite, and on a server store from one machine and from two
(two leadcli homes: two machine ids). Each test checks both whole transcripts and that every word
typed in either terminal is in the store afterwards. `leadcli delete` from a third is refused."""

from __future__ import annotations

import io
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.capture_helpers import same
from tests.test_interview_pexpect import TIMEOUT

pexpect = pytest.importorskip("pexpect")

ORG = (
    "--org",
    "St Mary's",
    "--contact",
    "Ana Ruiz, CEO, executive",
    "--interviewer",
    "Kim",
    "--region",
    "UK",
)
FIRST_WORDS = ["Board sets three aims", "CFO worried about cost", "Ideas come from nurses", "a weekly huddle"]
SECOND_WORDS = ["Sam heard the budget is set", "and the board meets monthly", "Sam's idea from the wards"]


class Terminal:
    """One leadcli in a pseudo-terminal of its own (wide: messages unwrapped), its whole output kept."""

    def __init__(self, home: Path, data: Path, *args: str) -> None:
        env = {**os.environ, "LEADCLI_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "400", "TERM": "xterm"}
        self.output = io.StringIO()
        self.child = pexpect.spawn(
            sys.executable, ["-m", "leadcli", "--data-dir", str(data), *args],
            env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(40, 400),
        )  # fmt: skip
        self.child.logfile_read = self.output

    def line(self, text: str, then: str = "… ") -> None:
        """Type `text` and Enter, and wait for the prompt `then` (exactly that text, or EOF)."""
        self.child.sendline(text)
        self.child.expect_exact(then)

    def end(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus

    def transcript(self, interview_id: str) -> list[str]:
        """What the terminal showed, line by line: no escapes; the id as ID, times as TIME, who holds
        a lease as WHO on HOST (machine M, process P)."""
        text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", self.output.getvalue())
        text = text.replace("\r\n", "\n").replace("\r", "").replace(interview_id, "ID")
        text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", "TIME", text)
        text = re.sub(r"by \S+ on \S+ \(machine [0-9a-f]{16}, process \d+\)", "by WHO", text)
        return [line.rstrip() for line in text.split("\n")]


def until(condition: Callable[[], object], what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.05)


def stored(home: Path):
    """The one interview as the store has it (on a server, LEADCLI_DATABASE_URL's)."""
    from leadcli.store.db import Store

    with Store.open(home, url=os.environ.get("LEADCLI_DATABASE_URL")) as store:
        [summary], _ = store.interviews.summaries()
        return store.interviews.get(summary.id)


def has_line(home: Path, words: str) -> bool:
    return any(words in answer.notes.split("\n") for answer in stored(home).answers.values())


@pytest.fixture(params=["sqlite", "server, one machine", "server, two machines"])
def setup(request, isolated_home, tmp_path, monkeypatch) -> tuple[str, Path, Path]:
    """(the case, the first terminal's home, the second's): one home, or two on one server."""
    if request.param == "sqlite":
        monkeypatch.delenv("LEADCLI_DATABASE_URL", raising=False)
        return request.param, isolated_home, isolated_home
    monkeypatch.setenv("LEADCLI_DATABASE_URL", request.getfixturevalue("postgres_url"))
    if request.param == "server, one machine":
        return request.param, isolated_home, isolated_home
    return request.param, isolated_home, tmp_path / "other-laptop"


QUESTION_1 = [
    "Question 1 of 2  ·  Planning",
    "  How are priorities set?",
    "  Trying to learn: Listen for who decides.",
    "    1. + Who decides †",
    "    2. + Infrastructure †",
    "    (+ strength, − concern, ± topic (judged + or −); kinds and † wordings are leadcli's)",
]
QUESTION_2 = [
    "Question 2 of 2  ·  Ideas",
    "  Where do ideas come from?",
    "  Trying to learn: Inside and outside.",
    "    1. + Looks inside †",
    "    2. + Looks outside †",
    "    (+ strength, − concern, ± topic (judged + or −); kinds and † wordings are leadcli's)",
]
TYPE_NOTES = "Type notes; a blank line ends them. /help for commands."
CUES = "  cues heard (e.g. 1 3; Enter for none): "
RATING = "  evidence: strong, partial or low (s/p/l; Enter to leave unrated): "
LOST = "interview ID was taken over by WHO since TIME; what you type is kept on this machine and added to it"


def test_a_take_over_keeps_the_losing_terminals_lines_and_both_say_so(setup, tiny_data) -> None:
    case, home, other = setup
    first = Terminal(home, tiny_data, "interview", *ORG)
    first.child.expect("notes> ")
    first.line(FIRST_WORDS[0])
    until(lambda: has_line(home, FIRST_WORDS[0]), "the first line to reach the store")
    interview_id = stored(home).id

    second = Terminal(other, tiny_data, "interview", "--resume", interview_id, "--take-over")
    second.child.expect("… ")
    second.line(SECOND_WORDS[0])
    until(lambda: has_line(home, SECOND_WORDS[0]), "the second terminal's line to reach the store")
    first.line(FIRST_WORDS[1])  # its lease is gone: the line is kept all the same
    until(lambda: has_line(home, FIRST_WORDS[1]), "the first terminal's line after the take-over")
    second.line(SECOND_WORDS[1])
    until(lambda: has_line(home, SECOND_WORDS[1]), "the second terminal's next line")
    second.line("/pause", pexpect.EOF)
    second.child.close()
    assert second.child.exitstatus == 0
    first.line("", CUES.rstrip())
    first.line("1 2", RATING.rstrip())
    first.line("p", "notes> ")
    first.line(FIRST_WORDS[2])
    first.line(FIRST_WORDS[3])
    first.line("", CUES.rstrip())
    first.line("1", RATING.rstrip())
    first.line("s", "Reflect now? [y/N] ")
    first.child.sendline("n")
    assert first.end() == 0

    # The terminal that lost the lease says so at once where it can tell (on this machine: the
    # next write), else when its next push finds the lease gone; and at the end, where its lines went.
    told = 1 if case == "server, two machines" else 0  # after the cues, not the line before them
    same(
        first.transcript(interview_id),
        [
            "Interview ID with St Mary's. Type /help for commands.",
            "",
            *QUESTION_1,
            TYPE_NOTES,
            f"  notes> {FIRST_WORDS[0]}",
            f"  … {FIRST_WORDS[1]}",
            *([LOST] if not told else []),
            "  …",
            f"{CUES}1 2",
            *([LOST] if told else []),
            f"{RATING}p",
            "",
            *QUESTION_2,
            TYPE_NOTES,
            f"  notes> {FIRST_WORDS[2]}",
            f"  … {FIRST_WORDS[3]}",
            "  …",
            f"{CUES}1",
            f"{RATING}s",
            "Questions finished. Interview ID is awaiting-reflection.",
            "Reflect now? [y/N] n",
            "Reflect later with: leadcli reflect ID",
            "interview ID was taken over by WHO since TIME; every line typed here was added to it",
            "",
        ],
    )
    same(
        second.transcript(interview_id),
        [
            "interview ID was open by WHO since TIME; taken over here: what is typed there meanwhile is added"
            " to it",
            "Resuming interview ID with St Mary's.",
            "",
            *QUESTION_1,
            "  Recorded so far (new lines are added to the notes; /edit to change):",
            f"    {FIRST_WORDS[0]}",
            TYPE_NOTES,
            f"  … {SECOND_WORDS[0]}",
            f"  … {SECOND_WORDS[1]}",
            "  … /pause",
            "leadcli: paused and saved. Resume with: leadcli interview --resume ID",
            "",
        ],
    )
    from leadcli.services.sync import sync

    for where in {home, other}:  # nothing waits on either machine
        assert not sync(where, os.environ.get("LEADCLI_DATABASE_URL")).left
    record = stored(home)
    first_answer, second_answer = (record.answers[q.id] for q in record.snapshot.questions)
    assert first_answer.notes.split("\n") == [
        FIRST_WORDS[0],
        SECOND_WORDS[0],
        FIRST_WORDS[1],
        SECOND_WORDS[1],
    ]
    assert second_answer.notes.split("\n") == FIRST_WORDS[2:]
    assert (first_answer.cues, first_answer.rating) == (["who-decides", "infrastructure"], "partial")
    assert (second_answer.cues, second_answer.rating) == (["inside"], "strong")


@pytest.mark.parametrize("backend", ["sqlite", "server"])
def test_delete_of_the_interview_open_in_a_terminal_is_refused_and_the_typing_goes_on(
    backend, run, isolated_home, tiny_data, monkeypatch, request
) -> None:
    if backend == "sqlite":
        monkeypatch.delenv("LEADCLI_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("LEADCLI_DATABASE_URL", request.getfixturevalue("postgres_url"))
    first = Terminal(isolated_home, tiny_data, "interview", *ORG)
    first.child.expect("notes> ")
    first.line(FIRST_WORDS[0])
    until(lambda: has_line(isolated_home, FIRST_WORDS[0]), "the line to reach the store")
    interview_id = stored(isolated_home).id
    refused = run("delete", interview_id, "--yes")
    assert refused.exit_code == 1
    where = r"\S+ on \S+ \(machine [0-9a-f]{16}, process " + str(first.child.pid) + r"\) since \S+"
    assert re.fullmatch(
        f"leadcli: error: interview {interview_id} is open by {where}; it was not deleted\n"
        "leadcli: if that session crashed, add --take-over\n",
        refused.stderr,
    ), refused.stderr
    first.line(FIRST_WORDS[1])
    first.line("/pause", pexpect.EOF)
    first.child.close()
    assert first.child.exitstatus == 0
    assert stored(isolated_home).answers["priorities"].notes.split("\n") == FIRST_WORDS[:2]
    assert run("delete", interview_id, "--yes").exit_code == 0  # no longer open: deleted


def test_a_terminal_offline_during_a_take_over_is_told_when_it_is_back(postgres_url, tmp_path) -> None:
    """This terminal's network drops; meanwhile a colleague takes the interview over. When the
    network is back, its next push finds the lease gone and it says so, and its lines are kept."""
    from leadcli.interview.capture import Capture
    from leadcli.store.db import Store
    from leadcli.store.leases import Lease
    from leadcli.store.snapshots import snapshot_data
    from tests.faultproxy import FaultProxy
    from tests.reports_helpers import make_interview

    record = make_interview({"quality-planning": ("first", [], None)})
    with Store.open(tmp_path / "setup", url=postgres_url) as team, team.transaction():
        key = team.snapshots.add(snapshot_data(record.snapshot.questions, record.snapshot.reflection))
        team.interviews.write([(record, key)])
    shown: list[str] = []
    with FaultProxy(("127.0.0.1", 5432)) as proxy:
        capture = Capture(
            tmp_path / "laptop", url=proxy.url(postgres_url), show=lambda t: shown.append(str(t))
        )
        live = capture.resume(record.id)
        answer = live.answers["quality-planning"]
        pusher = capture.pusher
        assert pusher is not None
        until(lambda: pusher.held is not None, "the lease on the team store")
        proxy.drop()
        capture.add_line(live.id, answer, "while offline")
        until(lambda: pusher.problem is not None, "the push to fail")
        with Store.open(tmp_path / "colleague", url=postgres_url) as other:
            other.leases.take(
                Lease(record.id, other.user, "desk", os.getpid(), machine="5b" * 8), take_over=True
            )
        proxy.passing()
        capture.add_line(live.id, answer, "back online")
        until(lambda: pusher.taken_by is not None, "the push to find the lease taken")
        capture.close()
    assert any(f"interview {record.id} was taken over by" in line for line in shown), shown
    with Store.open(tmp_path / "setup", url=postgres_url) as team:
        assert team.interviews.get(record.id).answers["quality-planning"].notes == (
            "first\nwhile offline\nback online"
        )


def test_resuming_offline_an_interview_this_machine_no_longer_keeps_says_what_to_do(tmp_path) -> None:
    from leadcli.interview.capture import Capture
    from leadcli.store.connection import StoreError

    capture = Capture(tmp_path / "laptop", url="postgresql://leadcli@127.0.0.1:1/none", show=lambda t: None)
    with pytest.raises(StoreError) as failed:
        capture.resume("abc234")
    capture.close()
    assert failed.value.message.startswith(
        "cannot reach the database server (postgresql://leadcli@127.0.0.1:1/none)"
    )
    assert failed.value.hint == (
        "interview abc234 is not kept on this machine (only what has not reached the team store is);"
        " resume it when the team store is back, or start a new interview with `leadcli interview`"
    )
