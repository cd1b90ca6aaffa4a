"""The committed JSON Schemas match the models, and every data file points at its schema."""

from __future__ import annotations

from leadcli.content.schema import json_schemas, schema_text
from tests.conftest import REPO


def test_committed_schemas_are_current() -> None:
    for name, schema in json_schemas().items():
        committed = (REPO / "data" / "schema" / name).read_text(encoding="utf-8")
        assert committed == schema_text(schema), (
            f"data/schema/{name} is stale: run `leadcli schema data/schema --force`"
        )


def test_each_data_file_points_the_yaml_language_server_at_its_schema() -> None:
    for stem in ("framework", "questions", "offerings"):
        first = (REPO / "data" / f"{stem}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=schema/{stem}.schema.json"
