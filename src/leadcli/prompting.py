"""The one place leadcli reads from the person at the keyboard; tests replace these functions."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from leadcli.errors import LeadcliError


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM/SIGHUP) at a prompt; `partial` is the half-typed line, to be saved."""

    def __init__(self, partial: str = "") -> None:
        super().__init__()
        self.partial = partial


def ask(prompt: str) -> str:
    """One line from the keyboard, with readline editing where available.

    On Ctrl-C raises `Interrupted` carrying what was typed on the line so far.
    """
    readline = None
    with contextlib.suppress(ImportError):  # no readline on Windows
        import readline  # importing it gives input() line editing and history
    try:
        return input(prompt)
    except KeyboardInterrupt as exc:
        partial = readline.get_line_buffer() if readline is not None else ""
        raise Interrupted(partial) from exc


@contextlib.contextmanager
def signals_as_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP stop an interview as Ctrl-C does: the typed line is saved, exit 130."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    before = {sig: signal.signal(sig, interrupt) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


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
        except OSError as exc:
            raise LeadcliError(f"could not start the editor {command}: {exc.strerror or exc}") from None
        except subprocess.CalledProcessError as exc:
            raise LeadcliError(f"the editor {command} failed (exit status {exc.returncode})") from None
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
