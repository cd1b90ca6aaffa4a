"""Capture: where a live interview's writes go, so that no store failure ends it or loses a line.

Every write lands on this machine first, durably, before anything else:

- with the SQLite store, in the store itself (it is the journal): `direct`;
- with a server store, or when the SQLite store cannot be written (a lock held past a second, a
  take-over, the interview deleted elsewhere), in the local replica (`store.replica`): `replica`.
  A background thread (`Pusher`) drains the replica into the team store, off the prompt's path;
- when even the replica cannot be written (the laptop's disk is full): in memory (`memory`), said at
  once, retried with every later write, and printed back when the interview stops.

The engines call the same six writes they would call on a Store. One quiet status line says
where the words are when they are not all in the team store, and when they have reached it.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from leadcli.errors import Erased, LeadcliError
from leadcli.store.connection import Refused, StoreError
from leadcli.store.db import Store
from leadcli.store.leases import Lease, LeaseHeld
from leadcli.store.records import Answer, Contact, ContentStamp, Interview, NoteLine, Reflection
from leadcli.store.replica import Replica, has_replica
from leadcli.vocabulary import Status, questions_finished, status_for

Show = Callable[[Any], None]

DIRECT, REPLICA, MEMORY = "direct", "replica", "memory"
LIVE_BUSY_MS = 500  # a live write waits this long for a held SQLite lock, then goes to the replica
PUSH_SECONDS = 15.0  # one push to the team store, at most (the client cuts it after that)
SLOW_SECONDS = 2.0  # a push running longer than this is reported as waiting
FINISH_SECONDS = 3.0  # how long the end of an interview waits for the last push
STOP_SECONDS = 0.2  # how long a stop (Ctrl-C, a signal, a closed terminal) waits for it
STOP_LOCK_MS = 100  # how long a stop's last writes (the lease, forgetting) wait for a lock (the pusher's)
WATCH_SECONDS = 1.0  # how often a live interview looks whether it was deleted elsewhere, typed into or not


def open_team(home: Path, url: str | None) -> Store:
    """The team store: the server `url` names (with leadcli's bounds), else the SQLite file in `home`."""
    return Store.open(home, url=url)


def bounded(store: Store, seconds: float | None = None) -> Any:
    """A block in which a server store's connection is cut if it takes longer than `seconds`
    (PUSH_SECONDS unless given)."""
    return store.connection.dialect.bounded(store.connection, seconds or PUSH_SECONDS)


def lease_for(store: Store, interview_id: str, home: Path) -> Lease:
    """A lease on `interview_id` for the store's user (login or database role), this process and
    this machine: its own id (kept in the leadcli `home`) and its host name."""
    from leadcli.store.identity import machine_id

    user = store.user or "unknown user"
    return Lease(interview_id, user, socket.gethostname(), os.getpid(), machine=machine_id(home))


def _reason(error: BaseException) -> str:
    if isinstance(error, LeadcliError):
        return error.message
    return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}".rstrip(": ")


def _lines_label(count: int) -> str:
    return f"{count} line{'s' if count != 1 else ''}"


class Pusher(threading.Thread):
    """Drains one interview (and anything else waiting) from the replica into the team store."""

    def __init__(
        self, home: Path, url: str | None, interview_id: str, *, lease: bool, there: bool = False
    ) -> None:
        super().__init__(daemon=True, name="leadcli-push")
        self.home, self.url, self.interview_id, self.lease = home, url, interview_id, lease
        self.there = there  # the team store has had this interview (so a push that creates it finds
        # it deleted there meanwhile)
        self.stored_again = False  # a push found it deleted from the team store and stored it again
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.problem: str | None = None  # why the last push failed; None when it went through
        self.first_problem: str | None = None  # the first failure seen (for diagnostics)
        self.notice: str | None = None  # something to say once (the lease is held elsewhere)
        self.busy_since: float | None = None
        self.pushed_lines = 0
        self.leased = False
        self.conflicts: list[str] = []  # what the merges named, said when the interview ends
        self.taken_by: Lease | None = None  # who took this terminal's lease on the team store
        self.held: Lease | None = None  # the lease this terminal took on the team store
        self.moved_to = ""  # its id on the team store, where another interview there has its id
        self.placed_said = False  # edits made by this machine's own clock were placed (said once)
        self.erased: str | None = None  # the team store erased this interview: what was said
        self.looked = time.monotonic()  # when `deleted_there` last looked at the team store

    def poke(self) -> None:
        self.wake.set()

    def finish(self, seconds: float | None = None) -> None:
        """Push what is left, for at most `seconds` (FINISH_SECONDS); what does not make it stays
        in the replica."""
        self.stopping.set()
        self.wake.set()
        self.join(seconds or FINISH_SECONDS)

    def slow(self) -> bool:
        return self.busy_since is not None and time.monotonic() - self.busy_since > SLOW_SECONDS

    def run(self) -> None:
        from leadcli.store.push import push_waiting

        replica: Replica | None = None
        team: Store | None = None
        pause = 0.2
        while True:
            self.wake.wait(pause if self.problem else 1.0)
            self.wake.clear()
            try:
                self.busy_since = time.monotonic()
                if replica is None:
                    replica = Replica.open_in(self.home)
                if team is None:
                    team = open_team(self.home, self.url)
                    team.leases.held = self.held  # a connection made anew still knows its lease
                with bounded(team):
                    if self.leased and self.taken_by is None and self._waits(replica):
                        self.taken_by = team.leases.taken()  # another terminal's --take-over
                    pushed = push_waiting(replica, team)
                    # under another id there (its id is another interview's): never lease that one
                    clash = any(p.team_id and p.interview_id == self.interview_id for p in pushed)
                    self._after_push(team, pushed, clash)
                    if self.deleted_there(team, replica, pushed):
                        self.wake.set()  # push it again now, whole
                self._say_placed(pushed)
                self.pushed_lines += sum(p.lines for p in pushed if p.erased is None)
                self.conflicts.extend(c for p in pushed for c in p.conflicts)
                self.problem, pause = None, 0.2
                for moved in (p for p in pushed if p.team_id and p.interview_id == self.interview_id):
                    if not self.moved_to:  # said once
                        self.notice = moved.describe()
                    self.moved_to = moved.team_id
            except Exception as exc:
                self.problem = _reason(exc)
                self.first_problem = self.first_problem or self.problem
                pause = min(pause * 2, 5.0)
                if team is not None:
                    _close_quietly(team)
                team = None
            finally:
                self.busy_since = None
            if self.stopping.is_set() and (self.problem or replica is None or not self._left(replica)):
                break
        if team is not None:
            try:
                with bounded(team, FINISH_SECONDS):
                    team.leases.release()
            except Exception:
                pass
            _close_quietly(team)
        if replica is not None:
            _close_quietly(replica)

    def _after_push(self, team: Store, pushed: list[Any], clash: bool) -> None:
        """What a push found, said (an erasure, a restore) and acted on: the lease taken (never
        another's under the same id, nor an erased one's), or taken again after a delete there."""
        self._say_erased(pushed)
        if self.lease and not self.leased and not clash and self.erased is None:
            self._take_lease(team)
        if self._found_deleted(pushed) and not clash:
            self._lease_again(team)

    def deleted_there(self, team: Store, replica: Replica, pushed: list[Any]) -> bool:
        """Whether the team store lost this interview (a `delete --take-over` elsewhere) while
        nothing of it was pushed, looked at every WATCH_SECONDS: then all of this machine's copy
        waits again, and the next push stores it there again (`stored_again`, said at once by the
        capture's watcher), with nothing typed after the delete."""
        if not self.there or self.erased is not None or self.stopping.is_set():
            return False
        if any(p.interview_id == self.interview_id for p in pushed):
            return False
        clock = time.monotonic()
        if clock - self.looked < WATCH_SECONDS:
            return False
        self.looked = clock
        there = team.connection.execute(
            "SELECT 1 FROM interviews WHERE id = ?", (self.moved_to or self.interview_id,)
        ).fetchall()
        if there or not replica.has(self.interview_id):
            return False
        replica.wait_again(self.interview_id)
        return True

    def _say_placed(self, pushed: list[Any]) -> None:
        """Edits made by this machine's own clock were placed in the server's time: said once."""
        from leadcli.store.push import placed_notice

        notice = None if self.placed_said else placed_notice(pushed)
        if notice:
            self.placed_said = True
            self.notice = notice if self.notice is None else f"{self.notice}\n{notice}"

    def _say_erased(self, pushed: list[Any]) -> None:
        """The team store refused interviews it had erased, or had deleted one that this push
        stored again: each is said once (an erased one is marked in the replica, so no later push
        finds it again; a restored one is on the team store again)."""
        for item in pushed:
            if item.erased is None and not item.restored:
                continue
            if item.restored and item.interview_id == self.interview_id:
                continue  # the terminal says it itself (`stored_again`), in the same words either path
            said = item.describe()
            if item.erased is not None and item.interview_id == self.interview_id:
                self.erased = said
            self.notice = said if self.notice is None else f"{self.notice}\n{said}"

    def _found_deleted(self, pushed: list[Any]) -> bool:
        """True if this push stored the interview anew where the team store had had it: it was
        deleted there meanwhile (a `delete --take-over` elsewhere), and is there again, whole."""
        mine = [p for p in pushed if p.interview_id == self.interview_id]
        deleted = any(p.restored or (p.created and self.there) for p in mine)
        self.there = self.there or bool(mine)
        if deleted:
            self.stored_again = True
        return deleted

    def _lease_again(self, team: Store) -> None:
        """The interview's lease went with it when it was deleted: this terminal, which has it open,
        holds it again (unless another terminal took it over before)."""
        if self.taken_by is not None:
            return
        self._lease(team)

    def _lease(self, team: Store) -> None:
        """Take this terminal's lease in the team store; one held elsewhere becomes the notice."""
        try:
            team.leases.take(lease_for(team, self.interview_id, self.home))
            self.held = team.leases.held
        except LeaseHeld as held:
            self.notice = f"{held.message}; what you type is kept on this machine and added to it"

    def _waits(self, replica: Replica) -> bool:
        """True if this interview has writes waiting (checked before they are pushed, so that a
        take-over is known by the time they are in the team store)."""
        return any(w.interview_id == self.interview_id for w in replica.waiting())

    def _left(self, replica: Replica) -> bool:
        """True while something still waits (a write made during the last push)."""
        try:
            return bool(replica.waiting())
        except StoreError:
            return False

    def _take_lease(self, team: Store) -> None:
        if not self.lease:
            return
        self._lease(team)
        self.leased = True  # asked once: a lease held elsewhere is said once, not at every push


def _refuse_if_erased(replica: Replica, interview_id: str) -> None:
    """An interview the team store erased is not resumed (nor typed into again): Erased, saying so."""
    from leadcli.store.push import erased_words

    for waiting, erasure in replica.erased_here():
        if waiting.interview_id == interview_id:
            raise Erased(
                erased_words(interview_id, waiting.organization, erasure, waiting.lines),
                hint="an interview with this organization from now on is a new one: `leadcli interview`",
            )


def _close_quietly(store: Store) -> None:
    with suppress(Exception):  # a connection already gone
        store.close()


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    """One of the six writes, holding the capture's lock (against its watcher) throughout."""

    def locked(self: Capture, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    locked.__name__, locked.__doc__ = method.__name__, method.__doc__
    return locked


class Watcher(threading.Thread):
    """Looks every WATCH_SECONDS, while the interviewer is not typing too, whether the interview
    was deleted from the store elsewhere, and says so at once (`Capture.notice_elsewhere`)."""

    def __init__(self, capture: Capture) -> None:
        super().__init__(daemon=True, name="leadcli-watch")
        self.capture = capture
        self.stopping = threading.Event()
        self.store: Store | None = None  # its own connection to the SQLite store (a thread's own)

    def run(self) -> None:
        try:
            while not self.stopping.wait(WATCH_SECONDS):
                with suppress(Exception):  # a look that failed is tried again at the next
                    self.capture.notice_elsewhere(self)
        finally:
            if self.store is not None:
                _close_quietly(self.store)

    def in_store(self, interview_id: str) -> bool:
        """Whether the SQLite store still has the interview (True when it cannot tell)."""
        try:
            if self.store is None:
                self.store = Store.open(self.capture.home)
            found = self.store.connection.execute("SELECT 1 FROM interviews WHERE id = ?", (interview_id,))
            return bool(found.fetchall())
        except Exception:
            return True


class Capture:
    """One live interview's writes: on this machine first, then the team store.

    `saved` (the prompt seam's `prompting.saved`) is told after every write whether what the engine
    just handed over is on disk, and what is held only in memory, so that a stop the watcher has to
    carry out itself names only the words that may really be lost."""

    def __init__(
        self,
        home: Path,
        *,
        url: str | None,
        show: Show,
        saved: Callable[[list[str]], None] | None = None,
        aside: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        self.home, self.url, self._show = home, url, show
        self._saved = saved
        self._aside = aside or (lambda say: say())  # how the watcher says something (`prompting.aside`)
        self._lock = threading.RLock()  # the interview in memory and where it goes: a write, or the watcher
        self._watcher: Watcher | None = None
        self._in_team = False  # the team store has had the interview (its copy was read or written)
        self._deleted_said = False  # that it was deleted from the store was said
        self.stored_again_said = False  # that a push stored it again was said
        self.store: Store | None = None  # the SQLite store, when it is the journal
        self.replica: Replica | None = None
        self.record: Interview | None = None
        self.mode = REPLICA if url else DIRECT
        self.pusher: Pusher | None = None
        self.status: str | None = None  # the status line last shown
        self.saved_copy: Interview | None = None  # in memory mode: what the disk has
        self.unsaved: list[str] = []  # filled when the interview stops with lines only in memory
        self.shared: Lease | None = None  # the other terminal writing this interview (a take-over)
        self.lost = False  # this terminal's lease was taken over (else it took the other's)
        self._local_lease: Store | None = None
        self._closed = False
        self._seen: dict[str, dict] = {}  # the single values last written, per question ("": reflection)
        self._node = ""  # this machine's id, once read

    @property
    def interviews(self) -> Capture:
        """The engines write through `store.interviews`; a Capture takes those six writes itself."""
        return self

    def show(self, text: str) -> None:
        """Say `text`; a terminal that is gone must not stop a write or hide a stop. Said by the
        watcher, it goes above the prompt that waits (`aside`)."""
        with suppress(OSError):
            if threading.current_thread() is self._watcher:
                self._aside(lambda: self._show(text))
            else:
                self._show(text)

    # --- opening -----------------------------------------------------------------------------

    def _journal_store(self) -> Store:
        if self.store is None:
            self.store = Store.open(self.home)
            self.store.connection.dialect.wait_for_locks(self.store.connection, LIVE_BUSY_MS)
        return self.store

    def _replica(self) -> Replica:
        if self.replica is None:
            self.replica = Replica.open_in(self.home, busy_ms=LIVE_BUSY_MS)
        return self.replica

    @property
    def user(self) -> str:
        store = self.store or self.replica
        return store.user if store is not None else ""

    def begin(
        self,
        *,
        organization: str,
        interviewer: str,
        region: str,
        contacts: list[Contact],
        stamp: ContentStamp,
        snapshot: dict,
    ) -> Interview:
        """Create a draft interview on this machine and lease it to this process."""
        fields: dict[str, Any] = {
            "organization": organization, "interviewer": interviewer, "region": region,
            "contacts": contacts, "stamp": stamp, "snapshot_data": snapshot,
        }  # fmt: skip
        if self.mode == DIRECT:
            try:
                store = self._journal_store()
                interview_id = store.interviews.create(**fields)
                store.leases.take(lease_for(store, interview_id, self.home))
                self._local_lease = store
                self.record = store.interviews.get(interview_id)
                self._in_team = True
                return self._seen_now()
            except StoreError as exc:
                self.mode = REPLICA
                self.show(f"the store cannot be written ({exc.message}); saving on this machine's replica")
        replica = self._replica()
        interview_id = replica.interviews.create(**fields)
        replica.leases.take(lease_for(replica, interview_id, self.home))
        self._local_lease = replica
        self.record = replica.interviews.get(interview_id)
        self._start_pusher(lease=True)
        return self._seen_now()

    def resume(self, prefix: str, *, take_over: bool = False) -> Interview:
        """Open an existing interview and lease it to this process (LeaseHeld if it is open elsewhere;
        Erased if the team store erased it and only this machine keeps it)."""
        if self.mode == DIRECT and has_replica(self.home):
            local = self._local_id(self._replica(), prefix)
            if local is not None:
                _refuse_if_erased(self._replica(), local)
        if self.mode == DIRECT:
            store = self._journal_store()
            self.record = store.interviews.get(prefix)
            taken = store.leases.take(lease_for(store, self.record.id, self.home), take_over=take_over)
            self._local_lease = store
            self._in_team = True
            if taken is not None:
                self._share(taken)
            return self._seen_now()
        replica = self._replica()
        local = self._local_id(replica, prefix)
        if local is not None:
            _refuse_if_erased(replica, local)
        taken = None
        try:
            record, taken = self._fetch(prefix if local is None else local, take_over=take_over)
            replica.put(record, pushed=True)
            self._in_team = True
        except (LeaseHeld, Erased):
            raise
        except (StoreError, OSError) as exc:
            if local is None and (isinstance(exc, Refused) or not isinstance(exc, StoreError)):
                raise
            if local is None and isinstance(exc, StoreError):
                # It reached the team store, and this machine keeps only what has not.
                raise StoreError(
                    exc.message,
                    hint=f"interview {prefix} is not kept on this machine (only what has not reached the"
                    " team store is); resume it when the team store is back, or start a new interview"
                    " with `leadcli interview`",
                ) from None
            self.show(f"the team store cannot be reached ({_reason(exc)}); resuming this machine's copy")
        self.record = replica.interviews.get(prefix if local is None else local)
        here = replica.leases.take(lease_for(replica, self.record.id, self.home), take_over=take_over)
        self._local_lease = replica
        self._start_pusher(lease=True)
        if taken is not None or here is not None:
            self._share(taken or here)
        return self._seen_now()

    def _share(self, other: Lease | None) -> None:
        """This terminal took over `other`'s live lease: that terminal may still be typing, and its
        lines are merged into the interview, so from here every write merges too, never replaces."""
        assert other is not None
        self.shared = other
        record = self._record()
        self.show(
            f"interview {record.id} was open by {other.describe()}; taken over here: what is typed there"
            " meanwhile is added to it"
        )
        if self.mode == DIRECT:
            self.mode = REPLICA
        if self._put_whole(None):
            self._start_pusher(lease=False)

    def _lose(self, other: Lease) -> None:
        """Another terminal took this one's lease over: what is typed here goes on being kept on this
        machine and is merged into the interview (never refused)."""
        self.shared, self.lost = other, True
        record = self._record()
        self.show(
            f"interview {record.id} was taken over by {other.describe()}; what you type is kept on this"
            " machine and added to it"
        )

    def _local_id(self, replica: Replica, prefix: str) -> str | None:
        try:
            return replica.interviews.resolve_id(prefix)
        except LeadcliError:
            return None

    def _fetch(self, prefix: str, *, take_over: bool) -> tuple[Interview, Lease | None]:
        """The team store's copy (after pushing what this machine has of it), leased to this process,
        and the live lease `take_over` took from another terminal, if it did."""
        from leadcli.store.push import push_waiting

        team = open_team(self.home, self.url)
        try:
            with bounded(team):
                interview_id = (
                    team.interviews.resolve_id(prefix) if not self._replica().has(prefix) else prefix
                )
                push_waiting(self._replica(), team, only=interview_id)
                _refuse_if_erased(self._replica(), interview_id)  # the push found it erased
                taken = team.leases.take(lease_for(team, interview_id, self.home), take_over=take_over)
                return team.interviews.get(interview_id), taken
        except team.connection.errors as exc:  # a read cut short: one line, as a store failure
            raise StoreError(team.connection.describe(exc)) from None
        finally:
            _close_quietly(team)

    def _seen_now(self) -> Interview:
        """Keep the single values of the interview as read, to stamp what the engines change; the
        interview is open from here, so its watcher starts."""
        from leadcli.store.interviews import seen_values

        record = self._record()
        self._seen = {q: seen_values(a) for q, a in record.answers.items()}
        if record.reflection is not None:
            self._seen[""] = seen_values(record.reflection)
        if self._watcher is None:
            self._watcher = Watcher(self)
            self._watcher.start()
        return record

    def notice_elsewhere(self, watcher: Watcher) -> None:
        """What the watcher looks at, while the prompt waits: an interview written to the SQLite
        store itself that is no longer there (a `delete --take-over` elsewhere) is said at once,
        and the whole of it goes to this machine's replica, whence the pusher stores it again; a
        push that stored it again is said too (with a server store the pusher looks for a delete
        there itself, `Pusher.deleted_there`)."""
        record = self.record
        if record is None or self._closed:
            return
        if self.mode == DIRECT and self.shared is None and not watcher.in_store(record.id):
            with self._lock:
                if self.mode != DIRECT or self._closed or self.shared is not None:
                    return  # a write found it meanwhile
                self.mode = REPLICA
                self._say_deleted()
                try:  # the watcher's own connection: a connection belongs to its thread
                    replica = Replica.open_in(self.home, busy_ms=LIVE_BUSY_MS)
                    try:
                        replica.put(record, lines=1)
                    finally:
                        _close_quietly(replica)
                except (StoreError, OSError):
                    pass  # the next write keeps the whole interview (or says where it is)
                self._start_pusher(lease=False)
        pusher = self.pusher
        if pusher is not None and pusher.stored_again:
            with self._lock:
                if not self._closed:
                    self._say_stored_again()

    def _stamp(self, key: str, value: Answer | Reflection) -> None:
        """Stamp in memory what the engines changed of `value` (so the stamp goes wherever it is kept)."""
        from leadcli.store.clock import clock_for
        from leadcli.store.identity import machine_id
        from leadcli.store.interviews import stamp_changes

        if not self._node:
            self._node = machine_id(self.home)
        self._seen[key] = stamp_changes(value, self._seen.get(key), clock_for(self._node), self._node)

    def _start_pusher(self, *, lease: bool) -> None:
        if self.pusher is None and self.record is not None:
            self.pusher = Pusher(self.home, self.url, self.record.id, lease=lease, there=self._in_team)
            self.pusher.start()
        if self.pusher is not None:
            self.pusher.poke()

    # --- the six writes the engines make ---------------------------------------------------------

    @_locked
    def add_line(self, interview_id: str, answer: Answer, text: str) -> NoteLine:
        """One typed line: made here (its id and stamp), in memory at once, then one row written."""
        from leadcli.store.clock import clock_for
        from leadcli.store.identity import machine_id
        from leadcli.store.interviews import append_line, make_line

        self._record().answers[answer.question_id] = answer
        if not self._node:
            self._node = machine_id(self.home)
        line = make_line(clock_for(self._node), self.user, text)
        append_line(answer, line)
        self._write(lambda store: store.interviews.write_line(interview_id, answer, line))
        return line

    @_locked
    def save_answer(self, interview_id: str, answer: Answer) -> None:
        self._record().answers[answer.question_id] = answer
        self._stamp(answer.question_id, answer)
        self._write(lambda store: store.interviews.save_answer(interview_id, answer))

    @_locked
    def forget_answer(self, interview_id: str, question_id: str) -> None:
        self._record().answers.pop(question_id, None)
        self._write(lambda store: store.interviews.forget_answer(interview_id, question_id))

    @_locked
    def set_position(self, interview_id: str, position: int) -> None:
        self._record().position = position
        self._write(lambda store: store.interviews.set_position(interview_id, position))

    @_locked
    def set_status(self, interview_id: str, status: Status) -> None:
        self._record().status = status
        self._write(lambda store: store.interviews.set_status(interview_id, status))

    @_locked
    def save_reflection(self, interview_id: str, reflection: Reflection) -> None:
        record = self._record()
        record.reflection = reflection
        self._stamp("", reflection)
        finished = questions_finished(record.status, record.position, len(record.snapshot.questions))
        record.status = status_for(questions_finished=finished, has_verdict=bool(reflection.verdict))
        self._write(lambda store: store.interviews.save_reflection(interview_id, reflection))

    def _record(self) -> Interview:
        assert self.record is not None, "begin() or resume() first"
        return self.record

    def _write(self, write: Callable[[Store], None]) -> None:
        """Write to where the words go now (`_write_here`), then tell the prompt seam whether what
        the engine handed over is on disk (`saved`). Never raises."""
        self._write_here(write)
        if self._saved is not None:
            record = self.record
            in_memory = self.mode == MEMORY and record is not None
            self._saved(unsaved_lines(record, self.saved_copy) if in_memory and record else [])

    def _write_here(self, write: Callable[[Store], None]) -> None:
        """Write to where the words go now; on failure, the next place down. Never raises.

        While another terminal writes the same interview (a take-over), every write keeps the whole
        interview in the replica, merged with what is there, and the pusher merges it into the
        store: neither terminal's lines replace the other's."""
        if self.shared is not None:
            try:
                if not self._put_whole(None):
                    return
            except KeyboardInterrupt:
                self._keep_on_stop()
                raise
        elif self.mode == DIRECT:
            try:
                write(self._journal_store())
                return
            except StoreError as exc:
                if not self._spill(exc):
                    return
            except KeyboardInterrupt:  # a stop while the write waited (a lock): it is kept all the same
                self._keep_on_stop()
                raise
        elif self.mode == REPLICA:
            try:
                write(self._replica())
            except (StoreError, OSError) as exc:
                if isinstance(exc, LeaseHeld) and exc.holder is not None:  # taken over on this machine
                    self._lose(exc.holder)
                if not self._put_whole(exc):
                    return
            except KeyboardInterrupt:
                self._keep_on_stop()
                raise
        elif not self._put_whole(None):
            return
        self._start_pusher(lease=False)
        self._report()

    def _keep_on_stop(self) -> None:
        """A stop cut a write short (it may or may not have committed): the whole interview goes to
        the replica, where it waits to be merged with the store's copy (twice is harmless)."""
        self._put_whole(None)
        if self.mode == REPLICA:
            self._start_pusher(lease=False)

    def _spill(self, error: StoreError) -> bool:
        """The SQLite store failed a live write: the replica takes the whole interview from here on.
        True if the replica has it."""
        self.mode = REPLICA
        record = self._record()
        if not self._in_store(record.id):
            self._say_deleted()
        elif isinstance(error, LeaseHeld) and error.holder is not None:
            self._lose(error.holder)
        elif isinstance(error, LeaseHeld):
            self.show(f"{error.message.split(';')[0]}; what you type is kept on this machine and added to it")
        return self._put_whole(error)

    def _say_deleted(self) -> None:
        """The interview was deleted from the store under this terminal (a `delete --take-over`
        elsewhere): said once, the same whichever path found it."""
        if not self._deleted_said:
            self._deleted_said = True
            self.show(f"interview {self._record().id} was deleted from the store; it is kept on this machine")

    def _say_stored_again(self) -> None:
        """A push stored the deleted interview again, from this machine's copy: said once."""
        pusher = self.pusher
        if pusher is None or not pusher.stored_again:
            return
        self._say_deleted()
        pusher.stored_again = False
        self.show(f"interview {self._record().id} is in the store again, whole, from this machine's copy")
        self.stored_again_said = True

    def _in_store(self, interview_id: str) -> bool:
        try:
            return self._journal_store().interviews.ids().count(interview_id) > 0
        except Exception:
            return True

    def _put_whole(self, error: BaseException | None) -> bool:
        """Keep the whole record in the replica; on failure go (or stay) in memory. True if kept."""
        record = self._record()
        try:
            self._replica().put(record, lines=1)
        except (StoreError, OSError) as exc:
            if self.mode != MEMORY:
                self.saved_copy = self._disk_copy(record.id)
                self.mode = MEMORY
                why = _reason(error or exc)
                self.show(
                    f"NOT SAVED on this machine ({why}). Every line is kept in memory: keep typing;"
                    " they are printed back when you stop."
                )
            return False
        if self.mode == MEMORY:
            self.show("saved on this machine again: the lines kept in memory are on disk now")
            self.saved_copy = None
        self.mode = REPLICA
        return True

    def _disk_copy(self, interview_id: str) -> Interview | None:
        for store in (self.replica, self.store):
            try:
                if store is not None and store.interviews.ids().count(interview_id):
                    return store.interviews._load(interview_id)
            except Exception:
                continue
        return None

    # --- where the words are -------------------------------------------------------------------

    def waiting_lines(self) -> int:
        if self.mode == DIRECT or self.replica is None or self.record is None:
            return 0
        try:
            return self.replica.lines_waiting(self.record.id)
        except StoreError:
            return 0

    def _report(self) -> None:
        """Show the status line when where the words are changes; quiet while all is well."""
        pusher = self.pusher
        if pusher is not None and pusher.notice:
            self.show(pusher.notice)
            pusher.notice = None
        if pusher is not None and pusher.taken_by is not None and self.shared is None:
            self._lose(pusher.taken_by)
        self._say_stored_again()
        if self.mode == MEMORY:
            return
        problem = None
        if pusher is not None:
            problem = pusher.problem or ("the team store is slow to answer" if pusher.slow() else None)
        waiting = self.waiting_lines() if problem else 0
        if pusher is not None and pusher.erased is not None:
            self.status = None  # said once (the notice): its lines stay on this machine only
        elif self.status is not None and problem is None:
            self.show("all lines reached the team store")
            self.status = None
        elif waiting and problem and self.status is None:
            self.status = f"saved on this machine; {_lines_label(waiting)} waiting for the team store"
            self.show(self.status)

    @property
    def erased(self) -> bool:
        """Whether the team store erased this interview meanwhile (a push met the erasure): it is
        kept on this machine only and can no longer be resumed."""
        return self.pusher is not None and self.pusher.erased is not None

    # --- closing ----------------------------------------------------------------------------------

    def close(self, *, stopping: bool = False) -> None:
        """Release the lease, push what is left (briefly; hardly at all when `stopping`: a stop acts
        at once), and say where every line is. Once; never raises.

        When `stopping`, the stop's own write of the half-typed words has just woken the pusher,
        whose push may hold the stores' write locks, and the whole stop must end well within
        `prompting.GRACE_SECONDS` (else the watcher ends it): the pusher is given STOP_SECONDS
        first; if it is still pushing, the lease is not given back and nothing is forgotten (both
        would wait for its locks), and every other write here waits at most STOP_LOCK_MS for a
        lock. A lease left so is one of a process that has ended, which this machine takes without
        asking; what the replica still holds goes with the next push."""
        if not self._closing():
            return
        record = self.record
        if stopping:
            for store in (self.store, self.replica):
                if store is not None:
                    with suppress(Exception):
                        store.connection.dialect.wait_for_locks(store.connection, STOP_LOCK_MS)
        if self.mode == MEMORY and record is not None:
            self._put_whole(None)
        if self.mode == MEMORY and record is not None:
            self.unsaved = unsaved_lines(record, self.saved_copy)
            self.show(
                f"These {_lines_label(len(self.unsaved))} of interview {record.id} could NOT be saved"
                " (copy them now):"
            )
            for line in self.unsaved:
                self.show(f"  {line}")
            again = f"leadcli interview --resume {record.id}, then /goto N for question N"
            if any(line.startswith(("reflection ", "follow-up")) for line in self.unsaved):
                again += f"; the reflection's: leadcli reflect {record.id}"
            self.show(
                "Free some disk space, then type each in again at the prompt it names (the cues heard"
                f" as shown before their words): {again}"
            )
        if stopping and self.pusher is not None:
            self.pusher.finish(STOP_SECONDS)  # first: while it still pushes, it holds the locks
        pushing = stopping and self.pusher is not None and self.pusher.is_alive()
        if self._local_lease is not None and not pushing:
            with suppress(StoreError):  # a lease of a process that has ended is taken without asking
                self._local_lease.leases.release()
        if self.pusher is not None:
            if not stopping:
                self.pusher.finish()
            if self.pusher.taken_by is not None and self.shared is None:  # found by the last push
                self._lose(self.pusher.taken_by)
            self._say_stored_again()
            for conflict in self.pusher.conflicts:
                self.show(conflict)
            left = self.waiting_lines()
            pending, self.pusher.notice = self.pusher.notice, None
            if pending:  # found by the last push
                self.show(pending)
            if self.pusher.erased is not None and record is not None:
                if not pending or self.pusher.erased not in pending:  # else it was just said
                    self._say_kept_erased(record.id)
            elif left and record is not None:
                self.show(
                    f"saved on this machine; {_lines_label(left)} of interview {record.id}"
                    f" {'waits' if left == 1 else 'wait'} for the"
                    " team store: any leadcli command sends them when it is back, or `leadcli sync`"
                )
            elif self.status is not None:
                self.show("all lines reached the team store")
            if not left and record is not None and self.lost and self.shared is not None:
                self.show(
                    f"interview {record.id} was taken over by {self.shared.describe()}; every line typed"
                    " here was added to it"
                )
            if record is not None and self.replica is not None and not pushing:
                with suppress(StoreError):
                    self.replica.forget_if_done(record.id)
        for store in (self.store, self.replica):
            if store is not None:
                _close_quietly(store)

    def _closing(self) -> bool:
        """Mark the capture closed (once: False if it was) and stop its watcher; a look of the
        watcher's that had begun is over first."""
        with self._lock:
            if self._closed:
                return False
            self._closed = True
        if self._watcher is not None:
            self._watcher.stopping.set()
        return True

    def _say_kept_erased(self, interview_id: str) -> None:
        """The end of an interview the team store erased meanwhile: where its lines are."""
        from leadcli.store.push import erased_words

        if self.replica is None:
            return
        with suppress(StoreError):
            for waiting, erasure in self.replica.erased_here():
                if waiting.interview_id == interview_id:
                    self.show(erased_words(interview_id, waiting.organization, erasure, waiting.lines))

    def __enter__(self) -> Capture:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def capturing(home: Path, *, url: str | None, show: Show) -> Iterator[Capture]:
    capture = Capture(home, url=url, show=show)
    try:
        yield capture
    finally:
        capture.close()


def unsaved_lines(record: Interview, saved: Interview | None) -> list[str]:
    """What `record` holds that `saved` (the copy on disk, if any) does not, one line per item, each
    in words that can be typed again at the prompt it names: a note line as typed, the cues heard as
    the cues prompt takes them (`1+ 4`, with their texts and judgements in words), the evidence as
    its word; the reflection's answers, verdict, levels, proposals and follow-ups likewise."""
    from leadcli.interview.cue_answers import cue_answer_text

    lines: list[str] = []
    questions = {q.id: q for q in record.snapshot.questions}
    for question_id, answer in record.answers.items():
        before = saved.answers.get(question_id) if saved is not None else None
        have = Counter(before.notes.split("\n")) if before is not None and before.notes else Counter()
        question = questions.get(question_id)
        where = f"question {question.number if question is not None else question_id}"
        for line in answer.notes.split("\n") if answer.notes else []:
            if have[line]:
                have[line] -= 1
            elif line.strip():
                lines.append(f"{where} notes: {line}")
        heard = _heard(answer)
        if heard != (_heard(before) if before is not None else ([], {})):
            lines.append(f"{where} cues heard: {_cues_in_words(question, *heard, cue_answer_text)}")
        if (before.rating if before is not None else None) != answer.rating:
            lines.append(f"{where} evidence: {answer.rating or '- (none)'}")
    reflection, earlier = record.reflection, saved.reflection if saved is not None else None
    if reflection is not None:
        for key in ("fit", "concerns", "gaps"):
            value = getattr(reflection, key)
            if value == (getattr(earlier, key) if earlier is not None else ""):
                continue
            typed = [line for line in value.split("\n") if line.strip()]
            lines += [f"reflection {key}: {line}" for line in typed or ["- (cleared)"]]
        if reflection.verdict != (earlier.verdict if earlier is not None else None):
            lines.append(f"reflection verdict: {reflection.verdict or '- (none)'}")
        levels = earlier.domain_levels if earlier is not None else {}
        for domain, level in reflection.domain_levels.items():
            if levels.get(domain) != level:
                lines.append(f"reflection level for domain {domain}: {level}")
        if reflection.proposed != (earlier.proposed if earlier is not None else []):
            lines.append(f"reflection offerings proposed: {' '.join(reflection.proposed) or '- (none)'}")
        kept = earlier.follow_ups if earlier is not None else []
        for item in reflection.follow_ups:
            if item not in kept:
                lines.append(
                    f"follow-up: {item.text} ({item.owner or 'no owner'}, due {item.due or 'no date'})"
                )
    return lines


def _heard(answer: Answer) -> tuple[list[str], dict[str, str]]:
    """The cues heard and the judgements of those among them."""
    return answer.cues, {c: j for c, j in answer.judgements.items() if c in answer.cues}


def _cues_in_words(
    question: Any, heard: list[str], judgements: dict[str, str], as_typed: Callable[..., str]
) -> str:
    """`1+ 4 (How leadership does quality planning +; Problems they have solved)`: what the cues
    prompt takes, then the cues as the interviewer saw them; `-` for none."""
    if not heard:
        return "- (none)"
    if question is None:
        return " ".join(c + judgements.get(c, "") for c in heard)
    texts = {c.id: c.text for c in question.cues}
    words = "; ".join(f"{texts.get(c, c)}{' ' + judgements[c] if c in judgements else ''}" for c in heard)
    return f"{as_typed(question, heard, judgements)} ({words})"
