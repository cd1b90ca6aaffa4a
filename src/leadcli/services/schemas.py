"""JSON Schemas of leadcli's JSON outputs and of answers files, derived from the classes that make them.

They ship in the wheel beside the data files' schemas (`data/schema/`), and a test checks every
output against its schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from leadcli.assessment.demand import Demand
from leadcli.assessment.evaluate import Evaluation
from leadcli.assessment.report import OrgReport, Report, Summary
from leadcli.assessment.versions import VersionedEvaluation
from leadcli.content.coverage import Coverage
from leadcli.content.question_sets import SetDiff
from leadcli.interview.answers_file import AnswersFile
from leadcli.store.records import Interview, LostValue, Outcome, Snapshot


# The export's shape (`services/exchange.py` writes it from the records' own declarations): an
# interview names its snapshot by key and carries its history's lost values; each JSON Lines line
# is one record with its `type`.
@dataclass(kw_only=True)
class ExportedInterview(Interview):
    snapshot: str  # type: ignore[assignment]  # the key of its questions in `snapshots`
    lost_values: list[LostValue] = field(default_factory=list)
    """The values that lost a merge, kept in its history (an export before these has none)."""


@dataclass(kw_only=True)
class Export:
    kind: Literal["leadcli-export"]
    schema_version: Literal[1]
    leadcli_version: str
    exported_at: str
    snapshots: dict[str, Snapshot]
    """Each distinct set of questions, under the SHA-256 of its text."""
    interviews: list[ExportedInterview]
    outcomes: list[Outcome]


@dataclass(kw_only=True)
class HeaderLine:
    type: Literal["header"]
    kind: Literal["leadcli-export"]
    schema_version: Literal[1]
    leadcli_version: str
    exported_at: str


@dataclass(kw_only=True)
class SnapshotLine(Snapshot):
    type: Literal["snapshot"]
    key: str


@dataclass(kw_only=True)
class InterviewLine(ExportedInterview):
    type: Literal["interview"]


@dataclass(kw_only=True)
class OutcomeLine(Outcome):
    type: Literal["outcome"]


ExportLine = HeaderLine | SnapshotLine | InterviewLine | OutcomeLine

OUTPUT_SCHEMA_FILES: dict[str, Any] = {
    "report.schema.json": Report,  # leadcli report -f json
    "organization-report.schema.json": OrgReport,  # leadcli report --org NAME -f json
    "summary.schema.json": Summary,  # leadcli summary -f json
    "evaluate.schema.json": Evaluation,  # leadcli evaluate -f json
    "evaluate-by-version.schema.json": VersionedEvaluation,  # leadcli evaluate --by-version -f json
    "questions-diff.schema.json": SetDiff,  # leadcli questions diff -f json
    "coverage.schema.json": Coverage,  # leadcli offerings --coverage -f json
    "demand.schema.json": Demand,  # leadcli summary --demand -f json
    "answers.schema.json": AnswersFile,  # leadcli interview --answers FILE
    "export.schema.json": Export,  # leadcli export -f json
    "export-line.schema.json": ExportLine,  # each line of leadcli export -f jsonl
}


def output_schemas() -> dict[str, dict[str, Any]]:
    """Each output schema's file name and its schema."""
    from pydantic import TypeAdapter

    schemas = {
        name: {"$schema": "https://json-schema.org/draft/2020-12/schema", **TypeAdapter(cls).json_schema()}
        for name, cls in OUTPUT_SCHEMA_FILES.items()
    }
    for name in ("export.schema.json", "export-line.schema.json"):
        _older_snapshots(schemas[name])
    return schemas


def _older_snapshots(schema: dict[str, Any]) -> None:
    """An export carries each snapshot as the store kept it: one taken with older content may lack
    a cue's `kind`, and newer content may add members, which the import lets be."""
    definitions = schema["$defs"]
    for name in ("Cue", "Question", "ReflectionQuestion"):
        definitions[name].pop("additionalProperties", None)
    definitions["Cue"]["required"].remove("kind")
