"""`leadcli interview` and `leadcli reflect` through the typer app, and answers files."""

from __future__ import annotations

import json
import textwrap

import pytest

from tests.interview_helpers import HOSTILE, plain, stored, write_answers

# Every test here runs on both stores (SQLite and PostgreSQL; see conftest.store_backend).
pytestmark = pytest.mark.usefixtures("store_backend")


def test_scripted_interview_whole_transcript(run, tiny_data, keyboard, fixed_ids, isolated_home) -> None:
    keyboard(
        "Kim Lee",
        "Board sets three aims",
        "CFO [bold]worried[/]",
        "",
        "1 2",
        "p",
        "/help",
        "",
        "9",
        "",
        "",
        "n",
        "y",
        "",
        "Yes",
        "",
        "Budget",
        "",
        "",
        "p",
        "",
        "",
        "",  # levels per domain: only foundation given (partial)
        "diagnostics",  # the offering they would propose
        "moderate",
        "Send proposal",
        "Kim",
        "2027-01-15",
        "",
    )
    result = run(
        "--data-dir", str(tiny_data), "interview", "--org", "St Mary's",
        "--contact", "Ana Ruiz, CEO, executive", "--region", "UK",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert plain(result.stdout) == plain(
        textwrap.dedent("""\
        Interviewer (you): Kim Lee
        Interview id0001 with St Mary's. Type /help for commands.

        Question 1 of 2  ·  Planning
          How are priorities set?
          Trying to learn: Listen for who decides.
            1. + Who decides †
            2. + Infrastructure †
            (+ strength, − concern, ± topic (judged + or −); kinds and † wordings are leadcli's)
        Type notes; a blank line ends them. /help for commands.
          notes> Board sets three aims
          … CFO [bold]worried[/]
          …
          cues heard (e.g. 1 3; Enter for none): 1 2
          evidence: strong, partial or low (s/p/l; Enter to leave unrated): p

        Question 2 of 2  ·  Ideas
          Where do ideas come from?
          Trying to learn: Inside and outside.
            1. + Looks inside †
            2. + Looks outside †
            (+ strength, − concern, ± topic (judged + or −); kinds and † wordings are leadcli's)
        Type notes; a blank line ends them. /help for commands.
          notes> /help
        Commands at any prompt:
          /back      go back to the previous question and amend its answer
          /skip      skip this question (it stays "not explored")
          /goto N    jump to question N
          /edit      open $EDITOR on this question's notes
          /pause     save and stop (also /quit, /exit); resume later with `leadcli interview --resume ID`
          /help      show this list
        Notes: type lines, a blank line ends the note. Start a line with // to type a literal /.
        A pasted block goes into the notes whole, blank lines included.
        Anything typed at the cues or rating prompt that is not an answer is added to the notes.
          notes>
          cues heard (e.g. 1 3; Enter for none): 9
        '9' is not a cue of this question: use numbers 1 to 2, + or - after a topic (nothing was saved).
          cues heard (e.g. 1 3; Enter for none):
          evidence: strong, partial or low (s/p/l; Enter to leave unrated):
        Not explored yet: 2. Ideas.
        Go to question 2 now? [y/N] n
        Questions finished (not explored: 2). Interview id0001 is awaiting-reflection.
        Reflect now? [y/N] y
        Reflection (Enter keeps what is there; type lines, a blank line ends an answer):
        Does it fit?
          >
        Any concerns?
          > Yes
          …
        Any gaps?
          > Budget
          …
        Your level for each framework domain: strong, partial, low or don't know (s/p/l/d). Enter keeps what
        is there; - clears it (leadcli's reading † is used then). † leadcli's own reading, not the report's
        words.
        1. Set and Champion Direction
           What the institute's stakeholders said leaders need (their views on the earlier framework, in the
        report's words; not signs to look for in a customer): “focus on a few specific goals” · “within a
        few years versus a 10-year plan” · “challenged when actions do not match the values”
           leadcli's reading †: partial (1 question · 1 strength · 0 concerns · 1 rating, thin)
           why: the interviewer rated Planning partial
          your level (s/p/l/d):
        2. Establish and Support the Foundation for Continuous Improvement
           What the institute's stakeholders said leaders need (their views on the earlier framework, in the
        report's words; not signs to look for in a customer): “the necessary infrastructure to support
        quality” · “protected time and dedicated financial support”
           leadcli's reading †: partial (1 question · 1 strength · 0 concerns · 1 rating, thin)
           why: the interviewer rated Planning partial
          your level (s/p/l/d): p
        3. Build and Nurture Will
           What the institute's stakeholders said leaders need (their views on the earlier framework, in the
        report's words; not signs to look for in a customer): “connect change to intrinsic motivation” ·
        “only make several major changes per year”
           leadcli's reading †: unknown (0 questions · 0 strengths · 0 concerns · 0 ratings)
          your level (s/p/l/d):
        4. Encourage Ideas and Testing
           What the institute's stakeholders said leaders need (their views on the earlier framework, in the
        report's words; not signs to look for in a customer): “a meeting once a week just to share new
        ideas” · “Sharing of ideas does not happen by accident”
           leadcli's reading †: unknown (0 questions · 0 strengths · 0 concerns · 0 ratings)
          your level (s/p/l/d):
        5. Execute and Scale-up Improvement
           What the institute's stakeholders said leaders need (their views on the earlier framework, in the
        report's words; not signs to look for in a customer): “a team that is accountable” · “recognize and
        remove barriers to execution”
           leadcli's reading †: unknown (0 questions · 0 strengths · 0 concerns · 0 ratings)
          your level (s/p/l/d):
        Offerings you would propose (ids, Tab completes; Enter keeps, - for none): diagnostics
        Leadership commitment: strong, moderate, limited or unclear: moderate
        Follow-up action (Enter to finish): Send proposal
          owner: Kim
          due (YYYY-MM-DD, Enter for none): 2027-01-15
        Follow-up action (Enter to finish):
        Saved. See the assessment with: leadcli report id0001
        """)
    )
    record = stored(isolated_home, "id0001")
    assert record.status == "complete"
    assert record.region == "UK"
    assert [(c.name, c.role, c.level) for c in record.contacts] == [("Ana Ruiz", "CEO", "executive")]
    answer = record.answers["priorities"]
    assert (answer.notes, answer.cues, answer.rating) == (
        "Board sets three aims\nCFO [bold]worried[/]", ["who-decides", "infrastructure"], "partial",
    )  # fmt: skip
    assert "ideas" not in record.answers  # a mistyped cue number is refused, not kept as a note
    assert (record.reflection.fit, record.reflection.concerns, record.reflection.gaps) == (
        "",
        "Yes",
        "Budget",
    )
    assert record.reflection.verdict == "moderate"
    assert record.reflection.domain_levels == {"foundation": "partial"}  # the interviewer's, given in reflect
    assert record.reflection.proposed == ["diagnostics"]


def test_interview_refuses_without_a_terminal(run) -> None:
    result = run("interview", "--org", "Acme")
    assert result.exit_code == 2
    assert result.stderr == (
        "leadcli: error: interview needs a terminal; to import notes typed elsewhere, use --answers FILE\n"
    )


def test_ctrl_c_saves_and_prints_the_resume_command(
    run, tiny_data, keyboard, fixed_ids, isolated_home
) -> None:
    keyboard("first thought", KeyboardInterrupt)
    result = run(
        "--data-dir", str(tiny_data), "interview", "--org", "Acme", "--interviewer", "Kim",
        "--region", "Leeds", "--contact", "Ana, CEO, executive",
    )  # fmt: skip
    assert result.exit_code == 130
    assert result.stderr.endswith(
        "leadcli: stopped; everything typed is saved. Resume with: leadcli interview --resume id0001\n"
    )
    assert stored(isolated_home, "id0001").answers["priorities"].notes == "first thought"
    keyboard("second thought", "", "", "", "/pause")
    resumed = run("--data-dir", str(tiny_data), "interview", "--resume", "id0")
    assert resumed.exit_code == 0
    assert "Resuming interview id0001 with Acme." in resumed.stdout
    assert "… second thought" in resumed.stdout  # the note continues where it was
    assert stored(isolated_home, "id0001").answers["priorities"].notes == "first thought\nsecond thought"


def test_end_of_input_before_the_interview_begins(run, keyboard) -> None:
    keyboard(EOFError)
    result = run("interview")
    assert result.exit_code == 130
    assert "nothing was saved" in result.stderr


def test_pause_exits_zero_with_resume_hint(run, tiny_data, keyboard, fixed_ids) -> None:
    keyboard("/pause")
    result = run(
        "--data-dir", str(tiny_data), "interview", "--org", "A", "--interviewer", "B", "--region", "Canada",
        "--contact", "D, E, core",
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stderr == "leadcli: paused and saved. Resume with: leadcli interview --resume id0001\n"


def test_bad_contact_option(run) -> None:
    result = run("interview", "--org", "A", "--contact", "Just a name")
    assert result.exit_code == 2
    assert 'write it as "Name, Role, level"' in result.stderr
    two = run("interview", "--org", "A", "--contact", "Ana Ruiz, CEO")  # the level left out
    assert two.exit_code == 2
    assert two.stderr == (
        "leadcli: error: contact 'Ana Ruiz, CEO' has no level: write it as \"Name, Role, level\", the"
        ' level one of executive, core, point-of-care (the role may be left out: "Name, level")\n'
    )
    assert run("interview", "--org", "A", "--contact", "Ana, boss").stderr.startswith(
        "leadcli: error: contact 'Ana, boss' has no level"
    )


# --- answers files --------------------------------------------------------------------------


def test_answers_file_imports_everything(run, tmp_path, fixed_ids, isolated_home) -> None:
    path = write_answers(
        tmp_path,
        f"""\
        organization: St Mary's Health
        interviewer: Kim Lee
        region: United Kingdom
        contacts:
          - {{name: Ana Ruiz, role: CEO, level: executive}}
          - {{name: Tom Hale, role: Ward manager, level: point-of-care}}
        answers:
          quality-planning:
            notes: |
              {HOSTILE}
              second line
            cues: [planning-process, quality-infrastructure]
            rating: strong
          future-vision:
            cues: [looks-externally]
        reflection:
          fit: Yes
          concerns: Budget
          verdict: moderate
          follow_ups:
            - {{text: Send proposal, owner: Kim, due: 2027-01-15}}
        """,
    )
    result = run("interview", "--answers", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "id0001\n"
    assert result.stderr == "leadcli: imported interview id0001 with St Mary's Health (complete)\n"
    record = stored(isolated_home, "id0001")
    assert record.answers["quality-planning"].notes == f"{HOSTILE}\nsecond line"
    assert record.answers["future-vision"].cues == ["looks-externally"]
    assert record.answers["future-vision"].rating is None
    assert [c.level for c in record.contacts] == ["executive", "point-of-care"]
    assert record.reflection.follow_ups[0].due == "2027-01-15"
    assert record.status == "complete"


def test_invalid_answers_file_stores_nothing(run, tmp_path) -> None:
    path = write_answers(
        tmp_path,
        """\
        organization: Acme
        interviewer: Kim
        contacts:
          - {name: Ana, level: boss}
        answers:
          quality-planning:
            cues: [planning-process, no-such-cue]
            rating: excellent
          nonsense: {notes: x}
        reflection:
          verdict: great
        """,
    )
    result = run("interview", "--answers", str(path))
    assert result.exit_code == 1
    problems = result.stderr.splitlines()[1:]
    assert f"{path}:4: contacts[0].level: 'boss' is not one of executive, core, point-of-care" in problems
    assert (
        f"{path}:8: answers.quality-planning.rating: 'excellent' is not a rating;"
        " use strong, partial or low (or s, p, l)"
    ) in problems
    assert (
        f"{path}:11: reflection.verdict: 'great' is not a verdict; use strong, moderate, limited, unclear"
        in problems
    )
    assert json.loads(run("list", "--format", "json").stdout)["interviews"] == []


def test_answers_file_with_unknown_ids_and_version(run, tmp_path) -> None:
    path = write_answers(
        tmp_path,
        """\
        organization: Acme
        interviewer: Kim
        questions_version: "1999"
        answers:
          quality-planning:
            cues: [planning-process, looks-externally]
          nonsense: {notes: x}
        """,
    )
    result = run("interview", "--answers", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        f"{path}:3: questions_version: written for questions version '1999', but this content is "
        "'2019.12-a.1'; check the question ids, then update or remove this line",
        f"{path}:6: answers.quality-planning.cues[1]: 'looks-externally' is not a cue of quality-planning; "
        "its cues are: planning-process, who-is-involved, quality-infrastructure, problems-solved, challenges-remaining (or numbers 1 to 5, + or - after a topic)",
        f"{path}:7: answers.nonsense: unknown question id; questions are: quality-planning, track-record, "
        "future-vision, regional-environment, internal-issues",
    ]
    assert json.loads(run("list", "--format", "json").stdout)["interviews"] == []


def test_answers_file_syntax_error(run, tmp_path) -> None:
    path = write_answers(tmp_path, "organization: [Acme\n")
    result = run("interview", "--answers", str(path))
    assert result.exit_code == 1
    assert f"{path}:2: syntax: " in result.stderr
    missing = run("interview", "--answers", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 1
    assert "nope.yaml: file not found" in missing.stderr


def test_reflect_from_answers_file(run, tmp_path, fixed_ids, isolated_home) -> None:
    interview = write_answers(tmp_path, "organization: Acme\ninterviewer: Kim\nanswers: {}\n")
    run("interview", "--answers", str(interview))
    reflection = tmp_path / "reflection.yaml"
    reflection.write_text(
        "reflection:\n  fit: Partly\n  verdict: limited\n  follow_ups: [{text: Call, owner: Bo}]\n"
    )
    result = run("reflect", "id0001", "--answers", str(reflection))
    assert result.exit_code == 0, result.output
    record = stored(isolated_home, "id0001")
    assert (record.reflection.fit, record.reflection.verdict, record.status) == (
        "Partly",
        "limited",
        "complete",
    )
    assert record.reflection.follow_ups[0].owner == "Bo"


def test_a_reflection_file_with_an_unquoted_impossible_date_lists_every_problem(
    run, tmp_path, fixed_ids
) -> None:
    run("interview", "--answers", str(write_answers(tmp_path, "organization: A\ninterviewer: B\n")))
    reflection = tmp_path / "reflection.yaml"
    reflection.write_text("reflection:\n  verdict: great\n  follow_ups: [{text: Call, due: 2027-13-01}]\n")
    result = run("reflect", "id0001", "--answers", str(reflection))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"leadcli: error: 2 problems in the answers file {reflection}:",
        f"{reflection}:2: reflection.verdict: 'great' is not a verdict; use strong, moderate, limited, unclear",
        f"{reflection}:3: reflection.follow_ups[0].due: '2027-13-01' is not a date;"
        " write it as YYYY-MM-DD, e.g. 2027-01-15",
    ]


def test_reflect_needs_a_terminal(run, tmp_path, fixed_ids) -> None:
    run("interview", "--answers", str(write_answers(tmp_path, "organization: A\ninterviewer: B\n")))
    result = run("reflect", "id0001")
    assert result.exit_code == 2
    assert "reflect needs a terminal" in result.stderr


def test_reflect_interactively_then_interrupted(run, tmp_path, keyboard, fixed_ids, isolated_home) -> None:
    run("interview", "--answers", str(write_answers(tmp_path, "organization: A\ninterviewer: B\n")))
    keyboard("It fits", KeyboardInterrupt)
    result = run("reflect", "id0001")
    assert result.exit_code == 130
    assert "Continue with: leadcli reflect id0001" in result.stderr
    assert stored(isolated_home, "id0001").reflection.fit == "It fits"


def test_finishing_without_reflecting_says_how_to_reflect_later(run, tiny_data, keyboard, fixed_ids) -> None:
    keyboard("", "", "", "", "", "", "n", "n")  # not to the unexplored questions; not reflecting now
    result = run(
        "--data-dir", str(tiny_data), "interview", "--org", "A", "--interviewer", "B", "--region", "Canada",
        "--contact", "D, E, core",
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout.rstrip().endswith("Reflect later with: leadcli reflect id0001")
    assert "Not explored yet: 1. Planning; 2. Ideas." in result.stdout
    assert (
        "Questions finished (not explored: 1, 2). Interview id0001 is awaiting-reflection." in result.stdout
    )


def test_ctrl_c_in_the_reflection_after_the_interview(run, tiny_data, keyboard, fixed_ids) -> None:
    keyboard("", "", "", "", "", "", "n", "y", KeyboardInterrupt)
    result = run(
        "--data-dir", str(tiny_data), "interview", "--org", "A", "--interviewer", "B", "--region", "Canada",
        "--contact", "D, E, core",
    )  # fmt: skip
    assert result.exit_code == 130
    assert result.stderr.endswith("Resume with: leadcli reflect id0001\n")


def test_answers_files_accept_what_the_live_interview_accepts(run, tmp_path, isolated_home) -> None:
    path = write_answers(
        tmp_path,
        """\
        organization: Acme
        interviewer: Kim
        contacts:
          - {name: Ana, level: Point of Care}
        answers:
          quality-planning: {notes: n, cues: [1, "3"], rating: PARTIAL}
          future-vision: {notes: m, rating: s}
        reflection:
          verdict: M
          follow_ups:
            - {text: Call, due: 2027-01-15}
        """,
    )
    result = run("interview", "--answers", str(path))
    assert result.exit_code == 0, result.stderr
    record = stored(isolated_home, result.stdout.strip())
    assert record.answers["quality-planning"].cues == ["planning-process", "quality-infrastructure"]
    assert record.answers["quality-planning"].rating == "partial"
    assert record.answers["future-vision"].rating == "strong"
    assert record.contacts[0].level == "point-of-care"
    assert record.reflection.verdict == "moderate"


def test_answers_file_bad_dates_and_blank_names_are_plain_messages(run, tmp_path) -> None:
    path = write_answers(
        tmp_path,
        """\
        organization: Acme
        interviewer: Kim
        contacts:
          - {name: " ", level: core}
        reflection:
          follow_ups:
            - {text: Call, due: 20270105}
        """,
    )
    result = run("interview", "--answers", str(path))
    assert result.exit_code == 1
    problems = result.stderr.splitlines()[1:]
    assert f"{path}:4: contacts[0].name: must not be blank" in problems
    assert (
        f"{path}:7: reflection.follow_ups[0].due: 20270105 is not a date; write it as YYYY-MM-DD, e.g. 2027-01-15"
        in problems
    )
    assert "Input should" not in result.stderr
    for impossible_day in ("2027-02-30", "2027-13-01"):  # unquoted: the same rule and words as quoted
        path.write_text(path.read_text().replace("20270105", impossible_day))
        impossible = run("interview", "--answers", str(path))
        assert impossible.exit_code == 1
        assert impossible.stderr.splitlines()[1:] == [  # every problem listed, the blank name too
            f"{path}:4: contacts[0].name: must not be blank",
            f"{path}:7: reflection.follow_ups[0].due: '{impossible_day}' is not a date;"
            " write it as YYYY-MM-DD, e.g. 2027-01-15",
        ]
        path.write_text(path.read_text().replace(impossible_day, "20270105"))
    path.write_text(path.read_text().replace("20270105", "2027-02-30"))
    path.write_text(path.read_text().replace("2027-02-30", "2027-01-05T10:00:00"))
    with_time = run("interview", "--answers", str(path))  # once: three of pydantic's own lines
    assert with_time.exit_code == 1
    assert with_time.stderr.splitlines()[1:] == [
        f"{path}:4: contacts[0].name: must not be blank",
        f"{path}:7: reflection.follow_ups[0].due: '2027-01-05T10:00:00' is not a date;"
        " write it as YYYY-MM-DD, e.g. 2027-01-15",
    ]


def test_a_sentence_at_reflect_now_is_kept_in_the_last_notes(
    run, tiny_data, keyboard, fixed_ids, isolated_home
) -> None:
    keyboard("", "", "", "", "", "", "n", "Ana will send the audit plan.", "n")
    result = run(
        "--data-dir", str(tiny_data), "interview", "--org", "Acme", "--interviewer", "Kim",
        "--contact", "Ana, CEO, executive", "--region", "UK",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Added to the notes of question" in result.stdout
    assert "Reflect later with: leadcli reflect id0001" in result.stdout
    record = stored(isolated_home, "id0001")
    last = record.snapshot.questions[-1].id
    assert record.answers[last].notes == "Ana will send the audit plan."


def test_reflect_answers_keeps_what_the_file_leaves_out(run, tmp_path, isolated_home) -> None:
    first = write_answers(
        tmp_path,
        """\
        organization: Acme
        interviewer: Kim
        reflection:
          fit: Yes, they fit
          concerns: Budget
          verdict: moderate
          follow_ups: [{text: Send a Diagnostics proposal, owner: Kim}]
        """,
        name="first.yaml",
    )
    created = run("interview", "--answers", str(first))
    interview_id = created.stdout.strip()
    verdict_only = write_answers(tmp_path, "reflection: {verdict: strong}\n", name="verdict.yaml")
    assert run("reflect", interview_id, "--answers", str(verdict_only)).exit_code == 0
    reflection = stored(isolated_home, interview_id).reflection
    assert (reflection.fit, reflection.concerns, reflection.verdict) == ("Yes, they fit", "Budget", "strong")
    assert [f.text for f in reflection.follow_ups] == ["Send a Diagnostics proposal"]


def test_an_unknown_region_is_said_on_import_and_in_the_report(run, tmp_path) -> None:
    path = write_answers(tmp_path, "organization: Acme\ninterviewer: Kim\nregion: Untied Kingdom\n")
    imported = run("interview", "--answers", str(path))
    assert imported.exit_code == 0
    warning = (
        "leadcli: 'Untied Kingdom' is not a place leadcli knows; only offerings available globally fit it\n"
    )
    assert warning in imported.stderr
    assert warning in run("report").stderr
    known = write_answers(tmp_path, "organization: Beta\ninterviewer: Kim\nregion: UK\n", name="b.yaml")
    assert "not a place" not in run("interview", "--answers", str(known)).stderr


@pytest.mark.parametrize("stop", ["/pause", KeyboardInterrupt])
@pytest.mark.parametrize("reflection", ["{concerns: also the budget}", "{verdict: strong}"])
def test_a_complete_interview_resumed_and_stopped_stays_complete(
    run, keyboard, tmp_path, isolated_home, stop, reflection
) -> None:
    from tests.conftest import REPO

    interview_id = run("interview", "--answers", str(REPO / "examples/call-notes.yaml")).stdout.strip()
    assert stored(isolated_home, interview_id).status == "complete"
    keyboard(stop)  # straight away, at the first question's notes
    resumed = run("interview", "--resume", interview_id)
    assert resumed.exit_code == (0 if stop == "/pause" else 130), resumed.output
    assert stored(isolated_home, interview_id).status == "complete"
    partial = write_answers(tmp_path, f"reflection: {reflection}\n", name="c1.yaml")
    reflected = run("reflect", interview_id, "--answers", str(partial))
    assert reflected.stderr == f"leadcli: reflection saved for interview {interview_id} (complete)\n"
    record = stored(isolated_home, interview_id)
    assert record.status == "complete"
    assert "complete" in run("list").stdout
    keyboard(*[""] * 13)  # and a live reflect, Enter at every prompt
    live = run("reflect", interview_id)
    assert live.stderr == f"leadcli: reflection saved for interview {interview_id} (complete)\n", live.output
    assert stored(isolated_home, interview_id).status == "complete"


def test_reflect_reads_each_domain_with_the_rating_just_typed(run, keyboard, tmp_path, isolated_home) -> None:
    path = write_answers(
        tmp_path,
        """\
        organization: Acme
        interviewer: Kim
        answers:
          future-vision: {cues: [looks-internally]}
        """,
    )
    interview_id = run("interview", "--answers", str(path)).stdout.strip()
    keyboard("s", "", "", "", *[""] * 8, "", "", "")  # strong; fit, concerns, gaps; levels; the rest
    result = run("reflect", interview_id)
    assert result.exit_code == 0, result.output
    shown = " ".join(result.stdout.split())
    assert "leadcli's reading †: strong (1 question · 1 strength · 0 concerns · 1 rating, thin)" in shown
    assert stored(isolated_home, interview_id).answers["future-vision"].rating == "strong"
    report = json.loads(run("report", interview_id, "-f", "json").stdout)
    [ideas] = [d for d in report["assessment"]["domains"] if d["domain_id"] == "ideas"]
    assert (ideas["reading"], ideas["rests_on"]) == (
        "strong",
        "1 question · 1 strength · 0 concerns · 1 rating",
    )


def test_a_sentence_at_the_proposals_prompt_goes_to_the_fit(run, keyboard, tmp_path, isolated_home) -> None:
    import signal

    from leadcli.prompting import Stopped

    path = write_answers(tmp_path, "organization: Acme\ninterviewer: Kim\nreflection: {fit: Partly}\n")
    interview_id = run("interview", "--answers", str(path)).stdout.strip()
    half = Stopped(signal.SIGINT, partial="then the board")
    keyboard(*[""] * 8, "Call the CFO", "diag", "m", "")  # fit, concerns, gaps, 5 domains; proposals
    result = run("reflect", interview_id)
    assert result.exit_code == 0, result.output
    assert "Not offering ids: added to the fit answer. Type offering ids, Enter or -." in result.stdout
    record = stored(isolated_home, interview_id)
    assert (record.reflection.fit, record.reflection.proposed) == ("Partly\nCall the CFO", ["diagnostics"])
    keyboard(*[""] * 8, half)
    stopped = run("reflect", interview_id)  # again: Ctrl-C with words half typed at the proposals
    assert stopped.exit_code == 130
    assert "Kept the half-typed words in the fit: then the board" in stopped.stdout
    assert stored(isolated_home, interview_id).reflection.fit == "Partly\nCall the CFO\nthen the board"


def test_a_word_at_the_yes_or_no_prompts_is_refused_and_never_stored(
    run, tiny_data, keyboard, fixed_ids, isolated_home
) -> None:
    keyboard(
        "", "", "1 3+", "", *[""] * 3,  # question 1: cues typed at the rating are refused too
        "maybe", "nope", "1 3", "n", "maybe", "Ana will send the audit plan.", "n",
    )  # fmt: skip
    result = run(
        "--data-dir", str(tiny_data), "interview", "--org", "Acme", "--interviewer", "Kim",
        "--contact", "Ana, CEO, executive", "--region", "UK",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Type y or n (Enter for no).") == 4
    assert result.stdout.count("Type s, p or l (strong, partial, low), or Enter to leave it unrated.") == 1
    assert result.stdout.count("Added to the notes of question 2.") == 1
    assert "Reflect later with: leadcli reflect id0001" in result.stdout
    record = stored(isolated_home, "id0001")
    assert record.answers["ideas"].notes == "Ana will send the audit plan."
    assert "priorities" not in record.answers


def test_numbers_or_a_word_at_reflects_rating_prompt_are_refused(
    run, keyboard, tmp_path, isolated_home
) -> None:
    path = write_answers(
        tmp_path,
        "organization: Acme\ninterviewer: Kim\nanswers:\n  future-vision: {notes: Looks inside}\n",
    )
    interview_id = run("interview", "--answers", str(path)).stdout.strip()
    keyboard("1 2 3 4+", "stong", "p", *[""] * 12)
    result = run("reflect", interview_id)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Type s, p or l (strong, partial, low), or Enter to leave it unrated.") == 2
    assert "Not a rating" not in result.stdout
    answer = stored(isolated_home, interview_id).answers["future-vision"]
    assert (answer.notes, answer.rating) == ("Looks inside", "partial")


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--resume", "id0001", "--org", "Other"], "--org cannot be used with --resume: a resumed interview"),
        (
            ["--resume", "id0001", "--contact", "Bo, CFO, core", "--region", "UK"],
            "--contact and --region cannot be used with --resume",
        ),
        (["--resume", "id0001", "--answers", "x.yaml"], "--answers imports a new interview"),
        (["--take-over", "--org", "Acme"], "--take-over goes with --resume ID"),
    ],
)
def test_options_that_do_not_go_with_resume_are_refused(
    run, keyboard, tmp_path, fixed_ids, isolated_home, options, said
) -> None:
    run("interview", "--answers", str(write_answers(tmp_path, "organization: Acme\ninterviewer: Kim\n")))
    keyboard("/pause")
    result = run("interview", *options)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"leadcli: error: {said}")
    assert len(result.stderr.splitlines()) == 1
    assert stored(isolated_home, "id0001").organization == "Acme"
