"""`leadcli summary`: counts across the store, worked out from kept levels or from the answers."""

from __future__ import annotations

import json

import pytest

from leadcli.assessment.report import build_summary
from leadcli.render.data import to_data
from leadcli.services.reports import rules_key
from leadcli.services.reports import summary as store_summary
from leadcli.store.db import Store
from leadcli.store.records import Contact, FollowUp, Reflection, StoreFacts
from tests.reports_helpers import CONTENT, make_interview, make_three_calls

# Every test here runs on both stores (SQLite and PostgreSQL; see conftest.store_backend).
pytestmark = pytest.mark.usefixtures("store_backend")


@pytest.fixture
def three_calls():
    return make_three_calls()


def test_summary_counts(three_calls) -> None:
    extra = make_interview(
        {"track-record": ("", ["leaders-time+"], "low")},
        interview_id="other1",
        organization="Other Trust",
        status="complete",
        reflection=Reflection(
            verdict="limited",
            follow_ups=[
                FollowUp(text="late", owner="Kim", due="2026-11-01"),
                FollowUp(text="later", due="2027-01-01"),
            ],
        ),
    )
    summary = build_summary(StoreFacts.of([*three_calls, extra], "2026-11-28"), CONTENT)
    assert summary.interviews == 4
    assert summary.organizations == 2
    assert summary.by_status == {"draft": 0, "awaiting-reflection": 3, "complete": 1}
    assert summary.verdicts == {"limited": 1, "none yet": 2, "strong": 1}
    gaps = {d.domain_id: (d.low, d.unknown) for d in summary.domains}
    assert gaps["will"] == (1, 3)
    assert gaps["direction"] == (1, 1)
    assert [(o.interview_id, o.text) for o in summary.overdue] == [("other1", "late")]
    assert summary.top_recommendations[0][1] >= 2


def test_summary_cli(run, isolated_home, three_calls) -> None:
    with Store.open(isolated_home) as store:
        for call in three_calls:
            store.interviews.insert(call)
    data = json.loads(run("summary", "-f", "json").stdout)
    assert data["interviews"] == 3
    assert data["organizations"] == 1
    out = run("summary").stdout
    assert "How often each domain came out low or unknown" in out
    assert "Overdue follow-ups (0)" in out


def test_summary_keeps_levels_and_forgets_them_when_answers_change(
    run, tmp_path, fixed_ids, isolated_home, data_copy
) -> None:
    from leadcli.store.records import Answer

    answers = tmp_path / "a.yaml"
    answers.write_text(
        "organization: A\ninterviewer: K\nanswers: {future-vision: {cues: [looks-externally], rating: low}}\n"
    )
    run("interview", "--answers", str(answers))

    def ideas_low() -> int:
        data = json.loads(run("summary", "-f", "json").stdout)
        return next(d["low"] for d in data["domains"] if d["domain_id"] == "ideas")

    def kept() -> int:
        with Store.open(isolated_home) as store:
            return store.connection.execute("SELECT count(*) FROM assessment_cache").fetchone()[0]

    assert ideas_low() == 1
    assert kept() == 1
    with Store.open(isolated_home) as store:
        store.interviews.save_answer(
            "id0001", Answer(question_id="future-vision", cues=["looks-externally"], rating="strong")
        )
    assert kept() == 0  # the change dropped the kept levels
    assert ideas_low() == 0
    assert kept() == 1
    # Other rules (here: a stricter threshold) never reuse levels worked out with the old ones.
    questions = data_copy / "questions.yaml"
    questions.write_text(
        questions.read_text(encoding="utf-8").replace(
            "domain_levels: {strong: 1.5", "domain_levels: {strong: 2.5"
        ),
        encoding="utf-8",
    )
    data = json.loads(run("--data-dir", str(data_copy), "summary", "-f", "json").stdout)
    assert next(d["low"] for d in data["domains"] if d["domain_id"] == "ideas") == 0
    with Store.open(isolated_home) as store:
        rows = store.connection.execute("SELECT levels FROM assessment_cache").fetchall()
    assert len(rows) == 1
    assert ["ideas", "partial"] in json.loads(rows[0][0])  # strong now needs 2.5 points


def test_summary_from_the_store_matches_the_interviews_themselves(isolated_home, three_calls) -> None:
    """The store counts in SQL (grouping kept levels, people and regions); the result must be the
    one worked out from the whole interviews, on the first run and on the next (from kept levels)."""
    from datetime import date

    others = [
        make_interview(
            {"track-record": ("", ["results-sustained"], "low")},
            interview_id=f"oth{n}xz",
            organization="OTHER trust" if n % 2 else "Other Trust",
            region=" Canada " if n % 3 else "",
            contacts=[
                Contact(name="A", level="core"),
                Contact(name="B", level="executive" if n % 2 else "core"),
            ][: 1 + n % 2],
            status="complete" if n % 2 else "draft",
            reflection=Reflection(
                verdict="limited" if n % 2 else None,
                follow_ups=[FollowUp(text=f"task {n}", owner="Kim", due=f"2026-0{n + 1}-15")],
            ),
        )
        for n in range(6)
    ]
    interviews = [*three_calls, *others]
    with Store.open(isolated_home) as store:
        for interview in interviews:
            store.interviews.insert(interview)
        expected = to_data(build_summary(StoreFacts.of(interviews, "2026-05-01"), CONTENT))
        first = to_data(store_summary(store, CONTENT, today=date(2026, 5, 1)))
        kept = store.connection.execute("SELECT count(*) FROM assessment_cache").fetchone()[0]
        second = to_data(store_summary(store, CONTENT, today=date(2026, 5, 1)))
        with store.reading():
            facts = store.facts.summary(rules_key(CONTENT), "2026-05-01")
            assert list(facts.to_assess) == []  # every interview's levels were kept
    assert kept == len(interviews)
    assert first == expected
    assert second == expected
    assert expected["organizations"] == 2
    assert [o["text"] for o in expected["overdue"]] == ["task 0", "task 1", "task 2", "task 3"]


def test_summary_uses_the_interviewers_levels_where_given_and_says_whose_in_every_format(
    run, isolated_home, monkeypatch
) -> None:
    """Worked by hand: nothing heard, so leadcli reads every domain unknown; the interviewer says
    will is low, direction "don't know", ideas strong. So will: low 1 (theirs); direction: unknown
    1 (theirs); ideas: neither; foundation and execution: unknown 1 each (leadcli's)."""
    from leadcli.render.wording import LEGEND, MARK

    given = Reflection(domain_levels={"will": "low", "direction": "unknown", "ideas": "strong"})
    interview = make_interview({}, interview_id="given1", reflection=given)
    expected = {
        "will": (1, 0, 1, 0),
        "direction": (0, 1, 0, 1),
        "ideas": (0, 0, 0, 0),
        "foundation": (0, 1, 0, 0),
        "execution": (0, 1, 0, 0),
    }

    def gaps(domains) -> dict:
        return {
            d["domain_id"]: (d["low"], d["unknown"], d["low_by_interviewer"], d["unknown_by_interviewer"])
            for d in domains
        }

    in_hand = build_summary(StoreFacts.of([interview], "2026-11-28"), CONTENT)
    assert gaps(to_data(in_hand)["domains"]) == expected
    with Store.open(isolated_home) as store:
        store.interviews.insert(interview)
    first = json.loads(run("summary", "-f", "json").stdout)  # worked out, and leadcli's readings kept
    again = json.loads(run("summary", "-f", "json").stdout)  # from the kept readings
    assert gaps(first["domains"]) == gaps(again["domains"]) == expected
    assert first["top_recommendations"] == again["top_recommendations"]
    assert "the interviewer's own where they gave one" in first["leadcli_notes"][0]
    assert any("the report does not map offerings to domains" in n for n in first["leadcli_notes"])
    names = [name for name, _ in first["top_recommendations"]]
    assert first["inferred_names"] == [n for n in names if n == "Health Improvement Alliance Europe"]
    monkeypatch.setenv("COLUMNS", "200")  # each domain's title on one line
    out = run("summary").stdout
    flat = " ".join(out.split())
    assert f"Low {MARK}" in out and f"Unknown {MARK}" in out and "Low *" in out and "Don't know *" in out
    assert f"leadcli's ranking) {MARK}" in flat and LEGEND in flat
    assert "*: the interviewer's own level" in flat and "(the interviewers' own)" in flat
    for name in first["inferred_names"]:
        assert f"{name} (name inferred {MARK})" in flat
    for domain in CONTENT.framework.domains:  # the framework's titles: the report's words
        assert domain.title in flat and f"{domain.title} {MARK}" not in flat


def test_summary_help_and_errors_say_which_formats_need_demand(run, isolated_home, three_calls) -> None:
    help_text = " ".join(run("summary", "--help").stdout.split())
    assert "table or json; with --demand also markdown, csv or excel" in help_text
    for fmt in ("csv", "markdown", "excel"):
        refused = run("summary", "-f", fmt)
        assert refused.exit_code == 2
        assert f"--format {fmt} needs --demand; without it choose from: table, json" in refused.output
        assert "Traceback" not in refused.output
        assert run("summary", "--demand", "-f", fmt).exit_code == 0
