"""JSON Schemas of leadcli's JSON outputs and of answers files, derived from the classes that make them.

They ship in the wheel beside the data files' schemas (`data/schema/`), and a test checks every
output against its schema.
"""

from __future__ import annotations

from typing import Any

from leadcli.assessment.demand import Demand
from leadcli.assessment.evaluate import Evaluation
from leadcli.assessment.report import OrgReport, Report, Summary
from leadcli.assessment.versions import VersionedEvaluation
from leadcli.content.coverage import Coverage
from leadcli.content.question_sets import SetDiff
from leadcli.interview.answers_file import AnswersFile

OUTPUT_SCHEMA_FILES: dict[str, type] = {
    "report.schema.json": Report,  # leadcli report -f json
    "organization-report.schema.json": OrgReport,  # leadcli report --org NAME -f json
    "summary.schema.json": Summary,  # leadcli summary -f json
    "evaluate.schema.json": Evaluation,  # leadcli evaluate -f json
    "evaluate-by-version.schema.json": VersionedEvaluation,  # leadcli evaluate --by-version -f json
    "questions-diff.schema.json": SetDiff,  # leadcli questions diff -f json
    "coverage.schema.json": Coverage,  # leadcli offerings --coverage -f json
    "demand.schema.json": Demand,  # leadcli summary --demand -f json
    "answers.schema.json": AnswersFile,  # leadcli interview --answers FILE
}


def output_schemas() -> dict[str, dict[str, Any]]:
    """Each output schema's file name and its schema."""
    from pydantic import TypeAdapter

    return {
        name: {"$schema": "https://json-schema.org/draft/2020-12/schema", **TypeAdapter(cls).json_schema()}
        for name, cls in OUTPUT_SCHEMA_FILES.items()
    }
