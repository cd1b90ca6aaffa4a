"""Faults on the PostgreSQL team store during a live interview, injected through a TCP proxy of the
tests' own (tests.faultproxy) in front of a throwaway cluster of their own (restarted at will).

Each test types the same interview (tests.capture_helpers.LINES) with one fault part-way, compares
the whole transcript with the fault-free one plus the status lines leadcli adds, and checks that
every typed word is in the team store after recovery.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest

from tests.capture_helpers import (
    ARGS,
    CUES1,
    LINES,
    NOTES1,
    NOTES2,
    NOTES3,
    NOTES4,
    RATING1,
    assert_every_word_stored,
    captures,
    expected,
    failing,
    install,
    no_watch,
    normalized,
    run_baseline,
    same,
    script_with,
    synced,
    until,
)
from tests.conftest import migrate_server, require_postgres, restart_cluster, throwaway_cluster
from tests.faultproxy import FaultProxy

WAITING = "saved on this machine; {} waiting for the team store"
REACHED = "all lines reached the team store"


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A throwaway cluster for this module (its URL): restarted, timed out and cut off at will."""
    started = throwaway_cluster()
    if isinstance(started, str):
        require_postgres(None)
        pytest.skip(started)
    url, stop = started
    try:
        yield url
    finally:
        stop()


@pytest.fixture
def database(cluster: str) -> Iterator[str]:
    """A database of this test's own on the cluster (its direct URL, not through the proxy)."""
    import psycopg

    name = f"capture_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(cluster, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = cluster.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(url, autocommit=True) as admin:  # leadcli's schema, as its owner sets it up
        admin.execute("CREATE SCHEMA leadcli")
    migrate_server(url)
    yield url
    with psycopg.connect(cluster, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def proxy(database: str) -> Iterator[FaultProxy]:
    from urllib.parse import urlsplit

    port = urlsplit(database).port
    with FaultProxy(("127.0.0.1", port)) as faults:
        yield faults


@pytest.fixture
def fast_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """leadcli's bounds made short, so a test waits seconds for them, not minutes. Only for faults
    that need a bound to end them (a hang, a timeout): a dropped network fails at once, and a bound
    of 2 s on a push (`sync`) fails a slow machine's push that would have gone through (that made
    the id-clash test flaky under load)."""
    from leadcli.interview import capture
    from leadcli.store.dialects import postgres

    monkeypatch.setattr(postgres, "CONNECT_TIMEOUT", 2)
    monkeypatch.setattr(capture, "PUSH_SECONDS", 2.0)
    monkeypatch.setattr(capture, "SLOW_SECONDS", 0.5)


def _team(database: str):
    from leadcli.store.db import Store

    return Store.open(None, url=database)  # type: ignore[arg-type]


def _stored(database: str):
    with _team(database) as store:
        return store.interviews.get(store.interviews.ids()[-1])


def _interview(run, tiny_data, url: str):
    return run("--database-url", url, "--data-dir", str(tiny_data), *ARGS)


def test_a_dropped_connection_keeps_typing_and_every_line_reaches_the_server(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, database, proxy, fast_bounds
) -> None:
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    made = captures(monkeypatch)
    script = script_with(
        {1: [synced(made), proxy.drop], 3: [failing(made)], 4: [proxy.passing, synced(made)]}
    )
    install(monkeypatch, script)
    result = _interview(run, tiny_data, proxy.url(database))
    assert result.exit_code == 0, result.output
    same(
        normalized(result.stdout),
        expected(baseline, {CUES1: [WAITING.format("2 lines")], RATING1: [REACHED]}),
    )
    assert result.stderr == ""
    assert_every_word_stored(_stored(database))
    assert proxy.connections >= 2  # it came back on a new connection


def test_the_open_interview_deleted_on_the_server_is_said_and_stored_again(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, database, proxy
) -> None:
    """A colleague's `delete ID --take-over` on the team server under a typist whose lines reach it
    through the pusher: said as on SQLite, stored again whole, and open in this terminal again
    (found by the push of the next line: the pusher's own look for a delete is kept out)."""
    from leadcli.store.leases import LeaseHeld

    no_watch(monkeypatch)
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    made = captures(monkeypatch)
    refused: list[str] = []

    def delete(take_over: bool = True) -> None:
        with _team(database) as colleague:
            try:
                colleague.interviews.delete(made[-1].record.id, take_over=take_over)
            except LeaseHeld as held:
                refused.append(held.message)

    script = script_with(
        {
            1: [synced(made)],
            5: [synced(made), delete],
            6: [synced(made)],
            8: [lambda: delete(False)],
            10: [synced(made)],
        }
    )
    install(monkeypatch, script)
    result = _interview(run, tiny_data, proxy.url(database))
    assert result.exit_code == 0, result.output
    same(
        normalized(result.stdout),
        expected(
            baseline,
            {
                NOTES4: [
                    "interview ID was deleted from the store; it is kept on this machine",
                    "interview ID is in the store again, whole, from this machine's copy",
                ]
            },
        ),
    )
    assert refused and "it was not deleted" in refused[0]
    assert_every_word_stored(_stored(database))


def test_a_delete_on_the_server_while_nothing_is_typed_is_said_within_seconds_and_stored_again(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, database
) -> None:
    """With nothing waiting and nothing typed, the pusher looks whether the team server still has
    the open interview: a colleague's `delete ID --take-over` is found within a few seconds, said
    above the waiting prompt, and the interview stored there again, whole, from this machine's
    copy, and leased to this terminal again, before another key is typed."""
    from leadcli.store.leases import LeaseHeld

    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    made = captures(monkeypatch)
    refused: list[str] = []
    gone: list[bool] = []

    def delete(take_over: bool = True) -> None:
        with _team(database) as colleague:
            try:
                colleague.interviews.delete(made[-1].record.id, take_over=take_over)
                gone.append(made[-1].record.id not in colleague.interviews.ids())
            except LeaseHeld as held:
                refused.append(held.message)

    said = until(lambda: made[-1].stored_again_said, "the interview to be said stored again", 10.0)
    script = script_with({1: [synced(made), delete, said], 8: [lambda: delete(False)], 10: [synced(made)]})
    install(monkeypatch, script)
    result = _interview(run, tiny_data, database)
    assert result.exit_code == 0, result.output
    same(
        normalized(result.stdout),
        expected(
            baseline,
            {
                NOTES1: [
                    "interview ID was deleted from the store; it is kept on this machine",
                    "interview ID is in the store again, whole, from this machine's copy",
                ]
            },
        ),
    )
    assert gone == [True]
    assert refused and "it was not deleted" in refused[0]
    assert_every_word_stored(_stored(database))


def test_a_hung_network_never_blocks_the_prompt(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, database, proxy, fast_bounds
) -> None:
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    made = captures(monkeypatch)
    marks: dict[str, float] = {}

    def hang() -> None:
        proxy.hang()
        marks["hung"] = time.monotonic()

    def typed_through() -> None:  # four lines typed, each saved, while the push hangs
        marks["typed"] = time.monotonic()
        assert made[-1].pusher.busy_since is not None or made[-1].pusher.problem

    script = script_with(
        {1: [synced(made), hang], 3: [failing(made)], 5: [typed_through, proxy.passing, synced(made)]}
    )
    install(monkeypatch, script)
    result = _interview(run, tiny_data, proxy.url(database))
    assert result.exit_code == 0, result.output
    same(
        normalized(result.stdout), expected(baseline, {CUES1: [WAITING.format("2 lines")], NOTES3: [REACHED]})
    )
    assert_every_word_stored(_stored(database))


def test_a_server_restart_mid_interview_loses_nothing(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, database, proxy, fast_bounds
) -> None:
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    made = captures(monkeypatch)
    script = script_with(
        {
            1: [synced(made), lambda: restart_cluster(_admin_url(database))],
            3: [synced(made)],
            8: [synced(made)],
        }
    )
    install(monkeypatch, script)
    result = _interview(run, tiny_data, proxy.url(database))
    assert result.exit_code == 0, result.output
    # Whether the status line shows depends on whether the push found the server down before the
    # next Enter; if it does, it shows once and clears.
    got = normalized(result.stdout)
    if WAITING.format("1 line") in got:
        same(got, expected(baseline, {NOTES2: [WAITING.format("1 line")], CUES1: [REACHED]}))
    else:
        same(got, expected(baseline, {}))
    assert_every_word_stored(_stored(database))
    assert proxy.connections >= 2


def _admin_url(database: str) -> str:
    return database.rsplit("/", 1)[0] + "/postgres"


def test_a_statement_timeout_is_retried_until_the_line_is_in(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, database, proxy, fast_bounds
) -> None:
    """A write that waits on another's lock past statement_timeout is cancelled by the server."""
    import psycopg

    from leadcli.store.dialects import postgres

    monkeypatch.setattr(postgres, "STATEMENT_TIMEOUT_MS", 300)
    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_MS", 60_000)  # so the statement timeout is what ends it
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    made = captures(monkeypatch)
    holder = psycopg.connect(database)

    def lock() -> None:
        holder.execute("LOCK TABLE leadcli.interviews IN ACCESS EXCLUSIVE MODE")

    script = script_with({1: [synced(made), lock], 3: [failing(made)], 4: [holder.rollback, synced(made)]})
    install(monkeypatch, script)
    try:
        result = _interview(run, tiny_data, proxy.url(database))
    finally:
        holder.close()
    assert result.exit_code == 0, result.output
    same(
        normalized(result.stdout),
        expected(baseline, {CUES1: [WAITING.format("2 lines")], RATING1: [REACHED]}),
    )
    assert "statement timeout" in (made[-1].pusher.first_problem or "")
    assert_every_word_stored(_stored(database))


def test_an_idle_session_timeout_reconnects(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, database, proxy, fast_bounds
) -> None:
    import psycopg

    with psycopg.connect(_admin_url(database), autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE \"{database.rsplit('/', 1)[1]}\" SET idle_session_timeout = '400ms'")
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    made = captures(monkeypatch)
    before: list[int] = []
    script = script_with(
        {
            1: [synced(made), lambda: before.append(proxy.connections), lambda: time.sleep(1.0)],
            3: [synced(made)],
            8: [synced(made)],
        }
    )
    install(monkeypatch, script)
    result = _interview(run, tiny_data, proxy.url(database))
    assert result.exit_code == 0, result.output
    got = normalized(result.stdout)
    if WAITING.format("1 line") in got:
        same(got, expected(baseline, {NOTES2: [WAITING.format("1 line")], CUES1: [REACHED]}))
    else:
        same(got, expected(baseline, {}))
    assert proxy.connections > before[0]  # the server ended the idle session; leadcli came back
    assert_every_word_stored(_stored(database))


def test_an_interview_started_offline_reaches_the_server_with_sync(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, database, proxy, isolated_home
) -> None:
    from leadcli.interview import capture

    monkeypatch.setattr(capture, "FINISH_SECONDS", 0.5)
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    url = proxy.url(database)
    proxy.drop()  # the hotel wifi is down from the start
    made = captures(monkeypatch)
    install(monkeypatch, script_with({0: [failing(made)]}))
    result = _interview(run, tiny_data, url)
    assert result.exit_code == 0, result.output
    interview_id = "id0002"
    waiting = (
        "saved on this machine; 8 lines of interview ID wait for the team store: any leadcli command"
        " sends them when it is back, or `leadcli sync`"
    )
    same(
        normalized(result.stdout), expected(baseline, {NOTES1: [WAITING.format("1 line")]}, at_end=[waiting])
    )

    status = run("--database-url", url, "sync", "--status")
    assert status.exit_code == 0 and status.stdout.startswith(f"{interview_id}\tSt Mary's\t8 lines wait")
    home = run("--database-url", url, "home")
    assert (
        f"leadcli: interview {interview_id} (St Mary's): 8 lines wait for the team store since" in home.stderr
    )
    refused = run("--database-url", url, "sync")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("leadcli: error: 8 lines wait for the team store on this machine: ")

    proxy.passing()
    pushed = run("--database-url", url, "sync")
    assert pushed.exit_code == 0, pushed.output
    assert pushed.stderr == (
        f"leadcli: pushed 8 lines of new interview {interview_id} (St Mary's) to the team store\n"
    )
    assert (
        run("--database-url", url, "sync", "--status").stderr == "leadcli: nothing waits for the team store\n"
    )
    assert_every_word_stored(_stored(database))
    assert _empty_replica(isolated_home)


def _empty_replica(home) -> bool:
    from leadcli.store.replica import Replica

    with Replica.open_in(home) as replica:
        return replica.interviews.ids() == []


def test_any_later_command_pushes_what_waits_and_says_so(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, database, proxy
) -> None:
    from leadcli.interview import capture

    monkeypatch.setattr(capture, "FINISH_SECONDS", 0.5)
    url = proxy.url(database)
    proxy.drop()
    install(monkeypatch, list(script_with({})))
    assert _interview(run, tiny_data, url).exit_code == 0
    proxy.passing()
    listed = run("--database-url", url, "list", "-f", "json")
    assert listed.exit_code == 0, listed.output
    assert listed.stderr == "leadcli: pushed 8 lines of new interview id0001 (St Mary's) to the team store\n"
    assert '"id": "id0001"' in listed.stdout  # pushed before the list was read
    assert_every_word_stored(_stored(database))


def _ids_after(first: str, times: int, then: str):
    """`new_id` made to give `first` `times` times (an id clash), then `then`."""
    given: list[str] = []

    def new_id(length: int = 6) -> str:
        given.append(first if len(given) < times else then)
        return given[-1]

    return new_id


def test_an_offline_interview_whose_id_is_taken_on_the_server_is_kept_beside_it_under_a_new_id(
    run, tiny_data, monkeypatch, tmp_path, database, proxy
) -> None:
    from leadcli.interview import capture

    monkeypatch.setattr(capture, "FINISH_SECONDS", 0.5)
    monkeypatch.setattr("leadcli.store.interviews.new_id", _ids_after("abc234", 2, "xyz789"))
    url = proxy.url(database)
    answers = tmp_path / "colleague.yaml"
    answers.write_text(
        "organization: Other Org\ninterviewer: Sam\nanswers:\n  priorities: {notes: Sam's notes}\n"
    )
    assert (
        run(
            "--database-url", url, "--data-dir", str(tiny_data), "interview", "--answers", str(answers)
        ).exit_code
        == 0
    )
    proxy.drop()
    made = captures(monkeypatch)
    install(monkeypatch, script_with({}))
    assert _interview(run, tiny_data, url).exit_code == 0  # created offline, as abc234 too
    # Its pusher gives up within FINISH_SECONDS, or later on a slow machine: wait for it to end, so
    # that nothing but the commands below pushes once the network is back.
    until(lambda: not made[-1].pusher.is_alive(), "the interview's pusher to stop")()
    proxy.passing()
    # Any command that pushes what waits says where it went, one line, even when asked to be quiet.
    listed = run("--database-url", url, "--quiet", "list")
    assert listed.exit_code == 0, listed.output
    assert normalized(listed.stderr) == [
        "leadcli: pushed 8 lines of new interview abc234 (St Mary's) to the team store as xyz789: the team"
        " store has another interview abc234 (Other Org, created TIME); both kept"
    ]
    with _team(database) as team:
        theirs, ours = team.interviews.get("abc234"), team.interviews.get("xyz789")
    assert (theirs.organization, theirs.answers["priorities"].notes) == ("Other Org", "Sam's notes")
    assert ours.organization == "St Mary's" and ours.uid != theirs.uid
    assert_every_word_stored(ours)
    assert (
        run("--database-url", url, "sync", "--status").stderr == "leadcli: nothing waits for the team store\n"
    )


def test_an_offline_interview_whose_id_is_taken_never_leases_the_other_one(
    run, tiny_data, monkeypatch, tmp_path, database, proxy
) -> None:
    """The network comes back mid-interview: the interview reaches the server under a new id, and
    the server's interview of its old id (a colleague's) is not leased to this terminal."""
    monkeypatch.setattr("leadcli.store.interviews.new_id", _ids_after("abc234", 2, "xyz789"))
    url = proxy.url(database)
    answers = tmp_path / "colleague.yaml"
    answers.write_text("organization: Other Org\ninterviewer: Sam\nanswers: {}\n")
    assert (
        run(
            "--database-url", url, "--data-dir", str(tiny_data), "interview", "--answers", str(answers)
        ).exit_code
        == 0
    )
    proxy.drop()
    made = captures(monkeypatch)
    seen: list[int] = []

    def moved() -> bool:
        return made[-1].pusher.moved_to == "xyz789"

    def leases() -> None:
        with _team(database) as team:
            seen.append(team.connection.execute("SELECT count(*) FROM interview_leases").fetchone()[0])

    install(monkeypatch, script_with({3: [proxy.passing, until(moved, "the push under a new id"), leases]}))
    assert _interview(run, tiny_data, url).exit_code == 0
    assert seen == [0]


# --- the server's disk fills ------------------------------------------------------------------


@pytest.fixture(scope="module")
def full_disk_cluster() -> Iterator[str]:
    """A throwaway cluster whose whole data directory (tables and WAL) is on a 192 MB filesystem of
    its own, to be filled during an interview. Autovacuum off: new rows go to new pages, so a write
    after the disk is full needs room it cannot get, whatever ran before."""
    started = throwaway_cluster(disk_mb=192, settings=("autovacuum=off", "checkpoint_timeout=1h"))
    if isinstance(started, str):
        require_postgres(None)
        pytest.skip(started)
    url, stop = started
    try:
        yield url
    finally:
        stop()


@pytest.fixture
def full_disk_database(full_disk_cluster: str) -> Iterator[str]:
    import psycopg

    name = f"capture_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(full_disk_cluster, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = full_disk_cluster.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("CREATE SCHEMA leadcli")
    migrate_server(url)
    yield url
    with psycopg.connect(full_disk_cluster, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pasted_page() -> str:
    """A pasted page of notes (40 KB of words, as typed: it does not compress to nothing)."""
    import random

    words = random.Random(19).choices(
        ["budget", "nurses", "board", "audit", "sepsis", "ward", "aims"], k=6000
    )
    return " ".join(f"{word}{n % 97}" for n, word in enumerate(words))


def test_a_full_server_disk_keeps_typing_and_every_word_reaches_it_when_there_is_room(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, fast_bounds, full_disk_cluster, full_disk_database
) -> None:
    import psycopg

    from tests.conftest import cluster_disk

    pasted = _pasted_page()
    lines = [LINES[0], pasted, *LINES[1:]]
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline", lines)
    disk = cluster_disk(full_disk_cluster)

    def fill() -> None:
        # The server's WAL goes on in a segment it already has (as at most moments: a segment is
        # 16 MB), so what cannot grow is the tables; a server that stops for lack of WAL space is a
        # restart (test_a_server_restart_mid_interview_loses_nothing).
        with psycopg.connect(full_disk_database, autocommit=True) as admin:
            admin.execute("SELECT pg_switch_wal()")
            admin.execute("CHECKPOINT")
        disk.fill()

    made = captures(monkeypatch)
    script = script_with({1: [synced(made), fill], 4: [failing(made)], 5: [disk.free, synced(made)]}, lines)
    install(monkeypatch, script)
    result = _interview(run, tiny_data, full_disk_database)
    assert result.exit_code == 0, result.output
    same(
        normalized(result.stdout),
        expected(baseline, {CUES1: [WAITING.format("3 lines")], RATING1: [REACHED]}),
    )
    assert result.stderr == ""
    assert "No space left on device" in (made[-1].pusher.first_problem or ""), made[-1].pusher.first_problem
    assert_every_word_stored(_stored(full_disk_database), also=(pasted,))


def test_an_erasure_while_the_laptop_is_offline_is_not_undone_by_its_sync(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, database, proxy, fast_bounds, isolated_home
) -> None:
    """The reviewer's case: a live interview has a line on the server and more typed offline; a
    manager erases the organization (--take-over: the terminal cannot answer); the laptop's sync
    is refused, says so once, and keeps every typed word on the laptop."""
    from leadcli.interview import capture
    from leadcli.store.replica import Replica

    monkeypatch.setattr(capture, "FINISH_SECONDS", 0.5)

    def erase() -> None:  # from the manager's machine, straight to the server
        with _team(database) as team:
            assert team.trail.erase_organization("st mary's") == 1

    made = captures(monkeypatch)
    install(monkeypatch, script_with({1: [synced(made), proxy.drop], 3: [failing(made), erase]}))
    result = _interview(run, tiny_data, proxy.url(database))
    assert result.exit_code == 0, result.output
    until(lambda: not made[-1].pusher.is_alive(), "the interview's pusher to stop")()
    proxy.passing()
    url = proxy.url(database)
    synced_ = run("--database-url", url, "sync")
    assert synced_.exit_code == 0, synced_.output
    assert synced_.stderr.startswith(
        "leadcli: interview id0001 (St Mary's) was erased from the team store by"
    )
    assert synced_.stderr.count("\n") == 1  # said once, one line
    assert synced_.stderr.endswith(
        "; its 7 waiting lines stay on this machine only — `leadcli delete id0001` removes them\n"
    )
    with _team(database) as team:
        assert team.interviews.ids() == []  # not one line came back
    again = run("--database-url", url, "sync")
    assert "was erased" not in again.stderr and again.exit_code == 0
    with Replica.open_in(isolated_home) as replica:
        assert_every_word_stored(replica.interviews.get("id0001"))
    assert run("--database-url", url, "delete", "id0001", "--yes").exit_code == 0
    with Replica.open_in(isolated_home) as replica:
        assert replica.interviews.ids() == []


def test_an_erasure_found_mid_interview_is_said_once_and_typing_goes_on(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, database, isolated_home
) -> None:
    """The push of a line meets the erasure: the typist is told at once, keeps typing, the lines
    stay on this machine, the end says where they are, and the server never gets them back."""
    from leadcli.store.replica import Replica

    no_watch(monkeypatch)  # the push of the next line meets it
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    made = captures(monkeypatch)

    def erase() -> None:
        with _team(database) as team:
            assert team.trail.erase_organization("St Mary's") == 1

    def told() -> bool:
        return made[-1].pusher is not None and made[-1].pusher.erased is not None

    install(
        monkeypatch, script_with({5: [synced(made), erase], 6: [until(told, "the push to meet the erasure")]})
    )
    result = _interview(run, tiny_data, database)
    assert result.exit_code == 0, result.output
    with _team(database) as team:
        who, when = team.connection.execute("SELECT erased_by, erased_at FROM erasures").fetchone()
        assert team.interviews.ids() == []
    when = str(when)[:16].replace("T", " ")

    def erased(lines: str, them: str = "them") -> str:
        return (
            f"interview ID (St Mary's) was erased from the team store by {who} at {when}; its {lines}"
            f" on this machine only — `leadcli delete ID` removes {them}"
        )

    same(
        normalized(result.stdout),
        expected(
            baseline,
            {NOTES4: [erased("1 waiting line stays", "it")]},
            at_end=[erased("4 waiting lines stay")],
        ),
    )
    with Replica.open_in(isolated_home) as replica:
        assert_every_word_stored(replica.interviews.get(made[-1].record.id))
    assert "was erased" not in run("list").stderr  # said once


@pytest.mark.parametrize("stop", ["/pause", "Ctrl-C"])
def test_a_stop_after_an_erasure_offers_no_resume(
    run, tiny_data, monkeypatch, fixed_ids, database, isolated_home, stop
) -> None:
    """A manager erases the organization during the call; the stop (/pause or Ctrl-C) says where
    the lines are and how to remove them, never a resume that would then be refused."""
    no_watch(monkeypatch)  # the push of the next line meets it

    def erase() -> None:
        with _team(database) as team:
            assert team.trail.erase_organization("St Mary's") == 1

    made = captures(monkeypatch)

    def told() -> bool:
        return made[-1].pusher is not None and made[-1].pusher.erased is not None

    def ctrl_c() -> None:
        raise KeyboardInterrupt

    ending = "/pause" if stop == "/pause" else ctrl_c
    install(
        monkeypatch, [synced(made), "Board sets aims", synced(made), erase, "more", until(told, "it"), ending]
    )
    result = _interview(run, tiny_data, database)
    assert result.exit_code == (0 if stop == "/pause" else 130), result.output
    assert "--resume" not in result.output
    last = result.stderr.splitlines()[-1]
    assert last.startswith("leadcli: paused" if stop == "/pause" else "leadcli: stopped")
    assert "id0001 was erased from the team store: its lines stay on this machine only" in last
    assert last.endswith("`leadcli delete id0001` removes them")
    resumed = run("--database-url", database, "--data-dir", str(tiny_data), "interview", "--resume", "id0001")
    assert resumed.exit_code != 0 and "was erased from the team store" in resumed.stderr
