"""The one place leadcli reads from the person at the keyboard; tests replace these functions.

Inside `live()`, at a terminal (POSIX), leadcli reads keys with its own small line editor instead of
readline, so that it always holds what is typed: the half-typed line survives Ctrl-C, SIGTERM,
SIGHUP and a terminal that goes away; a pasted block (bracketed paste) arrives as one `Pasted`
entry; keys typed ahead of a prompt are not echoed by the terminal but shown once, after the prompt
they are read at. A watcher thread makes a stop act within a second even while a store call is stuck.
Elsewhere (no terminal, Windows) `ask` is `input()` with readline.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from leadcli.errors import LeadcliError
from leadcli.untrusted import visible

#: How long a stop may take to unwind normally before the watcher ends the process itself.
GRACE_SECONDS = 0.8
_PASTE_ON, _PASTE_OFF = "\x1b[?2004h", "\x1b[?2004l"
_PASTE_START, _PASTE_END = "\x1b[200~", "\x1b[201~"
_ESCAPES = re.compile(r"\x1b(\[[0-9;?]*[@-~]|O.|.)?", re.DOTALL)
_CSI = re.compile(r"\x1b\[[0-9;?]*[@-~]")
_CSI_START = re.compile(r"\x1b\[[0-9;?]*")
#: Where a stop came in the keys read from the terminal (a lone surrogate: no decoded key is one).
_STOP_MARK = "\ud800"
#: How the rows after the first of a pasted block are shown: as the notes' next lines are.
CONTINUATION = "  … "


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


class Pasted(str):
    """An entry that holds pasted text: never a command, a cue or a rating; blank lines are its own."""


class Stopped(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP (or the terminal gone) while leadcli waited for a line.

    `partial` holds what was typed and not yet entered when the stop came (the half-typed line,
    then any lines typed ahead), newline-separated; `after`, keys typed after the stop (while
    leadcli was still busy), which are never glued onto the half-typed line."""

    def __init__(self, signum: int, partial: str = "", after: str = "") -> None:
        super().__init__(signum)
        self.signum = signum
        self.partial = partial
        self.after = after


class _Waiting:
    """The state of the keyboard: waiting or not, a signal that came while not, what is in flight."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.now = False
        self.pending: int | None = None
        self.reader: _Terminal | None = None
        self.unconfirmed: list[str] = []  # handed to the caller, not yet known to be saved
        self.unsaved: list[str] = []  # what the caller holds only in memory (`saved`)
        self.resume = ""  # the resume hint, for a stop the watcher has to carry out itself
        self.gone = False  # the terminal hung up
        self.completions: tuple[str, ...] = ()  # what Tab completes at the prompt now (`completing`)
        self.editing = False  # the editor runs: Ctrl-C is its own


_state = _Waiting()


def remember_resume(hint: str) -> None:
    """The command that continues this conversation (printed however leadcli stops)."""
    _state.resume = hint


def saved(unsaved: Sequence[str] = ()) -> None:
    """The caller has kept what it was handed (the last line, or the words a stop carried) on
    disk; `unsaved`: what it still holds only in memory (a full disk), one line each. A stop the
    watcher has to carry out itself prints only what may really not be saved."""
    _state.unconfirmed = []
    _state.unsaved = list(unsaved)


def aside(say: Callable[[], None]) -> None:
    """Run `say` (it prints a message) from another thread while a prompt may be waiting: with
    leadcli's own reader at a prompt, the message goes above it and the prompt and the half-typed
    line are shown again after it; elsewhere it simply prints."""
    reader = _state.reader
    if reader is None or not _state.now:
        say()
        sys.stdout.flush()
        return
    reader.above(say)


def _line_buffer() -> tuple[str, str]:
    """What was typed and not entered when the stop came, and what was typed after it."""
    if _state.reader is not None:
        return _state.reader.unsent()
    try:
        import readline
    except ImportError:  # no readline on Windows: the half-typed line cannot be read
        return "", ""
    return readline.get_line_buffer(), ""


def _stopped(signum: int) -> Stopped:
    reader = _state.reader
    if reader is not None:
        reader.mark_stop()  # if nothing marked it before (keys typed from now on come after it)
    partial, after = _line_buffer()
    if reader is not None:
        if _state.now:
            reader.break_line()  # what leadcli says next starts on a line of its own
        reader.hand_over()  # the caller has the half-typed line now
    _state.unconfirmed = [words for words in (partial, after) if words.strip()]
    return Stopped(signum, partial, after)


def _on_signal(signum: int, frame: object) -> None:
    """Stop at once while waiting for a line (keeping what was typed); else at the next prompt,
    so that a save already under way is not cut short (the watcher bounds how long that takes)."""
    reader = _state.reader
    if signum == getattr(signal, "SIGHUP", None) and (reader is None or not reader.alive()):
        _terminal_gone()
    if _state.now and (reader is None or reader.waiting):
        raise _stopped(signum)
    _state.pending = signum  # the reader stops at its next step, the caller at its next prompt


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """While inside, Ctrl-C, SIGTERM and SIGHUP end the conversation like Ctrl-C: as `Stopped`."""
    _state.pending = None
    names = ("SIGINT", "SIGTERM", "SIGHUP")
    wanted = [getattr(signal, name) for name in names if hasattr(signal, name)]
    previous = {signum: signal.signal(signum, _on_signal) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            # after a hang-up the kernel's SIGHUP may still be on its way: the exit code stays 130
            hung_up = signum == getattr(signal, "SIGHUP", None) and _state.gone
            signal.signal(signum, signal.SIG_IGN if hung_up else handler)


@contextlib.contextmanager
def live(resume: str = "") -> Iterator[None]:
    """A whole conversation at the keyboard: `stop_signals`, leadcli's own line reader at a
    terminal (bracketed paste on, typed-ahead keys not echoed), and the watcher. The terminal is
    put back as it was on every way out, and keys typed after the last prompt never reach the shell."""
    _state.reset()
    _state.resume = resume
    terminal = _Terminal.open()
    _state.reader = terminal
    try:
        if terminal is not None:
            terminal.enter()
        with stop_signals(), _watcher(), _suspendable():
            yield
    except LeadcliError as error:  # the store failed under a line: print it back, never lose it
        words = _words(_state.unconfirmed)
        if words and error.exit_code != 130:
            _say("not saved, copy it now:\n" + "\n".join(_quoted(w) for w in words))
            if _state.resume:
                _say(f"Resume with: {_state.resume}")
        raise
    finally:
        _state.reader = None
        if terminal is not None:
            left = terminal.leave()
            if left.strip() and not _state.gone:
                _say("these keys came after leadcli stopped reading and were not saved:\n" + _quoted(left))
        _state.unconfirmed, _state.unsaved = [], []


def ask_secret(prompt: str) -> str:
    """A line typed without echo (a password); it is never printed or kept."""
    import getpass

    return getpass.getpass(prompt)


def ask(prompt: str) -> str:
    """One line from the keyboard (readline editing where leadcli has no reader of its own).

    Raises `Stopped` (a KeyboardInterrupt) on Ctrl-C, on SIGTERM/SIGHUP inside `stop_signals`, or
    when the terminal goes away, with the half-typed line in `partial`; EOFError at the end of input
    (Ctrl-D on an empty line). A pasted block comes back whole, as `Pasted`.
    """
    from leadcli.untrusted import clean_input

    _state.unconfirmed = []
    if _state.pending is not None:
        signum, _state.pending = _state.pending, None
        raise _stopped(signum)
    reader = _state.reader
    if reader is None:
        with contextlib.suppress(ImportError):  # no readline on Windows
            import readline  # noqa: F401 - importing it gives input() line editing and history
    _state.now = True
    try:
        line = reader.read_line(prompt) if reader is not None else input(prompt)
    except Stopped:
        raise
    except KeyboardInterrupt:  # Ctrl-C outside stop_signals: Python's own handler
        raise _stopped(signal.SIGINT) from None
    finally:
        _state.now = False
    entry = clean_input(line)
    entry = Pasted(entry) if isinstance(line, Pasted) else entry
    _state.unconfirmed = [entry]
    return entry


@contextlib.contextmanager
def completing(words: Sequence[str]) -> Iterator[None]:
    """While inside, Tab at `ask` completes these words (leadcli's own reader, or readline)."""
    _state.completions = tuple(words)
    try:
        import readline
    except ImportError:
        readline = None  # type: ignore[assignment]
    previous = readline.get_completer() if readline else None
    delims = readline.get_completer_delims() if readline else ""

    def complete(text: str, state: int) -> str | None:
        found = [w for w in words if w.startswith(text)]
        return found[state] if state < len(found) else None

    if readline:
        readline.set_completer(complete)
        readline.set_completer_delims(" ,")
        readline.parse_and_bind("tab: complete")
    try:
        yield
    finally:
        _state.completions = ()
        if readline:
            readline.set_completer(previous)
            readline.set_completer_delims(delims)


def completion(buffer: str, cursor: int, words: Sequence[str]) -> str:
    """What Tab adds at `cursor`: the rest of the one word the typed stem starts (and a space), or
    the longest stem all the matching words share; nothing when none matches."""
    stem = re.split(r"[\s,]", buffer[:cursor])[-1]
    found = [w for w in words if w.startswith(stem)]
    if not found:
        return ""
    if len(found) == 1:
        return found[0][len(stem) :] + " "
    return os.path.commonprefix(found)[len(stem) :]  # noqa: RUF071 - a common stem of words, by character


def open_in_editor(text: str, folder: Path) -> str:
    """Edit `text` in $VISUAL/$EDITOR, in an owner-only temp file inside `folder`, removed after."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    fd, name = tempfile.mkstemp(prefix="note-", suffix=".txt", dir=folder)
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n" if text else "")
        try:
            with _terminal_as_it_was(), _ctrl_c_is_the_editors():
                subprocess.run([*shlex.split(command), str(path)], check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            if isinstance(exc, subprocess.CalledProcessError):
                reason = f"it exited with status {exc.returncode}"
            raise LeadcliError(f"the editor {command} did not run: {reason}") from None
        from leadcli.untrusted import clean_input

        return clean_input(path.read_text(encoding="utf-8"))
    finally:
        path.unlink(missing_ok=True)


# --- what a stop says when leadcli has to say it itself -----------------------------------------


def _say(text: str) -> None:
    """A message on stderr, written straight to the file descriptor (safe from any thread)."""
    with contextlib.suppress(OSError, ValueError):
        os.write(2, f"leadcli: {visible(text)}\n".encode("utf-8", "replace"))


def _words(lines: list[str]) -> list[str]:
    """The lines that are words (not blank, not a /command, which is never saved anyway)."""
    return [w for w in lines if w.strip() and (not w.lstrip().startswith("/") or w.lstrip().startswith("//"))]


def _quoted(text: str) -> str:
    return "\n".join(f"  | {line}" for line in text.split("\n"))


def _terminal_gone() -> None:
    """The terminal hung up: nothing more can be shown there, so later writes go nowhere quietly
    (rather than failing with EIO and ending leadcli with some other exit code)."""
    if _state.gone:
        return
    _state.gone = True
    reader = _state.reader
    tty = reader.device if reader is not None else None
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        for fd in (1, 2):
            with contextlib.suppress(OSError):
                if tty is not None and os.fstat(fd).st_rdev == tty:
                    os.dup2(devnull, fd)
        os.close(devnull)


@contextlib.contextmanager
def _watcher() -> Iterator[None]:
    """A thread that sees each stop signal as it arrives (through the wakeup file descriptor, which
    the interpreter writes even while the main thread is stuck inside a store call) and, if leadcli
    has not finished within `GRACE_SECONDS`, ends it itself: terminal put back, the words it could not
    confirm as saved printed, the resume hint, exit code 130."""
    if os.name != "posix" or threading.current_thread() is not threading.main_thread():
        yield  # (Windows takes only a socket as the wakeup descriptor: no watcher there)
        return
    readable, writable = os.pipe()
    os.set_blocking(writable, False)
    finished = threading.Event()
    previous = signal.set_wakeup_fd(writable, warn_on_full_buffer=False)
    stops = {int(getattr(signal, n)) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)}

    def watch() -> None:
        while True:
            try:
                data = os.read(readable, 64)
            except OSError:
                return
            if finished.is_set() or not data:
                return
            interrupt = {int(signal.SIGINT)} if _state.editing else set()
            if stops.intersection(data) - interrupt:
                reader = _state.reader
                if reader is not None:  # now, even while a store call holds the main thread
                    reader.mark_stop()
                if not finished.wait(GRACE_SECONDS):
                    _stop_now()

    thread = threading.Thread(target=watch, name="leadcli-stop-watcher", daemon=True)
    thread.start()
    try:
        yield
    finally:
        finished.set()
        signal.set_wakeup_fd(previous)
        with contextlib.suppress(OSError):
            os.write(writable, b"\0")
        thread.join(1.0)
        os.close(writable)
        if not thread.is_alive():
            os.close(readable)


def _stop_now() -> None:
    """Called by the watcher when a stop did not finish in time (a store call that does not return,
    or one that is merely slow). It names only what may really not be saved: the words handed to
    the caller that it has not said it kept (`saved`), what it holds only in memory, and keys typed
    that nobody read."""
    reader = _state.reader
    words = _words(_state.unconfirmed)
    unsaved = list(_state.unsaved)
    left: list[str] = []
    if reader is not None:
        before, after = reader.unsent()  # typed ahead of the stop; typed after it
        if before.strip() and before not in words:
            words.append(before)
        left = [after] if after.strip() else []
        reader.leave()
    if words:
        _say(
            "stopped while the store was not answering; these words may not be saved, copy them now:\n"
            + "\n".join(_quoted(w) for w in words)
        )
    if unsaved:
        _say(
            "these lines could NOT be saved (the disk is full), copy them now:\n"
            + _quoted("\n".join(unsaved))
        )
    if left:
        _say("these keys came after leadcli stopped reading and were not saved:\n" + _quoted("\n".join(left)))
    if not (words or unsaved):
        _say("stopped; everything typed is saved (what waits for the team store goes with the next command)")
    _say(f"Resume with: {_state.resume}" if _state.resume else "the interview had not begun")
    os._exit(130)


@contextlib.contextmanager
def _suspendable() -> Iterator[None]:
    """Ctrl-Z gives the terminal back as it was; `fg` takes it again and shows the line again."""
    reader = _state.reader
    if reader is None or not hasattr(signal, "SIGTSTP"):
        yield
        return

    def suspend(signum: int, frame: object) -> None:
        reader.leave(flush=False)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)  # stops here until `fg`
        signal.signal(signal.SIGTSTP, suspend)
        reader.enter()
        if _state.now:
            reader.redraw(fresh=True)

    previous = signal.signal(signal.SIGTSTP, suspend)
    try:
        yield
    finally:
        signal.signal(signal.SIGTSTP, previous)


@contextlib.contextmanager
def _ctrl_c_is_the_editors() -> Iterator[None]:
    """While the editor runs, Ctrl-C is its own (as `system()` does it): leadcli does not stop
    under an editor that still holds the notes."""
    previous = signal.signal(signal.SIGINT, _editor_has_it)  # a handler, not SIG_IGN: the
    _state.editing = True  # editor starts with Ctrl-C as usual
    try:
        yield
    finally:
        _state.editing = False
        signal.signal(signal.SIGINT, previous)


def _editor_has_it(signum: int, frame: object) -> None:
    """Ctrl-C while the editor runs: the editor's, not leadcli's."""


@contextlib.contextmanager
def _terminal_as_it_was() -> Iterator[None]:
    """For a program that takes the terminal over (the editor): leadcli's modes off meanwhile."""
    reader = _state.reader
    if reader is None:
        yield
        return
    reader.leave(flush=False)
    try:
        yield
    finally:
        reader.enter()


# --- leadcli's own line reader ----------------------------------------------------------------


def _width(char: str) -> int:
    """Cells a character takes on screen (what leadcli shows for it: a control takes two, ^X; a bidi
    control or an invisible character, its escape, `\\u202e`)."""
    if " " <= char < "\x7f" or char == "\t":
        return 1
    shown = _shown(char)
    if shown != char:
        return len(shown)
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _shown(char: str) -> str:
    """What the line editor writes for a typed or pasted character: itself, or for a control its
    caret form (`^[`) and for a bidi control, an invisible character or a C1 control the escape
    every other output shows (`untrusted.visible`), never the character the terminal would obey."""
    if " " <= char < "\x7f":
        return char
    if char == "\t":
        return " "
    if char < " " or char == "\x7f":
        return "^" + chr(ord(char) ^ 0x40)
    return visible(char)


def _place(
    text: str, cols: int, start: tuple[int, int] = (0, 0), more: str = ""
) -> tuple[str, list[tuple[int, int]]]:
    """What to write for `text` from `start` (row, column), and the position after each character.

    A row that fills is ended with an explicit CR LF, so the terminal's own wrapping never makes the
    cursor's place ambiguous; a newline (only in a paste) starts a new row, which begins with `more`
    (the continuation prompt: a pasted block shows as its lines will be kept, blank ones too)."""
    row, col = start
    out: list[str] = []
    places = [start]
    lead = "".join(_shown(c) for c in more)
    for char in text:
        if char == "\n":
            out.append("\r\n" + lead)
            row, col = row + 1, sum(map(_width, more))
            places.append((row, col))
            continue
        width = _width(char)
        if col + width > cols and col:
            out.append("\r\n")
            row, col = row + 1, 0
        out.append(_shown(char))
        col += width
        if col >= cols:
            out.append("\r\n")
            row, col = row + 1, 0
        places.append((row, col))
    return "".join(out), places


class _HungUp(Exception):
    """The terminal went away."""


def _escape_length(text: str) -> int | None:
    """How long the escape sequence that starts `text` is; None if it is cut short."""
    if len(text) < 2:
        return None
    if text[1] == "[":
        match = _CSI.match(text)
        if match is not None:
            return match.end()
        return None if _CSI_START.fullmatch(text) else 2
    if text[1] == "O":
        return 3 if len(text) >= 3 else None
    return 2


class _Terminal:
    """Reads lines from a terminal with the keys people expect (arrows, Home/End, Backspace, Delete,
    Ctrl-A/E/B/F/D/K/U/W/L), keeping in its own hands everything read but not yet entered."""

    def __init__(self, fd: int, out: int) -> None:
        import codecs
        import termios

        self.fd, self.out = fd, out
        self.device = os.fstat(fd).st_rdev
        self.saved: list[Any] = termios.tcgetattr(fd)
        # as Python reads the terminal: its encoding; a byte that is not in it becomes a lone
        # surrogate, which `clean_input` reads as Latin-1
        encoding = getattr(sys.stdin, "encoding", None) or "utf-8"
        self.decoder = codecs.getincrementaldecoder(encoding)("surrogateescape")
        self.pending = ""  # read from the terminal, not yet used: keys typed ahead
        self.prompt = ""
        self.buffer = ""
        self.cursor = 0
        self.pasted = False
        self.row = 0  # the cursor's row, counted from the prompt's first row
        self.end = (0, 0)  # where the last character shown ends
        self.active = False  # the modes are on
        self.waiting = False  # in select, where a signal may stop it at once
        self.closed = False  # the terminal hung up
        self.lock = threading.RLock()  # a read from the terminal, against the watcher's mark
        self.drawing = threading.RLock()  # what is shown, against a message from another thread
        self.taken = 0  # bytes read from the terminal so far
        self.stop_at: int | None = None  # how many bytes had been typed when the stop came

    @classmethod
    def open(cls) -> _Terminal | None:
        try:
            import termios  # noqa: F401
        except ImportError:
            return None
        try:
            if not os.isatty(0):
                return None
            out = 1 if os.isatty(1) else 0
            return cls(0, out)
        except (OSError, ValueError):
            return None

    # modes

    def enter(self) -> None:
        """Keys one at a time, not echoed by the terminal (leadcli shows them after the prompt),
        signals still from Ctrl-C, type-ahead not flushed by them; bracketed paste on."""
        import termios

        mode = termios.tcgetattr(self.fd)
        mode[3] &= ~(termios.ICANON | termios.ECHO | termios.IEXTEN)
        mode[3] |= termios.ISIG | termios.NOFLSH
        mode[6][termios.VMIN], mode[6][termios.VTIME] = 1, 0
        try:
            termios.tcsetattr(self.fd, termios.TCSANOW, mode)
        except termios.error:
            return
        self.active = True
        self._write(_PASTE_ON)

    def leave(self, *, flush: bool = True) -> str:
        """The terminal as it was found; with `flush`, keys not read yet are taken off the terminal
        (so they never reach the shell) and returned as text."""
        import termios

        left = ""
        if flush:
            left = self._drain()
            with contextlib.suppress(termios.error, OSError):
                termios.tcflush(self.fd, termios.TCIFLUSH)
        if self.active:
            self.active = False
            self._write(_PASTE_OFF)
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.fd, termios.TCSANOW, self.saved)
        return left

    def alive(self) -> bool:
        """Whether the terminal is still there (a hung-up terminal refuses even to say its mode)."""
        import termios

        try:
            termios.tcgetattr(self.fd)
        except (termios.error, OSError):
            return False
        return not self.closed

    # input

    def _fill(self, timeout: float | None, *, stoppable: bool = True) -> bool:
        """Read what the terminal has (waiting up to `timeout`). A stop that came meanwhile is
        raised here, where nothing read is in flight; a hang-up raises _HungUp."""
        if self.closed:
            raise _HungUp
        if stoppable and _state.pending is not None:
            signum, _state.pending = _state.pending, None
            raise _stopped(signum)
        self.waiting = stoppable  # only now may a signal handler raise Stopped in the middle
        try:
            ready, _, _ = select.select([self.fd], [], [], timeout)
        finally:
            self.waiting = False
        if not ready:
            return False
        with self.lock:
            try:
                data = os.read(self.fd, 4096)
            except OSError:
                data = b""
            if not data:  # the terminal went away (the window closed)
                self.closed = True
                raise _HungUp
            cut = None if self.stop_at is None else self.stop_at - self.taken
            self.taken += len(data)
            if cut is not None and 0 <= cut <= len(data):  # the stop came among these keys
                self.pending += self.decoder.decode(data[:cut]) + _STOP_MARK
                self.pending += self.decoder.decode(data[cut:])
            else:
                self.pending += self.decoder.decode(data)
        return True

    def mark_stop(self) -> None:
        """A stop came now: the keys typed so far (read or still in the terminal) came before it,
        any typed from now on after it. Marked once; safe from the watcher thread."""
        import fcntl
        import struct
        import termios

        with self.lock:
            if self.stop_at is not None:
                return
            queued = 0
            with contextlib.suppress(OSError):
                raw = fcntl.ioctl(self.fd, termios.FIONREAD, struct.pack("i", 0))
                queued = struct.unpack("i", raw)[0]
            self.stop_at = self.taken + queued  # `_fill` puts the mark there among the keys

    def hand_over(self) -> None:
        """The half-typed line went to the caller with the stop: it is no longer this reader's."""
        self.buffer, self.cursor = "", 0

    def _drain_split(self) -> tuple[str, str]:
        """Everything typed and not yet entered, with the keys' edits applied, as lines: what came
        before the stop, and what after it."""
        with contextlib.suppress(OSError, ValueError, _HungUp):
            while self._fill(0, stoppable=False):
                pass
        raw, self.pending = self.pending, ""
        before, _, after = raw.partition(_STOP_MARK)
        return _typed_text(before), _typed_text(after.replace(_STOP_MARK, ""))

    def _drain(self) -> str:
        """Everything typed and not yet entered, as lines (a stop between them starts a new line)."""
        return "\n".join(part for part in self._drain_split() if part)

    def unsent(self) -> tuple[str, str]:
        """The half-typed line and the lines typed ahead of it; and the keys typed after the stop."""
        ahead, after = self._drain_split()
        return "\n".join(p for p in (self.buffer, ahead) if p), after

    def _key(self) -> str:
        """The next key: a character, an escape sequence, or a whole paste (`_PASTE_START` + text)."""
        while True:
            pending = self.pending
            if not pending:
                self._fill(None)
            elif pending[0] == _STOP_MARK:  # a mark is no key (the stop is raised before keys after it)
                self.pending = pending[1:]
            elif pending[0] != "\x1b":
                self.pending = pending[1:]
                return pending[0]
            elif pending.startswith(_PASTE_START):
                end = pending.find(_PASTE_END)
                if end >= 0:
                    self.pending = pending[end + len(_PASTE_END) :]
                    return pending[:end]
                self._fill(None)
            else:
                length = _escape_length(pending)
                if length is not None and pending[:length] != _PASTE_START[:length]:
                    self.pending = pending[length:]
                    return pending[:length]
                if length is None and not self._fill(0.05):  # a lone Esc, or a sequence cut short
                    self.pending = pending[1:]
                elif length is not None:
                    self._fill(None)  # the start of a paste: wait for the rest

    # output

    def _write(self, text: str) -> None:
        data = text.encode("utf-8", "replace")
        try:
            while data:
                data = data[os.write(self.out, data) :]
        except OSError:
            _terminal_gone()

    def _cols(self) -> int:
        try:
            return max(os.get_terminal_size(self.out).columns, 10)
        except OSError:
            return 80

    def above(self, say: Callable[[], None]) -> None:
        """Print what `say` prints above the prompt, then show the prompt and the line again."""
        with self.drawing:
            up = f"\x1b[{self.row}A" if self.row else ""
            self._write(f"{up}\r\x1b[J")
            sys.stdout.flush()
            say()
            sys.stdout.flush()
            sys.stderr.flush()
            self.redraw(fresh=True)

    def redraw(self, *, fresh: bool = False) -> None:
        """Show the prompt and the line again, the cursor where it is in the line."""
        with self.drawing:
            self._redraw(fresh=fresh)

    def _redraw(self, *, fresh: bool = False) -> None:
        cols = self._cols()
        text, places = _place(self.prompt + self.buffer, cols, more=CONTINUATION)
        row, col = places[len(self.prompt) + self.cursor]
        self.end = places[-1]
        back = "" if fresh or not self.row else f"\x1b[{self.row}A"
        move = ""
        if (row, col) != self.end:  # from the end of what was written back to the cursor
            up = f"\x1b[{self.end[0] - row}A" if self.end[0] > row else ""
            move = f"{up}\r" + (f"\x1b[{col}C" if col else "")
        self._write(f"{back}\r\x1b[J{text}{move}")
        self.row = row

    def _insert(self, text: str) -> None:
        with self.drawing:
            self._insert_drawn(text)

    def _insert_drawn(self, text: str) -> None:
        at_end = self.cursor == len(self.buffer)
        self.buffer = self.buffer[: self.cursor] + text + self.buffer[self.cursor :]
        self.cursor += len(text)
        if at_end and "\n" not in text:
            shown, places = _place(text, self._cols(), self.end, more=CONTINUATION)
            self._write(shown)
            self.end = places[-1]
            self.row = self.end[0]
        else:
            self.redraw()

    def read_line(self, prompt: str) -> str:
        """A line; keys typed ahead are used (and shown) now, after the prompt."""
        sys.stdout.flush()
        sys.stderr.flush()
        self.prompt, self.buffer, self.cursor, self.pasted = prompt, "", 0, False
        self.row, self.end = 0, (0, 0)
        self.redraw(fresh=True)
        try:
            return self._read()
        except _HungUp:
            _terminal_gone()
            raise _stopped(getattr(signal, "SIGHUP", signal.SIGTERM)) from None

    def _read(self) -> str:
        while True:
            if _state.pending is not None:  # a signal came while a key was being handled
                signum, _state.pending = _state.pending, None
                raise _stopped(signum)
            key = self._key()
            if key.startswith(_PASTE_START):
                text = key[len(_PASTE_START) :].replace("\r\n", "\n").replace("\r", "\n")
                self.pasted = True
                if "\n" in text.rstrip("\n"):  # a block: entered whole, as it is
                    self.buffer = self.buffer[: self.cursor] + text + self.buffer[self.cursor :]
                    self.buffer, self.cursor = self.buffer.rstrip("\n"), len(self.buffer)
                    return self._enter()
                self._insert(text.rstrip("\n"))
                continue
            if key in ("\r", "\n"):
                return self._enter()
            if key == "\x04" and not self.buffer:  # Ctrl-D on an empty line: the end of input
                self._write("\r\n")
                raise EOFError
            if not self._edit(key) and (len(key) == 1 and key >= " " and key != "\x7f"):
                self._insert(key)

    def break_line(self) -> None:
        """The cursor to the end of the line, then to the start of the next row."""
        if self.cursor != len(self.buffer) or "\n" in self.buffer:
            self.cursor = len(self.buffer)
            self.redraw()
        self._write("\r\n" if self.end[1] or not self.end[0] else "")

    def _enter(self) -> str:
        self.break_line()
        line, self.buffer, self.cursor = self.buffer, "", 0
        return Pasted(line) if self.pasted else line

    def _edit(self, key: str) -> bool:
        """Apply an editing key; False if `key` is not one (it may be text)."""
        buffer, cursor = self.buffer, self.cursor
        moves = {
            "\x01": 0, "\x1b[H": 0, "\x1bOH": 0, "\x1b[1~": 0, "\x1b[7~": 0,
            "\x05": len(buffer), "\x1b[F": len(buffer), "\x1bOF": len(buffer), "\x1b[4~": len(buffer),
            "\x1b[8~": len(buffer),
            "\x02": max(cursor - 1, 0), "\x1b[D": max(cursor - 1, 0), "\x1bOD": max(cursor - 1, 0),
            "\x06": min(cursor + 1, len(buffer)), "\x1b[C": min(cursor + 1, len(buffer)),
            "\x1bOC": min(cursor + 1, len(buffer)),
        }  # fmt: skip
        if key in moves:
            self.cursor = moves[key]
        elif key in ("\x7f", "\x08"):
            self.buffer, self.cursor = buffer[: max(cursor - 1, 0)] + buffer[cursor:], max(cursor - 1, 0)
        elif key in ("\x04", "\x1b[3~"):
            self.buffer = buffer[:cursor] + buffer[cursor + 1 :]
        elif key == "\x15":
            self.buffer, self.cursor = buffer[cursor:], 0
        elif key == "\x0b":
            self.buffer = buffer[:cursor]
        elif key == "\x17":
            start = len(buffer[:cursor].rstrip().rsplit(" ", 1)[0]) if " " in buffer[:cursor].strip() else 0
            start = start + 1 if start and buffer[start] == " " else start
            self.buffer, self.cursor = buffer[:start] + buffer[cursor:], start
        elif key == "\x0c":
            self._write("\x1b[H\x1b[2J")
            self.redraw(fresh=True)
            return True
        elif key == "\t" and _state.completions:
            added = completion(buffer, cursor, _state.completions)
            if added:
                self._insert(added)
            return True
        else:  # a key leadcli has no use for does nothing; anything else is text
            return key.startswith("\x1b") or key < " "
        self.redraw()
        return True


def _typed_text(raw: str) -> str:
    """Keys as text: pastes unwrapped, Backspace and Ctrl-U applied, other keys dropped."""
    raw = raw.replace(_PASTE_START, "").replace(_PASTE_END, "")
    lines: list[str] = []
    line: list[str] = []
    for char in _ESCAPES.sub("", raw.replace("\r\n", "\n").replace("\r", "\n")):
        if char == "\n":
            lines.append("".join(line))
            line = []
        elif char in ("\x7f", "\x08"):
            if line:
                line.pop()
        elif char == "\x15":
            line = []
        elif char >= " " or char == "\t":
            line.append(char)
    lines.append("".join(line))
    return "\n".join(lines).strip("\n")
