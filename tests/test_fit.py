"""Issue 17: leadcli's output fits the terminals, spreadsheets and readers its users have."""

from __future__ import annotations

import json

import pytest

from leadcli.render.data import csv_cell, dump_json
from leadcli.untrusted import formula_like, visible

INVISIBLES = {
    "\u00ad": "\\xad",
    "\u200b": "\\u200b",
    "\u200c": "\\u200c",
    "\u200d": "\\u200d",
    "\u2060": "\\u2060",
    "\ufeff": "\\ufeff",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
    "\U000e0041": "\\U000e0041",
}


@pytest.mark.parametrize(("char", "shown"), INVISIBLES.items())
def test_invisible_characters_are_shown_as_escapes(char: str, shown: str) -> None:
    assert visible(f"St{char}Mary") == f"St{shown}Mary"
    assert visible(f"St{char}Mary", lines=False) == f"St{shown}Mary"


def test_json_spells_invisible_characters_as_escapes_and_keeps_the_data() -> None:
    text = dump_json({"name": "A\u200bB\ufeff\U000e0041"})
    assert "\u200b" not in text and "\\u200b" in text and "\\udb40\\udc41" in text
    assert json.loads(text) == {"name": "A\u200bB\ufeff\U000e0041"}


@pytest.mark.parametrize(
    "text",
    [" =1+1", "   @SUM(A1)", "\u200b=1+1", "\ufeff=1", "\u00ad+1", "＝1+1", "＋1", "＠A1", "－1", " \t=1"],
)
def test_the_formula_guard_looks_past_spaces_and_invisibles(text: str) -> None:
    assert formula_like(text)
    assert csv_cell(text).startswith("'")


@pytest.mark.parametrize("text", ["plain", "a=b", "2 FTE", "", "x@y.example", "\rx"])
def test_ordinary_text_is_not_guarded(text: str) -> None:
    assert not formula_like(text)
    assert not csv_cell(text).startswith("'")


# --- locales ------------------------------------------------------------------------------------

LATIN1 = {"PYTHONIOENCODING": "iso-8859-1"}  # what a terminal set to en_US.ISO-8859-1 gives Python


def _leadcli(home, *args: str, env: dict[str, str] | None = None):
    import os
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "leadcli", *args],
        env={**os.environ, "LEADCLI_HOME": str(home), "COLUMNS": "100", **(env or {})},
        capture_output=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("framework",),
        ("framework", "--detail"),
        ("offerings",),
        ("questions",),
        ("list",),
        ("summary",),
        ("home",),
    ],
)
def test_every_command_works_under_a_latin1_locale(isolated_home, args) -> None:
    done = _leadcli(isolated_home, *args, env=LATIN1)
    assert done.returncode == 0, done.stderr.decode("latin-1")
    assert b"internal error" not in done.stderr
    done.stdout.decode("iso-8859-1")  # what the terminal shows is text it can show


def test_characters_a_latin1_terminal_cannot_show_are_escaped(isolated_home) -> None:
    done = _leadcli(isolated_home, "framework", "--detail", env=LATIN1)
    assert b"\\u2020 leadcli" in done.stdout  # the dagger, shown as an escape


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_are_utf8_whatever_the_locale(isolated_home, fmt: str) -> None:
    done = _leadcli(isolated_home, "offerings", "-f", fmt, env=LATIN1)
    assert done.returncode == 0
    text = done.stdout.decode("utf-8")  # strict: fails on a Latin-1 byte
    assert "Fellowship" in text
    if fmt == "json":
        json.loads(text)


def test_a_latin1_byte_typed_in_the_interview_is_kept(isolated_home) -> None:
    import os
    import sys

    pexpect = pytest.importorskip("pexpect")
    from tests.interview_helpers import stored

    env = {**os.environ, "LEADCLI_HOME": str(isolated_home), "NO_COLOR": "1", "TERM": "xterm", "LC_ALL": "C"}
    env.pop("LANG", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "leadcli", "interview", "--org", "Acme", "--interviewer", "Kim", "--region", "Canada",
         "--contact", "Ana Ruiz, CEO, executive"],
        env=env,
        timeout=30,
        dimensions=(40, 120),
    )  # fmt: skip
    child.expect(b"notes> ")
    child.send(b"caf\xe9 au lait\r")
    child.expect(b"\xe2\x80\xa6 |\\.\\.\\. |\\\\u2026 ")
    child.sendline(b"/pause")
    child.expect(pexpect.EOF)
    child.close()
    assert b"internal error" not in (child.before or b"")
    from leadcli.store.db import Store

    with Store.open(isolated_home) as store:
        [summary], _ = store.interviews.summaries()
    record = stored(isolated_home, summary.id)
    assert [answer.notes for answer in record.answers.values()] == ["café au lait"]


# --- spreadsheets -------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("offerings",), ("list",), ("export",), ("questions",)])
def test_excel_format_is_utf8_with_a_bom_and_crlf(isolated_home, args) -> None:
    done = _leadcli(isolated_home, *args, "-f", "excel")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"\xef\xbb\xbf")
    lines = done.stdout[3:].split(b"\r\n")
    assert len(lines) >= 2 and b"\n" not in lines[0]
    plain = _leadcli(isolated_home, *args, "-f", "csv").stdout
    assert not plain.startswith(b"\xef\xbb\xbf") and b"\r\n" not in plain.split(b"\n")[0]


def test_excel_output_file_keeps_the_formula_guard(isolated_home, tmp_path) -> None:
    from leadcli.render.data import dump_csv

    text = dump_csv(["organization"], [["＝HYPERLINK(1)"], ["Acme"]], excel=True)
    assert text == "\ufefforganization\r\n'＝HYPERLINK(1)\r\nAcme\r\n"


# --- leadcli schema DIR -------------------------------------------------------------------------


def test_schema_writes_owner_only_files_and_never_over_a_file_or_through_a_link(run, tmp_path) -> None:
    import stat

    target = tmp_path / "schemas"
    assert run("schema", str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    names = sorted(p.name for p in target.iterdir())
    assert {"framework.schema.json", "offerings.schema.json", "questions.schema.json"} <= set(names)
    assert {"report.schema.json", "summary.schema.json", "evaluate.schema.json"} <= set(names)
    assert all(stat.S_IMODE((target / n).stat().st_mode) == 0o600 for n in names)
    again = run("schema", str(target))
    assert again.exit_code == 1 and "already exists; add --force to replace it" in again.output
    assert run("schema", str(target), "--force").exit_code == 0
    secret = tmp_path / "secret.txt"
    secret.write_text("keep me")
    (target / "framework.schema.json").unlink()
    (target / "framework.schema.json").symlink_to(secret)
    linked = run("schema", str(target), "--force")
    assert linked.exit_code == 1 and "not a regular file" in linked.output
    assert secret.read_text() == "keep me"


# --- messages -----------------------------------------------------------------------------------


def test_a_contact_in_last_first_form_is_refused_not_split_wrongly() -> None:
    from leadcli.errors import UsageError
    from leadcli.interview.session import parse_contact

    with pytest.raises(UsageError, match=r'has 4 parts: write it as "Name, Role, level"'):
        parse_contact("Ruiz, Ana, CEO, executive")
    contact = parse_contact("Ana Ruiz, CEO, executive")
    assert (contact.name, contact.role, contact.level) == ("Ana Ruiz", "CEO", "executive")


def test_a_contact_given_on_the_command_line_in_four_parts_is_one_line(run) -> None:
    result = run(
        "interview", "--answers", "examples/call-notes.yaml", "--contact", "Ruiz, Ana, CEO, executive"
    )
    assert result.exit_code == 2
    assert "has 4 parts" in result.output and "Traceback" not in result.output


def test_evaluate_since_a_future_date_is_refused(run) -> None:
    result = run("evaluate", "--since", "2999-01-01")
    assert result.exit_code == 2
    assert "--since '2999-01-01' is in the future" in result.output


# --- JSON ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("show", "ID"),
        ("offerings",),
        ("offerings", "show", "fellowship"),
        ("framework",),
        ("questions",),
        ("validate",),
        ("summary",),
        ("evaluate",),
        ("report",),
    ],
)
def test_every_json_output_carries_a_schema_version(run, args) -> None:
    imported = run("interview", "--answers", "examples/call-notes.yaml")
    assert imported.exit_code == 0, imported.output
    interview_id = imported.stdout.strip()
    args = tuple(interview_id if a == "ID" else a for a in args)
    data = json.loads(run(*args, "-f", "json").stdout)
    assert next(iter(data)) == "schema_version" and isinstance(data["schema_version"], int)


def test_list_json_counts_what_it_lists(run) -> None:
    run("interview", "--answers", "examples/call-notes.yaml")
    run("interview", "--answers", "examples/call-notes.yaml")
    data = json.loads(run("list", "-f", "json", "-n", "1").stdout)
    assert (data["count"], data["total"], len(data["interviews"])) == (1, 2, 1)


# --- terminals ----------------------------------------------------------------------------------


def test_list_stays_a_table_at_80_columns_with_an_interview_awaiting_reflection(
    run, monkeypatch, isolated_home
) -> None:
    from leadcli.store.db import Store
    from tests.reports_helpers import make_interview

    with Store.open(isolated_home) as store:
        store.interviews.insert(
            make_interview(interview_id="abc234", organization="Northwind Regional Medical Center")
        )
        store.interviews.insert(
            make_interview(interview_id="abc235", organization="St Mary's Health", status="complete")
        )
    monkeypatch.setenv("COLUMNS", "80")
    out = run("list").stdout
    header = out.splitlines()[0].split()
    assert header == ["ID", "Organization", "Interviewer", "Status", "Explored", "Verdict", "Updated"], out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "awaiting" in out and "reflection" in out


def test_names_with_newlines_and_tabs_print_on_one_line(run, monkeypatch, isolated_home) -> None:
    from leadcli.store.db import Store
    from leadcli.store.records import Contact
    from tests.reports_helpers import make_interview

    record = make_interview(
        interview_id="abc234",
        organization="Line\nBreak\tHealth",
        contacts=[Contact(name="Ana\nRuiz", role="C\tEO", level="executive")],
    )
    with Store.open(isolated_home) as store:
        store.interviews.insert(record)
    monkeypatch.setenv("COLUMNS", "200")
    for args in (("list",), ("show", "abc234"), ("report", "abc234")):
        out = run(*args).stdout
        assert "Line\\nBreak\\tHealth" in out, (args, out)
    shown = run("show", "abc234").stdout
    assert "Ana\\nRuiz (C\\tEO, executive)" in shown


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_into_a_reader_that_stops_early_prints_no_traceback(isolated_home, fmt: str) -> None:
    import os
    import subprocess
    import sys

    from leadcli.store.db import Store
    from leadcli.store.interviews import numbered_id
    from tests.reports_helpers import make_interview

    notes = {"track-record": ("x" * 2_000, [], "low")}
    with Store.open(isolated_home) as store:
        for n in range(200):
            store.interviews.insert(
                make_interview(notes, interview_id=numbered_id(n), organization=f"Org {n}")
            )
    done = subprocess.run(
        f'"{sys.executable}" -m leadcli export -f {fmt} | head -c 10',
        shell=True,
        env={**os.environ, "LEADCLI_HOME": str(isolated_home)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stderr == ""
    assert len(done.stdout) == 10


def test_notes_wrap_at_a_readable_measure_on_a_wide_terminal(run, monkeypatch, isolated_home) -> None:
    from leadcli.render.plain import PROSE_MEASURE
    from leadcli.store.db import Store
    from tests.reports_helpers import make_interview

    sentence = "The board reviews quality data every month and asks about equity. " * 20
    with Store.open(isolated_home) as store:
        store.interviews.insert(
            make_interview({"track-record": (sentence, [], "low")}, interview_id="abc234")
        )
    monkeypatch.setenv("COLUMNS", "250")
    out = run("show", "abc234").stdout
    note_lines = [line for line in out.splitlines() if "board reviews" in line]
    assert len(note_lines) > 5
    assert max(len(line) for line in note_lines) <= PROSE_MEASURE
    assert " ".join(line.strip() for line in note_lines).split() == sentence.split()


# --- --quiet ------------------------------------------------------------------------------------


def test_quiet_leaves_out_notes_but_not_warnings_or_errors(run, tmp_path) -> None:
    out = tmp_path / "o.json"
    imported = run("--quiet", "interview", "--answers", "examples/call-notes.yaml")
    assert imported.exit_code == 0 and imported.stderr == ""
    assert imported.stdout.strip()  # the result (the id) still prints
    written = run("-q", "export", "--output", str(out))
    assert written.exit_code == 0 and written.stderr == "" and out.exists()
    assert "wrote" in run("export", "--output", str(tmp_path / "again.json")).stderr
    warned = run("-q", "offerings", "--region", "Mars")
    assert "'Mars' is not a place leadcli knows" in warned.stderr
    failed = run("-q", "show", "nosuch")
    assert failed.exit_code == 1 and "no interview with id 'nosuch'" in failed.stderr


def test_quiet_may_follow_the_command_as_well(run, tmp_path) -> None:
    """`leadcli export -q`, as gh, llm and sqlite-utils users type it, not only `leadcli -q export`."""
    out = tmp_path / "o.json"
    assert run("interview", "--answers", "examples/call-notes.yaml", "--quiet").stderr == ""
    written = run("export", "--output", str(out), "-q")
    assert written.exit_code == 0 and written.stderr == "" and out.exists()
    imported = run("import", str(out), "--quiet")
    assert imported.exit_code == 0 and imported.stderr == ""
    assert "imported" in run("import", str(out)).stderr  # not left on from the run before
    warned = run("offerings", "--region", "Mars", "-q")  # a group's own options, and its warning
    assert warned.exit_code == 0 and "'Mars' is not a place leadcli knows" in warned.stderr
    assert run("offerings", "show", "diagnostics", "-q").exit_code == 0
    assert "-q, --quiet" in run("export", "--help").stdout


def test_organizations_that_differ_only_by_invisible_characters_are_one_and_flagged(
    run, isolated_home
) -> None:
    from leadcli.names import name_key
    from leadcli.store.db import Store
    from tests.reports_helpers import make_interview

    assert name_key("St Mary\u200b's\ufeff Health") == name_key("st mary's health")
    with Store.open(isolated_home) as store:
        store.interviews.insert(make_interview(interview_id="abc234", organization="St Mary's Health"))
        store.interviews.insert(make_interview(interview_id="abc235", organization="St Mary\u200b's Health"))
    result = run("report", "--org", "st mary's")
    assert result.exit_code == 0, result.output
    assert "2 calls" in result.stdout
    assert "differ only by invisible characters and count as one organization" in result.stderr
    assert "St Mary\\u200b's Health" in result.stderr
    assert json.loads(run("summary", "-f", "json").stdout)["organizations"] == 1


def test_one_spelling_or_a_change_of_case_is_not_flagged(run, isolated_home) -> None:
    from leadcli.store.db import Store
    from tests.reports_helpers import make_interview

    with Store.open(isolated_home) as store:
        store.interviews.insert(make_interview(interview_id="abc234", organization="École Santé"))
        store.interviews.insert(make_interview(interview_id="abc235", organization="ÉCOLE SANTÉ"))
    result = run("report", "--org", "école")
    assert result.exit_code == 0 and "2 calls" in result.stdout
    assert "invisible" not in result.stderr


def test_the_documented_backup_one_liner_makes_an_owner_only_copy(run, isolated_home, tmp_path) -> None:
    import os
    import re
    import stat
    import subprocess
    import sys
    from pathlib import Path

    run("interview", "--answers", "examples/call-notes.yaml")
    docs = (Path(__file__).resolve().parents[1] / "docs" / "commands.md").read_text(encoding="utf-8")
    block = re.search(r"\*\*Back it up\*\*.*?```bash\n(.*?)```", docs, re.S)
    assert block
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    subprocess.run(["bash", "-c", block[1]], cwd=tmp_path, env=env, check=True, timeout=60)
    copy = tmp_path / "leadcli-backup.db"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    import sqlite3

    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT count(*) FROM interviews").fetchone()[0] == 1


def test_output_without_a_format_names_the_formats_the_command_writes(run, tmp_path) -> None:
    result = run("evaluate", "--output", str(tmp_path / "e.md"))
    assert result.exit_code == 2
    assert "--output writes json, markdown; add --format" in result.output


def test_a_store_that_cannot_be_created_on_a_full_disk_says_so_and_leaves_nothing(
    run,
    small_disk,
) -> None:
    home = small_disk.path / "home"
    small_disk.fill()
    failed = run("--home", str(home), "interview", "--answers", "examples/call-notes.yaml")
    assert failed.exit_code == 1
    assert "the disk is full" in failed.output and "rollback" not in failed.output
    assert not (home / "leadcli.db").exists() and not (home / "leadcli.db-wal").exists()
    small_disk.free()
    again = run("--home", str(home), "interview", "--answers", "examples/call-notes.yaml")
    assert again.exit_code == 0, again.output


# --- import: strict at the door -----------------------------------------------------------------


@pytest.fixture
def exported(run, tmp_path) -> str:
    run("interview", "--answers", "examples/call-notes.yaml")
    path = tmp_path / "export.json"
    assert run("export", "--output", str(path)).exit_code == 0
    return path.read_text(encoding="utf-8")


def _import(run, tmp_path, text: str, *, encoding: str = "utf-8"):
    from pathlib import Path

    path = Path(tmp_path) / "in.json"
    path.write_text(text, encoding=encoding)
    other_home = Path(tmp_path) / "other-home"
    return run("--home", str(other_home), "import", str(path)), other_home


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda t: t.replace('"organization":', '"organization": "X", "organization":', 1), "is given twice"),
        (lambda t: t.replace("{", '{"bogus": 1, ', 1), "bogus: unknown field; an export's header has: kind"),
        (lambda t: t.replace('"position": ', '"position": ' + "9" * 5000 + ', "x": ', 1), "a number of 5000"),
        (
            lambda t: t.replace('"organization": "', '"organization": "' + "A" * 400, 1),
            "at most 300 are taken",
        ),
    ],
    ids=["duplicate key", "unknown top-level field", "5000-digit number", "long name"],
)
def test_import_refuses_what_it_would_otherwise_take_silently(run, tmp_path, exported, change, said) -> None:
    result, other_home = _import(run, tmp_path, change(exported))
    assert result.exit_code == 1, result.output
    assert said in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    listed = json.loads(run("--home", str(other_home), "list", "-f", "json").stdout)
    assert listed["interviews"] == []


def test_import_refuses_a_list_longer_than_the_limit(run, tmp_path, exported) -> None:
    from leadcli.untrusted import MAX_ITEMS

    data = json.loads(exported)
    person = data["interviews"][0]["contacts"][0]
    data["interviews"][0]["contacts"] = [person] * (MAX_ITEMS + 1)
    result, _ = _import(run, tmp_path, json.dumps(data))
    assert result.exit_code == 1
    assert f"contacts: has {MAX_ITEMS + 1:,} items; at most {MAX_ITEMS:,} are taken" in result.output


def test_import_reads_an_export_saved_with_a_byte_order_mark(run, tmp_path, exported) -> None:
    result, other_home = _import(run, tmp_path, exported, encoding="utf-8-sig")
    assert result.exit_code == 0, result.output
    listed = json.loads(run("--home", str(other_home), "list", "-f", "json").stdout)
    assert len(listed["interviews"]) == 1


def test_import_prints_counts_and_the_ids_only_when_asked(run, tmp_path, exported) -> None:
    path = tmp_path / "in.json"
    path.write_text(exported, encoding="utf-8")
    quiet = run("--home", str(tmp_path / "first"), "import", str(path))
    assert quiet.exit_code == 0
    assert quiet.stdout == "" and "imported 1 new interview(s)" in quiet.stderr
    listed = run("--home", str(tmp_path / "second"), "import", str(path), "--ids")
    assert listed.exit_code == 0 and len(listed.stdout.split()) == 1
