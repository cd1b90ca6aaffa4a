"""Identities that hold across machines: of a machine, an interview, a note line, a follow-up.

New identities are random (128 bits; a note line's begins with the time it was made). Records
written before identities existed get theirs worked out from what they hold, the same way on every
machine, so an old store and an old export of the same interview name it, its lines and follow-ups
alike, and merge instead of doubling.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from leadcli.store.clock import legacy_stamp

MACHINE_FILE = "machine-id"


def random_id() -> str:
    """128 random bits as 32 hex digits: never the same twice, on any machine."""
    return os.urandom(16).hex()


def ordered_id() -> str:
    """32 hex digits: this machine's time in milliseconds (12 digits), then 80 random bits. Never
    the same twice, and those made later sort later: a new note line's row goes at the end of its
    interview's rows, where the page is not full, instead of splitting a full one in the middle."""
    return f"{time.time_ns() // 1_000_000 % 16**12:012x}{os.urandom(10).hex()}"


def is_identity(text: object) -> bool:
    """True for an identity as leadcli makes them (interviews, lines, history): 32 hex digits."""
    return isinstance(text, str) and len(text) == 32 and not text.strip("0123456789abcdef")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def legacy_uid(interview_id: str, created_at: str, organization: str) -> str:
    """The identity of an interview recorded before identities existed."""
    return _digest("leadcli-interview", interview_id, created_at, organization)


def kept_apart_uid(uid: str, writer: str) -> str:
    """The identity a copy is given when the store's interview under its `uid` is another one (a
    colleague's, or begun at another moment): the same for the same copy and writer, so importing
    or pushing it again merges into the copy kept apart, never into the other interview."""
    return _digest("leadcli-kept-apart", uid, writer)


def same_moment(first: str, second: str) -> bool:
    """Two moments as leadcli writes them (ISO 8601) are the same instant, whatever their offsets."""
    from datetime import datetime

    if first == second:
        return True
    try:
        return datetime.fromisoformat(first) == datetime.fromisoformat(second)
    except (ValueError, TypeError):
        return False


def legacy_lines(uid: str, question_id: str, notes: str, moment: str) -> Iterator[tuple[str, str, str]]:
    """(id, stamp, text) of each line of notes recorded as one text: the nth copy of a line's text
    in a note has the same id in every copy of the interview, so two copies merge line by line."""
    seen: dict[str, int] = {}
    if not notes:
        return
    for index, text in enumerate(notes.split("\n")):
        n = seen[text] = seen.get(text, -1) + 1
        yield _digest("leadcli-line", uid, question_id, text, str(n)), legacy_stamp(moment, index), text


def legacy_follow_up_id(uid: str, index: int, text: str, moment: str) -> str:
    """The id of a follow-up recorded before identities existed; sorts by its place in the list."""
    return f"{legacy_stamp(moment, index)}~{_digest('leadcli-follow-up', uid, text)[:12]}"


def machine_id(home: Path) -> str:
    """This machine's own identity: a random id kept in the leadcli home (owner-only), made once.

    Two laptops with the same host name, or two containers with the same process ids, have
    different ones. A home that cannot be written gives an id for this process only.
    """
    from leadcli.paths import ensure_private_dir

    path = home / MACHINE_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
        if _is_machine_id(text):
            return text
    except (OSError, UnicodeDecodeError):
        text = None
    made = random_id()[:16]
    try:
        ensure_private_dir(home)
        temporary = path.with_name(f".{MACHINE_FILE}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(made + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            if text is None:
                os.link(temporary, path)  # the first process to make one wins; the others read it
            else:
                temporary.replace(path)  # one that cannot be read is made again
        except FileExistsError:
            pass
        finally:
            temporary.unlink(missing_ok=True)
        kept = path.read_text(encoding="ascii").strip()
        return kept if _is_machine_id(kept) else made
    except (OSError, UnicodeDecodeError):
        return made


def _is_machine_id(text: str) -> bool:
    return len(text) == 16 and not text.strip("0123456789abcdef")
