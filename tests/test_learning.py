"""The learning loop's second turn: question-set versions, their diff, evaluation by version,
coverage of the offerings and demand. Every figure is worked out by hand (see
tests/learning_helpers.py for the two versions and the six interviews)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leadcli.assessment.demand import Conversation, demand
from leadcli.assessment.evaluate import wilson_interval
from leadcli.assessment.versions import evaluate_by_version
from leadcli.content.coverage import coverage
from leadcli.content.question_sets import diff_sets, next_version, set_data, set_digest
from leadcli.store.db import Store
from leadcli.store.records import Contact
from tests.conftest import REPO
from tests.learning_helpers import RESULTS, answered, interviews, load_versions, version_dirs, versions_of
from tests.reports_helpers import CONTENT, make_interview


@pytest.fixture
def versions(data_copy, tmp_path):
    return load_versions(data_copy, tmp_path)


# --- one version, one text -----------------------------------------------------------------


def test_a_version_names_what_the_set_says_not_its_layout(versions) -> None:
    first, second = versions
    assert set_digest(set_data(first.questions)) != set_digest(set_data(second.questions))
    # The version itself is not part of the text it names; defaults left out are the same text.
    data = set_data(first.questions)
    assert set_digest({**data, "version": "other"}) == set_digest(data)
    assert "status" not in data  # "draft" is the default
    assert next_version("2019.12-a.1") == "2019.12-a.2"
    assert next_version("study-9") == "study-10"
    assert next_version("draft") == "draft.2"


def test_diff_names_the_reworded_question_the_added_cue_and_the_dropped_question(versions) -> None:
    first, second = versions
    diff = diff_sets(set_data(first.questions), set_data(second.questions), old_from="a", new_from="b")
    assert (diff.old_version, diff.new_version, diff.same_text) == ("study-1", "study-2", False)
    changes = {q.question_id: q for q in diff.questions}
    assert set(changes) == {"priorities", "culture"}
    assert changes["priorities"].change == "changed" and changes["priorities"].reworded
    assert changes["priorities"].fields == ["prompts"]
    assert changes["priorities"].old_prompts == ["How are priorities set?"]
    assert changes["priorities"].new_prompts == ["Who sets the quality priorities, and how?"]
    assert changes["culture"].change == "removed"
    cues = [(c.question_id, c.cue_id, c.change) for c in diff.cues]
    assert cues == [("ideas", "exemplars", "added"), ("culture", "rituals", "removed")]
    assert diff.rules == [] and diff.reflection == []
    assert diff.counts == {
        "questions added": 0, "questions removed": 1, "questions reworded": 1, "cues added": 1,
        "cues removed": 1, "cues reworded": 0, "cue kinds changed": 0, "domains changed": 0,
        "assessment rules changed": 0,
    }  # fmt: skip


def test_diff_names_changed_rules_domains_and_cue_kinds(versions) -> None:
    first, _ = versions
    old = set_data(first.questions)
    new = set_data(first.questions)
    new["version"] = "study-1b"
    new["assessment"]["domain_levels"]["strong"] = 1.6
    new["questions"][0]["domains"] = ["direction"]
    new["questions"][0]["cues"][0]["kind"] = "concern"
    new["questions"][1]["cues"][0]["text"] = "Looks inside the organization"
    new["reflection"]["questions"][0]["text"] = "Does it fit us?"
    diff = diff_sets(old, new, old_from="store", new_from="store")
    assert [(r.path, r.old, r.new) for r in diff.rules] == [("domain_levels.strong", 1.5, 1.6)]
    question = diff.questions[0]
    assert (question.question_id, question.fields, question.domains_removed) == (
        "priorities", ["domains"], ["foundation"],
    )  # fmt: skip
    kinds = [c for c in diff.cues if "kind" in c.fields]
    assert [(c.cue_id, c.old_kind, c.new_kind) for c in kinds] == [("who-decides", "strength", "concern")]
    reworded = [c for c in diff.cues if c.reworded]
    assert [(c.cue_id, c.old_text, c.new_text) for c in reworded] == [
        ("inside", "Looks inside", "Looks inside the organization")
    ]
    assert [(r.path, r.new) for r in diff.reflection] == [("reflection.fit", "Does it fit us?")]


# --- evaluate --by-version -------------------------------------------------------------------


def test_evaluation_by_version_worked_out_by_hand(versions) -> None:
    first, second = versions
    records = interviews(first, second)
    result = evaluate_by_version(answered(records), versions_of(records), second, RESULTS)
    assert [(v.version, v.interviews, v.first, v.last, v.questions) for v in result.versions] == [
        ("study-1", 3, "2026-10-01", "2026-10-03", 3),
        ("study-2", 3, "2026-10-11", "2026-10-13", 2),
    ]
    rows = {q.id: q for q in result.questions}
    assert list(rows) == ["priorities", "ideas", "culture"]

    def cell(question: str, version: str):
        return next(v for v in rows[question].versions if v.version == version)

    # priorities under study-1: reached by 3, explored by v1a only (v1c skipped it), its one rating
    # strong; cues heard 1 of 2. Under study-2 (reworded): explored by all 3, cues 2+0+1 = 3 of 6,
    # rated partial, low and once unrated: 2 of 3 rated.
    old, new = cell("priorities", "study-1"), cell("priorities", "study-2")
    assert (old.change, new.change, new.changed) == (None, "reworded", ["prompts"])
    assert (old.figures.asked, old.figures.explored, old.figures.skipped) == (3, 1, 1)
    assert (old.figures.cue_share, old.explored_share, old.rated_share) == (0.5, round(1 / 3, 4), 1.0)
    assert (new.figures.asked, new.figures.explored, new.figures.cue_share) == (3, 3, 0.5)
    assert (new.explored_share, new.rated_share) == (1.0, round(2 / 3, 4))
    low, high = wilson_interval(1, 3)
    assert old.explored_interval == [round(low, 4), round(high, 4)]
    assert 0.06 < low < 0.07 and 0.79 < high < 0.80  # by hand: 0.0615 to 0.7923
    # ideas: study-1 explored by all 3, cues 1+0+2 = 3 of 6, rated 2 of 3 (low, partial);
    # study-2 adds a cue: explored by v2a and v2c, cues 2 of 3 + 0 of 3 = 2 of 6, rated 1 of 2.
    old, new = cell("ideas", "study-1"), cell("ideas", "study-2")
    assert (new.change, new.changed) == ("changed", ["cue exemplars added"])
    assert (old.figures.explored, old.figures.cue_share, old.rated_share) == (3, 0.5, round(2 / 3, 4))
    assert (new.figures.asked, new.figures.explored, new.figures.cue_share) == (3, 2, round(2 / 6, 4))
    assert new.rated_share == 0.5
    # culture: only study-1 asks it; explored once (unrated), so not working; dropped in study-2.
    only = rows["culture"]
    assert [v.version for v in only.versions] == ["study-1"] and only.dropped_in == "study-2"
    assert only.versions[0].figures.working is False
    # Verdict against outcome per version: study-1 strong (Acme engaged), limited (Bay declined),
    # none yet (Cedar open); study-2 strong (Dale engaged), moderate (Acme engaged), none yet (Elm).
    by_verdict = {
        v.version: {
            o.verdict: (o.interviews, o.engaged, o.declined, o.open) for o in v.outcomes if o.interviews
        }
        for v in result.versions
    }
    assert by_verdict == {
        "study-1": {"strong": (1, 1, 0, 0), "limited": (1, 0, 1, 0), "none yet": (1, 0, 0, 1)},
        "study-2": {"strong": (1, 1, 0, 0), "moderate": (1, 1, 0, 0), "none yet": (1, 0, 0, 1)},
    }
    assert all("too few" in (o.warning or "") for v in result.versions for o in v.outcomes)
    assert result.versions[0].warnings == [
        "Only 3 interview(s): the question figures are a first impression.",
        "Only 2 interview(s) with an outcome: too few to read anything into.",
        "The outcomes come from 2 organization(s); interviews at one organization share its outcome,"
        " so they are not independent evidence.",
    ]  # no agreement warning: agreement is not shown per version
    assert result.findings[0] == (
        "1. Planning reworded in study-2: explored 3 of 3 (100%), rated 2 of 3 (67%); "
        "under study-1: explored 1 of 3 (33%), rated 1 of 1 (100%)."
    )
    assert "3. Culture is not asked from study-2 on." in result.findings
    assert result.findings[-1].startswith("Some versions have fewer than 10 interviews")


# --- offerings --coverage --------------------------------------------------------------------


def test_coverage_of_the_built_in_catalog_worked_out_by_hand() -> None:
    found = coverage(CONTENT.framework, CONTENT.catalog)
    assert len(found.cells) == 5 * 3 * 2
    # Point of care: only Whole System Quality (priced per organization), for execution and foundation.
    for domain in ("direction", "foundation", "will", "ideas", "execution"):
        assert found.cell(domain, "point-of-care", "individuals").offerings == []
    assert found.cell("execution", "point-of-care", "organizations").offerings == ["whole-system-quality"]
    assert found.cell("foundation", "point-of-care", "organizations").offerings == ["whole-system-quality"]
    # No offering priced per person strengthens ideas, for any audience.
    assert found.cell("ideas", "executive", "individuals").offerings == []
    assert found.cell("ideas", "core", "individuals").offerings == []
    assert found.cell("ideas", "executive", "organizations").offerings == [
        "health-improvement-alliance-europe", "leadership-alliance",
    ]  # fmt: skip
    assert found.cell("will", "core", "individuals").offerings == ["leading-organizing-change"]
    assert found.cell("direction", "executive", "individuals").offerings == [
        "patient-safety-executive", "fellowship",
    ]  # fmt: skip
    assert len(found.empty_cells) == 2 + 8
    assert found.serving("will", "executive") == [
        "cqo-development",
        "onsite-leadership-workshop",
        "diagnostics",
    ]
    assert "leadcli's reading (†)" in found.note


# --- summary --demand ------------------------------------------------------------------------


def test_demand_worked_out_by_hand() -> None:
    """Five conversations: ideas low with executives twice and with point-of-care staff once."""
    found = demand(
        [
            Conversation(levels={"ideas": "low", "will": "strong"}, audiences=("executive",), times=2),
            Conversation(levels={"ideas": "partial", "will": "low"}, audiences=("executive", "core")),
            Conversation(levels={"ideas": "low", "will": "unknown"}, audiences=("point-of-care",)),
            Conversation(levels={"ideas": "low"}, audiences=()),
        ],
        coverage(CONTENT.framework, CONTENT.catalog),
    )
    assert (found.conversations, found.without_people) == (5, 1)
    assert found.by_audience == {"executive": 3, "core": 1, "point-of-care": 1}
    cells = {(c.domain_id, c.audience): c for c in found.cells}
    ideas_exec = cells["ideas", "executive"]
    assert (ideas_exec.conversations, ideas_exec.known, ideas_exec.needing, ideas_exec.share) == (
        3, 3, 2, round(2 / 3, 4),
    )  # fmt: skip
    assert ideas_exec.offerings == ["health-improvement-alliance-europe", "leadership-alliance"]
    poc = cells["ideas", "point-of-care"]
    assert (poc.needing, poc.offerings, poc.unserved) == (1, [], True)
    assert (cells["will", "core"].needing, cells["will", "point-of-care"].known) == (1, 0)
    # Demand without an offering first, then the rest with demand, most first.
    assert [(c.domain_id, c.audience, c.needing) for c in found.cells[:4]] == [
        ("ideas", "point-of-care", 1), ("ideas", "executive", 2), ("will", "executive", 1), ("will", "core", 1),
    ]  # fmt: skip
    assert found.finding == (
        "From 5 conversations: 1 need(s) no offering serves — "
        "Encourage Ideas and Testing for point-of-care (1 of 1)."
    )
    assert found.warnings == [
        "Only 5 conversation(s): a first impression, not market evidence.",
        "1 conversation(s) recorded nobody's level and count under no audience.",
    ]


# --- the commands ------------------------------------------------------------------------------


def _matches_schema(data: object, name: str) -> None:
    """The output is valid against its committed schema (data/schema/NAME)."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REPO / "data" / "schema" / name).read_text(encoding="utf-8"))
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in jsonschema.Draft202012Validator(schema).iter_errors(data)
    ]
    assert errors == [], errors[:5]


def _answers_file(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


CALL = "organization: Acme\ninterviewer: Kim\ncontacts: [{name: Ana, level: executive}]\n"


@pytest.fixture
def two_dirs(data_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    return version_dirs(data_copy, tmp_path)


@pytest.mark.usefixtures("store_backend")
def test_a_changed_file_under_an_unchanged_version_is_refused(run, two_dirs, tmp_path, isolated_home) -> None:
    first, _ = two_dirs
    call = _answers_file(tmp_path, "call.yaml", CALL + "answers: {ideas: {rating: low}}\n")
    assert run("--data-dir", str(first), "interview", "--answers", str(call)).exit_code == 0
    assert run("validate", "--data-dir", str(first)).exit_code == 0  # the same text: fine
    questions = first / "questions.yaml"
    questions.write_text(
        questions.read_text(encoding="utf-8").replace(
            "Where do ideas come from?", "Where do your ideas come from?"
        ),
        encoding="utf-8",
    )
    expected = (
        f"leadcli: error: {questions}: the questions changed but their version did not: version 'study-1' "
        "already names another text in the store (recorded 20"
    )
    for args in (
        ("validate", "--data-dir", str(first)),
        ("--data-dir", str(first), "interview", "--answers", str(call)),
        ("--data-dir", str(first), "evaluate"),
        ("--data-dir", str(first), "evaluate", "--by-version"),
    ):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.startswith(expected), result.stderr
        assert result.stderr.endswith("give the changed set a new version, e.g. version: 'study-2'\n")
        assert result.stderr.count("\n") == 1
    with Store.open(isolated_home) as store:
        assert len(store.interviews.ids()) == 1  # nothing recorded under a version that now means two things
    # Comments and layout are not the text: a reformatted, commented copy of study-2 is study-2.
    _, second = two_dirs
    assert run("--data-dir", str(second), "interview", "--answers", str(call)).exit_code == 0
    text = (second / "questions.yaml").read_text(encoding="utf-8")
    (second / "questions.yaml").write_text(
        "# a comment\n" + text.replace("version: study-2", "version:   study-2  # v2")
    )
    assert run("validate", "--data-dir", str(second)).exit_code == 0


@pytest.mark.usefixtures("store_backend")
def test_questions_diff_between_versions_in_the_store_and_the_files(run, two_dirs, tmp_path) -> None:
    first, second = two_dirs
    call = _answers_file(tmp_path, "call.yaml", CALL)
    for folder in (first, second):
        assert run("--data-dir", str(folder), "interview", "--answers", str(call)).exit_code == 0
    result = run("questions", "diff", "study-1", "study-2", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    _matches_schema(data, "questions-diff.schema.json")
    assert (data["old_from"], data["new_from"]) == ("store", "store")
    assert data["counts"]["questions reworded"] == 1
    assert data["counts"]["cues added"] == 1
    assert data["counts"]["questions removed"] == 1
    # NEW defaults to the current files; OLD to the latest other version recorded.
    files = json.loads(run("--data-dir", str(second), "questions", "diff", "-f", "json").stdout)
    assert (files["old_version"], files["new_version"], files["same_text"]) == ("study-1", "study-2", False)
    assert files["new_from"] == str(second / "questions.yaml")
    markdown = run("questions", "diff", "study-1", "study-2", "-f", "markdown").stdout
    assert "## Questions" in markdown and "- ~ 1\\. Planning (priorities): reworded" not in markdown
    assert "~ 1. Planning (priorities): reworded" in markdown
    assert "now: Who sets the quality priorities, and how?" in markdown
    assert "+ ideas / exemplars: added" in markdown
    assert "- 3. Culture (culture): removed" in markdown
    table = run("questions", "diff", "study-1", "study-2").stdout
    assert "Questions study-1 (store) → study-2 (store)" in table
    assert "1 question removed; 1 question reworded; 1 cue added; 1 cue removed" in table
    same = run("--data-dir", str(second), "questions", "diff", "study-2", "files").stdout
    assert "No change: the two sets say the same." in same
    unknown = run("questions", "diff", "nope")
    assert unknown.exit_code == 1
    assert "the store has no question set version 'nope'; versions are: study-1, study-2" in unknown.stderr


@pytest.mark.usefixtures("store_backend")
def test_evaluate_by_version_from_the_store(run, data_copy, tmp_path, isolated_home) -> None:
    first, second = load_versions(data_copy, tmp_path)
    with Store.open(isolated_home) as store:
        for record in interviews(first, second):
            store.interviews.insert(record)
    for org, result in (("acme", "engaged"), ("bay", "declined"), ("dale", "engaged")):
        assert run("outcome", org, "--result", result, "--date", "2026-11-01").exit_code == 0
    data = json.loads(
        run("--data-dir", str(tmp_path / "study-2"), "evaluate", "--by-version", "-f", "json").stdout
    )
    _matches_schema(data, "evaluate-by-version.schema.json")
    assert [(v["version"], v["interviews"]) for v in data["versions"]] == [("study-1", 3), ("study-2", 3)]
    priorities = data["questions"][0]
    assert [(v["version"], v["change"], v["figures"]["explored"]) for v in priorities["versions"]] == [
        ("study-1", None, 1), ("study-2", "reworded", 3),
    ]  # fmt: skip
    assert data["findings"][0].startswith("1. Planning reworded in study-2: explored 3 of 3 (100%)")
    table = run("--data-dir", str(tmp_path / "study-2"), "evaluate", "--by-version").stdout
    assert "Questions by version" in table and "reworded" in table and "dropped" in table
    markdown = run(
        "--data-dir", str(tmp_path / "study-2"), "evaluate", "--by-version", "-f", "markdown"
    ).stdout
    assert "| 1\\. Planning | study-1 |" in markdown or "| 1. Planning | study-1 |" in markdown
    assert "changed: cue exemplars added" in markdown


def test_offerings_coverage_in_every_format(run) -> None:
    data = json.loads(run("offerings", "--coverage", "-f", "json").stdout)
    _matches_schema(data, "coverage.schema.json")
    assert len(data["cells"]) == 30
    assert sum(1 for c in data["cells"] if not c["offerings"]) == 10
    assert "leadcli's reading (†)" in data["note"]
    rows = run("offerings", "--coverage", "-f", "csv").stdout.splitlines()
    assert rows[0] == "domain_id,domain,audience,customer_by_leadcli,offering_ids,offerings,empty"
    assert "ideas,Encourage Ideas and Testing,point-of-care,individuals,,,yes" in rows
    markdown = run("offerings", "--coverage", "-f", "markdown").stdout
    assert "| Domain | Customer | Executive leaders | Core leaders | Point-of-care staff |" in markdown
    assert "none †" in markdown
    table = run("offerings", "--coverage").stdout
    assert "10 of 30 cells have no offering" in table and "none †" in table
    # The filters narrow the offerings counted: in Europe, the Alliance, the one offered in the
    # United Kingdom, and the global ones.
    europe = json.loads(run("offerings", "--coverage", "--region", "Europe", "-f", "json").stdout)
    served = {o for c in europe["cells"] for o in c["offerings"]}
    assert served == {
        "health-improvement-alliance-europe", "patient-safety-executive", "fellowship",
        "onsite-leadership-workshop", "diagnostics", "whole-system-quality",
    }  # fmt: skip


DEMAND_CALLS = [
    # (contacts' levels, answers: question -> (notes, cues, rating))
    (["executive"], {"internal-issues": ("", ["issues-that-hurt"], "low")}),
    (["executive", "point-of-care"], {"quality-planning": ("", ["challenges-remaining"], "low")}),
    (
        ["core"],
        {"future-vision": ("", ["looks-internally", "looks-externally", "names-exemplars"], "strong")},
    ),
    ([], {"internal-issues": ("", ["issues-that-hurt"], "low")}),
]


@pytest.mark.usefixtures("store_backend")
def test_summary_demand_for_hand_built_interviews(run, isolated_home) -> None:
    from leadcli.assessment.rules import assess

    records = [
        make_interview(
            answers,
            interview_id=f"dem{index}",
            contacts=[Contact(name=f"P{index}{n}", level=level) for n, level in enumerate(levels)],
        )
        for index, (levels, answers) in enumerate(DEMAND_CALLS)
    ]
    with Store.open(isolated_home) as store:
        for record in records:
            store.interviews.insert(record)
    result = run("summary", "--demand", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    _matches_schema(data, "demand.schema.json")
    # By hand: four conversations, one with nobody recorded; executives in two, point of care and
    # core in one each. Execution came out low in the first two (a low rating and a concern heard).
    assert (data["conversations"], data["without_people"]) == (4, 1)
    assert data["by_audience"] == {"executive": 2, "core": 1, "point-of-care": 1}
    cells = {(c["domain_id"], c["audience"]): c for c in data["cells"]}
    assert (cells["execution", "executive"]["needing"], cells["execution", "executive"]["conversations"]) == (
        2,
        2,
    )
    assert cells["execution", "point-of-care"]["needing"] == 1
    assert cells["execution", "point-of-care"]["offerings"] == ["whole-system-quality"]
    assert cells["ideas", "core"]["needing"] == 0
    # Every figure follows the assessment's own levels (its public function).
    for (domain, audience), cell in cells.items():
        expected = sum(
            1
            for record in records
            if audience in {c.level for c in record.contacts}
            and assess(record, CONTENT.framework, CONTENT.questions.assessment).level_of(domain) == "low"
        )
        assert cell["needing"] == expected, (domain, audience)
    unserved = [c for c in data["cells"] if c["offerings"] == [] and c["needing"]]
    assert data["cells"][: len(unserved)] == unserved  # demand without an offering comes first
    assert data["finding"].startswith("From 4 conversations: ")
    rows = run("summary", "--demand", "-f", "csv").stdout.splitlines()
    assert rows[0].startswith("domain_id,domain,audience,conversations,domain_known,low_or_concerning,share,")
    markdown = run("summary", "--demand", "-f", "markdown").stdout
    assert "Demand from 4 conversation(s) (2 with executive leaders, 1 with core leaders" in markdown
    assert "1 conversation(s) recorded nobody's level" in markdown
    table = run("summary", "--demand").stdout
    assert "Demand from 4 conversation(s)" in table and "Offerings" in table
    assert run("summary", "-f", "markdown").exit_code == 2  # markdown and csv are for --demand


# --- publishing on the team store ------------------------------------------------------------


def test_publish_questions_is_for_the_team_store(run) -> None:
    result = run("admin", "publish-questions")
    assert result.exit_code == 2
    assert result.stderr == (
        "leadcli: error: publish-questions publishes to the team store: give its --database-url"
        " (or LEADCLI_DATABASE_URL)\n"
    )


def test_publish_and_use_the_published_set_on_the_server(
    postgres_url, run, monkeypatch, two_dirs, tmp_path, isolated_home
) -> None:
    from leadcli.content.loader import load_content
    from leadcli.services.question_sets import LOCAL_COPY

    first, second = two_dirs
    monkeypatch.setenv("LEADCLI_DATABASE_URL", postgres_url)
    result = run("--data-dir", str(second), "admin", "publish-questions")
    assert result.exit_code == 0, result.output
    assert result.stdout == "study-2\n"
    assert "published questions version study-2 (2 questions) to postgresql://" in result.stderr
    call = _answers_file(tmp_path, "call.yaml", CALL + "answers: {ideas: {cues: [inside], rating: strong}}\n")
    # The cue `exemplars` is study-2's only: an answers file that hears it is read against study-2.
    heard = _answers_file(tmp_path, "heard.yaml", CALL + "answers: {ideas: {cues: [exemplars]}}\n")

    def taken(*args: str, answers: Path = call) -> tuple[str, str]:
        result = run(*args, "interview", "--answers", str(answers))
        assert result.exit_code == 0, result.output
        return result.stdout.strip(), result.stderr

    # An interviewer with no --data-dir of their own takes the published set, and keeps a copy.
    published_id, said = taken(answers=heard)
    assert "using the published questions, version study-2 (published 20" in said
    copy = isolated_home / LOCAL_COPY
    assert copy.stat().st_mode & 0o777 == 0o600
    assert json.loads(copy.read_text(encoding="utf-8"))["version"] == "study-2"
    # With their own --data-dir, their files, and the record names the folder.
    own_id, said = taken("--data-dir", str(first))
    assert "published" not in said
    with Store.open(isolated_home, url=postgres_url) as store:
        published, own = store.interviews.get(published_id), store.interviews.get(own_id)
    assert (published.stamp.questions_version, len(published.snapshot.questions)) == ("study-2", 2)
    assert (own.stamp.questions_version, len(own.snapshot.questions)) == ("study-1", 3)
    # Each record names where its questions came from.
    assert (published.stamp.questions_source, own.stamp.questions_source) == (
        "published",
        str(first.resolve()),
    )
    assert published.stamp.questions_sha256 == set_digest(set_data(load_content(second).questions))
    exported = json.loads(run("export").stdout)
    sources = {i["id"]: i["stamp"]["questions_source"] for i in exported["interviews"]}
    assert sources == {published_id: "published", own_id: str(first.resolve())}
    # `questions diff` compares the files with the published set by default.
    against = json.loads(run("--data-dir", str(first), "questions", "diff", "-f", "json").stdout)
    assert (against["old_version"], against["new_version"]) == ("study-2", "study-1")
    # A manager publishes another set: later interviews use it, earlier ones keep theirs.
    result = run("--data-dir", str(first), "admin", "publish-questions")
    assert "published questions version study-1 (3 questions)" in result.stderr
    assert ", replacing study-2;" in result.stderr
    later_id, said = taken()
    assert "version study-1" in said
    with Store.open(isolated_home, url=postgres_url) as store:
        assert store.interviews.get(later_id).stamp.questions_version == "study-1"
        assert len(store.interviews.get(published_id).snapshot.questions) == 2


def test_diff_prints_hostile_content_literally(run, two_dirs, monkeypatch) -> None:
    first, second = two_dirs
    hostile = "[red]Boom[/] | <script>x</script> **now** :smile:"
    path = second / "questions.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Who sets the quality priorities, and how?", hostile),
        encoding="utf-8",
    )
    assert "No change" in run("--data-dir", str(first), "questions", "diff", "files", "files").stdout
    from leadcli.content.loader import load_content
    from leadcli.render.plain import console
    from leadcli.render.question_diff.markdown import diff_markdown
    from leadcli.render.question_diff.terminal import diff_view

    old, new = load_content(first), load_content(second)
    diff = diff_sets(set_data(old.questions), set_data(new.questions), old_from="a", new_from="b")
    screen = console(width=40)
    with screen.capture() as captured:
        screen.print(diff_view(diff))
    shown = captured.get()
    assert "[red]Boom[/]" in shown and "<script>x</script>" in shown
    assert ":smile:" in shown and "😄" not in shown
    markdown = diff_markdown(diff)
    assert "\\[red\\]Boom\\[/\\] \\| \\<script\\>x\\</script\\> \\*\\*now\\*\\*" in markdown
    assert "<script>" not in markdown


def test_questions_shows_what_an_interview_asks_the_published_set_on_the_team_store(
    postgres_url, run, monkeypatch, two_dirs, isolated_home
) -> None:
    first, second = two_dirs
    builtin = json.loads(run("questions", "-f", "json").stdout)["version"]
    monkeypatch.setenv("LEADCLI_DATABASE_URL", postgres_url)
    assert run("--data-dir", str(second), "admin", "publish-questions").exit_code == 0
    shown = run("questions", "-f", "json")  # no --data-dir: the interview would take study-2
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["version"] == "study-2" != builtin
    assert shown.stderr.startswith("leadcli: the team's published questions, version study-2 (published 20")
    assert shown.stderr.endswith(": what a new interview asks\n")
    assert "Questions version study-2" in run("questions").stdout
    own = run("--data-dir", str(first), "questions", "-f", "json")  # their own files, as the interview
    assert (json.loads(own.stdout)["version"], own.stderr) == ("study-1", "")
    offline = run("--database-url", "postgresql://leadcli@127.0.0.1:1/none", "questions", "-f", "json")
    assert json.loads(offline.stdout)["version"] == "study-2"  # the copy kept on this machine
    assert "the copy kept on this machine (the team store is out of reach)" in offline.stderr
    monkeypatch.delenv("LEADCLI_DATABASE_URL")
    alone = run("questions", "-f", "json")  # no server: the local data, as before
    assert (json.loads(alone.stdout)["version"], alone.stderr) == (builtin, "")


def test_offline_the_published_set_kept_on_this_machine_is_used(
    postgres_url, run, monkeypatch, two_dirs, tmp_path, isolated_home
) -> None:
    from leadcli.content.loader import load_content
    from leadcli.services.question_sets import LOCAL_COPY, interview_content

    first, second = two_dirs
    monkeypatch.setenv("LEADCLI_DATABASE_URL", postgres_url)
    assert run("--data-dir", str(first), "admin", "publish-questions").exit_code == 0
    call = _answers_file(tmp_path, "call.yaml", CALL)
    assert run("interview", "--answers", str(call)).exit_code == 0  # online: the copy is kept
    copy = isolated_home / LOCAL_COPY
    # Offline (the server out of reach): the copy kept on this machine is used.
    builtin = load_content(second)
    team = interview_content(
        builtin, isolated_home, url="postgresql://leadcli@127.0.0.1:1/none", data_dir=None
    )
    assert team.content.questions.version == "study-1"
    assert team.content.questions_from == "published"
    assert team.note.startswith(
        "the team store is out of reach: using the published questions kept on this machine"
    )
    # A copy someone else could have written is never used.
    copy.chmod(0o666)
    team = interview_content(
        builtin, isolated_home, url="postgresql://leadcli@127.0.0.1:1/none", data_dir=None
    )
    assert team.content.questions.version == "study-2" and team.note == ""
    # Publishing a changed file under a version already recorded is refused in one line.
    questions = first / "questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace("Rituals", "Habits"), encoding="utf-8")
    result = run("--data-dir", str(first), "admin", "publish-questions")
    assert result.exit_code == 1
    assert "the questions changed but their version did not" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_live_interview_offline_takes_the_published_set_kept_on_this_machine(
    postgres_url, run, monkeypatch, tiny_data, tmp_path, isolated_home
) -> None:
    """Published while online; then the hotel wifi is down: the live interview still starts, on
    this machine, with the published questions (not the built-in ones), and says so."""
    import shutil

    from leadcli.interview import capture
    from leadcli.store.dialects import postgres
    from leadcli.store.replica import Replica
    from tests.capture_helpers import ARGS, install, script_with

    monkeypatch.setattr(postgres, "CONNECT_TIMEOUT", 2)
    monkeypatch.setattr(capture, "FINISH_SECONDS", 0.5)
    published = tmp_path / "published"
    shutil.copytree(tiny_data, published)
    questions = published / "questions.yaml"
    questions.write_text(
        questions.read_text(encoding="utf-8")
        .replace("version: tiny-1", "version: tiny-2")
        .replace("How are priorities set?", "Who sets the priorities here?"),
        encoding="utf-8",
    )
    monkeypatch.setenv("LEADCLI_DATABASE_URL", postgres_url)
    assert run("--data-dir", str(published), "admin", "publish-questions").exit_code == 0
    call = _answers_file(tmp_path, "call.yaml", CALL)
    assert run("interview", "--answers", str(call)).exit_code == 0  # online: the copy is kept
    monkeypatch.setenv("LEADCLI_DATABASE_URL", "postgresql://leadcli@127.0.0.1:1/leadcli")  # offline
    install(monkeypatch, list(script_with({})))
    result = run(*ARGS)
    assert result.exit_code == 0, result.output
    assert "Who sets the priorities here?" in result.stdout
    assert "using the published questions kept on this machine, version tiny-2" in result.stderr
    with Replica.open_in(isolated_home) as replica:
        (interview_id,) = replica.interviews.ids()
        record = replica.interviews.get(interview_id)
    assert (record.stamp.questions_version, record.stamp.questions_source) == ("tiny-2", "published")
    assert record.snapshot.questions[0].prompts == ("Who sets the priorities here?",)
    assert record.answers["priorities"].notes.startswith("Board sets three aims")


def test_summary_demand_counts_a_domain_where_a_concern_was_heard(run, isolated_home) -> None:
    """Execution: two strengths and one concern heard, so its level stands (flagged), not low; it is a
    need all the same. Counted the same when the summary reads the levels it kept the first time."""
    answers = {
        "quality-planning": (
            "They fixed falls; staffing still hurts",
            ["problems-solved", "challenges-remaining"],
            None,
        ),
        "track-record": ("Results held for two years", ["results-sustained"], None),
    }
    record = make_interview(
        answers, interview_id="con001", contacts=[Contact(name="Ana Ruiz", level="executive")]
    )
    with Store.open(isolated_home) as store:
        store.interviews.insert(record)
    from leadcli.assessment.rules import assess

    domains = assess(record, CONTENT.framework, CONTENT.questions.assessment).domains
    [execution] = [d for d in domains if d.domain_id == "execution"]
    assert execution.level != "low" and execution.flagged
    for _ in range(2):  # worked out, then read from the kept levels
        data = json.loads(run("summary", "--demand", "-f", "json").stdout)
        cells = {(c["domain_id"], c["audience"]): c for c in data["cells"]}
        assert cells["execution", "executive"]["needing"] == 1
        assert cells["ideas", "executive"]["needing"] == 0


def test_a_hung_server_never_holds_up_a_new_interview_for_its_published_questions(
    postgres_url, run, monkeypatch, two_dirs, tmp_path, isolated_home
) -> None:
    """The hotel wifi hangs (the server never answers): the interview starts on the copy kept on
    this machine after a moment, not after the connection's bound (made 60 s here)."""
    import time

    from leadcli.content.loader import load_content
    from leadcli.services import question_sets
    from leadcli.store.dialects import postgres
    from tests.faultproxy import FaultProxy

    first, second = two_dirs
    monkeypatch.setenv("LEADCLI_DATABASE_URL", postgres_url)
    assert run("--data-dir", str(first), "admin", "publish-questions").exit_code == 0
    assert run("interview", "--answers", str(_answers_file(tmp_path, "call.yaml", CALL))).exit_code == 0
    monkeypatch.setattr(postgres, "CONNECT_TIMEOUT", 60)
    with FaultProxy(("127.0.0.1", 5432)) as proxy:
        proxy.hang()
        started = time.monotonic()
        team = question_sets.interview_content(
            load_content(second), isolated_home, url=proxy.url(postgres_url), data_dir=None
        )
        waited = time.monotonic() - started
    assert team.content.questions.version == "study-1" and team.content.questions_from == "published"
    assert waited < question_sets.SERVER_WAIT + 10  # not the 60 s bound
