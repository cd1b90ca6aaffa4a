"""`leadcli outcome`: matching, errors, the history, and where outcomes show and travel."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from leadcli.store.db import Store
from tests.conftest import empty_store
from tests.reports_helpers import CONTENT, make_interview

# Every test here runs on both stores (SQLite and PostgreSQL; see conftest.store_backend).
pytestmark = pytest.mark.usefixtures("store_backend")


@pytest.fixture
def two_orgs(isolated_home: Path) -> Path:
    with Store.open(isolated_home) as store:
        store.interviews.insert(make_interview(interview_id="mary22", organization="St Mary's Health"))
        store.interviews.insert(make_interview(interview_id="mary23", organization="St Mary's Health"))
        store.interviews.insert(make_interview(interview_id="acme22", organization="Acme Care"))
    return isolated_home


def test_records_an_outcome_by_any_case_or_a_unique_part(run, two_orgs) -> None:
    result = run(
        "outcome", "MARY", "--result", "engaged", "--offering", "Diagnostics", "--offering", "fellowship",
        "--date", "2025-11-20", "--note", "Signed [bold]today[/]",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "St Mary's Health: engaged on 2025-11-20 (offerings: diagnostics, fellowship) — Signed [bold]today[/]\n"
    )
    with Store.open(two_orgs) as store:
        [saved] = store.outcomes.list("st mary's health")
    assert (saved.organization, saved.result, saved.offerings) == (
        "St Mary's Health", "engaged", ["diagnostics", "fellowship"],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["Nobody", "--result", "engaged"], 1, "no interviews with an organization called 'Nobody'"),
        (["a", "--result", "engaged"], 2, "'a' matches several organizations: Acme Care; St Mary's Health"),
        (["acme", "--result", "maybe"], 2, "'maybe' is not one of 'engaged', 'declined', 'no-decision'"),
        (
            ["acme", "--result", "engaged", "--offering", "nope"],
            1,
            "unknown offering id 'nope'; offering ids are: ",
        ),
        (["acme", "--result", "engaged", "--date", "20/11/2025"], 2, "--date '20/11/2025' is not a date"),
        (["acme", "--result", "engaged", "--date", "2999-01-01"], 2, "--date 2999-01-01 is in the future"),
    ],
)
def test_bad_input_is_one_line_and_records_nothing(run, two_orgs, args, code, message) -> None:
    result = run("outcome", *args)
    assert result.exit_code == code
    assert result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr
    with Store.open(two_orgs) as store:
        assert store.outcomes.list() == []


def test_unknown_offering_error_names_every_known_id(run, two_orgs) -> None:

    stderr = run("outcome", "acme", "--result", "engaged", "--offering", "nope").stderr
    assert all(o.id in stderr for o in CONTENT.catalog.offerings)


def test_history_is_kept_and_the_latest_by_date_counts(run, two_orgs) -> None:
    for result, when in (
        ("engaged", "2025-11-20"),
        ("declined", "2025-10-01"),
        ("no-decision", "2025-09-01"),
    ):
        assert run("outcome", "acme care", "--result", result, "--date", when).exit_code == 0
    report = json.loads(run("report", "--org", "acme", "-f", "json").stdout)
    assert [o["result"] for o in report["outcomes"]] == ["no-decision", "declined", "engaged"]
    assert report["outcome"]["result"] == "engaged"
    assert run("outcome", "acme care", "--result", "declined", "--date", "2025-11-20").exit_code == 0
    again = json.loads(run("report", "--org", "acme", "-f", "json").stdout)
    assert again["outcome"]["result"] == "declined"  # same date: the one recorded later counts
    assert len(again["outcomes"]) == 4


def test_report_org_shows_the_outcome_in_every_format(run, two_orgs) -> None:
    run("outcome", "acme", "--result", "declined", "--date", "2025-10-01")
    run("outcome", "acme", "--result", "engaged", "--date", "2025-11-20", "--note", "*go* [red]x[/]")
    table = run("report", "--org", "acme").stdout
    assert "Outcome: engaged on 2025-11-20 — *go* [red]x[/]" in table
    assert "declined on 2025-10-01" in table
    markdown = run("report", "--org", "acme", "-f", "markdown").stdout
    assert "**Outcome:** engaged on 2025-11-20 — \\*go\\* \\[red\\]x\\[/\\]\n" in markdown
    assert "- declined on 2025-10-01" in markdown
    none_yet = run("report", "--org", "mary").stdout
    assert "Outcome: none recorded yet" in none_yet
    assert json.loads(run("report", "--org", "mary", "-f", "json").stdout)["outcome"] is None


def test_summary_counts_organizations_by_their_latest_outcome(run, two_orgs) -> None:
    run("outcome", "acme", "--result", "declined", "--date", "2025-10-01")
    run("outcome", "acme", "--result", "engaged", "--date", "2025-11-20")
    data = json.loads(run("summary", "-f", "json").stdout)
    assert data["outcomes"] == {"engaged": 1, "declined": 0, "no-decision": 0, "open": 1}
    assert "Outcomes       engaged 1, declined 0, no-decision 0, open 1" in run("summary").stdout


def test_outcomes_travel_with_export_and_import(run, two_orgs, tmp_path) -> None:
    run("outcome", "acme", "--result", "declined", "--date", "2025-10-01", "--note", "budget")
    run("outcome", "mary", "--result", "engaged", "--offering", "diagnostics", "--date", "2025-11-20")
    export = tmp_path / "export.json"
    assert run("export", "-o", str(export)).exit_code == 0
    data = json.loads(export.read_text(encoding="utf-8"))
    assert list(data)[-2:] == ["interviews", "outcomes"]
    assert [(o["organization"], o["result"]) for o in data["outcomes"]] == [
        ("Acme Care", "declined"), ("St Mary's Health", "engaged"),
    ]  # fmt: skip
    before = run("report", "--org", "mary", "-f", "json").stdout
    empty_store(two_orgs)
    imported = run("import", str(export))
    assert imported.exit_code == 0
    assert imported.stderr.splitlines()[-1] == "leadcli: imported 2 outcome(s)"
    assert run("report", "--org", "mary", "-f", "json").stdout == before
    again = run("import", str(export))
    assert "outcome" not in again.stderr  # the same outcomes are not added twice
    with Store.open(two_orgs) as store:
        assert len(store.outcomes.list()) == 2


def test_an_export_without_outcomes_still_imports(run, two_orgs, tmp_path) -> None:
    export = tmp_path / "export.json"
    run("export", "-o", str(export))
    data = json.loads(export.read_text(encoding="utf-8"))
    assert data.pop("outcomes") == []
    export.write_text(json.dumps(data), encoding="utf-8")
    empty_store(two_orgs)
    assert run("import", str(export)).exit_code == 0


def test_a_bad_outcome_in_an_import_stops_it_before_anything_is_added(run, two_orgs, tmp_path) -> None:
    run("outcome", "acme", "--result", "declined", "--date", "2025-10-01")
    export = tmp_path / "export.json"
    run("export", "-o", str(export))
    data = json.loads(export.read_text(encoding="utf-8"))
    data["outcomes"][0]["result"] = "won"
    data["outcomes"].append({**data["outcomes"][0], "id": "other", "result": "engaged", "date": "soon"})
    export.write_text(json.dumps(data), encoding="utf-8")
    empty_store(two_orgs)
    result = run("import", str(export))
    assert result.exit_code == 1
    assert (
        f"{export}: outcomes[0].result: 'won' is not one of engaged, declined, no-decision" in result.stderr
    )
    with Store.open(two_orgs) as store:
        assert store.interviews.ids() == []
    data["outcomes"][0]["result"] = "declined"
    data["outcomes"].append(dict(data["outcomes"][0]))
    export.write_text(json.dumps(data), encoding="utf-8")
    dated = run("import", str(export))
    assert f"{export}: outcomes[1].date: 'soon' is not a YYYY-MM-DD date" in dated.stderr
    assert (
        f"{export}: outcomes[2].id: {data['outcomes'][0]['id']!r} is also the id of outcomes[0]"
        in dated.stderr
    )
    with Store.open(two_orgs) as store:
        assert store.interviews.ids() == []


@pytest.mark.sqlite_only  # reads the SQLite file's own schema
def test_the_migration_is_named_and_the_table_portable(two_orgs) -> None:
    connection = sqlite3.connect(two_orgs / "leadcli.db")
    names = [r[0] for r in connection.execute("SELECT name FROM migrations ORDER BY name")]
    assert "006_outcomes" in names
    sql = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'outcomes'").fetchone()[0]
    assert "COLLATE" not in sql.upper() and "AUTOINCREMENT" not in sql.upper()
    connection.close()


def test_control_characters_in_a_note_are_shown_never_obeyed(run, two_orgs) -> None:
    saved = run("outcome", "acme", "--result", "engaged", "--note", "ok\x1b[2J\u202egone")
    assert saved.stdout == "Acme Care: engaged on " + saved.stdout.split(" on ")[1]
    assert "\x1b" not in saved.stdout and "\\x1b[2J\\u202egone" in saved.stdout
    table = run("report", "--org", "acme").stdout
    assert "\x1b" not in table and "\\x1b[2J" in table
    assert "\x1b" not in run("report", "--org", "acme", "-f", "markdown").stdout


def test_an_imported_outcome_dated_in_the_future_is_refused(run, tmp_path) -> None:
    from tests.interview_helpers import write_answers

    write_answers(tmp_path, "organization: Acme\ninterviewer: Kim\n", name="a.yaml")
    assert run("interview", "--answers", str(tmp_path / "a.yaml")).exit_code == 0
    assert run("outcome", "acme", "--result", "engaged").exit_code == 0
    exported = json.loads(run("export").stdout)
    exported["outcomes"][0]["date"] = "2099-01-01"
    path = tmp_path / "future.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "outcomes[0].date: '2099-01-01' is in the future" in result.stderr
