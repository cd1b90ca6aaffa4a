"""Question sets: the one text each version names, as the store recorded it, and the set the team
published.

The first text recorded under a version is the one it names: the table's primary key refuses a
second, and `record` refuses a different text in the same transaction as whatever records it.
Publications are kept as a history; the latest is the set the team's interviews use.
"""

from __future__ import annotations

import json
from typing import Any

from leadcli.errors import VersionConflictError
from leadcli.store.connection import Connection, now
from leadcli.store.records import Publication, RecordedQuestionSet

_COLUMNS = "version, sha256, data, recorded_at, recorded_by"


def _row(row: Any) -> RecordedQuestionSet:
    version, sha256, data, recorded_at, recorded_by = row[:5]
    return RecordedQuestionSet(
        version=version,
        sha256=sha256,
        data=json.loads(data),
        recorded_at=recorded_at,
        recorded_by=recorded_by,
    )


class QuestionSets:
    """The question sets in the store, by version, and their publications."""

    def __init__(self, db: Connection) -> None:
        self.db = db

    def record(self, data: dict, digest: str, *, where: str) -> None:
        """Record the set `data` under its version, or refuse a second text for it (one line).

        Call inside `transaction()`. `where` names the set in the refusal (the questions file, or
        the published set).
        """
        from leadcli.content.question_sets import conflict_message

        version = str(data["version"])
        self.db.execute(
            f"INSERT INTO question_sets ({_COLUMNS}) VALUES (?, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING",
            (version, digest, json.dumps(data, ensure_ascii=False, sort_keys=True), now(), self.db.user),
        )
        found = self.db.execute(
            "SELECT sha256, recorded_at FROM question_sets WHERE version = ?", (version,)
        ).fetchone()
        if found[0] != digest:
            raise VersionConflictError(conflict_message(version, where, found[1]))

    def check(self, version: str, digest: str, *, where: str) -> None:
        """Refuse (one line) a set whose version the store already records with another text."""
        from leadcli.content.question_sets import conflict_message

        found = self.get(version)
        if found is not None and found.sha256 != digest:
            raise VersionConflictError(conflict_message(version, where, found.recorded_at))

    def get(self, version: str) -> RecordedQuestionSet | None:
        """The set recorded under `version`, if any."""
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM question_sets WHERE version = ?", (version,)
        ).fetchone()
        return None if row is None else _row(row)

    def all(self) -> list[RecordedQuestionSet]:
        """Every recorded set, oldest first."""
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM question_sets ORDER BY recorded_at, version")
        return [_row(r) for r in rows]

    def publish(self, data: dict, digest: str, *, where: str) -> Publication:
        """Record the set (if new) and publish it: from now on it is the set the team's interviews use."""
        with self.db.transaction():
            self.record(data, digest, where=where)
            self.db.execute(
                "INSERT INTO question_publications (version, published_at, published_by) VALUES (?, ?, ?)",
                (str(data["version"]), now(), self.db.user),
            )
        found = self.published()
        assert found is not None
        return found

    def published(self) -> Publication | None:
        """The latest publication, with its set; None if nothing was ever published."""
        columns = ", ".join(f"s.{c.strip()}" for c in _COLUMNS.split(","))
        row = self.db.execute(
            f"SELECT {columns}, p.published_at, p.published_by"
            " FROM question_publications p JOIN question_sets s ON s.version = p.version"
            " ORDER BY p.id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return Publication(question_set=_row(row), published_at=row[5], published_by=row[6])

    def by_interview(self) -> dict[str, str]:
        """Each interview's id and the version of the questions it was taken with."""
        return dict(self.db.execute("SELECT id, questions_version FROM interviews").fetchall())
