"""Tab completion in real bash, zsh and fish (driven in tmux): what the shell inserts reaches leadcli intact.

After TAB completes an organization, the test moves to the start of the line and puts `args` (a
function that prints each argument in brackets) in front of it, so the screen shows exactly the
words the shell would pass to leadcli.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from leadcli.store.db import Store

ORGS = (
    "St Mary's Health (example)",
    'Ward "A" Clinic',
    "Zeta & Co; Tests",
    "Quux $(touch pwned) `id` Co",
    "*",
)
SHELLS = ("bash", "zsh", "fish")


def _need(program: str) -> None:
    if shutil.which(program) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed (.ci/run installs it)", pytrace=False)
        pytest.skip(f"{program} is not installed")


@pytest.fixture
def shell_home(tmp_path: Path) -> Path:
    from tests.reports_helpers import make_interview

    home = tmp_path / "leadcli-home"
    with Store.open(home) as store:
        for number, name in enumerate(ORGS):
            store.interviews.insert(make_interview(interview_id=f"abc23{number + 2}", organization=name))
    return home


class Tmux:
    """One shell in a private tmux server, typed at with send-keys and read with capture-pane."""

    def __init__(self, tmp_path: Path, command: list[str], env: dict[str, str]) -> None:
        self.socket = f"leadcli-test-{uuid.uuid4().hex[:8]}"
        self.env = env
        self._tmux("new-session", "-d", "-x", "200", "-y", "40", "-s", "t", *command)

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            check=False,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        return done.stdout

    def send(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "t", "-l", text)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t", "-S", "-200")

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def close(self) -> None:
        self._tmux("kill-server")


def _shell(tmp_path: Path, shell: str, home: Path, *, zsh_fpath: bool = False) -> Tmux:
    _need("tmux")
    _need(shell)
    fake_home = tmp_path / "user"
    fake_home.mkdir()
    bin_dir = Path(sys.executable).parent
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(fake_home),
        "XDG_CONFIG_HOME": str(fake_home / ".config"),
        "XDG_DATA_HOME": str(fake_home / ".local/share"),
        "LEADCLI_HOME": str(home),
        "TERM": "xterm",
        "LANG": "C.UTF-8",
        "PS1": "$ ",
    }
    if shell == "bash":
        session = Tmux(tmp_path, ["bash", "--norc", "--noprofile"], env)
        session.type('args() { for a; do printf "[%s]\\n" "$a"; done; }; eval "$(leadcli completion bash)"')
    elif shell == "zsh":
        session = Tmux(tmp_path, ["zsh", "-f"], env)
        if zsh_fpath:  # the README's way: the script in a folder on $fpath, then compinit
            folder = fake_home / "zfunc"
            folder.mkdir()
            script = subprocess.run(
                ["leadcli", "completion", "zsh"], env=env, capture_output=True, text=True, check=True
            ).stdout
            (folder / "_leadcli").write_text(script)
            session.type(f"fpath=({folder} $fpath); autoload -Uz compinit && compinit -u; bindkey -e")
        else:
            session.type('bindkey -e; eval "$(leadcli completion zsh)"')
        session.send("Enter")
        session.type('args() { for a; do printf "[%s]\\n" "$a"; done; }')
    else:
        session = Tmux(tmp_path, ["fish", "--no-config"], env)
        session.type(
            "function args; for a in $argv; printf '[%s]\\n' $a; end; end; leadcli completion fish | source"
        )
    session.send("Enter")
    session.type("echo READY")
    session.send("Enter")
    session.wait_for("\nREADY")
    return session


def _last_line(session: Tmux) -> str:
    lines = [line for line in session.screen().splitlines() if line.strip()]
    return lines[-1].rstrip() if lines else ""


def _complete_and_show(session: Tmux, typed: str) -> str:
    session.type(typed)
    deadline = time.monotonic() + 20
    while not _last_line(session).endswith(typed) and time.monotonic() < deadline:
        time.sleep(0.05)
    before = _last_line(session)
    session.send("Tab")
    while _last_line(session) == before and time.monotonic() < deadline + 20:
        time.sleep(0.05)  # leadcli answers; the shell inserts (slow on a loaded machine)
    time.sleep(0.2)
    session.send("C-a")
    session.type("args ")
    session.send("C-e")
    session.type(" END")
    session.send("Enter")
    return session.wait_for("[END]")


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("leadcli report --org St", ORGS[0]),
        ("leadcli report --org 'St", ORGS[0]),
        ('leadcli report --org "St', ORGS[0]),
        ("leadcli report --org War", ORGS[1]),
        ("leadcli report --org Zet", ORGS[2]),
        ("leadcli report --org Quu", ORGS[3]),  # shell syntax in a name inserted as text, never run
        ("leadcli report --org 'Quu", ORGS[3]),
        ('leadcli report --org "Quu', ORGS[3]),
        ("leadcli report --org \\*", ORGS[4]),  # a value is never globbed against the folder's files
    ],
)
def test_an_organization_completed_in_a_real_shell_reaches_leadcli_intact(
    tmp_path: Path, shell_home: Path, shell: str, typed: str, expected: str
) -> None:
    session = _shell(tmp_path, shell, shell_home)
    try:
        screen = _complete_and_show(session, typed)
    finally:
        session.close()
    assert f"[{expected}]" in screen, screen
    assert "[--org]" in screen and "[report]" in screen


def test_zsh_completes_on_the_first_tab_when_installed_on_fpath(tmp_path: Path, shell_home: Path) -> None:
    session = _shell(tmp_path, "zsh", shell_home, zsh_fpath=True)
    try:
        screen = _complete_and_show(session, "leadcli report --org St")
    finally:
        session.close()
    assert f"[{ORGS[0]}]" in screen, screen


@pytest.mark.parametrize("shell", SHELLS)
def test_commands_complete_in_a_real_shell(tmp_path: Path, shell_home: Path, shell: str) -> None:
    session = _shell(tmp_path, shell, shell_home)
    try:
        screen = _complete_and_show(session, "leadcli offe")
    finally:
        session.close()
    assert "[offerings]" in screen, screen
