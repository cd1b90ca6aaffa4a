"""One open store: its driver connection, its dialect, and the transactions every write runs in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from leadcli.errors import LeadcliError

if TYPE_CHECKING:
    from leadcli.store.dialects import Dialect


class StoreError(LeadcliError):
    """The store cannot be opened or written."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Connection:
    """A driver connection in autocommit mode and the dialect that speaks to it.

    SQL is written once (`?` placeholders); the dialect spells it for its backend.
    """

    def __init__(
        self, raw: Any, dialect: Dialect, where: str, *, user: str = "", read_only: bool = False
    ) -> None:
        self.raw = raw
        self.dialect = dialect
        self.where = where  # the file, or the server URL with its password masked
        self.user = user  # who this store records as author of what it writes
        self.read_only = read_only
        self.errors = dialect.errors()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.dialect.execute(self.raw, sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.dialect.executemany(self.raw, sql, rows)

    def script(self, sql: str) -> None:
        """Run several statements (a migration step) inside the open transaction."""
        self.dialect.script(self.raw, sql)

    @property
    def in_transaction(self) -> bool:
        return self.dialect.in_transaction(self.raw)

    def describe(self, error: Exception) -> str:
        """What went wrong, in words a user can act on."""
        return self.dialect.describe(error, self.where, self.user)

    def close(self) -> None:
        self.raw.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One atomic write: all of it is on disk when this exits, or none of it."""
        if self.read_only:
            raise StoreError(
                f"the store {self.where} is read-only; check the folder's permissions or the disk"
            )
        try:
            self.execute(self.dialect.begin_write)
        except self.errors as exc:
            raise StoreError(self.describe(exc)) from None
        try:
            yield self
            self.execute("COMMIT")
        except self.errors as exc:
            self._rollback()
            message = self.describe(exc)
            if not message.startswith("the store is read-only"):
                message += "; nothing was changed"
            raise StoreError(message) from None
        except BaseException:
            self._rollback()
            raise

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Reads from one consistent snapshot of the store: writers meanwhile change nothing seen."""
        self.execute(self.dialect.begin_read)
        try:
            yield
        finally:
            if self.in_transaction:
                self.execute("COMMIT")

    def _rollback(self) -> None:
        try:
            if self.in_transaction:
                self.execute("ROLLBACK")
        except self.errors:
            pass  # the connection is gone: the server rolls back on its own
