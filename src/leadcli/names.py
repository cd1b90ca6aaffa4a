"""The identity of a name: when two spellings name the same organization or the same person.

One rule, in Python, for every command and every database: the store keeps each organization's
key beside its name (`org_key`, indexed) and matches by it, so SQLite and PostgreSQL agree.
"""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """`name` as leadcli compares it: NFKC-normalised, case-folded, its white space folded to one space.

    "École Santé", "ÉCOLE  SANTÉ" and "école santé" (however the accents are encoded) have one key.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())
