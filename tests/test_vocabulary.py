"""Every vocabulary is defined once, in vocabulary.py: no module types its values out again."""

from __future__ import annotations

import ast

from leadcli import vocabulary
from leadcli.vocabulary import RATINGS, VERDICTS, letters, one_of
from tests.conftest import REPO

VOCABULARIES = {
    name: frozenset(values)
    for name, values in vars(vocabulary).items()
    if name.isupper() and isinstance(values, tuple) and len(values) > 1
}


def _spelled_out(path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Tuple | ast.List | ast.Set) and node.elts:
            values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(values) == len(node.elts):
                found += [
                    f"{path.name}:{node.lineno}: {name}"
                    for name, v in VOCABULARIES.items()
                    if set(values) == v
                ]
    return found


def test_no_module_spells_out_a_vocabulary() -> None:
    assert VOCABULARIES["RATINGS"] == {"strong", "partial", "low"}
    sources = sorted((REPO / "src" / "leadcli").rglob("*.py"))
    found = [hit for path in sources if path.name != "vocabulary.py" for hit in _spelled_out(path)]
    assert not found, f"use the tuple from vocabulary.py: {found}"


def test_the_check_sees_a_vocabulary_typed_out(tmp_path) -> None:
    path = tmp_path / "mod.py"
    path.write_text('LEVELS = ("strong", "partial", "low")\n', encoding="utf-8")
    assert _spelled_out(path) == ["mod.py:1: RATINGS"]


def test_prompt_wordings_come_from_the_tuples() -> None:
    assert one_of(RATINGS) == "strong, partial or low"
    assert "/".join(letters(RATINGS)) == "s/p/l"
    assert one_of(VERDICTS) == "strong, moderate, limited or unclear"
    assert one_of(("one",)) == "one"
