"""JSON Schemas of the data files, for editors that validate YAML as it is typed."""

from __future__ import annotations

import json
from typing import Any

from leadcli.content import models
from leadcli.content.models import Catalog, Framework, QuestionSet

SCHEMA_FILES = {
    "framework.schema.json": Framework,
    "questions.schema.json": QuestionSet,
    "offerings.schema.json": Catalog,
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """Each schema file name and its schema."""
    from pydantic import TypeAdapter

    schemas = {}
    # The models' shared config: attribute docstrings become descriptions, for these adapters only.
    models._STRICT["use_attribute_docstrings"] = True
    try:
        for name, model in SCHEMA_FILES.items():
            schema = TypeAdapter(model).json_schema()
            schemas[name] = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    finally:
        del models._STRICT["use_attribute_docstrings"]
    return schemas


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
