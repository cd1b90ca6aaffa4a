"""The PostgreSQL backend: a team store on a server, reached by a postgresql:// URL.

psycopg is imported only here, and only when a server URL is used.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, ClassVar

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
# Only the owner's upgrade takes stronger locks than a row's, and it waits for them less than a
# write waits for a row (LOCK_TIMEOUT_MS), so an Enter queued behind an upgrade waits no longer
# than this.
UPGRADE_LOCK_TIMEOUT = "3s"
# Rows a server-side cursor fetches at a time (an answer row is about 2 KB of notes).
STREAM_ROWS = 2000

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


def schema_of(options: str) -> str:
    """The schema the store lives in: the first of a `search_path` the connection's own options set
    (in the URL, a service file or PGOPTIONS), else leadcli."""
    from leadcli.store.team import DEFAULT_SCHEMA

    found = re.search(r"-c\s*search_path\s*=\s*([^\s,]+)", options)
    return found.group(1).strip('"') if found else DEFAULT_SCHEMA


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


_MOMENT = re.compile(r"(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00")


def iso_moment(text: str) -> str:
    """A timestamptz as the server writes it in UTC (`2026-11-02 10:00:00.5+00`) as leadcli writes
    moments (`datetime.isoformat()`: `2026-11-02T10:00:00.500000+00:00`); anything else as it is."""
    found = _MOMENT.fullmatch(text)
    if found is None:
        return text
    day, clock, fraction = found.groups()
    return f"{day}T{clock}{'.' + fraction.ljust(6, '0') if fraction else ''}+00:00"


_loaders: list[Any] = []


def _read_as_text(raw: Any) -> None:
    """Have `raw` read the server's types as the ISO and JSON text leadcli keeps on SQLite:
    timestamptz in UTC as `isoformat()` text, date as `YYYY-MM-DD`, jsonb and json as their text."""
    if not _loaders:
        from psycopg.adapt import Loader

        class MomentLoader(Loader):
            def load(self, data: Any) -> str:
                return iso_moment(bytes(data).decode())

        class TextLoader(Loader):
            def load(self, data: Any) -> str:
                return bytes(data).decode()

        _loaders.extend([("timestamptz", MomentLoader), ("date", TextLoader), ("jsonb", TextLoader)])
        _loaders.append(("json", TextLoader))
    for name, loader in _loaders:
        raw.adapters.register_loader(name, loader)


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
        "without_rowid": "",  # a table kept in its primary key's order, one tree
        "serial_key": "BIGSERIAL PRIMARY KEY",
    }

    def accepts(self, url: str) -> bool:
        return url.strip().lower().startswith(SERVER_SCHEMES)

    def check_url(self, url: str) -> None:
        check_url(url)

    def mask_url(self, url: str) -> str:
        return mask_url(url)

    def connect(self, url: str) -> Connection:
        """Connect with the URL handed to libpq as it is (so ~/.pgpass, PGPASSWORD, services... apply).

        Every connection then resolves names only in the store's schema and pg_catalog: nothing
        another role plants in `public` (or anywhere else) is ever used.
        """
        self.check_url(url)
        try:
            import psycopg
        except ImportError:
            raise StoreError('a postgresql:// store needs psycopg: pip install "leadcli[postgres]"') from None
        try:
            raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory, **bounds(url))
            _read_as_text(raw)
            schema = schema_of(raw.info.get_parameters().get("options", ""))
            # Names resolve only in the store's schema and pg_catalog. leadcli's queries are short;
            # compiling them (JIT) costs more than it saves (65 ms a query). One round trip sets
            # that and the bounds on every statement.
            found = raw.execute(
                "SELECT pg_catalog.set_config('search_path',"
                " pg_catalog.quote_ident(%s) || ', pg_catalog, pg_temp', false),"
                " pg_catalog.quote_ident(%s)",
                (schema, schema),
            ).fetchone()
            quoted = str(found[1]) if found else schema
            # Moments are read in UTC and days as YYYY-MM-DD (`_read_as_text`), whatever the
            # server's or the role's own settings.
            raw.execute(
                f"SET jit = off; SET statement_timeout = {int(STATEMENT_TIMEOUT_MS)};"
                f" SET lock_timeout = {int(LOCK_TIMEOUT_MS)}; SET TimeZone = 'UTC';"
                " SET DateStyle = 'ISO, YMD'"
            )
        except Exception as exc:  # psycopg.Error: one line, never the password
            raise StoreError(describe_connect_failure(url, exc)) from None
        connection = Connection(raw, self, self.mask_url(url))
        connection.schema = quoted
        asked = time.monotonic()  # the server's time rides on this round trip (the clock's offset)
        user, server_ms = connection.execute(
            "SELECT session_user, (extract(epoch FROM clock_timestamp()) * 1000)::bigint"
        ).fetchone()
        connection.user = user
        connection.server_time = (int(server_ms), (asked + time.monotonic()) / 2)
        return connection

    def open(self, where: Path | str, *, migrate_upto: str | None = None) -> Connection:
        """Connect, and check that store and leadcli agree on its schema: only `leadcli admin
        migrate` (services.admin) changes it, never an ordinary command."""
        connection = self.connect(str(where))  # says so in one line when psycopg is missing
        import psycopg

        try:
            self._check(connection)
        except LeadcliError:
            connection.close()
            raise
        except psycopg.Error as exc:
            connection.close()
            raise StoreError(f"cannot open the store: {connection.describe(exc)}") from None
        return connection

    def _check(self, connection: Connection) -> None:
        """Whether the store is set up and at this leadcli's migration; who this user is on it."""
        from leadcli.store.migrations import MIGRATIONS, applied
        from leadcli.store.team import Team

        where = connection.where
        schema, owner = connection.execute(
            "SELECT n.nspname, n.nspowner::regrole::text FROM pg_namespace n"
            " WHERE n.oid = to_regnamespace(?)",
            (connection.schema,),
        ).fetchone() or (None, None)
        if schema is None:
            raise StoreError(
                f"the store {where} has no schema {connection.schema}; an administrator creates it with"
                " `leadcli admin setup` (see docs/team-store.md)"
            )
        done = applied(connection)
        known = [name for name, _ in MIGRATIONS]
        ahead = sorted(set(done) - set(known))
        if not done:
            raise StoreError(
                f"the store {where} is not set up yet; its owner ({owner}) sets it up with"
                " `leadcli admin migrate` (or an administrator with `leadcli admin setup --apply`)"
            )
        if ahead:
            raise StoreError(
                f"the store is ahead of this leadcli (it has migration {ahead[-1]});"
                " upgrade leadcli (pip install -U leadcli) to use it"
            )
        behind = [name for name in known if name not in done]
        if behind:
            raise StoreError(
                f"the store is behind this leadcli (it is at {done[-1]}, this leadcli needs {behind[-1]});"
                f" its owner ({owner}) upgrades it with `leadcli admin migrate`"
            )
        prefix = connection.execute("SELECT value FROM store_settings WHERE name = 'roles'").fetchone()
        if prefix is not None:
            connection.team = Team(schema=schema, prefix=prefix[0])
            connection.manager = connection.execute(
                "SELECT pg_has_role(session_user, ?, 'MEMBER') OR pg_has_role(session_user, ?, 'MEMBER')",
                (connection.team.role("manager"), connection.team.role("owner")),
            ).fetchone()[0]
        if not connection.execute("SELECT has_table_privilege('interviews', 'INSERT')").fetchone()[0]:
            connection.read_only = True
            user = connection.user
            if connection.team is not None:
                connection.refusal = (
                    f"{user} may only read this store (role {connection.team.role('reader')});"
                    f" its owner makes them an interviewer with `leadcli admin grant interviewer {user}`"
                )
            else:
                connection.refusal = f"the store is read-only for role {user}"

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

    def stream(self, raw: Any, sql: str, params: Sequence[Any], number: int) -> Any:
        """A SELECT through a server-side (named) cursor read STREAM_ROWS at a time: a whole-store
        read holds a few thousand rows, never the whole result. Inside a transaction only."""
        params = tuple(params)
        cursor = raw.cursor(name=f"leadcli_{number}")
        cursor.itersize = STREAM_ROWS
        return cursor.execute(spell(sql) if params else sql, params or None)

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

    def time_ms(self, connection: Connection) -> int | None:
        """The server's time now, from its time read when connecting (no round trip of its own)."""
        if connection.server_time is None:
            return None
        ms, read_at = connection.server_time
        return ms + round((time.monotonic() - read_at) * 1000)

    def bounded(self, connection: Connection, seconds: float) -> AbstractContextManager[None]:
        return deadline(connection, seconds)

    upgrade_lock_timeout = UPGRADE_LOCK_TIMEOUT

    def lock_migrations(self, connection: Connection) -> None:
        """The upgrade lock, taken without waiting; tables waited for at most UPGRADE_LOCK_TIMEOUT."""
        from leadcli.store.migrations import UpgradeBlocked

        connection.execute(f"SET LOCAL lock_timeout = '{UPGRADE_LOCK_TIMEOUT}'")
        if not connection.execute("SELECT pg_try_advisory_xact_lock(?)", (_MIGRATION_LOCK,)).fetchone()[0]:
            raise UpgradeBlocked(
                "another session is upgrading the store or holds its upgrade lock:"
                f" {self.in_the_way(connection)}"
            )

    def team_logins(self, connection: Connection) -> list[str] | None:
        if connection.team is None:
            return None
        # Members of the interviewer or manager group, directly or through another role; not
        # everyone pg_has_role counts (a superuser is a member of every role).
        rows = connection.execute(
            "WITH RECURSIVE members(oid) AS ("
            " SELECT oid FROM pg_catalog.pg_roles WHERE rolname IN (?, ?)"
            " UNION SELECT am.member FROM pg_catalog.pg_auth_members am JOIN members m ON am.roleid = m.oid)"
            " SELECT r.rolname FROM pg_catalog.pg_roles r JOIN members m ON r.oid = m.oid"
            " WHERE r.rolcanlogin ORDER BY r.rolname",
            (connection.team.role("interviewer"), connection.team.role("manager")),
        )
        return [str(row[0]) for row in rows]

    def in_the_way(self, connection: Connection) -> str:
        """Who holds a lock on leadcli's tables or its upgrade lock (sessions other than this one)."""
        rows = connection.execute(
            "SELECT DISTINCT a.usename, a.pid, a.state FROM pg_catalog.pg_locks l"
            " JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.pid <> pg_catalog.pg_backend_pid() AND l.granted"
            " AND l.database = (SELECT oid FROM pg_catalog.pg_database"
            "  WHERE datname = pg_catalog.current_database())"
            " AND ((l.locktype = 'advisory' AND l.objid = ? AND l.classid = 0)"
            "  OR l.relation IN (SELECT c.oid FROM pg_catalog.pg_class c"
            "   WHERE c.relnamespace = pg_catalog.to_regnamespace(pg_catalog.current_schema())::oid))"
            " ORDER BY a.pid",
            (_MIGRATION_LOCK,),
        ).fetchall()
        if not rows:
            return "another session (it has ended since)"
        return ", ".join(
            f"{user} (process {pid}{', ' + state if state else ''})" for user, pid, state in rows
        )


POSTGRES = Postgres()


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
