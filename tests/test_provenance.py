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
        assert f"strong {MARK}" in output and f"unknown {MARK}" in output  # leadcli's levels, marked
        flat = " ".join(output.split())
        # cue texts: leadcli's wording marked, the guidance's own words not
        assert f"Who is involved in deciding quality priorities {MARK}" in flat
        assert "How leadership does quality planning;" in flat
        assert "How leadership does quality planning †" not in flat
        assert f"(2019 list price {MARK})" in flat and "per organization" in flat
        assert "dating the prices to 2019 (the report's date) are leadcli's readings" in flat
        assert LEGEND in output
        assert "the report does not map offerings to domains" in output
        assert "leadcli's own reading of the evidence" in output
        assert "counts the United Kingdom, Germany" in output
        assert WSQ_STEER in output and "VII. Conclusions and Recommendations" in output
        assert "“Health Improvement Alliance Europe” is leadcli's inference" in output.replace("\\_", "_")
    from leadcli.render.data import dump_json

    data = json.loads(dump_json(report))  # the JSON says it too, as offerings and summary do
    assert any(
        "“Health Improvement Alliance Europe” is leadcli's inference" in n for n in data["leadcli_notes"]
    )
    markdown = report_markdown(report)
    reasons = [line for line in markdown.splitlines() if line[:2] in {"1.", "2.", "3."}]
    assert reasons and all(line.endswith(MARK) for line in reasons)


def test_the_interviewers_levels_and_proposals_are_labelled_theirs_in_every_format() -> None:
    from dataclasses import replace

    from leadcli.render.data import dump_json

    reflection = replace(FULL_REFLECTION, domain_levels={"will": "partial"}, proposed=["diagnostics"])
    report = build_report(make_interview(FULL_ANSWERS, reflection=reflection, status="complete"), CONTENT)
    for output in (
        _terminal(report_view(report)),
        report_markdown(report),
        html.unescape(report_html(report)),
    ):
        flat = " ".join(output.split())
        assert "(the interviewer's;" in flat  # the terminal's table may wrap the rest of the cell
        assert "Diagnostics" in flat and "proposed by the interviewer" in flat
    for output in (report_markdown(report), html.unescape(report_html(report))):
        assert f"partial (the interviewer's; leadcli {MARK}: unknown)" in output
    data = json.loads(dump_json(report))
    will = next(d for d in data["assessment"]["domains"] if d["domain_id"] == "will")
    assert (will["level"], will["level_by"], will["reading"]) == ("partial", "interviewer", "unknown")
    assert data["recommendations"][0]["proposed_by"] == "interviewer"


def test_the_html_report_says_first_what_it_is() -> None:
    page = html.unescape(report_html(_report()))
    body = page[page.index("<body>") :]
    first = body[: body.index("<h1>")]
    assert "An assessment by leadcli, using Institute for Healthcare Improvement (IHI)'s" in first
    assert "Leadership Framework for Quality (draft, 2019 report)" in first
    chart = page[page.index('class="chart"') : page.index('<table class="domains"')]
    assert f"strong {MARK}</span>" in chart  # the chart's levels are marked too


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
    assert hia["name_inferred"] is True and hia["prices_as_of"] == "2019"
    assert any("dating the prices to 2019" in note for note in data["leadcli_notes"])
    # cue texts stay as worded; `words` says whose: the guidance's own, or leadcli's (†)
    heard = {c["text"]: c["words"] for q in data["questions"] for c in q["cues_heard"]}
    assert heard["How leadership does quality planning"] == "report"
    assert heard["Who is involved in deciding quality priorities"] == "leadcli"
    assert not any(text.endswith(MARK) for text in heard)


def test_framework_marks_summaries_and_quotes_stakeholder_views(run) -> None:
    detail = run("framework", "--detail").stdout
    assert "Signs of commitment" not in detail
    assert "What the institute's stakeholders said leaders need" in " ".join(detail.split())
    assert "Sharing of ideas does not happen by accident." in detail
    assert LEGEND in detail
    assert "2006" not in detail
    summary = CONTENT.framework.domains[0].summary.split()[0]
    markdown = run("framework", "--detail", "-f", "markdown").stdout
    assert f"{MARK}\n" in markdown and summary in markdown and LEGEND in markdown
    assert "- “" in markdown  # each signal quoted
    data = json.loads(run("framework", "-f", "json").stdout)
    assert data["schema_version"] == 2  # 2: `stakeholder_views` (were `signals`)
    assert "signals" not in data["domains"][0]
    assert "leadcli's own" in data["summary_note"]
    assert all(s["place"].startswith("V. Results") for d in data["domains"] for s in d["stakeholder_views"])


def test_questions_show_draft_status_cues_as_leadclis_and_point_to_evaluate(run) -> None:
    for fmt in ("table", "markdown"):
        out = run("questions", "-f", fmt).stdout
        flat = " ".join(out.split())
        assert f"(draft {MARK})" in out
        assert "“draft” is leadcli's label" in flat
        assert "tested by personnel at IHI" in out
        assert "Deliverable 3" in out  # where the sentence stands: not Appendix A
        assert "leadcli evaluate" in out
        assert "help us (IHI) consider" in out
        assert "the IHI team should reflect" in out
        theirs = CONTENT.questions.questions[0].cues[0].text  # the guidance's own words
        ours_ = CONTENT.questions.questions[0].cues[1].text  # leadcli's wording
        assert f"{theirs} {MARK}" not in out and theirs in out
        assert f"{ours_} {MARK}" in out
        assert "topic" in out and "concern" in out and "strength" in out
        assert LEGEND in out
    rows = list(csv.DictReader(io.StringIO(run("questions", "-f", "csv").stdout)))
    assert rows[0]["cue"] and rows[0]["guidance"].startswith("Listen to understand")
    assert (rows[0]["cue_words"], rows[0]["cue_kind_by_leadcli"]) == ("report", "topic")
    assert (rows[1]["cue_words"], rows[4]["cue_kind_by_leadcli"]) == ("leadcli", "concern")
    data = json.loads(run("questions", "-f", "json").stdout)
    assert data["schema_version"] == 2 and "status_note" not in data  # 2: the report's words named so
    assert (
        data["status_quote"]["place"].startswith("V. Results")
        and "tested by personnel at IHI" in (data["status_quote"]["quote"])
    )
    assert "leadcli's label" in data["status_label_note"]
    cue = data["questions"][0]["cues"][0]
    assert (cue["kind"], cue["words"]) == ("topic", "report")


def test_offerings_say_what_is_leadclis_and_keep_the_reports_notes(run) -> None:
    table = run("offerings").stdout
    assert "(name inferred †)" in table and "USD" not in table
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(run("offerings", "-f", "csv").stdout))}
    assert rows["leading-organizing-change"]["audience_quote"] == "OS students primarily"
    assert rows["fellowship"]["region_quote"] == "hosted in United States"
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


def _org_report():
    from dataclasses import replace

    from leadcli.assessment.report import build_org_report
    from leadcli.store.records import Reflection
    from tests.reports_helpers import make_three_calls

    calls = make_three_calls()
    calls[2] = replace(calls[2], reflection=Reflection(verdict="strong", domain_levels={"direction": "low"}))
    return build_org_report("St Mary's Health", calls, CONTENT)


def test_org_report_marks_leadclis_levels_agreement_and_change_in_every_format() -> None:
    from leadcli.render.data import dump_json
    from leadcli.render.report.markdown import org_report_markdown
    from leadcli.render.report.terminal import org_report_view
    from leadcli.render.wording import ORG_KEY

    report = _org_report()
    direction = next(d for d in report.domains if d.domain_id == "direction")
    assert direction.levels_by == ["leadcli", "leadcli", "interviewer"]
    assert direction.levels[2] == "low"  # the interviewer's level stands over leadcli's reading
    # the terminal: one row per call; the level columns' headings carry †, the interviewer's own *
    terminal = _terminal(org_report_view(report))
    lines = terminal.splitlines()
    header = next(line for line in lines if line.startswith("Date"))
    assert header.split() == ["Date", "Call", "1†", "2†", "3†", "4†", "5†", "Overall†", "People"]
    call03 = next(line for line in lines if " call03 " in line).split()
    assert call03[2] == "low*" and call03[7] == "strong*"  # the interviewer's level and verdict
    call01 = next(line for line in lines if " call01 " in line).split()
    assert call01[2] == direction.levels[0] and call01[7] == report.calls[0].overall  # leadcli's
    flat = " ".join(terminal.split())
    assert f"Agree? {MARK}" in terminal and f"Change {MARK}" in terminal and LEGEND in terminal
    assert "except those marked *: the interviewer's own" in flat
    # Markdown: every level marked, † or *
    markdown = org_report_markdown(report)
    assert f"| 1. Set and Champion Direction | {direction.levels[0]} {MARK} |" in markdown
    assert "low \\*" in markdown and "strong \\*" in markdown  # the interviewer's, * escaped
    assert f"{report.calls[0].overall} {MARK}" in markdown  # leadcli's overall reading
    assert f"Agree? {MARK}" in markdown and f"Change {MARK}" in markdown and LEGEND in markdown
    assert " ".join(ORG_KEY.split()[:6]) in " ".join(markdown.split())
    for output in (terminal, markdown):
        for domain in CONTENT.framework.domains:  # the framework's titles are the report's words
            assert f"{domain.title} {MARK}" not in output and f"{domain.title}{MARK}" not in output
    data = json.loads(dump_json(report))
    assert data["domains"][0]["levels_by"] == ["leadcli", "leadcli", "interviewer"]
    assert any("leadcli's reading" in note for note in data["leadcli_notes"])
    assert any("leadcli's own reading of the evidence" in note for note in data["leadcli_notes"])


HIA = "Health Improvement Alliance Europe"


def test_offerings_list_has_the_legend_the_price_date_and_the_notes_in_every_format(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # each name on one line of its cell
    for fmt in ("table", "markdown"):
        out = run("offerings", "-f", fmt).stdout
        flat = " ".join(out.replace("*", "").split())
        assert f"{HIA} (name inferred {MARK})" in out and LEGEND in flat
        assert f"reading them as 2019 list prices in US dollars is leadcli's {MARK}" in flat
        assert f"The name “{HIA}” is leadcli's inference" in flat
        assert "\\n" not in out  # lines break in the cells, never a literal \n
        for theirs in ("Diagnostics", "Global", "Fellowship Program", "$549"):  # the report's words
            assert theirs in out and f"{theirs} {MARK}" not in out
    data = json.loads(run("offerings", "-f", "json").stdout)
    assert data["schema_version"] == 2 and data["prices_as_of"] == "2019"
    notes = " ".join(data["leadcli_notes"])
    assert "US dollars (USD)" in notes and "dating the prices to 2019" in notes
    assert (
        "the report does not map offerings to domains" in notes and f"“{HIA}” is leadcli's inference" in notes
    )
    fellowship = next(o for o in data["offerings"] if o["id"] == "fellowship")
    assert fellowship["region_quote"] == "hosted in United States" and "region_note" not in fellowship
    wsq = next(o for o in data["offerings"] if o["id"] == "whole-system-quality")
    assert wsq["price"]["quote"] == "Plus Added Training" and "note" not in wsq["price"]
    rows = list(csv.DictReader(io.StringIO(run("offerings", "-f", "csv").stdout)))
    assert {r["prices_as_of_by_leadcli"] for r in rows} == {"2019"}
    assert {r["currency_by_leadcli"] for r in rows} == {"USD"}


def test_offerings_show_carries_the_legend_the_price_date_and_the_notes_in_every_format(run) -> None:
    for fmt in ("table", "markdown"):
        out = run("offerings", "show", "health-improvement", "-f", fmt).stdout
        flat = " ".join(out.replace("*", "").split())
        assert f"(2019 list price {MARK})" in flat and LEGEND in flat
        assert "US dollars (USD)" in flat and "the report does not map offerings to domains" in flat
        assert f"“{HIA}” is leadcli's inference" in flat
        assert "Europe; Canada" in out and f"Europe; Canada {MARK}" not in out  # the report's regions
    data = json.loads(run("offerings", "show", "health-improvement", "-f", "json").stdout)
    assert data["schema_version"] == 2 and data["id"] == "health-improvement-alliance-europe"
    assert data["name_inferred"] is True and data["prices_as_of"] == "2019"
    assert any(f"“{HIA}” is leadcli's inference" in n for n in data["leadcli_notes"])
    assert any("US dollars (USD)" in n for n in data["leadcli_notes"])
    plain = json.loads(run("offerings", "show", "diagnostics", "-f", "json").stdout)
    assert not any("inference" in n for n in plain["leadcli_notes"])  # its name is the report's
    (row,) = csv.DictReader(io.StringIO(run("offerings", "show", "diagnostics", "-f", "csv").stdout))
    assert row["prices_as_of_by_leadcli"] == "2019" and row["domains_by_leadcli"] == "direction;will"


def test_region_and_domain_results_say_they_rest_on_leadclis_readings(run) -> None:
    for fmt in ("table", "markdown"):
        by_domain = " ".join(run("offerings", "--domain", "will", "-f", fmt).stdout.replace("*", "").split())
        assert f"by domain: leadcli's mapping of offerings to domains {MARK}" in by_domain
        assert "the report does not map offerings to domains" in by_domain
        assert "leadcli's reading of places" not in by_domain  # not filtered by region
        by_region = " ".join(
            run("offerings", "--region", "Germany", "-f", fmt).stdout.replace("*", "").split()
        )
        assert f"by region: leadcli's reading of places {MARK}" in by_region
        assert "leadcli counts the United Kingdom, Germany" in by_region
        assert "by domain" not in by_region
        everything = " ".join(run("offerings", "-f", fmt).stdout.split())
        assert "by region" not in everything and "by domain" not in everything
    data = json.loads(run("offerings", "--domain", "will", "--region", "Germany", "-f", "json").stdout)
    assert data["filters"]["domain"] == "will" and data["filters"]["region"] == "Germany"
    notes = " ".join(data["leadcli_notes"])
    assert (
        "the report does not map offerings to domains" in notes
        and "leadcli counts the United Kingdom" in notes
    )
    rows = list(csv.DictReader(io.StringIO(run("offerings", "--domain", "will", "-f", "csv").stdout)))
    assert rows and all("will" in r["domains_by_leadcli"].split(";") for r in rows)


def test_the_live_question_screen_shows_no_stakeholder_views() -> None:
    """The stakeholders' views are for `framework --detail` and `reflect`, not the question screen
    (at 40 columns they pushed the question itself off the screen; on question 4 they were off-topic)."""
    from leadcli.render.interview.terminal import question_view

    views = [v.quote for d in CONTENT.framework.domains for v in d.stakeholder_views]
    assert views
    questions = CONTENT.questions.questions
    for index, question in enumerate(questions):
        console = Console(width=40, file=io.StringIO(), color_system=None)
        console.print(question_view(question, index, len(questions), None))
        flat = " ".join(console.file.getvalue().split())  # type: ignore[attr-defined]
        assert "stakeholders" not in flat and not any(" ".join(v.split()[:6]) in flat for v in views)
        assert " ".join(question.prompts[0].split()[:4]) in flat


def test_show_marks_leadclis_cue_wordings_and_labels_the_interviewers_levels(
    run, isolated_home, monkeypatch
) -> None:
    from dataclasses import replace

    from leadcli.store.db import Store

    monkeypatch.setenv("COLUMNS", "200")
    reflection = replace(
        FULL_REFLECTION, domain_levels={"will": "unknown", "ideas": "low"}, proposed=["diagnostics"]
    )
    with Store.open(isolated_home) as store:
        store.interviews.insert(make_interview(FULL_ANSWERS, reflection=reflection, status="complete"))
    out = run("show", "fixed1").stdout
    flat = " ".join(out.split())
    # a topic judged + reads as `report` writes it: the judgement is the sign, never glued on the text
    assert (
        f"Heard: + How leadership does quality planning; + Who is involved in deciding quality priorities {MARK} "
        in flat
    )
    assert "planning+" not in flat and f"{MARK}+" not in flat
    assert f"How leadership does quality planning {MARK}" not in flat
    assert "Levels (the interviewer's): will don't know, ideas low" in flat
    assert "Proposed (the interviewer's): diagnostics" in flat
    assert LEGEND in flat and "kinds and † wordings are leadcli's" in flat


def test_every_report_format_keys_the_cue_kinds_as_leadclis() -> None:
    """The +/−/± signs and the Strengths heard / Concerns heard columns are leadcli's classification:
    every format says so, in the one wording `show` and `questions` use, and the JSON notes too."""
    from leadcli.render.data import dump_json
    from leadcli.render.wording import KINDS_KEY

    report = _report()
    for output in (
        _terminal(report_view(report)),
        report_markdown(report),
        html.unescape(report_html(report)),
    ):
        assert KINDS_KEY in " ".join(output.split())
    notes = json.loads(dump_json(report))["leadcli_notes"]
    assert any("a cue's kind (strength, concern or topic)" in " ".join(n.split()) for n in notes)


def test_not_recommended_reasons_about_regions_are_marked_in_every_format() -> None:
    interview = make_interview(FULL_ANSWERS, reflection=FULL_REFLECTION, status="complete")
    report = build_report(interview, CONTENT, include_passed=True)
    region = "not offered in United Kingdom (offered in United States)"
    assert any(region in "; ".join(p.reasons) for p in report.passed_over or [])
    for output in (
        _terminal(report_view(report)),
        report_markdown(report),
        html.unescape(report_html(report)),
    ):
        flat = " ".join(output.split())
        assert f"{region} {MARK}" in flat


def test_the_questions_legend_names_the_listening_cues_once(run) -> None:
    for fmt in ("table", "markdown"):
        flat = " ".join(run("questions", "-f", fmt).stdout.split())
        assert "Listening cues are leadcli's split" in flat
        assert "Listening cues: Listening cues" not in flat


def test_the_html_chart_and_its_key_name_the_interviewers_levels_alike() -> None:
    from dataclasses import replace

    reflection = replace(FULL_REFLECTION, domain_levels={"will": "partial"})
    report = build_report(make_interview(FULL_ANSWERS, reflection=reflection, status="complete"), CONTENT)
    page = html.unescape(report_html(report))
    chart = page[page.index('class="chart"') : page.index('<table class="domains"')]
    assert "(theirs)" not in page
    assert "(the interviewer's) the interviewer's own" in chart  # the aria-label
    # the bar's level, with leadcli's beside it as in the table (the bar is leadcli's: empty here)
    assert "partial (the interviewer's; leadcli †: unknown)</span>" in chart
    assert "levels marked (the interviewer's) are the interviewer's own" in page  # the key
