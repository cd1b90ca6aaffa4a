"""What differs between the backends, one `Dialect` object per backend.

The store's SQL is written once, with `?` placeholders and the `ON CONFLICT` clauses both backends
share; a dialect spells the rest (placeholders, how a write or a read begins, row locks, what a
migration may need) and knows how to connect and how to word a failure. Adding a backend is one new
module here, listed in `SERVERS`, and its spelling of the dialect-specific migration steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from pathlib import Path

    from leadcli.store.connection import Connection


class Dialect:
    """One backend: how to connect to it, how it spells the store's SQL, how it words a failure."""

    name: ClassVar[str]
    begin_write: ClassVar[str] = "BEGIN"
    """Starts a write transaction."""
    begin_read: ClassVar[str] = "BEGIN"
    """Starts a read in which every cursor sees the same store."""
    for_update: ClassVar[str] = ""
    """Appended to a SELECT: keeps the rows read locked until the transaction ends (where needed)."""
    shared: ClassVar[bool] = False
    """A team store on a server, which several people use (not one person's file)."""
    schema_words: ClassVar[dict[str, str]] = {}
    """What the shared migration SQL leaves to the dialect: {word} -> spelling."""

    def open(self, where: Path | str, *, migrate_upto: str | None = None) -> Connection:
        """Connect to the store `where` names (a home folder, a server URL) and bring it up to date."""
        raise NotImplementedError

    def exists(self, where: Path | str) -> bool:
        """Whether there is a store at `where` to open (a server is always there to try)."""
        return True

    def errors(self) -> tuple[type[Exception], ...]:
        """The exceptions the driver raises for a failed statement or a lost connection."""
        raise NotImplementedError

    def describe(self, error: Exception, where: str, user: str) -> str:
        """What went wrong with the store, in words a user can act on (here: by the driver's text)."""
        text = str(error)
        if "locked" in text or "busy" in text:
            return f"the store {where} is locked by another process (another leadcli?); try again"
        if "readonly" in text or "read-only" in text:
            return f"the store {where} is read-only; check the folder's permissions or the disk"
        if "full" in text:
            return f"cannot write to {where}: the disk (or the store's size limit) is full"
        return f"the store {where} could not be used: {text}"

    def execute(self, raw: Any, sql: str, params: Sequence[Any]) -> Any:
        return raw.execute(sql, params)

    def stream(self, raw: Any, sql: str, params: Sequence[Any], number: int) -> Any:
        """A SELECT read a batch at a time (where the driver would otherwise fetch it all)."""
        return self.execute(raw, sql, params)

    def executemany(self, raw: Any, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raw.executemany(sql, rows)

    def script(self, raw: Any, sql: str) -> None:
        """Run several statements, inside the transaction that is open."""
        raise NotImplementedError

    def in_transaction(self, raw: Any) -> bool:
        return bool(raw.in_transaction)

    def has_table(self, connection: Connection, name: str) -> bool:
        raise NotImplementedError

    def bounded(self, connection: Connection, seconds: float) -> AbstractContextManager[None]:
        """A block in which a request that takes longer than `seconds` fails (where the backend can
        hang: a server over the network). A local file needs no bound."""
        return nullcontext()

    def wait_for_locks(self, connection: Connection, milliseconds: int) -> None:
        """How long a statement waits for another writer's lock before it fails as busy."""

    def time_ms(self, connection: Connection) -> int | None:
        """The store's own time now (milliseconds since 1970) where it has a clock of its own (a
        server, read when connecting); None for a file on this machine."""
        return None

    def team_logins(self, connection: Connection) -> list[str] | None:
        """The logins an interview may be given to (the team's interviewers and managers), or
        None where the store keeps no list of them (a file on this machine)."""
        return None

    def lock_migrations(self, connection: Connection) -> None:
        """Inside a migration's transaction: make any other leadcli wait until it commits."""

    upgrade_lock_timeout: ClassVar[str] = ""
    """How long an upgrade waits for a table another session uses (where that can happen)."""

    def in_the_way(self, connection: Connection) -> str:
        """Who holds what an upgrade waited for (after it gave up)."""
        return "another session"


def servers() -> tuple[ServerDialect, ...]:
    """The backends reached by URL."""
    from leadcli.store.dialects.postgres import POSTGRES

    return (POSTGRES,)


def is_server_url(url: str | None) -> bool:
    """True for a URL one of the server backends takes."""
    return bool(url) and any(dialect.accepts(url) for dialect in servers())  # type: ignore[arg-type]


def for_url(url: str | None) -> Dialect:
    """The dialect of the store `url` names; without one, the SQLite file in the home folder."""
    if not url:
        from leadcli.store.dialects.sqlite import SQLITE

        return SQLITE
    for dialect in servers():
        if dialect.accepts(url):
            return dialect
    from leadcli.errors import UsageError

    raise UsageError("--database-url (LEADCLI_DATABASE_URL) takes a postgresql:// URL")


class ServerDialect(Dialect):
    """A backend reached by URL: a team store."""

    shared = True

    def accepts(self, url: str) -> bool:
        raise NotImplementedError

    def check_url(self, url: str) -> None:
        """Refuse a URL that cannot be read (a UsageError naming what to change)."""

    def mask_url(self, url: str) -> str:
        """The URL with any password replaced by ****, safe to print."""
        raise NotImplementedError
