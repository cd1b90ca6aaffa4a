"""The seam between the store's SQL (written for SQLite) and a PostgreSQL server.

The store speaks one SQL dialect: `?` placeholders, `INSERT OR IGNORE`, `LIKE` that ignores case.
`PgConnection` wraps a psycopg 3 connection with the few methods the store uses from
`sqlite3.Connection` and rewrites those spellings for PostgreSQL. psycopg is imported only here,
and only when a server URL is used.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server_url(url: str | None) -> bool:
    return bool(url) and url.strip().lower().startswith(SERVER_SCHEMES)  # type: ignore[union-attr]


def check_url(url: str) -> None:
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


def mask_url(url: str) -> str:
    """The URL with any password replaced by ****, safe to print."""
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


def translate(sql: str, *, with_params: bool = True) -> str:
    """The store's SQL as PostgreSQL spells it."""
    if with_params:
        sql = sql.replace("%", "%%")
        sql = _PLACEHOLDER.sub(lambda m: "%s" if m.group(0) == "?" else m.group(0), sql)
    if "INSERT OR IGNORE" in sql:
        sql = sql.replace("INSERT OR IGNORE", "INSERT") + " ON CONFLICT DO NOTHING"
    if sql == "BEGIN":  # a read (`Store.reading`): every cursor sees the same store
        return "BEGIN ISOLATION LEVEL REPEATABLE READ"
    sql = sql.replace("BEGIN IMMEDIATE", "BEGIN")
    return re.sub(r"\bLIKE\b", "ILIKE", sql)


class PgConnection:
    """A psycopg connection in autocommit mode that the store uses as it uses sqlite3's."""

    dialect = "postgresql"

    def __init__(self, connection: Any) -> None:
        self.raw = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        params = tuple(params)
        return self.raw.execute(translate(sql, with_params=bool(params)), params or None)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            with self.raw.cursor() as cursor:
                cursor.executemany(translate(sql), rows)

    def script(self, sql: str) -> None:
        """Run several statements at once (PostgreSQL parses them itself)."""
        self.raw.execute(sql)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


# Every round trip to the server has a bound leadcli sets itself, so a hung or dropped network
# is an error within seconds, never a frozen prompt. A setting the URL gives itself is kept.
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


def connect(url: str, *, statement_timeout_ms: int | None = None) -> PgConnection:
    """Connect with the URL handed to libpq as it is (so ~/.pgpass, PGPASSWORD, sslmode... apply),
    plus leadcli's own bounds on every round trip (see CONNECT_TIMEOUT and TCP_BOUNDS)."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    given = conninfo_to_dict(url)
    bounds = {name: value for name, value in TCP_BOUNDS.items() if name not in given}
    if "connect_timeout" not in given:
        bounds["connect_timeout"] = str(CONNECT_TIMEOUT)
    connection = psycopg.connect(url, autocommit=True, row_factory=_row_factory, **bounds)  # type: ignore[arg-type]
    # leadcli's queries are short; compiling them (JIT) costs more than it saves (65 ms a query).
    # One round trip sets them all.
    connection.execute(
        f"SET jit = off; SET statement_timeout = {int(statement_timeout_ms or STATEMENT_TIMEOUT_MS)};"
        f" SET lock_timeout = {LOCK_TIMEOUT_MS}"
    )
    return PgConnection(connection)


@contextmanager
def deadline(connection: Any, seconds: float) -> Iterator[None]:
    """Cut `connection` (a PgConnection) if what runs inside takes longer than `seconds`.

    The server's own timeouts cannot end a wait for a reply that never comes (a network that
    hangs while the kernel still acknowledges): this ends it from the client's side, as an error.
    """
    import socket
    import threading

    def cut() -> None:
        try:
            fd = connection.raw.pgconn.socket
            with socket.socket(fileno=os.dup(fd)) as sock:
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


def describe_connect_failure(url: str, error: Exception) -> str:
    """One line, without the password, for a server that cannot be reached or refuses us."""
    text = str(error).strip()
    where = mask_url(url)
    lowered = text.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        user = re.search(r'user "([^"]*)"', text)
        who = f" for user {user.group(1)}" if user else ""
        return f"the database server refused the password{who} ({where})"
    if re.search(r'database "[^"]*" does not exist', text):
        name = re.search(r'database "([^"]*)"', text).group(1)  # type: ignore[union-attr]
        return f"the database {name} does not exist on the server ({where})"
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
