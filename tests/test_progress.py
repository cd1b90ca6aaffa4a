"""Progress of long work (export, import, summary, evaluate) on stderr: shown at a terminal, never
in a pipe or a log, and not with --quiet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from leadcli.progress import counted

pexpect = pytest.importorskip("pexpect")

COUNT = 40


@pytest.fixture
def store(run, tmp_path: Path, isolated_home: Path) -> Path:
    """A store of COUNT interviews (one recorded, copied under other ids through an import)."""
    from leadcli.store.interviews import numbered_id

    assert run("interview", "--answers", "examples/call-notes.yaml").exit_code == 0
    lines = [json.loads(line) for line in run("export", "-f", "jsonl").stdout.splitlines()]
    header, snapshot, record = lines[:3]
    many = [header, snapshot, *(dict(record, id=numbered_id(n), uid="") for n in range(1, COUNT))]
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in many), encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    return path


def _at_terminal(*args: str) -> str:
    """Everything a terminal shows while `leadcli ARGS` runs (stdout and stderr)."""
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    child = pexpect.spawn(
        sys.executable, ["-m", "leadcli", *args], env=env, encoding="utf-8", timeout=60, dimensions=(24, 100)
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return child.before


COMMANDS = {
    "export": (("export", "-f", "jsonl", "-o", "{out}"), f"exporting interviews.*{COUNT}/{COUNT}"),
    "export csv": (("export", "-f", "csv", "-o", "{out}"), f"exporting interviews.*{COUNT}/{COUNT}"),
    "import": (("import", "{file}"), r"importing many\.jsonl.*100%"),
    "summary": (("summary",), "assessing interviews"),
    "evaluate": (("evaluate",), f"reading interviews.*{COUNT}/{COUNT}"),
}


@pytest.mark.parametrize("name", COMMANDS)
def test_long_work_shows_progress_on_a_terminal_and_not_with_quiet(store: Path, tmp_path: Path, name) -> None:
    args, shown = COMMANDS[name]
    out = tmp_path / "out"
    args = tuple(a.format(out=out, file=store) for a in args)
    if name == "summary":  # levels kept by an earlier summary are counted, not assessed: start afresh
        from leadcli.store.db import Store

        with Store.open(Path(os.environ["LEADCLI_HOME"])) as opened, opened.transaction() as db:
            db.execute("DELETE FROM assessment_cache")
    import re

    screen = _at_terminal(*args)
    assert re.search(shown, screen), screen
    out.unlink(missing_ok=True)
    quiet = _at_terminal("--quiet", *args)
    assert not re.search(shown.split(".*")[0], quiet), quiet


@pytest.mark.parametrize("name", COMMANDS)
def test_no_progress_when_stderr_is_not_a_terminal(store: Path, tmp_path: Path, name) -> None:
    args, shown = COMMANDS[name]
    out = tmp_path / "out"
    args = tuple(a.format(out=out, file=store) for a in args)
    done = subprocess.run(
        [sys.executable, "-m", "leadcli", *args], capture_output=True, text=True, env=os.environ, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stderr
    assert shown.split(".*")[0] not in done.stderr
    for line in done.stderr.splitlines():
        assert line.startswith("leadcli: "), done.stderr  # only leadcli's own notes


def test_counted_reports_the_total_then_each_item_after_it_is_handled() -> None:
    seen: list[object] = []

    class Recorder:
        def start(self, total: int | None) -> None:
            seen.append(("start", total))

        def advance(self, amount: int = 1) -> None:
            seen.append(("advance", amount))

    for item in counted(["a", "b"], Recorder(), 2):
        seen.append(item)
    assert seen == [("start", 2), "a", ("advance", 1), "b", ("advance", 1)]


def test_a_file_name_in_the_progress_label_is_shown_literally(store: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "[reverse]HI\x1b]0;pwn\x07.jsonl"
    hostile.write_bytes(store.read_bytes())
    shown = _at_terminal("import", str(hostile))
    assert "importing [reverse]HI\\x1b]0;pwn\\x07.jsonl" in shown
    assert "\x1b]0;pwn" not in shown and "\x07" not in shown
    assert "\x1b[7m" not in shown  # the markup was not obeyed (reverse video)
