"""The one place leadcli reads from the person at the keyboard; tests replace these functions."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from leadcli.errors import LeadcliError


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def ask(prompt: str) -> str:
    """One line from the keyboard, with readline editing where available."""
    with contextlib.suppress(ImportError):  # no readline on Windows
        import readline  # noqa: F401 - importing it gives input() line editing and history
    from leadcli.text_input import clean_input

    return clean_input(input(prompt))


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
            raise LeadcliError(f"the editor {command!r} did not run: {exc}") from None
        from leadcli.text_input import clean_input

        return clean_input(path.read_text(encoding="utf-8"))
    finally:
        path.unlink(missing_ok=True)
