"""`evaluate` compares like with like and never counts an outcome that came before the interview;
outcome dates before 2000 are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leadcli.store.db import Store
from tests.reports_helpers import make_interview

pytestmark = pytest.mark.usefixtures("store_backend")

EVIDENCE = {"future-vision": ("", ["looks-externally"], "strong")}


@pytest.fixture
def calls(isolated_home: Path) -> Path:
    """Two interviews: Acme's on 2026-11-02, Bay's on 2026-11-10 (both given a verdict)."""
    from leadcli.store.records import Reflection

    with Store.open(isolated_home) as store:
        store.interviews.insert(
            make_interview(
                EVIDENCE,
                interview_id="acme01",
                organization="Acme",
                reflection=Reflection(verdict="strong"),
                status="complete",
                created_at="2026-11-02T10:00:00+00:00",
            )
        )
        store.interviews.insert(
            make_interview(
                EVIDENCE,
                interview_id="bay001",
                organization="Bay",
                reflection=Reflection(verdict="strong"),
                status="complete",
                created_at="2026-11-10T10:00:00+00:00",
            )
        )
    return isolated_home


def test_an_outcome_dated_before_the_interview_foretold_nothing(run, calls) -> None:
    assert run("outcome", "acme", "--result", "engaged", "--date", "2026-11-20").exit_code == 0  # after
    assert run("outcome", "bay", "--result", "engaged", "--date", "2026-11-05").exit_code == 0  # before
    data = json.loads(run("evaluate", "-f", "json").stdout)
    strong = next(r for r in data["outcomes"] if r["verdict"] == "strong")
    # only Acme's interview counts: Bay's outcome came five days before Bay's interview
    assert (strong["interviews"], strong["engaged"]) == (1, 1)
    assert data["outcome_before_interview"] == 1
    assert any("1 interview(s) took place after their organization's outcome" in w for w in data["warnings"])
    assert data["interviews"] == 2  # still counted for the questions
    assert "compared with leadcli's readings" in data["agreement_basis"]
    out = run("evaluate").stdout
    assert "took place after their organization's outcome" in " ".join(out.split())


def test_an_outcome_before_every_interview_is_recorded_not_missing(run, calls) -> None:
    """The only outcome came before the only interview with its organization: `evaluate` says the
    outcome is recorded and why it was left out, never that no outcome is recorded."""
    assert run("outcome", "bay", "--result", "engaged", "--date", "2026-11-05").exit_code == 0
    data = json.loads(run("evaluate", "-f", "json").stdout)
    said = (
        "Cannot tell yet: outcomes are recorded for 1 organization(s), but none follows an interview"
        " here: 1 interview(s) took place after their organization's outcome, so they are left out"
        " (they cannot have foretold it)."
    )
    assert data["findings"]["outcomes"] == said
    assert data["outcome_before_interview"] == 1
    for form in ("terminal", "markdown"):
        out = run("evaluate", *(("-f", form) if form != "terminal" else ())).stdout
        flat = " ".join(out.replace("*", "").split())
        assert said in flat, form
        assert "no outcomes are recorded" not in flat, form
    # no interview considered is with the organization that has the outcome: said so too
    later = json.loads(run("evaluate", "-f", "json", "--since", "2026-11-11").stdout)
    assert later["findings"]["outcomes"] == (
        "Cannot tell yet: outcomes are recorded for 1 organization(s), but none follows an interview"
        " here: no interview considered is with those organizations."
    )


def test_outcome_dates_before_2000_are_refused(run, calls, tmp_path) -> None:
    refused = run("outcome", "acme", "--result", "engaged", "--date", "1926-11-20")
    assert refused.exit_code == 2
    assert refused.stderr == "leadcli: error: --date 1926-11-20 is before 2000: outcomes start in 2000\n"
    from leadcli.services.import_check import check_outcome

    outcome, problems = check_outcome(
        {"id": "o1", "organization": "Acme", "result": "engaged", "date": "0026-01-01"}, "outcomes[0]"
    )
    assert outcome is None
    assert problems == ["outcomes[0].date: '0026-01-01' is before 2000: outcomes start in 2000"]


def test_an_outcome_from_an_export_takes_only_its_declared_fields() -> None:
    from leadcli.services.import_check import check_outcome

    outcome, problems = check_outcome(
        {"id": "o1", "organization": "Acme", "result": "won", "date": "2026-01-01", "by": "Kim"},
        "outcomes[0]",
    )
    assert outcome is None
    assert problems == [
        "outcomes[0].result: 'won' is not one of engaged, declined, no-decision",
        "outcomes[0].by: unknown field; fields are: id, organization, result, date, offerings, note, recorded_at",
    ]


def test_an_imported_outcome_is_recorded_at_a_real_moment() -> None:
    from leadcli.services.import_check import check_outcome

    given = {"id": "o1", "organization": "Acme", "result": "engaged", "date": "2026-01-02"}
    outcome, problems = check_outcome(given, "outcomes[0]")
    assert problems == [] and outcome is not None
    assert outcome.recorded_at == "2026-01-02T00:00:00+00:00"  # left out: the decided day's start
    outcome, problems = check_outcome({**given, "recorded_at": "last week"}, "outcomes[0]")
    assert outcome is None
    assert problems == [
        "outcomes[0].recorded_at: 'last week' is not a date and time with a time zone"
        " (like 2026-11-02T10:00:00+00:00)"
    ]
