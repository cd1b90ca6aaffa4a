"""One open store: its driver connection, its dialect, and the transactions every write runs in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from leadcli.errors import LeadcliError

if TYPE_CHECKING:
    from leadcli.store.clock import Clock
    from leadcli.store.dialects import Dialect
    from leadcli.store.team import Team


class StoreError(LeadcliError):
    """The store cannot be opened or written."""


class Refused(StoreError):
    """The store's rules do not let this user do that (one line naming the rule)."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def not_yours(interview_id: str, assignee: str) -> Refused:
    """The refusal of a change to an interview assigned to another interviewer."""
    return Refused(
        f"interview {interview_id} belongs to another interviewer ({assignee}); a manager can assign it"
        " (`leadcli assign`)"
    )


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
        self.schema = ""  # on a server: the store's schema, quoted, as SQL names it
        self.refusal = ""  # on a server this user may not write: why, in one line
        self.team: Team | None = None  # the group roles of a team server store
        self.manager = True  # may change every record (all but a team's interviewers and readers)
        self.streaming = False  # inside `reading()` on a server: SELECTs read through named cursors
        self._audit_context: bool | None = None  # SQLite: whether the file keeps a trail yet
        self._cursors = 0
        self.node = ""  # this machine's id (`store.identity.machine_id`), for the clock's stamps
        self.server_time: tuple[int, float] | None = None  # a server's ms, and time.monotonic() then

    @property
    def clock(self) -> Clock:
        """The clock this store stamps values with (`store.clock`): one per machine and process."""
        from leadcli.store.clock import clock_for

        if not self.node:
            from leadcli.store.identity import random_id

            self.node = random_id()[:16]  # a store opened without a home: this process alone
        return clock_for(self.node)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self.streaming and sql.lstrip()[:6].upper() == "SELECT":
            self._cursors += 1
            return self.dialect.stream(self.raw, sql, params, self._cursors)
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
    def transaction(self, action: str = "") -> Iterator[Connection]:
        """One atomic write: all of it is on disk when this exits, or none of it.

        `action` names it in the audit trail when its rows are not one person's typing
        (`imported`, `merged`, `erased`); the trail's author is always the store's user.
        """
        if self.read_only:
            if self.refusal:
                raise Refused(self.refusal)
            raise StoreError(
                f"the store {self.where} is read-only; check the folder's permissions or the disk"
            )
        try:
            self.execute(self.dialect.begin_write)
            self._note_action(action)
        except self.errors as exc:
            self._rollback()
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

    def _note_action(self, action: str) -> None:
        """Tell the trail's triggers who writes and why (the server knows who itself)."""
        if self.dialect.shared:
            if action:  # a setting local to the transaction: without one it reads '' (one round trip less)
                self.execute("SELECT set_config('leadcli.action', ?, true)", (action,))
            return
        if self._audit_context is None:
            self._audit_context = self.dialect.has_table(self, "audit_context")
        if self._audit_context:
            # only when it changes: a write that changes no row touches no page (one less per line)
            self.execute(
                "UPDATE audit_context SET actor = ?, action = ? WHERE actor <> ? OR action <> ?",
                (self.user, action, self.user, action),
            )

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Reads from one consistent snapshot of the store: writers meanwhile change nothing seen.

        On a server every query inside reads through a server-side cursor, so memory stays flat.
        """
        if self.streaming:  # already inside one
            yield
            return
        self.execute(self.dialect.begin_read)
        self.streaming = self.dialect.shared
        try:
            yield
        finally:
            self.streaming = False
            if self.in_transaction:
                self.execute("COMMIT")

    def refuse_unless_manager(self, what: str) -> None:
        """Raise Refused unless this user may change every record of the store."""
        if not self.manager and self.team is not None:
            raise Refused(
                f"{what} is for managers (role {self.team.role('manager')}); {self.user} is not one"
            )

    def check_may_change(self, interview_id: str) -> None:
        """Raise Refused if the interview is not this user's to change (its assignee, or a manager)."""
        if self.manager:
            return
        row = self.execute("SELECT assigned_to FROM interviews WHERE id = ?", (interview_id,)).fetchone()
        if row is not None and row[0] != self.user:
            raise not_yours(interview_id, row[0])

    def write_alone(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """One statement that is a whole write by itself: outside `transaction()` it commits on its
        own (on a server one round trip, no BEGIN or COMMIT). Refused like `transaction()` on a
        read-only store; a failure is raised as the driver's error, nothing kept."""
        if self.read_only:
            if self.refusal:
                raise Refused(self.refusal)
            raise StoreError(
                f"the store {self.where} is read-only; check the folder's permissions or the disk"
            )
        inside = self.in_transaction
        try:
            return self.execute(sql, params)
        except self.errors:
            if not inside:  # what the statement began (nothing, in autocommit) ends with it
                self._rollback()
            raise

    def _rollback(self) -> None:
        try:
            if self.in_transaction:
                self.execute("ROLLBACK")
        except self.errors:
            pass  # the connection is gone: the server rolls back on its own
