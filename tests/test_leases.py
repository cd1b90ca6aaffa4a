"""The lease on an open interview: one process writes it at a time; nothing vanishes silently."""

from __future__ import annotations

import os

import pytest

from leadcli.interview.session import begin_interview, lease_for
from leadcli.store.db import Store
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


def test_a_live_lease_elsewhere_is_refused_with_who_where_and_since(store, interview) -> None:
    other = Lease(interview.id, "sam", "laptop-7", 4242, "2026-11-29T09:00:00+00:00")
    store.leases.take(other)
    with pytest.raises(LeaseHeld) as held:
        store.leases.take(lease_for(store, interview.id))
    assert str(held.value) == (
        f"interview {interview.id} is open by {holder(store, 'sam')} on laptop-7 (process 4242)"
        " since 2026-11-29T09:00:00+00:00"
    )
    assert held.value.hint == "if that session crashed, add --take-over to continue here"
    store.leases.take(lease_for(store, interview.id), take_over=True)
    store.interviews.save_answer(interview.id, Answer(question_id="quality-planning", notes="mine now"))


def test_a_dead_process_on_this_host_is_taken_over_without_asking(store, interview) -> None:
    mine = lease_for(store, interview.id)
    dead = Lease(interview.id, mine.holder, mine.host, 2**22 + 17)  # no such process
    store.leases.take(dead)
    store.leases.take(mine)


def test_the_old_holder_cannot_write_after_a_take_over(isolated_home, interview) -> None:
    with Store.open(isolated_home) as first, Store.open(isolated_home) as second:
        first.leases.take(Lease(interview.id, "kim", "desk", os.getpid()))
        second.leases.take(Lease(interview.id, "kim", "laptop", 99), take_over=True)
        second.interviews.save_answer(
            interview.id, Answer(question_id="quality-planning", notes="from the laptop")
        )
        taken = rf"was taken over by {holder(first, 'kim')} on laptop .* this change was not saved"
        with pytest.raises(LeaseHeld, match=taken):
            first.interviews.save_answer(
                interview.id, Answer(question_id="quality-planning", notes="from the desk")
            )
        assert second.interviews.get(interview.id).answers["quality-planning"].notes == "from the laptop"


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
    store.leases.take(Lease(interview.id, "sam", "laptop-7", 4242, "2026-11-29T09:00:00+00:00"))
    # fit (ended by a blank line), concerns, gaps, 5 domain levels, proposals, verdict
    keyboard("It fits", "", "", "", *[""] * 5, "", "s", "")
    refused = run("reflect", interview.id)
    assert refused.exit_code == 1
    assert (
        f"interview {interview.id} is open by {holder(store, 'sam')} on laptop-7 (process 4242)"
        in refused.stderr
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
        fresh.leases.take(Lease(interview.id, "sam", "laptop-7", 4242))


def test_two_machines_taking_one_lease_at_once_leave_one_holder(isolated_home, interview) -> None:
    import threading

    outcomes: list[str] = []

    def take(host: str) -> None:
        with Store.open(isolated_home) as mine:
            try:
                mine.leases.take(Lease(interview.id, "kim", host, 1000))
                outcomes.append("held")
            except LeaseHeld:
                outcomes.append("refused")

    threads = [threading.Thread(target=take, args=(f"host-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["held", "refused", "refused", "refused"]
