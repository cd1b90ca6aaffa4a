"""Merge, never overwrite: the one merge (`store.merge`) on hand-built divergent copies, and what
`import` and `sync` make of it on both stores."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path

import pytest

from leadcli.store.clock import Clock, format_stamp
from leadcli.store.db import Store
from leadcli.store.identity import legacy_lines
from leadcli.store.interviews import numbered_id
from leadcli.store.leases import Lease
from leadcli.store.merge import content, merge, newest_stamp, normalized, restamp
from leadcli.store.records import FollowUp, Interview, NoteLine, Reflection
from leadcli.store.replica import Replica
from leadcli.store.snapshots import snapshot_data
from tests.reports_helpers import make_interview

T0 = int(datetime.fromisoformat("2026-11-02T10:00:00+00:00").timestamp() * 1000)
QUESTION = "track-record"  # question 2


def stamp(ms: int, node: str) -> str:
    return format_stamp(ms, 0, node)


def line(n: int, ms: int, node: str, text: str) -> NoteLine:
    return NoteLine(id=f"{n:032x}", stamp=stamp(ms, node), author=node, text=text)


def base() -> Interview:
    """One interview as both copies had it before they went apart: a line, a rating, a reflection."""
    record = make_interview(
        {QUESTION: ("held the line", [], "partial")},
        reflection=Reflection(
            fit="maybe",
            verdict="moderate",
            follow_ups=[
                FollowUp(text="call back", id=f"{stamp(T0, 'server')}~aaaa", stamp=stamp(T0, "server"))
            ],
        ),
    )
    record.uid = "1" * 32
    record.answers[QUESTION].lines = [line(1, T0, "server", "held the line")]
    return record


def set_value(record: Interview, where: str, name: str, value: object, ms: int, node: str) -> None:
    """Set one single value as a machine does: stamped over the value it replaces."""
    target = record.answers[QUESTION] if where == "answer" else record.reflection
    assert target is not None
    setattr(target, name, value)
    restamp(target.stamps, name, stamp(ms, node), node, record.updated_at)


def add_line(record: Interview, new: NoteLine) -> None:
    answer = record.answers[QUESTION]
    answer.lines.append(new)
    answer.notes = "\n".join(x.text for x in answer.lines if not x.gone)


def divergent() -> tuple[Interview, Interview]:
    """The team store's copy and a laptop's, each changed without seeing the other."""
    ours, theirs = base(), base()
    add_line(ours, line(2, T0 + 2000, "server", "typed on the server"))
    set_value(ours, "answer", "rating", "strong", T0 + 1000, "server")
    add_line(theirs, line(3, T0 + 1500, "laptop", "typed on the laptop"))
    set_value(theirs, "answer", "rating", "low", T0 + 3000, "laptop")  # later: it wins
    set_value(theirs, "reflection", "verdict", "strong", T0 + 500, "laptop")  # set over the old verdict
    return ours, theirs


def conflicts_of(result) -> list[tuple[str, object, object]]:
    return [(c.field, c.kept, c.lost) for c in result.conflicts]


# --- the merge, pure --------------------------------------------------------------------------


def test_divergent_copies_keep_both_sides_lines_and_name_each_conflict() -> None:
    ours, theirs = divergent()
    result = merge(ours, theirs)
    answer = result.interview.answers[QUESTION]
    assert [x.text for x in answer.lines] == ["held the line", "typed on the laptop", "typed on the server"]
    assert answer.notes == "held the line\ntyped on the laptop\ntyped on the server"
    assert answer.rating == "low"
    assert conflicts_of(result) == [("question 2 rating", "low", "strong")]
    assert result.interview.reflection is not None
    assert result.interview.reflection.verdict == "strong"  # set over the old one: no conflict
    assert result.changed
    described = result.conflicts[0].describe("fixed1")
    assert described.startswith(
        'conflict in interview fixed1, question 2 rating: kept "low" (set 2026-11-02T10:00:03'
    )
    assert 'not "strong" (set 2026-11-02T10:00:01+00:00 on machine server)' in described


def test_the_merge_is_commutative_and_idempotent() -> None:
    ours, theirs = divergent()
    one, other = merge(ours, theirs), merge(theirs, ours)
    assert content(one.interview) == content(other.interview)
    assert sorted(conflicts_of(one)) == sorted(conflicts_of(other))
    merged = one.interview
    for again in (merge(merged, theirs), merge(merged, ours), merge(merged, copy.deepcopy(merged))):
        assert not again.changed
    assert content(merge(merged, theirs).interview) == content(merged)


def test_equal_stamps_are_broken_the_same_way_whichever_copy_comes_first() -> None:
    one, other = base(), base()  # two old copies: no stamps, changed at the same moment
    one.answers[QUESTION].rating, other.answers[QUESTION].rating = "low", "strong"
    a, b = merge(one, other), merge(other, one)
    assert a.interview.answers[QUESTION].rating == b.interview.answers[QUESTION].rating
    assert len(a.conflicts) == len(b.conflicts) == 1


def stale_copy_finished_later() -> tuple[Interview, Interview]:
    """The team's reflected interview, and a laptop's copy from before its questions were finished,
    resumed there later and finished again: its status and position stamped after the team's."""
    team, stale = base(), base()
    team.status, team.position = "complete", 5
    team.stamps = {"status": stamp(T0 + 1000, "server"), "position": stamp(T0 + 1000, "server")}
    stale.reflection, stale.status, stale.position = None, "draft", 2
    stale.stamps = {"status": stamp(T0, "server"), "position": stamp(T0, "server")}
    stale.status, stale.position = "awaiting-reflection", 5
    restamp(stale.stamps, "status", stamp(T0 + 5000, "laptop"), "laptop", stale.updated_at)
    restamp(stale.stamps, "position", stamp(T0 + 5000, "laptop"), "laptop", stale.updated_at)
    return team, stale


def test_a_stale_copy_finished_later_cannot_send_a_reflected_interview_back() -> None:
    team, stale = stale_copy_finished_later()
    for result in (merge(team, stale), merge(stale, team)):
        merged = result.interview
        assert merged.reflection is not None and merged.reflection.verdict == "moderate"
        assert merged.status == "complete"  # the higher stamp was the stale copy's "awaiting-reflection"
        assert merged.stamps["status"] == stamp(T0 + 5000, "laptop")
        assert result.conflicts == []
    again = merge(team, stale).interview
    assert content(merge(again, stale).interview) == content(again)


def test_the_status_is_worked_out_from_the_merged_copy_whatever_the_stamps_say() -> None:
    team, stale = stale_copy_finished_later()
    stale.position = 2  # resumed, then paused at question 3: that is where it stands now
    merged = merge(team, stale).interview
    assert (merged.position, merged.status) == (2, "complete")
    finished, draft = base(), base()
    finished.reflection = draft.reflection = None
    finished.status, draft.status = "awaiting-reflection", "draft"
    draft.stamps["status"] = stamp(T0 + 9000, "laptop")  # a draft stamped later does not undo finishing
    assert (
        merge(finished, draft).interview.status
        == merge(draft, finished).interview.status
        == ("awaiting-reflection")
    )
    one, other = base(), base()  # a verdict given to a draft leaves it a draft
    one.status = other.status = "draft"
    assert merge(one, other).interview.status == "draft"
    cleared = base()
    cleared.status = "complete"
    set_value(cleared, "reflection", "verdict", None, T0 + 9000, "laptop")  # the verdict taken back
    kept = base()
    kept.status = "complete"
    assert merge(kept, cleared).interview.status == "awaiting-reflection"


def test_a_line_an_edit_replaced_and_a_dropped_follow_up_stay_gone() -> None:
    ours, theirs = base(), base()
    answer = ours.answers[QUESTION]
    answer.lines[0].gone = stamp(T0 + 100, "server")
    add_line(ours, line(4, T0 + 100, "server", "held the line, amended"))
    assert theirs.reflection is not None and ours.reflection is not None
    gone = theirs.reflection.follow_ups.pop()
    theirs.reflection.stamps[f"gone:{gone.id}"] = stamp(T0 + 200, "laptop")
    theirs.reflection.follow_ups.append(
        FollowUp(text="send the report", id=f"{stamp(T0 + 300, 'laptop')}~bbbb")
    )
    for result in (merge(ours, theirs), merge(theirs, ours)):
        assert result.interview.answers[QUESTION].notes == "held the line, amended"
        assert result.interview.reflection is not None
        assert [f.text for f in result.interview.reflection.follow_ups] == ["send the report"]
        assert not result.conflicts


def test_a_laptop_clock_hours_ahead_cannot_outrank_a_later_real_edit() -> None:
    real = [T0]
    laptop = Clock("laptop", now_ms=lambda: real[0] + 3 * 3600 * 1000)
    server = Clock("server", now_ms=lambda: real[0])
    team, offline = base(), base()
    offline.answers[QUESTION].rating = "low"
    restamp(offline.answers[QUESTION].stamps, "rating", laptop.stamp(), "laptop", offline.updated_at)
    real[0] += 60_000  # a minute later the team reads the laptop's copy, then changes the rating
    server.observe(newest_stamp(offline))
    team = merge(team, offline).interview
    team.answers[QUESTION].rating = "strong"
    restamp(team.answers[QUESTION].stamps, "rating", server.stamp(), "server", team.updated_at)
    for result in (merge(team, offline), merge(offline, team)):
        assert result.interview.answers[QUESTION].rating == "strong"
        assert not result.conflicts  # the team's edit was made over the laptop's value


def test_an_old_copy_gets_the_line_ids_an_old_store_gives_it() -> None:
    record = make_interview({QUESTION: ("a\nb\na", [], None)})
    got = normalized(record).answers[QUESTION].lines
    uid = normalized(record).uid
    assert [(x.id, x.text) for x in got] == [
        (i, t) for i, _, t in legacy_lines(uid, QUESTION, "a\nb\na", record.updated_at)
    ]
    assert len({x.id for x in got}) == 3


def test_the_merged_interview_was_updated_when_the_later_copy_was_written() -> None:
    ours, theirs = base(), base()
    set_value(ours, "answer", "rating", "strong", T0 + 5000, "server")
    set_value(theirs, "answer", "rating", "low", T0 + 3000, "laptop")  # it loses, written later
    ours.updated_at, theirs.updated_at = "2026-11-02T10:00:05+00:00", "2026-11-02T11:00:00+00:00"
    for one, other in ((ours, theirs), (theirs, ours)):
        result = merge(one, other)
        assert result.interview.updated_at == "2026-11-02T11:00:00+00:00"
        assert result.interview.answers[QUESTION].rating == "strong"
    assert merge(ours, theirs).changed
    assert not merge(merge(ours, theirs).interview, theirs).changed


# --- in the store: both backends ----------------------------------------------------------------


@pytest.mark.usefixtures("store_backend")
def test_the_store_writes_the_merge_and_keeps_what_lost_in_the_history(isolated_home) -> None:
    ours, theirs = divergent()
    with Store.open(isolated_home) as store:
        with store.transaction() as db:
            key = store.snapshots.add(snapshot_data(ours.snapshot.questions, ours.snapshot.reflection))
            store.interviews.write([(ours, key)])
            db.execute("SELECT 1")
        stored = store.interviews._load(ours.id)
        with store.transaction():
            fresh = store.interviews.apply(stored, merge(stored, theirs))
        assert [(c.field, c.kept, c.lost) for c in fresh] == [("question 2 rating", "low", "strong")]
        history = store.interviews.history(ours.id)
        assert [(h.field, h.value, h.stamp) for h in history] == [
            ("question 2 rating", '"strong"', stamp(T0 + 1000, "server"))
        ]
        again = store.interviews._load(ours.id)
        with store.transaction():  # the same copy once more: nothing new, nothing named again
            assert store.interviews.apply(again, merge(again, theirs)) == []
        assert len(store.interviews.history(ours.id)) == 1
        kept = store.interviews.get(ours.id)
    assert kept.answers[QUESTION].notes == "held the line\ntyped on the laptop\ntyped on the server"
    assert kept.answers[QUESTION].rating == "low"
    assert kept.reflection is not None and kept.reflection.verdict == "strong"


@pytest.mark.usefixtures("store_backend")
def test_a_store_stamps_an_edit_after_everything_it_read_even_from_a_clock_ahead(isolated_home) -> None:
    ahead = stamp(T0 + 10**10, "laptop")  # months ahead of this machine's clock (it was T0 then)
    record = base()
    record.answers[QUESTION].stamps["rating"] = ahead
    with Store.open(isolated_home) as store, store.transaction():
        key = store.snapshots.add(snapshot_data(record.snapshot.questions, record.snapshot.reflection))
        store.interviews.write([(record, key)])
    with Store.open(isolated_home) as store:  # another process: it has seen nothing of it yet
        held = store.interviews.get(record.id)  # a server holds it at its now (022's triggers)
        assert (held.answers[QUESTION].stamps["rating"] == ahead) is not store.shared
        loaded = store.interviews.get(record.id)
        answer = loaded.answers[QUESTION]
        answer.rating = "strong"
        store.interviews.save_answer(loaded.id, answer)
        edited = store.interviews.get(record.id)
    assert edited.answers[QUESTION].stamps["rating"] > held.answers[QUESTION].stamps["rating"]
    assert merge(held, edited).interview.answers[QUESTION].rating == "strong"
    assert merge(edited, held).interview.answers[QUESTION].rating == "strong"


@pytest.mark.usefixtures("store_backend")
def test_a_push_merges_this_machines_copy_into_the_team_store(isolated_home, tmp_path) -> None:
    from leadcli.store.push import push_waiting

    ours, theirs = divergent()
    with Store.open(isolated_home) as team:
        with team.transaction():
            key = team.snapshots.add(snapshot_data(ours.snapshot.questions, ours.snapshot.reflection))
            team.interviews.write([(ours, key)])
        replica = Replica.open_in(tmp_path / "laptop")
        try:
            replica.put(theirs, lines=1)
            pushed = push_waiting(replica, team)
            assert [(p.interview_id, p.team_id) for p in pushed] == [(ours.id, "")]
            assert len(pushed[0].conflicts) == 1 and 'question 2 rating: kept "low"' in pushed[0].conflicts[0]
            replica.put(theirs, lines=1)  # the same copy again: nothing more to say
            assert [p.conflicts for p in push_waiting(replica, team)] == [()]
        finally:
            replica.close()
        kept = team.interviews.get(ours.id)
    assert kept.answers[QUESTION].notes == "held the line\ntyped on the laptop\ntyped on the server"


@pytest.mark.usefixtures("store_backend")
def test_a_push_reads_and_writes_a_table_at_a_time_however_many_interviews_wait(isolated_home) -> None:
    """A push merging 8 interviews into their team copies sends the store as many statements as one
    merging 2 (on a server each statement is a round trip or a pipelined batch), and every line lands."""
    from dataclasses import replace

    from leadcli.store.push import push_waiting

    def statements_to_push(count: int) -> int:
        records = [
            normalized(
                make_interview(
                    {QUESTION: (f"first line of {n}\nsecond line of {n}", [], "low")},
                    interview_id=numbered_id(1000 * count + n),
                    organization=f"Push Org {count} {n}",
                )
            )
            for n in range(count)
        ]
        sent: list[str] = []
        with Store.open(isolated_home) as team:
            with team.transaction():
                first = records[0].snapshot
                key = team.snapshots.add(snapshot_data(first.questions, first.reflection))
                team.interviews.write([(replace(r, answers={}), key) for r in records])
            replica = Replica.open_in(isolated_home / f"laptop-{count}")
            try:
                for record in records:
                    replica.put(record, lines=2)
                db = team.connection
                execute, executemany = db.execute, db.executemany
                db.execute = lambda sql, params=(): sent.append(sql) or execute(sql, params)  # type: ignore[method-assign]
                db.executemany = lambda sql, rows: sent.append(sql) or executemany(sql, rows)  # type: ignore[method-assign]
                pushed = push_waiting(replica, team)
                del db.execute, db.executemany
            finally:
                replica.close()
            assert sum(p.lines for p in pushed) == 2 * count
            for n, record in enumerate(records):
                kept = team.interviews.get(record.id).answers[QUESTION]
                assert kept.notes == f"first line of {n}\nsecond line of {n}" and kept.rating == "low"
        return len(sent)

    assert statements_to_push(2) == statements_to_push(8)


@pytest.mark.usefixtures("store_backend")
def test_after_a_merge_the_interview_is_as_recent_as_its_later_copy(run, isolated_home) -> None:
    ours, theirs = base(), base()
    set_value(ours, "answer", "rating", "strong", T0 + 5000, "server")
    set_value(theirs, "answer", "rating", "low", T0 + 3000, "laptop")  # loses, but written later
    ours.updated_at, theirs.updated_at = "2026-11-02T10:00:05+00:00", "2026-11-02T11:00:00+00:00"
    between = base()
    between.id, between.uid, between.updated_at = "zz2345", "2" * 32, "2026-11-02T10:30:00+00:00"
    with Store.open(isolated_home) as store:
        with store.transaction():
            key = store.snapshots.add(snapshot_data(ours.snapshot.questions, ours.snapshot.reflection))
            store.interviews.write([(ours, key), (between, key)])
        stored = store.interviews._load(ours.id)
        with store.transaction():
            store.interviews.apply(stored, merge(stored, theirs))
        assert store.interviews.get(ours.id).updated_at == "2026-11-02T11:00:00+00:00"
    listed = json.loads(run("list", "-f", "json").stdout)["interviews"]
    assert [i["id"] for i in listed] == [ours.id, "zz2345"]  # most recently updated first


@pytest.mark.usefixtures("store_backend")
def test_history_shows_each_value_that_lost_a_merge_on_one_harmless_line(
    run, isolated_home, monkeypatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # each row on one line of the terminal
    ours, theirs = base(), base()
    ours.stamps["organization"] = stamp(T0 + 2000, "server")
    theirs.organization = "Evil\x1b]8;;http://x\x07 [bold]Co[/bold]\nnext"
    theirs.stamps["organization"] = stamp(T0 + 1000, "laptop")
    with Store.open(isolated_home) as store:
        with store.transaction():
            key = store.snapshots.add(snapshot_data(ours.snapshot.questions, ours.snapshot.reflection))
            store.interviews.write([(ours, key)])
        stored = store.interviews._load(ours.id)
        with store.transaction():
            assert len(store.interviews.apply(stored, merge(stored, theirs))) == 1
    shown = run("history", ours.id)
    assert shown.exit_code == 0, shown.output
    assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout
    row = next(x for x in shown.stdout.splitlines() if "organization" in x and "Evil" in x)
    assert '"Evil\\x1b]8;;http://x\\x07 [bold]Co[/bold]\\nnext"' in row  # escapes shown, on one line
    assert "2026-11-02T10:00:01+00:00 on machine laptop" in row  # when it was set ...
    assert "2026-11-02T10:00:02+00:00 on machine server" in row  # ... and the value kept instead
    data = json.loads(run("history", ours.id, "-f", "json").stdout)
    assert [(v["field"], v["value"], v["set"], v["winner_set"]) for v in data["lost_values"]] == [
        (
            "organization",
            theirs.organization,
            "2026-11-02T10:00:01+00:00 on machine laptop",
            "2026-11-02T10:00:02+00:00 on machine server",
        )
    ]
    assert "\x1b" not in run("history", ours.id, "-f", "json").stdout


# --- import ----------------------------------------------------------------------------------

ANSWERS = (
    "organization: Acme\ninterviewer: Kim\nregion: Canada\n"
    "contacts: [{name: Bo, role: COO, level: core}]\n"
    "answers:\n  track-record: {notes: 'held the line', rating: low}\n"
    "reflection: {fit: maybe, verdict: limited, follow_ups: [{text: call, due: 2027-01-01}]}\n"
)
TABLES = ("interviews", "contacts", "answers", "note_lines", "reflections", "follow_ups", "value_history")


@pytest.fixture
def made(run, tmp_path, isolated_home, monkeypatch) -> Path:
    """A store with one interview (222223), and its export."""
    counter = iter(range(1, 10_000))
    monkeypatch.setattr("leadcli.store.interviews.new_id", lambda: numbered_id(next(counter)))
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    assert run("interview", "--answers", str(answers)).exit_code == 0
    path = tmp_path / "export.json"
    assert run("export", "-o", str(path)).exit_code == 0
    return path


def rows(home: Path) -> dict[str, list]:
    with Store.open(home) as store:
        return {
            table: [tuple(r) for r in store.connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
            for table in TABLES
        }


@pytest.mark.usefixtures("store_backend")
def test_importing_the_same_file_twice_changes_nothing(run, made, tmp_path, isolated_home) -> None:
    data = json.loads(made.read_text(encoding="utf-8"))
    line_added = {
        "id": "e" * 32,
        "stamp": stamp(T0, "laptop"),
        "author": "kim",
        "text": "one more",
        "gone": "",
    }
    data["interviews"][0]["answers"]["track-record"]["lines"].append(line_added)
    data["interviews"][0]["answers"]["track-record"]["notes"] += "\none more"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    first = run("import", str(changed))
    assert (
        first.stderr
        == "leadcli: imported 0 new interview(s), updated 1, skipped 0 unchanged, 0 conflict(s)\n"
    )
    before = rows(isolated_home)
    second = run("import", str(changed))
    assert (
        second.stderr
        == "leadcli: imported 0 new interview(s), updated 0, skipped 1 unchanged, 0 conflict(s)\n"
    )
    assert rows(isolated_home) == before


@pytest.mark.usefixtures("store_backend")
def test_another_interview_under_a_taken_id_is_kept_beside_it(run, made, tmp_path, isolated_home) -> None:
    data = json.loads(made.read_text(encoding="utf-8"))
    record = data["interviews"][0]
    record.update(uid="ab" * 16, organization="Other Health")  # another creation, the same short id
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data), encoding="utf-8")
    result = run("import", str(other))
    assert result.exit_code == 0, result.stderr
    new = result.stderr.split(" was added as ")[1].split(",")[0]
    assert result.stderr == (
        f"leadcli: conflict: the store has another interview 222223; the file's interview 222223 was added"
        f" as {new}, both kept\n"
        "leadcli: imported 1 new interview(s), updated 0, skipped 0 unchanged, 0 conflict(s)\n"
    )
    with Store.open(isolated_home) as store:
        assert store.interviews.get("222223").organization == "Acme"
        assert store.interviews.get(new).organization == "Other Health"
    again = run("import", str(other))  # found by its identity: the same interview, nothing new
    assert (
        again.stderr
        == "leadcli: imported 0 new interview(s), updated 0, skipped 1 unchanged, 0 conflict(s)\n"
    )


@pytest.mark.usefixtures("store_backend")
def test_an_import_into_an_interview_open_live_merges_into_it(run, made, tmp_path, isolated_home) -> None:
    with Store.open(isolated_home) as store:
        lease = Lease("222223", store.user or "kim", "another-laptop", 4242, machine="f" * 16)
        store.leases.take(lease)
        # the terminal that has it open types a line and changes the rating
        live = store.interviews.get("222223")
        answer = live.answers["track-record"]
        store.interviews.add_line(live.id, answer, "typed live")
        answer.rating = "strong"
        store.interviews.save_answer(live.id, answer)
    data = json.loads(made.read_text(encoding="utf-8"))
    record = data["interviews"][0]
    record["answers"]["track-record"]["lines"].append(
        {"id": "d" * 32, "stamp": stamp(T0, "laptop"), "author": "kim", "text": "from the file", "gone": ""}
    )
    record["answers"]["track-record"]["notes"] += "\nfrom the file"
    path = tmp_path / "colleague.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert "updated 1" in result.stderr
    with Store.open(isolated_home) as store:
        kept = store.interviews.get("222223")
        assert store.leases._current(store.connection, "222223") is not None  # still open where it was
    notes = kept.answers["track-record"].notes.split("\n")
    assert sorted(notes) == sorted(["held the line", "typed live", "from the file"])
    assert kept.answers["track-record"].rating == "strong"  # the live edit is the later one


@pytest.mark.usefixtures("store_backend")
def test_divergent_copies_through_import_name_the_conflict_once_and_keep_it(
    run, made, tmp_path, isolated_home
) -> None:
    data = json.loads(made.read_text(encoding="utf-8"))
    with Store.open(isolated_home) as store:  # the store's user changes the verdict ...
        live = store.interviews.get("222223")
        assert live.reflection is not None
        live.reflection.verdict = "strong"
        store.interviews.save_reflection(live.id, live.reflection)
    reflection = data["interviews"][0]["reflection"]  # ... and so did a colleague, on their laptop
    reflection["verdict"] = "unclear"
    reflection["stamps"]["verdict"] = stamp(T0, "laptop")
    path = tmp_path / "colleague.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    first = run("import", str(path))
    assert first.exit_code == 0, first.stderr
    lines = first.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(
        'leadcli: conflict in interview 222223, reflection verdict: kept "strong" (set '
    )
    assert 'not "unclear" (set 2026-11-02T10:00:00+00:00 on machine laptop)' in lines[0]
    assert lines[1].endswith("updated 1, skipped 0 unchanged, 1 conflict(s)")  # its history changed
    second = run("import", str(path))
    assert second.stderr.endswith("skipped 1 unchanged, 0 conflict(s)\n")
    with Store.open(isolated_home) as store:
        assert [(h.field, h.value) for h in store.interviews.history("222223")] == [
            ("reflection verdict", '"unclear"')
        ]
        assert store.interviews.get("222223").reflection.verdict == "strong"  # type: ignore[union-attr]


@pytest.mark.usefixtures("store_backend")
def test_an_import_of_a_stale_copy_finished_later_keeps_the_interview_complete(
    run, made, tmp_path, isolated_home
) -> None:
    assert json.loads(run("list", "-f", "json").stdout)["interviews"][0]["status"] == "complete"
    data = json.loads(made.read_text(encoding="utf-8"))
    record = data["interviews"][0]
    record["reflection"] = None  # the copy from before the reflection, finished again later
    record["status"] = "awaiting-reflection"
    record["stamps"]["status"] = stamp(int(datetime.now().timestamp() * 1000), "laptop")
    path = tmp_path / "stale.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(" 0 conflict(s)\n")
    assert json.loads(run("list", "-f", "json").stdout)["interviews"][0]["status"] == "complete"
    assert run("import", str(path)).stderr.endswith("skipped 1 unchanged, 0 conflict(s)\n")


# --- migration 012_note_lines ------------------------------------------------------------------


def test_an_old_store_and_an_old_export_of_the_same_interview_merge_line_by_line(
    run, made, tmp_path, isolated_home
) -> None:
    """An export made before lines (no uid, lines, stamps or follow-up ids) of an interview a store
    migrated from before lines also has: the same ids on both sides, nothing new."""
    data = json.loads(made.read_text(encoding="utf-8"))
    record = data["interviews"][0]
    for name in ("uid", "stamps", "lost_values"):
        record.pop(name)
    for answer in record["answers"].values():
        answer.pop("lines")
        answer.pop("stamps")
    record["reflection"].pop("stamps")
    for item in record["reflection"]["follow_ups"]:
        item.pop("id")
        item.pop("stamp")
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    home = tmp_path / "old-home"
    with Store.open(home, migrate_upto="011_cue_judgements") as store:  # a store from before lines
        interview = normalized(Interview(**{**record_fields(made), "uid": ""}))
        db = store.connection
        db.execute("BEGIN")
        columns = (
            "id, organization, interviewer, region, status, position, created_at, updated_at,"
            " framework_version, framework_sha256, questions_version, questions_sha256, snapshot,"
            " snapshot_sha256, created_by, changed_by, questions_source, org_key, assigned_to, claimed_by"
        )
        s = interview.stamp
        db.execute(
            f"INSERT INTO interviews ({columns}) VALUES ({', '.join('?' * 20)})",
            (interview.id, interview.organization, interview.interviewer, interview.region, interview.status,
             interview.position, interview.created_at, interview.updated_at, s.framework_version,
             s.framework_sha256, s.questions_version, s.questions_sha256, "", record["snapshot"],
             interview.created_by, "", "", "acme", "", ""),
        )  # fmt: skip
        answer = record["answers"]["track-record"]
        db.execute(
            "INSERT INTO answers (interview_id, question_id, state, notes, cues, rating, updated_at)"
            " VALUES (?, ?, 'explored', ?, '[]', ?, ?)",
            (interview.id, "track-record", answer["notes"], answer["rating"], answer["updated_at"]),
        )
        person = record["contacts"][0]
        db.execute(
            "INSERT INTO contacts (interview_id, position, name, role, level) VALUES (?, 0, ?, ?, ?)",
            (interview.id, person["name"], person["role"], person["level"]),
        )
        fields = data["interviews"][0]["reflection"]
        db.execute(
            "INSERT INTO reflections (interview_id, fit, concerns, gaps, verdict, updated_at)"
            " VALUES (?, ?, '', '', ?, ?)",
            (interview.id, fields["fit"], fields["verdict"], interview.updated_at),
        )
        db.execute(
            "INSERT INTO follow_ups (interview_id, position, text, owner, due) VALUES (?, 0, ?, '', ?)",
            (interview.id, fields["follow_ups"][0]["text"], fields["follow_ups"][0]["due"]),
        )
        db.execute(
            "INSERT INTO snapshots (sha256, questions, data) VALUES (?, ?, ?)",
            (record["snapshot"], 5, json.dumps(data["snapshots"][record["snapshot"]])),
        )
        db.execute("COMMIT")
    migrated = Store.open(home)
    try:
        kept = migrated.interviews.get(interview.id)
        assert kept.answers["track-record"].notes == "held the line"
        assert [x.id for x in kept.answers["track-record"].lines] == [
            x.id for x in interview.answers["track-record"].lines
        ]
        assert kept.uid == interview.uid
    finally:
        migrated.close()
    result = run("--home", str(home), "import", str(old))
    assert (
        result.stderr
        == "leadcli: imported 0 new interview(s), updated 0, skipped 1 unchanged, 0 conflict(s)\n"
    )


def record_fields(path: Path) -> dict:
    """The first interview of an export as the fields of an `Interview` (questions left empty)."""
    from leadcli.store.records import Answer, ContentStamp, Snapshot

    data = json.loads(path.read_text(encoding="utf-8"))["interviews"][0]
    fields = {
        k: v
        for k, v in data.items()
        if k not in ("snapshot", "stamp", "answers", "reflection", "contacts", "lost_values")
    }
    fields["stamp"] = ContentStamp(**data["stamp"])
    fields["snapshot"] = Snapshot(questions=(), reflection=())
    fields["answers"] = {
        q: Answer(question_id=q, notes=a["notes"], updated_at=a["updated_at"])
        for q, a in data["answers"].items()
    }
    fields["stamps"] = {}
    return fields


def test_a_conflict_met_by_a_live_interviews_push_is_named_when_it_ends(postgres_url, tmp_path) -> None:
    """A colleague changes a rating on the team store while this terminal has the interview open
    and changes it too: the push merges both, and the interview's end names the conflict."""
    import time

    from leadcli.interview.capture import Capture

    record = base()
    with Store.open(tmp_path / "setup", url=postgres_url) as team, team.transaction():
        key = team.snapshots.add(snapshot_data(record.snapshot.questions, record.snapshot.reflection))
        team.interviews.write([(record, key)])
    shown: list[str] = []
    capture = Capture(tmp_path / "laptop", url=postgres_url, show=lambda text: shown.append(str(text)))
    live = capture.resume(record.id)
    with Store.open(tmp_path / "colleague", url=postgres_url) as other:  # another machine
        theirs = other.interviews.get(record.id)
        theirs.answers[QUESTION].rating = "strong"
        other.interviews.save_answer(theirs.id, theirs.answers[QUESTION])
    time.sleep(0.01)
    answer = live.answers[QUESTION]
    answer.rating = "low"
    capture.save_answer(live.id, answer)
    capture.close()
    named = [
        line for line in shown if line.startswith(f"conflict in interview {record.id}, question 2 rating")
    ]
    assert len(named) == 1, shown
    assert 'kept "low"' in named[0] and 'not "strong"' in named[0]
    with Store.open(tmp_path / "setup", url=postgres_url) as team:
        assert team.interviews.get(record.id).answers[QUESTION].rating == "low"
        assert [(h.field, h.value) for h in team.interviews.history(record.id)] == [
            ("question 2 rating", '"strong"')
        ]


def test_a_laptop_hours_ahead_stamps_in_the_servers_time_online_and_offline(postgres_url, tmp_path) -> None:
    """The laptop's clock is 3 hours fast. Opening the team store measures the server's time, so its
    stamps are in the server's time, and kept so (in the home, owner-only) for when it is offline."""
    import time

    from leadcli.store import clock as clocks
    from leadcli.store.identity import machine_id

    home = tmp_path / "laptop"
    node = machine_id(home)
    fast = lambda: time.time_ns() // 1_000_000 + 3 * 3600 * 1000  # noqa: E731
    clocks.clock_for(node).now_ms = fast
    with Store.open(home, url=postgres_url) as team:
        online = team.connection.clock.stamp()
    assert abs(clocks.parse_stamp(online)[0] - time.time_ns() // 1_000_000) < 60_000
    assert (home / clocks.OFFSET_FILE).stat().st_mode & 0o777 == 0o600
    # another process on that laptop, offline: the replica stamps with the offset kept in the home
    del clocks._CLOCKS[node]
    clocks.clock_for(node).now_ms = fast
    replica = Replica.open_in(home)
    try:
        offline = replica.connection.clock.stamp()
    finally:
        replica.close()
    assert abs(clocks.parse_stamp(offline)[0] - time.time_ns() // 1_000_000) < 60_000
    del clocks._CLOCKS[node]


def test_a_laptop_hours_ahead_loses_a_conflict_to_a_later_real_edit(postgres_url, tmp_path) -> None:
    """Two machines change one rating without seeing each other's change: the later in real time
    wins, though the laptop that made the earlier one has a clock 3 hours fast."""
    import time

    from leadcli.store import clock as clocks
    from leadcli.store.identity import machine_id
    from leadcli.store.push import push_interviews

    record = base()
    with Store.open(tmp_path / "setup", url=postgres_url) as team, team.transaction():
        key = team.snapshots.add(snapshot_data(record.snapshot.questions, record.snapshot.reflection))
        team.interviews.write([(record, key)])
    laptop = tmp_path / "laptop"
    node = machine_id(laptop)
    clocks.clock_for(node).now_ms = lambda: time.time_ns() // 1_000_000 + 3 * 3600 * 1000
    with Store.open(laptop, url=postgres_url) as team:  # read online, then changed offline
        mine = team.interviews.get(record.id)
    mine.answers[QUESTION].rating = "strong"
    restamp(mine.answers[QUESTION].stamps, "rating", clocks.clock_for(node).stamp(), node, mine.updated_at)
    time.sleep(0.05)
    with Store.open(tmp_path / "colleague", url=postgres_url) as other:  # later, on the server
        theirs = other.interviews.get(record.id)
        theirs.answers[QUESTION].rating = "low"
        other.interviews.save_answer(theirs.id, theirs.answers[QUESTION])
    with Store.open(laptop, url=postgres_url) as team:  # the laptop is back
        _, _, conflicts, _ = push_interviews(team, [mine])
        assert team.interviews.get(record.id).answers[QUESTION].rating == "low"
    (named,) = conflicts[record.id]
    assert 'kept "low"' in named and 'not "strong"' in named
    del clocks._CLOCKS[node]
