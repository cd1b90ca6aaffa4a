"""The assessment rules and the recommendations, on hand-built interviews."""

from __future__ import annotations

from leadcli.assessment.rules import assess, recommend
from leadcli.store.records import Contact, Reflection
from tests.reports_helpers import CONTENT, make_interview

RULES = CONTENT.questions.assessment


def levels(interview) -> dict[str, str]:
    return {d.domain_id: d.level for d in assess(interview, CONTENT.framework, RULES).domains}


def test_nothing_explored_is_unknown_everywhere_and_overall_unclear() -> None:
    result = assess(make_interview(), CONTENT.framework, RULES)
    assert {d.level for d in result.domains} == {"unknown"}
    assert all(d.explored == 0 and d.strength is None for d in result.domains)
    assert (result.overall, result.overall_source) == ("unclear", "assessment's reading")


def test_skipped_questions_count_as_not_explored() -> None:
    interview = make_interview()
    from leadcli.store.records import Answer

    interview.answers["future-vision"] = Answer(question_id="future-vision", state="skipped")
    assert levels(interview)["ideas"] == "unknown"


def test_one_question_informs_only_its_domains() -> None:
    interview = make_interview({"future-vision": ("They read widely", [], "strong")})
    assert levels(interview) == {
        "direction": "unknown",
        "foundation": "unknown",
        "will": "unknown",
        "ideas": "strong",
        "execution": "unknown",
    }
    result = assess(interview, CONTENT.framework, RULES)
    ideas = next(d for d in result.domains if d.domain_id == "ideas")
    assert (ideas.questions, ideas.explored, ideas.cues_available, ideas.basis) == (2, 1, 3, "ratings")
    assert result.overall == "strong"  # the only known domain is strong


def test_conflicting_ratings_average_and_are_flagged() -> None:
    interview = make_interview({
        "quality-planning": ("", [], "strong"),
        "track-record": ("", [], "low"),
    })  # fmt: skip
    result = assess(interview, CONTENT.framework, RULES)
    foundation = next(d for d in result.domains if d.domain_id == "foundation")
    assert foundation.ratings == ["strong", "low"]
    assert foundation.score == 1.0
    assert foundation.level == "partial"
    assert foundation.conflicting
    assert levels(interview)["direction"] == "strong"
    assert levels(interview)["will"] == "low"


def test_unrated_questions_are_read_from_cues() -> None:
    some = make_interview({"future-vision": ("", ["looks-internally"], None)})
    most = make_interview({"future-vision": ("", ["looks-internally", "looks-externally"], None)})
    none = make_interview({"future-vision": ("notes only", [], None)})
    assert levels(some)["ideas"] == "low"  # 1 of 3 cues: below 0.34
    assert levels(most)["ideas"] == "partial"  # 2 of 3 cues
    assert levels(none)["ideas"] == "low"  # asked, heard nothing: low, not unknown
    assert (
        next(d for d in assess(most, CONTENT.framework, RULES).domains if d.domain_id == "ideas").basis
        == "cues"
    )


def test_reflection_verdict_wins_and_is_labelled() -> None:
    interview = make_interview({"future-vision": ("", [], "low")}, reflection=Reflection(verdict="strong"))
    result = assess(interview, CONTENT.framework, RULES)
    assert (result.overall, result.overall_source) == ("strong", "reflection verdict")


def test_recommendations_rank_gaps_first_and_explain_why() -> None:
    interview = make_interview({
        "quality-planning": ("", [], "strong"),
        "track-record": ("", [], "low"),
        "future-vision": ("", [], "low"),
    })  # fmt: skip
    result = recommend(interview, assess(interview, CONTENT.framework, RULES), CONTENT.catalog)
    names = [r.name for r in result.recommended]
    assert names[0] == "Health Improvement Alliance Europe"  # ideas (low) + execution (partial)
    first = result.recommended[0]
    assert first.why == (
        "strengthens Encourage Ideas and Testing (low) and Execute and Scale-up Improvement (partial);"
        " for executive leaders; available in United Kingdom"
    )
    assert first.gaps == ["ideas", "execution"]
    assert [r.rank for r in result.recommended] == list(range(1, len(names) + 1))
    passed = {p.name: p.reasons for p in result.passed_over}
    assert passed["Leadership Alliance"] == ["not offered in United Kingdom (offered in United States)"]
    assert passed["LQI: Essential for Managers"] == [
        "for core leaders, not the executive leaders in the conversation",
        "not offered in United Kingdom (offered in United States)",
    ]
    assert set(names) | set(passed) == {o.name for o in CONTENT.catalog.offerings}


def test_recommendations_follow_the_people_and_place() -> None:
    interview = make_interview(
        contacts=[Contact(name="Tom", role="Nurse", level="point-of-care")], region="Australia"
    )
    result = recommend(interview, assess(interview, CONTENT.framework, RULES), CONTENT.catalog)
    assert [r.name for r in result.recommended] == ["Deep Engagement: Whole System Quality"]
    assert result.recommended[0].why.endswith("for point-of-care staff; offered globally")


def test_strong_everywhere_leaves_nothing_to_recommend() -> None:
    interview = make_interview({q.id: ("", [], "strong") for q in CONTENT.questions.questions})
    result = recommend(interview, assess(interview, CONTENT.framework, RULES), CONTENT.catalog)
    assert result.recommended == []
    assert all("strengthens no gap" in p.reasons[0] for p in result.passed_over)
