"""`leadcli config`: defaults in a TOML file; explicit options and environment variables win."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("LEADCLI_CONFIG", str(path))
    return path


def leadcli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leadcli", *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_config_file_is_in_the_user_config_folder(isolated_home: Path) -> None:
    done = leadcli("config", "path")
    assert done.stdout.strip() == str(Path(os.environ["XDG_CONFIG_HOME"]) / "leadcli" / "config.toml")


def test_set_get_list_and_unset(config_file: Path) -> None:
    assert leadcli("config", "path").stdout.strip() == str(config_file)
    done = leadcli("config", "set", "interviewer", 'Kim "KL" Lee')
    assert done.returncode == 0, done.stderr
    assert "interviewer set in" in done.stderr
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_file.parent.stat().st_mode) == 0o700
    assert leadcli("config", "get", "interviewer").stdout == 'Kim "KL" Lee\n'
    listed = leadcli("config", "list").stdout
    assert 'interviewer = Kim "KL" Lee' in listed and "region = (not set)" in listed
    assert leadcli("config", "unset", "interviewer").returncode == 0
    assert leadcli("config", "get", "interviewer").stdout == ""


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("set", "colour", "red"),
            "unknown setting 'colour'; known: interviewer, region, database_url, format",
        ),
        (("set", "format", "pdf"), "'pdf' is not a format"),
        (("set", "database_url", "postgresql://kim:s3cret@db/leadcli"), "leave the password out"),
        (("set", "database_url", "postgresql://db/leadcli?password=s3cret"), "leave the password out"),
        (("set", "database_url", "mysql://db"), "a postgresql:// URL"),
        (("set", "region", "line\nbreak"), "one line"),
        (("get", "colour"), "unknown setting 'colour'"),
    ],
)
def test_refused_settings_are_one_line(config_file: Path, args: tuple[str, ...], said: str) -> None:
    done = leadcli("config", *args)
    assert done.returncode != 0
    assert said in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "s3cret" not in done.stderr
    assert not config_file.exists()


def test_a_broken_config_file_is_one_line_naming_it(config_file: Path) -> None:
    config_file.parent.mkdir()
    config_file.write_text('format = "json"\nformat = "csv"\n')
    done = leadcli("offerings")
    assert done.returncode == 1
    assert done.stderr.startswith(f"leadcli: error: {config_file}: not a TOML file")
    assert "Traceback" not in done.stderr


def test_the_format_default_applies_where_a_command_offers_it_and_options_win(config_file: Path) -> None:
    assert leadcli("config", "set", "format", "json").returncode == 0
    assert json.loads(leadcli("offerings").stdout)["count"] == 10
    assert json.loads(leadcli("offerings", "show", "fellowship").stdout)["id"] == "fellowship"
    assert not leadcli("offerings", "-f", "table").stdout.startswith("{")
    assert "[default: json]" in leadcli("list", "--help").stdout
    assert leadcli("config", "set", "format", "markdown").returncode == 0
    listed = leadcli("list")  # list offers no markdown: its own default stays
    assert listed.returncode == 0 and "[default: table]" in leadcli("list", "--help").stdout


@pytest.mark.parametrize("configured", ["markdown", "csv"])
def test_a_configured_format_a_command_cannot_write_falls_back_and_a_typed_one_is_refused(
    config_file: Path, configured: str
) -> None:
    assert leadcli("config", "set", "format", configured).returncode == 0
    done = leadcli("summary")  # markdown and csv are only for --demand: the summary is a table
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and "Interviews" in done.stdout
    assert leadcli("summary", "--demand").stdout.startswith("#" if configured == "markdown" else "domain")
    typed = leadcli("summary", "--format", configured)  # typed: still refused
    assert typed.returncode == 2
    assert typed.stderr == (
        f"leadcli: error: --format {configured} needs --demand; without it choose from: table, json\n"
    )


def test_the_database_url_default_and_the_environment_wins(config_file: Path) -> None:
    assert leadcli("config", "set", "database_url", "postgresql://kim@db.example/leadcli").returncode == 0
    assert leadcli("home").stdout.strip() == "postgresql://kim@db.example/leadcli"
    env = {"LEADCLI_DATABASE_URL": "postgresql://ana@other.example/team"}
    assert leadcli("home", env=env).stdout.strip() == "postgresql://ana@other.example/team"
    done = leadcli("--database-url", "postgresql://lee@third.example/x", "home", env=env)
    assert done.stdout.strip() == "postgresql://lee@third.example/x"


def test_an_answers_file_without_an_interviewer_takes_the_configured_one(
    config_file: Path, isolated_home: Path, tmp_path: Path
) -> None:
    from leadcli.store.db import Store

    bare = tmp_path / "bare.yaml"
    bare.write_text("organization: Acme\nanswers: {}\n", encoding="utf-8")
    refused = leadcli("interview", "--answers", str(bare))  # neither the file nor a setting names one
    assert refused.returncode == 1
    assert refused.stderr == (
        f"leadcli: error: {bare}:1: interviewer: required field is missing or blank (or give"
        " --interviewer, or set yours once with `leadcli config set interviewer NAME`)\n"
    )
    assert leadcli("config", "set", "interviewer", "Kim Lee").returncode == 0
    named = tmp_path / "named.yaml"
    named.write_text("organization: Beta\ninterviewer: Ana Ruiz\n", encoding="utf-8")
    no_org = tmp_path / "no-org.yaml"
    no_org.write_text("answers: {}\n", encoding="utf-8")
    ids = {}
    for key, args in {
        "bare": ("--answers", str(bare)),
        "named": ("--answers", str(named)),  # the file's own interviewer wins over the setting
        "option": ("--answers", str(named), "--interviewer", "Bo Chen"),  # and the option over both
        "org": ("--answers", str(no_org), "--org", "Gamma"),  # --org serves a file without one
    }.items():
        done = leadcli("interview", *args)
        assert done.returncode == 0, done.stderr
        ids[key] = done.stdout.strip()
    with Store.open(isolated_home) as store:
        got = {key: store.interviews.get(i) for key, i in ids.items()}
    assert {key: (r.organization, r.interviewer) for key, r in got.items()} == {
        "bare": ("Acme", "Kim Lee"),
        "named": ("Beta", "Ana Ruiz"),
        "option": ("Beta", "Bo Chen"),
        "org": ("Gamma", "Kim Lee"),
    }


def test_a_live_interview_takes_the_interviewer_and_region_from_the_config(
    config_file: Path, isolated_home: Path
) -> None:
    pexpect = pytest.importorskip("pexpect")
    from leadcli.store.db import Store

    assert leadcli("config", "set", "interviewer", "Kim Lee").returncode == 0
    assert leadcli("config", "set", "region", "Canada").returncode == 0
    child = pexpect.spawn(
        sys.executable,
        ["-m", "leadcli", "interview", "--org", "Acme", "--contact", "Ana Ruiz, CEO, executive"],
        env={**os.environ, "NO_COLOR": "1", "TERM": "xterm"},
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    child.expect("notes> ")  # no question for the interviewer or the region
    assert "Interviewer" not in (child.before or "")
    child.sendline("/pause")
    child.expect(pexpect.EOF)
    child.close()
    with Store.open(isolated_home) as store:
        [summary], _ = store.interviews.summaries()
        record = store.interviews.get(summary.id)
    assert (record.interviewer, record.region) == ("Kim Lee", "Canada")


def test_every_option_with_an_environment_variable_shows_it_in_help(isolated_home: Path) -> None:
    text = leadcli("--help").stdout
    for var in ("LEADCLI_DATA_DIR", "LEADCLI_HOME", "LEADCLI_DATABASE_URL"):
        assert var in text
