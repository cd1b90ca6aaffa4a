"""Every class of bad input in docs/errors.md's table: one line, a documented exit code, nothing lost.

(The data-file classes are in test_data_errors.py, answers files in test_cli_interview.py.)
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadcli.content.yamlfile import YamlFileError, parse_yaml
from leadcli.errors import ContentError, ExitCode, LeadcliError
from leadcli.interview.answers_file import load_answers_file
from leadcli.store.db import Store
from tests.reports_helpers import CONTENT

QUESTIONS = CONTENT.questions


def one_line_error(result, code: ExitCode) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("leadcli: error: ")
    return lines[0]


@pytest.fixture
def answered(run, tmp_path, fixed_ids, isolated_home):
    path = tmp_path / "a.yaml"
    path.write_text("organization: Acme\ninterviewer: Kim\nanswers: {track-record: {notes: kept}}\n")
    assert run("interview", "--answers", str(path)).exit_code == 0
    return isolated_home


def notes(home: Path) -> str:
    with Store.open(home) as store:
        return store.interviews.get("id0001").answers["track-record"].notes


# --- the store -----------------------------------------------------------------------------


def test_full_disk_changes_nothing(run, answered, monkeypatch) -> None:
    original = Store.open.__func__

    def full(cls, home, **kwargs):
        store = original(cls, home, **kwargs)
        pages = store.connection.execute("PRAGMA page_count").fetchone()[0]
        store.connection.execute(f"PRAGMA max_page_count = {pages}")
        return store

    big = answered.parent / "big.yaml"
    big.write_text(
        "organization: Acme\ninterviewer: Kim\nanswers: {track-record: {notes: '" + "x" * 200_000 + "'}}\n"
    )
    with monkeypatch.context() as patch:  # not monkeypatch.undo(): that would undo the isolated home too
        patch.setattr(Store, "open", classmethod(full))
        line = one_line_error(run("interview", "--answers", str(big)), ExitCode.ERROR)
    assert "is full; nothing was changed" in line
    assert notes(answered) == "kept"
    assert len(json.loads(run("list", "-f", "json").stdout)["interviews"]) == 1


def test_read_only_store(run, answered, monkeypatch, tmp_path) -> None:
    original = Store.open.__func__

    def read_only(cls, home, **kwargs):
        store = original(cls, home, **kwargs)
        store.connection.execute("PRAGMA query_only = ON")
        return store

    with monkeypatch.context() as patch:
        patch.setattr(Store, "open", classmethod(read_only))
        line = one_line_error(run("delete", "id0001", "--yes"), ExitCode.ERROR)
    assert "is read-only" in line
    assert notes(answered) == "kept"


def test_store_locked_by_another_process(run, answered, monkeypatch) -> None:
    original = Store.open.__func__

    def impatient(cls, home, **kwargs):
        store = original(cls, home, **kwargs)
        store.connection.execute("PRAGMA busy_timeout = 50")
        return store

    holder = sqlite3.connect(answered / "leadcli.db")
    holder.execute("BEGIN IMMEDIATE")
    try:
        with monkeypatch.context() as patch:
            patch.setattr(Store, "open", classmethod(impatient))
            line = one_line_error(run("delete", "id0001", "--yes"), ExitCode.ERROR)
    finally:
        holder.rollback()
        holder.close()
    assert "is locked by another process" in line
    assert notes(answered) == "kept"


def test_store_folder_is_a_file(run, tmp_path) -> None:
    blocker = tmp_path / "home"
    blocker.write_text("not a folder")
    line = one_line_error(run("--home", str(blocker), "list"), ExitCode.ERROR)
    assert line.startswith(f"leadcli: error: cannot open the store {blocker / 'leadcli.db'}")


def test_corrupt_store_file(run, isolated_home) -> None:
    (isolated_home / "leadcli.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    line = one_line_error(run("list"), ExitCode.ERROR)
    assert str(isolated_home / "leadcli.db") in line


# --- options and paths ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["offerings", "--max-price", "cheap"], ExitCode.USAGE, "--max-price: 'cheap' is not a number"),
        (["list", "--limit", "many"], ExitCode.USAGE, "--limit: 'many' is not a whole number"),
        (  # no far-fetched guess (click offered `--org`): the command's options, all of them
            ["list", "--bogus"],
            ExitCode.USAGE,
            "No such option: --bogus (the options are: --org, --status, --limit, --format, --quiet, --help)",
        ),
        (["list", "--stat"], ExitCode.USAGE, "No such option: --stat (did you mean --status?)"),
        (["offerings", "--max-price", "-5"], ExitCode.USAGE, "--max-price"),
        (["list", "--status", "done"], ExitCode.USAGE, "'draft', 'awaiting-reflection', 'complete'"),
        (["report", "--format", "pdf"], ExitCode.USAGE, "'table', 'markdown', 'html', 'json'"),
        (["report", "x", "--org", "y"], ExitCode.USAGE, "give an interview ID or --org, not both"),
        (["frameworks"], ExitCode.USAGE, "No such command 'frameworks'"),
        (["show"], ExitCode.USAGE, "Missing argument 'ID'"),
        (
            ["framework", "--domain", "vision"],
            ExitCode.USAGE,
            "no domain 'vision'; domains are: 1 (direction)",
        ),
        (["show", "nope"], ExitCode.ERROR, "no interview with id 'nope'"),
        (["reflect", "nope", "--answers", "x.yaml"], ExitCode.ERROR, "no interview with id 'nope'"),
        (
            ["--data-dir", "/no/such/folder", "offerings"],
            ExitCode.ERROR,
            "/no/such/folder: data directory not found",
        ),
        (["validate", "--data-dir", "README.md"], ExitCode.ERROR, "README.md: data directory not found"),
        (["import", "/no/such/export.json"], ExitCode.ERROR, "/no/such/export.json: file not found"),
        (["interview", "--answers", "/no/such/a.yaml"], ExitCode.ERROR, "/no/such/a.yaml: file not found"),
        (["interview", "--answers", "/tmp"], ExitCode.ERROR, "/tmp: is a directory, expected a YAML file"),
    ],
)
def test_bad_options_and_paths(run, args, code, expected) -> None:
    line = one_line_error(run(*args), code)
    assert expected in line


def test_output_into_a_missing_folder_writes_nothing(run, answered, tmp_path) -> None:
    target = tmp_path / "missing" / "report.md"
    line = one_line_error(run("report", "-f", "markdown", "-o", str(target)), ExitCode.ERROR)
    assert line == f"leadcli: error: cannot write {target}: the folder {target.parent} does not exist"
    assert not target.parent.exists()


def test_output_onto_a_folder(run, answered, tmp_path) -> None:
    line = one_line_error(run("export", "-o", str(tmp_path)), ExitCode.ERROR)
    assert line == f"leadcli: error: cannot write {tmp_path}: it is a folder"


# --- arbitrary text into the loaders --------------------------------------------------------

yaml_like = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from(
            ["a:", " b", "- c", "&x", "*x", "!!python/object:os.system", "<<: *x", "{", "}", "[", "]", ":",
             "organization: A", "interviewer: B", "answers:", "  track-record:", "    notes: x",
             "    cues: [nope]", "reflection: {verdict: strong}", "\t", "'", '"', "#", "\n", "---", "..."]
        ),
        max_size=30,
    ).map("\n".join),
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=yaml_like)
def test_yaml_loader_loads_or_reports(text: str) -> None:
    try:
        doc = parse_yaml(Path("fuzz.yaml"), text)
    except YamlFileError as exc:
        assert exc.problems
        assert all(p.startswith("fuzz.yaml") and "\n" not in p for p in exc.problems)
        return
    assert all(p.startswith("fuzz.yaml:") for p in doc.problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=yaml_like)
def test_answers_loader_loads_or_raises_its_own_error(text: str, tmp_path_factory) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        parsed = load_answers_file(path, QUESTIONS)
    except ContentError as exc:
        assert exc.problems
        assert all("\n" not in p for p in exc.problems)
        return
    assert parsed.organization and parsed.interviewer


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=200))
def test_any_bytes_as_an_answers_file(raw: bytes, tmp_path_factory) -> None:
    path = tmp_path_factory.mktemp("bytes") / "answers.yaml"
    path.write_bytes(raw)
    with contextlib.suppress(LeadcliError):  # a LeadcliError is fine; anything else fails the test
        load_answers_file(path, QUESTIONS)


def test_control_characters_in_yaml(run, tmp_path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("organization: A\x1f\n", encoding="utf-8")
    line = one_line_error(run("interview", "--answers", str(path)), ExitCode.ERROR)
    assert line == (
        f"leadcli: error: {path}:1: syntax: control characters are not allowed"
        " (character U+001F, which YAML does not allow)"
    )


def test_a_server_store_without_psycopg_says_what_to_install(run, monkeypatch) -> None:
    """Once `open` imported psycopg before the guarded import: 'internal error ... this is a bug'."""
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # what `import psycopg` meets when it is missing
    result = run("--database-url", "postgresql://kim@127.0.0.1:5432/team", "list")
    assert one_line_error(result, ExitCode.ERROR) == (
        'leadcli: error: a postgresql:// store needs psycopg: pip install "leadcli[postgres]"'
    )
