"""Every JSON output that has a schema in data/schema/ is valid against it (real output, real schema)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

jsonschema = pytest.importorskip("jsonschema")


def _schema(name: str) -> dict:
    return json.loads((REPO / "data" / "schema" / name).read_text(encoding="utf-8"))


def _check(data: object, name: str) -> None:
    validator = jsonschema.Draft202012Validator(_schema(name))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == [], errors[:5]


@pytest.fixture
def recorded(run) -> str:
    imported = run("interview", "--answers", "examples/call-notes.yaml")
    assert imported.exit_code == 0, imported.output
    run("outcome", "St Mary's Health (example)", "--result", "engaged")
    return imported.stdout.strip()


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("report", "ID"), "report.schema.json"),
        (("report", "--org", "St Mary"), "organization-report.schema.json"),
        (("summary",), "summary.schema.json"),
        (("evaluate",), "evaluate.schema.json"),
    ],
)
def test_json_output_matches_its_schema(run, recorded: str, args: tuple[str, ...], name: str) -> None:
    args = tuple(recorded if a == "ID" else a for a in args)
    result = run(*args, "-f", "json")
    assert result.exit_code == 0, result.output
    _check(json.loads(result.stdout), name)


def test_the_export_matches_its_schema_as_json_and_each_jsonl_line(run, recorded: str) -> None:
    whole = run("export")
    assert whole.exit_code == 0, whole.output
    _check(json.loads(whole.stdout), "export.schema.json")
    lines = run("export", "-f", "jsonl").stdout.splitlines()
    assert len(lines) == 4  # header, snapshot, interview, outcome
    for line in lines:
        _check(json.loads(line), "export-line.schema.json")
    validator = jsonschema.Draft202012Validator(_schema("export-line.schema.json"))
    assert list(validator.iter_errors({**json.loads(lines[2]), "status": "done"}))


def test_the_example_answers_file_matches_the_answers_schema() -> None:
    data = yaml.safe_load((REPO / "examples" / "call-notes.yaml").read_text(encoding="utf-8"))
    _check(json.loads(json.dumps(data, default=str)), "answers.schema.json")  # dates as they are written


def test_a_wrong_output_fails_its_schema() -> None:
    validator = jsonschema.Draft202012Validator(_schema("summary.schema.json"))
    assert list(validator.iter_errors({"schema_version": "one"}))


def test_the_schemas_ship_in_the_wheel() -> None:
    from leadcli.paths import builtin_data_dir

    shipped = {p.name for p in (Path(builtin_data_dir()) / "schema").glob("*.json")}
    assert {
        "report.schema.json",
        "summary.schema.json",
        "evaluate.schema.json",
        "answers.schema.json",
        "export.schema.json",
        "export-line.schema.json",
    } <= shipped
