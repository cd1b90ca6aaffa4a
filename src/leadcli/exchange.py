"""Moving records between machines: export to JSON or CSV, and import a JSON export back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from leadcli import __version__
from leadcli.errors import ContentError
from leadcli.render.data import to_data
from leadcli.store.db import Store
from leadcli.store.records import Interview

EXPORT_KIND = "leadcli-export"
EXPORT_SCHEMA_VERSION = 1


def export_records(store: Store) -> dict[str, Any]:
    """Every interview, whole (with the questions it was taken with), as JSON-ready data."""
    return {
        "kind": EXPORT_KIND,
        "schema_version": EXPORT_SCHEMA_VERSION,
        "leadcli_version": __version__,
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "interviews": [to_data(store.get(interview_id)) for interview_id in store.ids()],
    }


CSV_HEADER = [
    "interview_id", "organization", "interviewer", "region", "status", "created_at", "people",
    "question_id", "question_number", "category", "state", "rating", "cues", "notes", "verdict",
]  # fmt: skip


def export_rows(store: Store) -> tuple[list[str], list[list[Any]]]:
    """One row per question per interview, for spreadsheets."""
    rows = []
    for interview_id in store.ids():
        record = store.get(interview_id)
        people = "; ".join(f"{c.name} ({c.level})" for c in record.contacts)
        verdict = record.reflection.verdict if record.reflection else None
        for question in record.snapshot.questions:
            answer = record.answers.get(question.id)
            explored = answer is not None and answer.explored
            rows.append(
                [
                    record.id, record.organization, record.interviewer, record.region, record.status,
                    record.created_at, people, question.id, question.number, question.category,
                    "explored" if explored else "not explored",
                    answer.rating if explored and answer else "",
                    ";".join(answer.cues) if explored and answer else "",
                    answer.notes if explored and answer else "", verdict or "",
                ]
            )  # fmt: skip
    return CSV_HEADER, rows


@dataclass(frozen=True)
class ImportResult:
    added: list[str]
    skipped: list[str]


def import_records(store: Store, path: Path) -> ImportResult:
    """Add the interviews of a JSON export that the store does not have yet; validate all first."""
    from pydantic import TypeAdapter, ValidationError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError([f"{path}: file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([f"{path}: cannot read: {exc}"]) from None
    except json.JSONDecodeError as exc:
        raise ContentError([f"{path}:{exc.lineno}: not valid JSON: {exc.msg}"]) from None
    if not isinstance(data, dict) or data.get("kind") != EXPORT_KIND:
        raise ContentError([f"{path}: not a leadcli export (made with `leadcli export --format json`)"])
    if data.get("schema_version") != EXPORT_SCHEMA_VERSION:
        raise ContentError(
            [
                f"{path}: export schema_version {data.get('schema_version')!r};"
                f" this leadcli reads {EXPORT_SCHEMA_VERSION}"
            ]
        )
    try:
        records = TypeAdapter(list[Interview]).validate_python(data.get("interviews"))
    except ValidationError as exc:
        from leadcli.content.yamlfile import format_loc

        raise ContentError(
            [
                f"{path}: interviews{format_loc(tuple(e['loc'])) if e['loc'] else ''}: {e['msg']}"
                for e in exc.errors()
            ]
        ) from None
    added, skipped = [], []
    for record in records:
        (added if store.insert(record) else skipped).append(record.id)
    return ImportResult(added=added, skipped=skipped)
