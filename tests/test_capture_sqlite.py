"""Faults on the SQLite store during a live interview: nothing ends it, nothing typed is lost.

Each test types the same interview (tests.capture_helpers.LINES) with one fault injected part-way,
compares the whole transcript with the fault-free one (plus the lines leadcli adds to say where the
words are), and checks that every typed word is in the store once the fault is over.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.capture_helpers import (
    ARGS,
    CUES1,
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
    sqlite_store,
    synced,
    until,
)


def _stored(home: Path):
    with sqlite_store(home) as store:
        return store.interviews.get(store.interviews.ids()[-1])


def _interview(run, tiny_data, home: Path):
    return run("--home", str(home), "--data-dir", str(tiny_data), *ARGS)


def test_a_write_lock_held_past_the_busy_timeout_keeps_every_line(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids
) -> None:
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    home = tmp_path / "home"
    made = captures(monkeypatch)
    other: list[sqlite3.Connection] = []

    def lock() -> None:
        holder = sqlite3.connect(home / "leadcli.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        other.append(holder)

    install(
        monkeypatch,
        script_with({1: [lock], 3: [failing(made)], 4: [lambda: other[0].execute("ROLLBACK"), synced(made)]}),
    )
    result = _interview(run, tiny_data, home)
    assert result.exit_code == 0, result.output
    same(
        normalized(result.stdout),
        expected(
            baseline,
            {
                CUES1: ["saved on this machine; 2 lines waiting for the team store"],
                RATING1: ["all lines reached the team store"],
            },
        ),
    )
    assert made[-1].mode == "replica", made[-1].pusher.problem
    assert_every_word_stored(_stored(home))
    assert _replica_is_empty(home)


def _replica_is_empty(home: Path) -> bool:
    from leadcli.store.replica import Replica

    with Replica.open_in(home) as replica:
        return replica.interviews.ids() == [] and replica.waiting() == []


def test_a_take_over_from_another_terminal_keeps_both_terminals_lines(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids
) -> None:
    from leadcli.store.leases import Lease
    from leadcli.store.records import Answer

    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    home = tmp_path / "home"
    made = captures(monkeypatch)

    def take_over() -> None:  # what `leadcli interview --resume ID --take-over` elsewhere does
        record = made[-1].record
        with sqlite_store(home) as colleague:
            lease = Lease(record.id, "sam", "other-laptop", 4242, "2026-12-03T09:00:00+00:00")
            colleague.leases.take(lease, take_over=True)
            first = colleague.interviews.get(record.id).answers[record.snapshot.questions[0].id]
            colleague.interviews.save_answer(
                record.id, Answer(question_id=first.question_id, notes=first.notes + "\nSam's line")
            )

    install(monkeypatch, script_with({1: [take_over], 8: [synced(made)]}))
    result = _interview(run, tiny_data, home)
    assert result.exit_code == 0, result.output
    same(
        normalized(result.stdout),
        expected(
            baseline,
            {
                NOTES2: [
                    "interview ID was taken over by sam on other-laptop (process 4242) since TIME;"
                    " what you type is kept on this machine and added to it"
                ]
            },
            at_end=[
                "interview ID was taken over by sam on other-laptop (process 4242) since TIME; every line"
                " typed here was added to it"
            ],
        ),
    )
    assert_every_word_stored(_stored(home), also=("Sam's line",))


def test_the_open_interview_deleted_elsewhere_is_kept_and_stored_again(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids
) -> None:
    """The next write finds the delete (the watcher, which would find it too, is kept out)."""
    no_watch(monkeypatch)
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    home = tmp_path / "home"
    made = captures(monkeypatch)

    def delete() -> None:  # what `leadcli delete ID --take-over` elsewhere does (or plain SQL)
        with sqlite_store(home) as colleague:
            colleague.interviews.delete(made[-1].record.id, take_over=True)

    install(monkeypatch, script_with({5: [delete], 6: [synced(made)], 10: [synced(made)]}))
    result = _interview(run, tiny_data, home)
    assert result.exit_code == 0, result.output
    same(
        normalized(result.stdout),
        expected(baseline, {NOTES3: [DELETED], NOTES4: [STORED_AGAIN]}),
    )
    assert_every_word_stored(_stored(home))


DELETED = "interview ID was deleted from the store; it is kept on this machine"
STORED_AGAIN = "interview ID is in the store again, whole, from this machine's copy"


def test_a_delete_while_nothing_is_typed_is_said_within_seconds_and_the_interview_kept(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids
) -> None:
    """A `delete --take-over` elsewhere while the interviewer types nothing: the watcher finds it
    within a few seconds and says so above the waiting prompt, every line goes to this machine's
    replica at once, the push stores the interview again, whole (said too), and leases it to this
    terminal again; all before another key is typed."""
    from leadcli.store.leases import LeaseHeld
    from leadcli.store.replica import Replica

    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    home = tmp_path / "home"
    made = captures(monkeypatch)
    kept: list[list[str]] = []
    refused: list[str] = []

    def delete() -> None:
        with sqlite_store(home) as colleague:
            colleague.interviews.delete(made[-1].record.id, take_over=True)

    put = Replica.put

    def put_and_tell(self, record, **how) -> None:  # what the replica is given, as it is given it
        put(self, record, **how)
        if record.id == made[-1].record.id:
            kept.append(record.answers[record.snapshot.questions[0].id].notes.split("\n"))

    # Seen as the replica takes it: the push may store it again and empty the replica before a
    # look at the replica's file comes round (it did, every time, after the take-over test above).
    monkeypatch.setattr(Replica, "put", put_and_tell)

    def in_the_replica() -> bool:
        return bool(kept)

    def delete_again() -> None:  # without --take-over: the terminal has it open again
        with sqlite_store(home) as colleague:
            try:
                colleague.interviews.delete(made[-1].record.id)
            except LeaseHeld as held:
                refused.append(held.message)

    said = until(lambda: made[-1].stored_again_said, "the watcher to say the interview is stored again", 10.0)
    started = []
    script = script_with(
        {
            1: [
                delete,
                lambda: started.append(made[-1]._deleted_said),
                until(in_the_replica, "the lines to be kept in the replica", 10.0),
                said,
            ],
            8: [delete_again],
            10: [synced(made)],
        }
    )
    install(monkeypatch, script)
    result = _interview(run, tiny_data, home)
    assert result.exit_code == 0, result.output
    assert started == [False]  # nothing knew of it when it was deleted
    same(normalized(result.stdout), expected(baseline, {NOTES1: [DELETED, STORED_AGAIN]}))
    assert kept[0] == ["Board sets three aims"]  # on this machine before anything more was typed
    assert refused and "is open by" in refused[0] and "it was not deleted" in refused[0]
    assert_every_word_stored(_stored(home))
    assert _replica_is_empty(home)


def test_a_delete_after_the_session_moved_to_the_replica_is_said_and_the_interview_stored_again(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids
) -> None:
    """A held lock moves the session to the replica; once it is gone, a `delete --take-over` from
    another terminal is found by the pusher (it stores the interview again): said as when the
    session still wrote the store itself, and the interview is open here again (a plain delete is
    refused)."""
    from leadcli.store.leases import LeaseHeld

    no_watch(monkeypatch)  # what the pusher finds, not the watcher
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    home = tmp_path / "home"
    made = captures(monkeypatch)
    other: list[sqlite3.Connection] = []
    refused: list[str] = []

    def lock() -> None:
        holder = sqlite3.connect(home / "leadcli.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        other.append(holder)

    def delete() -> None:
        with sqlite_store(home) as colleague:
            colleague.interviews.delete(made[-1].record.id, take_over=True)

    def delete_again() -> None:  # without --take-over: the terminal has it open again
        with sqlite_store(home) as colleague:
            try:
                colleague.interviews.delete(made[-1].record.id)
            except LeaseHeld as held:
                refused.append(held.message)

    script = script_with(
        {
            1: [lock],
            3: [failing(made)],
            4: [lambda: other[0].execute("ROLLBACK"), synced(made)],
            5: [synced(made), delete],
            6: [synced(made)],
            8: [delete_again],
            10: [synced(made)],
        }
    )
    install(monkeypatch, script)
    result = _interview(run, tiny_data, home)
    assert result.exit_code == 0, result.output
    same(
        normalized(result.stdout),
        expected(
            baseline,
            {
                CUES1: ["saved on this machine; 2 lines waiting for the team store"],
                RATING1: ["all lines reached the team store"],
                NOTES4: [DELETED, STORED_AGAIN],
            },
        ),
    )
    assert made[-1].mode == "replica"
    assert refused and "is open by" in refused[0] and "it was not deleted" in refused[0]
    assert_every_word_stored(_stored(home))
    assert _replica_is_empty(home)


def test_the_open_interviews_organization_erased_elsewhere_is_kept_here_only_and_said(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids
) -> None:
    """An erasure (`delete --org NAME --take-over` elsewhere) is not a delete: the interview is not
    stored again. The typist is told once, keeps typing, every line is kept on this machine, and
    the end of the interview says where they are."""
    from leadcli.store.replica import Replica

    no_watch(monkeypatch)  # the write after the erasure finds it
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    home = tmp_path / "home"
    made = captures(monkeypatch)

    def erase() -> None:
        with sqlite_store(home) as manager:
            assert manager.trail.erase_organization("ST MARY'S") == 1

    def told() -> bool:
        return made[-1].pusher is not None and made[-1].pusher.erased is not None

    install(monkeypatch, script_with({5: [erase], 6: [until(told, "the push to find the erasure")]}))
    result = _interview(run, tiny_data, home)
    assert result.exit_code == 0, result.output
    with sqlite_store(home) as manager:
        who = manager.user
        when = (
            manager.connection.execute("SELECT erased_at FROM erasures").fetchone()[0][:16].replace("T", " ")
        )

    def erased(lines: str) -> str:
        them = "it" if lines.startswith("1 ") else "them"
        return (
            f"interview ID (St Mary's) was erased from the team store by {who} at {when}; its {lines}"
            f" on this machine only — `leadcli delete ID` removes {them}"
        )

    same(
        normalized(result.stdout),
        expected(
            baseline,
            {
                NOTES3: ["interview ID was deleted from the store; it is kept on this machine"],
                NOTES4: [erased("1 waiting line stays")],  # the line that found it: said once
            },
            at_end=[erased("4 waiting lines stay")],  # and where they are when it ends
        ),
    )
    with sqlite_store(home) as store:
        assert store.interviews.ids() == []  # never stored again
    with Replica.open_in(home) as replica:
        assert_every_word_stored(replica.interviews.get(made[-1].record.id))
    assert "was erased" not in run("--home", str(home), "list").stderr  # said once
    status = run("--home", str(home), "sync", "--status")
    assert status.stdout.startswith(f"{made[-1].record.id}\tSt Mary's\t4 lines kept on this machine only\t")


def test_an_import_of_the_open_interview_loses_none_of_its_lines(
    run, tiny_data, monkeypatch, tmp_path
) -> None:
    """A colleague's export of this interview (taken before the last lines) imported under the typist."""
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    home = tmp_path / "home"
    made = captures(monkeypatch)
    exported = tmp_path / "colleague.json"

    def export() -> None:
        assert run("--home", str(home), "export", "-o", str(exported)).exit_code == 0

    def import_() -> None:
        imported = run("--home", str(home), "--data-dir", str(tiny_data), "import", str(exported))
        assert imported.exit_code == 0, imported.output

    install(monkeypatch, script_with({4: [export], 6: [import_], 10: [synced(made)]}))
    result = _interview(run, tiny_data, home)
    assert result.exit_code == 0, result.output
    got = [
        line for line in normalized(result.stdout, made[-1].record.id) if "kept on this machine" not in line
    ]
    same(got, expected(baseline, {}))
    assert_every_word_stored(_stored(home))


# --- a full disk ------------------------------------------------------------------------------------


def test_a_full_disk_keeps_lines_in_memory_and_saves_them_when_there_is_room(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, small_disk
) -> None:
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    home = small_disk.path / "home"
    made = captures(monkeypatch)
    install(monkeypatch, script_with({1: [small_disk.fill], 5: [small_disk.free], 9: [synced(made)]}))
    result = _interview(run, tiny_data, home)
    assert result.exit_code == 0, result.output
    transcript = normalized(result.stdout)
    same(
        transcript,
        expected(
            baseline,
            {
                NOTES2: [
                    "NOT SAVED on this machine (cannot write to "
                    f"{home / 'leadcli.db'}: the disk (or the store's size limit) is full; nothing was changed)."
                    " Every line is kept in memory: keep typing; they are printed back when you stop."
                ],
                NOTES3: ["saved on this machine again: the lines kept in memory are on disk now"],
            },
        ),
    )
    assert_every_word_stored(_stored(home))


def test_a_disk_full_to_the_end_prints_every_unsaved_line_back(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, small_disk
) -> None:
    baseline = run_baseline(run, monkeypatch, tiny_data, tmp_path / "baseline")
    home = small_disk.path / "home"
    install(monkeypatch, script_with({1: [small_disk.fill]}))
    result = _interview(run, tiny_data, home)
    assert result.exit_code == 0, result.output
    not_saved = (
        "NOT SAVED on this machine (cannot write to "
        f"{home / 'leadcli.db'}: the disk (or the store's size limit) is full; nothing was changed)."
        " Every line is kept in memory: keep typing; they are printed back when you stop."
    )
    same(
        normalized(result.stdout),
        expected(
            baseline,
            {NOTES2: [not_saved]},
            at_end=[
                "These 7 lines of interview ID could NOT be saved (copy them now):",
                "  question 1 notes: CFO worried about cost",
                "  question 1 cues heard: 1 2 (Who decides; Infrastructure)",
                "  question 1 evidence: partial",
                "  question 2 notes: Ideas come from nurses",
                "  question 2 notes: a weekly huddle",
                "  question 2 cues heard: 1 (Looks inside)",
                "  question 2 evidence: strong",
                AGAIN,
            ],
        ),
    )
    assert "could NOT be saved (printed above)" not in result.stderr  # it finished: no stop message
    small_disk.free()
    record = _stored(home)  # what was saved before the disk filled is whole
    first = record.answers[record.snapshot.questions[0].id]
    assert first.notes == "Board sets three aims"


AGAIN = (
    "Free some disk space, then type each in again at the prompt it names (the cues heard as shown"
    " before their words): leadcli interview --resume ID, then /goto N for question N"
)


def test_ctrl_c_with_the_disk_full_prints_the_judgements_back_in_words_that_can_be_typed_again(
    run, tiny_data, monkeypatch, tmp_path, fixed_ids, small_disk
) -> None:
    """Cues heard with a topic judged (`1 2`, then `+`), then Ctrl-C, the laptop's disk full: the
    printback carries the judgement and the cues' texts, and what it says to type, typed again
    after the disk is freed, stores exactly what was lost."""
    from leadcli.prompting import Stopped

    questions = tiny_data / "questions.yaml"  # cue 2 of question 1 a topic: judged + or -
    questions.write_text(
        questions.read_text().replace("text: Infrastructure, domains: [foundation], kind: strength",
                                      "text: Infrastructure, domains: [foundation], kind: topic")
    )  # fmt: skip
    home = small_disk.path / "home"

    def ctrl_c() -> None:
        raise Stopped(2, "")

    lines = ["Board sets three aims", small_disk.fill, "CFO worried about cost", "", "1 2", "+", ctrl_c]
    install(monkeypatch, lines)
    result = _interview(run, tiny_data, home)
    assert result.exit_code == 130, result.output
    shown = normalized(result.stdout)
    assert shown[shown.index("  … CFO worried about cost") :] == [
        "  … CFO worried about cost",
        "NOT SAVED on this machine (cannot write to "
        f"{home / 'leadcli.db'}: the disk (or the store's size limit) is full; nothing was changed)."
        " Every line is kept in memory: keep typing; they are printed back when you stop.",
        "  …",
        "  cues heard (e.g. 1 3+ 4-; Enter for none): 1 2",
        "  2 Infrastructure: + or -? (Enter: heard, not judged) +",
        "These 2 lines of interview ID could NOT be saved (copy them now):",
        "  question 1 notes: CFO worried about cost",
        "  question 1 cues heard: 1 2+ (Who decides; Infrastructure +)",
        AGAIN,
    ]
    assert "stopped; 2 lines could NOT be saved (printed above)" in result.stderr
    small_disk.free()
    lost = _stored(home).answers["priorities"]
    assert (lost.notes, lost.cues, lost.judgements) == ("Board sets three aims", [], {})

    printed = {
        line.split(": ", 1)[0].strip(): line.split(": ", 1)[1] for line in shown if "question 1 " in line
    }
    cues = printed["question 1 cues heard"].split(" (")[0]  # what the cues prompt takes
    install(monkeypatch, [printed["question 1 notes"], "", cues, "", "/pause"])
    resumed = run("--home", str(home), "--data-dir", str(tiny_data), "interview", "--resume", "id0001")
    assert resumed.exit_code == 0, resumed.output
    again = _stored(home).answers["priorities"]
    assert again.notes == "Board sets three aims\nCFO worried about cost"
    assert (again.cues, again.judgements) == (["who-decides", "infrastructure"], {"infrastructure": "+"})
