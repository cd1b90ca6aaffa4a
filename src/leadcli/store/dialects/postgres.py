"""The PostgreSQL backend: a team store on a server, reached by a postgresql:// URL.

psycopg is imported only here, and only when a server URL is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from leadcli.errors import LeadcliError
from leadcli.store.connection import Connection, StoreError
from leadcli.store.dialects import ServerDialect

SERVER_SCHEMES = ("postgresql://", "postgres://")
# Every round trip to the server has a bound leadcli sets itself, so a hung or dropped network is an
# error within seconds, never a frozen command. A setting the URL gives itself is kept.
CONNECT_TIMEOUT = 5  # seconds to reach the server and log in
STATEMENT_TIMEOUT_MS = 30_000  # the longest a report's query may run
LOCK_TIMEOUT_MS = 5_000  # the longest a write waits for another's row lock
TCP_BOUNDS = {
    "keepalives": "1",
    "keepalives_idle": "5",  # seconds of silence before the first probe
    "keepalives_interval": "2",
    "keepalives_count": "3",  # a peer silent for ~11 s is gone
    "tcp_user_timeout": "10000",  # ms a sent byte may stay unacknowledged
}


def bounds(url: str) -> dict[str, Any]:
    """The connection settings that bound every round trip, less those the URL sets itself."""
    from psycopg.conninfo import conninfo_to_dict

    given = conninfo_to_dict(url)
    chosen: dict[str, Any] = {name: value for name, value in TCP_BOUNDS.items() if name not in given}
    if "connect_timeout" not in given:
        chosen["connect_timeout"] = str(CONNECT_TIMEOUT)
    return chosen


@contextmanager
def deadline(connection: Connection, seconds: float) -> Iterator[None]:
    """Cut `connection` if what runs inside takes longer than `seconds`.

    The server's own timeouts cannot end a wait for a reply that never comes (a network that hangs
    while the kernel still acknowledges): this ends it from the client's side, as an error.
    """
    import os
    import socket
    import threading

    def cut() -> None:
        try:
            with socket.socket(fileno=os.dup(connection.raw.pgconn.socket)) as sock:
                sock.shutdown(socket.SHUT_RDWR)
        except Exception:  # psycopg's own errors, an OSError: the connection is already gone
            pass

    timer = threading.Timer(seconds, cut)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


# Any fixed number: the one advisory lock every leadcli takes while it migrates a server store.
_MIGRATION_LOCK = 0x1EADC11


class Row(tuple):
    """A result row read by position or by column name, like sqlite3.Row."""

    __slots__ = ()
    names: dict[str, int] = {}  # noqa: RUF012 - replaced per result by a subclass

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


def _row_factory(cursor: Any) -> Any:
    description = cursor.description
    if description is None:
        return None
    names = {column.name: i for i, column in enumerate(description)}
    return type("Row", (Row,), {"__slots__": (), "names": names})


_PLACEHOLDER = re.compile(r"'[^']*'|\?")


def spell(sql: str) -> str:
    """The store's SQL with psycopg's placeholders (`%s` for `?`, `%%` for a literal `%`)."""
    sql = sql.replace("%", "%%")
    return _PLACEHOLDER.sub(lambda m: "%s" if m.group(0) == "?" else m.group(0), sql)


class Postgres(ServerDialect):
    name = "postgresql"
    begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ"
    # Two machines writing the same rows: the second waits for the first to commit.
    for_update = " FOR UPDATE"
    # The server keeps SQLite's insertion order (rowid) in a column of its own.
    schema_words: ClassVar[dict[str, str]] = {
        "rowid": "\n            rowid BIGSERIAL UNIQUE,",
        "organization_key": "lower(organization)",
    }

    def accepts(self, url: str) -> bool:
        return url.strip().lower().startswith(SERVER_SCHEMES)

    def check_url(self, url: str) -> None:
        """Refuse a server URL that cannot be read, or that libpq would read differently from leadcli
        (and so might print part of a password in its own error)."""
        from leadcli.errors import UsageError

        try:
            parts = urlsplit(url.strip())
            parts.port  # noqa: B018 - reading it checks it
        except ValueError as exc:
            raise UsageError(
                f"--database-url (LEADCLI_DATABASE_URL) is not a URL leadcli can read: {exc}"
            ) from None
        if parts.netloc.count("@") > 1:
            raise UsageError(
                "--database-url (LEADCLI_DATABASE_URL): write an @ in the user or password as %40"
                " (or keep the password in ~/.pgpass)"
            )

    def mask_url(self, url: str) -> str:
        text = re.sub(r"(?i)(password=)[^&\s]*", r"\1****", url)
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018 - an unreadable URL is not shown at all
        except ValueError:
            return "(a server URL that cannot be read)"
        if parts.password is not None:
            user = parts.username or ""
            host = parts.netloc.rsplit("@", 1)[1]
            text = urlunsplit(parts._replace(netloc=f"{user}:****@{host}"))
        return text

    def open(self, where: Path | str, *, migrate_upto: str | None = None) -> Connection:
        """Connect with the URL handed to libpq as it is (so ~/.pgpass, PGPASSWORD, sslmode... apply)."""
        from leadcli.store.migrations import migrate

        url = str(where)
        self.check_url(url)
        try:
            import psycopg
        except ImportError:
            raise StoreError('a postgresql:// store needs psycopg: pip install "leadcli[postgres]"') from None
        try:
            raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory, **bounds(url))
            # leadcli's queries are short; compiling them (JIT) costs more than it saves (65 ms a
            # query). One round trip sets it and the bounds on every statement.
            raw.execute(
                f"SET jit = off; SET statement_timeout = {int(STATEMENT_TIMEOUT_MS)};"
                f" SET lock_timeout = {int(LOCK_TIMEOUT_MS)}"
            )
        except Exception as exc:  # psycopg.Error: one line, never the password
            raise StoreError(describe_connect_failure(url, exc)) from None
        connection = Connection(raw, self, self.mask_url(url))
        try:
            connection.user = connection.execute("SELECT current_user").fetchone()[0]
            migrate(connection, upto=migrate_upto)
        except LeadcliError:
            connection.close()
            raise
        except psycopg.Error as exc:
            connection.close()
            raise StoreError(f"cannot open the store: {connection.describe(exc)}") from None
        return connection

    def errors(self) -> tuple[type[Exception], ...]:
        import psycopg

        return (psycopg.Error,)

    def describe(self, error: Exception, where: str, user: str) -> str:
        sqlstate = getattr(error, "sqlstate", None)
        if sqlstate is None:  # not the server's word (a client-side failure): worded by its text
            return super().describe(error, where, user)
        text = str(error)
        if sqlstate in {"42501", "25006"}:  # insufficient privilege; a read-only (replica) transaction
            return f"the store is read-only for role {user}"
        if sqlstate.startswith("08") or sqlstate.startswith("57P"):
            return f"lost the connection to the database server ({where}); try again"
        if sqlstate in {"40001", "40P01", "55P03"}:
            return f"the store {where} is busy (another leadcli?); try again"
        return f"the store {where} could not be used: {text.splitlines()[0] if text else sqlstate}"

    def execute(self, raw: Any, sql: str, params: Sequence[Any]) -> Any:
        params = tuple(params)
        return raw.execute(spell(sql) if params else sql, params or None)

    def executemany(self, raw: Any, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            with raw.cursor() as cursor:
                cursor.executemany(spell(sql), rows)

    def script(self, raw: Any, sql: str) -> None:
        raw.execute(sql)  # the server parses several statements itself

    def in_transaction(self, raw: Any) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(raw.info.transaction_status != TransactionStatus.IDLE)

    def has_table(self, connection: Connection, name: str) -> bool:
        return bool(connection.execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()[0])

    def bounded(self, connection: Connection, seconds: float) -> AbstractContextManager[None]:
        return deadline(connection, seconds)

    def lock_migrations(self, connection: Connection) -> None:
        connection.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))


POSTGRES = Postgres()


def describe_connect_failure(url: str, error: Exception) -> str:
    """One line, without the password, for a server that cannot be reached or refuses us."""
    text = str(error).strip()
    where = POSTGRES.mask_url(url)
    lowered = text.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        user = re.search(r'user "([^"]*)"', text)
        who = f" for user {user.group(1)}" if user else ""
        return f"the database server refused the password{who} ({where})"
    database = re.search(r'database "([^"]*)" does not exist', text)
    if database:
        return f"the database {database.group(1)} does not exist on the server ({where})"
    if "connection refused" in lowered or "could not connect" in lowered or "timeout expired" in lowered:
        return f"cannot reach the database server ({where}); is it running, and is the host and port right?"
    if "no encryption" in lowered or ("ssl" in lowered and "pg_hba" in lowered):
        return f"the database server requires TLS; add sslmode=require (or verify-full) to the URL ({where})"
    if "ssl" in lowered:
        return f"the TLS connection to the database server failed ({where}): {_first_line(text)}"
    if "role" in lowered and "does not exist" in lowered:
        return f"the database server has no such user ({where})"
    if "pg_hba" in lowered:
        return f"the database server does not let this user in from here ({where})"
    if "missing" in lowered and "psycopg" in lowered:
        return text
    return f"cannot connect to the database server ({where}): {_first_line(text)}"


def _first_line(text: str) -> str:
    line = text.splitlines()[0] if text else ""
    line = re.sub(r"^connection failed: ", "", line)
    return re.sub(r"(?i)(password=)\S*", r"\1****", line)
