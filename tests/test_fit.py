"""Issue 17: leadcli's output fits the terminals, spreadsheets and readers its users have."""

from __future__ import annotations

import json

import pytest

from leadcli.render.data import csv_cell, dump_json
from leadcli.untrusted import formula_like, visible

INVISIBLES = {
    "\u00ad": "\\xad",
    "\u200b": "\\u200b",
    "\u200c": "\\u200c",
    "\u200d": "\\u200d",
    "\u2060": "\\u2060",
    "\ufeff": "\\ufeff",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
    "\U000e0041": "\\U000e0041",
}


@pytest.mark.parametrize(("char", "shown"), INVISIBLES.items())
def test_invisible_characters_are_shown_as_escapes(char: str, shown: str) -> None:
    assert visible(f"St{char}Mary") == f"St{shown}Mary"
    assert visible(f"St{char}Mary", lines=False) == f"St{shown}Mary"


def test_json_spells_invisible_characters_as_escapes_and_keeps_the_data() -> None:
    text = dump_json({"name": "A\u200bB\ufeff\U000e0041"})
    assert "\u200b" not in text and "\\u200b" in text and "\\udb40\\udc41" in text
    assert json.loads(text) == {"name": "A\u200bB\ufeff\U000e0041"}


@pytest.mark.parametrize(
    "text",
    [" =1+1", "   @SUM(A1)", "\u200b=1+1", "\ufeff=1", "\u00ad+1", "＝1+1", "＋1", "＠A1", "－1", " \t=1"],
)
def test_the_formula_guard_looks_past_spaces_and_invisibles(text: str) -> None:
    assert formula_like(text)
    assert csv_cell(text).startswith("'")


@pytest.mark.parametrize("text", ["plain", "a=b", "2 FTE", "", "x@y.example", "\rx"])
def test_ordinary_text_is_not_guarded(text: str) -> None:
    assert not formula_like(text)
    assert not csv_cell(text).startswith("'")
