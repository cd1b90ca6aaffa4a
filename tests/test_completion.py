"""Shell completion: the scripts, and what the completion protocol offers at each position."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from leadcli.store.db import Store


def complete(words: str, home: Path) -> list[str]:
    """What leadcli offers for the command line `words`, asked as fish asks (one value a line,
    unescaped, a tab and its description after it)."""
    env = {
        **os.environ,
        "LEADCLI_HOME": str(home),
        "_LEADCLI_COMPLETE": "complete_fish",
        "_LEADCLI_LINE": words,
    }
    done = subprocess.run(
        [sys.executable, "-c", "from leadcli.cli import main; main()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return [line.split("\t")[0] for line in done.stdout.splitlines() if line]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_a_script_for_each_shell(run, shell: str) -> None:
    result = run("completion", shell)
    assert result.exit_code == 0
    assert "_LEADCLI_COMPLETE" in result.stdout and "leadcli" in result.stdout


def test_completion_refuses_an_unknown_shell(run) -> None:
    result = run("completion", "tcsh")
    assert result.exit_code == 2
    assert "'tcsh' is not one of 'bash', 'zsh', 'fish'" in result.output


def test_completes_commands_and_choices(isolated_home: Path) -> None:
    assert "offerings" in complete("leadcli off", isolated_home)
    offered = complete("leadcli offerings --audience ", isolated_home)
    assert {"executive", "core", "point-of-care"} <= set(offered)
    assert {"table", "json", "csv"} <= set(complete("leadcli list --format ", isolated_home))
    assert "markdown" not in complete("leadcli list --format ", isolated_home)


def test_completes_offering_and_domain_ids(isolated_home: Path) -> None:
    assert "fellowship" in complete("leadcli offerings show fel", isolated_home)
    assert "will" in complete("leadcli framework --domain w", isolated_home)


def test_completes_interview_ids_and_organizations(isolated_home: Path) -> None:
    from tests.reports_helpers import make_interview

    with Store.open(isolated_home) as store:
        store.interviews.insert(make_interview(interview_id="abc234", organization="St Mary's Health"))
        store.interviews.insert(make_interview(interview_id="abd567", organization="Northwind Clinic"))
    assert {"abc234", "abd567"} <= set(complete("leadcli show ab", isolated_home))
    assert "abd567" not in complete("leadcli show abc", isolated_home)
    offered = complete("leadcli report --org St", isolated_home)
    assert "St Mary's Health" in offered and "Northwind Clinic" not in offered


def test_completion_without_a_usable_store_offers_nothing(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    assert complete("leadcli show ", not_a_folder) == []  # no ids, and nothing on stderr


def test_names_with_control_characters_are_never_offered_to_the_shell(isolated_home: Path) -> None:
    from tests.reports_helpers import make_interview

    with Store.open(isolated_home) as store:
        store.interviews.insert(
            make_interview(interview_id="abc234", organization="Sly \x1b]0;pwned\x07 Health")
        )
        store.interviews.insert(make_interview(interview_id="abd567", organization="Sly Clinic"))
    assert complete("leadcli report --org Sly", isolated_home) == ["Sly Clinic"]


@pytest.mark.parametrize(
    ("line", "words", "incomplete"),
    [
        ("leadcli report --org ", ["leadcli", "report", "--org"], ""),
        ("leadcli report --org St", ["leadcli", "report", "--org"], "St"),
        ("leadcli report --org 'St M", ["leadcli", "report", "--org"], "St M"),
        ('leadcli report --org "Ward \\"A', ["leadcli", "report", "--org"], 'Ward "A'),
        ("leadcli report --org St\\ Mary\\'s\\ ", ["leadcli", "report", "--org"], "St Mary's "),
        ("leadcli show '' ", ["leadcli", "show", ""], ""),
    ],
)
def test_the_command_line_is_split_as_the_shell_splits_it(
    line: str, words: list[str], incomplete: str
) -> None:
    from leadcli.commands.completion import split_line

    assert split_line(line) == (words, incomplete)
