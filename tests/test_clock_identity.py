"""The hybrid logical clock and the identities that hold across machines (pure, and the machine id)."""

from __future__ import annotations

from leadcli.store.clock import Clock, is_stamp, legacy_stamp, parse_stamp, stamp_time
from leadcli.store.identity import is_identity, legacy_lines, legacy_uid, machine_id, random_id

T0 = 1_795_000_000_000  # 2026-11-18T11:06:40Z, in milliseconds
HOUR = 3_600_000


def test_the_clock_never_goes_back_and_outranks_what_it_has_seen() -> None:
    at = [T0]
    a = Clock("aaaa", now_ms=lambda: at[0])
    first = a.stamp()
    at[0] = T0 - HOUR  # the wall clock is set back an hour
    second = a.stamp()
    assert second > first and parse_stamp(second)[:2] == (T0, 1)
    b = Clock("bbbb", now_ms=lambda: T0 - 3 * HOUR)  # three hours behind
    b.observe(second)
    assert b.stamp() > second
    assert is_stamp(first) and not is_stamp("2026-11-19")
    assert stamp_time(first) == "2026-11-18T11:06:40+00:00"


def test_a_server_offset_moves_the_physical_part() -> None:
    ahead = Clock("cccc", now_ms=lambda: T0 + 5 * HOUR, offset_ms=-5 * HOUR)
    assert parse_stamp(ahead.stamp())[0] == T0


def test_copies_of_an_old_record_work_out_the_same_identities() -> None:
    uid = legacy_uid("fixed1", "2026-11-02T10:00:00+00:00", "Acme")
    assert uid == legacy_uid("fixed1", "2026-11-02T10:00:00+00:00", "Acme") and is_identity(uid)
    assert uid != legacy_uid("fixed1", "2026-11-02T10:00:00+00:00", "Another Trust")
    lines = list(legacy_lines(uid, "q", "one\ntwo\none", "2026-11-02T10:00:00+00:00"))
    assert [text for _, _, text in lines] == ["one", "two", "one"]
    assert len({line_id for line_id, _, _ in lines}) == 3  # a repeated line is its own line
    assert [at for _, at, _ in lines] == [legacy_stamp("2026-11-02T10:00:00+00:00", n) for n in range(3)]
    assert is_identity(random_id()) and random_id() != random_id()


def test_the_machine_id_is_made_once_owner_only(tmp_path) -> None:
    home = tmp_path / "home"
    made = machine_id(home)
    assert machine_id(home) == made and len(made) == 16
    assert (home / "machine-id").stat().st_mode & 0o777 == 0o600
    assert machine_id(tmp_path / "other") != made
    (home / "machine-id").write_text("garbage")
    assert machine_id(home) != "garbage" and machine_id(home) == machine_id(home)


def test_push_lines_are_counted_in_words_that_agree() -> None:
    from leadcli.store.push import Pushed

    assert Pushed("abc234", "Org", 1, True).describe() == (
        "pushed 1 line of new interview abc234 (Org) to the team store"
    )
    assert (
        Pushed("abc234", "Org", 2, False).describe()
        == "pushed 2 lines of interview abc234 (Org) to the team store"
    )
    moved = Pushed("abc234", "Org", 1, True, (), "xyz789", "abc234 (Other, created T)")
    assert moved.needs_attention and moved.describe() == (
        "pushed 1 line of new interview abc234 (Org) to the team store as xyz789: the team store has"
        " another interview abc234 (Other, created T); both kept"
    )
