"""Writing confidential output files: owner-only, atomic, never overwriting by surprise."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from leadcli.errors import LeadcliError


def write_private(path: Path, text: str | Iterable[str], *, force: bool = False) -> None:
    """Write `text` (or its chunks) to `path`, owner-only; refuse to replace a file unless `force`.

    The file appears whole or not at all: chunks go to a temporary file that is renamed at the end.
    """
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise LeadcliError(f"cannot write {path}: the folder {folder} does not exist")
    if path.is_dir():
        raise LeadcliError(f"cannot write {path}: it is a folder")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        # Replacing it would swap a device, a pipe or a link for a plain file of customer notes.
        raise LeadcliError(f"cannot write {path}: it is not a regular file (leadcli writes only to files)")
    if path.exists() and not force:
        raise LeadcliError(f"{path} already exists; add --force to replace it")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise LeadcliError(f"cannot write {path}: {exc.strerror or exc}") from None
    tmp_path = Path(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:  # mkstemp makes it 0600
            handle.writelines([text] if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            tmp_path.replace(path)
        else:
            os.link(tmp_path, path)  # fails if the file appeared meanwhile: never overwrite silently
    except FileExistsError:
        raise LeadcliError(f"{path} already exists; add --force to replace it") from None
    except OSError as exc:
        raise LeadcliError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        tmp_path.unlink(missing_ok=True)
