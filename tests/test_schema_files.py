"""The committed JSON Schemas match the models, and every data file points at its schema."""

from __future__ import annotations

import json
import subprocess
import sys

from leadcli.content.schema import json_schemas, schema_text
from tests.conftest import REPO


def test_committed_schemas_are_current() -> None:
    from leadcli.services.schemas import output_schemas

    for name, schema in {**json_schemas(), **output_schemas()}.items():
        committed = (REPO / "data" / "schema" / name).read_text(encoding="utf-8")
        assert committed == schema_text(schema), (
            f"data/schema/{name} is stale: run `leadcli schema data/schema --force`"
        )


def test_each_data_file_points_the_yaml_language_server_at_its_schema() -> None:
    for stem in ("framework", "questions", "offerings"):
        first = (REPO / "data" / f"{stem}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=schema/{stem}.schema.json"


def test_validation_never_reads_the_models_source() -> None:
    # Reading attribute docstrings parses the classes' source: about half of uncached validation.
    # Only the JSON Schemas need them (and still have them: the test above).
    script = (
        "import ast\n"
        "calls = []\n"
        "real = ast.parse\n"
        "ast.parse = lambda *a, **k: calls.append(1) or real(*a, **k)\n"
        "from leadcli.content.loader import validate_data_dir\n"
        "from leadcli.paths import builtin_data_dir\n"
        "validate_data_dir(builtin_data_dir())\n"
        "print(len(calls))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "0"


def test_writing_the_schemas_leaves_validation_without_docstrings() -> None:
    from leadcli.content import models
    from leadcli.content.schema import json_schemas

    assert "The year the prices were quoted." in json.dumps(json_schemas())  # an attribute docstring
    assert "use_attribute_docstrings" not in models._STRICT
