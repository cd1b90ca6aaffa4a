"""The HTML report on a phone and on paper: no sideways scrolling at 360 px (measured in headless
Chromium), the domain section on the first printed page, readable colours, line breaks kept."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from leadcli.render.report.html import CSS, LEVEL_COLOUR
from tests.reports_helpers import CONTENT

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed (.ci/run installs it)", pytrace=False)
        pytest.skip(f"{program} is not installed")
    return found


def _chromium(tmp_path: Path, *args: str) -> str:
    browser = _need("chromium")
    done = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.stdout


@pytest.fixture
def report_page(run, tmp_path: Path) -> str:
    imported = run("interview", "--answers", "examples/call-notes.yaml")
    assert imported.exit_code == 0, imported.output
    result = run("report", imported.stdout.strip(), "-f", "html")
    assert result.exit_code == 0, result.output
    return result.stdout


def _width_at(tmp_path: Path, page: str, width: int) -> tuple[int, int]:
    """The page's scroll width and visible width in a frame `width` CSS pixels wide.

    Headless Chromium's window is never narrower than 500 px, so the page goes in a frame of the
    wanted width (srcdoc: same origin, so the wrapper can measure it)."""
    wrapper = tmp_path / "wrapper.html"
    wrapper.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head><body style="margin:0">'
        f'<iframe id="f" style="border:0" width="{width}" height="800" srcdoc="{html.escape(page)}"></iframe>'
        '<script>window.addEventListener("load", function () {'
        ' var d = document.getElementById("f").contentDocument.documentElement;'
        ' document.title = "W=" + d.scrollWidth + " C=" + d.clientWidth; });</script></body></html>',
        encoding="utf-8",
    )
    dom = _chromium(tmp_path, "--window-size=800,900", "--dump-dom", wrapper.as_uri())
    found = re.search(r"<title>W=(\d+) C=(\d+)</title>", dom)
    assert found, dom[:500]
    return int(found[1]), int(found[2])


@pytest.mark.parametrize("width", [360, 390])
def test_no_sideways_scrolling_on_a_phone(tmp_path: Path, report_page: str, width: int) -> None:
    scroll, visible = _width_at(tmp_path, report_page, width)
    assert scroll <= visible, f"the page is {scroll} px wide in a {visible} px screen"


def test_a_long_unbroken_name_does_not_widen_the_page(run, tmp_path: Path) -> None:
    answers = Path("examples/call-notes.yaml").read_text(encoding="utf-8")
    long_name = "Saint-" + "Mary" * 40 + "-Hospital"
    (tmp_path / "long.yaml").write_text(
        re.sub(r"(?m)^organization: .*$", f"organization: {long_name}", answers), encoding="utf-8"
    )
    imported = run("interview", "--answers", str(tmp_path / "long.yaml"))
    assert imported.exit_code == 0, imported.output
    page = run("report", imported.stdout.strip(), "-f", "html").stdout
    scroll, visible = _width_at(tmp_path, page, 360)
    assert scroll <= visible


def test_the_first_printed_page_holds_the_domains(tmp_path: Path, report_page: str) -> None:
    pdftotext = _need("pdftotext")
    source = tmp_path / "report.html"
    source.write_text(report_page, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri())
    first = subprocess.run(
        [pdftotext, "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "Leadership commitment by framework domain" in first
    assert "1. Set and Champion Direction" in first


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("background", ["#ffffff", "#f5f5f5", "#fafafa"])
def test_every_colour_has_a_contrast_of_at_least_4_5(background: str) -> None:
    text_colours = {*LEVEL_COLOUR.values(), *re.findall(r"(?<![-\w])color: (#[0-9a-f]{6})", CSS)}
    assert text_colours
    for colour in text_colours:
        assert _contrast(colour, background) >= 4.5, (colour, background)


def test_the_chart_keeps_every_domain_title_whole(report_page: str) -> None:
    chart = report_page[report_page.index('class="chart"') : report_page.index('<table class="domains"')]
    for domain in CONTENT.framework.domains:
        assert f"{domain.number}. {html.escape(domain.title)}" in chart
    assert "<svg" not in report_page  # bars are HTML and CSS: they shrink with the screen


def test_reflection_answers_and_follow_ups_keep_their_line_breaks(run, tmp_path: Path) -> None:
    answers = Path("examples/call-notes.yaml").read_text(encoding="utf-8")
    answers = answers.replace(
        "  fit: Partly. They want results quickly, which fits a diagnostic first.\n",
        "  fit: |-\n    Partly.\n    A diagnostic first.\n",
    ).replace("{text: Send a Diagnostics proposal,", '{text: "Send a proposal\\nand a price",')
    (tmp_path / "lines.yaml").write_text(answers, encoding="utf-8")
    imported = run("interview", "--answers", str(tmp_path / "lines.yaml"))
    assert imported.exit_code == 0, imported.output
    page = run("report", imported.stdout.strip(), "-f", "html").stdout
    assert '<p class="answer">Partly.\nA diagnostic first.</p>' in page
    assert '<li class="answer">Send a proposal\nand a price' in page
    assert ".notes, .answer { white-space: pre-wrap; }" in CSS
