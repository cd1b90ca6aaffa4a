"""Moving records between machines: export to JSON or CSV, and import a JSON export back.

Exports are written as a stream, one interview at a time, so a large store never has to fit in
memory. The questions interviews were taken with are written once each (`snapshots`), and each
interview names its own by key.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from leadcli import __version__
from leadcli.errors import ContentError
from leadcli.render.data import to_data
from leadcli.render.safe import json_escaped
from leadcli.services.outcomes import outcomes_from_export
from leadcli.store.db import Store
from leadcli.store.records import Interview

EXPORT_KIND = "leadcli-export"
EXPORT_SCHEMA_VERSION = 1


def _dumps(value: Any) -> str:
    return json_escaped(json.dumps(value, ensure_ascii=False))


def export_json(store: Store) -> Iterator[str]:
    """Every interview, whole, as the chunks of one JSON document."""
    header = {
        "kind": EXPORT_KIND,
        "schema_version": EXPORT_SCHEMA_VERSION,
        "leadcli_version": __version__,
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    yield "{\n" + "".join(f"  {_dumps(k)}: {_dumps(v)},\n" for k, v in header.items())
    snapshots = store.snapshots()
    yield '  "snapshots": {\n'
    yield ",\n".join(f"    {_dumps(key)}: {text}" for key, text in snapshots.items())
    yield '\n  },\n  "interviews": ['
    for index, (record, snapshot_key) in enumerate(store.each()):
        data = to_data(record)
        data["snapshot"] = snapshot_key
        yield ("," if index else "") + "\n    " + _dumps(data)
    yield "\n  ],\n" + _outcomes_json(store) + "}\n"


def _outcomes_json(store: Store) -> str:
    """The `outcomes` member: every outcome recorded (the history, not just the latest)."""
    rows = ",\n".join(f"    {_dumps(to_data(o))}" for o in store.outcomes())
    return f'  "outcomes": [\n{rows}\n  ]\n' if rows else '  "outcomes": []\n'


CSV_HEADER = [
    "interview_id", "organization", "interviewer", "region", "status", "created_at", "people",
    "question_id", "question_number", "category", "state", "rating", "cues", "notes", "verdict",
]  # fmt: skip


def export_csv(store: Store) -> Iterator[str]:
    """One row per question per interview, for spreadsheets, as chunks of CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for record, _ in store.each():
        people = "; ".join(f"{c.name} ({c.level})" for c in record.contacts)
        verdict = record.reflection.verdict if record.reflection else None
        for question in record.snapshot.questions:
            answer = record.answers.get(question.id)
            explored = answer is not None and answer.explored
            writer.writerow(
                [
                    record.id, record.organization, record.interviewer, record.region, record.status,
                    record.created_at, people, question.id, question.number, question.category,
                    "explored" if explored else "not explored",
                    answer.rating if explored and answer else "",
                    ";".join(answer.cues) if explored and answer else "",
                    answer.notes if explored and answer else "", verdict or "",
                ]
            )  # fmt: skip
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


@dataclass
class ImportResult:
    added: list[str]
    skipped: list[str]
    outcomes_added: int = 0


def import_records(store: Store, path: Path) -> ImportResult:
    """Add the interviews of a JSON export that the store does not have yet; validate all first."""
    from pydantic import TypeAdapter, ValidationError

    from leadcli.content.yamlfile import format_loc
    from leadcli.text_input import clean_data

    about = f"the import file {path}"
    try:
        data = clean_data(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ContentError([f"{path}: file not found"], about=about) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([f"{path}: cannot read: {exc}"], about=about) from None
    except json.JSONDecodeError as exc:
        raise ContentError([f"{path}:{exc.lineno}: not valid JSON: {exc.msg}"], about=about) from None
    if not isinstance(data, dict) or data.get("kind") != EXPORT_KIND:
        raise ContentError(
            [f"{path}: not a leadcli export (made with `leadcli export --format json`)"], about=about
        )
    if data.get("schema_version") != EXPORT_SCHEMA_VERSION:
        raise ContentError(
            [
                f"{path}: export schema_version {data.get('schema_version')!r};"
                f" this leadcli reads {EXPORT_SCHEMA_VERSION}"
            ],
            about=about,
        )
    snapshots = data.get("snapshots")
    interviews = data.get("interviews")
    if not isinstance(snapshots, dict) or not isinstance(interviews, list):
        raise ContentError(
            [f"{path}: an export needs `snapshots` (an object) and `interviews` (a list)"], about=about
        )
    problems = []
    for index, item in enumerate(interviews):
        key = item.get("snapshot") if isinstance(item, dict) else None
        if key not in snapshots:
            problems.append(
                f"{path}: interviews[{index}].snapshot: {key!r} is not one of the export's snapshots"
            )
        else:
            item["snapshot"] = snapshots[key]
    if problems:
        raise ContentError(problems, about=about)
    try:
        records = TypeAdapter(list[Interview]).validate_python(interviews)
    except ValidationError as exc:
        raise ContentError(
            [f"{path}: interviews{format_loc(tuple(e['loc']))}: {e['msg']}" for e in exc.errors()],
            about=about,
        ) from None
    outcomes = outcomes_from_export(data.get("outcomes"), str(path), about=about)
    added, skipped = [], []
    for record in records:
        (added if store.insert(record) else skipped).append(record.id)
    return ImportResult(added=added, skipped=skipped, outcomes_added=store.insert_outcomes(outcomes))
