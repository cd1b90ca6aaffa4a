"""Reports in every format from fixed interviews, and --org (one organization over time)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from leadcli.assessment.report import build_org_report, build_report
from leadcli.render.data import dump_json
from leadcli.render.markdown import block, inline
from leadcli.render.report.html import report_html
from leadcli.render.report.markdown import report_markdown
from leadcli.store.db import Store
from leadcli.store.records import Contact
from tests.reports_helpers import CONTENT, FULL_ANSWERS, FULL_REFLECTION, make_interview, make_three_calls

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
    assert produced["schema_version"] == 2
    assert [q["state"] for q in produced["questions"]] == [
        "not explored", "not explored", "explored", "not explored", "not explored",
    ]  # fmt: skip
    assert produced["assessment"]["overall_source"] == "assessment's reading"


def test_markdown_escaping_keeps_user_text_literal() -> None:
    assert inline("[bold]x[/] *a* _b_ <i>") == "\\[bold\\]x\\[/\\] \\*a\\* \\_b\\_ \\<i\\>"
    assert (
        block("# not a heading\n- not a list\n1. nor this")
        == "\\# not a heading\\\n\\- not a list\\\n1\\. nor this"
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
        # the chart writes the level, marked, as the table does; colour is not the only signal
        assert re.search(f'<span class="bar-level" [^>]*>{level} †( \\(mixed ratings\\))?</span>', html)


def test_terminal_report_prints_markup_literally(run, isolated_home) -> None:
    with Store.open(isolated_home) as store:
        store.interviews.insert(make_interview(FULL_ANSWERS, reflection=FULL_REFLECTION, status="complete"))
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
        store.interviews.insert(make_interview(FULL_ANSWERS, reflection=FULL_REFLECTION, status="complete"))
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
    return make_three_calls()


def test_org_report_compares_calls(three_calls) -> None:
    report = build_org_report("St Mary's Health", list(reversed(three_calls)), CONTENT)
    assert [c.id for c in report.calls] == ["call01", "call02", "call03"]
    rows = {d.domain_id: (d.levels, d.disagree, d.change) for d in report.domains}
    assert rows["direction"] == (["low", "strong", "partial"], True, "low → partial")
    assert rows["ideas"] == (["low", "unknown", "strong"], True, "low → strong")
    assert rows["will"] == (["unknown", "unknown", "unknown"], None, "—")  # nothing to compare
    assert [c.overall_source for c in report.calls][-1] == "reflection verdict"


def test_org_report_with_one_known_level_has_nothing_to_agree_on(run, isolated_home, three_calls) -> None:
    with Store.open(isolated_home) as store:
        store.interviews.insert(three_calls[0])
    report = build_org_report("St Mary's Health", three_calls[:1], CONTENT)
    assert {d.disagree for d in report.domains} == {None}
    data = json.loads(run("report", "--org", "st mary's health", "-f", "json").stdout)
    assert {d["disagree"] for d in data["domains"]} == {None}
    markdown = run("report", "--org", "St Mary's Health", "-f", "markdown").stdout
    assert "| yes |" not in markdown and "| disagree |" not in markdown
    assert "| 1. Set and Champion Direction | low † | — | — |" in markdown


def test_org_report_through_the_cli(run, isolated_home, three_calls) -> None:
    with Store.open(isolated_home) as store:
        for call in three_calls:
            store.interviews.insert(call)
        store.interviews.insert(make_interview(interview_id="other1", organization="Other Trust"))
    data = json.loads(run("report", "--org", "st mary's health", "-f", "json").stdout)
    assert [c["id"] for c in data["calls"]] == ["call01", "call02", "call03"]
    partial_name = json.loads(run("report", "--org", "mary", "-f", "json").stdout)
    assert partial_name == data
    table = run("report", "--org", "St Mary's Health").stdout
    assert "disagree" in table
    assert "low → partial" in table
    markdown = run("report", "--org", "St Mary's Health", "-f", "markdown").stdout
    assert (
        "| 1. Set and Champion Direction | low † | strong † | partial † | disagree | low → partial |"
        in markdown
    )
    unknown = run("report", "--org", "Nobody")
    assert unknown.exit_code == 1
    assert "no interviews with an organization called 'Nobody'" in unknown.stderr
    assert run("report", "--org", "t", "-f", "json").exit_code == 2  # matches both organizations


def test_the_example_answers_file_imports_and_reports(run) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "call-notes.yaml"
    imported = run("interview", "--answers", str(example))
    assert imported.exit_code == 0, imported.output
    report = run("report")
    assert "St Mary's Health (example)" in report.stdout
    assert "Overall: moderate (reflection verdict)" in report.stdout
