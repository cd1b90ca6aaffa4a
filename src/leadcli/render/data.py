"""JSON and CSV output: plain data, no markup."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import Any

from leadcli.render.safe import json_escaped, visible


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
    """JSON of `value`; the controls JSON would leave raw (C1, bidi) spelled as `\\uXXXX`."""
    return json_escaped(json.dumps(to_data(value), indent=2, ensure_ascii=False))


def csv_row(values: list[Any]) -> list[Any]:
    """One CSV row with control characters in its text shown (`\\x1b`); line breaks are kept."""
    return [visible(v) if isinstance(v, str) else v for v in values]


def dump_csv(header: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(csv_row(row) for row in rows)
    return buffer.getvalue()
