"""The learning loop's second turn: question-set versions, their diff, evaluation by version,
coverage of the offerings and demand. Every figure is worked out by hand (see
tests/learning_helpers.py for the two versions and the six interviews)."""

from __future__ import annotations

import pytest

from leadcli.assessment.demand import Conversation, demand
from leadcli.assessment.evaluate import wilson_interval
from leadcli.assessment.versions import evaluate_by_version
from leadcli.content.coverage import coverage
from leadcli.content.question_sets import diff_sets, next_version, set_data, set_digest
from tests.learning_helpers import RESULTS, answered, interviews, load_versions
from tests.reports_helpers import CONTENT


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
    assert [(c.cue_id, c.old_kind, c.new_kind) for c in kinds] == [("who-decides", None, "concern")]
    reworded = [c for c in diff.cues if c.reworded]
    assert [(c.cue_id, c.old_text, c.new_text) for c in reworded] == [
        ("inside", "Looks inside", "Looks inside the organization")
    ]
    assert [(r.path, r.new) for r in diff.reflection] == [("reflection.fit", "Does it fit us?")]


# --- evaluate --by-version -------------------------------------------------------------------


def test_evaluation_by_version_worked_out_by_hand(versions) -> None:
    first, second = versions
    result = evaluate_by_version(answered(interviews(first, second)), second, RESULTS)
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
