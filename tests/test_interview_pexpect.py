"""leadcli interview in a real pseudo-terminal: typing, Ctrl-C, signals, kill -9, resume, two terminals."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from leadcli.store.db import Store

pexpect = pytest.importorskip("pexpect")

TIMEOUT = 30


def spawn(home: Path, *args: str):
    env = {
        **os.environ,
        "LEADCLI_HOME": str(home),
        "NO_COLOR": "1",
        "COLUMNS": "120",
        "TERM": "xterm",
    }
    return pexpect.spawn(
        sys.executable,
        ["-m", "leadcli", *args],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(40, 120),
    )


def start(home: Path):
    return spawn(
        home, "interview", "--org", "Acme Health", "--interviewer", "Kim Lee", "--region", "Canada",
        "--contact", "Ana Ruiz, CEO, executive",
    )  # fmt: skip


def answer(child, notes: list[str], cues: str, rating: str) -> None:
    child.expect("notes> ")
    for line in notes:
        child.sendline(line)
        child.expect("… ")
    child.sendline("")
    child.expect(r"cues heard .*: ")
    child.sendline(cues)
    child.expect(r"evidence: .*: ")
    child.sendline(rating)


def only_interview(home: Path):
    """The one interview, as the store has it once what waits on this machine is pushed (what any
    later leadcli command does first; on SQLite nothing waits)."""
    from leadcli.services.sync import sync

    assert not sync(home, os.environ.get("LEADCLI_DATABASE_URL")).left
    with Store.open(home) as store:
        [summary], _ = store.interviews.summaries()
        return store.interviews.get(summary.id)


def test_full_interview_in_a_terminal(isolated_home) -> None:
    child = start(isolated_home)
    child.expect("Question 1 of 5")
    answer(child, ["We rank priorities [bold]yearly[/]", "with the board"], "1+ 3+", "s")
    child.expect("Question 2 of 5")
    answer(child, ["Sepsis bundle sustained"], "1", "p")
    answer(child, ["Visits other systems 🦄"], "2 3", "l")
    answer(child, [], "", "")
    answer(child, ["A merger is coming <script>"], "2", "l")
    child.expect(r"Not explored yet: 4\. Understanding of the regional macro-environment\.")
    child.expect(r"Go to question 4 now\? \[y/N\] ")
    child.sendline("n")
    child.expect(r"Reflect now\? \[y/N\] ")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    record = only_interview(isolated_home)
    assert record.status == "awaiting-reflection"
    assert record.answers["quality-planning"].notes == "We rank priorities [bold]yearly[/]\nwith the board"
    assert record.answers["future-vision"].notes == "Visits other systems 🦄"
    assert record.answers["internal-issues"].notes == "A merger is coming <script>"
    assert "regional-environment" not in record.answers


def test_ctrl_c_in_question_three_then_resume(isolated_home) -> None:
    child = start(isolated_home)
    answer(child, ["one"], "1+", "s")
    answer(child, ["two"], "1", "p")
    child.expect("Question 3 of 5")
    child.expect("notes> ")
    child.sendline("half of three")
    child.expect("… ")
    child.sendintr()
    child.expect(r"Resume with: leadcli interview --resume (\w+)")
    interview_id = child.match.group(1)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert only_interview(isolated_home).answers["future-vision"].notes == "half of three"

    again = spawn(isolated_home, "interview", "--resume", interview_id)
    again.expect("Question 3 of 5")
    again.expect("Recorded so far")
    again.expect("half of three")
    again.expect("… ")  # the note continues
    again.sendline("rest of three")
    again.expect("… ")
    again.sendline("")
    again.expect("cues heard")
    again.sendline("")
    again.expect("evidence")
    again.sendline("")
    again.expect("Question 4 of 5")
    again.expect("notes> ")
    again.sendline("/pause")
    again.expect(pexpect.EOF)
    again.close()
    assert again.exitstatus == 0
    assert only_interview(isolated_home).answers["future-vision"].notes == "half of three\nrest of three"


@pytest.mark.usefixtures("store_backend")  # every typed line is committed on the server too
def test_kill_9_after_two_answers_loses_nothing(isolated_home) -> None:
    child = start(isolated_home)
    first = "Priorities come from the board's three-year plan, «quoted» [/] exactly"
    second = "The falls project held for two years; then staffing changed."
    answer(child, [first], "1+ 2+", "s")
    answer(child, [second, "Second line of it."], "1 3", "p")
    child.expect("Question 3 of 5")
    child.expect("notes> ")
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    record = only_interview(isolated_home)
    assert record.answers["quality-planning"].notes == first
    assert record.answers["quality-planning"].cues == ["planning-process", "who-is-involved"]
    assert record.answers["quality-planning"].rating == "strong"
    assert record.answers["track-record"].notes == f"{second}\nSecond line of it."
    assert record.answers["track-record"].rating == "partial"

    again = spawn(isolated_home, "interview", "--resume", record.id)
    again.expect("Question 3 of 5")
    again.expect("notes> ")
    again.sendline("/pause")
    again.expect(pexpect.EOF)
    again.close()
    assert again.exitstatus == 0


def test_back_amends_the_previous_answer(isolated_home) -> None:
    child = start(isolated_home)
    answer(child, ["first take"], "1+", "l")
    child.expect("Question 2 of 5")
    child.expect("notes> ")
    child.sendline("/back")
    child.expect("Question 1 of 5")
    child.expect("Recorded so far")
    child.expect("first take")
    child.expect("… ")
    child.sendline("on reflection, a second take")
    child.expect("… ")
    child.sendline("")
    child.expect(r"cues heard \[1\+; - for none\]: ")
    child.sendline("1+ 5")
    child.expect(r"evidence: .*\[low; - for none\]: ")
    child.sendline("p")
    child.expect("Question 2 of 5")
    child.expect("notes> ")
    child.sendline("/pause")
    child.expect(pexpect.EOF)
    child.close()
    answer_one = only_interview(isolated_home).answers["quality-planning"]
    assert answer_one.notes == "first take\non reflection, a second take"
    assert answer_one.cues == ["planning-process", "challenges-remaining"]
    assert answer_one.rating == "partial"


def test_closed_terminal_saves_what_was_typed(isolated_home) -> None:
    child = start(isolated_home)
    answer(child, ["kept"], "", "")
    child.expect("notes> ")
    child.sendline("typed before hang-up")
    child.expect("… ")
    child.sendeof()  # end of input, as when the terminal goes away
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    time.sleep(0.1)
    record = only_interview(isolated_home)
    assert record.answers["track-record"].notes == "typed before hang-up"


STOPS = {
    "Ctrl-C": lambda child: child.sendintr(),
    "SIGTERM": lambda child: child.kill(signal.SIGTERM),
    "SIGHUP": lambda child: child.kill(signal.SIGHUP),  # the terminal closed
}


@pytest.mark.parametrize("stop", STOPS)
def test_ctrl_c_sigterm_and_sighup_keep_the_half_typed_words(isolated_home, stop) -> None:
    child = start(isolated_home)
    answer(child, ["one"], "1+", "s")
    child.expect("Question 2 of 5")
    child.expect("notes> ")
    child.sendline("first of two")
    child.expect("… ")
    child.send("and the CFO said half")
    time.sleep(0.5)  # let the terminal deliver the keys before the signal
    STOPS[stop](child)
    # the terminal is still there (even after a SIGHUP sent by hand): it says how to resume
    child.expect(r"stopped; everything typed is saved\. Resume with: leadcli interview --resume \w+")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    notes = only_interview(isolated_home).answers["track-record"].notes
    assert notes == "first of two\nand the CFO said half"


def test_a_sentence_at_the_cues_prompt_lands_in_the_notes(isolated_home) -> None:
    child = start(isolated_home)
    child.expect("notes> ")
    child.sendline("Board sets the aims")
    child.expect("… ")
    child.sendline("")
    child.expect(r"cues heard .*: ")
    child.sendline("They also fund a data team")
    child.expect("added to the notes")
    child.expect(r"cues heard .*: ")
    child.sendline("/quit")
    child.expect(r"paused and saved\. Resume with: leadcli interview --resume \w+")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    record = only_interview(isolated_home)
    assert record.answers["quality-planning"].notes == "Board sets the aims\nThey also fund a data team"
    assert record.status == "draft"


def test_a_second_terminal_cannot_resume_an_open_interview(isolated_home) -> None:
    first = start(isolated_home)
    first.expect("notes> ")
    first.sendline("typed in the first terminal")
    first.expect("… ")
    interview_id = only_interview(isolated_home).id
    second = spawn(isolated_home, "interview", "--resume", interview_id)
    second.expect(
        rf"interview {interview_id} is open by .+ on .+ \(machine [0-9a-f]{{16}}, process {first.pid}\) since "
    )
    second.expect("add --take-over")
    second.expect(pexpect.EOF)
    second.close()
    assert second.exitstatus == 1
    first.sendline("and more in the first")
    first.expect("… ")
    first.sendline("/pause")
    first.expect(pexpect.EOF)
    first.close()
    assert only_interview(isolated_home).answers["quality-planning"].notes == (
        "typed in the first terminal\nand more in the first"
    )
    third = spawn(isolated_home, "interview", "--resume", interview_id)  # the first let go on /pause
    third.expect("Resuming interview")
    third.expect("… ")
    third.sendline("/pause")
    third.expect(pexpect.EOF)


def test_take_over_after_a_crash_and_the_old_process_cannot_overwrite(isolated_home) -> None:
    first = start(isolated_home)
    first.expect("notes> ")
    first.sendline("before the crash")
    first.expect("… ")
    interview_id = only_interview(isolated_home).id
    first.kill(signal.SIGKILL)  # the lease stays behind; on this host a dead process is noticed
    first.close()
    again = spawn(isolated_home, "interview", "--resume", interview_id)
    again.expect("Resuming interview")
    again.expect("… ")
    again.sendline("after the crash")
    again.expect("… ")
    again.sendline("/pause")
    again.expect(pexpect.EOF)
    assert only_interview(isolated_home).answers["quality-planning"].notes == (
        "before the crash\nafter the crash"
    )


def test_reflect_in_a_second_terminal_cannot_overwrite_the_open_interview(isolated_home) -> None:
    first = start(isolated_home)
    first.expect("notes> ")
    first.sendline("typed while the other terminal reflects")
    first.expect("… ")
    interview_id = only_interview(isolated_home).id
    second = spawn(isolated_home, "reflect", interview_id)
    second.expect(
        rf"interview {interview_id} is open by .+ \(machine [0-9a-f]{{16}}, process {first.pid}\) since "
    )
    second.expect("add --take-over")
    second.expect(pexpect.EOF)
    second.close()
    assert second.exitstatus == 1
    first.sendline("/pause")
    first.expect(pexpect.EOF)
    assert only_interview(isolated_home).answers["quality-planning"].notes == (
        "typed while the other terminal reflects"
    )


def test_ctrl_c_mid_line_in_reflect_keeps_the_half_typed_words(isolated_home, tmp_path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("organization: Acme\ninterviewer: Kim\nanswers: {}\n")
    importing = spawn(isolated_home, "interview", "--answers", str(answers))
    importing.expect(pexpect.EOF)
    interview_id = only_interview(isolated_home).id
    child = spawn(isolated_home, "reflect", interview_id)
    child.expect(r"  > ")
    child.send("The board owns qua")
    time.sleep(0.3)
    child.sendintr()
    child.expect(f"Continue with: leadcli reflect {interview_id}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert only_interview(isolated_home).reflection.fit == "The board owns qua"


def test_a_delete_found_while_nothing_is_typed_is_said_above_the_prompt_and_the_line_kept(
    isolated_home, monkeypatch
) -> None:
    """In a real terminal, with a line half typed and nothing else: a `delete --take-over`
    elsewhere is said above the prompt within seconds, the prompt and the half-typed words are
    shown again after it, and typing goes on; every line is in the store again at the end."""
    monkeypatch.delenv("LEADCLI_DATABASE_URL", raising=False)  # the SQLite store is the journal here
    child = start(isolated_home)
    child.expect("notes> ")
    child.sendline("Board sets aims")
    child.expect("… ")
    child.send("half typ")
    child.expect("half typ")
    with Store.open(isolated_home) as colleague:
        (interview_id,) = colleague.interviews.ids()
        colleague.interviews.delete(interview_id, take_over=True)
    child.expect(
        f"interview {interview_id} was deleted from the store; it is kept on this machine", timeout=10
    )
    child.expect(
        f"interview {interview_id} is in the store again, whole, from this machine's copy", timeout=10
    )
    child.expect("… half typ")  # the prompt and the half-typed words, shown again
    child.sendline("ed")
    child.expect("… ")
    child.sendline("/pause")
    child.expect(pexpect.EOF)
    record = only_interview(isolated_home)
    assert record.id == interview_id
    assert record.answers[record.snapshot.questions[0].id].notes == "Board sets aims\nhalf typed"
