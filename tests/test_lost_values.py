"""The values that lost a merge travel with the interview: an export carries each interview's
history (`lost_values`), an import keeps it once, and a conflict the exporting store settled is not
named again where the file is imported. On both stores; the laptops are SQLite stores of their own."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from leadcli.services.exchange import ImportResult, export_json, export_jsonl, import_records
from leadcli.store.db import Store
from leadcli.store.interviews import numbered_id
from leadcli.store.records import LostValue

ANSWERS = (
    "organization: Acme\ninterviewer: Kim\nregion: Canada\n"
    "contacts: [{name: Bo, role: COO, level: core}]\n"
    "answers:\n  track-record: {notes: 'held the line', rating: partial}\n"
    "reflection: {fit: maybe, verdict: limited}\n"
)
ID = numbered_id(1)


@pytest.fixture
def team(run, tmp_path, isolated_home, monkeypatch) -> Path:
    """The team store (the test's backend) with one interview, and that store's export."""
    counter = iter(range(1, 10_000))
    monkeypatch.setattr("leadcli.store.interviews.new_id", lambda: numbered_id(next(counter)))
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    assert run("interview", "--answers", str(answers)).exit_code == 0
    path = tmp_path / "team.json"
    assert run("export", "-o", str(path)).exit_code == 0
    return path


def laptop(home: Path) -> Store:
    """A machine's own SQLite store (never the server, whichever store the test runs on)."""
    return Store.open(home, url=None)


def team_store(home: Path) -> Store:
    return Store.open(home)


def export_to(store: Store, path: Path, *, lines: bool = False) -> Path:
    chunks: Iterator[str] = export_jsonl(store) if lines else export_json(store)
    path.write_text("".join(chunks), encoding="utf-8")
    return path


def imported(store: Store, path: Path) -> ImportResult:
    return import_records(store, path)


def history(store: Store) -> list[tuple[str, str, str, str]]:
    return sorted((v.field, v.value, v.stamp, v.winner_stamp) for v in store.interviews.history(ID))


def everything(store: Store) -> dict[str, list]:
    db = store.connection
    tables = ("interviews", "answers", "note_lines", "reflections", "follow_ups", "value_history")
    return {t: [tuple(r) for r in db.execute(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in tables}


def rate(store: Store, rating: str) -> None:
    record = store.interviews.get(ID)
    answer = record.answers["track-record"]
    answer.rating = rating  # type: ignore[assignment]
    store.interviews.save_answer(ID, answer)
    time.sleep(0.01)  # the next machine's edit is stamped a later millisecond


def judge(store: Store, verdict: str) -> None:
    record = store.interviews.get(ID)
    assert record.reflection is not None
    record.reflection.verdict = verdict  # type: ignore[assignment]
    store.interviews.save_reflection(ID, record.reflection)
    time.sleep(0.01)


def with_a_conflict(team_export: Path, tmp_path: Path) -> Store:
    """A laptop whose copy met a colleague's: its rating lost to theirs, kept in its history."""
    mine, theirs = laptop(tmp_path / "mine"), laptop(tmp_path / "theirs")
    assert imported(mine, team_export).added == [ID] and imported(theirs, team_export).added == [ID]
    rate(mine, "strong")
    rate(theirs, "low")
    result = imported(mine, export_to(theirs, tmp_path / "theirs.json"))
    theirs.close()
    assert len(result.conflicts) == 1 and "question 2 rating" in result.conflicts[0]
    return mine


# --- round trip -------------------------------------------------------------------------------


@pytest.mark.usefixtures("store_backend")
@pytest.mark.parametrize("lines", [False, True], ids=["json", "jsonl"])
def test_an_export_carries_the_lost_values_and_an_import_keeps_them_once(
    team, tmp_path, isolated_home, lines
) -> None:
    with team_store(isolated_home) as store:  # the team store does not have the conflict yet
        store.interviews.delete(ID)
    mine = with_a_conflict(team, tmp_path)
    try:
        kept = history(mine)
        assert [(f, v) for f, v, _, _ in kept] == [("question 2 rating", '"strong"')]
        path = export_to(mine, tmp_path / ("mine.jsonl" if lines else "mine.json"), lines=lines)
        records = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()] if lines else None
        exported = (
            next(r for r in records if r["type"] == "interview")
            if records
            else json.loads(path.read_text(encoding="utf-8"))["interviews"][0]
        )
        assert [
            (v["field"], v["value"], v["stamp"], v["winner_stamp"]) for v in exported["lost_values"]
        ] == kept
        assert set(exported["lost_values"][0]) == {"field", "value", "stamp", "winner_stamp", "at"}
        with team_store(isolated_home) as store:
            first = imported(store, path)
            assert (first.added, first.conflicts) == ([ID], [])
            assert history(store) == kept
            assert store.interviews.history(ID)[0].at == mine.interviews.history(ID)[0].at
            before = everything(store)
            again = imported(store, path)  # the same file again: nothing added, nothing named
            assert (again.added, again.updated, again.skipped, again.conflicts) == ([], [], [ID], [])
            assert everything(store) == before
            back = export_to(store, tmp_path / "back.json")
        mine_before = everything(mine)
        home_again = imported(mine, back)  # and home again: the laptop has it all
        assert (home_again.updated, home_again.conflicts) == ([], [])
        assert everything(mine) == mine_before
    finally:
        mine.close()


@pytest.mark.usefixtures("store_backend")
def test_an_export_from_before_lost_values_still_imports(team, tmp_path, isolated_home) -> None:
    data = json.loads(team.read_text(encoding="utf-8"))
    for record in data["interviews"]:
        del record["lost_values"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    with team_store(isolated_home) as store:
        store.interviews.delete(ID)
        assert imported(store, old).added == [ID]
        assert store.interviews.history(ID) == []
        assert imported(store, old).skipped == [ID]


@pytest.mark.usefixtures("store_backend")
def test_history_rows_an_import_brings_count_it_as_updated(team, tmp_path, isolated_home) -> None:
    mine = with_a_conflict(team, tmp_path)
    try:
        data = json.loads(export_to(mine, tmp_path / "mine.json").read_text(encoding="utf-8"))
    finally:
        mine.close()
    record = data["interviews"][0]
    with team_store(isolated_home) as store:  # the team's copy, with only the history new to it
        stored = json.loads(export_to(store, tmp_path / "t.json").read_text(encoding="utf-8"))
    only_history = {**stored["interviews"][0], "lost_values": record["lost_values"]}
    path = tmp_path / "only-history.json"
    path.write_text(json.dumps({**stored, "interviews": [only_history]}), encoding="utf-8")
    with team_store(isolated_home) as store:
        first = imported(store, path)
        assert (first.updated, first.conflicts) == ([ID], [])
        assert len(store.interviews.history(ID)) == 1
        assert imported(store, path).skipped == [ID]


# --- the three machines -----------------------------------------------------------------------


@pytest.mark.usefixtures("store_backend")
def test_two_laptops_the_team_store_and_a_third_machine_keep_each_lost_value_once(
    team, tmp_path, isolated_home
) -> None:
    """Laptops A and B take the team's interview, both change its rating and verdict offline,
    both bring their copies to the team store by file; the team's export then goes to a third
    machine C and back to A and B. Every store ends with both lost values, once each, and each
    conflict is named once in all."""
    a, b, c = laptop(tmp_path / "a"), laptop(tmp_path / "b"), laptop(tmp_path / "c")
    named: list[str] = []

    def bring(store: Store, path: Path) -> ImportResult:
        result = imported(store, path)
        named.extend(result.conflicts)
        return result

    try:
        assert bring(a, team).added == [ID] and bring(b, team).added == [ID]
        rate(a, "strong")
        rate(b, "low")  # later: B's rating wins
        judge(b, "unclear")
        judge(a, "strong")  # later: A's verdict wins
        a_rating = a.interviews.get(ID).answers["track-record"].stamps["rating"]
        b_verdict = b.interviews.get(ID).reflection.stamps["verdict"]  # type: ignore[union-attr]
        from_a, from_b = export_to(a, tmp_path / "a.json"), export_to(b, tmp_path / "b.jsonl", lines=True)
        with team_store(isolated_home) as store:
            assert bring(store, from_a).conflicts == []  # set over the team's values: no conflict
            assert len(bring(store, from_b).conflicts) == 2
            team_export = export_to(store, tmp_path / "team-after.json")
            team_lines = export_to(store, tmp_path / "team-after.jsonl", lines=True)
        assert bring(c, team_lines).added == [ID]
        assert bring(a, team_export).updated == [ID]  # B's rating, and the history
        assert bring(b, team_export).updated == [ID]  # A's verdict, and the history
        expected = [
            ("question 2 rating", '"strong"', a_rating),
            ("reflection verdict", '"unclear"', b_verdict),
        ]
        with team_store(isolated_home) as store:
            stores = {"team": store, "a": a, "b": b, "c": c}
            for name, each in stores.items():
                assert [(f, v, s) for f, v, s, _ in history(each)] == expected, name
                kept = each.interviews.get(ID)
                assert kept.answers["track-record"].rating == "low", name
                assert kept.reflection is not None and kept.reflection.verdict == "strong", name
            # every file once more, everywhere: nothing changes, nothing is named
            before = {name: everything(each) for name, each in stores.items()}
            for each in stores.values():
                for path in (from_a, from_b, team_export, team_lines):
                    assert imported(each, path).conflicts == []
            assert {name: everything(each) for name, each in stores.items()} == before
        assert len(named) == 2, named
        assert sum("question 2 rating" in x for x in named) == 1
        assert sum("reflection verdict" in x for x in named) == 1
    finally:
        for each in (a, b, c):
            each.close()


# --- what the import refuses ------------------------------------------------------------------

GOOD = {
    "field": "question 2 rating",
    "value": '"strong"',
    "stamp": "1793613600000.000000.aaaaaaaaaaaaaaaa",
    "winner_stamp": "1793613601000.000000.bbbbbbbbbbbbbbbb",
    "at": "2026-11-02T10:00:02+00:00",
}
BAD_LOST_VALUES: dict[str, tuple[object, str]] = {
    "stamp that is not one": (
        [{**GOOD, "stamp": "yesterday"}],
        "interviews[0].lost_values[0].stamp: 'yesterday' is not a leadcli stamp (MMMMMMMMMMMMM.CCCCCC.NODE)",
    ),
    "winner stamp in the future": (
        [{**GOOD, "winner_stamp": "4102444800000.000000.bbbbbbbbbbbbbbbb"}],
        "interviews[0].lost_values[0].winner_stamp: '4102444800000.000000.bbbbbbbbbbbbbbbb' is in the future",
    ),
    "moment without a time zone": (
        [{**GOOD, "at": "2026-11-02 10:00"}],
        "interviews[0].lost_values[0].at: '2026-11-02 10:00' is not a date and time with a time zone",
    ),
    "field a merge never names": (
        [{**GOOD, "field": "\x1b[2Jwhatever"}],
        "interviews[0].lost_values[0].field: '\\x1b[2Jwhatever' is not a value a merge names",
    ),
    "follow-up named with a control character": (
        [{**GOOD, "field": "follow-up '\x1b]8;;http://x\x07'"}],
        "interviews[0].lost_values[0].field: \"follow-up '\\x1b]8;;http://x\\x07'\" is not a value a merge names",
    ),
    "value that is not JSON": (
        [{**GOOD, "value": "strong"}],
        "interviews[0].lost_values[0].value: 'strong' is not a value as leadcli keeps it (JSON text)",
    ),
    "value that is not text": (
        [{**GOOD, "value": 3}],
        "interviews[0].lost_values[0].value: must be text, not a number",
    ),
    "member missing": (
        [{k: v for k, v in GOOD.items() if k != "winner_stamp"}],
        "interviews[0].lost_values[0].winner_stamp: required field is missing",
    ),
    "unknown member": (
        [{**GOOD, "kept": "x"}],
        "interviews[0].lost_values[0].kept: unknown field; fields are: field, value, stamp, winner_stamp, at",
    ),
    "not a list": ({"a": GOOD}, "interviews[0].lost_values: must be a list, not an object"),
    "too many": (
        [{**GOOD, "stamp": f"1793613600000.{n:06d}.aaaaaaaaaaaaaaaa"} for n in range(501)],
        "interviews[0].lost_values: has 501 items; at most 500 are taken",
    ),
    "one value given twice": (
        [GOOD, {**GOOD, "value": '"low"'}],
        "interviews[0].lost_values[1]: the same value as lost_values[0] (its field and stamp): given twice",
    ),
}


@pytest.mark.usefixtures("store_backend")
@pytest.mark.parametrize("lines", [False, True], ids=["json", "jsonl"])
@pytest.mark.parametrize("case", BAD_LOST_VALUES, ids=list(BAD_LOST_VALUES))
def test_a_malformed_lost_value_is_refused_in_one_line_and_nothing_is_imported(
    run, team, tmp_path, isolated_home, case, lines
) -> None:
    data = json.loads(team.read_text(encoding="utf-8"))
    given, expected = BAD_LOST_VALUES[case]
    data["interviews"][0]["lost_values"] = copy.deepcopy(given)
    data["interviews"][0]["uid"] = "ab" * 16  # another interview: it would be added
    path = tmp_path / "bad.json"
    if lines:
        path = tmp_path / "bad.jsonl"
        head = {k: v for k, v in data.items() if k not in ("snapshots", "interviews", "outcomes")}
        rows = [{"type": "header", **head}]
        rows += [{"type": "snapshot", "key": k, **v} for k, v in data["snapshots"].items()]
        rows += [{"type": "interview", **r} for r in data["interviews"]]
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        where = f"{path}:3: "
    else:
        path.write_text(json.dumps(data), encoding="utf-8")
        where = f"{path}: "
    with team_store(isolated_home) as store:
        before = everything(store)
    bad_stamp = copy.deepcopy(data)  # the refusal of another bad stamp, for its exit code
    result = run("import", str(path))
    assert result.stdout == ""
    assert f"{where}{expected}" in result.stderr, result.stderr
    problem = [x for x in result.stderr.splitlines() if "lost_values" in x]
    assert len(problem) == 1 and "\x1b" not in result.stderr
    bad_stamp["interviews"][0]["lost_values"] = []
    bad_stamp["interviews"][0]["stamps"] = {"status": "yesterday"}
    other = tmp_path / "other.json"
    other.write_text(json.dumps(bad_stamp), encoding="utf-8")
    assert result.exit_code == run("import", str(other)).exit_code == 1
    with team_store(isolated_home) as store:
        assert everything(store) == before


@pytest.mark.usefixtures("store_backend")
def test_a_hostile_lost_value_from_a_file_is_shown_never_obeyed(
    run, team, tmp_path, isolated_home, monkeypatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # each row on one line of the terminal
    data = json.loads(team.read_text(encoding="utf-8"))
    record = data["interviews"][0]
    hostile = "\u202eevil\x1b]8;;http://x\x07 [bold]Co[/bold]\x9b2J\nnext <script>|=cmd"
    record["uid"], record["id"] = "ab" * 16, "zz2345"
    record["lost_values"] = [
        {**GOOD, "value": json.dumps(hostile, ensure_ascii=False)},
        {**GOOD, "field": "follow-up 'call \\x1b[2J <b>'", "stamp": GOOD["winner_stamp"]},
    ]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    raw = ("\x1b", "\x07", "\x9b", "\u202e")
    shown = run("history", "zz2345")
    assert shown.exit_code == 0, shown.output
    assert not any(c in shown.stdout for c in raw), shown.stdout
    row = next(x for x in shown.stdout.splitlines() if "evil" in x)
    assert '"\\u202eevil\\x1b]8;;http://x\\x07 [bold]Co[/bold]\\x9b2J\\nnext <script>|=cmd"' in row
    assert "follow-up 'call \\x1b[2J <b>'" in shown.stdout  # as a merge spells it: escaped already
    as_json = run("history", "zz2345", "-f", "json").stdout
    assert not any(c in as_json for c in raw)
    assert json.loads(as_json)["lost_values"][0]["value"] == hostile
    exported = run("export").stdout
    assert not any(c in exported for c in raw)
    lines = run("export", "-f", "jsonl").stdout
    assert not any(c in lines for c in raw)
    with team_store(isolated_home) as store:
        kept = sorted(v.value for v in store.interviews.history("zz2345"))
    assert json.dumps(hostile, ensure_ascii=False) in kept


def test_the_lost_value_check_takes_what_an_export_writes() -> None:
    from leadcli.services.import_check import Problems, check_lost_values

    problems = Problems(Path("x.json"))
    checked = check_lost_values(problems, [GOOD], "interviews[0]")
    assert problems.problems == []
    assert checked == [LostValue(**GOOD)]
