"""The store: a SQLite file (owner-only, WAL, full sync) or a shared PostgreSQL database.

`Store` holds the connection and hands out the store's parts, one per aggregate:
`store.interviews`, `store.leases`, `store.outcomes`, `store.facts` (what the summary and the
evaluation read), `store.snapshots`, `store.question_sets` and `store.trail` (the audit trail,
and erasure). What differs between the backends is in `store.dialects`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from leadcli.store.connection import Connection, StoreError
from leadcli.store.facts import Facts
from leadcli.store.interviews import Interviews
from leadcli.store.leases import Leases
from leadcli.store.outcomes import Outcomes
from leadcli.store.question_sets import QuestionSets
from leadcli.store.snapshots import Snapshots
from leadcli.store.trail import Trail


def location(home: Path, url: str | None) -> str:
    """Where the store is, safe to print: the file in `home`, or the server URL with its password masked."""
    from leadcli.store.dialects import ServerDialect, for_url

    dialect = for_url(url)
    if isinstance(dialect, ServerDialect) and url:
        dialect.check_url(url)
        return dialect.mask_url(url)
    from leadcli.store.dialects.sqlite import store_path

    return str(store_path(home))


def exists(home: Path, url: str | None) -> bool:
    """Whether there is a store to open: always on a server; in `home`, once its file was made."""
    from leadcli.store.dialects import for_url

    return for_url(url).exists(url or home)


class Store:
    """leadcli's records. Open with `Store.open(home)` (or `url=`); use as a context manager to close."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.snapshots = Snapshots(connection)
        self.leases = Leases(connection)
        self.interviews = Interviews(connection, self.snapshots, self.leases)
        self.outcomes = Outcomes(connection)
        self.facts = Facts(connection, self.snapshots)
        self.trail = Trail(connection)
        self.question_sets = QuestionSets(connection)

    @classmethod
    def open(cls, home: Path, *, url: str | None = None, migrate_upto: str | None = None) -> Store:
        """The store in `home` (migrated up to `migrate_upto`), or on the server `url` names (never
        migrated here: only `leadcli admin migrate` upgrades a server store)."""
        from leadcli.store.dialects import for_url
        from leadcli.store.identity import machine_id

        connection = for_url(url).open(url or home, migrate_upto=migrate_upto)
        connection.node = machine_id(home) if home is not None else ""
        if home is not None:
            _set_clock(connection, home)
        return cls(connection)

    @property
    def location(self) -> str:
        """Where the store is, safe to print (a server URL with its password masked)."""
        return self.connection.where

    @property
    def user(self) -> str:
        """Who this store records as author of what it writes (the database user, or the login name)."""
        return self.connection.user

    @property
    def shared(self) -> bool:
        """A team store on a server (not one person's file)."""
        return self.connection.dialect.shared

    @property
    def read_only(self) -> bool:
        return self.connection.read_only

    def transaction(self, action: str = "") -> AbstractContextManager[Connection]:
        """One atomic write: all of it is on disk when this exits, or none of it (`action` names it
        on the audit trail when it is not one person's typing: `imported`, `merged`)."""
        return self.connection.transaction(action)

    def refuse_unless_manager(self, what: str) -> None:
        """Raise Refused (one line naming the rule) unless this user may change every record."""
        self.connection.refuse_unless_manager(what)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Reads from one consistent snapshot of the store: writers meanwhile change nothing seen."""
        with self.connection.reading():
            yield

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        self.close()
        if isinstance(error, self.connection.errors):  # a read that failed: say so in one line
            raise StoreError(self.connection.describe(error)) from None


def _set_clock(connection: Connection, home: Path) -> None:
    """Stamp in the team server's time: as read when a server store connected, else as last read."""
    from leadcli.store.clock import set_offset, use_kept_offset

    store_ms = connection.dialect.time_ms(connection)
    if store_ms is None:
        use_kept_offset(connection.node, home)
    else:
        set_offset(connection.node, store_ms, home)
