"""JSON and CSV output: plain data, no markup."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import Any


def to_data(value: Any) -> Any:
    """Dataclasses, tuples and dicts as JSON-ready values (properties are left out)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    return value


def dump_json(value: Any) -> str:
    return json.dumps(to_data(value), indent=2, ensure_ascii=False)


def dump_csv(header: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
