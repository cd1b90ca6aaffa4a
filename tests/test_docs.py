"""The docs stay true: every command the app has is documented, and every module a doc names exists."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
import typer.main

from leadcli.cli import build_app
from tests.conftest import REPO

DOCS = [REPO / "README.md", REPO / "CHANGELOG.md", *sorted((REPO / "docs").glob("*.md"))]
PACKAGE = REPO / "src" / "leadcli"
# Top-level names of leadcli's own modules, for dotted references such as `store.records.Answer`.
OWN = {p.stem for p in PACKAGE.iterdir() if p.suffix == ".py" or (p.is_dir() and p.name != "__pycache__")} - {
    "__init__"
}


def _text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in DOCS)


def _commands(group: Any, prefix: str = "leadcli") -> list[str]:
    names = []
    for name, command in group.commands.items():
        names.append(f"{prefix} {name}")
        if hasattr(command, "commands"):  # a group: its subcommands too
            names += _commands(command, f"{prefix} {name}")
    return names


def test_every_command_of_the_app_appears_in_the_docs() -> None:
    commands = _commands(typer.main.get_command(build_app()))
    assert len(commands) > 15
    text = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    missing = [c for c in commands if not re.search(rf"{re.escape(c)}(?![\w-])", text)]
    assert not missing, f"commands missing from docs/commands.md: {missing}"


def _repository_files() -> set[str]:
    skip = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"}
    found = set()
    for path in REPO.rglob("*"):
        parts = path.relative_to(REPO).parts
        if not skip & set(parts) and not any(p.endswith(".egg-info") for p in parts):
            found.add(path.relative_to(REPO).as_posix() + ("/" if path.is_dir() else ""))
    return found


# A path a doc names: ends in .py, or is a folder (`render/`); code spans and the layout tree alike.
PATH = re.compile(r"(?<![\w./!$~-])((?:[\w.-]+/)*[\w.-]+\.py|(?:[\w.-]+/)+)(?![\w/])")


def _code(text: str) -> list[str]:
    """The code spans and the fenced blocks of a Markdown text."""
    blocks, spans, fenced, prose = [], [], None, []
    for line in text.split("\n"):
        if line.startswith("```"):
            if fenced is None:
                fenced = []
            else:
                blocks.append("\n".join(fenced))
                fenced = None
        elif fenced is not None:
            fenced.append(line)
        else:
            prose.append(line)
    spans = re.findall(r"`([^`\n]+)`", "\n".join(prose))
    return blocks + spans


def _named_paths(text: str) -> set[str]:
    paths = set()
    for code in _code(text):
        paths.update(m for m in PATH.findall(code) if not m.startswith(("http", "~", ".")) and "//" not in m)
    return paths


def test_every_module_path_a_doc_names_exists() -> None:
    files = _repository_files()
    named = _named_paths(_text())
    assert {"render/", "_common.py", "wording.py"} <= named  # the check sees the layout tree too
    # A path matches a file or folder of the repository that ends with it (`wording.py`, `render/report/`).
    missing = sorted(p for p in named if not any(f == p or f.endswith("/" + p) for f in files))
    assert not missing, f"the docs name paths that do not exist: {missing}"


def _dotted_names(text: str) -> set[str]:
    names = set()
    for span in re.findall(r"`([^`\n]+)`", text):
        for name in re.findall(r"(?<![\w.])([a-z_]+(?:\.[A-Za-z_]\w*)+)(?![\w(])", span):
            if name.split(".")[0] in OWN and not name.endswith((".py", ".md", ".yaml", ".json", ".db")):
                names.add(name)
    return names


@pytest.mark.parametrize("name", sorted(_dotted_names(_text())))
def test_every_dotted_name_a_doc_gives_is_there(name: str) -> None:
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module("leadcli." + ".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            assert hasattr(target, attr), f"{name}: {'.'.join(parts[:cut])} has no {attr}"
            target = getattr(target, attr)
        return
    pytest.fail(f"{name}: no such module in leadcli")


def test_the_readme_links_only_to_files_that_exist() -> None:
    for path in DOCS:
        for link in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
            if not link.startswith(("http://", "https://")):
                assert (path.parent / link).exists(), f"{path.name} links to {link}, which does not exist"


def test_the_path_check_catches_a_module_that_is_not_there() -> None:
    named = _named_paths("`browse.py` and `render/report_terminal.py`, and\n```\n  reporting.py  gone\n```\n")
    assert named == {"browse.py", "render/report_terminal.py", "reporting.py"}
    files = _repository_files()
    assert not any(f.endswith(("/browse.py", "/report_terminal.py", "/reporting.py")) for f in files)


def test_the_changelog_opens_with_the_current_version() -> None:
    from leadcli import __version__

    sections = re.findall(r"^## (\S+)", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), flags=re.M)
    assert sections[0] == __version__, (
        f"CHANGELOG.md's top section is {sections[0]}, the version {__version__}"
    )


def test_the_json_schema_versions_in_the_docs_are_the_ones_the_code_writes() -> None:
    from leadcli.assessment.report import SCHEMA_VERSION
    from leadcli.render.data import CONTENT_SCHEMA_VERSION

    commands = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    assessment = (REPO / "docs" / "assessment.md").read_text(encoding="utf-8")
    said = {
        "commands.md, the JSON report": re.findall(
            r"`leadcli report -f json` prints one object; `schema_version` \(now `(\d+)`\)", commands
        ),
        "assessment.md": re.findall(r"Report JSON is `schema_version` (\d+)", assessment),
    }
    assert said == {where: [str(SCHEMA_VERSION)] for where in said}
    offerings = re.findall(r"\(`schema_version` (\d+), list and `show`\)", commands)
    assert offerings == [str(CONTENT_SCHEMA_VERSION)]
