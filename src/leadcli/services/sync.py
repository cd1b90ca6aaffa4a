"""The Python functions behind `leadcli sync`: push what waits on this machine to the team store."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from leadcli.errors import LeadcliError
from leadcli.store.push import Pushed
from leadcli.store.replica import Waiting, has_replica
from leadcli.store.trail import Erasure


@dataclass
class SyncResult:
    pushed: list[Pushed] = field(default_factory=list)
    left: list[Waiting] = field(default_factory=list)  # still waiting after the push
    problem: str | None = None  # why the team store could not take them
    erased: list[tuple[Waiting, Erasure]] = field(default_factory=list)
    """Kept on this machine only: the team store erased them (said when a push first found it)."""

    @property
    def lines_left(self) -> int:
        return sum(w.lines for w in self.left)


def waiting(home: Path) -> list[Waiting]:
    """What waits on this machine for the team store (nothing, without a replica)."""
    if not has_replica(home):
        return []
    from leadcli.store.replica import Replica

    replica = Replica.open_in(home)
    try:
        return replica.waiting()
    finally:
        replica.close()


def erased_here(home: Path) -> list[tuple[Waiting, Erasure]]:
    """The interviews this machine keeps that the team store erased (nothing, without a replica)."""
    if not has_replica(home):
        return []
    from leadcli.store.replica import Replica

    replica = Replica.open_in(home)
    try:
        return replica.erased_here()
    finally:
        replica.close()


def discard_erased(home: Path, interview_id: str) -> int | None:
    """Delete this machine's copy of an interview the team store erased; how many of its lines never
    reached the team store, or None when this machine keeps no such copy."""
    if not has_replica(home):
        return None
    from leadcli.store.replica import Replica

    replica = Replica.open_in(home)
    try:
        if replica.erasure_of(interview_id) is None:
            return None
        return replica.discard(interview_id)
    finally:
        replica.close()


def sync(home: Path, url: str | None) -> SyncResult:
    """Push every interview waiting in this machine's replica to the team store (the server `url`,
    else the SQLite store in `home`), each in one bounded transaction."""
    if not has_replica(home):
        return SyncResult()
    from leadcli.interview.capture import bounded, open_team
    from leadcli.store.push import push_waiting
    from leadcli.store.replica import Replica

    replica = Replica.open_in(home)
    try:
        result = SyncResult()
        if replica.waiting():
            try:
                with open_team(home, url) as team, bounded(team):
                    result.pushed = push_waiting(replica, team)
                    team.leases.release_ended(replica.machine)  # left by a session that ended offline
            except LeadcliError as exc:
                result.problem = exc.message
            except Exception as exc:
                result.problem = f"lost the connection to the team store ({type(exc).__name__})"
        result.left = replica.waiting()
        result.erased = replica.erased_here()
        for pushed in result.pushed:
            replica.forget_if_done(pushed.interview_id)
        return result
    finally:
        replica.close()
