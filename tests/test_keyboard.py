"""The keyboard path in a real pseudo-terminal: a closed terminal, Ctrl-C at every prompt, pastes,
type-ahead, stops while the store is stuck, and reflect's sentences. Each test checks the transcript
and the rows the store holds afterwards."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.test_interview_pexpect import TIMEOUT, answer, only_interview, spawn, start

pexpect = pytest.importorskip("pexpect")

PASTE_ON, PASTE_OFF = "\x1b[?2004h", "\x1b[?2004l"


def paste(text: str) -> str:
    """What a terminal sends for a paste while bracketed paste is on."""
    return f"\x1b[200~{text}\x1b[201~"


def exit_code(child) -> int:
    """The exit status of a child whose terminal the test closed itself."""
    _, status = os.waitpid(child.pid, 0)
    child.terminated = True  # pexpect must not wait for it again
    assert os.WIFEXITED(status), f"ended by signal {os.WTERMSIG(status)}"
    return os.WEXITSTATUS(status)


@contextlib.contextmanager
def write_lock(home: Path):
    """Hold the SQLite store's write lock, as another leadcli in a long transaction would."""
    holder = sqlite3.connect(home / "leadcli.db", isolation_level=None, timeout=5)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


class Tmux:
    """A tmux server of the test's own (its own socket), one pane, read as the screen shows it."""

    def __init__(self, name: str, env: dict[str, str], *command: str) -> None:
        self.server = ["tmux", "-L", f"{name}-{os.getpid()}"]
        subprocess.run(
            [*self.server, "new-session", "-d", "-x", "120", "-y", "40", *command], env=env, check=True
        )

    def screen(self) -> str:
        return subprocess.run(
            [*self.server, "capture-pane", "-p"], capture_output=True, text=True, check=False
        ).stdout

    def wait_for(self, text: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while text not in self.screen():
            assert time.monotonic() < deadline, self.screen()
            time.sleep(0.1)

    def keys(self, *sent: str) -> None:
        subprocess.run([*self.server, "send-keys", *sent], check=True)

    def kill_pane(self) -> None:
        subprocess.run([*self.server, "kill-pane"], check=True)

    def close(self) -> None:
        subprocess.run([*self.server, "kill-server"], capture_output=True, check=False)


def test_closing_the_terminal_keeps_the_half_typed_line(isolated_home) -> None:
    child = start(isolated_home)
    answer(child, ["one"], "1+", "s")
    child.expect("Question 2 of 5")
    child.expect("notes> ")
    child.sendline("first of two")
    child.expect("… ")
    child.send("and the window closed mid-sen")
    child.expect("mid-sen")  # shown after the prompt: leadcli has it
    os.close(child.child_fd)  # the terminal goes away (the kernel also sends SIGHUP)
    child.child_fd = -1
    assert exit_code(child) == 130
    notes = only_interview(isolated_home).answers["track-record"].notes
    assert notes == "first of two\nand the window closed mid-sen"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_tmux_kill_pane_keeps_the_half_typed_line(isolated_home, tmp_path) -> None:
    rc = tmp_path / "rc"
    command = (
        f"trap '' HUP; {sys.executable} -m leadcli interview --org Acme --interviewer Kim "
        f"--region Canada --contact 'Ana Ruiz, CEO, executive'; echo $? > {rc}"
    )
    env = {**os.environ, "LEADCLI_HOME": str(isolated_home), "NO_COLOR": "1"}
    tmux = Tmux("leadcli-kill-pane", env, "sh", "-c", command)
    try:
        tmux.wait_for("notes>")
        tmux.keys("kept line", "Enter")
        tmux.wait_for("…")
        tmux.keys("half of a sentence")
        tmux.wait_for("half of a sentence")
        tmux.kill_pane()
        deadline = time.monotonic() + TIMEOUT
        while not rc.exists() or not rc.read_text().strip():
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        tmux.close()
    assert rc.read_text().strip() == "130"
    assert only_interview(isolated_home).answers["quality-planning"].notes == "kept line\nhalf of a sentence"


@pytest.mark.parametrize(
    ("at", "typed"), [("cues", "1 3"), ("rating", "partial, I thi"), ("notes", "a note half")]
)
def test_ctrl_c_at_any_prompt_keeps_the_half_typed_answer(isolated_home, at, typed) -> None:
    child = start(isolated_home)
    child.expect("notes> ")
    child.sendline("Board sets the aims")
    child.expect("… ")
    if at != "notes":
        child.sendline("")
        child.expect(r"cues heard .*: ")
    if at == "rating":
        child.sendline("")
        child.expect(r"evidence: .*: ")
    child.send(typed)
    child.expect_exact(typed)
    child.sendintr()
    what = "words" if at == "notes" else "answer"
    child.expect_exact(f"Kept the half-typed {what} in the notes of question 1: {typed}")
    child.expect(r"stopped; everything typed is saved\. Resume with: leadcli interview --resume \w+")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    kept = only_interview(isolated_home).answers["quality-planning"]
    assert (kept.notes, kept.cues, kept.rating) == (f"Board sets the aims\n{typed}", [], None)


def test_a_pasted_block_goes_into_the_notes_whole_and_never_into_cues_or_rating(isolated_home) -> None:
    child = start(isolated_home)
    child.expect_exact(PASTE_ON)  # bracketed paste is on while leadcli reads the keyboard
    child.expect("notes> ")
    child.send(paste("From the CEO's email:\n\nWe fund a data team.\n/skip\np\n"))
    child.expect("… ")  # entered whole, at once; the blank line in it did not end the note
    child.sendline("")
    child.expect(r"cues heard .*: ")
    child.send(paste("1 3") + "\r")
    child.expect_exact("Pasted text is never a cue or a rating: added to the notes.")
    child.expect(r"cues heard .*: ")
    child.sendline("2+")
    child.expect(r"evidence: .*: ")
    child.send(paste("p") + "\r")  # a stray p in a paste is not a rating
    child.expect_exact("Pasted text is never a cue or a rating: added to the notes.")
    child.expect(r"evidence: .*: ")
    child.sendline("/pause")
    child.expect_exact(PASTE_OFF)  # and off again on the way out
    child.expect(r"paused and saved")
    child.expect(pexpect.EOF)
    mode = termios.tcgetattr(child.child_fd)  # the terminal is as leadcli found it
    child.close()
    assert child.exitstatus == 0
    assert mode[3] & termios.ECHO and mode[3] & termios.ICANON
    kept = only_interview(isolated_home).answers["quality-planning"]
    assert kept.notes == "From the CEO's email:\n\nWe fund a data team.\n/skip\np\n1 3\np"
    assert (kept.cues, kept.rating) == (["who-is-involved"], None)


def test_typed_ahead_keys_are_shown_once_after_the_prompt_they_belong_to(isolated_home) -> None:
    child = start(isolated_home)
    child.expect("notes> ")
    child.sendline("one")
    child.expect("… ")
    child.sendline("")
    child.expect(r"cues heard .*: ")
    child.sendline("1+")
    child.expect(r"evidence: .*: ")
    with write_lock(isolated_home):
        child.sendline("s")  # its save waits for the lock
        time.sleep(0.5)
        child.sendline("typed while leadcli was busy")  # typed ahead of question 2's prompt
        time.sleep(0.5)
    child.expect("… ")
    shown = child.before
    assert shown.count("typed while leadcli was busy") == 1  # not echoed twice
    assert shown.index("Question 2 of 5") < shown.index("notes> typed while leadcli was busy")
    child.sendline("/pause")
    child.expect(pexpect.EOF)
    child.close()
    record = only_interview(isolated_home)
    assert record.answers["quality-planning"].rating == "strong"
    assert record.answers["track-record"].notes == "typed while leadcli was busy"


STOPS = {
    "Ctrl-C": lambda child: child.sendintr(),
    "SIGTERM": lambda child: child.kill(signal.SIGTERM),
    "SIGHUP": lambda child: child.kill(signal.SIGHUP),
}


@contextlib.contextmanager
def store_lock(home: Path, backend: str):
    """A store write that does not return: SQLite's write lock held, or on PostgreSQL the answers
    table locked by another session (as a hung or overloaded server would leave it)."""
    if backend == "sqlite":
        with write_lock(home):
            yield
        return
    import psycopg

    with psycopg.connect(os.environ["LEADCLI_DATABASE_URL"]) as holder:
        holder.execute("LOCK TABLE answers IN ACCESS EXCLUSIVE MODE")
        yield
        holder.rollback()


@pytest.mark.parametrize("stop", STOPS)
def test_a_stop_acts_within_a_second_while_the_store_is_stuck(isolated_home, store_backend, stop) -> None:
    child = start(isolated_home)
    child.expect("notes> ")
    child.sendline("saved before the lock")
    child.expect("… ")
    with store_lock(isolated_home, store_backend):  # held far longer than the stop may take
        child.sendline("the line that waits for the store")
        # The next prompt comes once that line is on this machine (the replica, after the lock held
        # for LIVE_BUSY_MS): waiting for it, not a fixed sleep, keeps a loaded machine from stopping
        # the program while the line is still on its way (then, rightly, not said to be saved).
        child.expect("… ", timeout=15)
        child.send("typed ahead while it waits")
        time.sleep(0.3)
        stopped = time.monotonic()
        STOPS[stop](child)
        # The line that met the lock went to this machine's replica (interview.capture), so the stop
        # finds nothing stuck; a SIGHUP while the terminal is still there: it is told too.
        child.expect_exact("Kept the half-typed words in the notes of question 1: typed ahead while it waits")
        child.expect(r"stopped; everything typed is saved\. Resume with: leadcli interview --resume \w+")
        child.expect(pexpect.EOF, timeout=5)
        took = time.monotonic() - stopped
        child.close()
    assert child.exitstatus == 130
    assert took < 2.5  # a second, plus start-up slack on a busy machine; the lock held on
    record = only_interview(isolated_home)  # once the lock is gone, what waited here is pushed
    assert record.answers["quality-planning"].notes == (
        "saved before the lock\nthe line that waits for the store\ntyped ahead while it waits"
    )
    # the lease stays behind, as after a crash: on this host the dead process is noticed on resume
    again = spawn(isolated_home, "interview", "--resume", record.id)
    again.expect("… ")
    again.sendline("/pause")
    again.expect(pexpect.EOF)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_no_typed_line_reaches_the_shell_when_leadcli_stops(isolated_home, tmp_path) -> None:
    marker = tmp_path / "the-shell-ran-it"
    env = {**os.environ, "LEADCLI_HOME": str(isolated_home), "NO_COLOR": "1"}
    tmux = Tmux("leadcli-shell", env, "sh")
    try:
        tmux.keys(
            f"{sys.executable} -m leadcli interview --org Acme --interviewer Kim --region Canada "
            "--contact 'Ana Ruiz, CEO, executive'",
            "Enter",
        )
        tmux.wait_for("notes>")
        with write_lock(isolated_home):
            tmux.keys("first line", "Enter")
            time.sleep(0.5)
            tmux.keys(f"touch {marker}", "Enter")  # typed ahead; must never run in the shell
            time.sleep(0.3)
            tmux.keys("C-c")
            tmux.wait_for("Resume with:")
            time.sleep(1.0)
        tmux.keys("echo shell-is-$((1+1))", "Enter")
        tmux.wait_for("shell-is-2\n")
        shown = tmux.screen()
    finally:
        tmux.close()
    assert not marker.exists()
    assert "everything typed is saved" in shown
    # the lines that met the lock waited on this machine (interview.capture): in the notes once pushed
    notes = only_interview(isolated_home).answers["quality-planning"].notes
    assert notes == f"first line\ntouch {marker}"


def levels_and_proposals(child, typed: str = "") -> None:
    """Past reflect's level per domain (Enter keeps leadcli's readings) and its proposals prompt."""
    for _ in range(5):
        child.expect(r"your level \(s/p/l/d\): ")
        child.sendline("")
    child.expect(r"Offerings you would propose .*: ")
    if typed:
        child.send(typed)
        child.expect_exact("diagnostics ")
    child.sendline("")


def test_reflect_keeps_every_sentence_where_it_belongs(isolated_home, tmp_path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "organization: Acme\ninterviewer: Kim\nanswers: {}\n"
        "reflection:\n  follow_ups: [{text: Call Ana, owner: Kim}]\n"
    )
    importing = spawn(isolated_home, "interview", "--answers", str(answers))
    importing.expect(pexpect.EOF)
    interview_id = only_interview(isolated_home).id
    child = spawn(isolated_home, "reflect", interview_id)
    child.expect("fits with the services")
    child.expect(r"  > ")
    child.sendline("Board owns quality")
    child.expect("… ")
    child.sendline("and funds it")
    child.expect("… ")
    child.sendline("")
    child.expect(r"  > ")
    child.send(paste("CFO worried\n\nabout the budget\n"))
    child.expect("… ")
    child.sendline("")
    child.expect(r"  > ")
    child.sendline("")  # gaps: left as they are
    levels_and_proposals(child, "diagn\t")  # Tab completes the offering id
    child.expect("Leadership commitment: .*: ")
    child.sendline("they hedged on the budget")
    child.expect_exact("Not a verdict: added to the concerns.")
    child.expect("Leadership commitment: .*: ")
    child.sendline("m")
    child.expect(r"Keep them\? \[Y/n\] ")
    child.sendline("Ana leaves in March")
    child.expect_exact("Not a yes or no: added to the concerns.")
    child.expect(r"Keep them\? \[Y/n\] ")
    child.sendline("y")
    child.expect(r"Follow-up action .*: ")
    child.sendline("Send the proposal")
    child.expect("owner: ")
    child.sendline("Kim")
    child.expect(r"due .*: ")
    child.sendline("after the board meets")
    child.expect_exact("Not a date: added to the follow-up's text.")
    child.expect(r"due .*: ")
    child.sendline("2027-02-01")
    child.expect(r"Follow-up action .*: ")
    child.sendline("")
    child.expect("reflection saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    reflection = only_interview(isolated_home).reflection
    assert reflection.fit == "Board owns quality\nand funds it"
    assert reflection.concerns == (
        "CFO worried\n\nabout the budget\nthey hedged on the budget\nAna leaves in March"
    )
    assert (reflection.verdict, reflection.proposed) == ("moderate", ["diagnostics"])
    assert [(f.text, f.owner, f.due) for f in reflection.follow_ups] == [
        ("Call Ana", "Kim", None),
        ("Send the proposal (due: after the board meets)", "Kim", "2027-02-01"),
    ]


@pytest.mark.parametrize("at", ["verdict", "keep"])
def test_ctrl_c_at_reflects_choice_prompts_keeps_the_words_in_the_concerns(
    isolated_home, tmp_path, at
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "organization: Acme\ninterviewer: Kim\nanswers: {}\nreflection:\n  follow_ups: [{text: Call Ana}]\n"
    )
    spawn(isolated_home, "interview", "--answers", str(answers)).expect(pexpect.EOF)
    interview_id = only_interview(isolated_home).id
    child = spawn(isolated_home, "reflect", interview_id)
    for _ in range(3):
        child.expect(r"  > ")
        child.sendline("")
    levels_and_proposals(child)
    child.expect("Leadership commitment: .*: ")
    if at == "keep":
        child.sendline("l")
        child.expect(r"Keep them\? \[Y/n\] ")
    child.send("the CEO was call")
    child.expect_exact("the CEO was call")
    child.sendintr()
    child.expect_exact("Kept the half-typed words in the concerns: the CEO was call")
    child.expect(f"Continue with: leadcli reflect {interview_id}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    reflection = only_interview(isolated_home).reflection
    assert reflection.concerns == "the CEO was call"
    assert [f.text for f in reflection.follow_ups] == ["Call Ana"]


# --- the reader's and the engine's rules, without a terminal ----------------------------------


def test_rows_wrap_explicitly_and_wide_characters_never_split() -> None:
    from leadcli.prompting import _place

    assert _place("abcd", 4) == ("abcd\r\n", [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0)])
    shown, places = _place("abc漢", 4)  # the wide character does not fit in the last column
    assert shown == "abc\r\n漢" and places[-1] == (1, 2)
    assert _place("a\x1bb", 10)[0] == "a^[b"  # a control is shown, never obeyed
    assert _place("\u202eab", 10) == ("\\u202eab", [(0, 0), (0, 6), (0, 7), (0, 8)])  # as its escape
    assert _place("a\nb", 10)[1][-1] == (1, 1)


def test_the_echo_shows_bidi_and_invisible_characters_as_escapes(isolated_home) -> None:
    import io

    child = start(isolated_home)
    child.logfile_read = transcript = io.StringIO()
    child.expect("notes> ")
    child.sendline("\u202eevil")  # typed: a right-to-left override, then words
    child.expect("… ")
    child.send(paste("zero\u200bwidth \u2066isolate") + "\r")
    child.expect("… ")
    child.sendline("/pause")
    child.expect(r"paused and saved")
    child.expect(pexpect.EOF)
    child.close()
    shown = transcript.getvalue()
    assert "\\u202eevil" in shown and "zero\\u200bwidth \\u2066isolate" in shown
    assert not any(char in shown for char in "\u202e\u200b\u2066")  # never written raw to the terminal
    kept = only_interview(isolated_home).answers["quality-planning"]
    assert kept.notes == "\u202eevil\nzero\u200bwidth \u2066isolate"  # kept exactly as typed


def test_keys_become_text_with_their_edits_applied() -> None:
    from leadcli.prompting import _typed_text

    assert _typed_text("helo\x7flo\x1b[D\r\nsecond\x15third") == "hello\nthird"
    assert _typed_text("\x1b[200~pasted\n\nblock\x1b[201~") == "pasted\n\nblock"


def test_kept_words_drop_half_typed_commands_only() -> None:
    from leadcli.interview.engine import kept_words

    assert kept_words("/pau") == ""
    assert kept_words("half\n/skip\n//etc\n\nmore") == "half\n/etc\n\nmore"
    assert kept_words("\n  \n") == ""


def test_a_store_failure_while_keeping_the_half_typed_words_says_not_saved(isolated_home, content) -> None:
    from leadcli.errors import LeadcliError
    from leadcli.interview.engine import InterviewEngine
    from leadcli.interview.session import begin_interview
    from leadcli.prompting import Stopped
    from leadcli.render.interview.terminal import question_view
    from leadcli.store.db import Store
    from tests.interview_helpers import Keyboard, Screen

    with Store.open(isolated_home) as store:
        record = begin_interview(
            store, content, organization="Acme", interviewer="Kim", region="", contacts=[]
        )
        keyboard, screen = Keyboard(["first line", Stopped(2, "the CFO said")]), Screen()
        engine = InterviewEngine(store, record, keyboard, screen, question_view, None)
        real_add = store.interviews.add_line  # a typed line is one row: its own write
        calls = []

        def failing_add(*args):
            calls.append(args)
            if len(calls) > 1:
                raise LeadcliError("the store is full")
            return real_add(*args)

        store.interviews.add_line = failing_add  # type: ignore[method-assign]
        with pytest.raises(Stopped) as stopped:
            engine.run()
        assert stopped.value.unsaved == "the CFO said"
        assert "the store is full: the half-typed words were NOT saved." in screen.text
        assert store.interviews.get(record.id).answers["quality-planning"].notes == "first line"


def test_words_a_store_failure_left_unsaved_are_printed_back(capfd, monkeypatch) -> None:
    from leadcli import prompting
    from leadcli.errors import LeadcliError

    lines = iter(["the CFO said no", "/goto 2"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(lines))
    with pytest.raises(LeadcliError), prompting.live(resume="leadcli interview --resume abc123"):
        prompting.ask("  notes> ")
        raise LeadcliError("the store could not be used")  # while saving that line
    err = capfd.readouterr().err
    assert err == (
        "leadcli: not saved, copy it now:\n  | the CFO said no\n"
        "leadcli: Resume with: leadcli interview --resume abc123\n"
    )
    with pytest.raises(LeadcliError), prompting.live():
        prompting.ask("  notes> ")  # a command is never saved: nothing to print back
        raise LeadcliError("the store could not be used")
    assert capfd.readouterr().err == ""


def test_ctrl_c_while_the_editor_runs_is_the_editors(isolated_home, monkeypatch) -> None:
    # an editor that keeps Ctrl-C for itself (as vi and nano do) and writes the note after a while
    monkeypatch.setenv("EDITOR", 'sh -c \'trap "" INT; sleep 1.5; printf "edited\\n" > "$1"\' sh')
    monkeypatch.delenv("VISUAL", raising=False)
    child = start(isolated_home)
    child.expect("notes> ")
    child.sendline("typed first")
    child.expect("… ")
    child.sendline("/edit")
    time.sleep(0.5)
    child.sendintr()  # reaches the editor and leadcli alike: leadcli waits for the editor
    child.expect("Notes now read:")
    child.expect("edited")
    child.expect("… ")
    child.sendline("/pause")
    child.expect(r"paused and saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert only_interview(isolated_home).answers["quality-planning"].notes == "edited"


def test_a_pasted_list_of_people_is_one_person_a_line(isolated_home) -> None:
    child = spawn(isolated_home, "interview", "--org", "Acme", "--interviewer", "Kim", "--region", "Canada")
    child.expect("person: ")
    child.send(paste("Ana Ruiz, CEO, executive\nTom Hale, Ward manager, point-of-care\n"))
    child.expect("person: ")
    child.sendline("")
    child.expect("notes> ")
    child.sendline("/pause")
    child.expect(pexpect.EOF)
    child.close()
    people = only_interview(isolated_home).contacts
    assert [(c.name, c.role, c.level) for c in people] == [
        ("Ana Ruiz", "CEO", "executive"),
        ("Tom Hale", "Ward manager", "point-of-care"),
    ]


WATCHED = """
import sqlite3, sys
from leadcli import prompting

with prompting.live(resume="leadcli interview --resume abc123"):
    prompting.ask("  notes> ")
    # a write that does not return (the disk itself not answering): sqlite3's busy wait, in C,
    # where the interpreter runs no signal handler until it returns
    sqlite3.connect(sys.argv[1], timeout=60).execute("BEGIN IMMEDIATE")
"""


@pytest.mark.parametrize("stop", STOPS)
def test_the_watcher_ends_a_stop_that_a_stuck_write_would_hold_up(tmp_path, stop) -> None:
    database = tmp_path / "stuck.db"
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    child = pexpect.spawn(
        sys.executable, ["-c", WATCHED, str(database)], env={**os.environ, "TERM": "xterm"},
        encoding="utf-8", timeout=TIMEOUT, dimensions=(40, 120),
    )  # fmt: skip
    try:
        child.expect("notes> ")
        child.sendline("the line that waits for the disk")
        time.sleep(0.5)
        child.send("typed ahead while it waits")
        time.sleep(0.3)
        stopped = time.monotonic()
        STOPS[stop](child)
        child.expect_exact("stopped while the store was not answering; these words may not be saved")
        child.expect_exact("| the line that waits for the disk")
        child.expect_exact("| typed ahead while it waits")
        child.expect_exact("Resume with: leadcli interview --resume abc123")
        child.expect(pexpect.EOF, timeout=5)
        took = time.monotonic() - stopped
        mode = termios.tcgetattr(child.child_fd)
        child.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert child.exitstatus == 130
    assert took < 2.5  # GRACE_SECONDS (0.8) plus slack on a busy machine; the write would wait 60 s
    assert mode[3] & termios.ECHO and mode[3] & termios.ICANON  # the terminal put back


# --- stops that meet a busy store: told truly, keys after them kept apart ------------------------


def spawn_patched(home: Path, patch: str, *args: str):
    """`leadcli ARGS` in a terminal, with `patch` (Python) run first: the tests' way to put a fault at
    an exact moment inside leadcli (a write that waits, a push that holds the locks)."""
    runner = home / "patched_leadcli.py"
    runner.write_text(
        f"{patch}\nimport runpy, sys\nsys.argv = ['leadcli', *sys.argv[1:]]\n"
        "runpy.run_module('leadcli', run_name='__main__')\n"
    )
    env = {**os.environ, "LEADCLI_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "120", "TERM": "xterm"}
    return pexpect.spawn(
        sys.executable, [str(runner), *args], env=env, encoding="utf-8", timeout=TIMEOUT,
        dimensions=(40, 120),
    )  # fmt: skip


INTERVIEW = (
    "interview", "--org", "Acme Health", "--interviewer", "Kim Lee", "--region", "Canada",
    "--contact", "Ana Ruiz, CEO, executive",
)  # fmt: skip

# The first line meets the store's write lock held past the live busy timeout, so the session moves
# to the replica and a pusher drains it (on a server store it is there from the start).
SPILL = """
import sqlite3
from leadcli.interview.capture import Capture
from leadcli.store.dialects.sqlite import store_path

_add = Capture.add_line

def add_line(self, interview_id, answer, text):
    path = store_path(self.home)
    if text != "spilled" or not path.exists():
        return _add(self, interview_id, answer, text)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        return _add(self, interview_id, answer, text)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

Capture.add_line = add_line
"""

# The racing order, put in place: the stop's own write (the half-typed answer) wakes the pusher,
# whose push then holds the team store (its transaction never ends: on SQLite it holds the file's
# write lock), and the replica's write lock is held too (the push's own marking of what it sent,
# to come), while the interview closes.
PUSH_HOLDS_THE_LOCKS = """
import sqlite3, threading
from leadcli import prompting
from leadcli.interview import capture
from leadcli.store.dialects.sqlite import store_path
from leadcli.store.interviews import Interviews
from leadcli.store.replica import replica_home

stopped, pushing = threading.Event(), threading.Event()
_stopped, _ids_by_uid, _close = prompting._stopped, Interviews.ids_by_uid, capture.Capture.close

def on_stop(signum):
    stopped.set()
    return _stopped(signum)

def ids_by_uid(self, uids):  # inside the push's transaction on the team store
    if stopped.is_set() and threading.current_thread().name == "leadcli-push":
        pushing.set()
        threading.Event().wait()  # as long as the process lives
    return _ids_by_uid(self, uids)

def close(self, *, stopping=False):
    if stopping and not getattr(self, "_held", None):
        assert pushing.wait(10), "the stop's write woke no push"
        self._held = sqlite3.connect(store_path(replica_home(self.home)), isolation_level=None)
        self._held.execute("BEGIN IMMEDIATE")
    _close(self, stopping=stopping)

prompting._stopped, Interviews.ids_by_uid, capture.Capture.close = on_stop, ids_by_uid, close
"""


def _to_the_cues_prompt(child, first: str = "spilled") -> None:
    child.expect("notes> ")
    child.sendline(first)
    child.expect("… ")
    child.sendline("")
    child.expect(r"cues heard .*: ")


def test_ctrl_c_while_the_push_holds_the_locks_is_no_false_alarm(isolated_home, store_backend) -> None:
    """The racing order the watcher's grace met: the stop's write wakes the pusher, whose push holds
    the stores' locks while the interview closes. The closing waits for them only briefly, so the
    stop ends normally, well within the grace, and says truly that everything typed is saved."""
    child = spawn_patched(isolated_home, SPILL + PUSH_HOLDS_THE_LOCKS, *INTERVIEW)
    _to_the_cues_prompt(child)
    child.send("1 3")
    child.expect_exact("1 3")
    child.sendintr()
    child.expect_exact("Kept the half-typed answer in the notes of question 1: 1 3")
    child.expect(r"stopped; everything typed is saved\. Resume with: leadcli interview --resume \w+")
    child.expect(pexpect.EOF)
    child.close()
    assert "not answering" not in child.before and "may not be saved" not in child.before
    assert child.exitstatus == 130
    kept = only_interview(isolated_home).answers["quality-planning"]
    assert (kept.notes, kept.cues) == ("spilled\n1 3", [])


# The interview's closing never returns once a stop came (a disk that stops answering after the
# stop's own write): the watcher has to end it.
CLOSING_NEVER_RETURNS = """
import threading
from leadcli.interview import capture

_close = capture.Capture.close

def close(self, *, stopping=False):
    if stopping:
        threading.Event().wait()
    _close(self, stopping=stopping)

capture.Capture.close = close
"""


def test_the_watcher_names_only_words_that_may_be_unsaved(isolated_home, store_backend) -> None:
    child = spawn_patched(isolated_home, CLOSING_NEVER_RETURNS, *INTERVIEW)
    _to_the_cues_prompt(child, "Board sets the aims")
    child.send("1 3")
    child.expect_exact("1 3")
    child.sendintr()
    child.expect_exact("Kept the half-typed answer in the notes of question 1: 1 3")
    child.expect_exact("leadcli: stopped; everything typed is saved")
    child.expect(r"leadcli: Resume with: leadcli interview --resume \w+")
    child.expect(pexpect.EOF)
    child.close()
    assert "may not be saved" not in child.before and "| 1 3" not in child.before
    assert child.exitstatus == 130
    kept = only_interview(isolated_home).answers["quality-planning"]
    assert kept.notes == "Board sets the aims\n1 3"


# A line's write that waits (as for a lock) until the test has typed on, pressed Ctrl-C and typed
# after it; it tells the test when the stop has been placed among the keys.
WRITE_WAITS = """
import os, sys, time
from leadcli import prompting
from leadcli.interview.capture import Capture

_add = Capture.add_line

def add_line(self, interview_id, answer, text):
    if text == "the line that waits":
        print("WRITING", flush=True)
        deadline = time.monotonic() + 3
        while getattr(prompting._state.reader, "stop_at", None) is None and time.monotonic() < deadline:
            time.sleep(0.01)
        print("STOP PLACED", flush=True)
        while not os.path.exists(os.environ["GO_ON"]):
            time.sleep(0.01)
    return _add(self, interview_id, answer, text)

Capture.add_line = add_line
"""


def test_keys_typed_after_ctrl_c_while_a_write_waits_are_a_line_of_their_own(
    isolated_home, tmp_path, monkeypatch
) -> None:
    go_on = tmp_path / "go-on"
    monkeypatch.setenv("GO_ON", str(go_on))
    child = spawn_patched(isolated_home, WRITE_WAITS, *INTERVIEW)
    child.expect("notes> ")
    child.sendline("first")
    child.expect("… ")
    child.sendline("the line that waits")
    child.expect_exact("WRITING")
    child.send("half")  # typed ahead while the write waits
    child.sendintr()
    child.expect_exact("STOP PLACED")
    child.send("touch rv_leak\r")  # typed after Ctrl-C, as if at the shell (it is never run)
    go_on.touch()
    child.expect_exact("Kept the half-typed words in the notes of question 1: half")
    child.expect_exact(
        "Kept what was typed after the stop in the notes of question 1, as lines of their own: touch rv_leak"
    )
    child.expect(r"stopped; everything typed is saved\. Resume with: leadcli interview --resume \w+")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    kept = only_interview(isolated_home).answers["quality-planning"]
    assert [line.text for line in kept.lines if not line.gone] == [
        "first",
        "the line that waits",
        "half",
        "touch rv_leak",
    ]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_a_pasted_block_shows_as_its_lines_are_kept(isolated_home) -> None:
    command = (
        f"{sys.executable} -m leadcli interview --org Acme --interviewer Kim --region Canada "
        "--contact 'Ana Ruiz, CEO, executive'"
    )
    env = {**os.environ, "LEADCLI_HOME": str(isolated_home), "NO_COLOR": "1"}
    tmux = Tmux("leadcli-paste", env, "sh", "-c", command)
    try:
        tmux.wait_for("notes>")
        subprocess.run(
            [*tmux.server, "set-buffer", "From the CEO's email:\n\nWe fund a data team.\n/skip\np\n"],
            check=True,
        )
        subprocess.run([*tmux.server, "paste-buffer", "-p"], check=True)  # bracketed, as a terminal pastes
        tmux.wait_for("… p")
        time.sleep(0.3)
        shown = [line.rstrip() for line in tmux.screen().splitlines()]
        tmux.keys("/pause", "Enter")
        time.sleep(0.5)
    finally:
        tmux.close()
    start = shown.index("  notes> From the CEO's email:")
    assert shown[start : start + 6] == [
        "  notes> From the CEO's email:",
        "  …",
        "  … We fund a data team.",
        "  … /skip",
        "  … p",
        "  …",
    ]
    kept = only_interview(isolated_home).answers["quality-planning"]
    assert kept.notes == "From the CEO's email:\n\nWe fund a data team.\n/skip\np"
