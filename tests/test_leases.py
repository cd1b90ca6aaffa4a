"""The lease on an open interview: one process writes it at a time; nothing vanishes silently."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest

from leadcli.interview.session import begin_interview, lease_for
from leadcli.store.db import Store
from leadcli.store.identity import machine_id
from leadcli.store.leases import Lease, LeaseHeld
from leadcli.store.records import Answer, Contact, Reflection
from tests.reports_helpers import CONTENT

# Every test here runs on both stores (SQLite and PostgreSQL; see conftest.store_backend).
pytestmark = pytest.mark.usefixtures("store_backend")


@pytest.fixture
def store(isolated_home):
    with Store.open(isolated_home) as opened:
        yield opened


@pytest.fixture
def interview(store):
    return begin_interview(
        store, CONTENT, organization="Acme", interviewer="Kim", region="",
        contacts=[Contact(name="Ana", level="executive")],
    )  # fmt: skip


def holder(store, claimed: str) -> str:
    """Who a lease names: on a server always the session's own user, whatever the client says."""
    return store.user if store.shared else claimed


def test_a_live_lease_elsewhere_is_refused_with_who_where_and_since(store, interview, isolated_home) -> None:
    other = Lease(interview.id, "sam", "laptop-7", 4242, "2026-11-29T09:00:00+00:00", machine="7a" * 8)
    store.leases.take(other)
    with pytest.raises(LeaseHeld) as held:
        store.leases.take(lease_for(store, interview.id, isolated_home))
    assert str(held.value) == (
        f"interview {interview.id} is open by {holder(store, 'sam')} on laptop-7"
        " (machine 7a7a7a7a7a7a7a7a, process 4242) since 2026-11-29T09:00:00+00:00"
    )
    assert held.value.hint == "if that session crashed, add --take-over to continue here"
    store.leases.take(lease_for(store, interview.id, isolated_home), take_over=True)
    store.interviews.save_answer(interview.id, Answer(question_id="quality-planning", notes="mine now"))


NO_SUCH_PROCESS = 2**22 + 17


def test_a_dead_process_on_this_machine_is_taken_over_without_asking(store, interview, isolated_home) -> None:
    mine = lease_for(store, interview.id, isolated_home)
    assert mine.machine == machine_id(isolated_home)
    store.leases.take(Lease(interview.id, mine.holder, mine.host, NO_SUCH_PROCESS, machine=mine.machine))
    store.leases.take(mine)


def test_two_machines_with_one_host_name_and_pid_are_told_apart(store, interview, isolated_home) -> None:
    """Two laptops both called "MacBook-Pro", or two containers whose processes have the same ids."""
    mine = lease_for(store, interview.id, isolated_home)
    twin = Lease(
        interview.id, mine.holder, mine.host, mine.pid, "2026-11-29T09:00:00+00:00", machine="b" * 16
    )
    with Store.open(isolated_home) as other:
        other.leases.take(twin)
        with pytest.raises(LeaseHeld, match=f"on {mine.host} \\(machine b{{16}}, process {mine.pid}\\)"):
            store.leases.take(mine)  # the same host name and process id, but not this machine
        store.leases.take(mine, take_over=True)
        with pytest.raises(LeaseHeld, match="was taken over by"):  # the other machine writes no more
            other.interviews.save_answer(interview.id, Answer(question_id="quality-planning", notes="twin"))
    store.interviews.save_answer(interview.id, Answer(question_id="quality-planning", notes="mine"))
    # A process of another machine that has ended is not this machine's to judge.
    store.leases.take(replace(twin, pid=NO_SUCH_PROCESS), take_over=True)
    with pytest.raises(LeaseHeld, match=f"process {NO_SUCH_PROCESS}"):
        store.leases.take(mine)


def test_the_lease_outlives_a_change_of_host_name(store, interview, isolated_home, monkeypatch) -> None:
    store.leases.take(lease_for(store, interview.id, isolated_home))
    monkeypatch.setattr("socket.gethostname", lambda: "renamed-by-dhcp")  # a laptop on new wifi
    store.leases.take(lease_for(store, interview.id, isolated_home))  # still this terminal
    store.interviews.save_answer(interview.id, Answer(question_id="quality-planning", notes="still mine"))


def test_the_old_holder_cannot_write_after_a_take_over(isolated_home, interview) -> None:
    with Store.open(isolated_home) as first, Store.open(isolated_home) as second:
        first.leases.take(Lease(interview.id, "kim", "desk", os.getpid(), machine="d" * 16))
        second.leases.take(Lease(interview.id, "kim", "laptop", 99, machine="e" * 16), take_over=True)
        second.interviews.save_answer(
            interview.id, Answer(question_id="quality-planning", notes="from the laptop")
        )
        taken = rf"was taken over by {holder(first, 'kim')} on laptop .* this change was not saved"
        with pytest.raises(LeaseHeld, match=taken):
            first.interviews.save_answer(
                interview.id, Answer(question_id="quality-planning", notes="from the desk")
            )
        assert second.interviews.get(interview.id).answers["quality-planning"].notes == "from the laptop"


def test_a_typed_line_in_one_statement_still_checks_the_lease_and_is_on_the_trail(
    isolated_home, interview
) -> None:
    """A line after the answer's first is one statement (on a server one call of add_note_line):
    once another terminal took the interview over it is refused, naming who, and not kept; every
    line kept is on the trail (on a server one entry a line; the file's trail, one a minute of
    typing on a question: 022_line_trail_by_minute)."""
    from tests.test_line_pages import a_minute_to_spare

    a_minute_to_spare()
    question = "quality-planning"
    with Store.open(isolated_home) as first, Store.open(isolated_home) as second:
        first.leases.take(Lease(interview.id, "kim", "desk", os.getpid(), machine="d" * 16))
        answer = Answer(question_id=question)
        first.interviews.add_line(interview.id, answer, "first line")  # writes the answer's row too
        first.interviews.add_line(interview.id, answer, "second line")  # the one-statement path
        second.leases.take(Lease(interview.id, "kim", "laptop", 99, machine="e" * 16), take_over=True)
        taken = rf"was taken over by {holder(first, 'kim')} on laptop .* this change was not saved"
        with pytest.raises(LeaseHeld, match=taken) as refused:
            first.interviews.add_line(interview.id, answer, "typed after the take-over")
        assert refused.value.holder is not None and refused.value.holder.host == "laptop"
        kept = second.interviews.get(interview.id).answers[question]
        assert [line.text for line in kept.lines] == ["first line", "second line"]
        second.interviews.add_line(interview.id, kept, "from the laptop")  # the new holder's lease holds
        assert [line.text for line in second.interviews.get(interview.id).answers[question].lines] == [
            "first line", "second line", "from the laptop",
        ]  # fmt: skip
        trail = [(e.action, e.detail) for e in second.trail.history(interview.id)]
        assert trail.count(("line added", question)) == (3 if second.shared else 1)


def test_a_typed_line_moves_updated_at_only_when_it_is_a_minute_behind(store, interview) -> None:
    """The interview's row is not rewritten at every line: a line moves updated_at when this store
    has not moved it for TOUCH_SECONDS and it is that far behind."""
    question = "quality-planning"
    old = "2026-01-01T00:00:00+00:00"

    def updated() -> str:
        return store.interviews.updated_times([interview.id])[interview.id]

    answer = Answer(question_id=question)
    store.interviews.add_line(interview.id, answer, "one")  # the answer's first line moves it
    store.connection.execute("UPDATE interviews SET updated_at = ? WHERE id = ?", (old, interview.id))
    store.interviews.add_line(interview.id, answer, "two")  # moved a moment ago by this store
    assert updated() == old
    store.interviews._touched.clear()  # as a minute later
    store.interviews.add_line(interview.id, answer, "three")
    assert updated() > old
    assert [line.text for line in store.interviews.get(interview.id).answers[question].lines] == [
        "one", "two", "three",
    ]  # fmt: skip


def test_a_verdict_on_an_unfinished_interview_leaves_it_a_draft(store, interview) -> None:
    store.interviews.save_reflection(interview.id, Reflection(verdict="strong"))
    assert store.interviews.get(interview.id).status == "draft"
    store.interviews.set_position(interview.id, len(interview.snapshot.questions))
    store.interviews.save_reflection(interview.id, Reflection(verdict="strong"))
    assert store.interviews.get(interview.id).status == "complete"
    store.interviews.save_reflection(interview.id, Reflection(verdict=None))
    assert store.interviews.get(interview.id).status == "awaiting-reflection"


def test_reflect_refuses_an_interview_open_elsewhere_unless_taken_over(
    run, keyboard, tmp_path, isolated_home, store, interview
) -> None:
    store.leases.take(
        Lease(interview.id, "sam", "laptop-7", 4242, "2026-11-29T09:00:00+00:00", machine="7a" * 8)
    )
    # fit (ended by a blank line), concerns, gaps, 5 domain levels, proposals, verdict
    keyboard("It fits", "", "", "", *[""] * 5, "", "s", "")
    refused = run("reflect", interview.id)
    assert refused.exit_code == 1
    assert (
        f"interview {interview.id} is open by {holder(store, 'sam')} on laptop-7"
        " (machine 7a7a7a7a7a7a7a7a, process 4242)" in refused.stderr
    )
    answers = tmp_path / "reflection.yaml"
    answers.write_text("reflection:\n  verdict: strong\n")
    assert run("reflect", interview.id, "--answers", str(answers)).exit_code == 1
    assert store.interviews.get(interview.id).reflection is None
    taken = run("reflect", interview.id, "--take-over")
    assert taken.exit_code == 0, taken.stderr
    record = store.interviews.get(interview.id)
    assert (record.reflection.fit, record.reflection.verdict, record.status) == ("It fits", "strong", "draft")
    with Store.open(isolated_home) as fresh:  # the lease was given up when the reflection ended
        fresh.leases.take(Lease(interview.id, "sam", "laptop-7", 4242, machine="7a" * 8))


def test_two_machines_taking_one_lease_at_once_leave_one_holder(isolated_home, interview) -> None:
    import threading

    outcomes: list[str] = []

    def take(machine: str) -> None:
        with Store.open(isolated_home) as mine:
            try:
                mine.leases.take(Lease(interview.id, "kim", "MacBook-Pro", 1000, machine=machine))
                outcomes.append("held")
            except LeaseHeld:
                outcomes.append("refused")

    threads = [threading.Thread(target=take, args=(f"{n}" * 16,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["held", "refused", "refused", "refused"]


def _store_before_machine_ids(backend: str, home, request) -> Store:
    """A store at the migration before 015_lease_machine, on this test's backend."""
    if backend == "sqlite":
        from leadcli.store.dialects.sqlite import SQLITE

        return Store(SQLITE.open(home, migrate_upto="011_cue_judgements"))
    import uuid

    import psycopg

    from leadcli.store.dialects.postgres import POSTGRES
    from leadcli.store.migrations import migrate

    base = request.getfixturevalue("postgres_database")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")

    def drop() -> None:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")

    request.addfinalizer(drop)
    connection = POSTGRES.connect(f"{base}?options=-csearch_path%3D{schema}")
    migrate(connection, upto="011_cue_judgements")
    return Store(connection)


def test_a_lease_from_before_machine_ids_is_kept_and_never_taken_for_stale(
    store_backend, isolated_home, request
) -> None:
    import socket

    from leadcli.store.migrations import migrate

    old = _store_before_machine_ids(store_backend, isolated_home, request)
    with old.transaction() as db:
        db.execute(
            "INSERT INTO interviews (id, organization, interviewer, region, status, position, created_at,"
            " updated_at, framework_version, framework_sha256, questions_version, questions_sha256, snapshot,"
            " snapshot_sha256) VALUES ('old001', 'Acme', 'Kim', '', 'draft', 1, '2025-01-01', '2025-01-01',"
            " 'f', 'f', 'q', 'q', '', '')"
        )
        # An old leadcli on a machine with this host name; its process id runs nowhere here.
        db.execute(
            "INSERT INTO interview_leases (interview_id, holder, host, pid, since) VALUES (?, ?, ?, ?, ?)",
            ("old001", "sam", socket.gethostname(), NO_SUCH_PROCESS, "2025-01-01T09:00:00+00:00"),
        )
    migrate(old.connection)
    with old as store:
        kept = store.connection.execute("SELECT holder, host, pid, since, machine FROM interview_leases")
        assert [tuple(r) for r in kept] == [
            ("sam", socket.gethostname(), NO_SUCH_PROCESS, "2025-01-01T09:00:00+00:00", "")
        ]
        # The host name is no proof it was this machine: it is refused, never taken silently.
        with pytest.raises(LeaseHeld) as held:
            store.leases.take(lease_for(store, "old001", isolated_home))
        assert str(held.value) == (
            f"interview old001 is open by sam on {socket.gethostname()} (process {NO_SUCH_PROCESS})"
            " since 2025-01-01T09:00:00+00:00"
        )
        store.leases.take(lease_for(store, "old001", isolated_home), take_over=True)
        store.leases.release()
        assert store.connection.execute("SELECT count(*) FROM interview_leases").fetchone()[0] == 0


# --- delete respects the lease ------------------------------------------------------------------


def test_delete_of_an_interview_open_in_a_terminal_is_refused_naming_who_and_where(
    run, store, interview, isolated_home
) -> None:
    open_elsewhere = Lease(
        interview.id, "sam", "laptop-7", 4242, "2026-11-29T09:00:00+00:00", machine="7a" * 8
    )
    store.leases.take(open_elsewhere)
    refused = run("delete", interview.id, "--yes")
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"leadcli: error: interview {interview.id} is open by {holder(store, 'sam')} on laptop-7"
        " (machine 7a7a7a7a7a7a7a7a, process 4242) since 2026-11-29T09:00:00+00:00; it was not deleted\n"
        "leadcli: if that session crashed, add --take-over\n"
    )
    assert store.interviews.ids() == [interview.id]
    # Even one that asks first says so before asking.
    asked = run("delete", interview.id, input="y\n")
    assert asked.exit_code == 1 and "it was not deleted" in asked.stderr
    assert "[y/N]" not in asked.output
    # The store refuses it itself, whoever asks.
    with pytest.raises(LeaseHeld, match="it was not deleted"):
        store.interviews.delete(interview.id, machine=machine_id(isolated_home))
    taken = run("delete", interview.id, "--yes", "--take-over")
    assert taken.exit_code == 0, taken.stderr
    assert store.interviews.ids() == []


def test_delete_after_a_crash_on_this_machine_needs_no_take_over(
    run, store, interview, isolated_home
) -> None:
    mine = lease_for(store, interview.id, isolated_home)
    store.leases.take(replace(mine, pid=NO_SUCH_PROCESS))  # that terminal was killed
    deleted = run("delete", interview.id, "--yes")
    assert deleted.exit_code == 0, deleted.stderr
    assert deleted.stderr == f"leadcli: deleted interview {interview.id}\n"
    assert store.interviews.ids() == []


def test_an_erasure_of_an_organization_with_an_interview_open_live_is_refused(run, store, interview) -> None:
    open_elsewhere = Lease(
        interview.id, "sam", "laptop-7", 4242, "2026-11-29T09:00:00+00:00", machine="7a" * 8
    )
    store.leases.take(open_elsewhere)
    refused = run("delete", "--org", "Acme", "--yes")
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"leadcli: error: interview {interview.id} is open by {holder(store, 'sam')} on laptop-7"
        " (machine 7a7a7a7a7a7a7a7a, process 4242) since 2026-11-29T09:00:00+00:00; nothing was erased\n"
        "leadcli: if that session crashed, add --take-over\n"
    )
    assert store.interviews.ids() == [interview.id]
    erased = run("delete", "--org", "Acme", "--yes", "--take-over")
    assert erased.exit_code == 0, erased.stderr
    assert store.interviews.ids() == []


def test_leases_this_machines_ended_processes_left_are_released_for_everyone(
    store, interview, isolated_home
) -> None:
    """An interview ended while the team store was out of reach, so its lease stayed: only this
    machine can tell its process has ended, and the next sync clears it."""
    ours = machine_id(isolated_home)
    other = begin_interview(
        store, CONTENT, organization="Beta", interviewer="Kim", region="",
        contacts=[Contact(name="Bo", level="executive")],
    )  # fmt: skip
    store.leases.take(Lease(interview.id, "kim", "laptop", NO_SUCH_PROCESS, machine=ours))
    store.leases.take(Lease(other.id, "sam", "laptop-7", NO_SUCH_PROCESS, machine="7a" * 8))
    assert store.leases.release_ended(ours) == [interview.id]
    with Store.open(isolated_home) as fresh:  # another terminal: the first is free, the other not
        fresh.leases.take(Lease(interview.id, "ana", "desk", os.getpid(), machine="5b" * 8))
        with pytest.raises(LeaseHeld):
            fresh.leases.take(Lease(other.id, "ana", "desk", os.getpid(), machine="5b" * 8))
    # a live process of this machine keeps its lease
    assert store.leases.release_ended("5b" * 8) == []


def test_sync_clears_the_lease_an_interview_left_when_it_ended_offline(
    store, interview, isolated_home
) -> None:
    from leadcli.services.sync import sync
    from leadcli.store.replica import Replica

    store.leases.take(
        Lease(interview.id, "kim", "laptop", NO_SUCH_PROCESS, machine=machine_id(isolated_home))
    )
    record = store.interviews.get(interview.id)
    with Replica.open_in(isolated_home) as replica:  # one line waited on this machine
        replica.put(record, lines=1)
    result = sync(isolated_home, os.environ.get("LEADCLI_DATABASE_URL"))
    assert result.problem is None and not result.left
    with Store.open(isolated_home) as fresh:
        fresh.leases.take(Lease(interview.id, "ana", "desk", os.getpid(), machine="5b" * 8))  # free
