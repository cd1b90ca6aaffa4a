"""`leadcli list`, `show`, `delete` and `home`: the recorded interviews through the typer app."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from leadcli.store.db import Store
from tests.interview_helpers import HOSTILE, stored

# Every test here runs on both stores (SQLite and PostgreSQL; see conftest.store_backend).
pytestmark = pytest.mark.usefixtures("store_backend")


@pytest.fixture
def three(run, tmp_path, fixed_ids):
    for org, verdict in (("Acme Health", "strong"), ("Beta Care", None), ("Acme Clinics", None)):
        text = f"organization: {org}\ninterviewer: Kim\nanswers:\n  track-record: {{notes: '{HOSTILE}'}}\n"
        if verdict:
            text += f"reflection: {{verdict: {verdict}}}\n"
        path = tmp_path / f"{org}.yaml"
        path.write_text(text, encoding="utf-8")
        assert run("interview", "--answers", str(path)).exit_code == 0
    return ["id0001", "id0002", "id0003"]


def test_list_filters_and_formats(run, three) -> None:
    rows = json.loads(run("list", "--format", "json").stdout)["interviews"]
    assert [r["id"] for r in rows] == ["id0003", "id0002", "id0001"]
    assert rows[2]["verdict"] == "strong"
    assert rows[0]["explored"] == 1
    assert rows[0]["questions"] == 5
    acme = json.loads(run("list", "--org", "acme", "-f", "json").stdout)["interviews"]
    assert {r["organization"] for r in acme} == {"Acme Health", "Acme Clinics"}
    complete = json.loads(run("list", "--status", "complete", "-f", "json").stdout)["interviews"]
    assert [r["id"] for r in complete] == ["id0001"]
    table = run("list").stdout
    assert "Beta Care" in table
    assert "3 interviews" in table
    csv_out = run("list", "-f", "csv").stdout.splitlines()
    assert csv_out[0].startswith("id,organization,interviewer")
    assert len(csv_out) == 4


def test_show_prints_user_text_literally(run, three) -> None:
    result = run("show", "id0002")
    assert result.exit_code == 0
    assert HOSTILE in result.stdout
    assert "[not explored]" in result.stdout
    data = json.loads(run("show", "id0002", "--format", "json").stdout)
    assert data["answers"]["track-record"]["notes"] == HOSTILE


def test_long_note_round_trips(run, tmp_path, fixed_ids, isolated_home) -> None:
    note = ("Twenty thousand characters of notes, " * 600)[:20_000]
    path = tmp_path / "long.yaml"
    path.write_text(
        "organization: A\ninterviewer: B\nanswers:\n  track-record:\n    notes: " + json.dumps(note) + "\n",
        encoding="utf-8",
    )
    run("interview", "--answers", str(path))
    assert stored(isolated_home, "id0001").answers["track-record"].notes == note
    shown = json.loads(run("show", "id0001", "-f", "json").stdout)
    assert shown["answers"]["track-record"]["notes"] == note


def test_unknown_and_ambiguous_ids(run, three) -> None:
    unknown = run("show", "zzz")
    assert unknown.exit_code == 1
    assert (
        unknown.stderr
        == "leadcli: error: no interview with id 'zzz'\nleadcli: see `leadcli list` for the ids\n"
    )
    ambiguous = run("show", "id")
    assert ambiguous.exit_code == 2
    assert "'id' matches several interviews (id0001, id0002, id0003)" in ambiguous.stderr


def test_delete_asks_and_yes_skips(run, three, keyboard) -> None:
    refused = run("delete", "id0001")
    assert refused.exit_code == 2
    assert "add --yes" in refused.stderr
    keyboard("n")
    kept = run("delete", "id0001")
    assert kept.exit_code == 0
    assert "nothing deleted" in kept.stderr
    keyboard("y")
    assert run("delete", "id0001").exit_code == 0
    assert run("delete", "id0002", "--yes").stderr == "leadcli: deleted interview id0002\n"
    assert [r["id"] for r in json.loads(run("list", "-f", "json").stdout)["interviews"]] == ["id0003"]


@pytest.mark.sqlite_only  # the file and folder modes of the SQLite store
def test_home_and_file_modes(run, three, isolated_home) -> None:
    assert run("home").stdout == f"{isolated_home / 'leadcli.db'}\n"
    assert stat.S_IMODE(isolated_home.stat().st_mode) == 0o700
    for name in ("leadcli.db", "leadcli.db-wal"):
        path = isolated_home / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


@pytest.mark.sqlite_only  # the file and folder modes of the SQLite store
def test_home_option_and_fresh_folder_is_private(run, tmp_path) -> None:
    home = tmp_path / "new" / "home"
    assert json.loads(run("--home", str(home), "list", "-f", "json").stdout)["interviews"] == []
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "leadcli.db").stat().st_mode) == 0o600


def test_two_processes_writing_at_once_lose_nothing(tmp_path, isolated_home) -> None:
    script = textwrap.dedent("""\
        import os
        import sys
        from pathlib import Path
        from leadcli.content.loader import load_content
        from leadcli.paths import builtin_data_dir
        from leadcli.interview.session import begin_interview
        from leadcli.store.db import Store
        from leadcli.store.records import Answer
        content = load_content(builtin_data_dir())
        with Store.open(Path(sys.argv[1]), url=os.environ.get("LEADCLI_DATABASE_URL")) as store:
            for n in range(40):
                record = begin_interview(store, content, organization=f"{sys.argv[2]} {n}",
                                         interviewer="x", region="", contacts=[])
                store.interviews.save_answer(record.id, Answer(question_id="track-record", notes=f"note {n}"))
        """)
    env = {**os.environ, "LEADCLI_HOME": str(isolated_home)}
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(isolated_home), name], env=env)
        for name in ("left", "right")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with Store.open(isolated_home) as store:
        rows, total = store.interviews.summaries()
        assert total == 80
        assert len(rows) == 80
        assert all(r.explored == 1 for r in rows)


def test_list_limit(run, tmp_path, fixed_ids) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("organization: Acme\ninterviewer: Kim\n", encoding="utf-8")
    for _ in range(4):
        run("interview", "--answers", str(path))
    table = run("list", "--limit", "2").stdout
    assert "the 2 most recent of 4 interviews; --limit 0 for all" in table
    assert "id0004" in table and "id0001" not in table
    assert len(json.loads(run("list", "-f", "json").stdout)["interviews"]) == 4
    assert [r["id"] for r in json.loads(run("list", "-f", "json", "-n", "1").stdout)["interviews"]] == [
        "id0004"
    ]
    assert run("list", "--limit", "-1").exit_code == 2


def test_output_never_replaces_a_device_pipe_or_link_and_dash_is_stdout(run, three, tmp_path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    link = tmp_path / "link.html"
    link.symlink_to(tmp_path / "elsewhere.html")
    for target in (pipe, link, Path(os.devnull)):
        result = run("report", "-f", "html", "-o", str(target), "--force")
        assert result.exit_code == 1
        assert result.stderr == (
            f"leadcli: error: cannot write {target}: it is not a regular file (leadcli writes only to files)\n"
        )
    assert stat.S_ISFIFO(pipe.lstat().st_mode) and link.is_symlink()
    dashed = run("report", "-f", "markdown", "-o", "-")
    assert dashed.exit_code == 0 and dashed.stdout.startswith("# Leadership assessment")
    assert not Path("-").exists()


def test_closed_stdout_is_one_line(tmp_path, isolated_home) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import os, sys; os.close(1); sys.stdout = None; "
         "sys.argv = ['leadcli', 'list']; from leadcli.cli import main; main()"],
        env={**os.environ, "LEADCLI_HOME": str(isolated_home)}, capture_output=True, text=True,
        check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == "leadcli: error: cannot write output: standard output is closed\n"
