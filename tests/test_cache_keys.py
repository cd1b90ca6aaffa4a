"""Cache keys hash what the cached result depends on, never leadcli's version string."""

from __future__ import annotations

import shutil
from pathlib import Path

import leadcli
from leadcli.assessment import rules
from leadcli.content import loader
from leadcli.paths import DATA_FILES
from leadcli.services.reports import rules_key
from tests.conftest import REPO
from tests.reports_helpers import CONTENT

RAW = {name: (REPO / "data" / name).read_bytes() for name in DATA_FILES}


def _copy_with_edit(source: Path, folder: Path, name: str) -> Path:
    """`source` in a copy of the package in which `name` (a path from `source`'s folder) has one more
    line: the code changed."""
    package = Path(leadcli.__file__).parent
    copy = folder / "leadcli"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    moved = copy / source.relative_to(package)
    edited = moved.parent / name
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    return moved


def test_the_content_cache_key_ignores_the_version_and_follows_the_code(monkeypatch, tmp_path) -> None:
    key = loader._cache_key(RAW)
    monkeypatch.setattr(leadcli, "__version__", "99.0.0")
    assert loader._cache_key(RAW) == key  # a new version that changes none of the code reuses the cache
    for name in loader._CODE:
        monkeypatch.setattr(
            loader, "__file__", str(_copy_with_edit(Path(loader.__file__), tmp_path / name, name))
        )
        assert loader._cache_key(RAW) != key, f"a change to content/{name} must not be served a stale cache"
        monkeypatch.undo()


def test_the_content_cache_key_follows_every_data_file() -> None:
    key = loader._cache_key(RAW)
    for name in DATA_FILES:
        assert loader._cache_key({**RAW, name: RAW[name] + b"\n"}) != key


def test_kept_levels_are_keyed_by_the_rules_code_not_the_version(monkeypatch, tmp_path) -> None:
    key = rules_key(CONTENT)
    monkeypatch.setattr(leadcli, "__version__", "99.0.0")
    assert rules_key(CONTENT) == key
    monkeypatch.setattr(rules, "__file__", str(_copy_with_edit(Path(rules.__file__), tmp_path, "rules.py")))
    assert rules_key(CONTENT) != key
