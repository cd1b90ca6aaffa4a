"""Hostile text (terminal escapes, bidi overrides, markup, Markdown, HTML) prints literally everywhere."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from leadcli.assessment.report import build_org_report, build_report
from leadcli.errors import ContentError
from leadcli.render.markdown import block, inline
from leadcli.render.report.html import report_html
from leadcli.render.report.markdown import org_report_markdown, report_markdown
from leadcli.store.db import Store
from leadcli.store.records import Contact, FollowUp, Reflection, Snapshot
from leadcli.untrusted import clean_data, clean_input, json_escaped, visible
from tests.reports_helpers import CONTENT, make_interview

# What a terminal would obey: clear screen, set the title, an OSC-8 link, 8-bit CSI, bidi override.
ESCAPES = (
    "\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\ \x9b31m \u202eeviL\u202c"
)
MARKUP = "[bold red]x[/] :smile: `code` *em* _em_ <b>html</b> &lt;entity&gt; [link](http://x.example)"
# Every Markdown block construct at a line start, and indentation that would make a code block.
BLOCKS = "~~~\n```\n===\n---\n1) one\n2. two\n    # indented\n+ plus\n> quote\n<div>\n| a | b |"
HOSTILE = f"{ESCAPES} {MARKUP}\n{BLOCKS}"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile_interview(interview_id: str = "evil01", created_at: str = "2026-11-02T10:00:00+00:00"):
    questions = list(CONTENT.questions.questions)
    questions[0] = dataclasses.replace(questions[0], category=f"Planning {ESCAPES} {MARKUP}")
    interview = make_interview(
        {
            questions[0].id: (HOSTILE, [], "strong"),
            questions[1].id: (f"second {HOSTILE}", [], "low"),
        },
        interview_id=interview_id,
        organization=f"Org {ESCAPES} {MARKUP}",
        contacts=[Contact(name=f"Ana {ESCAPES}", role=f"CEO {MARKUP}", level="executive")],
        region=f"United Kingdom {ESCAPES}",
        created_at=created_at,
        reflection=Reflection(
            fit=HOSTILE,
            concerns=f"~~~\n{MARKUP}",
            gaps="===",
            verdict="moderate",
            follow_ups=[
                FollowUp(text=f"Send {HOSTILE}", owner=f"Kim {ESCAPES}", due="2020-01-15"),
                FollowUp(text="~~~", owner="1) Lee", due="2020-02-01"),
            ],
        ),
        status="complete",
    )
    interview.snapshot = Snapshot(questions=questions, reflection=interview.snapshot.reflection)
    return dataclasses.replace(interview, interviewer=f"Kim {ESCAPES}")


@pytest.fixture
def hostile_store(isolated_home: Path) -> Path:
    with Store.open(isolated_home) as store:
        store.interviews.insert(hostile_interview())
        store.interviews.insert(hostile_interview("evil02", "2026-11-03T10:00:00+00:00"))
    return isolated_home


def assert_literal(output: str) -> None:
    assert not RAW_CONTROL.search(output), repr(RAW_CONTROL.search(output))
    assert "\\x1b" in output
    assert "\\u202e" in output
    assert "\\x9b" in output
    assert "…" not in output  # nothing cropped


def test_visible_shows_controls_and_keeps_lines() -> None:
    assert visible("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert visible("\x00\x07\x7f\x9b") == "\\x00\\x07\\x7f\\x9b"
    assert visible("\u202eabc\u2066") == "\\u202eabc\\u2066"
    assert visible("one\n\ttwo\r\nthree") == "one\n\ttwo\nthree"
    assert visible("lone \r cr") == "lone \\r cr"
    assert visible("one\ntwo\tx", lines=False) == "one\\ntwo\\tx"
    assert visible("\ud800") == "\\ud800"
    plain = "nothing to see: ümlaut, 中文, emoji 😀"
    assert visible(plain) is plain


def test_json_keeps_data_but_spells_raw_controls_as_escapes() -> None:
    value = {"note": "\x9b31m \u202e x \x1b"}
    dumped = json_escaped(json.dumps(value, ensure_ascii=False))
    assert not RAW_CONTROL.search(dumped)
    assert json.loads(dumped) == value


def test_nul_is_dropped_on_input_and_nothing_else() -> None:
    assert clean_input("a\x00b\x1b") == "ab\x1b"
    assert clean_data({"k\x00": ["x\x00", 1, {"y": "\x00z"}]}) == {"k": ["x", 1, {"y": "z"}]}


def test_nul_typed_at_the_prompt_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    from leadcli import prompting

    monkeypatch.setattr("builtins.input", lambda prompt: "notes\x00 here")
    assert prompting.ask("> ") == "notes here"


def test_nul_in_answers_file_and_import_is_dropped(run, tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(
        'organization: "Acme\\0 Trust"\ninterviewer: Kim\n'
        'answers:\n  quality-planning:\n    notes: "one\\0two \\e[2J"\n',
        encoding="utf-8",
    )
    assert run("interview", "--answers", str(answers)).exit_code == 0
    record = json.loads(run("export").stdout)["interviews"][0]
    assert record["organization"] == "Acme Trust"
    assert record["answers"]["quality-planning"]["notes"] == "onetwo \x1b[2J"  # ESC kept, shown on output
    exported = json.loads(run("export").stdout)
    exported["interviews"][0]["organization"] = "Imported\x00 Org"
    exported["interviews"][0]["id"] = "abcdef"
    run("delete", record["id"], "--yes")
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(exported), encoding="utf-8")
    assert run("import", str(backup)).exit_code == 0
    assert json.loads(run("list", "-f", "json").stdout)["interviews"][0]["organization"] == "Imported Org"


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("list", "-f", "csv"),
        ("list", "-f", "json"),
        ("show", "evil01"),
        ("show", "evil01", "-f", "json"),
        ("report", "evil01"),
        ("report", "evil01", "-f", "markdown"),
        ("report", "evil01", "-f", "html"),
        ("report", "evil01", "-f", "json"),
        ("report", "--org", "org"),
        ("report", "--org", "org", "-f", "markdown"),
        ("summary",),
        ("summary", "-f", "json"),
    ],
)
def test_no_control_character_reaches_the_terminal(run, hostile_store, args) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output
    if "json" in args:
        assert not RAW_CONTROL.search(result.stdout)
        return
    assert_literal(result.stdout)


@pytest.mark.parametrize("args", [("list",), ("show", "evil01"), ("report", "evil01"), ("summary",)])
def test_terminal_output_prints_markup_and_emoji_codes_literally(run, hostile_store, args) -> None:
    output = run(*args).stdout
    assert "[bold red]x[/]" in output
    assert ":smile:" in output
    assert "😄" not in output


def test_stderr_messages_show_controls(run, hostile_store) -> None:
    result = run("show", "\x1b[2Jnope\u202e")
    assert result.exit_code == 1
    assert not RAW_CONTROL.search(result.stderr)
    assert "\\x1b[2Jnope\\u202e" in result.stderr
    result = run("offerings", "--region", "Nowhere\x1b]0;title\x07")
    assert not RAW_CONTROL.search(result.stderr)
    assert "\\x1b]0;title\\x07" in result.stderr


def test_content_error_heading_names_the_file_at_fault(run, tmp_path: Path) -> None:
    answers = tmp_path / "notes.yaml"
    answers.write_text(
        "organization: Acme\ninterviewer: Kim\nanswers:\n  nope: {notes: x}\n  nix: {notes: y}\n",
        encoding="utf-8",
    )
    result = run("interview", "--answers", str(answers))
    assert result.exit_code == 1
    assert f"error: 2 problems in the answers file {answers}:\n" in result.stderr
    backup = tmp_path / "backup.json"
    backup.write_text(
        '{"kind": "leadcli-export", "schema_version": 1, "snapshots": {}, "interviews": [1, 2]}'
    )
    result = run("import", str(backup))
    assert f"error: 2 problems in the import file {backup}:\n" in result.stderr
    assert "data files" not in result.stderr
    assert ContentError(["x"]).message == "1 problem in the data files"


def test_a_home_that_is_a_file_is_named_as_such(run, tmp_path: Path) -> None:
    home = tmp_path / "home.txt"
    home.write_text("", encoding="utf-8")
    result = run("--home", str(home), "list")
    assert result.exit_code == 1
    assert f"{home} is a file, not a folder" in result.stderr
    assert "File exists" not in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("offerings",), ("offerings", "-f", "markdown"), ("report",), ("export",)])
def test_a_full_disk_is_one_clear_line(hostile_store, args) -> None:
    with Path("/dev/full").open("w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "leadcli", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("leadcli: error:")]
    assert errors == ["leadcli: error: cannot write output: No space left on device"]
    assert not RAW_CONTROL.search(result.stderr)  # the store's hostile region is shown, not obeyed


def test_org_report_says_1_call_not_1_calls(run, isolated_home) -> None:
    with Store.open(isolated_home) as store:
        store.interviews.insert(make_interview())
    assert "St Mary's Health: 1 call\n" in run("report", "--org", "mary", "-f", "markdown").stdout
    assert "1 call," in run("report", "--org", "mary").stdout


def _tokens(markdown: str) -> list:
    return MarkdownIt("commonmark").enable("table").parse(markdown)


def _flat(tokens: list) -> list:
    out = []
    for token in tokens:
        out.append(token)
        out.extend(_flat(token.children or []))
    return out


def test_markdown_report_keeps_its_structure_with_hostile_text_in_every_field() -> None:
    report = build_report(hostile_interview(), CONTENT, include_passed=True)
    markdown = report_markdown(report)
    tokens = _flat(_tokens(markdown))
    kinds = {t.type for t in tokens}
    # Nothing hostile became code, HTML, a link, an image or emphasis; the only code spans are
    # the commands named in leadcli's own legends and notes (nothing was heard here, so the report
    # says it cannot recommend yet, naming `leadcli reflect` and `--all`).
    assert {t.content for t in tokens if t.type == "code_inline"} <= {"leadcli reflect", "--all"}
    assert not kinds & {
        "fence",
        "code_block",
        "html_block",
        "html_inline",
        "link_open",
        "image",
        "em_open",
    }
    headings = [t for t in tokens if t.type == "heading_open"]
    # The report's own headings and no others: title; domains, heard; a question each; reflection,
    # recommended, not recommended.
    expected = ["h1", "h2", "h2", *["h3"] * len(report.questions), "h2", "h2", "h2"]
    assert report.passed_over
    assert [h.tag for h in headings] == expected
    assert sum(t.type == "hr" for t in tokens) == 0
    # The follow-ups stay a two-item list, each with its owner and date.
    follow_ups = markdown.split("Follow-ups:")[1].split("## Recommended offerings")[0]
    segment = _flat(_tokens(follow_ups))
    assert [t.type for t in segment if t.type.endswith("list_open")] == ["bullet_list_open"]
    assert sum(t.type == "list_item_open" for t in segment) == 2
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "Kim \\x1b[2J" in html
    assert "due 2020-01-15" in html and "due 2020-02-01" in html
    assert "1) Lee, due 2020-02-01" in html
    # The text is all there, literally, line breaks kept as hard breaks.
    assert "&amp;lt;entity&amp;gt;" in html  # the entity shows as typed, not as `<`
    assert "~~~<br />" in html and "===<br />" in html and "1) one<br />" in html
    assert "[bold red]x[/] :smile:" in html
    assert not RAW_CONTROL.search(markdown)


def test_markdown_inline_and_block_render_as_the_text_itself() -> None:
    md = MarkdownIt("commonmark")
    for text in [
        MARKUP,
        "# heading",
        "1) item",
        "   - item",
        "=== ",
        "~~~",
        "&amp; &#35;",
        "a\\b",
        "    code",
    ]:
        rendered = md.render(inline(text))
        assert rendered.startswith("<p>") and rendered.count("<p>") == 1, (text, rendered)
    lines = md.render(block("one\ntwo\n\nthree"))
    assert lines == "<p>one<br />\ntwo</p>\n<p>three</p>\n"


def test_org_markdown_keeps_its_table() -> None:
    interviews = [hostile_interview(), hostile_interview("evil02", "2026-11-03T10:00:00+00:00")]
    markdown = org_report_markdown(build_org_report("Org", interviews, CONTENT))
    tokens = _flat(_tokens(markdown))
    assert sum(t.type == "heading_open" for t in tokens) == 1
    assert sum(t.type == "tr_open" for t in tokens) == len(CONTENT.framework.domains) + 2  # header + overall
    assert not {t.type for t in tokens} & {"fence", "code_block", "html_block", "html_inline", "link_open"}


def test_content_markdown_escapes_data_file_text() -> None:
    from leadcli.render.content.markdown import (
        framework_markdown,
        offering_markdown,
        offerings_markdown,
        questions_markdown,
    )

    offering = dataclasses.replace(
        CONTENT.catalog.offerings[0], name="~~~", description=f"<b>x</b>\n{BLOCKS}"
    )
    domain = dataclasses.replace(CONTENT.framework.domains[0], title="~~~", summary=BLOCKS)
    framework = dataclasses.replace(CONTENT.framework, domains=[domain])
    question = dataclasses.replace(CONTENT.questions.questions[0], category="```", guidance=BLOCKS)
    questions = dataclasses.replace(CONTENT.questions, questions=[question])
    for markdown, headings in [
        (offering_markdown(offering, {}) + offerings_markdown([offering]), 1),
        (framework_markdown(framework, detail=True), 2),
        (questions_markdown(questions, {}), 3),
    ]:
        tokens = _flat(_tokens(markdown))
        assert not {t.type for t in tokens} & {"fence", "code_block", "html_block", "html_inline", "hr"}
        assert sum(t.type == "heading_open" for t in tokens) == headings
        assert not RAW_CONTROL.search(markdown)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_escapes_everything() -> None:
    html = report_html(build_report(hostile_interview(), CONTENT))
    assert not RAW_CONTROL.search(html)
    parsed = _Collector()
    parsed.feed(html)
    assert "b" not in parsed.tags and "div" in parsed.tags  # our own divs only, not the note's <div>
    text = "".join(parsed.text)
    assert "<b>html</b>" in text and "&lt;entity&gt;" in text and "\\x1b[2J" in text


def test_content_views_in_the_terminal_print_data_file_text_literally() -> None:
    import io

    from leadcli.render.content.terminal import (
        framework_tree,
        offering_detail,
        offerings_table,
        questions_view,
    )
    from leadcli.render.plain import console

    offering = dataclasses.replace(CONTENT.catalog.offerings[0], name=ESCAPES, description=MARKUP)
    domain = dataclasses.replace(CONTENT.framework.domains[0], title=ESCAPES, summary=MARKUP)
    question = dataclasses.replace(CONTENT.questions.questions[0], category=ESCAPES, guidance=MARKUP)
    both = ["\\x1b]0;pwned", "[bold red]x[/] :smile:"]
    views = [
        (framework_tree(dataclasses.replace(CONTENT.framework, domains=[domain]), detail=True), both),
        (questions_view(dataclasses.replace(CONTENT.questions, questions=[question])), both),
        (offerings_table([offering]), both[:1]),
        (offering_detail(offering, {}), both),
    ]
    for view, expected in views:
        buffer = io.StringIO()
        console(buffer, width=200).print(view)
        output = buffer.getvalue()
        assert not RAW_CONTROL.search(output)
        assert all(part in output for part in expected), output


def test_sync_status_shows_a_hostile_organization_on_one_line_with_controls_escaped(run, monkeypatch) -> None:
    from leadcli.store.replica import Waiting

    hostile = "Evil\x1b]0;pwn\x07\tX\u200b\nY"
    monkeypatch.setattr(
        "leadcli.services.sync.waiting",
        lambda home: [Waiting("abc234", hostile, 1, 3, True, "2026-12-03T10:00:00+00:00")],
    )
    shown = run("sync", "--status")
    assert shown.exit_code == 0, shown.output
    assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout and "\u200b" not in shown.stdout
    (line,) = shown.stdout.splitlines()
    assert line.split("\t")[0:2] == ["abc234", "Evil\\x1b]0;pwn\\x07\\tX\\u200b\\nY"]


def test_leadclis_own_legends_keep_their_command_spans_as_code(tmp_path) -> None:
    from leadcli.render.markdown import prose
    from leadcli.render.report.html import prose as html_prose

    report = build_report(make_interview(), CONTENT)
    markdown = report_markdown(report)
    assert "\\`" not in markdown  # a backtick of leadcli's own is never shown escaped
    tokens = [t for block in MarkdownIt().parse(markdown) for t in (block.children or [])]
    assert "leadcli reflect" in [t.content for t in tokens if t.type == "code_inline"]
    page = report_html(report)
    assert "<code>leadcli reflect</code>" in page and "`" not in page
    # outside the code spans the text stays literal; an odd backtick is only text
    assert prose("# *a* from `leadcli reflect` <b>") == "\\# \\*a\\* from `leadcli reflect` \\<b\\>"
    assert prose("one ` alone") == "one \\` alone"
    assert html_prose("<b>`x`</b>") == "&lt;b&gt;<code>x</code>&lt;/b&gt;"
