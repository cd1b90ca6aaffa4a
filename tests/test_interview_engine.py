"""The interview engine, driven through its prompt seam against a real store."""

from __future__ import annotations

import pytest

from leadcli.content.loader import load_content
from leadcli.interview.engine import (
    InterviewEngine,
    ReflectionEngine,
    parse_contact,
    parse_cues,
)
from leadcli.interview.session import begin_interview
from leadcli.paths import builtin_data_dir
from leadcli.render.interview import question_view
from leadcli.store.db import Store
from leadcli.store.records import Contact
from tests.interview_helpers import Keyboard, Screen


@pytest.fixture
def content():
    return load_content(builtin_data_dir())


@pytest.fixture
def store(isolated_home):
    with Store.open(isolated_home) as opened:
        yield opened


@pytest.fixture
def record(store, content):
    return begin_interview(
        store,
        content,
        organization="St Mary's Health",
        interviewer="Kim Lee",
        region="United Kingdom",
        contacts=[Contact(name="Ana Ruiz", role="CEO", level="executive")],
    )


def run(store, record, lines, edit=None):
    keyboard, screen = Keyboard(lines), Screen()
    finished = InterviewEngine(store, record, keyboard, screen, question_view, edit).run()
    return finished, keyboard, screen, store.get(record.id)


ONE_QUESTION = ["first line", "second line", "", "1 3", "s"]


def test_full_interview_saves_every_answer(store, record) -> None:
    lines = [
        *ONE_QUESTION,
        "sustained the sepsis work", "", "results-sustained 5", "p",
        "looks at other systems", "", "2", "l",
        "", "", "",
        "union talks", "", "", "",
    ]  # fmt: skip
    finished, _, screen, saved = run(store, record, lines)
    assert finished
    assert saved.status == "awaiting-reflection"
    assert saved.position == 5
    answers = {qid: (a.notes, a.cues, a.rating) for qid, a in saved.answers.items()}
    assert answers == {
        "quality-planning": (
            "first line\nsecond line",
            ["planning-process", "quality-infrastructure"],
            "strong",
        ),
        "track-record": (
            "sustained the sepsis work",
            ["results-sustained", "leaders-support-quality"],
            "partial",
        ),
        "future-vision": ("looks at other systems", ["looks-externally"], "low"),
        "internal-issues": ("union talks", [], None),
    }
    assert "regional-environment" not in saved.answers  # never explored, not "low"
    assert "Question 1 of 5" in screen.text
    assert "Question 5 of 5" in screen.text
    assert "1. How leadership does quality planning" in screen.text


def test_each_line_is_committed_before_an_interrupt(store, record) -> None:
    with pytest.raises(KeyboardInterrupt):
        run(store, record, ["first line", "second line", KeyboardInterrupt])
    assert store.get(record.id).answers["quality-planning"].notes == "first line\nsecond line"


def test_skip_marks_not_explored_and_moves_on(store, record) -> None:
    _, _keyboard, screen, saved = run(store, record, ["/skip", "/pause"])
    assert saved.answers["quality-planning"].state == "skipped"
    assert saved.position == 1
    assert "Question 2 of 5" in screen.text


def test_pause_returns_false_and_keeps_position(store, record) -> None:
    finished, _, _, saved = run(store, record, [*ONE_QUESTION, "half a note", "/pause"])
    assert finished is False
    assert saved.position == 1
    assert saved.status == "draft"
    assert saved.answers["track-record"].notes == "half a note"


def test_back_shows_and_amends_the_previous_answer(store, record) -> None:
    lines = [*ONE_QUESTION, "/back", "an afterthought", "", "2", "", "/pause"]
    _, _, screen, saved = run(store, record, lines)
    answer = saved.answers["quality-planning"]
    assert answer.notes == "first line\nsecond line\nan afterthought"
    assert answer.cues == ["who-is-involved"]
    assert answer.rating == "strong"  # Enter kept the rating
    assert "Recorded so far" in screen.text
    assert screen.text.count("Question 1 of 5") == 2


def test_goto_jumps_and_rejects_bad_numbers(store, record) -> None:
    _, _keyboard, screen, saved = run(
        store, record, ["/goto 9", "/goto 4", "regional note", "", "", "", "/pause"]
    )
    assert "/goto needs a question number from 1 to 5." in screen.text
    assert saved.answers["regional-environment"].notes == "regional note"
    assert saved.position == 4


def test_bad_cues_and_ratings_are_kept_as_notes_and_asked_again(store, record) -> None:
    _, _, screen, saved = run(store, record, ["note", "", "7", "x", "1", "maybe", "l", "/pause"])
    assert (
        "'7' is not a cue of this question: use numbers 1 to 5; kept in this question's notes." in screen.text
    )
    assert "'maybe' is not a rating (s, p or l); kept in this question's notes." in screen.text
    assert saved.answers["quality-planning"].notes == "note\n7\nx\nmaybe"
    assert saved.answers["quality-planning"].cues == ["planning-process"]
    assert saved.answers["quality-planning"].rating == "low"


def test_a_sentence_after_a_double_enter_is_not_lost(store, record) -> None:
    lines = ["first part", "", "They want a second site next year.", "2", "p", "/pause"]
    _, keyboard, screen, saved = run(store, record, lines)
    answer = saved.answers["quality-planning"]
    assert answer.notes == "first part\nThey want a second site next year."
    assert answer.cues and answer.rating == "partial"
    assert "kept in this question's notes" in screen.text
    assert keyboard.prompts[2] == keyboard.prompts[3]  # the cues prompt is asked again


def test_help_and_literal_slash(store, record) -> None:
    _, _, screen, saved = run(store, record, ["/help", "//etc is a path", "", "", "", "/pause"])
    assert "/goto N    jump to question N" in screen.text
    assert saved.answers["quality-planning"].notes == "/etc is a path"


def test_edit_replaces_the_notes(store, record) -> None:
    seen = []

    def editor(text: str) -> str:
        seen.append(text)
        return "rewritten in the editor\n"

    _, _, _, saved = run(store, record, ["typed", "/edit", "", "", "", "/pause"], edit=editor)
    assert seen == ["typed"]
    assert saved.answers["quality-planning"].notes == "rewritten in the editor"


def test_a_failing_editor_does_not_end_the_interview(store, record) -> None:
    from leadcli.errors import LeadcliError

    def broken(text: str) -> str:
        raise LeadcliError("the editor 'nano' did not run: not found")

    _, _, screen, saved = run(store, record, ["typed", "/edit", "more", "", "", "", "/pause"], edit=broken)
    assert "the editor 'nano' did not run" in screen.text
    assert saved.answers["quality-planning"].notes == "typed\nmore"


def test_clearing_everything_makes_it_not_explored_again(store, record) -> None:
    run(store, record, ["", "1", "", "/pause"])
    assert store.get(record.id).answers["quality-planning"].cues == ["planning-process"]
    again = store.get(record.id)
    again.position = 0
    InterviewEngine(store, again, Keyboard(["", "-", "", "/pause"]), Screen(), question_view).run()
    assert "quality-planning" not in store.get(record.id).answers


def test_resume_starts_where_it_stopped(store, record) -> None:
    run(store, record, [*ONE_QUESTION, "/pause"])
    _, _, screen, _ = run(store, store.get(record.id), ["/pause"])
    assert "Question 2 of 5" in screen.text
    assert "Question 1 of 5" not in screen.text


def test_reflection_rates_unrated_then_asks_and_saves_everything(store, record) -> None:
    run(store, record, ["note one", "", "", "", "/pause"])
    engine = ReflectionEngine(store, store.get(record.id), Keyboard([
        "p",
        "Yes: the board owns quality.", "Follow up on the CFO's budget worry.", "-",
        "m",
        "Send the Diagnostics proposal", "Kim", "next week", "2027-01-15",
        "",
    ]), Screen())  # fmt: skip
    engine.run()
    saved = store.get(record.id)
    assert saved.answers["quality-planning"].rating == "partial"
    reflection = saved.reflection
    assert (reflection.fit, reflection.concerns, reflection.gaps, reflection.verdict) == (
        "Yes: the board owns quality.",
        "Follow up on the CFO's budget worry.",
        "",
        "moderate",
    )
    assert [(f.text, f.owner, f.due) for f in reflection.follow_ups] == [
        ("Send the Diagnostics proposal", "Kim", "2027-01-15")
    ]
    assert saved.status == "draft"  # unfinished interviews stay draft until the questions are done


def test_reflection_rerun_keeps_values_on_enter(store, record) -> None:
    run(store, record, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""])
    first = ["A", "B", "C", "strong", "Call back", "", "", ""]
    ReflectionEngine(store, store.get(record.id), Keyboard(first), Screen()).run()
    assert store.get(record.id).status == "complete"
    screen = Screen()
    ReflectionEngine(store, store.get(record.id), Keyboard(["", "changed", "", "", "", ""]), screen).run()
    reflection = store.get(record.id).reflection
    assert (reflection.fit, reflection.concerns, reflection.gaps, reflection.verdict) == (
        "A",
        "changed",
        "C",
        "strong",
    )
    assert [f.text for f in reflection.follow_ups] == ["Call back"]
    assert "now: A" in screen.text


def test_parse_contact_and_cues(content) -> None:
    assert parse_contact("Ana Ruiz, Chief Executive, executive") == Contact(
        name="Ana Ruiz", role="Chief Executive", level="executive"
    )
    assert parse_contact("Bo, point of care").level == "point-of-care"
    with pytest.raises(Exception, match="level 'boss' is not one of"):
        parse_contact("Bo, CEO, boss")
    question = content.questions.questions[0]
    assert parse_cues("3, 1 planning-process", question) == [
        "quality-infrastructure",
        "planning-process",
    ]
    with pytest.raises(ValueError, match="'0' is not a cue"):
        parse_cues("0", question)


def test_interview_keeps_the_questions_it_was_taken_with(store, record, content) -> None:
    saved = store.get(record.id)
    assert saved.snapshot.questions == content.questions.questions
    assert saved.stamp.questions_version == content.questions.version
    assert len(saved.stamp.questions_sha256) == 64


def test_open_in_editor_uses_a_private_temp_file_in_the_store_folder(tmp_path, monkeypatch) -> None:
    from leadcli.prompting import open_in_editor

    editor = tmp_path / "fake-editor.sh"
    seen = tmp_path / "seen.txt"
    editor.write_text(
        '#!/bin/sh\nls -l "$1" > "' + str(seen) + '"\necho "$1" >> "' + str(seen) + '"\n'
        'printf "edited [bold]note[/]\\n" > "$1"\n',
        encoding="utf-8",
    )
    editor.chmod(0o700)
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    assert open_in_editor("original", folder) == "edited [bold]note[/]\n"
    listing, path = seen.read_text(encoding="utf-8").splitlines()
    assert listing.startswith("-rw-------")
    assert path.startswith(str(folder))
    assert list(folder.iterdir()) == []  # removed after


def test_open_in_editor_that_fails(tmp_path, monkeypatch) -> None:
    from leadcli.errors import LeadcliError
    from leadcli.prompting import open_in_editor

    monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
    monkeypatch.delenv("VISUAL", raising=False)
    with pytest.raises(LeadcliError, match=r"^could not start the editor .*no-such-editor: No such file"):
        open_in_editor("x", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_unknown_slash_lines_are_refused_never_stored_never_guessed(store, record) -> None:
    lines = [
        "/skip-level meetings",
        "/pasue",
        "/goto",
        "/back please",
        "//skip-level meetings",
        "",
        "",
        "",
        "/quit",
    ]
    finished, _, screen, saved = run(store, record, lines)
    assert finished is False
    for typed in ("/skip-level meetings", "/pasue", "/goto", "/back please"):
        assert f"Not a command, not saved: {typed}. Commands: /back, /skip, /goto N" in screen.text
    assert saved.answers["quality-planning"].notes == "/skip-level meetings"
    assert saved.answers["quality-planning"].state == "explored"
    assert saved.position == 1


def test_ctrl_c_with_a_half_typed_line_saves_it(store, record) -> None:
    from leadcli.prompting import Interrupted

    def keyboard(prompt: str) -> str:
        if prompt.strip() == "…":
            raise Interrupted("half of a sen")
        return "whole line"

    with pytest.raises(KeyboardInterrupt):
        InterviewEngine(store, record, keyboard, Screen(), question_view).run()
    assert store.get(record.id).answers["quality-planning"].notes == "whole line\nhalf of a sen"


def test_a_verdict_on_a_draft_leaves_it_a_draft_then_complete_when_finished(store, record, tmp_path) -> None:
    from leadcli.interview.session import import_reflection

    answers = tmp_path / "reflection.yaml"
    answers.write_text("reflection:\n  verdict: strong\n", encoding="utf-8")
    content = load_content(builtin_data_dir())
    assert import_reflection(store, content, record.id, answers).status == "draft"
    finished, _, _, saved = run(store, store.get(record.id), ["", "", ""] * 5)
    assert finished is True
    assert (saved.status, saved.reflection.verdict) == ("complete", "strong")


def test_the_end_names_unexplored_questions_and_offers_to_go_back(store, content) -> None:
    from leadcli.interview.session import Details, interview_session

    first_pass = ["", "", "", *["noted", "", "", ""] * 4]
    second_pass = ["y", "back for it", "", "", "", *[""] * 12]
    keyboard, screen = Keyboard(["Kim", *first_pass, *second_pass, "n"]), Screen()
    details = Details(organization="Acme", contacts=(Contact(name="A", role="B", level="core"),), region="X")
    result = interview_session(
        store, content, details=details, resume=None, ask=keyboard, show=screen, edit=None, view=question_view
    )
    before, after = screen.text.split("Not explored yet: 1 (Quality planning/strategy – current).")
    assert "All questions done" not in before
    assert "All questions done" in after
    assert "Go to question 1 now? [y/N] " in keyboard.prompts
    assert result.answers["quality-planning"].notes == "back for it"


def test_a_second_session_is_refused_with_who_where_since(store, record) -> None:
    import os
    import socket

    from leadcli.interview.session import InterviewBusy, hold_lease

    first = hold_lease(store, record.id, take_over=False)
    with pytest.raises(InterviewBusy) as refused:
        hold_lease(store, record.id, take_over=False)
    message = refused.value.message
    assert f"({first.username}@{socket.gethostname()}, pid {os.getpid()}, since {first.since})" in message
    assert message.endswith(f"run: leadcli interview --resume {record.id} --take-over")
    taken = hold_lease(store, record.id, take_over=True)
    assert store.lease_token(record.id) == taken.token != first.token
    store.release_lease(record.id, first.token)  # the old holder cannot drop the new lease
    assert store.lease_token(record.id) == taken.token
    store.release_lease(record.id, taken.token)
    assert store.lease_token(record.id) is None


def test_a_lease_left_by_a_dead_process_on_this_host_is_taken(store, record) -> None:
    import socket
    import subprocess
    import sys

    from leadcli.interview.session import hold_lease
    from leadcli.store.records import Lease

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    gone = Lease(token="old", username="kim", host=socket.gethostname(), pid=int(dead.stdout), since="x")
    assert store.claim_lease(record.id, gone, replace=lambda held: False) is None
    mine = hold_lease(store, record.id, take_over=False)
    assert store.lease_token(record.id) == mine.token
    elsewhere = Lease(token="far", username="kim", host="another-host", pid=int(dead.stdout), since="x")
    store.release_lease(record.id, mine.token)
    store.claim_lease(record.id, elsewhere, replace=lambda held: False)
    from leadcli.interview.session import InterviewBusy

    with pytest.raises(InterviewBusy, match="kim@another-host"):
        hold_lease(store, record.id, take_over=False)


def test_long_notes_show_the_cues_again_on_one_line(store, record) -> None:
    _, _, screen, _ = run(store, record, [*[f"line {n}" for n in range(6)], "", "/pause"])
    tail = screen.text.split("line 5")[-1] if "line 5" in screen.text else screen.text
    assert "  cues: 1 " in tail and " · 2 " in tail
    _, _, short, _ = run(store, store.get(record.id), ["/goto 2", "one line", "", "/pause"])
    assert "  cues: 1 " not in short.text
