"""Where leadcli finds its content and keeps its files."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

DATA_FILES = ("framework.yaml", "questions.yaml", "offerings.yaml")


def builtin_data_dir() -> Path:
    """The data files shipped with leadcli (inside the wheel, or the repository's `data/`)."""
    packaged = Path(__file__).parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


def resolve_data_dir(override: Path | None) -> Path:
    """The data directory to use: the override if given, else the built-in one."""
    return override if override is not None else builtin_data_dir()


def user_dir(override: Path | None = None) -> Path:
    """leadcli's home: `--home`, else `$LEADCLI_HOME`, else the platform's user data folder."""
    if override is not None:
        return override
    env = os.environ.get("LEADCLI_HOME")
    if env:
        return Path(env)
    return _platform_data_home() / "leadcli"


def cache_dir(home: Path | None = None) -> Path:
    """Disposable files (the validated-content cache); inside the home when one is set."""
    if home is not None or os.environ.get("LEADCLI_HOME"):
        return user_dir(home) / "cache"
    return _platform_cache_home() / "leadcli"


def _platform_data_home() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def _platform_cache_home() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def ensure_private_dir(path: Path) -> Path:
    """Create `path` readable by the owner only, and tighten it if it exists.

    Every folder this creates on the way (the leadcli home above its `cache`, the parents of a
    new `--home`) is made owner-only too, not left at the umask's mode as `mkdir -p` would.
    Raises `NotADirectoryError` saying which part is a file when `path` or a parent is not a folder.
    """
    missing = [p for p in (path, *path.parents) if not p.is_dir()]
    try:
        for folder in reversed(missing):
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:
                if not folder.is_dir():
                    raise
                # another process made it first
    except (FileExistsError, NotADirectoryError):
        blocking = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), path)
        raise NotADirectoryError(
            errno.ENOTDIR,
            f"{blocking} is a file, not a folder (check --home and LEADCLI_HOME)",
        ) from None
    if sys.platform != "win32" and (path.stat().st_mode & 0o077):
        path.chmod(0o700)
    return path
