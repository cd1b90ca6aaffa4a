"""Shared fixtures: every test runs with its own leadcli home and never sees the real one."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadcli.cli import app
from leadcli.paths import builtin_data_dir

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("leadcli-home")
    fake_user_home = tmp_path_factory.mktemp("user-home")
    monkeypatch.setenv("LEADCLI_HOME", str(home))
    monkeypatch.setenv("HOME", str(fake_user_home))
    monkeypatch.setenv("XDG_DATA_HOME", str(fake_user_home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(fake_user_home / "cache"))
    monkeypatch.delenv("LEADCLI_DATA_DIR", raising=False)
    monkeypatch.delenv("LEADCLI_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    yield home


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def run(runner: CliRunner):
    """Invoke leadcli with arguments; return the click Result."""

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input)

    return invoke


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the built-in data files."""
    target = tmp_path / "data"
    shutil.copytree(builtin_data_dir(), target, ignore=shutil.ignore_patterns("schema"))
    return target
