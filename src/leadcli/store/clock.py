"""The clock every recorded value is stamped with: a hybrid logical clock (HLC).

A stamp is text that sorts in the order of events: `MMMMMMMMMMMMM.CCCCCC.NODE` — milliseconds
since 1970 (13 digits), a counter (6 digits) for events in the same millisecond or after a stamp
from a clock that is ahead, and the machine that made it (so two machines never make the same
stamp). A clock never goes back, and after it has seen a stamp (loading an interview, merging a
copy) every stamp it makes sorts after it: an edit made after reading another always outranks it,
however far apart the two machines' wall clocks are. The physical part is the team server's time:
the offset is measured each time a server store is opened (`set_offset`) and kept in the leadcli
home, so a laptop hours ahead stamps in the server's time, offline too (`use_kept_offset`).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime, timezone
from pathlib import Path

_COUNTER_LIMIT = 999_999
OFFSET_FILE = "clock-offset"
LEGACY_NODE = "0legacy"
"""The node of stamps worked out for records written before stamps existed (sorts before any)."""


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


def legacy_stamp(moment: str, counter: int = 0) -> str:
    """The stamp of a value recorded at ISO time `moment` before stamps existed (the same everywhere)."""
    try:
        ms = int(datetime.fromisoformat(moment).timestamp() * 1000) if moment else 0
    except ValueError:
        ms = 0
    return format_stamp(ms, counter, LEGACY_NODE)


class Clock:
    """A hybrid logical clock for one machine (`node`); `now_ms` is its physical source."""

    def __init__(self, node: str, *, now_ms: Callable[[], int] = _wall_ms, offset_ms: int = 0) -> None:
        if not node or "." in node:
            raise ValueError(f"{node!r} cannot name a clock's machine")
        self.node = node
        self.now_ms = now_ms
        self.offset_ms = offset_ms
        self.measured = False  # the offset was measured against a server in this process
        self._ms = 0
        self._counter = 0
        self._lock = threading.Lock()  # the pusher's thread and the prompt's stamp alike

    def stamp(self) -> str:
        """A new stamp, after every stamp this clock has made or seen."""
        with self._lock:
            return self._stamp()

    def _stamp(self) -> str:
        physical = self.now_ms() + self.offset_ms
        if physical > self._ms:
            self._ms, self._counter = physical, 0
        else:
            self._counter += 1
            if self._counter > _COUNTER_LIMIT:  # a million in one millisecond: borrow the next one
                self._ms, self._counter = self._ms + 1, 0
        return format_stamp(self._ms, self._counter, self.node)

    def observe(self, stamp: str | None) -> None:
        """Take in a stamp seen elsewhere: every later stamp of this clock sorts after it."""
        if not stamp:
            return
        try:
            ms, counter, _ = parse_stamp(stamp)
        except ValueError:
            return
        with self._lock:
            self._ms, self._counter = max((self._ms, self._counter), (ms, counter))


_CLOCKS: dict[str, Clock] = {}


def clock_for(node: str) -> Clock:
    """The one clock of this process for machine `node`: every store it opens stamps with it, so
    what one of them has seen, all of them stamp after."""
    clock = _CLOCKS.get(node)
    if clock is None:
        clock = _CLOCKS.setdefault(node, Clock(node))
    return clock


def set_offset(node: str, store_ms: int, home: Path | None) -> None:
    """Take the team server's time (`store_ms`, its time now) as this machine's clock's physical
    source; kept in `home` for when it is offline."""
    clock = clock_for(node)
    clock.offset_ms = store_ms - clock.now_ms()
    clock.measured = True
    if home is None:
        return
    path = home / OFFSET_FILE
    try:
        temporary = path.with_name(f".{OFFSET_FILE}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(f"{clock.offset_ms}\n")
        temporary.replace(path)
    except OSError:  # a home that cannot be written: this process still uses the offset
        return


def use_kept_offset(node: str, home: Path) -> None:
    """Offline (a file store, the replica): use the offset last measured against the team server,
    unless this process has measured one itself."""
    clock = clock_for(node)
    if clock.measured:
        return
    with suppress(OSError, ValueError):  # never measured, or unreadable: this machine's own time
        clock.offset_ms = int((home / OFFSET_FILE).read_text(encoding="ascii").strip())
