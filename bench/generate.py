"""Fill a leadcli store with N synthetic interviews, fast, for the scale benchmark.

Each interview has five answers with about 2 KB of notes each, two contacts, and (for two in
three) a reflection with a follow-up. Interviews are spread over N/50 organizations, so `report
--org` sees about 50. Usage: python bench/generate.py HOME N
"""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from leadcli.content.loader import load_content
from leadcli.interview.session import begin_interview, content_stamp
from leadcli.names import name_key
from leadcli.paths import builtin_data_dir
from leadcli.store.clock import legacy_stamp
from leadcli.store.db import Store
from leadcli.store.interviews import numbered_id

WORDS = tuple(
    "board quality aims data team sepsis falls merger budget staff culture learning patients families"
    " capability improvement leaders time trust region equity finance nursing".split()
)


def note(rng: random.Random, size: int = 2048) -> str:
    words: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)[:size]


def generate(home: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    content = load_content(builtin_data_dir())
    questions = content.questions.questions
    url = os.environ.get("LEADCLI_DATABASE_URL")
    if url:  # a new database: its schema, as the owner (here the superuser) sets it up
        _set_up_server(url)
    with Store.open(home, url=url) as store:
        # One interview through the real code path, then its snapshot is reused in bulk.
        template = begin_interview(
            store, content, organization="Org 0", interviewer="x", region="", contacts=[]
        )
        store.interviews.delete(template.id)
        stamp = content_stamp(content)
        start = datetime(2026, 1, 1, tzinfo=timezone.utc)
        organizations = max(1, count // 50)
        due_dates = [(start + timedelta(days=d)).date().isoformat() for d in range(700)]
        with store.transaction("imported") as db:  # on the trail as one import, as a bulk load would be
            snapshot_key = _snapshot_key(store, content)
            for n in range(count):
                interview_id = numbered_id(n)
                when = (start + timedelta(minutes=n)).isoformat(timespec="seconds")
                status = rng.choice(("draft", "awaiting-reflection", "complete", "complete"))
                values = {
                    "id": interview_id,
                    "organization": f"Organization {n % organizations}",
                    "org_key": f"organization {n % organizations}",  # names.name_key of the name
                    "interviewer": (interviewer := rng.choice(("Kim Lee", "Ana Ruiz", "Bo Chen"))),
                    "interviewer_key": name_key(interviewer),
                    "uid": f"{n:032x}",
                    "region": rng.choice(("United Kingdom", "Canada", "United States", "Germany", "")),
                    "status": status,
                    "position": len(questions),
                    "created_at": when,
                    "updated_at": when,
                    "framework_version": stamp.framework_version,
                    "framework_sha256": stamp.framework_sha256,
                    "questions_version": stamp.questions_version,
                    "questions_sha256": stamp.questions_sha256,
                    **snapshot_key,
                }
                db.execute(
                    f"INSERT INTO interviews ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                    list(values.values()),
                )
                db.executemany(
                    "INSERT INTO contacts (interview_id, position, name, role, level) VALUES (?, ?, ?, ?, ?)",
                    [(interview_id, 0, "Ana", "CEO", "executive"), (interview_id, 1, "Sam", "DoN", "core")],
                )
                db.executemany(
                    "INSERT INTO answers (interview_id, question_id, state, cues, rating, updated_at)"
                    " VALUES (?, ?, 'explored', ?, ?, ?)",
                    [
                        (
                            interview_id,
                            q.id,
                            json.dumps([c.id for c in q.cues if rng.random() < 0.5]),
                            rng.choice(("strong", "partial", "low", None)),
                            when,
                        )
                        for q in questions
                    ],
                )
                db.executemany(  # each answer's notes: one line of about 2 KB (012_note_lines)
                    "INSERT INTO note_lines (interview_id, question_id, id, stamp, text)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [
                        (interview_id, q.id, f"{n:016x}{i:016x}", legacy_stamp(when), note(rng))
                        for i, q in enumerate(questions)
                    ],
                )
                if status == "complete":
                    db.execute(
                        "INSERT INTO reflections (interview_id, fit, concerns, gaps, verdict, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (
                            interview_id,
                            note(rng, 200),
                            "",
                            "",
                            rng.choice(("strong", "moderate", "limited")),
                            when,
                        ),
                    )
                    db.execute(
                        "INSERT INTO follow_ups (interview_id, position, text, owner, due)"
                        " VALUES (?, 0, ?, ?, ?)",
                        (interview_id, "Send proposal", "Kim", due_dates[n % 700]),
                    )


def _set_up_server(url: str) -> None:
    import psycopg

    from leadcli.services.admin import migrate_store

    with psycopg.connect(url, autocommit=True) as db:
        db.execute("CREATE SCHEMA IF NOT EXISTS leadcli")
    migrate_store(url)


def _snapshot_key(store, content) -> dict[str, object]:
    """The snapshot columns to store with each interview, as the store itself writes them."""
    from leadcli.store.snapshots import snapshot_data

    data = snapshot_data(content.questions.questions, content.questions.reflection.questions)
    return {"snapshot": "", "snapshot_sha256": store.snapshots.add(data)}


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
