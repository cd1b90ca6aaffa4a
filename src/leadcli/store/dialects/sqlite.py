"""The SQLite backend: one owner-only file in the home folder, WAL journal, full sync."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

from leadcli.paths import ensure_private_dir
from leadcli.store.connection import Connection, StoreError
from leadcli.store.dialects import Dialect

DB_NAME = "leadcli.db"


def store_path(home: Path) -> Path:
    return home / DB_NAME


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _statements(script: str) -> list[str]:
    """Split SQL into whole statements (a trigger's body holds semicolons of its own)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def _disk_full(folder: Path) -> bool:
    """True if the disk that holds `folder` has (almost) no room left."""
    import shutil

    try:
        return shutil.disk_usage(folder).free < 256 * 1024
    except OSError:
        return False


SETUP_WAIT_SECONDS = 10.0  # how long an open waits for another process setting up the same store


@contextlib.contextmanager
def _setup_lock(home: Path) -> Iterator[None]:
    """Hold an exclusive lock on the home folder while this process creates, configures or
    migrates its store, so two processes starting on a new store at once never both set it up
    (one's failed setup once removed the other's file). Waits at most SETUP_WAIT_SECONDS, then
    goes on without it (SQLite's own locks still keep the file whole); no-op where there is no flock.
    """
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    import time

    try:
        fd = os.open(home, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + SETUP_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.01)
            except OSError:  # a file system without flock
                break
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _remove_new_store(raw: Any, path: Path) -> None:
    """Close and delete a store file (and its WAL and shared memory) that this run created."""
    if raw is not None:
        with contextlib.suppress(sqlite3.Error):
            raw.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink()


class Sqlite(Dialect):
    name = "sqlite"
    # Takes the write lock at once, so a transaction never fails half-way for want of it.
    begin_write = "BEGIN IMMEDIATE"
    # SQLite numbers rows itself (rowid); NOCASE is SQLite's own case-blind collation.
    schema_words: ClassVar[dict[str, str]] = {
        "rowid": "",
        "organization_key": "organization COLLATE NOCASE",
        "without_rowid": " WITHOUT ROWID",  # a table kept in its primary key's order, one tree
        "serial_key": "INTEGER PRIMARY KEY AUTOINCREMENT",
    }

    def open(self, where: Path | str, *, migrate_upto: str | None = None) -> Connection:
        home = Path(where)
        path = store_path(home)
        try:
            if not path.exists():
                ensure_private_dir(home)
            elif not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
                return self._open_read_only(path, migrate_upto)
            with _setup_lock(home):
                return self._open_writable(home, path, migrate_upto)
        except PermissionError:
            raise StoreError(f"cannot open the store {path}: permission denied") from None
        except OSError as exc:
            raise StoreError(f"cannot open the store {path}: {exc.strerror or exc}") from None

    def _open_writable(self, home: Path, path: Path, migrate_upto: str | None) -> Connection:
        """Create (owner-only) or open the store, configure it and bring it up to date."""
        from leadcli.store.migrations import migrate

        created = False
        raw = None
        try:
            try:
                # Only the process whose call made the file may remove it if setting it up fails.
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                created = True
            except FileExistsError:
                pass
            raw = sqlite3.connect(path, isolation_level=None, timeout=10)
            raw.row_factory = sqlite3.Row
            # A new store gets 16 KiB pages: a ~2 KB answer row then wastes a few percent of a page,
            # not nearly half of a 4 KiB one. Existing stores keep theirs (it only applies when empty).
            raw.execute("PRAGMA page_size=16384")
            raw.execute("PRAGMA journal_mode=WAL")
            raw.execute("PRAGMA synchronous=FULL")
            raw.execute("PRAGMA foreign_keys=ON")
            connection = Connection(raw, self, str(path), user=_login_name())
            migrate(connection, upto=migrate_upto)
        except sqlite3.DatabaseError as exc:
            if created:  # a store this call began and could not finish: leave nothing half-made
                _remove_new_store(raw, path)
            if _disk_full(home):
                raise StoreError(f"cannot create or open the store {path}: the disk is full") from None
            raise StoreError(f"cannot open the store {path}: {exc}") from None
        return connection

    def exists(self, where: Path | str) -> bool:
        return store_path(Path(where)).exists()

    def _open_read_only(self, path: Path, migrate_upto: str | None) -> Connection:
        """A store this user may read but not write: opened as it is, if it needs no migration."""
        from leadcli.store.migrations import pending

        # Without a WAL file the store is whole in its one file: `immutable` reads it without
        # writing anything (not even lock bookkeeping). With one, read-only mode reads the WAL too.
        has_wal = path.with_name(path.name + "-wal").exists()
        uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if has_wal else "&immutable=1")
        raw = sqlite3.connect(uri, uri=True, isolation_level=None)
        raw.row_factory = sqlite3.Row
        connection = Connection(raw, self, str(path), user=_login_name(), read_only=True)
        todo = pending(connection)
        if todo and (migrate_upto is None or migrate_upto in todo):
            raw.close()
            raise StoreError(
                f"the store {path} is read-only and needs upgrading (migration {todo[0]});"
                " open it once with write access"
            )
        return connection

    def errors(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error,)

    def execute(self, raw: Any, sql: str, params: Sequence[Any]) -> Any:
        return raw.execute(sql, params)

    def script(self, raw: Any, sql: str) -> None:
        # One statement at a time: sqlite3's executescript would commit the open transaction first.
        for statement in _statements(sql):
            raw.execute(statement)

    def wait_for_locks(self, connection: Connection, milliseconds: int) -> None:
        connection.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

    def has_table(self, connection: Connection, name: str) -> bool:
        found = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        return found.fetchone() is not None


SQLITE = Sqlite()
