"""Every output says what is the report's words and what is leadcli's own reading (marked †)."""

from __future__ import annotations

import csv
import html
import io
import json

from rich.console import Console

from leadcli.assessment.report import build_report
from leadcli.render.report.html import report_html
from leadcli.render.report.markdown import report_markdown
from leadcli.render.report.terminal import report_view
from leadcli.render.wording import LEGEND, MARK
from tests.reports_helpers import CONTENT, FULL_ANSWERS, FULL_REFLECTION, make_interview

WSQ_STEER = "the leadership framework provides a starting place"


def _report():
    interview = make_interview(FULL_ANSWERS, reflection=FULL_REFLECTION, status="complete")
    return build_report(interview, CONTENT)


def _terminal(renderable) -> str:
    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_report_marks_levels_reasons_and_inferred_names_in_every_format() -> None:
    report = _report()
    names = [r.name for r in report.recommendations]
    assert "Health Improvement Alliance Europe" in names and "Deep Engagement: Whole System Quality" in names
    for output in (
        _terminal(report_view(report)),
        report_markdown(report),
        html.unescape(report_html(report)),
    ):
        assert "Health Improvement Alliance Europe (name inferred †)" in output
        assert f"Level {MARK}" in output
        assert LEGEND in output
        assert "the report does not map offerings to domains" in output
        assert "leadcli's own reading of the evidence" in output
        assert "counts the United Kingdom, Germany" in output
        assert WSQ_STEER in output and "VII. Conclusions and Recommendations" in output
    markdown = report_markdown(report)
    reasons = [line for line in markdown.splitlines() if line[:2] in {"1.", "2.", "3."}]
    assert reasons and all(line.endswith(MARK) for line in reasons)


def test_overall_reading_is_marked_only_when_it_is_leadclis() -> None:
    without_verdict = build_report(make_interview(FULL_ANSWERS), CONTENT)
    assert f"(assessment's reading) {MARK}" in report_markdown(without_verdict)
    assert "(reflection verdict) †" not in report_markdown(_report())


def test_json_report_carries_the_notes_and_the_reports_words() -> None:
    from leadcli.render.data import dump_json

    data = json.loads(dump_json(_report()))
    assert any("leadcli's own reading" in note for note in data["leadcli_notes"])
    wsq = next(r for r in data["recommendations"] if r["offering_id"] == "whole-system-quality")
    assert WSQ_STEER in wsq["report_says"]
    hia = next(r for r in data["recommendations"] if r["offering_id"] == "health-improvement-alliance-europe")
    assert hia["name_inferred"] is True


def test_framework_marks_summaries_and_quotes_signals(run) -> None:
    detail = run("framework", "--detail").stdout
    assert "Signs of commitment, in the report's words" in detail
    assert "Sharing of ideas does not happen by accident." in detail
    assert LEGEND in detail
    assert "2006" not in detail
    summary = CONTENT.framework.domains[0].summary.split()[0]
    markdown = run("framework", "--detail", "-f", "markdown").stdout
    assert f"{MARK}\n" in markdown and summary in markdown and LEGEND in markdown
    assert "- “" in markdown  # each signal quoted
    data = json.loads(run("framework", "-f", "json").stdout)
    assert "leadcli's own" in data["summary_note"]
    assert all(s["place"].startswith("V. Results") for d in data["domains"] for s in d["signals"])


def test_questions_show_draft_status_cues_as_leadclis_and_point_to_evaluate(run) -> None:
    for fmt in ("table", "markdown"):
        out = run("questions", "-f", fmt).stdout
        assert "(draft)" in out
        assert "tested by personnel at IHI" in out
        assert "leadcli evaluate" in out
        assert "help us (IHI) consider" in out
        assert "the IHI team should reflect" in out
        cue = CONTENT.questions.questions[0].cues[0].text
        assert f"{cue} {MARK}" in out
        assert LEGEND in out
    rows = list(csv.DictReader(io.StringIO(run("questions", "-f", "csv").stdout)))
    assert rows[0]["cue_by_leadcli"] and rows[0]["guidance"].startswith("Listen to understand")


def test_offerings_say_what_is_leadclis_and_keep_the_reports_notes(run) -> None:
    table = run("offerings").stdout
    assert "(name inferred †)" in table and "USD" not in table
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(run("offerings", "-f", "csv").stdout))}
    assert rows["leading-organizing-change"]["audience_note"] == "OS students primarily"
    assert rows["fellowship"]["region_note"] == "hosted in United States"
    assert rows["whole-system-quality"]["type"] == "Consulting; results-generating"
    assert rows["diagnostics"]["description"].startswith("Learn about your organization")
    assert rows["diagnostics"]["domains_by_leadcli"]
    consulting = json.loads(run("offerings", "--type", "consulting", "-f", "json").stdout)
    assert {"whole-system-quality", "diagnostics"} <= {o["id"] for o in consulting["offerings"]}
    detail = run("offerings", "show", "whole-system-quality").stdout
    assert MARK in detail and LEGEND in detail
    assert "the report does not map them" in " ".join(run("offerings", "--help").stdout.split())
    catalog = json.loads(run("offerings", "-f", "json").stdout)
    assert catalog["count"] == 10
