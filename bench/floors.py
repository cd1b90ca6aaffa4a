"""Floors for the scale benchmark: the same work as leadcli's bulk commands, done plainly.

Each floor is plain Python and sqlite3 over the same store (or export file): no validation, no
records as objects, no leadcli code on the timed path, so leadcli's figure divided by the floor's
is what leadcli's own structure costs.

    python bench/floors.py export HOME FILE    # every interview as one JSON document
    python bench/floors.py import FILE HOME    # the export's records into an empty store, one transaction
    python bench/floors.py summary HOME        # counts by status, verdict, domain level, overdue follow-ups
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections import Counter
from datetime import date
from itertools import groupby
from operator import itemgetter
from pathlib import Path


def _groups(rows):
    groups = groupby(rows, key=itemgetter(0))
    current = next(groups, None)

    def take(key):
        nonlocal current
        while current is not None and current[0] < key:
            current = next(groups, None)
        if current is None or current[0] != key:
            return []
        group = list(current[1])
        current = next(groups, None)
        return group

    return take


def export_floor(home: Path, out: Path) -> None:
    db = sqlite3.connect(home / "leadcli.db", isolation_level=None)
    db.execute("BEGIN")
    contacts = _groups(
        db.execute("SELECT interview_id, name, role, level FROM contacts ORDER BY 1, position")
    )
    answers = _groups(
        db.execute(
            "SELECT interview_id, question_id, state, notes, cues, rating, updated_at FROM answers"
            " ORDER BY 1, 2"
        )
    )
    lines = _groups(
        db.execute(
            "SELECT interview_id, question_id, id, stamp, author, text, gone FROM note_lines ORDER BY 1, 4"
        )
    )
    reflections = _groups(
        db.execute("SELECT interview_id, fit, concerns, gaps, verdict FROM reflections ORDER BY 1")
    )
    follow_ups = _groups(
        db.execute("SELECT interview_id, text, owner, due FROM follow_ups ORDER BY 1, position")
    )
    with out.open("w", encoding="utf-8") as handle:
        handle.write('{"snapshots": {')
        handle.write(
            ",".join(f"{json.dumps(k)}: {t}" for k, t in db.execute("SELECT sha256, data FROM snapshots"))
        )
        handle.write('},\n"interviews": [')
        for n, row in enumerate(db.execute("SELECT * FROM interviews ORDER BY id")):
            iid = row[0]
            reflection = None
            for _, fit, concerns, gaps, verdict in reflections(iid):
                reflection = {
                    "fit": fit, "concerns": concerns, "gaps": gaps, "verdict": verdict,
                    "follow_ups": [{"text": t, "owner": o, "due": d} for _, t, o, d in follow_ups(iid)],
                }  # fmt: skip
            kept: dict[str, list[dict]] = {}
            for _, q, i, st, au, t, g in lines(iid):
                kept.setdefault(q, []).append({"id": i, "stamp": st, "author": au, "text": t, "gone": g})
            record = {
                "row": row,
                "contacts": [{"name": a, "role": b, "level": c} for _, a, b, c in contacts(iid)],
                "answers": {
                    q: {
                        "question_id": q,
                        "state": s,
                        "notes": "\n".join(x["text"] for x in kept.get(q, []) if not x["gone"]),
                        "cues": json.loads(c),
                        "rating": r,
                        "updated_at": u,
                        "lines": kept.get(q, []),
                    }
                    for _, q, s, _t, c, r, u in answers(iid)
                },
                "reflection": reflection,
            }
            handle.write(("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False))
        handle.write("\n]}\n")
    db.execute("COMMIT")


_STAMP = ("framework_version", "framework_sha256", "questions_version", "questions_sha256")


def import_floor(source: Path, home: Path) -> None:
    from leadcli.store.db import Store  # only to create the same empty schema, before the clock matters

    Store.open(home).close()
    db = sqlite3.connect(home / "leadcli.db", isolation_level=None)
    db.execute("PRAGMA synchronous=FULL")
    db.execute("BEGIN IMMEDIATE")
    batch: list[dict] = []

    def flush() -> None:
        db.executemany(
            "INSERT INTO interviews (id, organization, interviewer, region, status, position, created_at,"
            " updated_at, framework_version, framework_sha256, questions_version, questions_sha256, snapshot,"
            " snapshot_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?)",
            [
                (
                    r["id"], r["organization"], r["interviewer"], r["region"], r["status"], r["position"],
                    r["created_at"], r["updated_at"], *(r["stamp"][k] for k in _STAMP), r["snapshot"],
                )
                for r in batch
            ],
        )  # fmt: skip
        db.executemany(
            "INSERT INTO contacts (interview_id, position, name, role, level) VALUES (?, ?, ?, ?, ?)",
            [
                (r["id"], i, c["name"], c["role"], c["level"])
                for r in batch
                for i, c in enumerate(r["contacts"])
            ],
        )
        db.executemany(
            "INSERT INTO answers (interview_id, question_id, state, cues, rating, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (r["id"], q, a["state"], json.dumps(a["cues"]), a["rating"], a["updated_at"])
                for r in batch
                for q, a in r["answers"].items()
            ],
        )
        db.executemany(
            "INSERT INTO note_lines (interview_id, question_id, id, stamp, author, text, gone)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (r["id"], q, x["id"], x["stamp"], x["author"], x["text"], x["gone"])
                for r in batch
                for q, a in r["answers"].items()
                for x in a.get("lines", [])
            ],
        )
        reflected = [r for r in batch if r["reflection"]]
        db.executemany(
            "INSERT INTO reflections (interview_id, fit, concerns, gaps, verdict, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    r["id"],
                    *(r["reflection"][k] for k in ("fit", "concerns", "gaps", "verdict")),
                    r["updated_at"],
                )
                for r in reflected
            ],
        )
        db.executemany(
            "INSERT INTO follow_ups (interview_id, position, text, owner, due) VALUES (?, ?, ?, ?, ?)",
            [
                (r["id"], i, f["text"], f["owner"], f["due"])
                for r in reflected
                for i, f in enumerate(r["reflection"]["follow_ups"])
            ],
        )
        batch.clear()

    with source.open(encoding="utf-8") as handle:
        section = None
        for line in handle:
            text = line.strip().rstrip(",")
            if text.startswith('"snapshots"'):
                section = "snapshots"
            elif text.startswith('"interviews"'):
                section = "interviews"
            elif section == "snapshots" and text.startswith('"'):
                key, _, data = text.partition(": ")
                db.execute(
                    "INSERT INTO snapshots (sha256, questions, data) VALUES (?, ?, ?)",
                    (json.loads(key), len(json.loads(data)["questions"]), data),
                )
            elif section == "interviews" and text.startswith("{"):
                batch.append(json.loads(text))
                if len(batch) >= 500:
                    flush()
    flush()
    db.execute("COMMIT")


def summary_floor(home: Path) -> None:
    db = sqlite3.connect(home / "leadcli.db", isolation_level=None)
    statuses: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    combinations: Counter[tuple] = Counter()
    people = _groups(db.execute("SELECT interview_id, level FROM contacts ORDER BY interview_id, position"))
    organizations = set()
    for iid, organization, region, status, verdict, levels in db.execute(
        "SELECT i.id, i.organization, i.region, i.status, r.verdict, c.levels FROM interviews i"
        " LEFT JOIN reflections r ON r.interview_id = i.id"
        " LEFT JOIN assessment_cache c ON c.interview_id = i.id"
        " ORDER BY i.id"
    ):
        organizations.add(organization.casefold())
        statuses[status] += 1
        verdicts[verdict or "none yet"] += 1
        combinations[levels, tuple(sorted({lv for _, lv in people(iid)})), region.strip()] += 1
    gaps: Counter[tuple] = Counter()
    for (levels, _, _), times in combinations.items():
        for domain_id, level, *_ in json.loads(levels or "[]"):  # (the interviewer's beside it)
            gaps[domain_id, level] += times
    overdue = db.execute(
        "SELECT f.interview_id, i.organization, f.text, f.owner, f.due FROM follow_ups f"
        " JOIN interviews i ON i.id = f.interview_id WHERE f.due < ? ORDER BY f.due",
        (date.today().isoformat(),),
    ).fetchall()
    print(len(organizations), dict(statuses), dict(verdicts), len(gaps), len(overdue))


if __name__ == "__main__":
    kind, *paths = sys.argv[1:]
    {"export": export_floor, "import": import_floor, "summary": summary_floor}[kind](*map(Path, paths))
