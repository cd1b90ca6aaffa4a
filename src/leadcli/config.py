"""The user's defaults: a small TOML file in the user's config folder (`leadcli config path`).

Explicit options and environment variables always win over it. It holds no secrets: a database URL
with a password in it is refused (keep passwords in ~/.pgpass, a service file or PGPASSWORD).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from leadcli.errors import LeadcliError, UsageError
from leadcli.vocabulary import OUTPUT_FORMATS

CONFIG_ENV = "LEADCLI_CONFIG"
KEYS: dict[str, str] = {
    "interviewer": "your name, for interviews when --interviewer (or an answers file) does not give one",
    "region": "the region for live interviews when --region is not given",
    "database_url": "the team store (a postgresql:// URL without a password), as --database-url",
    "format": "the output format for every command that offers it, when --format is not given",
}
_MAX_VALUE = 2_000


class ConfigError(LeadcliError):
    """The config file cannot be read or a value is not allowed."""


@dataclass(frozen=True)
class Config:
    values: dict[str, str]
    path: Path

    def get(self, key: str) -> str:
        return self.values.get(key, "")


def config_path() -> Path:
    """`$LEADCLI_CONFIG`, else `config.toml` in the platform's user config folder."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:  # on macOS too, as gh and most command-line tools do
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "leadcli" / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """The config file's values; none when there is no file."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config({}, path)
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc.strerror}") from None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not a TOML file leadcli can read: {exc}") from None
    values: dict[str, str] = {}
    for key, value in data.items():
        if key not in KEYS:
            raise ConfigError(f"{path}: unknown setting {key!r}; known: {', '.join(KEYS)}")
        if not isinstance(value, str):
            raise ConfigError(f"{path}: {key} must be text in quotes")
        values[key] = check_value(key, value, where=f"{path}: {key}")
    return Config(values, path)


def check_value(key: str, value: str, *, where: str = "") -> str:
    """`value` if `key` may hold it; else a one-line error."""
    where = where or key
    if key not in KEYS:
        raise UsageError(f"unknown setting {key!r}; known: {', '.join(KEYS)}")
    from leadcli.untrusted import visible

    if visible(value, lines=False) != value or len(value) > _MAX_VALUE:
        raise ConfigError(f"{where}: one line of at most {_MAX_VALUE} characters, with no control characters")
    if key == "format" and value not in OUTPUT_FORMATS:
        raise ConfigError(f"{where}: {value!r} is not a format; choose from: {', '.join(OUTPUT_FORMATS)}")
    if key == "database_url" and value:
        from urllib.parse import urlsplit

        from leadcli.store.dialects import is_server_url

        if not is_server_url(value):
            raise ConfigError(f"{where}: a postgresql:// URL")
        try:
            has_password = urlsplit(value).password is not None
        except ValueError:
            has_password = True
        if has_password or "password=" in value.lower():
            raise ConfigError(
                f"{where}: leave the password out of the config file; keep it in ~/.pgpass, "
                "a service file or PGPASSWORD"
            )
    return value


def write_config(config: Config) -> None:
    """Write the config file atomically, owner-only."""
    from leadcli.paths import ensure_private_dir

    path = config.path
    ensure_private_dir(path.parent)
    text = "# leadcli's defaults (`leadcli config list`); options and environment variables win.\n"
    text += "".join(
        f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in config.values.items()
    )
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def set_value(key: str, value: str, path: Path | None = None) -> Config:
    config = load_config(path)
    values = {**config.values, key: check_value(key, value)}
    updated = Config(values, config.path)
    write_config(updated)
    return updated


def unset_value(key: str, path: Path | None = None) -> Config:
    if key not in KEYS:
        raise UsageError(f"unknown setting {key!r}; known: {', '.join(KEYS)}")
    config = load_config(path)
    updated = Config({k: v for k, v in config.values.items() if k != key}, config.path)
    write_config(updated)
    return updated
