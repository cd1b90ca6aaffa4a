"""A laptop whose clock is hours off, that has never reached the team server: its offline edits
are placed in the server's time when it pushes (`store.clock.placed`, `store.push.in_team_time`),
so they neither outrank later real edits nor lose to earlier ones, and no store holds a stamp from
the future. The wall clock is faked through the clock's seam (`Clock.now_ms`), never the system's."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from leadcli.store import clock as clocks
from leadcli.store.clock import WALL, Clock, clamped, parse_stamp, placed, skew_words
from leadcli.store.db import Store
from leadcli.store.identity import machine_id
from leadcli.store.merge import REPLACED, edit_stamps
from leadcli.store.push import in_team_time
from leadcli.store.records import Interview
from leadcli.store.replica import Replica
from leadcli.store.snapshots import snapshot_data
from tests.reports_helpers import make_interview

HOUR = 3_600_000
QUESTION = "track-record"  # question 2


def real_ms() -> int:
    return time.time_ns() // 1_000_000


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """A laptop home whose wall clock is `skew` ms off (faked through the clock's seam)."""
    nodes: list[str] = []

    def make(skew: int, name: str = "laptop") -> Path:
        home = tmp_path / name
        node = machine_id(home)
        clocks._CLOCKS.pop(node, None)
        clocks.clock_for(node).now_ms = lambda: real_ms() + skew
        nodes.append(node)
        return home

    yield make
    for node in nodes:
        clocks._CLOCKS.pop(node, None)


def seed(url: str, home: Path) -> Interview:
    """One interview on the team server, rated and with a line, as of a month ago."""
    record = make_interview({QUESTION: ("held the line", [], "partial")}, interview_id="abc235")
    record.uid = "2" * 32
    with Store.open(home, url=url) as team, team.transaction():
        key = team.snapshots.add(snapshot_data(record.snapshot.questions, record.snapshot.reflection))
        team.interviews.write([(record, key)])
    return record


def copy_on_laptop(home: Path, record: Interview) -> Replica:
    """The laptop holds a copy of the interview without having reached the server (as one taken
    from a colleague's file would be): straight into its replica."""
    replica = Replica.open_in(home)
    replica.put(record, pushed=True)
    return replica


def rate(store: Store, interview_id: str, rating: str) -> None:
    answer = store.interviews.get(interview_id).answers[QUESTION]
    answer.rating = rating  # type: ignore[assignment]
    store.interviews.save_answer(interview_id, answer)


def all_stamps(record: Interview) -> list[str]:
    found = list(edit_stamps(record))
    for stamps in (record.stamps, *(a.stamps for a in record.answers.values())):
        found += [s for k, s in stamps.items() if k.endswith(REPLACED)]
    return found


def server_ms(team: Store) -> int:
    return int(
        team.connection.execute("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint").fetchone()[0]
    )


def assert_nothing_from_the_future(team: Store, interview_id: str) -> None:
    now = server_ms(team)
    for stamp in all_stamps(team.interviews.get(interview_id)):
        assert not parse_stamp(stamp)[2].endswith(WALL), stamp
        assert parse_stamp(stamp)[0] <= now, stamp


# --- the clock rule itself ------------------------------------------------------------------------


def test_a_clock_that_never_knew_the_servers_time_marks_its_stamps_and_places_them_once_it_does(
    tmp_path,
) -> None:
    wall = [1_795_000_000_000 + 6 * HOUR]  # six hours ahead of the server
    home = tmp_path / "home"
    node = machine_id(home)
    clock = clocks.clock_for(node)
    try:
        clock.now_ms = lambda: wall[0]
        clocks.use_kept_offset(node, home)  # no offset kept: its own wall time, marked
        first, second = clock.stamp(), clock.stamp()
        assert parse_stamp(first) == (wall[0], 0, node + WALL) and second > first
        assert placed(first) == first  # it cannot place them yet
        clocks.set_offset(node, wall[0] - 6 * HOUR, home)  # it reaches the server
        assert placed(first) == clocks.format_stamp(wall[0] - 6 * HOUR, 0, node)
        assert placed(first) < placed(second)  # its own order kept
        wall[0] += 1000
        third = clock.stamp()
        assert parse_stamp(third) == (wall[0] - 6 * HOUR, 0, node)  # the server's time, not behind
        assert third > placed(second)
        # the placement is kept in the home: another process of this machine places them alike
        assert (home / clocks.OFFSET_FILE).read_text().split() == [str(-6 * HOUR)] * 2
        del clocks._CLOCKS[node]
        clocks.clock_for(node).now_ms = lambda: wall[0] + 3 * HOUR  # its clock jumped meanwhile
        clocks.use_kept_offset(node, home)
        assert placed(first) == clocks.format_stamp(wall[0] - 1000 - 6 * HOUR, 0, node)
    finally:
        clocks._CLOCKS.pop(node, None)


def test_a_clock_that_learns_the_servers_time_moves_on_after_its_own_stamps_placed() -> None:
    wall = [1_795_000_000_000 - 6 * HOUR]  # six hours behind
    clock = Clock("behind", now_ms=lambda: wall[0])
    clock.wall = True
    early = clock.stamp()
    clock.observe("1795000000500.000003.server")  # a server stamp seen meanwhile
    clock.anchor(6 * HOUR, None)
    wall[0] += 10
    after = clock.stamp()
    assert parse_stamp(after)[0] == 1_795_000_000_500 and parse_stamp(after)[1] == 4  # after what it saw
    assert parse_stamp(early)[0] + 6 * HOUR < parse_stamp(after)[0]


def test_clamping_keeps_order_and_leaves_the_past_alone() -> None:
    ceiling = 1_795_000_000_000
    past = clocks.format_stamp(ceiling - 5000, 0, "a")
    ahead = [clocks.format_stamp(ceiling + n * HOUR, 0, "a") for n in (1, 2, 3)]
    moved = clamped([past, *reversed(ahead)], ceiling)
    assert past not in moved
    assert [moved[s] for s in ahead] == sorted(moved[s] for s in ahead)
    assert all(parse_stamp(moved[s])[0] == ceiling - 1 for s in ahead)
    assert clamped([past], ceiling) == {}
    assert skew_words(-(3 * HOUR + 12 * 60_000)) == "3 h 12 min ahead of"
    assert skew_words(6 * HOUR) == "6 h 0 min behind" and skew_words(-42_000) == "42 s ahead of"
    from leadcli.store.push import Pushed, placed_notice

    fast = [Pushed("abc234", "Org", 2, False, placed=14, placement_ms=-(3 * HOUR + 12 * 60_000))]
    assert placed_notice(fast) == (
        "this machine's clock was 3 h 12 min ahead of the team server; 14 edits made offline were"
        " placed in the server's time"
    )
    assert placed_notice([Pushed("abc234", "Org", 2, False, placed=14, placement_ms=400)]) is None
    assert placed_notice([Pushed("abc234", "Org", 2, False)]) is None


def test_what_reaches_the_team_store_holds_no_time_ahead_of_it() -> None:
    ceiling = 1_795_000_000_000
    record = make_interview({QUESTION: ("one\ntwo", [], "low")})
    record.updated_at = "2099-01-01T00:00:00+00:00"
    record.answers[QUESTION].stamps["rating"] = clocks.format_stamp(ceiling + 48 * HOUR, 0, "other")
    sent = in_team_time(record, ceiling)
    assert sent.updated_at == "2026-11-18T11:06:40+00:00"
    assert parse_stamp(sent.answers[QUESTION].stamps["rating"])[0] == ceiling - 1
    assert in_team_time(sent, ceiling) == sent


# --- on the team server ---------------------------------------------------------------------------


@pytest.mark.parametrize("ahead", [6 * HOUR, 3 * 24 * HOUR], ids=["6h", "3days"])
def test_a_laptop_ahead_that_never_reached_the_server_loses_to_a_later_real_edit(
    postgres_url, tmp_path, laptop, ahead, run, monkeypatch
) -> None:
    """The laptop rates offline with its clock hours (or days) ahead; a colleague rates the same
    question later in real time on the server. Once the laptop pushes, the colleague's rating
    stands, the laptop's is in the history as a named conflict, stderr says once that the laptop's
    clock was ahead, and the team's export imports cleanly elsewhere."""
    record = seed(postgres_url, tmp_path / "setup")
    home = laptop(ahead)
    replica = copy_on_laptop(home, record)
    try:
        rate(replica, record.id, "low")
        mine = replica.interviews.get(record.id).answers[QUESTION].stamps["rating"]
        assert parse_stamp(mine)[2].endswith(WALL) and parse_stamp(mine)[0] > real_ms() + ahead - 60_000
    finally:
        replica.close()
    time.sleep(0.3)
    with Store.open(tmp_path / "colleague", url=postgres_url) as colleague:
        rate(colleague, record.id, "strong")
    monkeypatch.setenv("LEADCLI_DATABASE_URL", postgres_url)
    pushed = run("--home", str(home), "sync")
    assert pushed.exit_code == 0, pushed.stderr
    said = [line for line in pushed.stderr.splitlines() if "placed in the server's time" in line]
    hours = ahead // HOUR
    assert said == [
        f"leadcli: this machine's clock was {hours} h 0 min ahead of the team server; 1 edit made offline"
        " was placed in the server's time"
    ] or said == [
        f"leadcli: this machine's clock was {hours - 1} h 59 min ahead of the team server; 1 edit made"
        " offline was placed in the server's time"
    ], pushed.stderr
    (conflict,) = [line for line in pushed.stderr.splitlines() if "conflict in interview" in line]
    assert 'kept "strong"' in conflict and 'not "low"' in conflict
    with Store.open(tmp_path / "reader", url=postgres_url) as team:
        assert team.interviews.get(record.id).answers[QUESTION].rating == "strong"
        assert [(h.field, h.value) for h in team.interviews.history(record.id)] == [
            ("question 2 rating", '"low"')
        ]
        assert_nothing_from_the_future(team, record.id)
    exported = run("--home", str(tmp_path / "reader"), "export")
    assert exported.exit_code == 0, exported.stderr
    export = tmp_path / "team.json"
    export.write_text(exported.stdout, encoding="utf-8")
    monkeypatch.delenv("LEADCLI_DATABASE_URL")
    elsewhere = run("--home", str(tmp_path / "elsewhere"), "import", str(export))
    assert elsewhere.exit_code == 0, elsewhere.stderr
    with Store.open(tmp_path / "elsewhere") as other:
        assert other.interviews.get(record.id).answers[QUESTION].rating == "strong"


def test_a_laptop_behind_that_never_reached_the_server_wins_with_its_real_later_edit(
    postgres_url, tmp_path, laptop
) -> None:
    """The colleague rates first on the server; the laptop, its clock six hours behind, rates the
    same question later in real time, offline. Its rating stands once it pushes."""
    from leadcli.services.sync import sync

    record = seed(postgres_url, tmp_path / "setup")
    home = laptop(-6 * HOUR)
    replica = copy_on_laptop(home, record)
    with Store.open(tmp_path / "colleague", url=postgres_url) as colleague:
        rate(colleague, record.id, "strong")
    time.sleep(0.3)
    try:
        rate(replica, record.id, "low")
    finally:
        replica.close()
    result = sync(home, postgres_url)
    assert result.problem is None and not result.left
    (named,) = result.pushed[0].conflicts
    assert 'kept "low"' in named and 'not "strong"' in named
    assert result.pushed[0].placed == 1 and abs(result.pushed[0].placement_ms - 6 * HOUR) < 60_000
    with Store.open(tmp_path / "reader", url=postgres_url) as team:
        assert team.interviews.get(record.id).answers[QUESTION].rating == "low"
        assert [(h.field, h.value) for h in team.interviews.history(record.id)] == [
            ("question 2 rating", '"strong"')
        ]
        assert_nothing_from_the_future(team, record.id)


def test_the_laptops_own_lines_keep_their_order_and_fall_among_the_teams_where_they_were_typed(
    postgres_url, tmp_path, laptop
) -> None:
    """Lines typed on a laptop six hours ahead, offline, and one a colleague adds on the server in
    between (in real time): after the push they read in the order they were typed."""
    from leadcli.services.sync import sync

    record = seed(postgres_url, tmp_path / "setup")
    home = laptop(6 * HOUR)
    replica = copy_on_laptop(home, record)

    def type_line(store: Store, text: str) -> None:
        answer = store.interviews.get(record.id).answers[QUESTION]
        store.interviews.add_line(record.id, answer, text)
        time.sleep(0.2)

    try:
        type_line(replica, "laptop one")
        with Store.open(tmp_path / "colleague", url=postgres_url) as colleague:
            type_line(colleague, "colleague")
        type_line(replica, "laptop two")
        type_line(replica, "laptop three")
    finally:
        replica.close()
    result = sync(home, postgres_url)
    assert result.problem is None and result.pushed[0].placed == 3
    with Store.open(tmp_path / "reader", url=postgres_url) as team:
        notes = team.interviews.get(record.id).answers[QUESTION].notes
        assert notes.split("\n") == ["held the line", "laptop one", "colleague", "laptop two", "laptop three"]
        assert_nothing_from_the_future(team, record.id)


def test_a_laptop_whose_clock_jumps_ahead_after_its_offset_was_kept_cannot_stamp_the_future(
    postgres_url, tmp_path, laptop
) -> None:
    """The laptop reached the server once (its offset is kept), then its clock jumped six hours
    ahead. Its offline lines reach the team store clamped below the server's time, in their order,
    and a colleague's edit after the push outranks them."""
    from leadcli.services.sync import sync

    record = seed(postgres_url, tmp_path / "setup")
    home = laptop(0)
    with Store.open(home, url=postgres_url):
        pass  # measured and kept
    node = machine_id(home)
    clocks._CLOCKS.pop(node, None)
    clocks.clock_for(node).now_ms = lambda: real_ms() + 6 * HOUR  # the jump, in another process
    replica = copy_on_laptop(home, record)
    try:
        for text in ("first", "second"):
            answer = replica.interviews.get(record.id).answers[QUESTION]
            replica.interviews.add_line(record.id, answer, text)
        rate(replica, record.id, "low")
        assert not replica.interviews.get(record.id).answers[QUESTION].stamps["rating"].endswith(WALL)
    finally:
        replica.close()
    clocks._CLOCKS.pop(node, None)
    clocks.clock_for(node).now_ms = lambda: real_ms() + 6 * HOUR
    result = sync(home, postgres_url)
    assert result.problem is None and result.pushed[0].placed == 0
    with Store.open(tmp_path / "reader", url=postgres_url) as team:
        assert_nothing_from_the_future(team, record.id)
        got = team.interviews.get(record.id).answers[QUESTION]
        assert got.notes.split("\n") == ["held the line", "first", "second"] and got.rating == "low"
    time.sleep(0.05)
    with Store.open(tmp_path / "colleague", url=postgres_url) as colleague:
        rate(colleague, record.id, "strong")
        assert colleague.interviews.get(record.id).answers[QUESTION].rating == "strong"
    result = sync(home, postgres_url)  # nothing new waits; the colleague's value stays
    with Store.open(tmp_path / "reader", url=postgres_url) as team:
        assert team.interviews.get(record.id).answers[QUESTION].rating == "strong"


def test_a_live_process_that_reaches_the_server_stamps_on_after_its_offline_lines(
    postgres_url, tmp_path, laptop
) -> None:
    """One process stamps offline (six hours ahead), then its store reaches the server: the
    stamps it makes next follow its earlier ones as placed, in the server's time."""
    home = laptop(6 * HOUR)
    replica = Replica.open_in(home)
    try:
        early = replica.connection.clock.stamp()
        assert early.endswith(WALL)
        with Store.open(home, url=postgres_url) as team:
            later = team.connection.clock.stamp()
            now = server_ms(team)
    finally:
        replica.close()
    assert placed(early) < later and not later.endswith(WALL)
    assert parse_stamp(later)[0] <= now + 50  # the offset is measured to a few milliseconds


# --- a hostile file ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("store_backend")
def test_an_import_with_stamps_a_year_ahead_is_still_refused_in_one_line(
    run, tmp_path, isolated_home
) -> None:
    record = make_interview({QUESTION: ("held the line", [], "partial")}, interview_id="abc234")
    with Store.open(isolated_home) as store, store.transaction():
        key = store.snapshots.add(snapshot_data(record.snapshot.questions, record.snapshot.reflection))
        store.interviews.write([(record, key)])
    data = json.loads(run("export").stdout)
    run("delete", record.id, "--yes")
    ahead = clocks.format_stamp(real_ms() + 365 * 24 * HOUR, 0, "hostile")
    data["interviews"][0]["answers"][QUESTION]["stamps"]["rating"] = ahead
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data), encoding="utf-8")
    result = run("import", str(hostile))
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if "is in the future" in line]
    assert problems == [
        f"leadcli: error: {hostile}: interviews[0].answers.{QUESTION}.stamps.rating: {ahead!r} is in the future"
    ], result.stderr
    assert "nothing was imported" in result.stderr


def test_the_server_itself_stores_no_stamp_ahead_of_its_time(postgres_url, tmp_path) -> None:
    """Whoever writes them (an old client, a hand-made INSERT), stamps ahead of the server's
    clock are stored at its millisecond now, counter and node kept (022's triggers); stamps in the
    past are left alone, and value_history's as they came."""
    from leadcli.store.clock import format_stamp

    record = seed(postgres_url, tmp_path / "setup")
    ahead_ms = real_ms() + 6 * HOUR
    ahead, past = format_stamp(ahead_ms, 3, "f" * 16), format_stamp(1_000_000_000_000, 0, "e" * 16)
    with Store.open(tmp_path / "writer", url=postgres_url) as team:
        db = team.connection
        with team.transaction() as tx:
            tx.execute(
                "INSERT INTO note_lines (interview_id, question_id, id, stamp, author, text, gone)"
                " VALUES (?, 'track-record', ?, ?, 'x', 'from the future', ?)",
                (record.id, "a" * 32, ahead, ahead),
            )
            tx.execute(
                "INSERT INTO note_lines (interview_id, question_id, id, stamp, author, text)"
                " VALUES (?, 'track-record', ?, ?, 'x', 'from the past')",
                (record.id, "b" * 32, past),
            )
            tx.execute(
                "UPDATE interviews SET stamps = CAST(? AS jsonb) WHERE id = ?",
                (json.dumps({"region": ahead, "region<": past}), record.id),
            )
        before_ms = server_ms(team)
        lines = dict(  # by id: the server sets a line's author itself (021_server_integrity)
            db.execute(
                "SELECT text, stamp FROM note_lines WHERE id IN (?, ?)", ("a" * 32, "b" * 32)
            ).fetchall()
        )
        gone = db.execute("SELECT gone FROM note_lines WHERE id = ?", ("a" * 32,)).fetchone()[0]
        stamps = db.execute("SELECT stamps FROM interviews WHERE id = ?", (record.id,)).fetchone()[0]
        stamps = json.loads(stamps) if isinstance(stamps, str) else stamps
    for held in (lines["from the future"], gone, stamps["region"]):
        ms, counter, node = parse_stamp(held)
        assert before_ms - 60_000 < ms <= before_ms and (counter, node) == (3, "f" * 16)
    assert (lines["from the past"], stamps["region<"]) == (past, past)


def test_an_import_places_a_files_stamps_ahead_of_this_clock_below_it_and_names_them_once(
    tmp_path, laptop, run
) -> None:
    """A laptop 6 h ahead that only ever used SQLite rates and types, and exports: its stamps are
    its wall clock's. The desk that imports the file holds no stamp or moment ahead of its own
    clock, says so in one line, and its own later real edit is not outranked when the same file
    is imported again; imported again without an edit in between, the file changes nothing."""
    home = laptop(6 * HOUR)
    with Store.open(home) as own, own.transaction():
        record = make_interview({QUESTION: ("held the line", [], "partial")}, interview_id="abc236")
        record.uid = "3" * 32
        key = own.snapshots.add(snapshot_data(record.snapshot.questions, record.snapshot.reflection))
        own.interviews.write([(record, key)])
    with Store.open(home) as own:
        rate(own, record.id, "low")
        answer = own.interviews.get(record.id).answers[QUESTION]
        own.interviews.add_line(record.id, answer, "typed six hours ahead")
        assert parse_stamp(answer.stamps["rating"])[0] > real_ms() + 5 * HOUR
    exported = run("--home", str(home), "export")
    assert exported.exit_code == 0, exported.stderr
    export = tmp_path / "laptop.json"
    export.write_text(exported.stdout, encoding="utf-8")

    desk = tmp_path / "desk"
    first = run("--home", str(desk), "import", str(export))
    assert first.exit_code == 0, first.stderr
    said = [line for line in first.stderr.splitlines() if "ahead of this machine's clock" in line]
    assert len(said) == 1 and " abc236 " in said[0], first.stderr
    assert " 6 h 0 min ahead" in said[0] or " 5 h 59 min ahead" in said[0], said
    with Store.open(desk) as store:
        now = real_ms()
        held = store.interviews.get(record.id)
        assert all(parse_stamp(s)[0] <= now for s in all_stamps(held))
        assert held.updated_at <= time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(now / 1000 + 1))
        assert held.answers[QUESTION].rating == "low"
        assert held.answers[QUESTION].notes.endswith("typed six hours ahead")
    again = run("--home", str(desk), "import", str(export))  # nothing edited in between
    assert again.exit_code == 0 and "skipped 1 unchanged, 0 conflict(s)" in again.stderr, again.stderr
    with Store.open(desk) as store:
        assert store.interviews.get(record.id) == held
        time.sleep(0.01)
        rate(store, record.id, "strong")  # a real edit after the import
    third = run("--home", str(desk), "import", str(export))
    assert third.exit_code == 0, third.stderr
    (conflict,) = [line for line in third.stderr.splitlines() if "conflict in interview" in line]
    assert 'kept "strong"' in conflict and 'not "low"' in conflict  # the file's value, kept in the history
    with Store.open(desk) as store:
        kept = store.interviews.get(record.id)
        assert kept.answers[QUESTION].rating == "strong"  # the later real edit stands
        assert kept.answers[QUESTION].notes.endswith("typed six hours ahead")
        assert all(parse_stamp(s)[0] <= real_ms() for s in all_stamps(kept))


def test_a_laptops_export_after_it_first_reached_the_server_holds_its_stamps_placed(
    tmp_path, laptop, run
) -> None:
    """A laptop 6 h ahead types into its SQLite store before it ever reaches the team server (its
    stamps are its wall clock's, `@wall`). Once it has (the offset and placement kept in its home),
    what it exports is in the server's time: no `@wall` stamp, none ahead of now, the same order."""
    home = laptop(6 * HOUR)
    with Store.open(home) as own, own.transaction():
        record = make_interview({QUESTION: ("held the line", [], "partial")}, interview_id="abc237")
        record.uid = "4" * 32
        key = own.snapshots.add(snapshot_data(record.snapshot.questions, record.snapshot.reflection))
        own.interviews.write([(record, key)])
    with Store.open(home) as own:
        rate(own, record.id, "low")
        answer = own.interviews.get(record.id).answers[QUESTION]
        own.interviews.add_line(record.id, answer, "typed before it knew the server's time")
        before = own.interviews.get(record.id).answers[QUESTION]
    assert before.stamps["rating"].endswith(WALL)
    clocks.set_offset(machine_id(home), real_ms(), home)  # its first contact with the team server
    exported = run("--home", str(home), "export")
    assert exported.exit_code == 0, exported.stderr
    assert WALL not in exported.stdout
    (data,) = json.loads(exported.stdout)["interviews"]
    got = data["answers"][QUESTION]
    assert parse_stamp(got["stamps"]["rating"])[0] <= real_ms()
    assert parse_stamp(got["stamps"]["rating"])[0] > real_ms() - HOUR  # when it really was made
    assert [line["text"] for line in got["lines"]] == [line.text for line in before.lines]
    assert [placed(line.stamp) for line in before.lines] == [line["stamp"] for line in got["lines"]]


def test_the_server_keeps_an_honest_clients_lines_in_their_order(postgres_url, tmp_path) -> None:
    """A client whose offset to the server's time is a little off (a second, at most a round trip
    in truth) stamps its lines a little ahead: the server keeps them as they are, so they stay in
    their order (clamped into one millisecond they would be ordered by their random ids)."""
    from leadcli.store.clock import format_stamp

    record = seed(postgres_url, tmp_path / "setup")
    with Store.open(tmp_path / "writer", url=postgres_url) as team:
        soon = server_ms(team) + 1000
        stamps = [format_stamp(soon + n, 0, "c" * 16) for n in range(3)]
        ids = ["f" * 32, "e" * 32, "d" * 32]  # ids against the order of the stamps
        with team.transaction() as tx:
            for n, (stamp, line_id) in enumerate(zip(stamps, ids, strict=True)):
                tx.execute(
                    "INSERT INTO note_lines (interview_id, question_id, id, stamp, author, text)"
                    " VALUES (?, ?, ?, ?, 'x', ?)",
                    (record.id, QUESTION, line_id, stamp, f"line {n}"),
                )
        lines = team.interviews.get(record.id).answers[QUESTION].lines
    ours = [line for line in lines if line.id in ids]  # the server sets the author (021_server_integrity)
    assert [line.text for line in ours] == ["line 0", "line 1", "line 2"]
    assert [line.stamp for line in ours] == stamps
