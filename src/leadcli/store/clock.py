"""The clock every recorded value is stamped with: a hybrid logical clock (HLC).

A stamp is text that sorts in the order of events: `MMMMMMMMMMMMM.CCCCCC.NODE` — milliseconds
since 1970 (13 digits), a counter (6 digits) for events in the same millisecond or after a stamp
from a clock that is ahead, and the machine that made it (so two machines never make the same
stamp). A clock never goes back, and after it has seen a stamp (loading an interview, merging a
copy) every stamp it makes sorts after it: an edit made after reading another always outranks it,
however far apart the two machines' wall clocks are. The physical part is the team server's time:
the offset is measured each time a server store is opened (`set_offset`) and kept in the leadcli
home, so a laptop hours ahead stamps in the server's time, offline too (`use_kept_offset`).

A machine that has never reached the team server has no offset: it stamps with its own wall clock,
and says so in the stamp (its node ends in `@wall`). Once it knows the server's time, those stamps
are **placed** (`placed`): moved by the offset measured the first time (kept in the home with the
offset), so their order among themselves stays and their place among others' edits is when they
really happened. A push then clamps whatever is still ahead of the server's time just below it
(`clamped`), so no store holds a stamp from the future; an import refuses a stamp more than
`AHEAD_LIMIT_MS` ahead of now (`too_far_ahead`) as a hostile file's.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path

_COUNTER_LIMIT = 999_999
OFFSET_FILE = "clock-offset"
LEGACY_NODE = "0legacy"
"""The node of stamps worked out for records written before stamps existed (sorts before any)."""
WALL = "@wall"
"""The end of the node of a stamp made by a machine's own wall clock, before it knew the team
server's time: that machine places it (`placed`) once it does."""
AHEAD_LIMIT_MS = 24 * 3_600_000
"""A stamp further ahead of now than this is refused by an import: it would win every later merge."""


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


def format_stamp(ms: int, counter: int, node: str) -> str:
    return f"{ms:013d}.{min(counter, _COUNTER_LIMIT):06d}.{node}"


def parse_stamp(stamp: str) -> tuple[int, int, str]:
    """(milliseconds, counter, node); raises ValueError for text that is not a stamp."""
    ms, counter, node = stamp.split(".", 2)
    if len(ms) != 13 or len(counter) != 6 or not (ms.isdigit() and counter.isdigit()) or not node:
        raise ValueError(f"{stamp!r} is not a leadcli stamp (MMMMMMMMMMMMM.CCCCCC.NODE)")
    return int(ms), int(counter), node


def is_stamp(text: object) -> bool:
    try:
        return isinstance(text, str) and bool(parse_stamp(text))
    except ValueError:
        return False


def stamp_time(stamp: str) -> str:
    """The moment a stamp names, as ISO text in UTC to the second (for messages)."""
    ms = parse_stamp(stamp)[0]
    return datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat(timespec="seconds")


def machine_of(node: str) -> str:
    """The machine a stamp's node names (a wall-clock stamp's node without its `@wall`)."""
    return node[: -len(WALL)] if node.endswith(WALL) else node


def too_far_ahead(ms: int, now_ms: int) -> bool:
    """A moment (milliseconds) so far ahead of `now_ms` that only a hostile or broken file holds it."""
    return ms > now_ms + AHEAD_LIMIT_MS


def legacy_stamp(moment: str, counter: int = 0) -> str:
    """The stamp of a value recorded at ISO time `moment` before stamps existed (the same everywhere)."""
    try:
        ms = int(datetime.fromisoformat(moment).timestamp() * 1000) if moment else 0
    except ValueError:
        ms = 0
    return format_stamp(ms, counter, LEGACY_NODE)


class Clock:
    """A hybrid logical clock for one machine (`node`); `now_ms` is its physical source (the seam
    tests fake the wall clock through)."""

    def __init__(self, node: str, *, now_ms: Callable[[], int] = _wall_ms, offset_ms: int = 0) -> None:
        if not node or "." in node or node.endswith(WALL):
            raise ValueError(f"{node!r} cannot name a clock's machine")
        self.node = node
        self.now_ms = now_ms
        self.offset_ms = offset_ms
        self.measured = False  # the offset was measured against a server in this process
        self.wall = False  # no offset known: stamps are this machine's wall time, marked `@wall`
        self.placement: int | None = None  # what places this machine's `@wall` stamps (ms)
        self._ms = 0
        self._counter = 0
        self._foreign = (0, 0)  # the highest stamp seen in the server's time (not to be placed)
        self._own = (0, 0)  # the highest `@wall` stamp of this machine made or seen here
        self._lock = threading.Lock()  # the pusher's thread and the prompt's stamp alike

    def stamp(self) -> str:
        """A new stamp, after every stamp this clock has made or seen."""
        with self._lock:
            return self._stamp()

    def physical_ms(self) -> int:
        """The time now as this clock stamps it (the server's, where the offset is known)."""
        return self.now_ms() + self.offset_ms

    def _stamp(self) -> str:
        physical = self.physical_ms()
        if physical > self._ms:
            self._ms, self._counter = physical, 0
        else:
            self._counter += 1
            if self._counter > _COUNTER_LIMIT:  # a million in one millisecond: borrow the next one
                self._ms, self._counter = self._ms + 1, 0
        if self.wall:
            self._own = (self._ms, self._counter)
            return format_stamp(self._ms, self._counter, self.node + WALL)
        return format_stamp(self._ms, self._counter, self.node)

    def observe(self, stamp: str | None) -> None:
        """Take in a stamp seen elsewhere: every later stamp of this clock sorts after it (this
        machine's own `@wall` stamps as placed, once it knows the server's time)."""
        if not stamp:
            return
        try:
            ms, counter, node = parse_stamp(placed(stamp) if not self.wall else stamp)
        except ValueError:
            return
        with self._lock:
            if node == self.node + WALL:  # this machine's own wall time (it is not placed yet)
                self._own = max(self._own, (ms, counter))
            else:
                self._foreign = max(self._foreign, (ms, counter))
            self._ms, self._counter = max((self._ms, self._counter), (ms, counter))

    def anchor(self, offset_ms: int, placement: int | None) -> None:
        """Stamp in the server's time from now on (`offset_ms`); `placement` moves the `@wall`
        stamps this machine made before it knew it. A clock that stamped its wall time in this
        process moves on from where its own stamps are once placed (never behind what it saw)."""
        with self._lock:
            self.offset_ms = offset_ms
            if self.placement is None:
                self.placement = offset_ms if placement is None else placement
            if self.wall:
                self.wall = False
                own = (self._own[0] + self.placement, self._own[1]) if self._own[0] else (0, 0)
                self._ms, self._counter = max(own, self._foreign)


_CLOCKS: dict[str, Clock] = {}


def clock_for(node: str) -> Clock:
    """The one clock of this process for machine `node`: every store it opens stamps with it, so
    what one of them has seen, all of them stamp after."""
    clock = _CLOCKS.get(node)
    if clock is None:
        clock = _CLOCKS.setdefault(node, Clock(node))
    return clock


def placed(stamp: str) -> str:
    """`stamp` in the team server's time: a `@wall` stamp of a machine whose clock in this process
    knows its placement is moved by it; any other stamp is itself."""
    try:
        ms, counter, node = parse_stamp(stamp)
    except ValueError:
        return stamp
    if not node.endswith(WALL):
        return stamp
    clock = _CLOCKS.get(machine_of(node))
    if clock is None or clock.placement is None:
        return stamp
    return format_stamp(max(ms + clock.placement, 0), counter, clock.node)


def clamped(stamps: Iterable[str], ceiling_ms: int) -> dict[str, str]:
    """What each stamp of `stamps` at or ahead of `ceiling_ms` - 1 (the server's time now) becomes:
    all of them just below the ceiling, in their order (millisecond `ceiling_ms` - 1, counters
    0, 1, ...). Stamps further back are left as they are (not in the result)."""
    ahead = sorted({s for s in stamps if is_stamp(s) and parse_stamp(s)[0] >= ceiling_ms - 1})
    if not ahead or parse_stamp(ahead[-1])[0] < ceiling_ms:
        return {}
    return {s: format_stamp(ceiling_ms - 1, n, parse_stamp(s)[2]) for n, s in enumerate(ahead)}


def skew_words(placement_ms: int) -> str:
    """How far this machine's clock was from the server's, in words (`3 h 12 min ahead of`)."""
    gap = abs(placement_ms)
    hours, minutes, seconds = gap // 3_600_000, gap // 60_000 % 60, gap // 1000 % 60
    if hours:
        amount = f"{hours} h {minutes} min"
    elif minutes:
        amount = f"{minutes} min"
    else:
        amount = f"{seconds} s"
    return f"{amount} {'ahead of' if placement_ms < 0 else 'behind'}"


def set_offset(node: str, store_ms: int, home: Path | None) -> None:
    """Take the team server's time (`store_ms`, its time now) as this machine's clock's physical
    source; kept in `home` for when it is offline, with the placement of stamps made before (the
    first offset measured, `_read_kept`)."""
    clock = clock_for(node)
    kept = _read_kept(home) if home is not None else None
    clock.anchor(store_ms - clock.now_ms(), kept[1] if kept is not None else None)
    clock.measured = True
    if home is None:
        return
    path = home / OFFSET_FILE
    try:
        temporary = path.with_name(f".{OFFSET_FILE}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(f"{clock.offset_ms}\n{clock.placement}\n")
        temporary.replace(path)
    except OSError:  # a home that cannot be written: this process still uses the offset
        return


def _read_kept(home: Path) -> tuple[int, int] | None:
    """The kept offset and placement (a file from before placements: the offset for both)."""
    try:
        numbers = [int(n) for n in (home / OFFSET_FILE).read_text(encoding="ascii").split()]
    except (OSError, ValueError):
        return None
    if not numbers:
        return None
    return numbers[0], numbers[1] if len(numbers) > 1 else numbers[0]


def use_kept_offset(node: str, home: Path) -> None:
    """Offline (a file store, the replica): use the offset last measured against the team server,
    unless this process has measured one itself. Never measured: this machine's own wall time,
    its stamps marked `@wall` until it knows the server's."""
    clock = clock_for(node)
    if clock.measured:
        return
    kept = _read_kept(home)
    if kept is None:
        if clock.placement is None:
            clock.wall = True
        return
    clock.anchor(*kept)
