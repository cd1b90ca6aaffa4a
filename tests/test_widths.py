"""Every table fits the terminal: wrapped, never cropped; stacked when narrow. Long notes render whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from leadcli.render.plain import wrap_line
from leadcli.store.db import Store
from leadcli.store.records import Contact, FollowUp, Reflection
from tests.reports_helpers import CONTENT, make_interview

WIDTHS = (40, 80, 200)
ORGANIZATION = "Zanzibar Regional Hospital Trust"


@pytest.fixture
def store_with_calls(isolated_home: Path) -> Path:
    answers = {
        "quality-planning": ("Board sets aims", ["planning-process+"], "strong"),
        "track-record": ("Falls project", ["results-sustained"], "low"),
        "future-vision": ("Looks outward", ["looks-externally"], "partial"),
    }
    reflection = Reflection(
        verdict="moderate", follow_ups=[FollowUp(text="Send proposal", owner="Quentin", due="2020-01-15")]
    )
    with Store.open(isolated_home) as store:
        for n, status in enumerate(("awaiting-reflection", "complete")):
            store.interviews.insert(
                make_interview(
                    answers,
                    interview_id=f"wide0{n}",
                    organization=ORGANIZATION,
                    contacts=[Contact(name="Ximena Quayle", role="Chief Executive", level="executive")],
                    reflection=reflection if status == "complete" else None,
                    status=status,
                    created_at=f"2026-11-0{n + 1}T10:00:00+00:00",
                )
            )
    return isolated_home


def _check(output: str, width: int, expected: list[str]) -> None:
    too_wide = [line for line in output.splitlines() if cell_len(line) > width]
    assert not too_wide, too_wide[:3]
    missing = [word for text in expected for word in text.split() if word not in output]
    assert not missing, missing


def _run_at(run, monkeypatch: pytest.MonkeyPatch, width: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("width", WIDTHS)
def test_list_shows_every_column(run, monkeypatch, store_with_calls, width) -> None:
    output = _run_at(run, monkeypatch, width, "list")
    headers = ["ID", "Organization", "Interviewer", "Status", "Explored", "Verdict", "Updated"]
    _check(
        output,
        width,
        [*headers, "wide00", "wide01", ORGANIZATION, "Kim Lee", "awaiting reflection", "complete"],
    )
    _check(output, width, ["3/5", "moderate", "2026-11-01", "2026-11-02", "2 interviews"])


@pytest.mark.parametrize("width", WIDTHS)
def test_report_domain_table_keeps_every_column(run, monkeypatch, store_with_calls, width) -> None:
    output = _run_at(run, monkeypatch, width, "report", "wide01")
    domains = [f"{d.number}. {d.title}" for d in CONTENT.framework.domains]
    _check(output, width, ["Domain", "Evidence", "Level", "Strengths", "Concerns", "Rests on", *domains])
    _check(output, width, ["strong", "partial", "low", "Quentin", "Send proposal", ORGANIZATION])


@pytest.mark.parametrize("width", WIDTHS)
def test_offerings_keep_every_column_and_price(run, monkeypatch, width) -> None:
    output = _run_at(run, monkeypatch, width, "offerings")
    expected = ["Offering", "Audience", "Region", "Price"]
    for offering in CONTENT.catalog.offerings:
        expected += [offering.name, *offering.audience, *offering.regions, f"{offering.price.min:,}"]
    _check(output, width, expected)


@pytest.mark.parametrize("width", WIDTHS)
def test_summary_and_org_report_fit(run, monkeypatch, store_with_calls, width) -> None:
    summary = _run_at(run, monkeypatch, width, "summary")
    _check(
        summary, width, ["Domain", "Low", "Unknown", "Due", "Follow-up", "Owner", "Quentin", "Send proposal"]
    )
    _check(summary, width, [d.title for d in CONTENT.framework.domains])
    org = _run_at(run, monkeypatch, width, "report", "--org", "zanzibar")
    _check(org, width, ["Domain", "Agree?", "Change", "wide00", "wide01", "2026-11-01", "2 calls"])


@pytest.mark.parametrize("width", WIDTHS)
def test_show_fits(run, monkeypatch, store_with_calls, width) -> None:
    output = _run_at(run, monkeypatch, width, "show", "wide01")
    _check(output, width, [ORGANIZATION, "Ximena Quayle", "Board sets aims", "Send proposal", "Quentin"])


def test_stacked_below_sixty_columns_boxed_when_it_fits(run, monkeypatch, store_with_calls) -> None:
    assert "┃ Organization" in _run_at(run, monkeypatch, 200, "list")
    stacked = _run_at(run, monkeypatch, 40, "list")
    assert "┃" not in stacked
    assert stacked.count("Organization") == 2  # one block per interview


def test_wrap_line_breaks_at_spaces_and_folds_long_words() -> None:
    assert wrap_line("one two three", 7) == ["one two", "three"]
    assert wrap_line("abcdefghij xy", 4) == ["abcd", "efgh", "ij", "xy"]
    assert wrap_line("中文中文中文", 4) == ["中文", "中文", "中文"]
    assert wrap_line("", 10) == [""]
    assert all(cell_len(line) <= 5 for line in wrap_line("a bb ccc dddd eeeee ffffff " * 50, 5))


@given(
    st.text(alphabet="ab -é中", max_size=200),
    st.integers(min_value=2, max_value=30),
)
def test_wrap_line_never_loses_text_or_overflows(line: str, width: int) -> None:
    wrapped = wrap_line(line, width)
    assert all(cell_len(part) <= width for part in wrapped)
    assert "".join(wrapped).replace(" ", "") == line.replace(" ", "")


@pytest.mark.parametrize("command", ["show", "report"])
def test_a_five_megabyte_note_renders_whole(run, monkeypatch, isolated_home, command) -> None:
    sentence = "They track falls weekly and share it at the board. "
    note = "\n".join(sentence * 20 for _ in range(5_000)) + " THE LAST WORDS"
    assert len(note) > 5_000_000
    with Store.open(isolated_home) as store:
        store.interviews.insert(
            make_interview({"quality-planning": (note, [], "partial")}, interview_id="huge01")
        )
    output = _run_at(run, monkeypatch, 80, command, "huge01")
    assert output.count("falls") == 100_000
    assert "THE LAST WORDS" in output
    assert max(cell_len(line) for line in output.splitlines()) <= 80


def test_a_fitted_table_never_breaks_a_word_it_has_room_for() -> None:
    import io

    from leadcli.render.plain import console
    from leadcli.render.tables import Column, FittedTable

    table = FittedTable([Column("Code"), Column("Notes")])
    table.add_row("X" * 28 + " y", "lorem ipsum dolor " * 10)
    buffer = io.StringIO()
    console(buffer, width=60).print(table)  # rich alone would squeeze both columns to 26 and fold the code
    output = buffer.getvalue()
    assert "X" * 28 in output
    assert max(cell_len(line) for line in output.splitlines()) <= 60
    assert output.count("lorem") == 10


def test_org_report_is_one_labelled_row_per_call_at_80_columns(run, monkeypatch, isolated_home) -> None:
    answers = {
        "quality-planning": ("Board sets aims", ["planning-process+"], "strong"),
        "track-record": ("Falls project", ["results-sustained"], "low"),
    }
    with Store.open(isolated_home) as store:
        for n in range(25):
            store.interviews.insert(
                make_interview(
                    answers if n % 2 else {},
                    interview_id=f"call{n:02d}",
                    organization=ORGANIZATION,
                    contacts=[Contact(name="Ximena Quayle", role="Chief Executive", level="executive")],
                    created_at=f"2026-10-{n + 1:02d}T10:00:00+00:00",
                )
            )
    output = _run_at(run, monkeypatch, 80, "report", "--org", "zanzibar")
    lines = output.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    header = next(i for i, line in enumerate(lines) if line.startswith("Date"))
    marked = ["1†", "2†", "3†", "4†", "5†", "Overall†"]  # the levels are leadcli's readings
    assert lines[header].split() == ["Date", "Call", *marked, "People"]
    rows = lines[header + 2 : header + 27]
    assert [row.split()[:2] for row in rows] == [[f"2026-10-{n + 1:02d}", f"call{n:02d}"] for n in range(25)]
    assert rows[1].split()[2:4] == ["strong", "unknown"] and rows[1].split()[-1] == "executive"
    assert len(lines) < 60  # was 476 lines of unlabelled values
    _check(output, 80, ["Domain", "Agree?", "Change", *(d.title for d in CONTENT.framework.domains)])
    # narrower than the row: a block of two lines per call, nothing cut
    narrow = _run_at(run, monkeypatch, 40, "report", "--org", "zanzibar")
    _check(narrow, 40, ["2026-10-25 call24 executive", "1† strong", "Overall"])
    # at most four lines a call (the headings' † take a line's room at 40 columns), then the domains
    assert len(narrow.splitlines()) < 4 * 25 + 40
