"""The one place leadcli reads from the person at the keyboard; tests replace these functions."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from leadcli.errors import LeadcliError


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


class Stopped(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP while leadcli waited for a line; `partial` holds what was typed."""

    def __init__(self, signum: int, partial: str = "") -> None:
        super().__init__(signum)
        self.signum = signum
        self.partial = partial


class _Waiting:
    """Whether `ask` is waiting for a line, and a signal that came while it was not."""

    def __init__(self) -> None:
        self.now = False
        self.pending: int | None = None


_state = _Waiting()


def _line_buffer() -> str:
    try:
        import readline
    except ImportError:  # no readline on Windows: the half-typed line cannot be read
        return ""
    return readline.get_line_buffer()


def _on_signal(signum: int, frame: object) -> None:
    """Stop at once while waiting for a line (keeping what was typed); else at the next prompt,
    so that a save already under way is never cut short."""
    if _state.now:
        raise Stopped(signum, _line_buffer())
    _state.pending = signum


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
            signal.signal(signum, handler)


def ask_secret(prompt: str) -> str:
    """A line typed without echo (a password); it is never printed or kept."""
    import getpass

    return getpass.getpass(prompt)


def ask(prompt: str) -> str:
    """One line from the keyboard, with readline editing where available.

    Raises `Stopped` (a KeyboardInterrupt) on Ctrl-C, or on SIGTERM/SIGHUP inside `stop_signals`,
    with the half-typed line in `partial`; EOFError at the end of input.
    """
    with contextlib.suppress(ImportError):  # no readline on Windows
        import readline  # noqa: F401 - importing it gives input() line editing and history
    from leadcli.untrusted import clean_input

    if _state.pending is not None:
        signum, _state.pending = _state.pending, None
        raise Stopped(signum)
    _state.now = True
    try:
        return clean_input(input(prompt))
    except Stopped:
        raise
    except KeyboardInterrupt:  # Ctrl-C outside stop_signals: Python's own handler
        raise Stopped(signal.SIGINT, _line_buffer()) from None
    finally:
        _state.now = False


def open_in_editor(text: str, folder: Path) -> str:
    """Edit `text` in $VISUAL/$EDITOR, in an owner-only temp file inside `folder`, removed after."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    fd, name = tempfile.mkstemp(prefix="note-", suffix=".txt", dir=folder)
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n" if text else "")
        try:
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
