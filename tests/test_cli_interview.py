"""`leadcli interview`, `reflect`, `list`, `show`, `delete` and `home` through the typer app."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from leadcli.store.db import Store

# Every test here runs on both stores (SQLite and PostgreSQL; see conftest.store_backend).
pytestmark = pytest.mark.usefixtures("store_backend")


def plain(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines())


def stored(home: Path, interview_id: str):
    with Store.open(home) as store:
        return store.get(interview_id)


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
        "y",
        "",
        "Yes",
        "Budget",
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
            1. Who decides †
            2. Infrastructure †
            († cues are leadcli's reading of the guidance)
        Type notes; a blank line ends them. /help for commands.
          notes> Board sets three aims
          … CFO [bold]worried[/]
          …
          cues heard (e.g. 1 3; Enter for none): 1 2
          evidence: strong, partial or low (s/p/l; Enter to leave unrated): p

        Question 2 of 2  ·  Ideas
          Where do ideas come from?
          Trying to learn: Inside and outside.
            1. Looks inside †
            2. Looks outside †
            († cues are leadcli's reading of the guidance)
        Type notes; a blank line ends them. /help for commands.
          notes> /help
        Commands at any prompt:
          /back      go back to the previous question and amend its answer
          /skip      skip this question (it stays "not explored")
          /goto N    jump to question N
          /edit      open $EDITOR on this question's notes
          /pause     save and stop; resume later with `leadcli interview --resume ID`
          /help      show this list
        Notes: type lines, a blank line ends the note. Start a line with // to type a literal /.
          notes>
          cues heard (e.g. 1 3; Enter for none): 9
        '9' is not a cue of this question: use numbers 1 to 2
          cues heard (e.g. 1 3; Enter for none):
          evidence: strong, partial or low (s/p/l; Enter to leave unrated):
        All questions done. Interview id0001 is awaiting-reflection.
        Reflect now? [y/N] y
        Reflection (Enter keeps what is there):
        Does it fit?
          >
        Any concerns?
          > Yes
        Any gaps?
          > Budget
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
    assert "ideas" not in record.answers
    assert (record.reflection.fit, record.reflection.concerns, record.reflection.gaps) == (
        "",
        "Yes",
        "Budget",
    )
    assert record.reflection.verdict == "moderate"


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
        "--data-dir", str(tiny_data), "interview", "--org", "A", "--interviewer", "B", "--region", "C",
        "--contact", "D, E, core",
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stderr == "leadcli: paused and saved. Resume with: leadcli interview --resume id0001\n"


def test_bad_contact_option(run) -> None:
    result = run("interview", "--org", "A", "--contact", "Just a name")
    assert result.exit_code == 2
    assert 'write it as "Name, Role, level"' in result.stderr


# --- answers files --------------------------------------------------------------------------

HOSTILE = "[bold red]x[/] and [/] and <script>alert(1)</script> and 🦄 émoji"


def write_answers(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


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
    assert problems[0].startswith(f"{path}:4: contacts[0].level: Input should be 'executive'")
    assert any(p.startswith(f"{path}:8: answers.quality-planning.rating: ") for p in problems)
    assert any(p.startswith(f"{path}:11: reflection.verdict: ") for p in problems)
    assert json.loads(run("list", "--format", "json").stdout) == []


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
        "its cues are: planning-process, who-is-involved, quality-infrastructure, problems-solved, challenges-remaining",
        f"{path}:7: answers.nonsense: unknown question id; questions are: quality-planning, track-record, "
        "future-vision, regional-environment, internal-issues",
    ]
    assert json.loads(run("list", "--format", "json").stdout) == []


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


# --- managing records -----------------------------------------------------------------------


@pytest.fixture
def three(run, tmp_path, fixed_ids):
    for org, verdict in (("Acme Health", "strong"), ("Beta Care", None), ("Acme Clinics", None)):
        text = f"organization: {org}\ninterviewer: Kim\nanswers:\n  track-record: {{notes: '{HOSTILE}'}}\n"
        if verdict:
            text += f"reflection: {{verdict: {verdict}}}\n"
        path = tmp_path / f"{org}.yaml"
        path.write_text(text, encoding="utf-8")
        assert run("interview", "--answers", str(path)).exit_code == 0
    return ["id0001", "id0002", "id0003"]


def test_list_filters_and_formats(run, three) -> None:
    rows = json.loads(run("list", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["id0003", "id0002", "id0001"]
    assert rows[2]["verdict"] == "strong"
    assert rows[0]["explored"] == 1
    assert rows[0]["questions"] == 5
    acme = json.loads(run("list", "--org", "acme", "-f", "json").stdout)
    assert {r["organization"] for r in acme} == {"Acme Health", "Acme Clinics"}
    complete = json.loads(run("list", "--status", "complete", "-f", "json").stdout)
    assert [r["id"] for r in complete] == ["id0001"]
    table = run("list").stdout
    assert "Beta Care" in table
    assert "3 interviews" in table
    csv_out = run("list", "-f", "csv").stdout.splitlines()
    assert csv_out[0].startswith("id,organization,interviewer")
    assert len(csv_out) == 4


def test_show_prints_user_text_literally(run, three) -> None:
    result = run("show", "id0002")
    assert result.exit_code == 0
    assert HOSTILE in result.stdout
    assert "[not explored]" in result.stdout
    data = json.loads(run("show", "id0002", "--format", "json").stdout)
    assert data["answers"]["track-record"]["notes"] == HOSTILE


def test_long_note_round_trips(run, tmp_path, fixed_ids, isolated_home) -> None:
    note = ("Twenty thousand characters of notes, " * 600)[:20_000]
    path = tmp_path / "long.yaml"
    path.write_text(
        "organization: A\ninterviewer: B\nanswers:\n  track-record:\n    notes: " + json.dumps(note) + "\n",
        encoding="utf-8",
    )
    run("interview", "--answers", str(path))
    assert stored(isolated_home, "id0001").answers["track-record"].notes == note
    shown = json.loads(run("show", "id0001", "-f", "json").stdout)
    assert shown["answers"]["track-record"]["notes"] == note


def test_unknown_and_ambiguous_ids(run, three) -> None:
    unknown = run("show", "zzz")
    assert unknown.exit_code == 1
    assert (
        unknown.stderr
        == "leadcli: error: no interview with id 'zzz'\nleadcli: see `leadcli list` for the ids\n"
    )
    ambiguous = run("show", "id")
    assert ambiguous.exit_code == 2
    assert "'id' matches several interviews (id0001, id0002, id0003)" in ambiguous.stderr


def test_delete_asks_and_yes_skips(run, three, keyboard) -> None:
    refused = run("delete", "id0001")
    assert refused.exit_code == 2
    assert "add --yes" in refused.stderr
    keyboard("n")
    kept = run("delete", "id0001")
    assert kept.exit_code == 0
    assert "nothing deleted" in kept.stderr
    keyboard("y")
    assert run("delete", "id0001").exit_code == 0
    assert run("delete", "id0002", "--yes").stderr == "leadcli: deleted interview id0002\n"
    assert [r["id"] for r in json.loads(run("list", "-f", "json").stdout)] == ["id0003"]


@pytest.mark.sqlite_only  # the file and folder modes of the SQLite store
def test_home_and_file_modes(run, three, isolated_home) -> None:
    assert run("home").stdout == f"{isolated_home / 'leadcli.db'}\n"
    assert stat.S_IMODE(isolated_home.stat().st_mode) == 0o700
    for name in ("leadcli.db", "leadcli.db-wal"):
        path = isolated_home / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


@pytest.mark.sqlite_only  # the file and folder modes of the SQLite store
def test_home_option_and_fresh_folder_is_private(run, tmp_path) -> None:
    home = tmp_path / "new" / "home"
    assert run("--home", str(home), "list", "-f", "json").stdout == "[]\n"
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "leadcli.db").stat().st_mode) == 0o600


def test_two_processes_writing_at_once_lose_nothing(tmp_path, isolated_home) -> None:
    script = textwrap.dedent("""\
        import os
        import sys
        from pathlib import Path
        from leadcli.content.loader import load_content
        from leadcli.paths import builtin_data_dir
        from leadcli.interview.engine import begin_interview
        from leadcli.store.db import Store
        from leadcli.store.records import Answer
        content = load_content(builtin_data_dir())
        with Store.open(Path(sys.argv[1]), url=os.environ.get("LEADCLI_DATABASE_URL")) as store:
            for n in range(40):
                record = begin_interview(store, content, organization=f"{sys.argv[2]} {n}",
                                         interviewer="x", region="", contacts=[])
                store.save_answer(record.id, Answer(question_id="track-record", notes=f"note {n}"))
        """)
    env = {**os.environ, "LEADCLI_HOME": str(isolated_home)}
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(isolated_home), name], env=env)
        for name in ("left", "right")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with Store.open(isolated_home) as store:
        rows, total = store.list()
        assert total == 80
        assert len(rows) == 80
        assert all(r.explored == 1 for r in rows)


def test_list_limit(run, tmp_path, fixed_ids) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("organization: Acme\ninterviewer: Kim\n", encoding="utf-8")
    for _ in range(4):
        run("interview", "--answers", str(path))
    table = run("list", "--limit", "2").stdout
    assert "the 2 most recent of 4 interviews; --limit 0 for all" in table
    assert "id0004" in table and "id0001" not in table
    assert len(json.loads(run("list", "-f", "json").stdout)) == 4
    assert [r["id"] for r in json.loads(run("list", "-f", "json", "-n", "1").stdout)] == ["id0004"]
    assert run("list", "--limit", "-1").exit_code == 2


def test_finishing_without_reflecting_says_how_to_reflect_later(run, tiny_data, keyboard, fixed_ids) -> None:
    keyboard("", "", "", "", "", "", "n")
    result = run(
        "--data-dir", str(tiny_data), "interview", "--org", "A", "--interviewer", "B", "--region", "C",
        "--contact", "D, E, core",
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout.rstrip().endswith("Reflect later with: leadcli reflect id0001")


def test_ctrl_c_in_the_reflection_after_the_interview(run, tiny_data, keyboard, fixed_ids) -> None:
    keyboard("", "", "", "", "", "", "y", KeyboardInterrupt)
    result = run(
        "--data-dir", str(tiny_data), "interview", "--org", "A", "--interviewer", "B", "--region", "C",
        "--contact", "D, E, core",
    )  # fmt: skip
    assert result.exit_code == 130
    assert result.stderr.endswith("Resume with: leadcli reflect id0001\n")
