"""One identity rule per name: every spelling of an organization is the same organization,
on SQLite and on PostgreSQL, in every command that looks organizations up."""

from __future__ import annotations

import json

import pytest

from leadcli.names import name_key
from leadcli.store.db import Store
from tests.reports_helpers import make_interview

# Every test here that opens a store runs on both (SQLite and PostgreSQL; see conftest.store_backend).

SPELLINGS = ("École Santé", "ÉCOLE SANTÉ")


def test_the_rule_folds_case_width_accents_encoding_and_spacing() -> None:
    decomposed = "E\u0301cole  Sante\u0301"  # the accents as combining marks, two spaces
    assert name_key("École Santé") == name_key("ÉCOLE SANTÉ") == name_key(decomposed) == "école santé"
    assert name_key("  Straße\tKlinik ") == name_key("STRASSE KLINIK") == "strasse klinik"
    assert name_key("Ｓｔ Ｍａｒｙ") == "st mary"  # full-width letters
    assert name_key("École") != name_key("Ecole")  # accents are part of the name


@pytest.fixture
def ecole(store_backend, isolated_home) -> None:
    with Store.open(isolated_home) as store:
        for n, spelling in enumerate(SPELLINGS):
            store.interviews.insert(
                make_interview(
                    interview_id=f"ecol{n}a",
                    organization=spelling,
                    created_at=f"2026-11-0{n + 2}T10:00:00+00:00",
                )
            )
        store.interviews.insert(make_interview(interview_id="other1", organization="Other Trust"))


def test_list_org_finds_every_spelling(run, ecole) -> None:
    listed = json.loads(run("list", "--org", "école", "-f", "json").stdout)
    assert sorted(i["organization"] for i in listed["interviews"]) == sorted(SPELLINGS)
    assert listed["total"] == 2


def test_report_org_finds_every_call(run, ecole) -> None:
    result = run("report", "--org", "école", "-f", "json")
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in json.loads(result.stdout)["calls"]] == ["ecol0a", "ecol1a"]


def test_summary_counts_one_organization(run, ecole) -> None:
    data = json.loads(run("summary", "-f", "json").stdout)
    assert (data["interviews"], data["organizations"]) == (3, 2)


def test_an_outcome_counts_for_every_spelling(run, ecole) -> None:
    recorded = run("outcome", "ÉCOLE santé", "--result", "engaged", "--date", "2026-11-05")
    assert recorded.exit_code == 0, recorded.output
    data = json.loads(run("summary", "-f", "json").stdout)
    assert data["outcomes"]["engaged"] == 1 and data["outcomes"]["open"] == 1
    calls = json.loads(run("report", "--org", "école", "-f", "json").stdout)
    assert [o["result"] for o in calls["outcomes"]] == ["engaged"]


def test_the_migration_keys_names_stored_before_it(store_backend, isolated_home, run) -> None:
    """009_organization_keys gives rows written before it their key (here: keys wiped, then re-made)."""
    from leadcli.store.migrations import _key_names

    with Store.open(isolated_home) as store:
        for n, spelling in enumerate(SPELLINGS):
            store.interviews.insert(make_interview(interview_id=f"ecol{n}a", organization=spelling))
        store.outcomes.record(
            organization="ÉCOLE SANTÉ", result="engaged", date="2026-11-05", offerings=[], note=""
        )
        with store.transaction() as db:
            db.execute("UPDATE interviews SET org_key = ''")
            db.execute("UPDATE outcomes SET org_key = 'the old rule'")
        with store.transaction() as db:
            _key_names(db)
        keys = {
            r[0]
            for r in store.connection.execute(
                "SELECT org_key FROM interviews UNION SELECT org_key FROM outcomes"
            )
        }
    assert keys == {"école santé"}
    listed = json.loads(run("list", "--org", "ÉCOLE", "-f", "json").stdout)
    assert listed["total"] == 2


# --- persons: one interviewer however their name was typed ---------------------------------------

# The same person three ways: composed accents, decomposed accents in capitals with two spaces, and
# a zero-width space inside (pasted from a chat); then another person.
PERSONS = ("Renée Dupont", "RENE\u0301E  DUPONT", "Renée\u200b Dupont")


@pytest.fixture
def renee(store_backend, isolated_home) -> None:
    from dataclasses import replace

    with Store.open(isolated_home) as store:
        for n, spelling in enumerate(PERSONS):
            store.interviews.insert(
                replace(
                    make_interview(interview_id=f"rene{n}a", created_at=f"2026-11-0{n + 2}T10:00:00+00:00"),
                    interviewer=spelling,
                )
            )
        store.interviews.insert(make_interview(interview_id="other1", created_at="2026-11-06T10:00:00+00:00"))


def test_the_store_keeps_one_key_per_person(renee, isolated_home) -> None:
    with Store.open(isolated_home) as store:
        keys = {r[0] for r in store.connection.execute("SELECT interviewer_key FROM interviews")}
        assert keys == {"renée dupont", "kim lee"}
        assert store.interviews.interviewers() == {
            "kim lee": "Kim Lee",
            "renée dupont": "RENE\u0301E  DUPONT",
        }


def test_evaluate_counts_one_interviewer_and_finds_every_spelling(run, renee) -> None:
    whole = json.loads(run("evaluate", "-f", "json").stdout)
    assert (whole["interviews"], whole["interviewers"]) == (4, 2)
    for asked in ("renée dupont", "RENÉE DUPONT", "Rene\u0301e Dupont"):
        focused = run("evaluate", "--interviewer", asked, "-f", "json")
        assert focused.exit_code == 0, focused.output
        assert (json.loads(focused.stdout)["interviews"], json.loads(focused.stdout)["interviewers"]) == (
            3,
            1,
        )
    unknown = run("evaluate", "--interviewer", "Renee Dupont")  # without the accent: another name
    assert unknown.exit_code == 1
    assert "no interviews by 'Renee Dupont'; interviewers are: Kim Lee; RENE" in unknown.stderr


def test_evaluate_pairs_only_different_interviewers(run, renee) -> None:
    """Three interviews by one person at one organization make no pair; each with Kim's makes one."""
    agreement = json.loads(run("evaluate", "-f", "json").stdout)["agreement"]
    assert {d["pairs"] for d in agreement} <= {0, 3}


def test_completion_offers_each_interviewer_once(renee, isolated_home) -> None:
    from tests.test_completion import complete

    assert complete("leadcli evaluate --interviewer ", isolated_home) == ["Kim Lee", "RENE\u0301E  DUPONT"]
    assert complete("leadcli evaluate --interviewer K", isolated_home) == ["Kim Lee"]


def test_the_person_migration_keys_names_stored_before_it_and_changes_nothing_else(
    store_backend, isolated_home
) -> None:
    """013_person_key gives rows written before it their key (here: keys wiped, then the
    migration's steps run again); who changed each row last is not touched, on a server either."""
    from leadcli.store.migrations import MIGRATIONS, _run

    with Store.open(isolated_home) as store:
        for n, spelling in enumerate(PERSONS):
            store.interviews.insert(replace_interviewer(make_interview(interview_id=f"rene{n}a"), spelling))
        before = list(
            store.connection.execute("SELECT id, changed_by, updated_at FROM interviews ORDER BY id")
        )
        with store.transaction() as db:
            db.execute("DROP INDEX interviews_by_interviewer_key")
            db.execute("ALTER TABLE interviews DROP COLUMN interviewer_key")
        [steps] = [steps for name, steps in MIGRATIONS if name == "013_person_key"]
        with store.transaction() as db:
            for step in steps:
                _run(db, step)
        keys = {r[0] for r in store.connection.execute("SELECT interviewer_key FROM interviews")}
        after = list(
            store.connection.execute("SELECT id, changed_by, updated_at FROM interviews ORDER BY id")
        )
    assert keys == {"renée dupont"}
    assert [tuple(r) for r in after] == [tuple(r) for r in before]


def replace_interviewer(record, name: str):
    from dataclasses import replace

    return replace(record, interviewer=name)


def test_completion_offers_each_organization_once(ecole, isolated_home) -> None:
    from tests.test_completion import complete

    assert complete("leadcli report --org ", isolated_home) == ["Other Trust", "ÉCOLE SANTÉ"]  # by key
