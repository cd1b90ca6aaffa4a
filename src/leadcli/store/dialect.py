"""The seam between the store's SQL (written for SQLite) and a PostgreSQL server.

The store speaks one SQL dialect: `?` placeholders, `INSERT OR IGNORE`, `LIKE` that ignores case.
`PgConnection` wraps a psycopg 3 connection with the few methods the store uses from
`sqlite3.Connection` and rewrites those spellings for PostgreSQL. psycopg is imported only here,
and only when a server URL is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server_url(url: str | None) -> bool:
    return bool(url) and url.strip().lower().startswith(SERVER_SCHEMES)  # type: ignore[union-attr]


_MUST_ENCODE = re.compile(r"[\s/?#@]|%(?![0-9A-Fa-f]{2})")
_QUERY_PASSWORD = re.compile(r"(?i)((?:^|[?&])password=)[^&]*")


def _userinfo(url: str) -> tuple[str, str | None, str]:
    """The URL cut at its user information: (`scheme://`, `user:password` or None, `@host...`).

    The user information ends at the last @, so a password holding a raw / ? # or @ is still
    found (and masked) whole, however libpq itself would read it.
    """
    scheme, sep, after = url.partition("://")
    at = after.rfind("@")
    if not sep or at < 0:
        return url, None, ""
    return scheme + sep, after[:at], after[at:]


def _secrets(url: str) -> list[str]:
    """Every spelling of the password in `url` (as written and percent-decoded), longest first."""
    from urllib.parse import unquote

    found = []
    _, userinfo, _ = _userinfo(url)
    if userinfo is not None and ":" in userinfo:
        found.append(userinfo.split(":", 1)[1])
    found += [m.group(0).split("=", 1)[1] for m in re.finditer(r"(?i)(?<=[?&])password=[^&]*", url)]
    spellings = {spelling for secret in found if secret for spelling in (secret, unquote(secret))}
    return sorted(spellings, key=len, reverse=True)


def has_password(url: str) -> bool:
    return bool(_secrets(url))


def check_url(url: str) -> None:
    """Refuse a server URL whose user or password libpq would read differently from what was meant
    (and so might print part of the password in its own error)."""
    from leadcli.errors import UsageError

    _, userinfo, _ = _userinfo(url.strip())
    if userinfo is not None and _MUST_ENCODE.search(userinfo):
        raise UsageError(
            "--database-url (LEADCLI_DATABASE_URL): a user or password in the URL must write"
            " space, %, /, ?, # and @ percent-encoded (%20 %25 %2F %3F %23 %40);"
            " better, keep the password out of the URL: ~/.pgpass, a service file or PGPASSWORD"
        )


def mask_url(url: str) -> str:
    """The URL with any password replaced by ****, safe to print (multi-host and service URLs too)."""
    scheme, userinfo, rest = _userinfo(url)
    if userinfo is not None and ":" in userinfo:
        url = f"{scheme}{userinfo.split(':', 1)[0]}:****{rest}"
    return _QUERY_PASSWORD.sub(r"\1****", url)


def scrub(text: str, url: str) -> str:
    """`text` with every spelling of `url`'s password replaced by ****."""
    for secret in _secrets(url):
        text = text.replace(secret, "****")
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


# Rows a server-side cursor fetches at a time (an answer row is about 2 KB of notes).
STREAM_ROWS = 2000


class PgConnection:
    """A psycopg connection in autocommit mode that the store uses as it uses sqlite3's."""

    dialect = "postgresql"

    def __init__(self, connection: Any, schema: str = "") -> None:
        self.raw = connection
        self.schema = schema
        self.streaming = False  # set by `Store.reading()`: SELECTs then read through named cursors
        self._cursors = 0

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        params = tuple(params)
        text = translate(sql, with_params=bool(params))
        if self.streaming and text.lstrip().upper().startswith("SELECT"):
            # Inside `Store.reading()`: a server-side (named) cursor, read STREAM_ROWS at a time,
            # so a whole-store read holds a few thousand rows, never the whole result.
            self._cursors += 1
            cursor = self.raw.cursor(name=f"leadcli_{self._cursors}")
            cursor.itersize = STREAM_ROWS
            return cursor.execute(text, params or None)
        return self.raw.execute(text, params or None)

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


def schema_of(options: str) -> str:
    """The schema the store lives in: the first of a `search_path` the connection's options set
    (in the URL, a service file or PGOPTIONS), else leadcli."""
    from leadcli.store.team import DEFAULT_SCHEMA

    found = re.search(r"-c\s*search_path\s*=\s*([^\s,]+)", options)
    return found.group(1).strip('"') if found else DEFAULT_SCHEMA


# How long a command waits for a row or table another session holds before it says the store is
# busy. Only the owner's upgrade takes stronger locks, and it waits less (UPGRADE_LOCK_TIMEOUT).
LOCK_TIMEOUT = "5s"


def connect(url: str) -> PgConnection:
    """Connect with the URL handed to libpq as it is (so ~/.pgpass, PGPASSWORD, services... apply).

    Every connection then resolves names only in the store's schema and pg_catalog: nothing
    another role plants in `public` (or anywhere else) is ever used.
    """
    import psycopg

    connection = psycopg.connect(url, autocommit=True, row_factory=_row_factory, connect_timeout=10)
    schema = schema_of(connection.info.get_parameters().get("options", ""))
    connection.execute(
        "SELECT pg_catalog.set_config('search_path',"
        " pg_catalog.quote_ident(%s) || ', pg_catalog, pg_temp', false)",
        (schema,),
    )
    # leadcli's queries are short; compiling them (JIT) costs more than it saves (65 ms a query).
    connection.execute("SET jit = off")
    connection.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
    return PgConnection(connection, schema)


def describe_connect_failure(url: str, error: Exception) -> str:
    """One line, without the password, for a server that cannot be reached or refuses us."""
    return scrub(_connect_failure(url, scrub(str(error), url).strip()), url)


def _connect_failure(url: str, text: str) -> str:
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
