"""The identity of a name: when two spellings name the same organization or the same person.

One rule, in Python, for every command and every database: the store keeps each organization's
key beside its name (`org_key`, indexed) and matches by it, so SQLite and PostgreSQL agree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from leadcli.untrusted import visible, without_invisible


def name_key(name: str) -> str:
    """`name` as leadcli compares it: NFKC-normalised, case-folded, its white space folded to one
    space, and without the characters that show nothing (zero-width, BOM, soft hyphen...).

    "École Santé", "ÉCOLE  SANTÉ" and "école santé" (however the accents are encoded) have one key;
    so have "St Mary's" and "St\u200bMary's"-looking-alike "St Mary\u200b's".
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", without_invisible(name)).casefold())
    return " ".join(folded.split())


def invisibly_different(names: Iterable[str]) -> list[str]:
    """The spellings among `names` (of one key) that differ from another only by invisible
    characters, shown with their escapes; empty when there are none. They count as one name, and
    the user should hear so."""
    spellings = sorted(set(names))
    seen: dict[str, list[str]] = {}
    for name in spellings:
        seen.setdefault(without_invisible(name), []).append(name)
    return [visible(n, lines=False) for group in seen.values() if len(group) > 1 for n in group]
