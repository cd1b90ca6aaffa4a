"""The copies of the questions interviews were taken with: one row per distinct copy, by its SHA-256."""

from __future__ import annotations

import json
from dataclasses import asdict

from leadcli.store.connection import Connection
from leadcli.store.records import Snapshot


def snapshot_text(data: dict) -> tuple[str, str]:
    """A snapshot's JSON text as the store keeps it, and its key: the SHA-256 of that text."""
    import hashlib

    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text, hashlib.sha256(text.encode()).hexdigest()


def snapshot_data(questions: tuple, reflection: tuple) -> dict:
    """The JSON-ready copy of the questions and cues an interview shows."""
    return {
        "questions": [asdict(q) for q in questions],
        "reflection": [asdict(r) for r in reflection],
    }


class Snapshots:
    """The stored copies of the questions; each is parsed once per open store, then shared."""

    def __init__(self, db: Connection) -> None:
        self.db = db
        self._parsed: dict[str, Snapshot] = {}

    def get(self, digest: str) -> Snapshot:
        """The questions kept under `digest`."""
        if digest not in self._parsed:
            row = self.db.execute("SELECT data FROM snapshots WHERE sha256 = ?", (digest,)).fetchone()
            self._parsed[digest] = Snapshot.from_data(json.loads(row["data"]))
        return self._parsed[digest]

    def add(self, data: dict) -> str:
        """Keep one copy of a set of questions (if new); return the key interviews refer to it by.

        Call inside a transaction.
        """
        text, digest = snapshot_text(data)
        if self.db.dialect.shared:  # only the owner's function writes snapshots (it checks the key)
            self.db.execute("SELECT add_snapshot(?, ?, ?)", (digest, len(data["questions"]), text))
            return digest
        self.db.execute(
            "INSERT INTO snapshots (sha256, questions, data) VALUES (?, ?, ?)"
            " ON CONFLICT (sha256) DO NOTHING",
            (digest, len(data["questions"]), text),
        )
        return digest

    def texts(self) -> dict[str, str]:
        """Every stored copy of the questions, by key, as the JSON text it is kept in."""
        return {r[0]: r[1] for r in self.db.execute("SELECT sha256, data FROM snapshots ORDER BY sha256")}
