"""The interview engine, driven through its prompt seam against a real store."""

from __future__ import annotations

import pytest

from leadcli.interview.engine import InterviewEngine, ReflectionEngine, parse_command, parse_cues
from leadcli.interview.session import begin_interview, parse_contact
from leadcli.render.interview.terminal import question_view
from leadcli.store.db import Store
from leadcli.store.records import Contact
from tests.interview_helpers import Keyboard, Screen


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
    return finished, keyboard, screen, store.interviews.get(record.id)


ONE_QUESTION = ["first line", "second line", "", "1+ 3+", "s"]


def test_full_interview_saves_every_answer(store, record) -> None:
    lines = [
        *ONE_QUESTION,
        "sustained the sepsis work", "", "results-sustained 5+", "p",
        "looks at other systems", "", "2", "l",
        "", "", "",
        "union talks", "", "", "",
        "n",  # not now to the unexplored question 4
    ]  # fmt: skip
    finished, keyboard, screen, saved = run(store, record, lines)
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
    assert "Not explored yet: 4. Understanding of the regional macro-environment." in screen.text
    assert keyboard.prompts[-1] == "Go to question 4 now? [y/N] "
    assert "Question 1 of 5" in screen.text
    assert "Question 5 of 5" in screen.text
    assert "1. ± How leadership does quality planning" in screen.text  # a topic, in the report's words


def test_each_line_is_committed_before_an_interrupt(store, record) -> None:
    with pytest.raises(KeyboardInterrupt):
        run(store, record, ["first line", "second line", KeyboardInterrupt])
    assert store.interviews.get(record.id).answers["quality-planning"].notes == "first line\nsecond line"


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
    lines = [*ONE_QUESTION, "/back", "an afterthought", "", "2+", "", "/pause"]
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


def test_anything_that_is_not_an_answer_is_kept_in_the_notes(store, record) -> None:
    lines = ["note", "", "They also said the board meets monthly", "1+", "maybe next year", "l", "/pause"]
    keyboard, screen = Keyboard(lines), Screen()
    InterviewEngine(store, record, keyboard, screen, question_view).run()
    saved = store.interviews.get(record.id).answers["quality-planning"]
    assert saved.notes == "note\nThey also said the board meets monthly\nmaybe next year"
    assert saved.cues == ["planning-process"]
    assert saved.rating == "low"
    assert (
        "'They' is not a cue of this question: use numbers 1 to 5, + or - after a topic; added to the notes."
        in screen.text
    )
    assert "Not a rating: added to the notes." in screen.text
    assert keyboard.prompts.count("  cues heard (e.g. 1 3+ 4-; Enter for none): ") == 2


def test_unknown_commands_are_refused_never_stored_or_guessed(store, record) -> None:
    lines = ["/pasue", "/skip-level meetings happen weekly", "/exit now", "a real note", "/quit"]
    finished, _, screen, saved = run(store, record, lines)
    assert finished is False  # /quit pauses
    assert saved.answers["quality-planning"].notes == "a real note"
    assert saved.answers["quality-planning"].state == "explored"  # not skipped
    assert "'/pasue' is not a command (nothing was saved)" in screen.text
    assert "'/skip-level' is not a command" in screen.text
    assert "/exit takes no argument (nothing was saved): type /exit alone" in screen.text
    assert screen.text.count("Question 1 of 5") == 1


def test_parse_command_is_exact() -> None:
    assert parse_command("/skip").action == "skip"
    assert parse_command("  /PAUSE ").action == "pause"
    assert parse_command("/quit").action == "pause" and parse_command("/exit").action == "pause"
    assert parse_command("/goto 3").argument == "3"
    assert isinstance(parse_command("/skip it"), str)
    assert isinstance(parse_command("/"), str)
    assert parse_command("//etc") is None and parse_command("plain") is None


def test_an_interrupt_keeps_the_half_typed_line(store, record) -> None:
    from leadcli.prompting import Stopped

    with pytest.raises(KeyboardInterrupt):
        run(store, record, ["first line", Stopped(2, "and the CFO said")])
    assert store.interviews.get(record.id).answers["quality-planning"].notes == "first line\nand the CFO said"


def test_an_invalid_goto_redraws_nothing(store, record) -> None:
    _, _, screen, _ = run(store, record, ["/goto 9", "/goto", "/pause"])
    assert screen.text.count("Question 1 of 5") == 1
    assert screen.text.count("/goto needs a question number from 1 to 5.") == 2


def test_long_notes_show_the_cues_again_before_cues_heard(store, record) -> None:
    _, _, screen, _ = run(store, record, ["one", "two", "three", "four", "", "", "", "/pause"])
    assert "  1 ± How leadership does quality planning · 2 ± Who is involved" in screen.text


def test_the_cue_reminder_marks_kinds_and_leadclis_wordings_as_the_full_list_does(store, record) -> None:
    _, _, screen, _ = run(store, record, ["/goto 4", "one", "two", "three", "four", "", "/pause"])
    reminder = [line for line in screen.text.splitlines() if line.startswith("  1 + Works")]
    assert len(reminder) == 1  # one line, before `cues heard`, fit to the screen's width by wrapping
    flat = " ".join(screen.text[screen.text.index(reminder[0]) :].split())
    assert flat.startswith(
        "1 + Works to understand the region's social, financial and political concerns † · 2 ± How the"
        " leadership team works together on it † · 3 ± The role the leadership team sees for itself in the"
        " region † (± topic: type 2+ or 2-)"
    )


def test_going_back_to_unexplored_questions_from_the_end(store, record) -> None:
    lines = ["/goto 5", "last one", "", "", "", "y", "first after all", "", "", ""]
    lines += ["", "", "", "", "", "", "", "", "", "", "", "", "n"]
    finished, _, screen, saved = run(store, record, lines)
    assert finished
    assert saved.answers["quality-planning"].notes == "first after all"
    assert "Not explored yet: 1. Quality planning/strategy – current; 2." in screen.text


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
    run(store, record, ["", "1+", "", "/pause"])
    assert store.interviews.get(record.id).answers["quality-planning"].cues == ["planning-process"]
    again = store.interviews.get(record.id)
    again.position = 0
    InterviewEngine(store, again, Keyboard(["", "-", "", "/pause"]), Screen(), question_view).run()
    assert "quality-planning" not in store.interviews.get(record.id).answers


def test_resume_starts_where_it_stopped(store, record) -> None:
    run(store, record, [*ONE_QUESTION, "/pause"])
    _, _, screen, _ = run(store, store.interviews.get(record.id), ["/pause"])
    assert "Question 2 of 5" in screen.text
    assert "Question 1 of 5" not in screen.text


def test_reflection_rates_unrated_then_asks_and_saves_everything(store, record) -> None:
    run(store, record, ["note one", "", "", "", "/pause"])
    engine = ReflectionEngine(store, store.interviews.get(record.id), Keyboard([
        "p",
        "Yes: the board owns quality.", "", "Follow up on the CFO's budget worry.", "", "-",
        "m",
        "Send the Diagnostics proposal", "Kim", "next week", "2027-01-15",
        "",
    ]), Screen())  # fmt: skip
    engine.run()
    saved = store.interviews.get(record.id)
    assert saved.answers["quality-planning"].rating == "partial"
    reflection = saved.reflection
    assert (reflection.fit, reflection.concerns, reflection.gaps, reflection.verdict) == (
        "Yes: the board owns quality.",
        "Follow up on the CFO's budget worry.",
        "",
        "moderate",
    )
    assert [(f.text, f.owner, f.due) for f in reflection.follow_ups] == [
        ("Send the Diagnostics proposal (due: next week)", "Kim", "2027-01-15")
    ]
    assert saved.status == "draft"  # unfinished interviews stay draft until the questions are done


def test_reflection_rerun_keeps_values_on_enter(store, record) -> None:
    run(store, record, [*[""] * 15, "n"])
    first = ["A", "", "B", "", "C", "", "strong", "Call back", "", "", ""]
    ReflectionEngine(store, store.interviews.get(record.id), Keyboard(first), Screen()).run()
    assert store.interviews.get(record.id).status == "complete"
    screen = Screen()
    ReflectionEngine(
        store, store.interviews.get(record.id), Keyboard(["", "changed", "", "", "", "", ""]), screen
    ).run()
    reflection = store.interviews.get(record.id).reflection
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
    saved = store.interviews.get(record.id)
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
    with pytest.raises(LeadcliError, match="did not run"):
        open_in_editor("x", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_keeps_a_half_typed_literal_slash_but_no_half_typed_command(store, record) -> None:
    from leadcli.prompting import Stopped

    with pytest.raises(KeyboardInterrupt):
        run(store, record, ["first line", Stopped(2, "//etc/hosts was mentioned")])
    assert (
        store.interviews.get(record.id).answers["quality-planning"].notes
        == "first line\n/etc/hosts was mentioned"
    )
    record = store.interviews.get(record.id)
    record.position = 0
    with pytest.raises(KeyboardInterrupt):
        run(store, record, ["", "", "", Stopped(2, "/pau")])
    assert (
        store.interviews.get(record.id).answers["quality-planning"].notes
        == "first line\n/etc/hosts was mentioned"
    )


def test_reflection_keeps_half_typed_words_and_unfinished_follow_ups(store, record) -> None:
    from leadcli.prompting import Stopped

    run(store, record, ["note one", "", "", "", "/pause"])

    def reflect(*lines) -> None:
        with pytest.raises(KeyboardInterrupt):
            ReflectionEngine(store, store.interviews.get(record.id), Keyboard(lines), Screen()).run()

    reflect("they said yes", "", Stopped(15, "The board owns qua"))
    saved = store.interviews.get(record.id)
    assert saved.answers["quality-planning"].notes == "note one\nthey said yes"
    assert saved.answers["quality-planning"].rating is None
    assert saved.reflection.fit == "The board owns qua"
    reflect("", "", "", "", "", "Send the proposal", Stopped(1, ""))
    reflect("", "", "", "", "", "", "Call Ana", "Kim", Stopped(2, "next Tuesday"))
    reflect("", "", "", "", "", "", Stopped(2, "Book a site v"))
    follow_ups = store.interviews.get(record.id).reflection.follow_ups
    assert [(f.text, f.owner, f.due) for f in follow_ups] == [
        ("Send the proposal", "", None),
        ("Call Ana (due: next Tuesday)", "Kim", None),
        ("Book a site v", "", None),
    ]


def test_a_sentence_at_the_unexplored_offer_goes_to_the_last_questions_notes(store, record) -> None:
    lines = ["/goto 5", "last one", "", "", "", "They also run audits monthly.", "n"]
    finished, keyboard, screen, saved = run(store, record, lines)
    assert finished
    assert saved.answers[record.snapshot.questions[-1].id].notes == "last one\nThey also run audits monthly."
    assert "Added to the notes of question 5." in screen.text
    assert keyboard.prompts[-2:] == ["Go to question 1 now? [y/N] "] * 2


def test_a_mistyped_cue_or_rating_is_refused_not_kept(store, record) -> None:
    _, _, screen, saved = run(store, record, ["note", "", "1 9", "2+", "x", "p", "/pause"])
    answer = saved.answers["quality-planning"]
    assert (answer.notes, answer.cues, answer.rating) == ("note", ["who-is-involved"], "partial")
    assert (
        "'9' is not a cue of this question: use numbers 1 to 5, + or - after a topic (nothing was saved)."
        in screen.text
    )
    assert "Type s, p or l (strong, partial, low), or Enter to leave it unrated." in screen.text
