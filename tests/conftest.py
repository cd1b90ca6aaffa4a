"""Shared fixtures: every test runs with its own leadcli home and never sees the real one."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from typer.testing import CliRunner

from leadcli.cli import build_app
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
    monkeypatch.setenv("XDG_CONFIG_HOME", str(fake_user_home / "config"))
    monkeypatch.delenv("LEADCLI_CONFIG", raising=False)
    monkeypatch.delenv("LEADCLI_DATA_DIR", raising=False)
    monkeypatch.delenv("LEADCLI_DEBUG", raising=False)
    monkeypatch.delenv("LEADCLI_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    yield home


@pytest.fixture(scope="session")
def content():
    """The built-in content, validated once for the whole run (read-only: never change it)."""
    from tests.reports_helpers import CONTENT

    return CONTENT


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def run(runner: CliRunner):
    """Invoke leadcli with arguments; return the click Result."""

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(build_app(), list(args), input=input)

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
      - {id: who-decides, text: Who decides, domains: [direction], kind: strength}
      - {id: infrastructure, text: Infrastructure, domains: [foundation], kind: strength}
  - id: ideas
    number: 2
    category: Ideas
    prompts: [Where do ideas come from?]
    guidance: Inside and outside.
    domains: [ideas]
    cues:
      - {id: inside, text: Looks inside, domains: [ideas], kind: strength}
      - {id: outside, text: Looks outside, domains: [ideas], kind: strength}
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
    monkeypatch.setattr("leadcli.store.interviews.new_id", lambda: f"id{next(counter):04d}")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: tests the SQLite file itself; not run on PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked sqlite_only run only with the SQLite store_backend."""
    keep, drop = [], []
    for item in items:
        on_server = "[postgresql" in item.nodeid
        (drop if on_server and item.get_closest_marker("sqlite_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def empty_store(home: Path) -> None:
    """Empty the store of either backend (what deleting the SQLite file does): every record goes."""
    from leadcli.store.db import Store

    with Store.open(home) as store, store.transaction() as db:
        for table in ("outcomes", "interviews", "snapshots"):
            db.execute(f"DELETE FROM {table}")


# --- the PostgreSQL backend ---------------------------------------------------------------------
# Every test run gets a database of its own (dropped at the end), every test a schema in it.


def _try_connect(url: str) -> str | None:
    """None if `url` answers; else why not."""
    try:
        import psycopg
    except ImportError:
        return 'psycopg is not installed (pip install -e ".[test]")'
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]
    return None


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_user() -> list[str] | str:
    """The command prefix that runs the server binaries as a non-root user (they refuse root)."""
    if os.geteuid() != 0:
        return []
    import pwd

    runuser = shutil.which("runuser") or shutil.which("setpriv")
    if runuser is None:
        return "running as root, and neither runuser nor setpriv is installed to run initdb as another user"
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        if runuser.endswith("runuser"):
            return [runuser, "-u", name, "--"]
        entry = pwd.getpwnam(name)
        return [runuser, f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups"]
    return "running as root, and there is no postgres or nobody user to run initdb as"


def throwaway_cluster(
    *, disk_mb: int | None = None, settings: tuple[str, ...] = ()
) -> tuple[str, Callable[[], None]] | str:
    """Start a private cluster with the installed initdb/pg_ctl; its URL and how to stop it, or why not.

    As root the binaries run as the `postgres` (or `nobody`) user, in a folder given to that user
    (outside pytest's own temporary folders, which only root may enter). With `disk_mb`, its whole
    data directory (tables and WAL) is on a filesystem of that size of its own (a tmpfs: root only),
    which `cluster_disk(url)` fills and frees. `settings` are server settings (`name=value`).
    """
    bindirs = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    initdb = shutil.which("initdb") or next(
        (str(d / "initdb") for d in bindirs if (d / "initdb").exists()), None
    )
    if initdb is None:
        return "no PostgreSQL server binaries (initdb) installed"
    pg_ctl = str(Path(initdb).with_name("pg_ctl"))
    prefix = _as_user()
    if isinstance(prefix, str):
        return prefix
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="leadcli-pg-"))
    if prefix:
        owner = prefix[2] if prefix[1] == "-u" else None
        uid = int(prefix[1].split("=")[1]) if owner is None else None
        shutil.chown(base, user=owner if owner else uid)
    data, port = base / "pgdata", _free_port()
    disk: Disk | None = None
    if disk_mb is not None:
        mounted = _mount_tmpfs(base / "disk", disk_mb)
        if isinstance(mounted, str):
            shutil.rmtree(base, ignore_errors=True)
            return mounted
        disk = mounted
        data = disk.path / "pgdata"
        data.mkdir(mode=0o700)
        if prefix:
            for folder in (disk.path, data):
                shutil.chown(folder, user=owner if owner else uid)
    options = " ".join(f"-c {setting}" for setting in settings)
    try:
        subprocess.run(
            [*prefix, initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-w", "-l", str(base / "log"), "-o",
             f"-p {port} -k {base} -h 127.0.0.1 {options}", "start"],
            check=True,
            capture_output=True,
        )  # fmt: skip
    except (subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        if disk is not None:
            disk.unmount()
        shutil.rmtree(base, ignore_errors=True)
        return f"a throwaway cluster did not start: {detail.decode(errors='replace').strip() or exc}"

    def stop() -> None:
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-m", "fast", "stop"], check=False, capture_output=True
        )
        if disk is not None:
            disk.unmount()
        shutil.rmtree(base, ignore_errors=True)

    def restart() -> None:
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-w", "-m", "fast", "-l", str(base / "log"), "restart"],
            check=True,
            capture_output=True,
        )

    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    _restarts[url] = restart
    if disk is not None:
        _disks[url] = disk
    return url, stop


_restarts: dict[str, Callable[[], None]] = {}
_disks: dict[str, Disk] = {}


def cluster_disk(url: str) -> Disk:
    """The filesystem the throwaway cluster `url` names has its data directory on (`disk_mb`)."""
    return _disks[url]


def restart_cluster(url: str) -> None:
    """Restart (fast: every session is ended) the throwaway cluster `url` names; it keeps its port."""
    _restarts[url]()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    """The URL of a fresh database for this test run, or None (with pytest's skip reason kept)."""
    import psycopg

    server = os.environ.get("LEADCLI_TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
    stop: Callable[[], None] | None = None
    why = _try_connect(server)
    if why and not os.environ.get("LEADCLI_TEST_DATABASE_URL"):
        started = throwaway_cluster()
        if isinstance(started, str):
            why = f"{why}; {started}"
        else:
            server, stop = started
            why = _try_connect(server)
    if why:
        if stop:
            stop()
        _postgres_unavailable.append(f"no PostgreSQL server for the tests: {why}")
        yield None
        return
    name = f"leadcli_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if stop:
            stop()


_postgres_unavailable: list[str] = []


def migrate_server(url: str) -> None:
    """Bring a server store's schema up to date, as its owner would with `leadcli admin migrate`."""
    from leadcli.store.dialects.postgres import POSTGRES
    from leadcli.store.migrations import migrate

    connection = POSTGRES.connect(url)
    try:
        migrate(connection)
    finally:
        connection.close()


def require_postgres(url: str | None) -> str:
    if url is None:
        reason = _postgres_unavailable[0] if _postgres_unavailable else "no PostgreSQL server"
        if os.environ.get("LEADCLI_REQUIRE_POSTGRES"):
            pytest.fail(f"LEADCLI_REQUIRE_POSTGRES is set but {reason}", pytrace=False)
        pytest.skip(reason)
    return url


@pytest.fixture
def postgres_url(postgres_database: str | None) -> Iterator[str]:
    """A URL to an empty schema of its own in the test run's database."""
    import psycopg

    base = require_postgres(postgres_database)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    migrate_server(url)
    yield url
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test on each store: SQLite in the home folder, and a PostgreSQL schema of its own.

    The PostgreSQL run sets LEADCLI_DATABASE_URL, so commands (in this process or another) use the
    server, and so does a test's own `Store.open(home)`.
    """
    if request.param == "postgresql":
        from leadcli.store.db import Store

        url = request.getfixturevalue("postgres_url")
        monkeypatch.setenv("LEADCLI_DATABASE_URL", url)
        opener = Store.open.__func__  # type: ignore[attr-defined]

        def open_on_server(cls, home, *, url: str | None = url, migrate_upto: str | None = None):
            return opener(cls, home, url=url, migrate_upto=migrate_upto)

        monkeypatch.setattr(Store, "open", classmethod(open_on_server))
    return request.param


class Disk:
    """A filesystem of its own (a tmpfs), and a way to fill it up to the last block and free it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.filler = path / "filler"

    def fill(self) -> None:
        """Write until the disk is full, to the last block."""
        with self.filler.open("ab", buffering=0) as out:
            for size in (65536, 512):
                try:
                    while True:
                        out.write(b"\0" * size)
                except OSError:
                    continue

    def free(self) -> None:
        self.filler.unlink()

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], check=False)


def _mount_tmpfs(path: Path, megabytes: int) -> Disk | str:
    """A tmpfs of `megabytes` mounted at `path` (made here), or why not (it needs root)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return "a small filesystem of its own needs root (mount -t tmpfs)"
    path.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0700", "tmpfs", str(path)],
        check=False,
        capture_output=True,
    )
    if done.returncode != 0:
        return f"cannot mount a tmpfs here: {done.stderr.decode().strip()}"
    return Disk(path)


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 32 MB filesystem of its own (tmpfs; needs root), and a way to fill it up and free it.

    Filling takes it to the last block whatever its size; freeing gives back only what was free
    then, and the stores' write-ahead logs keep growing after that (a few hundred KB a write until
    a checkpoint), so it must be large enough that the rest of an interview fits: at 4 MB the logs
    filled it again, at a moment that depended on the checkpoints (the test was flaky)."""
    disk = _mount_tmpfs(tmp_path / "disk", 32)
    if isinstance(disk, str):
        pytest.skip(disk)
    yield disk
    disk.unmount()
