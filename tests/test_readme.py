"""README.md stays true: its first two commands, and the test command CI runs."""

from __future__ import annotations

import re

from tests.conftest import REPO


def _first_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text)[:2]


def test_readme_opens_with_install_and_run_then_install_and_test() -> None:
    run, test = _first_commands()
    assert "pip install ." in run
    assert run.endswith("leadcli offerings --audience executive")
    assert "pytest" in test


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    _, test = _first_commands()
    assert test in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
