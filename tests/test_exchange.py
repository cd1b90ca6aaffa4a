"""`leadcli export` and `leadcli import`: whole records out and back, strictly checked, all or nothing."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from leadcli.render.data import csv_cell
from leadcli.services.exchange import export_json
from leadcli.store.db import Store
from leadcli.store.interviews import numbered_id

# Every test here runs on both stores (SQLite and PostgreSQL; see conftest.store_backend).
pytestmark = pytest.mark.usefixtures("store_backend")

ANSWERS = (
    "organization: Acme\ninterviewer: Kim\nregion: Canada\n"
    "contacts: [{name: Bo, role: COO, level: core}]\n"
    "answers:\n  track-record: {notes: 'held [/] <b>', cues: [results-sustained], rating: low}\n"
    "reflection: {fit: maybe, verdict: limited, follow_ups: [{text: call, due: 2027-01-01}]}\n"
)


@pytest.fixture
def valid_ids(monkeypatch: pytest.MonkeyPatch):
    """Interview ids in leadcli's own format, in order: 222223, 222224, ..."""
    counter = iter(range(1, 10_000))
    monkeypatch.setattr("leadcli.store.interviews.new_id", lambda: numbered_id(next(counter)))


def forget_store(home: Path) -> None:
    """Empty the store (either backend): every interview, with all it holds, and every snapshot."""
    with Store.open(home) as store, store.transaction() as db:
        db.execute("DELETE FROM interviews")
        db.execute("DELETE FROM snapshots")


def stored_ids(home: Path) -> list[str]:
    with Store.open(home) as store:
        return [r[0] for r in store.connection.execute("SELECT id FROM interviews ORDER BY id")]


@pytest.fixture
def exported(run, tmp_path, valid_ids, isolated_home) -> dict:
    """The export of a store with two interviews (222223 with a reflection, 222224 without); the
    store is then emptied."""
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    assert run("interview", "--answers", str(answers)).exit_code == 0
    answers.write_text("organization: Beta\ninterviewer: Kim\n", encoding="utf-8")
    assert run("interview", "--answers", str(answers)).exit_code == 0
    data = json.loads(run("export").stdout)
    forget_store(isolated_home)
    return data


def write(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- round trip -----------------------------------------------------------------------------


def test_export_delete_import_gives_an_identical_report(run, isolated_home, tmp_path, valid_ids) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    run("interview", "--answers", str(answers))
    before = run("report", "222223", "-f", "json").stdout
    export = tmp_path / "export.json"
    assert run("export", "-o", str(export)).exit_code == 0
    assert export.stat().st_mode & 0o777 == 0o600
    forget_store(isolated_home)
    imported = run("import", str(export), "--ids")
    assert imported.exit_code == 0, imported.stderr
    assert imported.stdout == "222223\n"
    assert imported.stderr == (
        "leadcli: imported 1 new interview(s), updated 0, skipped 0 unchanged, 0 conflict(s)\n"
    )
    assert run("report", "222223", "-f", "json").stdout == before
    again = run("import", str(export))
    assert again.stderr == (
        "leadcli: imported 0 new interview(s), updated 0, skipped 1 unchanged, 0 conflict(s)\n"
    )
    # and the store exports exactly what it imported
    assert run("export").stdout.split("\n")[5:] == export.read_text(encoding="utf-8").split("\n")[5:]


def test_export_writes_each_set_of_questions_once_and_each_interview_on_one_line(
    run, tmp_path, valid_ids
) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("organization: Acme\ninterviewer: Kim\nanswers: {track-record: {notes: 'a\nb'}}\n")
    for _ in range(3):
        run("interview", "--answers", str(answers))
    text = run("export").stdout
    data = json.loads(text)
    assert len(data["snapshots"]) == 1
    [key] = data["snapshots"]
    assert [i["snapshot"] for i in data["interviews"]] == [key, key, key]
    assert data["snapshots"][key]["questions"][0]["id"] == "quality-planning"
    records = [line for line in text.splitlines() if line.startswith("    {")]
    assert [json.loads(line.rstrip(","))["id"] for line in records] == ["222223", "222224", "222225"]


def test_export_reads_one_snapshot_while_another_process_deletes(isolated_home, exported, tmp_path) -> None:
    write(tmp_path / "e.json", exported)
    with Store.open(isolated_home) as store:
        from leadcli.services.exchange import import_records

        import_records(store, tmp_path / "e.json")
    with Store.open(isolated_home) as reader, Store.open(isolated_home) as writer:
        chunks = export_json(reader)
        text = ""
        while '"interviews": [' not in text:
            text += next(chunks)
        text += next(chunks)  # the first interview has been read
        writer.interviews.delete("222224")  # meanwhile, another process deletes the second
        text += "".join(chunks)
    data = json.loads(text)
    assert [i["id"] for i in data["interviews"]] == ["222223", "222224"]
    assert stored_ids(isolated_home) == ["222223"]


# --- CSV ------------------------------------------------------------------------------------


def test_csv_cells_that_a_spreadsheet_would_run_get_a_quote() -> None:
    for text in ("=1+1", "+1", "-2 FTE in data team", "@SUM(A1)", "\tx", '=HYPERLINK("http://x")'):
        assert csv_cell(text) == "'" + text
    assert csv_cell("\rx") == "\\rx"  # a lone carriage return is shown, so no longer starts a formula
    assert csv_cell("\x1b[2J=x") == "\\x1b[2J=x"
    for value in ("plain", "2 FTE", "", "a=b", 3, -2, None):
        assert csv_cell(value) == value


def test_export_and_list_csv_defuse_formulas(run, tmp_path, valid_ids) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "organization: '=HYPERLINK(\"http://evil.example\",\"click\")'\ninterviewer: '@Kim'\n"
        "answers: {track-record: {notes: '-2 FTE in data team'}, future-vision: {notes: 'a, \"b\"'}}\n",
        encoding="utf-8",
    )
    assert run("interview", "--answers", str(answers)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(run("export", "-f", "csv").stdout)))
    assert len(rows) == 5
    track = next(r for r in rows if r["question_id"] == "track-record")
    assert (track["notes"], track["state"]) == ("'-2 FTE in data team", "explored")
    assert next(r for r in rows if r["question_id"] == "future-vision")["notes"] == 'a, "b"'
    assert {r["organization"] for r in rows} == {'\'=HYPERLINK("http://evil.example","click")'}
    assert {r["interviewer"] for r in rows} == {"'@Kim"}
    assert {r["state"] for r in rows if r["question_id"] not in ("track-record", "future-vision")} == {
        "not explored"
    }
    listed = list(csv.reader(io.StringIO(run("list", "-f", "csv").stdout)))
    cells = [cell for row in listed[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")]


def test_csv_export_keeps_roles_and_carries_the_reflection_and_follow_ups(run, tmp_path, valid_ids) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    assert run("interview", "--answers", str(answers)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(run("export", "-f", "csv").stdout)))
    assert len(rows) == 5  # still one row per question
    assert {r["people"] for r in rows} == {"Bo (COO, core)"}
    assert {(r["verdict"], r["fit"], r["follow_ups"]) for r in rows} == {
        ("limited", "maybe", "call (due 2027-01-01)")
    }
    assert {r["updated_at"][:4] for r in rows} == {r["created_at"][:4] for r in rows}
    assert list(rows[0])[-6:] == ["verdict", "fit", "concerns", "gaps", "follow_ups", "updated_at"]


# --- import is strict -----------------------------------------------------------------------


def test_import_rejects_files_that_are_not_exports(run, tmp_path, isolated_home) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert run("import", str(bad)).stderr.startswith(f"leadcli: error: {bad}:1: not valid JSON")
    bad.write_text('{\n"kind": "leadcli-export",\n"schema_version": 1,\n"snapshots": {}, x', encoding="utf-8")
    assert run("import", str(bad)).stderr.startswith(f"leadcli: error: {bad}:4: not valid JSON")
    bad.write_text('{"kind": "leadcli-export", "schema_version": 1, "x": ' + "[" * 100_000, encoding="utf-8")
    assert run("import", str(bad)).stderr == f"leadcli: error: {bad}:1: not valid JSON: nested too deeply\n"
    bad.write_text('{"kind": "something else"}', encoding="utf-8")
    assert "not a leadcli export" in run("import", str(bad)).stderr
    bad.write_text('{"kind": "leadcli-export", "schema_version": 2}', encoding="utf-8")
    assert "export schema_version 2; this leadcli reads 1" in run("import", str(bad)).stderr
    bad.write_text('{"kind": "leadcli-export", "schema_version": 1, "interviews": []}', encoding="utf-8")
    assert "must come after `snapshots`" in run("import", str(bad)).stderr
    bad.write_text('{"kind": "leadcli-export", "schema_version": 1}', encoding="utf-8")
    assert (
        "an export needs `snapshots` (an object) and `interviews` (a list)" in run("import", str(bad)).stderr
    )
    assert run("import", str(tmp_path / "missing.json")).stderr == (
        f"leadcli: error: {tmp_path / 'missing.json'}: file not found\n"
    )
    assert stored_ids(isolated_home) == []


def _first_answer_key(data: dict) -> str:
    return next(iter(data["interviews"][0]["answers"]))


BAD_RECORDS = {
    "upper-case id": (lambda d: d["interviews"][0].update(id="ABCDEF"), "interviews[0].id: 'ABCDEF' is not"),
    "empty id": (lambda d: d["interviews"][0].update(id=""), "interviews[0].id: '' is not a leadcli"),
    "short id": (lambda d: d["interviews"][0].update(id="abc"), "interviews[0].id: 'abc' is not"),
    "id of another record": (
        lambda d: d["interviews"][1].update(id="222223"),
        "interviews[1].id: '222223' is also the id of interviews[0]",
    ),
    "unknown status": (
        lambda d: d["interviews"][0].update(status="done"),
        "interviews[0].status: 'done' is not one of draft, awaiting-reflection, complete",
    ),
    "impossible due date": (
        lambda d: d["interviews"][0]["reflection"]["follow_ups"][0].update(due="2027-02-30"),
        "interviews[0].reflection.follow_ups[0].due: '2027-02-30' is not a real date",
    ),
    "ISO week date as a due date": (  # date.fromisoformat takes it from Python 3.11; leadcli never
        lambda d: d["interviews"][0]["reflection"]["follow_ups"][0].update(due="2027-W01-1"),
        "interviews[0].reflection.follow_ups[0].due: '2027-W01-1' is not a real date (YYYY-MM-DD)",
    ),
    "ISO week date in a moment": (
        lambda d: d["interviews"][0].update(created_at="2026-W45-1T10:00:00+00:00"),
        "interviews[0].created_at: '2026-W45-1T10:00:00+00:00' is not a date and time",
    ),
    "moment without a time zone": (
        lambda d: d["interviews"][0]["answers"]["track-record"].update(updated_at="2026-11-02T10:00:00"),
        "interviews[0].answers.track-record.updated_at: '2026-11-02T10:00:00' is not a date and time",
    ),
    "contact that is not an object": (
        lambda d: d["interviews"][0]["contacts"].append("Bo"),
        "interviews[0].contacts[1]: must be an object, not text",
    ),
    "unknown field in an answer": (
        lambda d: d["interviews"][0]["answers"]["track-record"].update(mood="good"),
        "interviews[0].answers.track-record.mood: unknown field; fields are: question_id, state, notes,",
    ),
    "note that is not text": (
        lambda d: d["interviews"][0]["answers"]["track-record"].update(notes=["a"]),
        "interviews[0].answers.track-record.notes: must be text, not a list",
    ),
    "blank organization": (
        lambda d: d["interviews"][0].update(organization="  "),
        "interviews[0].organization: required field is missing or blank",
    ),
    "missing interviewer": (
        lambda d: d["interviews"][0].pop("interviewer"),
        "interviews[0].interviewer: required field is missing",
    ),
    "unknown judgement": (
        lambda d: d["interviews"][0]["answers"]["track-record"].update(judgements={"results-sustained": "?"}),
        "interviews[0].answers.track-record.judgements.results-sustained: '?' is not one of +, -",
    ),
    "unknown domain level": (
        lambda d: d["interviews"][0]["reflection"].update(domain_levels={"will": "maybe"}),
        "interviews[0].reflection.domain_levels.will: 'maybe' is not one of strong, partial, low, unknown",
    ),
    "year before one": (
        lambda d: d["interviews"][0].update(created_at="-0001-01-01T00:00:00+00:00"),
        "interviews[0].created_at: '-0001-01-01T00:00:00+00:00' is not a date and time",
    ),
    "huge position": (
        lambda d: d["interviews"][0].update(position=10**30),
        f"interviews[0].position: {10**30} is not a question position from 0 to 5",
    ),
    "unknown cue": (
        lambda d: d["interviews"][0]["answers"]["track-record"]["cues"].append("made-up"),
        "interviews[0].answers.track-record.cues[1]: 'made-up' is not a cue of track-record",
    ),
    "answer under another question's key": (
        lambda d: d["interviews"][0]["answers"].update(
            {"future-vision": {**d["interviews"][0]["answers"]["track-record"]}}
        ),
        "interviews[0].answers.future-vision.question_id: 'track-record' is filed under 'future-vision'",
    ),
    "unknown question": (
        lambda d: d["interviews"][0]["answers"].update(nope=d["interviews"][0]["answers"]["track-record"]),
        "interviews[0].answers.nope: unknown question id",
    ),
    "unknown rating": (
        lambda d: d["interviews"][0]["answers"]["track-record"].update(rating="great"),
        "interviews[0].answers.track-record.rating: 'great' is not one of strong, partial, low",
    ),
    "unknown verdict": (
        lambda d: d["interviews"][0]["reflection"].update(verdict="yes"),
        "interviews[0].reflection.verdict: 'yes' is not one of strong, moderate, limited, unclear",
    ),
    "unknown audience level": (
        lambda d: d["interviews"][0]["contacts"][0].update(level="boss"),
        "interviews[0].contacts[0].level: 'boss' is not one of executive, core, point-of-care",
    ),
    "lone surrogate in a note": (
        lambda d: d["interviews"][0]["answers"]["track-record"].update(notes="a\ud800b"),
        "interviews[0].answers.track-record.notes: holds a lone surrogate",
    ),
    "unknown field": (lambda d: d["interviews"][0].update(extra=1), "interviews[0].extra: unknown field"),
    "id that is not text": (lambda d: d["interviews"][0].update(id=3), "interviews[0].id: 3 is not"),
    "unknown snapshot": (
        lambda d: d["interviews"][0].update(snapshot="nope"),
        "interviews[0].snapshot: 'nope' is not one of the export's snapshots",
    ),
}


@pytest.mark.parametrize("case", BAD_RECORDS, ids=list(BAD_RECORDS))
def test_import_refuses_a_bad_record_and_imports_nothing(
    run, tmp_path, exported, isolated_home, case
) -> None:
    data = copy.deepcopy(exported)
    change, expected = BAD_RECORDS[case]
    change(data)
    bad = write(tmp_path / "bad.json", data)
    result = run("import", str(bad))
    assert result.exit_code == 1
    assert f"{bad}: {expected}" in result.stderr
    assert result.stdout == ""
    assert stored_ids(isolated_home) == []


def test_import_refuses_a_snapshot_whose_text_does_not_match_its_key(
    run, tmp_path, exported, isolated_home
) -> None:
    data = copy.deepcopy(exported)
    [key] = data["snapshots"]
    data["snapshots"][key]["questions"][0]["prompts"][0] = "A question nobody asked"
    bad = write(tmp_path / "bad.json", data)
    result = run("import", str(bad))
    assert result.exit_code == 1
    assert f"{bad}: snapshots.{key}: the questions' SHA-256 is " in result.stderr
    assert stored_ids(isolated_home) == []


def test_import_refuses_a_snapshot_of_the_wrong_shape(run, tmp_path, exported, isolated_home) -> None:
    """A forged snapshot can carry a matching hash: its shape is checked too."""
    from leadcli.store.snapshots import snapshot_text

    data = copy.deepcopy(exported)
    [snapshot] = data["snapshots"].values()
    snapshot["questions"][1]["number"] = "two"
    snapshot["questions"][4]["cues"][0]["kind"] = "hint"
    del snapshot["questions"][2]["cues"][0]["text"]
    _, forged = snapshot_text(snapshot)
    data["snapshots"] = {forged: snapshot}
    for record in data["interviews"]:
        record["snapshot"] = forged
    bad = write(tmp_path / "bad.json", data)
    result = run("import", str(bad))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"{bad}: snapshots.{forged}.questions[1].number: must be a number, not text" in lines
    assert f"{bad}: snapshots.{forged}.questions[2].cues[0].text: required field is missing" in lines
    assert (
        f"{bad}: snapshots.{forged}.questions[4].cues[0].kind: 'hint' is not one of strength, concern, topic"
        in lines
    )
    assert stored_ids(isolated_home) == []
    # text that reads as a number is still text (the store reads the snapshot back as it was given)
    snapshot = copy.deepcopy(next(iter(exported["snapshots"].values())))
    snapshot["questions"][3]["number"] = "4"
    _, forged = snapshot_text(snapshot)
    data = {**data, "snapshots": {forged: snapshot}}
    result = run("import", str(write(tmp_path / "bad.json", data)))
    assert result.exit_code == 1
    assert f"{bad}: snapshots.{forged}.questions[3].number: must be a number, not text" in result.stderr
    assert stored_ids(isolated_home) == []


def test_import_reports_every_problem_one_line_each(run, tmp_path, exported, isolated_home) -> None:
    data = copy.deepcopy(exported)
    data["interviews"][1]["id"] = "ABCDEF"
    data["interviews"][1]["status"] = "done"
    data["interviews"][0]["answers"]["track-record"]["cues"] = ["results-sustained", "x", "y"]
    bad = write(tmp_path / "bad.json", data)
    result = run("import", str(bad))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"leadcli: error: 4 problems in the import file {bad}:"
    assert result.stderr.splitlines()[-1] == "leadcli: nothing was imported"
    problems = result.stderr.splitlines()[1:-1]
    assert [line.split(": ")[1] for line in problems] == [
        "interviews[0].answers.track-record.cues[1]",
        "interviews[0].answers.track-record.cues[2]",
        "interviews[1].id",
        "interviews[1].status",
    ]
    assert all(line.startswith(f"{bad}: interviews[") for line in problems)
    assert stored_ids(isolated_home) == []  # the good first record was not imported either


def test_import_sets_the_status_by_the_one_rule(run, tmp_path, exported, isolated_home) -> None:
    data = copy.deepcopy(exported)
    data["interviews"][1]["status"] = "complete"  # finished, but no verdict
    data["interviews"][0]["status"] = "draft"  # a verdict given before the questions were finished
    run("import", str(write(tmp_path / "e.json", data)))
    with Store.open(isolated_home) as store:
        assert store.interviews.get("222224").status == "awaiting-reflection"
        assert store.interviews.get("222223").status == "draft"


# --- offline laptops: merged, never replaced -------------------------------------------------


def test_import_merges_a_later_copy_and_an_earlier_one_changes_nothing(
    run, tmp_path, exported, isolated_home
) -> None:
    run("import", str(write(tmp_path / "first.json", exported)))
    later = copy.deepcopy(exported)
    record = later["interviews"][0]
    answer = record["answers"]["track-record"]
    stamp = f"{int(time.time() * 1000):013d}.000000.0feedfacecafe00"  # typed on a laptop since
    answer["lines"].append(
        {"id": "f" * 32, "stamp": stamp, "author": "kim", "text": "typed offline", "gone": ""}
    )
    answer["notes"] += "\ntyped offline"
    dropped = record["reflection"]["follow_ups"][0]["id"]
    record["reflection"]["follow_ups"] = []
    record["reflection"]["stamps"][f"gone:{dropped}"] = stamp  # dropped on the laptop
    result = run("import", str(write(tmp_path / "later.json", later)), "--ids")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "222223\n"
    assert "imported 0 new interview(s), updated 1, skipped 1 unchanged, 0 conflict(s)" in result.stderr
    with Store.open(isolated_home) as store:
        updated = store.interviews.get("222223")
    assert updated.answers["track-record"].notes == "held [/] <b>\ntyped offline"
    assert updated.reflection is not None
    assert updated.reflection.follow_ups == []
    # the first file is an older copy of the same interviews: it brings nothing, takes nothing away
    stale = run("import", str(tmp_path / "first.json"))
    assert stale.exit_code == 0
    assert (
        stale.stderr
        == "leadcli: imported 0 new interview(s), updated 0, skipped 2 unchanged, 0 conflict(s)\n"
    )
    with Store.open(isolated_home) as store:
        kept = store.interviews.get("222223")
    assert kept.answers["track-record"].notes == "held [/] <b>\ntyped offline"
    assert kept.reflection is not None and kept.reflection.follow_ups == []


# --- all or nothing, even when stopped ------------------------------------------------------


def _big_export(exported: dict, path: Path, count: int) -> Path:
    """An export of `count` copies of the first interview, each with 10 KB of notes."""
    record = copy.deepcopy(exported["interviews"][0])
    record["answers"]["track-record"]["notes"] = "n" * 10_000
    with path.open("w", encoding="utf-8") as handle:
        head = {k: v for k, v in exported.items() if k not in ("snapshots", "interviews")}
        handle.write(json.dumps(head)[:-1] + ', "snapshots": ' + json.dumps(exported["snapshots"]))
        handle.write(', "interviews": [\n')
        for n in range(count):
            record["id"], record["uid"] = numbered_id(n), ""
            handle.write(("," if n else "") + json.dumps(record) + "\n")
        handle.write("]}\n")
    return path


def _well_into_writing(wal: Path, name: str) -> bool:
    """True once the import is well into writing batches (SQLite: its WAL; a server: its own
    session, `name` by its application_name, in a transaction that has written, for a moment).

    Only the import's session counts: any other in the database that writes for a while (an
    autovacuum worker analysing what earlier tests left) would have the import stopped before it
    wrote anything, even before leadcli was running (that made the test flaky under load)."""
    url = os.environ.get("LEADCLI_DATABASE_URL")
    if not url:
        return wal.exists() and wal.stat().st_size > 2_000_000
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        since = db.execute(
            "SELECT max(now() - xact_start) FROM pg_stat_activity WHERE datname = current_database()"
            " AND application_name = %s AND backend_xid IS NOT NULL",
            (name,),
        ).fetchone()[0]
    return since is not None and since.total_seconds() > 0.3


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["kill -9", "Ctrl-C"])
def test_an_import_stopped_midway_leaves_nothing(tmp_path, exported, isolated_home, stop) -> None:
    big = _big_export(exported, tmp_path / "big.json", 8_000)
    name = f"leadcli-import-{os.getpid()}-{time.monotonic_ns()}"  # its sessions, on a server
    process = subprocess.Popen(
        [sys.executable, "-m", "leadcli", "import", str(big)],
        env={**os.environ, "LEADCLI_HOME": str(isolated_home), "PGAPPNAME": name},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wal = isolated_home / "leadcli.db-wal"
    deadline = time.monotonic() + 60
    while not _well_into_writing(wal, name):
        assert process.poll() is None, "the import finished before it could be stopped"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    process.send_signal(stop)
    out, err = process.communicate(timeout=60)
    assert out == b""
    if stop == signal.SIGINT:
        assert process.returncode == 130
        assert b"interrupted" in err
    else:
        assert process.returncode == -signal.SIGKILL
    assert stored_ids(isolated_home) == []


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_import_streams_any_layout_across_chunk_boundaries(
    run, tmp_path, exported, isolated_home, monkeypatch, chunk
) -> None:
    """The reader takes the file a chunk at a time; records cut at any point, and any JSON layout
    (here indented, as `jq` writes it), read the same."""
    from leadcli.json_stream import JsonStream

    monkeypatch.setattr(JsonStream, "CHUNK", chunk)
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(exported, indent=2, ensure_ascii=False), encoding="utf-8")
    result = run("import", str(pretty), "--ids")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "222223\n222224\n"
    assert json.loads(run("export").stdout)["interviews"] == exported["interviews"]
    broken = tmp_path / "broken.json"
    broken.write_text(pretty.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    forget_store(isolated_home)
    cut = run("import", str(broken))
    assert cut.exit_code == 1
    assert cut.stderr.startswith(f"leadcli: error: {broken}:")
    assert ": not valid JSON: " in cut.stderr
    assert stored_ids(isolated_home) == []


def test_times_in_the_future_are_refused_so_newer_wins_stays_true(run, tmp_path, exported) -> None:
    future = copy.deepcopy(exported)
    future["interviews"][0]["updated_at"] = "2099-01-01T00:00:00+00:00"
    result = run("import", str(write(tmp_path / "future.json", future)))
    assert result.exit_code == 1
    assert "interviews[0].updated_at: '2099-01-01T00:00:00+00:00' is in the future" in result.stderr
    assert "nothing was imported" in result.stderr


# --- JSON Lines -----------------------------------------------------------------------------


def _jsonl(data: dict) -> str:
    """The JSON Lines form of a JSON export (as `export -f jsonl` writes it)."""
    head = {k: v for k, v in data.items() if k not in ("snapshots", "interviews", "outcomes")}
    lines = [{"type": "header", **head}]
    lines += [{"type": "snapshot", "key": k, **v} for k, v in data["snapshots"].items()]
    lines += [{"type": "interview", **i} for i in data["interviews"]]
    lines += [{"type": "outcome", **o} for o in data.get("outcomes", [])]
    return "".join(json.dumps(line) + "\n" for line in lines)


def test_jsonl_export_is_one_record_a_line_and_imports_back(run, isolated_home, tmp_path, valid_ids) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    run("interview", "--answers", str(answers))
    run("interview", "--answers", str(answers))
    run("outcome", "Acme", "--result", "engaged")
    before = run("report", "222223", "-f", "json").stdout
    text = run("export", "-f", "jsonl").stdout
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["type"] for line in lines] == ["header", "snapshot", "interview", "interview", "outcome"]
    assert lines[0]["kind"] == "leadcli-export"
    assert [line["id"] for line in lines[2:4]] == ["222223", "222224"]
    assert lines[2]["snapshot"] == lines[1]["key"]
    # the same records as the JSON export
    whole = json.loads(run("export").stdout)
    assert whole["interviews"] == [{k: v for k, v in line.items() if k != "type"} for line in lines[2:4]]
    assert _jsonl(whole).splitlines()[1:] == [json.dumps(line) for line in lines[1:]]
    path = tmp_path / "export.jsonl"
    path.write_text(text, encoding="utf-8")
    forget_store(isolated_home)
    imported = run("import", str(path), "--ids")
    assert imported.exit_code == 0, imported.stderr
    assert imported.stdout == "222223\n222224\n"
    assert run("report", "222223", "-f", "json").stdout == before
    assert "updated 0, skipped 2 unchanged" in run("import", str(path)).stderr
    path.write_text("\ufeff" + text.replace("\n", "\r\n") + "\n\n", encoding="utf-8")  # Notepad's way
    assert "skipped 2 unchanged" in run("import", str(path)).stderr


JSONL_BAD = {
    "broken line": (lambda lines: lines.insert(2, '{"type": "interview",'), ":3: not valid JSON"),
    "two values on a line": (lambda lines: lines.append("{} {}"), ":5: not valid JSON: more text after"),
    "duplicate member": (
        lambda lines: lines.append('{"type": "outcome", "id": "a", "id": "b"}'),
        ":5: not valid JSON: the member 'id' is given twice",
    ),
    "first line not the header": (lambda lines: lines.pop(0), ":1: not a leadcli export"),
    "unknown type": (
        lambda lines: lines.append('{"type": "note"}'),
        ":5: type: 'note' is not a kind of line; kinds are: header, snapshot, interview, outcome",
    ),
    "snapshot after the interviews": (
        lambda lines: lines.append(lines[1]),
        ":5: type: a snapshot must come before the interviews",
    ),
    "bad record": (
        lambda lines: lines.__setitem__(3, json.dumps({**json.loads(lines[3]), "status": "done"})),
        ":4: interviews[1].status: 'done' is not one of draft",
    ),
    "unknown header field": (
        lambda lines: lines.__setitem__(0, lines[0][:-1] + ', "extra": 1}'),
        ":1: extra: unknown field; an export's header has: kind, schema_version",
    ),
}


@pytest.mark.parametrize("case", JSONL_BAD, ids=list(JSONL_BAD))
def test_jsonl_import_names_the_line_of_a_problem_in_one_line_and_imports_nothing(
    run, tmp_path, exported, isolated_home, case
) -> None:
    change, expected = JSONL_BAD[case]
    lines = _jsonl(exported).splitlines()
    change(lines)
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert f"{path}{expected}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert stored_ids(isolated_home) == []


def test_jsonl_export_into_head_prints_no_traceback(run, tmp_path, exported, isolated_home) -> None:
    from leadcli.store.interviews import numbered_id

    record = exported["interviews"][0]
    many = dict(exported, interviews=[dict(record, id=numbered_id(n), uid="") for n in range(1, 301)])
    path = tmp_path / "many.jsonl"
    path.write_text(_jsonl(many), encoding="utf-8")  # 300 records: far more than a pipe's buffer
    assert run("import", str(path)).exit_code == 0
    for fmt in ("jsonl", "json", "csv"):
        done = subprocess.run(
            f"{sys.executable} -m leadcli export -f {fmt} | head -1",
            shell=True,
            check=False,
            capture_output=True,
            text=True,
            env=os.environ,
            timeout=120,
        )
        assert done.stderr == "", (fmt, done.stderr)
        assert done.stdout.count("\n") == 1


@pytest.mark.parametrize("form", ["json", "jsonl"])
def test_import_drops_nul_spelled_as_an_escape_in_either_form(
    run, tmp_path, exported, isolated_home, form
) -> None:
    """JSON can only spell NUL as `\\u0000`: a record with such an escape is cleaned as typed text is;
    one without (the usual export) is taken as it is."""
    data = copy.deepcopy(exported)
    data["interviews"][0]["answers"]["track-record"]["notes"] = "one\x00two"
    data["interviews"][1]["organization"] = "Beta\x00 Ltd"
    path = tmp_path / f"nul.{form}"
    path.write_text(json.dumps(data) if form == "json" else _jsonl(data), encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    with Store.open(isolated_home) as store:
        assert store.interviews.get("222223").answers["track-record"].notes == "onetwo"
        assert store.interviews.get("222224").organization == "Beta Ltd"
