"""Reports in every format from fixed interviews; --org; export and import; summary."""

from __future__ import annotations

import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from leadcli.assessment.report import build_org_report, build_report, build_summary
from leadcli.render.data import dump_json
from leadcli.render.report_html import report_html
from leadcli.render.report_markdown import escape, report_markdown
from leadcli.store.db import Store
from leadcli.store.records import Contact, FollowUp, InterviewFacts, Reflection
from tests.reports_helpers import CONTENT, FULL_ANSWERS, FULL_REFLECTION, make_interview

# Every test here runs on both stores (SQLite and PostgreSQL; see conftest.store_backend).
pytestmark = pytest.mark.usefixtures("store_backend")

GOLDEN = Path(__file__).parent / "golden"


def full_report():
    return build_report(make_interview(FULL_ANSWERS, reflection=FULL_REFLECTION, status="complete"), CONTENT)


def small_report():
    interview = make_interview(
        {"future-vision": ("Reads <b>widely</b>", ["looks-externally"], "partial")},
        contacts=[Contact(name="Tom Hale", role="Nurse", level="point-of-care")],
        region="Australia",
    )
    return build_report(interview, CONTENT, include_passed=True)


def test_markdown_exactly() -> None:
    assert report_markdown(full_report()) == (GOLDEN / "report-full.md").read_text(encoding="utf-8")


def test_json_exactly_with_schema_version() -> None:
    produced = json.loads(dump_json(small_report()))
    assert produced == json.loads((GOLDEN / "report-small.json").read_text(encoding="utf-8"))
    assert produced["schema_version"] == 1
    assert [q["state"] for q in produced["questions"]] == [
        "not explored", "not explored", "explored", "not explored", "not explored",
    ]  # fmt: skip
    assert produced["assessment"]["overall_source"] == "assessment's reading"


def test_markdown_escaping_keeps_user_text_literal() -> None:
    assert escape("[bold]x[/] *a* _b_ <i>") == "\\[bold\\]x\\[/\\] \\*a\\* \\_b\\_ \\<i\\>"
    assert (
        escape("# not a heading\n- not a list\n1. nor this")
        == "\\# not a heading\n\\- not a list\n\\1. nor this"
    )


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_html_escapes_user_text_and_loads_nothing() -> None:
    html = report_html(full_report())
    parsed = _Collector()
    parsed.feed(html)
    assert parsed.tags.count("script") == 0
    assert "svg" in parsed.tags
    assert "style" in parsed.tags
    assert not [a for a in parsed.attrs if a[0] in ("src", "href")]
    assert "url(" not in html
    assert "@import" not in html
    text = "".join(parsed.text)
    assert "<script>alert('x')</script> & more" in text  # shown as text, not run
    assert "Board sets [bold]three[/] aims" in text
    assert "Budget [/] cycle" in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in html
    for level in ("strong", "partial", "low"):
        assert f">{level}</text>" in html  # the chart writes the level, colour is not the only signal


def test_terminal_report_prints_markup_literally(run, isolated_home) -> None:
    with Store.open(isolated_home) as store:
        store.insert(make_interview(FULL_ANSWERS, reflection=FULL_REFLECTION, status="complete"))
    result = run("report")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Board sets [bold]three[/] aims" in out
    assert "<script>alert('x')</script> & more" in out
    assert "Budget [/] cycle" in out
    assert "██████████" in out and "strong" in out
    assert "Overall: moderate (reflection verdict)" in out
    assert "1. Health Improvement Alliance Europe" in out
    assert "Not recommended" not in out
    assert "Not recommended" in run("report", "fixed1", "--all").stdout


def test_report_formats_through_the_cli(run, isolated_home, tmp_path) -> None:
    with Store.open(isolated_home) as store:
        store.insert(make_interview(FULL_ANSWERS, reflection=FULL_REFLECTION, status="complete"))
    assert run("report", "fix", "-f", "markdown").stdout == (GOLDEN / "report-full.md").read_text(
        encoding="utf-8"
    )
    data = json.loads(run("report", "-f", "json").stdout)
    assert data["interview"]["id"] == "fixed1"
    out = tmp_path / "r.html"
    written = run("report", "-f", "html", "-o", str(out))
    assert written.exit_code == 0
    assert written.stderr == f"leadcli: wrote {out}\n"
    assert out.stat().st_mode & 0o777 == 0o600
    again = run("report", "-f", "html", "-o", str(out))
    assert again.exit_code == 1
    assert again.stderr == f"leadcli: error: {out} already exists; add --force to replace it\n"
    assert run("report", "-f", "html", "-o", str(out), "--force").exit_code == 0
    missing = run("report", "-f", "html", "-o", str(tmp_path / "no" / "r.html"))
    assert missing.exit_code == 1
    assert "the folder" in missing.stderr and "does not exist" in missing.stderr
    assert run("report", "-o", str(tmp_path / "t.txt")).exit_code == 2


def test_report_without_interviews(run) -> None:
    result = run("report")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "leadcli: error: there are no interviews yet\nleadcli: start one with `leadcli interview`\n"
    )


# --- one organization over time -------------------------------------------------------------


@pytest.fixture
def three_calls():
    return [
        make_interview(
            {"quality-planning": ("", [], "low"), "future-vision": ("", [], "low")},
            interview_id="call01",
            created_at="2026-09-01T09:00:00+00:00",
        ),
        make_interview(
            {"quality-planning": ("", [], "strong")},
            interview_id="call02",
            contacts=[Contact(name="Tom", role="Nurse", level="point-of-care")],
            created_at="2026-10-01T09:00:00+00:00",
        ),
        make_interview(
            {"quality-planning": ("", [], "partial"), "future-vision": ("", [], "strong")},
            interview_id="call03",
            reflection=Reflection(verdict="strong"),
            created_at="2026-11-01T09:00:00+00:00",
        ),
    ]


def test_org_report_compares_calls(three_calls) -> None:
    report = build_org_report("St Mary's Health", list(reversed(three_calls)), CONTENT)
    assert [c.id for c in report.calls] == ["call01", "call02", "call03"]
    rows = {d.domain_id: (d.levels, d.disagree, d.change) for d in report.domains}
    assert rows["direction"] == (["low", "strong", "partial"], True, "low → partial")
    assert rows["ideas"] == (["low", "unknown", "strong"], True, "low → strong")
    assert rows["will"] == (["unknown", "unknown", "unknown"], False, "—")
    assert [c.overall_source for c in report.calls][-1] == "reflection verdict"


def test_org_report_through_the_cli(run, isolated_home, three_calls) -> None:
    with Store.open(isolated_home) as store:
        for call in three_calls:
            store.insert(call)
        store.insert(make_interview(interview_id="other1", organization="Other Trust"))
    data = json.loads(run("report", "--org", "st mary's health", "-f", "json").stdout)
    assert [c["id"] for c in data["calls"]] == ["call01", "call02", "call03"]
    partial_name = json.loads(run("report", "--org", "mary", "-f", "json").stdout)
    assert partial_name == data
    table = run("report", "--org", "St Mary's Health").stdout
    assert "disagree" in table
    assert "low → partial" in table
    markdown = run("report", "--org", "St Mary's Health", "-f", "markdown").stdout
    assert "| 1. Set and Champion Direction | low | strong | partial | disagree | low → partial |" in markdown
    unknown = run("report", "--org", "Nobody")
    assert unknown.exit_code == 1
    assert "no interviews with an organization called 'Nobody'" in unknown.stderr
    assert run("report", "--org", "t", "-f", "json").exit_code == 2  # matches both organizations


# --- export, import, summary ----------------------------------------------------------------


def test_export_delete_import_gives_an_identical_report(
    run, isolated_home, tmp_path, fixed_ids, keyboard
) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "organization: Acme\ninterviewer: Kim\nregion: Canada\n"
        "contacts: [{name: Bo, role: COO, level: core}]\n"
        "answers:\n  track-record: {notes: 'held [/] <b>', cues: [results-sustained], rating: low}\n"
        "reflection: {fit: maybe, verdict: limited, follow_ups: [{text: call, due: 2027-01-01}]}\n",
        encoding="utf-8",
    )
    run("interview", "--answers", str(answers))
    before = run("report", "id0001", "-f", "json").stdout
    export = tmp_path / "export.json"
    assert run("export", "-o", str(export)).exit_code == 0
    assert export.stat().st_mode & 0o777 == 0o600
    assert run("delete", "id0001", "--yes").exit_code == 0
    imported = run("import", str(export))
    assert imported.exit_code == 0
    assert imported.stdout == "id0001\n"
    assert imported.stderr == "leadcli: imported 1 interview(s); skipped 0 already present\n"
    assert run("report", "id0001", "-f", "json").stdout == before
    again = run("import", str(export))
    assert again.stderr == "leadcli: imported 0 interview(s); skipped 1 already present\n"


def test_export_csv(run, tmp_path, fixed_ids) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("organization: Acme\ninterviewer: Kim\nanswers: {track-record: {notes: 'a, \"b\"'}}\n")
    run("interview", "--answers", str(answers))
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run("export", "-f", "csv").stdout)))
    assert len(rows) == 5
    track = next(r for r in rows if r["question_id"] == "track-record")
    assert (track["notes"], track["state"]) == ('a, "b"', "explored")
    assert {r["state"] for r in rows if r["question_id"] != "track-record"} == {"not explored"}


def test_import_rejects_bad_files(run, tmp_path, fixed_ids, isolated_home) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert run("import", str(bad)).stderr.startswith(f"leadcli: error: {bad}:1: not valid JSON")
    bad.write_text('{"kind": "something else"}', encoding="utf-8")
    assert "not a leadcli export" in run("import", str(bad)).stderr
    bad.write_text('{"kind": "leadcli-export", "schema_version": 1, "interviews": []}', encoding="utf-8")
    assert (
        "an export needs `snapshots` (an object) and `interviews` (a list)" in run("import", str(bad)).stderr
    )

    answers = tmp_path / "a.yaml"
    answers.write_text("organization: Acme\ninterviewer: Kim\n", encoding="utf-8")
    run("interview", "--answers", str(answers))
    good = json.loads(run("export").stdout)
    assert run("delete", "id0001", "--yes").exit_code == 0

    wrong_type = json.loads(json.dumps(good))
    wrong_type["interviews"][0]["id"] = 3
    bad.write_text(json.dumps(wrong_type), encoding="utf-8")
    result = run("import", str(bad))
    assert result.exit_code == 1
    assert f"{bad}: interviews[0].id: " in result.stderr

    unknown = json.loads(json.dumps(good))
    unknown["interviews"][0]["snapshot"] = "nope"
    bad.write_text(json.dumps(unknown), encoding="utf-8")
    assert (
        f"{bad}: interviews[0].snapshot: 'nope' is not one of the export's snapshots"
        in run("import", str(bad)).stderr
    )
    assert json.loads(run("list", "-f", "json").stdout) == []


def test_export_writes_each_set_of_questions_once(run, tmp_path, fixed_ids) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("organization: Acme\ninterviewer: Kim\n", encoding="utf-8")
    for _ in range(3):
        run("interview", "--answers", str(answers))
    data = json.loads(run("export").stdout)
    assert len(data["snapshots"]) == 1
    [key] = data["snapshots"]
    assert [i["snapshot"] for i in data["interviews"]] == [key, key, key]
    assert data["snapshots"][key]["questions"][0]["id"] == "quality-planning"


def test_summary_counts(three_calls) -> None:
    extra = make_interview(
        {"track-record": ("", [], "low")},
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
    summary = build_summary(
        [InterviewFacts.of(i) for i in [*three_calls, extra]], CONTENT, date(2026, 11, 28)
    )
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
            store.insert(call)
    data = json.loads(run("summary", "-f", "json").stdout)
    assert data["interviews"] == 3
    assert data["organizations"] == 1
    out = run("summary").stdout
    assert "How often each domain came out low or unknown" in out
    assert "Overdue follow-ups (0)" in out


def test_the_example_answers_file_imports_and_reports(run) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "call-notes.yaml"
    imported = run("interview", "--answers", str(example))
    assert imported.exit_code == 0, imported.output
    report = run("report")
    assert "St Mary's Health (example)" in report.stdout
    assert "Overall: moderate (reflection verdict)" in report.stdout


def test_summary_keeps_levels_and_forgets_them_when_answers_change(
    run, tmp_path, fixed_ids, isolated_home, data_copy
) -> None:
    from leadcli.store.records import Answer

    answers = tmp_path / "a.yaml"
    answers.write_text("organization: A\ninterviewer: K\nanswers: {future-vision: {rating: low}}\n")
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
        store.save_answer("id0001", Answer(question_id="future-vision", rating="strong"))
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
