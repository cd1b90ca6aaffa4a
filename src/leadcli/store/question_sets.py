"""The question sets the store has recorded, one text per version, and the one the team published.

The first text recorded under a version is the one it names: the table's primary key refuses a
second, and `record` refuses a different text in the same transaction as whatever records it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from leadcli.errors import VersionConflictError
from leadcli.store.records import Publication, RecordedQuestionSet

if TYPE_CHECKING:
    from leadcli.store.db import Store


def _now() -> str:
    from leadcli.store.connection import now

    return now()


def _row(row: Any) -> RecordedQuestionSet:
    version, sha256, data, recorded_at, recorded_by = row[:5]
    return RecordedQuestionSet(
        version=version,
        sha256=sha256,
        data=json.loads(data),
        recorded_at=recorded_at,
        recorded_by=recorded_by,
    )


_COLUMNS = "version, sha256, data, recorded_at, recorded_by"


def record(db: Any, data: dict, digest: str, *, user: str, where: str) -> None:
    """Record the set `data` under its version, in the caller's transaction, or refuse a second text.

    `where` names the set in the one-line refusal (the questions file, or a published set).
    """
    from leadcli.content.question_sets import conflict_message

    version = str(data["version"])
    db.execute(
        f"INSERT INTO question_sets ({_COLUMNS}) VALUES (?, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING",
        (version, digest, json.dumps(data, ensure_ascii=False, sort_keys=True), _now(), user),
    )
    found = db.execute(
        "SELECT sha256, recorded_at FROM question_sets WHERE version = ?", (version,)
    ).fetchone()
    if found[0] != digest:
        raise VersionConflictError(conflict_message(version, where, found[1]))


def check(store: Store, version: str, digest: str, *, where: str) -> None:
    """Refuse a set whose version the store already records with another text."""
    from leadcli.content.question_sets import conflict_message

    found = recorded(store, version)
    if found is not None and found.sha256 != digest:
        raise VersionConflictError(conflict_message(version, where, found.recorded_at))


def recorded(store: Store, version: str) -> RecordedQuestionSet | None:
    """The set the store records under `version`, if any."""
    row = store.connection.execute(
        f"SELECT {_COLUMNS} FROM question_sets WHERE version = ?", (version,)
    ).fetchone()
    return None if row is None else _row(row)


def all_recorded(store: Store) -> list[RecordedQuestionSet]:
    """Every recorded set, oldest first."""
    rows = store.connection.execute(f"SELECT {_COLUMNS} FROM question_sets ORDER BY recorded_at, version")
    return [_row(r) for r in rows]


def publish(store: Store, data: dict, digest: str, *, where: str) -> Publication:
    """Record the set (if new) and publish it: from now on it is the set the team's interviews use."""
    when = _now()
    with store.transaction() as db:
        record(db, data, digest, user=store.user, where=where)
        db.execute(
            "INSERT INTO question_publications (version, published_at, published_by) VALUES (?, ?, ?)",
            (str(data["version"]), when, store.user),
        )
    found = published(store)
    assert found is not None
    return found


def published(store: Store) -> Publication | None:
    """The latest publication, with its set; None if nothing was ever published."""
    row = store.connection.execute(
        f"SELECT {', '.join('s.' + c.strip() for c in _COLUMNS.split(','))}, p.published_at, p.published_by"
        " FROM question_publications p JOIN question_sets s ON s.version = p.version"
        " ORDER BY p.id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return Publication(question_set=_row(row), published_at=row[5], published_by=row[6])


def publications(store: Store) -> list[tuple[str, str, str]]:
    """Every publication, oldest first: (version, published at, published by)."""
    rows = store.connection.execute(
        "SELECT version, published_at, published_by FROM question_publications ORDER BY id"
    )
    return [tuple(r) for r in rows]


def interview_versions(store: Store) -> dict[str, str]:
    """Each interview's id and the version of the questions it was taken with."""
    return dict(store.connection.execute("SELECT id, questions_version FROM interviews").fetchall())
