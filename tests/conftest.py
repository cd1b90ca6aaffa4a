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


TINY_QUESTIONS = """\
version: tiny-1
source: {title: Test questions, section: Appendix A}
introduction: Two short questions for tests.
questions:
  - id: priorities
    number: 1
    category: Planning
    prompts: [How are priorities set?]
    guidance: Listen for who decides.
    domains: [direction, foundation]
    cues:
      - {id: who-decides, text: Who decides, domains: [direction]}
      - {id: infrastructure, text: Infrastructure, domains: [foundation]}
  - id: ideas
    number: 2
    category: Ideas
    prompts: [Where do ideas come from?]
    guidance: Inside and outside.
    domains: [ideas]
    cues:
      - {id: inside, text: Looks inside, domains: [ideas]}
      - {id: outside, text: Looks outside, domains: [ideas]}
assessment:
  rating_points: {strong: 2, partial: 1, low: 0}
  domain_levels: {strong: 1.5, partial: 0.75}
  cue_levels: {strong: 0.67, partial: 0.34}
  overall_levels: {strong: 1.5, moderate: 0.75}
reflection:
  introduction: After the call, ask
  questions:
    - {id: fit, text: Does it fit?}
    - {id: concerns, text: Any concerns?}
    - {id: gaps, text: Any gaps?}
"""


@pytest.fixture
def tiny_data(data_copy: Path) -> Path:
    """The built-in framework and offerings with two short questions, for exact transcripts."""
    (data_copy / "questions.yaml").write_text(TINY_QUESTIONS, encoding="utf-8")
    return data_copy


@pytest.fixture
def keyboard(monkeypatch: pytest.MonkeyPatch):
    """Make leadcli believe it has a terminal, and type the given lines at its prompts."""
    from leadcli import prompting
    from tests.interview_helpers import Keyboard

    def install(*lines):
        typed = Keyboard(lines, echo=True)
        monkeypatch.setattr(prompting, "stdin_is_terminal", lambda: True)
        monkeypatch.setattr(prompting, "ask", typed)
        return typed

    return install


@pytest.fixture
def fixed_ids(monkeypatch: pytest.MonkeyPatch):
    """Interview ids id0001, id0002, ... instead of random ones."""
    counter = iter(range(1, 10_000))
    monkeypatch.setattr("leadcli.store.db._new_id", lambda: f"id{next(counter):04d}")
