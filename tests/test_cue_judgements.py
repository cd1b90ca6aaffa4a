"""The +/- judgement at the cues prompt, stored and carried; the reflection's levels and proposals."""

from __future__ import annotations

import json
import sqlite3

import pytest

from leadcli.interview.cue_answers import parse_cue_answer
from leadcli.interview.engine import InterviewEngine, ReflectionEngine
from leadcli.interview.session import begin_interview
from leadcli.render.interview.terminal import question_view
from leadcli.render.wording import step_words
from leadcli.services.reflection import steps_for
from leadcli.store.db import Store
from leadcli.store.migrations import MIGRATIONS
from leadcli.store.snapshots import snapshot_data
from tests.interview_helpers import Keyboard, Screen
from tests.reports_helpers import CONTENT

PLANNING = CONTENT.questions.questions[0]  # 1-3 topics, 4 a strength, 5 a concern


def test_the_cue_answer_reads_signs_numbers_and_ids() -> None:
    answer = parse_cue_answer("2+ 5- 3 problems-solved quality-infrastructure−", PLANNING)
    assert answer.heard == [
        "who-is-involved",
        "challenges-remaining",
        "quality-infrastructure",
        "problems-solved",
    ]
    assert answer.judgements == {"who-is-involved": "+", "quality-infrastructure": "-"}  # the last sign wins
    plain = parse_cue_answer("1 3", PLANNING)
    assert [c.id for c in plain.unjudged(PLANNING)] == ["planning-process", "quality-infrastructure"]
    assert parse_cue_answer("4+ 5-", PLANNING).judgements == {}  # signs that match the kind say nothing new
    with pytest.raises(ValueError, match="cue 4 is a strength"):
        parse_cue_answer("4-", PLANNING)
    with pytest.raises(ValueError, match="not a cue of this question"):
        parse_cue_answer("9+", PLANNING)


@pytest.fixture
def store(isolated_home):
    with Store.open(isolated_home) as opened:
        yield opened


@pytest.fixture
def record(store):
    return begin_interview(store, CONTENT, organization="Acme", interviewer="Kim", region="", contacts=[])


def test_a_plain_topic_is_asked_about_and_may_stay_unjudged(store, record) -> None:
    keyboard, screen = Keyboard(["note", "", "1 2 5", "+", "", "s", "/pause"]), Screen()
    InterviewEngine(store, record, keyboard, screen, question_view).run()
    saved = store.interviews.get(record.id).answers["quality-planning"]
    assert saved.cues == ["planning-process", "who-is-involved", "challenges-remaining"]
    assert saved.judgements == {"planning-process": "+"}  # who-is-involved: heard, not judged
    assert "  1 How leadership does quality planning: + or -? (Enter: heard, not judged) " in keyboard.prompts
    assert "  2 Who is involved in deciding quality priorities: + or -? (Enter: heard, not judged) " in (
        keyboard.prompts
    )
    assert "1. ± How leadership does quality planning" in screen.text
    assert "5. − Challenges that remain †" in screen.text
    assert "Signs of commitment" not in screen.text  # off the live question screen


def test_a_sentence_at_the_judgement_prompt_goes_to_the_notes(store, record) -> None:
    lines = ["note", "", "3", "they built a data team last year", "-", "", "/pause"]
    InterviewEngine(store, record, Keyboard(lines), Screen(), question_view).run()
    saved = store.interviews.get(record.id).answers["quality-planning"]
    assert saved.notes == "note\nthey built a data team last year"
    assert saved.judgements == {"quality-infrastructure": "-"}


def test_the_reflection_asks_a_level_per_domain_and_the_proposals(store, record) -> None:
    record.answers.clear()
    lines = [
        "", "", "",  # fit, concerns, gaps
        "s", "maybe", "d", "", "-", "",  # direction strong; foundation: refused, then don't know; ...
        "nope", "lead",  # a word that names no offering, or two, is refused: nothing saved
        "Call the CFO", "nope diagnostics",  # a line not all offering ids is a sentence: the fit's
        "diag, Fellowship",  # the start of an id, a name in any case: as `offerings show` takes them
        "m", "",
    ]  # fmt: skip
    keyboard, screen = Keyboard(lines), Screen()
    ReflectionEngine(store, record, keyboard, screen, steps_for(CONTENT, step_words())).run()
    saved = store.interviews.get(record.id).reflection
    assert saved.domain_levels == {"direction": "strong", "foundation": "unknown"}
    assert saved.proposed == ["diagnostics", "fellowship"]
    assert saved.verdict == "moderate"
    assert "leadcli's reading †: unknown (0 questions · 0 strengths · 0 concerns · 0 ratings)" in screen.text
    flat = " ".join(screen.text.split())
    assert "† leadcli's own reading, not the report's words." in flat  # the legend, from wording
    assert "What the institute's stakeholders said leaders need" in flat
    assert "“focus on a few specific goals”" in screen.text  # the stakeholders' views, beside the step
    assert "nope: not an offering id (nothing was saved)" in screen.text
    assert "lead: matches leading-organizing-change, leadership-alliance (nothing was saved)" in screen.text
    assert saved.fit == "Call the CFO\nnope diagnostics"
    assert screen.text.count("Not offering ids: added to the fit answer.") == 2


def test_judgements_levels_and_proposals_travel_through_export_and_import(
    run, isolated_home, tmp_path
) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "organization: Acme\ninterviewer: Kim\n"
        "answers:\n  internal-issues: {cues: [2, '3-'], rating: low}\n"
        'reflection:\n  domain_levels: {execution: low, will: "don\'t know"}\n  proposed: [diagnostics]\n',
        encoding="utf-8",
    )
    created = run("interview", "--answers", str(answers))
    assert created.exit_code == 0, created.output
    interview_id = created.stdout.strip()
    exported = tmp_path / "export.json"
    assert run("export", "-o", str(exported)).exit_code == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    [item] = data["interviews"]
    assert item["answers"]["internal-issues"]["judgements"] == {"leadership-stability": "-"}
    assert item["reflection"]["domain_levels"] == {"execution": "low", "will": "unknown"}
    assert item["reflection"]["proposed"] == ["diagnostics"]
    other = tmp_path / "other"
    imported = run("--home", str(other), "import", str(exported))
    assert imported.exit_code == 0, imported.output
    with Store.open(other) as store:
        again = store.interviews.get(interview_id)
    assert again.answers["internal-issues"].judgements == {"leadership-stability": "-"}
    assert again.reflection.domain_levels == {"execution": "low", "will": "unknown"}
    # and an export from before judgements existed still imports, as nothing judged
    for answer in item["answers"].values():
        answer.pop("judgements")
    item["reflection"].pop("domain_levels")
    item["reflection"].pop("proposed")
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    third = tmp_path / "third"
    assert run("--home", str(third), "import", str(old)).exit_code == 0
    with Store.open(third) as store:
        assert store.interviews.get(interview_id).answers["internal-issues"].judgements == {}


def test_an_answers_file_is_refused_for_a_sign_against_the_kind_or_unknown_names(run, tmp_path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "organization: Acme\ninterviewer: Kim\nanswers:\n  quality-planning: {cues: ['4-']}\n"
        "reflection:\n  domain_levels: {nope: strong, will: maybe}\n  proposed: [nope]\n",
        encoding="utf-8",
    )
    refused = run("interview", "--answers", str(answers))
    assert refused.exit_code == 1
    assert "'4-': cue 4 is a strength (leadcli's reading); only topics take + or -" in refused.stderr
    assert "reflection.domain_levels.nope: unknown domain id; domains are: direction" in refused.stderr
    assert "reflection.domain_levels.will: 'maybe' is not a level" in refused.stderr
    assert "reflection.proposed[0]: 'nope' is not an offering id" in refused.stderr


def test_a_store_from_before_judgements_upgrades_and_reads_nothing_judged(isolated_home) -> None:
    Store.open(isolated_home, migrate_upto="010_team_security").close()
    data = snapshot_data(CONTENT.questions.questions, CONTENT.questions.reflection.questions)
    for question in data["questions"]:  # a copy of the questions from before cues had kinds
        for cue in question["cues"]:
            cue.pop("kind")
            cue.pop("words")
    with Store.open(isolated_home, migrate_upto="010_team_security") as old:
        old.connection.execute("BEGIN")
        key = old.snapshots.add(data)
        old.connection.execute(
            "INSERT INTO interviews (id, organization, interviewer, region, status, position, created_at,"
            " updated_at, framework_version, framework_sha256, questions_version, questions_sha256, snapshot,"
            " snapshot_sha256) VALUES ('old001', 'Acme', 'Kim', '', 'draft', 1, '2025-01-01', '2025-01-01',"
            " 'f', 'f', '2019.12-a.1', 'q', '', ?)",
            (key,),
        )
        old.connection.execute("COMMIT")
    with sqlite3.connect(isolated_home / "leadcli.db") as db:
        db.execute(
            "INSERT INTO answers (interview_id, question_id, state, notes, cues, rating, updated_at)"
            " VALUES ('old001', 'internal-issues', 'explored', '', '[\"issues-that-hurt\", \"leadership-stability\"]',"
            " 'strong', '2025-01-01')"
        )
        db.execute(
            "INSERT INTO reflections (interview_id, verdict, updated_at) VALUES ('old001', NULL, '2025')"
        )
    with Store.open(isolated_home) as upgraded:
        applied = [r[0] for r in upgraded.connection.execute("SELECT name FROM migrations ORDER BY name")]
        assert applied == [name for name, _ in MIGRATIONS]
        record = upgraded.interviews.get("old001")
    answer = record.answers["internal-issues"]
    assert answer.judgements == {}
    assert record.reflection.domain_levels == {} and record.reflection.proposed == []
    kinds = {c.id: c.kind for c in record.snapshot.questions[4].cues}
    assert kinds == {
        "issues-that-help": "strength",
        "issues-that-hurt": "concern",
        "leadership-stability": "topic",
    }
    from leadcli.assessment.rules import assess

    levels = {
        d.domain_id: d.level for d in assess(record, CONTENT.framework, CONTENT.questions.assessment).domains
    }
    assert levels["execution"] == "low"  # the old rules read this "strong"
    assert levels["foundation"] == "unknown"  # stability heard before judgements: not judged
