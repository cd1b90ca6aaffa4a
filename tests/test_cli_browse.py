"""The browse commands in every format, through the real typer app."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest

from leadcli import __version__


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def test_version(run) -> None:
    assert ok(run("--version")) == f"leadcli {__version__}\n"


def test_python_m_leadcli_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "leadcli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "offerings" in done.stdout
    assert "Usage:" in done.stdout


def _every_command() -> list[list[str]]:
    import typer.main

    from leadcli.cli import build_app

    def walk(command, path: list[str]):
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(build_app()), []))


@pytest.mark.parametrize("command", _every_command(), ids=" ".join)
def test_every_command_has_help_with_an_example(run, command: list[str]) -> None:
    out = ok(run(*command, "--help"))
    assert re.search(r"Example( \(\w+\))?: .*leadcli", out), out


# --- framework ------------------------------------------------------------------------------


def test_framework_tree(run) -> None:
    out = ok(run("framework"))
    assert "Leadership Framework for Quality" in out
    for title in (
        "Set and Champion Direction",
        "Build and Nurture Will",
        "Execute and Scale-up Improvement",
    ):
        assert title in out
    assert "Manage scale-up" in out
    assert "Challenges will inevitably arise" not in out


def test_framework_detail_for_one_domain_by_number_and_id(run) -> None:
    by_number = ok(run("framework", "--domain", "5", "--detail"))
    by_id = ok(run("framework", "--domain", "execution", "--detail"))
    assert by_number == by_id
    assert "Challenges will inevitably arise" in by_number
    assert "Build and Nurture Will" not in by_number


@pytest.mark.parametrize("command", ["framework", "offerings"])
def test_an_unknown_domain_names_the_known_ones(run, command) -> None:
    result = run(command, "--domain", "9")
    assert result.exit_code == 2
    assert result.stderr == (
        "leadcli: error: no domain '9'; domains are: 1 (direction), 2 (foundation), 3 (will),"
        " 4 (ideas), 5 (execution)\n"
    )


def test_offerings_takes_a_domain_by_number_or_id_as_framework_does(run) -> None:
    by_id = json.loads(ok(run("offerings", "--domain", "will", "-f", "json")))
    for named in ("3", " Will "):
        assert json.loads(ok(run("offerings", "--domain", named, "-f", "json"))) == by_id
    assert by_id["filters"]["domain"] == "will" and by_id["count"] > 0


def test_framework_json(run) -> None:
    data = json.loads(ok(run("framework", "--format", "json")))
    assert data["status"] == "draft"
    assert [d["id"] for d in data["domains"]] == [
        "direction",
        "foundation",
        "will",
        "ideas",
        "execution",
    ]
    assert sum(len(d["components"]) for d in data["domains"]) == 15
    assert "year" not in data["lineage"]  # the report gives the earlier framework no year
    assert "leadcli" in data["summary_note"] and data["domains"][0]["stakeholder_views"]
    one = json.loads(ok(run("framework", "-d", "ideas", "-f", "json")))
    assert [d["id"] for d in one["domains"]] == ["ideas"]


def test_framework_markdown_and_csv(run) -> None:
    md = ok(run("framework", "--format", "markdown", "--detail"))
    assert md.startswith("# Leadership Framework for Quality\n")
    assert "## 4. Encourage Ideas and Testing" in md
    assert "Plan-Do-Study-Act" in md
    rows = list(csv.DictReader(io.StringIO(ok(run("framework", "--format", "csv")))))
    assert len(rows) == 15
    assert rows[0]["domain_id"] == "direction"


# --- questions ------------------------------------------------------------------------------


def test_questions_table(run) -> None:
    out = ok(run("questions"))
    assert "How does the organization decide what its quality priorities are?" in out
    assert "Trying to learn:" in out
    assert "After the call" in out


def test_questions_json_has_every_id(run) -> None:
    data = json.loads(ok(run("questions", "--format", "json")))
    assert [q["id"] for q in data["questions"]] == [
        "quality-planning",
        "track-record",
        "future-vision",
        "regional-environment",
        "internal-issues",
    ]
    assert all(c["id"] and c["domains"] for q in data["questions"] for c in q["cues"])
    assert [r["id"] for r in data["reflection"]["questions"]] == ["fit", "concerns", "gaps"]


def test_questions_markdown_and_csv(run) -> None:
    md = ok(run("questions", "--format", "markdown"))
    assert "## 2. Experience/track record to date" in md
    assert "## After the call" in md
    rows = list(csv.DictReader(io.StringIO(ok(run("questions", "-f", "csv")))))
    assert len(rows) == 19
    assert {r["question_id"] for r in rows} >= {"quality-planning", "internal-issues"}


# --- offerings ------------------------------------------------------------------------------

AUDIENCES = {
    "executive": {
        "cqo-development",
        "patient-safety-executive",
        "health-improvement-alliance-europe",
        "fellowship",
        "leadership-alliance",
        "onsite-leadership-workshop",
        "diagnostics",
        "whole-system-quality",
    },
    "core": {
        "leading-organizing-change",
        "lqi-essentials-managers",
        "patient-safety-executive",
        "health-improvement-alliance-europe",
        "fellowship",
        "leadership-alliance",
        "onsite-leadership-workshop",
        "whole-system-quality",
    },
    "point-of-care": {"whole-system-quality"},
}


def offering_ids(run, *args: str) -> list[str]:
    data = json.loads(ok(run("offerings", *args, "--format", "json")))
    assert data["count"] == len(data["offerings"])
    return [o["id"] for o in data["offerings"]]


@pytest.mark.parametrize("audience", sorted(AUDIENCES))
def test_offerings_by_audience(run, audience: str) -> None:
    assert set(offering_ids(run, "--audience", audience)) == AUDIENCES[audience]


def test_offerings_json_carries_prices_as_numbers(run) -> None:
    data = json.loads(ok(run("offerings", "--format", "json")))
    assert data["count"] == 10
    alliance = next(o for o in data["offerings"] if o["id"] == "leadership-alliance")
    assert alliance["price"] == {
        "min": 24000,
        "max": 40000,
        "currency": "USD",
        "per": "organization",
        "quote": None,
    }


def test_offerings_table_formats_money_and_ranges(run) -> None:
    out = ok(run("offerings", "--audience", "executive"))
    assert "$120,000–$150,000" in out
    assert "$10,550" in out
    assert "Leading and Organizing" not in out
    assert "8 of 10 offerings" in out


def test_offerings_filters(run) -> None:
    assert offering_ids(run, "--type", "consulting") == [
        "whole-system-quality",
        "diagnostics",
    ] or set(offering_ids(run, "--type", "consulting")) == {"whole-system-quality", "diagnostics"}
    assert set(offering_ids(run, "--max-price", "1000")) == {
        "leading-organizing-change",
        "lqi-essentials-managers",
    }
    per_person = set(offering_ids(run, "--per", "person"))
    assert per_person == {
        "leading-organizing-change",
        "lqi-essentials-managers",
        "cqo-development",
        "patient-safety-executive",
        "fellowship",
    }
    assert set(offering_ids(run, "--domain", "ideas")) == {
        "health-improvement-alliance-europe",
        "leadership-alliance",
    }


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("United Kingdom", {"patient-safety-executive", "health-improvement-alliance-europe"}),
        ("uk", {"patient-safety-executive", "health-improvement-alliance-europe"}),
        ("Germany", {"health-improvement-alliance-europe"}),
        ("Europe", {"patient-safety-executive", "health-improvement-alliance-europe"}),
        ("canada", {"health-improvement-alliance-europe"}),
        (
            "USA",
            {
                "leading-organizing-change",
                "lqi-essentials-managers",
                "cqo-development",
                "patient-safety-executive",
                "leadership-alliance",
            },
        ),
        ("Australia", set()),
    ],
)
def test_offerings_by_region_includes_global(run, region: str, expected: set[str]) -> None:
    global_ones = {
        "fellowship",
        "onsite-leadership-workshop",
        "diagnostics",
        "whole-system-quality",
    }
    assert set(offering_ids(run, "--region", region)) == expected | global_ones


def test_unknown_region_is_explained_on_stderr(run) -> None:
    result = run("offerings", "--region", "Atlantis", "--format", "json")
    assert result.exit_code == 0
    assert "'Atlantis' is not a place leadcli knows" in result.stderr
    assert json.loads(result.stdout)["count"] == 4


def test_offerings_sort(run) -> None:
    by_price = offering_ids(run, "--sort", "price")
    assert by_price[0] == "leading-organizing-change"
    assert by_price[-1] == "whole-system-quality"
    by_duration = offering_ids(run, "--sort", "duration")
    assert by_duration[:2] == ["onsite-leadership-workshop", "diagnostics"]
    assert by_duration[-1] == "whole-system-quality"
    by_name = offering_ids(run)
    assert by_name[0] == "cqo-development"


@pytest.mark.parametrize(
    ("option", "value", "valid"),
    [
        ("--audience", "execs", "'executive', 'core', 'point-of-care'"),
        ("--type", "training", "'education', 'membership', 'consulting'"),
        ("--sort", "cost", "'name', 'price', 'duration'"),
        ("--format", "pdf", "'table', 'json', 'markdown', 'csv'"),
    ],
)
def test_bad_option_value_lists_valid_ones(run, option: str, value: str, valid: str) -> None:
    result = run("offerings", option, value)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"leadcli: error: Invalid value for '{option}'")
    assert valid in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_unknown_domain_filter(run) -> None:
    result = run("offerings", "--domain", "vision")
    assert result.exit_code == 2
    assert result.stderr.startswith("leadcli: error: no domain 'vision'; domains are: 1 (direction)")


def test_offerings_markdown_and_csv(run) -> None:
    md = ok(run("offerings", "--audience", "point-of-care", "--format", "markdown"))
    assert md.splitlines()[0] == "| Offering | Type | Audience | Duration | Region | Price |"
    assert "| Deep Engagement: Whole System Quality |" in md
    assert "$750,000 per organization (Plus Added Training)" in md
    rows = list(csv.DictReader(io.StringIO(ok(run("offerings", "--format", "csv")))))
    assert len(rows) == 10
    hia = next(r for r in rows if r["id"] == "health-improvement-alliance-europe")
    assert (hia["price_min"], hia["per"], hia["name_inferred"]) == ("12000", "organization", "True")


def test_offerings_show_by_prefix_any_case(run) -> None:
    out = ok(run("offerings", "show", "FELLOW"))
    assert "Fellowship Program" in out
    assert "$28,000 per person" in out
    assert "Global, hosted in United States" in out
    data = json.loads(ok(run("offerings", "show", "health", "--format", "json")))
    assert data["name"] == "Health Improvement Alliance Europe"
    assert data["name_inferred"] is True


def test_offerings_show_ambiguous_and_unknown(run) -> None:
    ambiguous = run("offerings", "show", "le")
    assert ambiguous.exit_code == 2
    assert (
        "'le' matches 2 offerings: Leading and Organizing for Change; Leadership Alliance" in ambiguous.stderr
    )
    unknown = run("offerings", "show", "golf")
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith("leadcli: error: no offering matches 'golf'; offerings are: ")
    assert "Diagnostics" in unknown.stderr


# --- validate and schema --------------------------------------------------------------------


def test_validate_summary(run) -> None:
    out = ok(run("validate"))
    assert "5 domains, 15 components, 5 questions, 19 cues, 3 reflection questions, 10 offerings" in " ".join(
        out.split()
    )
    data = json.loads(ok(run("validate", "--format", "json")))
    assert data["counts"]["offerings"] == 10


def test_data_dir_option_and_env(run, data_copy, monkeypatch) -> None:
    text = (data_copy / "offerings.yaml").read_text(encoding="utf-8")
    (data_copy / "offerings.yaml").write_text(
        text.replace("name: Diagnostics", "name: Organisational Diagnostics"), encoding="utf-8"
    )
    assert "Organisational Diagnostics" in ok(run("--data-dir", str(data_copy), "offerings", "show", "diag"))
    monkeypatch.setenv("LEADCLI_DATA_DIR", str(data_copy))
    assert "Organisational Diagnostics" in ok(run("offerings", "show", "org"))
    assert str(data_copy) in ok(run("validate"))


def test_schema_prints_and_writes(run, tmp_path) -> None:
    printed = json.loads(ok(run("schema")))
    assert set(printed) == {
        "framework.schema.json",
        "questions.schema.json",
        "offerings.schema.json",
        "answers.schema.json",
        "report.schema.json",
        "organization-report.schema.json",
        "summary.schema.json",
        "evaluate.schema.json",
        "evaluate-by-version.schema.json",
        "questions-diff.schema.json",
        "coverage.schema.json",
        "demand.schema.json",
        "export.schema.json",
        "export-line.schema.json",
    }
    result = run("schema", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(printed)
    assert (
        json.loads((tmp_path / "out" / "offerings.schema.json").read_text())["additionalProperties"] is False
    )
