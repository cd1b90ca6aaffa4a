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


def domain(interview, domain_id: str):
    return next(d for d in assess(interview, CONTENT.framework, RULES).domains if d.domain_id == domain_id)


# The example: the only note is trouble, and the cue heard is a risk to the work.
TROUBLE = {
    "internal-issues": (
        "Board is fighting; CEO may leave; merger will stall everything",
        ["issues-that-hurt"],
        None,
    )
}


def test_a_concern_only_domain_is_low_never_strong() -> None:
    interview = make_interview(TROUBLE)
    execution = domain(interview, "execution")
    # 0 strengths of 0 possible in question 5 -> score 0 -> low; 1 concern >= 0 strengths: no lower than low
    assert (execution.reading, execution.level, execution.level_by) == ("low", "low", "leadcli")
    assert [c.text for c in execution.concerns] == ["Internal issues or politics that could hurt the work"]
    assert execution.strengths == []
    assert execution.rests_on == "1 question · 0 strengths · 1 concern · 0 ratings"
    assert execution.thin  # 1 cue heard, below the stated minimum of 2
    # question 5 also informs foundation and will, but nothing was heard for them: unknown, not partial
    assert levels(interview) == {
        "direction": "unknown",
        "foundation": "unknown",
        "will": "unknown",
        "ideas": "unknown",
        "execution": "low",
    }
    # a rating of the question reaches execution only through a strength heard for it: none here
    rated = make_interview({"internal-issues": (*TROUBLE["internal-issues"][:2], "strong")})
    assert domain(rated, "execution").level == "low"
    assert domain(rated, "execution").ratings == []
    assert domain(rated, "will").level == "unknown"


def test_a_strength_only_domain_reads_the_share_of_its_strengths() -> None:
    every = make_interview(
        {"future-vision": ("", ["looks-internally", "looks-externally", "names-exemplars"], None)}
    )
    two = make_interview({"future-vision": ("", ["looks-internally", "looks-externally"], None)})
    one = make_interview({"future-vision": ("", ["looks-internally"], None)})
    ideas = domain(every, "ideas")
    assert (ideas.level, ideas.basis, ideas.thin) == ("strong", "cues", False)  # 3 of 3 = 1.0 >= 0.67
    assert ideas.rests_on == "1 question · 3 strengths · 0 concerns · 0 ratings"
    assert domain(two, "ideas").level == "partial"  # 2 of 3 = 0.667: below 0.67, at least 0.34
    assert (domain(one, "ideas").level, domain(one, "ideas").thin) == ("low", True)  # 1 of 3 = 0.333
    asked = make_interview({"future-vision": ("notes only", [], "strong")})
    assert domain(asked, "ideas").level == "unknown"  # asked and rated, but nothing heard: no evidence


def test_mixed_evidence_a_concern_lowers_or_flags() -> None:
    # question 1: "Problems they have solved" (strength) and "Challenges that remain" (concern), rated strong
    mixed = make_interview({"quality-planning": ("", ["problems-solved", "challenges-remaining"], "strong")})
    execution = domain(mixed, "execution")
    # rating strong (2 points) -> strong; 1 concern >= 1 strength -> one step down: partial
    assert (execution.level, execution.lowered, execution.thin) == ("partial", True, False)
    assert execution.rests_on == "1 question · 1 strength · 1 concern · 1 rating"
    # add question 2 with "Results ... were sustained" (strength), rated strong: 2 strengths, 1 concern
    more = make_interview({
        "quality-planning": ("", ["problems-solved", "challenges-remaining"], "strong"),
        "track-record": ("", ["results-sustained"], "strong"),
    })  # fmt: skip
    execution = domain(more, "execution")
    assert (execution.level, execution.lowered, execution.flagged) == ("strong", False, True)
    assert execution.rests_on == "2 questions · 2 strengths · 1 concern · 2 ratings"


def test_a_lowered_level_draws_its_bar_at_the_level_it_shows() -> None:
    # rated strong (bar full), lowered to partial by a concern: the bar stays below strong's floor
    mixed = make_interview({"quality-planning": ("", ["problems-solved", "challenges-remaining"], "strong")})
    execution = domain(mixed, "execution")
    points = RULES.rating_points
    strong_floor = (RULES.domain_levels.strong - points.low) / (points.strong - points.low)
    assert execution.level == "partial" and execution.strength is not None
    assert execution.strength < strong_floor
    # cues only: 1 of 1 strength is strong (bar full); the concern lowers it to partial, and the bar
    # ends below strong's floor, inside partial's band
    cues = domain(make_interview({"quality-planning": ("", ["problems-solved", "challenges-remaining"], None)}),
                  "execution")  # fmt: skip
    assert (cues.basis, cues.level, cues.lowered) == ("cues", "partial", True)
    assert cues.strength is not None and RULES.cue_levels.partial <= cues.strength < RULES.cue_levels.strong


def test_a_concern_never_raises_a_level() -> None:
    order = ["unknown", "low", "partial", "strong"]
    bases = [
        {},
        {"quality-planning": ("", ["problems-solved"], "strong")},
        {
            "quality-planning": ("", ["problems-solved"], "low"),
            "track-record": ("", ["results-sustained"], None),
        },
        {"track-record": ("", ["results-sustained"], "partial")},
    ]
    for base in bases:
        before = levels(make_interview(base))["execution"]
        worse = dict(base)
        worse["internal-issues"] = ("", ["issues-that-hurt"], "strong")
        after = levels(make_interview(worse))["execution"]
        assert before == "unknown" or order.index(after) <= order.index(before), (base, before, after)


def test_thin_evidence_is_flagged_below_the_stated_minimum() -> None:
    assert RULES.thin_below == 2
    one = make_interview({"track-record": ("", ["results-sustained"], "strong")})
    execution = domain(one, "execution")
    assert (execution.level, execution.thin) == ("strong", True)  # one strength, rated strong
    assert execution.rests_on == "1 question · 1 strength · 0 concerns · 1 rating"
    assert domain(one, "ideas").level == "unknown"  # the same question informs ideas; nothing heard for it


def test_a_rating_with_no_domain_evidence_informs_nothing() -> None:
    # old rules: "strong" copied to direction, foundation and execution; now nothing was heard for them
    interview = make_interview({"quality-planning": ("They rank priorities yearly", [], "strong")})
    assert set(levels(interview).values()) == {"unknown"}
    assert assess(interview, CONTENT.framework, RULES).overall == "unclear"
    # a topic judged + is evidence for its domains only: the rating reaches direction and foundation
    judged = make_interview({"quality-planning": ("", ["who-is-involved+"], "strong")})
    assert levels(judged) == {
        "direction": "strong",
        "foundation": "strong",
        "will": "unknown",
        "ideas": "unknown",
        "execution": "unknown",
    }
    assert domain(judged, "direction").thin


def test_a_topic_counts_only_once_judged() -> None:
    plain = make_interview({"internal-issues": ("", ["leadership-stability"], None)})
    foundation = domain(plain, "foundation")
    assert (foundation.level, foundation.unjudged) == ("unknown", 1)
    assert foundation.rests_on == "1 question · 0 strengths · 0 concerns · 0 ratings · 1 heard, not judged"
    unstable = make_interview({"internal-issues": ("", ["leadership-stability-"], None)})
    assert [c.text for c in domain(unstable, "foundation").concerns] == ["How stable the leadership is"]
    assert domain(unstable, "foundation").level == "low"
    stable = make_interview({"internal-issues": ("", ["leadership-stability+"], None)})
    assert domain(stable, "foundation").level == "strong"  # 1 of 1 possible, thin
    assert domain(stable, "foundation").thin


def test_the_interviewers_levels_override_and_are_labelled_theirs() -> None:
    reflection = Reflection(domain_levels={"execution": "partial", "will": "unknown"})
    interview = make_interview(TROUBLE, reflection=reflection)
    result = assess(interview, CONTENT.framework, RULES)
    by_id = {d.domain_id: d for d in result.domains}
    assert (by_id["execution"].level, by_id["execution"].level_by, by_id["execution"].reading) == (
        "partial",
        "interviewer",
        "low",
    )
    assert (by_id["will"].level, by_id["will"].level_by) == ("unknown", "interviewer")  # "don't know"
    assert (by_id["ideas"].level, by_id["ideas"].level_by) == ("unknown", "leadcli")
    assert result.overall == "moderate"  # the only known level is the interviewer's partial (1 point)


def test_old_copies_of_the_questions_read_under_the_stated_migration() -> None:
    from leadcli.store.records import Snapshot

    data = {
        "questions": [
            {
                "id": "internal-issues", "number": 5, "category": "c", "prompts": ["p"], "guidance": "g",
                "domains": ["foundation", "will", "execution"],
                "cues": [
                    {"id": "issues-that-hurt", "text": "could hurt", "domains": ["execution"]},
                    {"id": "leadership-stability", "text": "stable", "domains": ["foundation"]},
                    {"id": "made-up", "text": "x", "domains": ["will"]},
                ],
            }
        ],
        "reflection": [],
    }  # fmt: skip
    cues = Snapshot.from_data(data).questions[0].cues
    assert [c.kind for c in cues] == ["concern", "topic", "topic"]


def test_reflection_verdict_wins_and_is_labelled() -> None:
    interview = make_interview({"future-vision": ("", [], "low")}, reflection=Reflection(verdict="strong"))
    result = assess(interview, CONTENT.framework, RULES)
    assert (result.overall, result.overall_source) == ("strong", "reflection verdict")


RANKED = {
    "quality-planning": ("", ["planning-process+", "problems-solved"], "strong"),
    "track-record": ("", ["results-sustained"], "low"),
    "future-vision": ("", ["looks-internally"], "low"),
}


def test_recommendations_rank_gaps_first_and_explain_why() -> None:
    interview = make_interview(RANKED)
    # direction strong (rated strong through "How leadership does quality planning" +); execution
    # partial (strong and low: 1 point); ideas low (rated low); foundation and will unknown
    assert levels(interview) == {
        "direction": "strong",
        "foundation": "unknown",
        "will": "unknown",
        "ideas": "low",
        "execution": "partial",
    }
    result = recommend(interview, assess(interview, CONTENT.framework, RULES), CONTENT.catalog)
    names = [r.name for r in result.recommended]
    first = result.recommended[0]
    assert first.why.startswith("strengthens ") and first.proposed_by == "leadcli"
    assert [r.rank for r in result.recommended] == list(range(1, len(names) + 1))
    assert all(r.prices_as_of == "2019" and r.per in ("person", "organization") for r in result.recommended)
    passed = {p.name: p.reasons for p in result.passed_over}
    assert passed["Leadership Alliance"] == ["not offered in United Kingdom (offered in United States)"]
    assert passed["LQI: Essential for Managers"] == [
        "for core leaders, not the executive leaders in the conversation",
        "not offered in United Kingdom (offered in United States)",
    ]
    assert set(names) | set(passed) == {o.name for o in CONTENT.catalog.offerings}


def test_the_interviewers_proposals_lead_labelled_theirs() -> None:
    interview = make_interview(RANKED, reflection=Reflection(proposed=["diagnostics", "fellowship"]))
    result = recommend(interview, assess(interview, CONTENT.framework, RULES), CONTENT.catalog)
    first, second, third = result.recommended[:3]
    assert (first.offering_id, first.proposed_by, first.rank) == ("diagnostics", "interviewer", 1)
    assert (second.offering_id, second.proposed_by) == ("fellowship", "interviewer")
    assert third.proposed_by == "leadcli" and third.rank == 3
    assert [r.offering_id for r in result.recommended].count("diagnostics") == 1
    assert (first.type_label, first.duration, first.structure) == ("Consulting", "2-3 days", "In-person")
    assert (first.price_min, first.price_max, first.per, first.prices_as_of) == (
        140000,
        180000,
        "organization",
        "2019",
    )


def test_ties_never_compare_prices_in_different_units() -> None:
    from leadcli.assessment.rules import recommend_for

    everything_low = tuple((d.id, d.title, "low") for d in CONTENT.framework.domains)
    ranked = recommend_for(everything_low, (), "", CONTENT.catalog).recommended
    by_id = {o.id: o for o in CONTENT.catalog.offerings}
    for score in {r.score for r in ranked}:
        tied = [by_id[r.offering_id] for r in ranked if r.score == score]
        units = [o.price.per for o in tied]
        assert units == sorted(units)  # one unit after the other, never interleaved by price
        for unit in set(units):
            # with the region unknown, within one unit those offered everywhere come first
            anywhere = [o for o in tied if o.price.per == unit]
            order = ["Global" not in o.regions for o in anywhere]
            assert order == sorted(order)
            for somewhere in (False, True):
                prices = [o.price.min for o, s in zip(anywhere, order, strict=True) if s == somewhere]
                assert prices == sorted(prices)  # cheapest first only within one unit


def test_recommendations_follow_the_people_and_place() -> None:
    interview = make_interview(
        TROUBLE, contacts=[Contact(name="Tom", role="Nurse", level="point-of-care")], region="Australia"
    )
    result = recommend(interview, assess(interview, CONTENT.framework, RULES), CONTENT.catalog)
    assert [r.name for r in result.recommended] == ["Deep Engagement: Whole System Quality"]
    assert result.recommended[0].why.endswith("for point-of-care staff; offered globally")


def test_strong_everywhere_leaves_nothing_to_recommend() -> None:
    strengths = {
        q.id: [c.id + ("+" if c.kind == "topic" else "") for c in q.cues if c.kind != "concern"]
        for q in CONTENT.questions.questions
    }
    interview = make_interview({q.id: ("", strengths[q.id], "strong") for q in CONTENT.questions.questions})
    result = recommend(interview, assess(interview, CONTENT.framework, RULES), CONTENT.catalog)
    assert result.recommended == []
    assert all("strengthens no gap" in p.reasons[0] for p in result.passed_over)


# The README's example (examples/call-notes.yaml), as a reviewer read it.
CALL_NOTES = {
    "quality-planning": ("", ["planning-process", "who-is-involved", "quality-infrastructure"], "partial"),
    "track-record": ("", ["results-sustained", "open-about-setbacks", "learning-culture"], "partial"),
    "future-vision": ("", ["looks-internally"], "low"),
    "internal-issues": ("", ["issues-that-hurt"], None),
}


def _formats(report) -> dict[str, str]:
    """The report in the terminal (plain, wide), Markdown, HTML and JSON, each on one line."""
    import io
    import json

    from rich.console import Console

    from leadcli.render.data import dump_json
    from leadcli.render.report.html import report_html
    from leadcli.render.report.markdown import report_markdown
    from leadcli.render.report.terminal import report_view

    screen = io.StringIO()
    Console(file=screen, width=1000, color_system=None).print(report_view(report))
    return {
        "terminal": " ".join(screen.getvalue().split()),
        "markdown": " ".join(report_markdown(report).split()),
        "html": " ".join(report_html(report).replace("&#x27;", "'").split()),
        "json": json.dumps(json.loads(dump_json(report)), ensure_ascii=False),
    }


def test_a_low_level_with_strengths_says_which_ratings_set_it_in_every_format() -> None:
    from leadcli.assessment.report import build_report

    interview = make_interview(CALL_NOTES)
    ideas = domain(interview, "ideas")
    # 3 strengths heard, in questions 2 and 3, rated partial (1 point) and low (0): mean 0.5 < 0.75 -> low.
    # The rule is right (the ratings of the questions where its strengths were heard set the level);
    # the line says which ratings pulled it down.
    assert (ideas.level, len(ideas.strengths), ideas.ratings) == ("low", 3, ["partial", "low"])
    why = (
        "the interviewer rated Experience/track record to date partial and Future vision/aspirations low:"
        " on average, low"
    )
    assert ideas.why == why
    foundation = domain(interview, "foundation")  # 1 strength and 2 topics heard, not judged
    thin = "thin: fewer than 2 strengths or concerns heard"
    execution = domain(interview, "execution")  # partial from its rating, lowered by the concern
    assert (execution.reading, execution.lowered) == ("low", True)
    assert execution.why == "the interviewer rated Experience/track record to date partial"
    said = _formats(build_report(interview, CONTENT))
    for form, text in said.items():
        assert why in text, form
        assert "cues heard" not in text.replace("Cues heard", ""), form  # the old, ambiguous count
        if form != "json":
            assert thin in text, form
            assert f"1 rating · {execution.why} · lowered a step by concerns" in text, form
    # three cues heard, but one strength and two topics not judged: thin, and the flag says what it counts
    assert foundation.thin and foundation.rests_on.endswith(
        "1 strength · 0 concerns · 1 rating · 2 heard, not judged"
    )


def test_the_bar_always_sits_in_its_levels_band() -> None:
    from leadcli.render.wording import bar

    blocks = {"low": range(1, 4), "partial": range(4, 7), "strong": range(7, 11)}
    cases = [
        make_interview({"quality-planning": ("", cues, rating)})
        for cues in (
            ["problems-solved"],
            ["problems-solved", "challenges-remaining"],
            ["challenges-remaining"],
        )
        for rating in (None, "strong", "partial", "low")
    ]
    cases += [make_interview(CALL_NOTES), make_interview(TROUBLE)]
    seen = set()
    for interview in cases:
        for d in assess(interview, CONTENT.framework, RULES).domains:
            filled = bar(d.strength).count("█")
            if d.reading == "unknown":
                assert d.strength is None and filled == 0
                continue
            seen.add(d.reading)
            assert filled in blocks[d.reading], (d.domain_id, d.reading, d.rests_on, bar(d.strength))
    assert seen == {"low", "partial", "strong"}
    # the README's example: execution is partial from its rating, lowered to low by a concern: the
    # bar is low's, not four blocks beside `low`
    execution = domain(make_interview(CALL_NOTES), "execution")
    assert (execution.level, bar(execution.strength)) == ("low", "███░░░░░░░")


def test_with_nothing_heard_leadcli_recommends_nothing_and_says_why() -> None:
    from leadcli.assessment.report import build_report
    from leadcli.assessment.rules import CANNOT_RECOMMEND, NOTHING_HEARD

    interview = make_interview(contacts=[], region="")
    result = recommend(interview, assess(interview, CONTENT.framework, RULES), CONTENT.catalog)
    assert result.recommended == []
    assert result.note == CANNOT_RECOMMEND
    assert [p.offering_id for p in result.passed_over] == [o.id for o in CONTENT.catalog.offerings]
    assert all(p.reasons == [NOTHING_HEARD] for p in result.passed_over)
    report = build_report(interview, CONTENT, include_passed=True)
    assert (report.recommendations, report.recommendations_note) == ([], CANNOT_RECOMMEND)
    for form, text in _formats(report).items():
        assert "Cannot recommend yet: no strengths or concerns were heard for any domain" in text, form
        assert "None fit the gaps" not in text, form
        assert NOTHING_HEARD in text, form
    # the interviewer's own proposals still lead, and the note stays beside them
    proposed = make_interview(contacts=[], region="", reflection=Reflection(proposed=["diagnostics"]))
    ours = recommend(proposed, assess(proposed, CONTENT.framework, RULES), CONTENT.catalog)
    assert [(r.offering_id, r.proposed_by) for r in ours.recommended] == [("diagnostics", "interviewer")]
    assert ours.note == CANNOT_RECOMMEND


def test_with_the_region_unknown_region_bound_offerings_say_so_and_never_lead_their_unit() -> None:
    interview = make_interview(TROUBLE, contacts=[], region="")
    ranked = recommend(interview, assess(interview, CONTENT.framework, RULES), CONTENT.catalog).recommended
    by_id = {o.id: o for o in CONTENT.catalog.offerings}
    assert ranked and all(r.proposed_by == "leadcli" for r in ranked)
    for r in ranked:
        regions = by_id[r.offering_id].regions
        if "Global" in regions:
            assert "the region is not recorded" not in r.why
        else:
            assert r.why.endswith(f"offered only in {'; '.join(regions)}: the region is not recorded"), r.why
        assert "the people in the conversation are not recorded" in r.why
    for r in ranked:  # no region-bound offering ranks above a global one of its score and unit
        offering = by_id[r.offering_id]
        if "Global" in offering.regions:
            continue
        after = ranked[ranked.index(r) + 1 :]
        assert not any(
            "Global" in by_id[x.offering_id].regions
            and x.score == r.score
            and by_id[x.offering_id].price.per == offering.price.per
            for x in after
        ), r.offering_id


def test_the_html_chart_writes_leadclis_level_beside_the_interviewers_as_the_table_does() -> None:
    from leadcli.assessment.report import build_report
    from leadcli.render.report.html import report_html

    interview = make_interview(CALL_NOTES, reflection=Reflection(domain_levels={"ideas": "strong"}))
    html = report_html(build_report(interview, CONTENT))
    # the bar is leadcli's low (2 blocks' worth, low's colour); beside it, whose level and leadcli's
    chart = html[html.index('<div class="chart"') : html.index("</div></div>") + 12]
    ideas = chart[chart.index("4. Encourage Ideas and Testing") :]
    assert ideas.split("</div>")[0].endswith(">strong (the interviewer&#x27;s; leadcli †: low)</span>")
    assert "width:23%" in ideas.split("</div>")[0]
