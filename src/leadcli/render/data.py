"""JSON and CSV output: plain data, no markup."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from leadcli.untrusted import formula_like, json_escaped, visible


def to_data(value: Any) -> Any:
    """Dataclasses, tuples and dicts as JSON-ready values (properties are left out)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    return value


# The version of every JSON output that has none of its own (report, summary, evaluate and export
# keep theirs); it moves on any change a reader of the output would have to follow.
OUTPUT_SCHEMA_VERSION = 1

CONTENT_SCHEMA_VERSION = 2
"""`framework`, `questions`, `offerings` and `offerings show` with `-f json`. 2: the report's words
are in fields named so (`status_quote`, `audience_quote`, `region_quote`, `price.quote`; were
`status_note`, `audience_note`, `region_note`, `price.note`), the stakeholders' views are
`stakeholder_views` (were `signals`), cues carry `kind` and `words`; offerings carry `prices_as_of`
and `leadcli_notes`."""


def content_data(value: Any, **more: Any) -> dict[str, Any]:
    """A content JSON output: its `schema_version` first, the data, then `more` (notes)."""
    return {"schema_version": CONTENT_SCHEMA_VERSION, **to_data(value), **to_data(more)}


def versioned(value: Any) -> Any:
    """A JSON output's data with `schema_version` first (kept if the output has its own)."""
    data = to_data(value)
    if isinstance(data, dict) and "schema_version" not in data:
        return {"schema_version": OUTPUT_SCHEMA_VERSION, **data}
    return data


def dump_json(value: Any) -> str:
    """JSON of `value`; the controls JSON would leave raw (C1, bidi) spelled as `\\uXXXX`."""
    return json_escaped(json.dumps(to_data(value), indent=2, ensure_ascii=False))


def csv_cell(value: Any) -> Any:
    """A value as a spreadsheet should see it, for every CSV leadcli writes: control characters in
    text shown (`\\x1b`; line breaks kept), and text a spreadsheet would run as a formula (its first
    visible character is = + - @ or a full-width form of one, or it starts with a tab) given a
    leading `'`, as OWASP advises."""
    if not isinstance(value, str):
        return value
    guarded = "'" + value if formula_like(value) else value
    return visible(guarded)


def csv_row(values: Iterable[Any]) -> list[Any]:
    """One CSV row, every cell through `csv_cell`."""
    return [csv_cell(v) for v in values]


def csv_chunks(
    header: list[str], rows: Iterable[Iterable[Any]], *, excel: bool = False, every: int = 200
) -> Iterator[str]:
    """CSV text with a header row, a chunk of `every` rows at a time; every cell through `csv_cell`.

    With `excel`, the text starts with a byte-order mark and lines end in CRLF, so a spreadsheet
    opened with a double click reads it as UTF-8.
    """
    buffer = io.StringIO()
    if excel:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n" if excel else "\n")
    writer.writerow(csv_row(header))
    for count, row in enumerate(rows, start=1):
        writer.writerow(csv_row(row))
        if count % every == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def dump_csv(header: list[str], rows: Iterable[Iterable[Any]], *, excel: bool = False) -> str:
    """CSV text with a header row; every cell through `csv_cell` (`excel`: BOM and CRLF)."""
    return "".join(csv_chunks(header, rows, excel=excel))
