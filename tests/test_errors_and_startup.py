"""Exit codes, error reporting, and what start-up imports."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from leadcli.errors import ExitCode


def test_exit_code_values() -> None:
    assert [(c.name, int(c)) for c in ExitCode] == [
        ("OK", 0),
        ("ERROR", 1),
        ("USAGE", 2),
        ("INTERRUPTED", 130),
    ]


def test_exit_ok(run) -> None:
    assert run("framework").exit_code == ExitCode.OK


def test_exit_error_for_unknown_id(run) -> None:
    assert run("offerings", "show", "nothing-like-this").exit_code == ExitCode.ERROR


def test_exit_usage_for_bad_option(run) -> None:
    assert run("framework", "--no-such-option").exit_code == ExitCode.USAGE


def test_exit_interrupted_on_ctrl_c(run, monkeypatch) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("leadcli.content.catalog.find_offerings", interrupted)
    result = run("offerings")
    assert result.exit_code == ExitCode.INTERRUPTED
    assert result.stderr.strip() == "leadcli: interrupted"


def test_unexpected_error_prints_no_traceback_or_locals(run, monkeypatch) -> None:
    def broken(*args, **kwargs):
        secret = "confidential note"  # noqa: F841 - a local a traceback would show
        raise RuntimeError("boom")

    monkeypatch.setattr("leadcli.content.catalog.find_offerings", broken)
    result = run("offerings")
    assert result.exit_code == ExitCode.ERROR
    assert "Traceback" not in result.output
    assert "confidential" not in result.output
    assert result.stderr.startswith("leadcli: internal error: RuntimeError: boom\n")


def _modules_after(args: list[str], env_home: str) -> set[str]:
    code = (
        "import sys\n"
        "from leadcli.cli import build_app, command_named\n"
        "try:\n"
        f"    build_app(command_named({args!r}))({args!r}, prog_name='leadcli')\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('MODULES=' + ' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"LEADCLI_HOME": env_home, "PATH": "/usr/bin:/bin", "HOME": env_home},
    )
    return set(done.stderr.split("MODULES=", 1)[1].split())


def test_help_imports_no_content_or_store_machinery(isolated_home) -> None:
    modules = _modules_after(["--help"], str(isolated_home))
    assert not {"pydantic", "yaml", "sqlite3", "leadcli.content.loader"} & modules


def test_offerings_reads_cached_content_without_validating_again(isolated_home) -> None:
    # typer itself imports pydantic to coerce options, so the check is on leadcli's own layers.
    first = _modules_after(["offerings", "--format", "json"], str(isolated_home))
    assert {
        "yaml",
        "leadcli.content.validation",
    } <= first  # the first run validates, fills the cache
    second = _modules_after(["offerings", "--audience", "executive"], str(isolated_home))
    assert not {"yaml", "leadcli.content.validation", "leadcli.content.yamlfile"} & second


def test_a_fresh_home_is_private_from_the_first_command(run, tmp_path, monkeypatch) -> None:
    # `offerings` only writes the content cache; the home and its missing parents are made
    # owner-only on the way, not left at the umask's 0755 until a store command tightens them.
    home = tmp_path / "home3" / "sub"
    monkeypatch.setenv("LEADCLI_HOME", str(home))
    assert run("offerings").exit_code == 0
    for folder in (home / "cache", home, home.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_cache_is_private_and_rebuilt_when_corrupt(run, isolated_home) -> None:
    before = json.loads(run("offerings", "--format", "json").stdout)
    cache_files = list((isolated_home / "cache").glob("content-*.json"))
    assert len(cache_files) == 1
    assert (isolated_home / "cache").stat().st_mode & 0o777 == 0o700
    assert cache_files[0].stat().st_mode & 0o777 == 0o600
    cache_files[0].write_bytes(b"not JSON")
    after = json.loads(run("offerings", "--format", "json").stdout)
    assert after == before


def test_cache_follows_edits_of_the_data(run, data_copy) -> None:
    assert "Diagnostics" in run("--data-dir", str(data_copy), "offerings").stdout
    path = data_copy / "offerings.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("name: Diagnostics", "name: Diagnostic Review"),
        encoding="utf-8",
    )
    assert "Diagnostic Review" in run("--data-dir", str(data_copy), "offerings").stdout


def test_a_run_registers_only_the_command_it_runs() -> None:
    from leadcli.cli import build_app, command_named

    assert command_named(["offerings", "--audience", "executive"]) == "offerings"
    assert command_named(["--data-dir", "report", "list"]) == "list"  # "report" is the option's value
    assert command_named(["--database-url", "postgresql://x/y", "show", "id"]) == "show"
    assert command_named(["--help"]) is None and command_named([]) is None
    assert command_named(["frameworkz"]) is None  # unknown: the whole app, which suggests a name
    one = build_app("framework")
    assert [c.name for c in one.registered_commands] == ["framework"] and not one.registered_groups


def test_app_registers_every_command_in_the_order_users_meet_them() -> None:
    from leadcli.cli import build_app

    app = build_app()
    names = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    assert names == [
        "interview", "reflect", "report", "list", "show", "delete", "assign", "history", "summary", "outcome",
        "evaluate", "export", "import", "audit", "framework", "validate", "schema", "sync", "home", "completion",
        "offerings", "questions", "admin", "config",
    ]  # fmt: skip


def test_python_m_leadcli_runs_a_command_with_global_options(isolated_home, data_copy) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "leadcli", "--data-dir", str(data_copy), "offerings", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"LEADCLI_HOME": str(isolated_home), "PATH": "/usr/bin:/bin", "HOME": str(isolated_home)},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["count"] == 10


def _cache_entry(home: Path) -> Path:
    (entry,) = (home / "cache").glob("content-*.json")
    return entry


def _planted_payload(marker: Path) -> dict:
    """Cache data that would make a file if anything in it were ever run or imported."""
    return {"key": "x", "content": {"__kind__": "os.system", "command": f"touch {marker}"}}


def test_cache_cannot_run_code_whatever_is_planted_in_it(run, isolated_home, tmp_path) -> None:
    import pickle

    before = run("offerings", "--format", "json").stdout
    entry = _cache_entry(isolated_home)
    marker = tmp_path / "ran"

    class Planted:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    # A pickle planted where an old leadcli kept its cache, and a JSON entry naming foreign code.
    entry.with_suffix(".pickle").write_bytes(pickle.dumps(Planted()))
    key = json.loads(entry.read_text(encoding="utf-8"))["key"]
    entry.write_text(json.dumps({**_planted_payload(marker), "key": key}), encoding="utf-8")
    assert run("offerings", "--format", "json").stdout == before
    assert not marker.exists()
    assert json.loads(entry.read_text(encoding="utf-8"))["content"]["__kind__"] == "Content"  # rebuilt


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX owners and modes")
def test_cache_written_by_others_is_never_read(run, isolated_home, data_copy) -> None:
    run("--data-dir", str(data_copy), "offerings")
    entry = _cache_entry(isolated_home)
    forged = json.loads(entry.read_text(encoding="utf-8"))
    forged["content"]["catalog"]["offerings"][0]["name"] = "Forged Offering"
    entry.write_text(json.dumps(forged), encoding="utf-8")
    entry.chmod(0o666)  # anyone could have written it
    assert "Forged Offering" not in run("--data-dir", str(data_copy), "offerings").stdout
    entry.write_text(json.dumps(forged), encoding="utf-8")
    entry.chmod(0o600)
    entry.parent.chmod(0o777)  # its folder is open to anyone
    assert "Forged Offering" not in run("--data-dir", str(data_copy), "offerings").stdout
    if os.geteuid() == 0:  # only root can give a file away to test a foreign owner
        entry.parent.chmod(0o700)
        entry.write_text(json.dumps(forged), encoding="utf-8")
        entry.chmod(0o600)
        os.chown(entry, 4242, -1)
        assert "Forged Offering" not in run("--data-dir", str(data_copy), "offerings").stdout
    entry.parent.chmod(0o700)
    entry.write_text(json.dumps(forged), encoding="utf-8")
    os.chown(entry, os.getuid(), -1)
    entry.chmod(0o600)
    assert "Forged Offering" in run("--data-dir", str(data_copy), "offerings").stdout  # the check is real


def test_editing_one_data_folder_never_evicts_another(run, isolated_home, data_copy) -> None:
    run("offerings")
    builtin = _cache_entry(isolated_home)
    builtin_bytes = builtin.read_bytes()
    path = data_copy / "offerings.yaml"
    for n in range(12):
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("name: Diagnostics", f"name: Diagnostics {n}", 1)
            if n == 0
            else text.replace(f"name: Diagnostics {n - 1}", f"name: Diagnostics {n}"),
            encoding="utf-8",
        )
        assert f"Diagnostics {n}" in run("--data-dir", str(data_copy), "offerings").stdout
    entries = sorted((isolated_home / "cache").glob("content-*.json"))
    assert len(entries) == 2  # one per data folder, replaced on each edit
    assert builtin.read_bytes() == builtin_bytes
