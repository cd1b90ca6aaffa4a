"""One date rule for every way a date comes in: YYYY-MM-DD, a real day, nothing else."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from leadcli.dates import date_text, looks_like_date, parse_date, parse_moment
from leadcli.errors import UsageError
from leadcli.interview.engine import InterviewEngine, ReflectionEngine
from leadcli.interview.session import begin_interview
from leadcli.render.interview.terminal import question_view
from leadcli.services.outcomes import option_date
from leadcli.store.db import Store
from leadcli.store.records import Contact
from tests.interview_helpers import Keyboard, Screen

# Python 3.11's date.fromisoformat takes several of these; leadcli takes none.
NOT_DATES = ["20270105", "2027-W01-1", "2027-001", "2027-1-5", "2027-02-30", "2027-01-15T00:00", "", "soon"]
NOT_DATES += ["２０２７-01-15", "2027-01-1５"]  # digits of another script


def test_the_one_form_is_a_date() -> None:
    assert parse_date("2027-01-15") == date(2027, 1, 15)
    assert parse_date("  2027-01-15 ") == date(2027, 1, 15)  # as typed, with a stray space
    assert date_text("2027-01-15") == "2027-01-15"
    assert date_text(date(2027, 1, 15)) == "2027-01-15"


@pytest.mark.parametrize("text", NOT_DATES)
def test_every_other_form_is_refused_everywhere(text) -> None:
    assert parse_date(text) is None
    assert date_text(text) is None
    with pytest.raises(UsageError, match="is not a date; write it as YYYY-MM-DD"):
        option_date(text, "--since")


def test_a_number_from_a_file_is_not_a_date() -> None:
    assert date_text(20270105) is None  # YAML reads `due: 20270105` as a number
    assert date_text(datetime(2027, 1, 15, 10, 0)) is None  # a date with a time is not a day


def test_the_live_reflection_refuses_20270105_and_asks_again(isolated_home, content) -> None:
    with Store.open(isolated_home) as store:
        record = begin_interview(
            store, content, organization="St Mary's Health", interviewer="Kim Lee", region="UK",
            contacts=[Contact(name="Ana Ruiz", role="CEO", level="executive")],
        )  # fmt: skip
        keyboard = Keyboard(["note one", "", "", "", "/pause"])
        InterviewEngine(store, record, keyboard, Screen(), question_view, None).run()
        _reflect(store, record)


@pytest.mark.parametrize("typo", ["20270105", "2027-W01-1", "15/01/2027"])
def test_the_live_reflection_asks_again_for_a_date_written_another_way(isolated_home, content, typo) -> None:
    with Store.open(isolated_home) as store:
        record = begin_interview(
            store, content, organization="St Mary's Health", interviewer="Kim Lee", region="UK",
            contacts=[Contact(name="Ana Ruiz", role="CEO", level="executive")],
        )  # fmt: skip
        InterviewEngine(
            store, record, Keyboard(["note one", "", "", "", "/pause"]), Screen(), question_view, None
        ).run()
        _reflect(store, record, typo)


def test_only_dates_written_another_way_look_like_dates() -> None:
    assert all(looks_like_date(t) for t in ["20270105", "2027-W01-1", "2027w011", "15/01/2027", "2027.01.15"])
    assert not any(looks_like_date(t) for t in ["next week", "after the board meets", "Q1", ""])


def _reflect(store, record, typo: str = "20270105") -> None:
    screen = Screen()
    lines = ["p", "", "", "", "m", "Send the proposal", "Kim", typo, "2027-01-15", ""]
    ReflectionEngine(store, store.interviews.get(record.id), Keyboard(lines), screen).run()
    assert "Write the date as YYYY-MM-DD, e.g. 2027-01-15" in screen.text, screen.text
    follow_ups = store.interviews.get(record.id).reflection.follow_ups
    assert [(f.text, f.owner, f.due) for f in follow_ups] == [("Send the proposal", "Kim", "2027-01-15")]


def test_a_moment_is_a_date_a_time_and_its_time_zone() -> None:
    assert parse_moment("2026-11-02T10:00:00+00:00") == datetime(2026, 11, 2, 10, tzinfo=timezone.utc)
    assert parse_moment("2026-11-02T10:00:00.123456+01:00") == datetime(
        2026, 11, 2, 10, 0, 0, 123456, tzinfo=timezone(timedelta(hours=1))
    )
    assert parse_moment("2026-11-02T10:00:00Z") == datetime(2026, 11, 2, 10, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-02T10:00:00",  # no time zone: which moment is it?
        "20261102T100000Z",
        "2026-11-02 10:00:00+00:00",
        "2026-W45-1T10:00:00+00:00",
        "2026-02-30T10:00:00+00:00",
        "2026-11-02T25:00:00+00:00",
        "2026-11-02",
        " 2026-11-02T10:00:00+00:00",
    ],
)
def test_every_other_moment_is_refused(text) -> None:
    assert parse_moment(text) is None
