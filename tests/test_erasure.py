"""An erasure is never undone: a laptop's push, `sync` or an `import` of an interview an
organization's erasure removed is refused (its tombstone, migration 020_erasures), said once, and
the laptop keeps its lines until its user deletes them. A new interview of that organization is
welcome; a plain `delete ID` is not an erasure (a laptop's waiting lines store it again, said).

Every test runs on both stores (SQLite and PostgreSQL; see conftest.store_backend). The laptop's
waiting lines are put in its replica as a live interview leaves them when the team store is out of
reach (tests/test_capture_server.py drives that through a real network fault).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leadcli.store.db import Store
from leadcli.store.replica import Replica

pytestmark = pytest.mark.usefixtures("store_backend")

ORG = "Erase Me Org"


def on_team(run, tmp_path: Path, org: str = ORG, note: str = "first line") -> str:
    """An interview of `org` with one line, on the team store; its id."""
    path = tmp_path / f"{abs(hash((org, note)))}.yaml"
    path.write_text(
        f"organization: {org}\ninterviewer: Kim\ncontacts: [{{name: Dr Zed Quux, level: executive}}]\n"
        f"answers:\n  track-record: {{notes: '{note}'}}\n",
        encoding="utf-8",
    )
    made = run("interview", "--answers", str(path))
    assert made.exit_code == 0, made.output
    listed = json.loads(run("list", "-f", "json").stdout)["interviews"]
    return next(i["id"] for i in listed if i["organization"] == org)


def offline_lines(home: Path, interview_id: str, lines: list[str]) -> None:
    """This machine has the interview (as fetched from the team store) and typed `lines` into it
    while the team store was out of reach: they wait in the replica."""
    with Store.open(home) as team:
        record = team.interviews.get(interview_id)
    with Replica.open_in(home) as replica:
        replica.put(record, pushed=True)
        answer = replica.interviews.get(interview_id).answers["track-record"]
        for line in lines:
            replica.interviews.add_line(interview_id, answer, line)
        assert replica.lines_waiting(interview_id) == len(lines)


def erase(home: Path, org: str = ORG) -> tuple[str, str]:
    """A manager's erasure of `org` on the team store, from another machine (nothing of this
    machine's replica is pushed first); who made it and when, as the laptop says it."""
    with Store.open(home) as team:
        assert team.trail.erase_organization(org) >= 1
        row = team.connection.execute("SELECT erased_by, erased_at FROM erasures").fetchone()
    return row[0], str(row[1])[:16].replace("T", " ")


def team_interviews(home: Path) -> list[tuple[str, str, str]]:
    with Store.open(home) as team:
        return [
            (r.id, r.organization, r.answers["track-record"].notes if "track-record" in r.answers else "")
            for r in (team.interviews.get(i) for i in team.interviews.ids())
        ]


def erased_line(interview_id: str, who: str, when: str, lines: int) -> str:
    return (
        f"leadcli: interview {interview_id} ({ORG}) was erased from the team store by {who} at {when};"
        f" its {lines} waiting lines stay on this machine only — `leadcli delete {interview_id}` removes them"
    )


def test_a_laptops_sync_never_undoes_an_erasure_and_says_so_once(
    run, tmp_path, isolated_home, keyboard
) -> None:
    interview_id = on_team(run, tmp_path)
    offline_lines(isolated_home, interview_id, ["second line", "third line"])
    who, when = erase(isolated_home)

    synced = run("sync")
    assert synced.exit_code == 0, synced.output
    assert synced.stderr == erased_line(interview_id, who, when, 2) + "\n"
    assert team_interviews(isolated_home) == []  # not one line of it came back
    with Store.open(isolated_home) as team:
        uids = [r[0] for r in team.connection.execute("SELECT uid FROM erasures")]
        assert team.interviews.ids_by_uid(uids) == {}

    # Said once: no later command retries it or says it again ...
    again = run("sync")
    assert (again.exit_code, again.stderr) == (
        0,
        "leadcli: nothing waits for the team store\n"
        "leadcli: 1 interview(s) the team store erased are kept on this machine only"
        " (`leadcli sync --status` lists them)\n",
    )
    listed = run("list")
    assert listed.exit_code == 0 and "erased" not in listed.stderr and interview_id not in listed.stdout
    # ... but what this machine keeps is said where one looks for it.
    status = run("sync", "--status")
    assert status.stdout == (
        f"{interview_id}\t{ORG}\t2 lines kept on this machine only\terased from the team store by {who}"
        f" at {when}; `leadcli delete {interview_id}` removes it\n"
    )
    assert status.stderr == "leadcli: nothing waits for the team store\n"
    assert erased_line(interview_id, who, when, 2) in run("home").stderr

    # Nothing typed is lost silently: the laptop still has every line, until its user deletes them.
    with Replica.open_in(isolated_home) as replica:
        notes = replica.interviews.get(interview_id).answers["track-record"].notes
    assert notes == "first line\nsecond line\nthird line"
    keyboard()
    resumed = run("interview", "--resume", interview_id)  # not typed into again: it was erased
    assert resumed.exit_code == 1
    assert resumed.stderr.startswith(
        erased_line(interview_id, who, when, 2).replace("leadcli:", "leadcli: error:")
    )
    deleted = run("delete", interview_id, "--yes")
    assert deleted.exit_code == 0, deleted.output
    assert deleted.stderr == (
        f"leadcli: deleted this machine's copy of interview {interview_id} (2 lines that never reached"
        " the team store, which had erased it)\n"
    )
    with Replica.open_in(isolated_home) as replica:
        assert replica.interviews.ids() == [] and replica.erased_here() == []
    assert run("sync", "--status").stdout == ""
    assert team_interviews(isolated_home) == []


def test_any_command_that_pushes_first_says_the_erasure_even_when_quiet(run, tmp_path, isolated_home) -> None:
    interview_id = on_team(run, tmp_path)
    offline_lines(isolated_home, interview_id, ["only here"])
    who, when = erase(isolated_home)
    listed = run("--quiet", "list")
    assert listed.exit_code == 0, listed.output
    assert listed.stderr == (
        f"leadcli: interview {interview_id} ({ORG}) was erased from the team store by {who} at {when};"
        f" its 1 waiting line stays on this machine only — `leadcli delete {interview_id}` removes it\n"
    )
    assert run("--quiet", "list").stderr == ""  # once


def test_a_new_interview_of_an_erased_organization_is_welcome(run, tmp_path, isolated_home) -> None:
    """The customer may come back: tombstones match an interview's identity (uid), not its name."""
    erased_id = on_team(run, tmp_path)
    offline_lines(isolated_home, erased_id, ["kept here"])
    erase(isolated_home)
    assert "was erased" in run("sync").stderr
    again = on_team(run, tmp_path, note="they came back")
    assert team_interviews(isolated_home) == [(again, ORG, "they came back")]
    # Its own offline lines reach the team store as any other's do.
    offline_lines(isolated_home, again, ["and signed"])
    pushed = run("sync")
    assert pushed.exit_code == 0, pushed.output
    assert pushed.stderr.startswith(
        f"leadcli: pushed 1 line of interview {again} ({ORG}) to the team store\n"
    )
    assert team_interviews(isolated_home) == [(again, ORG, "they came back\nand signed")]


def test_an_import_of_an_export_made_before_the_erasure_skips_its_interviews_and_outcomes(
    run, tmp_path, isolated_home
) -> None:
    kept = on_team(run, tmp_path, org="Keep Me Clinic")
    gone = on_team(run, tmp_path)
    assert run("outcome", ORG, "--result", "declined", "--note", "they said no").exit_code == 0
    exports = [tmp_path / "before.json", tmp_path / "before.jsonl"]
    for path in exports:
        assert run("export", "-f", path.suffix[1:], "--output", str(path)).exit_code == 0
    who, when = erase(isolated_home)
    for path in exports:  # both kinds of export, each named and counted, not an error for the file
        imported = run("import", str(path))
        assert imported.exit_code == 0, imported.output
        assert imported.stderr == (
            f"leadcli: skipped interview {gone} ({ORG}): it was erased from the store by {who} at {when};"
            " an erasure is not undone by an import\n"
            "leadcli: imported 0 new interview(s), updated 0, skipped 1 unchanged, 0 conflict(s)\n"
            "leadcli: skipped 1 erased interview(s)\n"
            "leadcli: skipped 1 erased outcome(s)\n"
        )
    assert team_interviews(isolated_home) == [(kept, "Keep Me Clinic", "first line")]
    with Store.open(isolated_home) as team:
        assert team.outcomes.list() == []


def test_a_plain_delete_is_not_an_erasure_a_laptops_waiting_lines_store_it_again_and_say_so(
    run, tmp_path, isolated_home
) -> None:
    """`delete ID` removes one interview; a laptop that has lines of it waiting keeps them, and its
    push stores the interview again, whole (docs/capture.md: a delete elsewhere), saying so."""
    interview_id = on_team(run, tmp_path)
    offline_lines(isolated_home, interview_id, ["second line", "third line"])
    with Store.open(isolated_home) as team:
        team.interviews.delete(interview_id, take_over=True)
    synced = run("--quiet", "sync")
    assert synced.exit_code == 0, synced.output
    assert synced.stderr == (
        f"leadcli: pushed 2 lines of interview {interview_id} ({ORG}) to the team store: it had been"
        f" deleted there, so it is stored there again, whole (`leadcli delete {interview_id}` deletes it"
        " again)\n"
    )
    assert team_interviews(isolated_home) == [(interview_id, ORG, "first line\nsecond line\nthird line")]
    with Store.open(isolated_home) as team:
        assert team.connection.execute("SELECT count(*) FROM erasures").fetchone()[0] == 0


def test_an_erasure_keeps_no_customer_text_in_its_tombstones(run, tmp_path, isolated_home) -> None:
    interview_id = on_team(run, tmp_path)
    assert run("outcome", ORG, "--result", "declined", "--note", "they said no").exit_code == 0
    with Store.open(isolated_home) as team:
        uid = team.interviews.get(interview_id).uid
    erase(isolated_home)
    with Store.open(isolated_home) as team:
        rows = [tuple(map(str, r)) for r in team.connection.execute(
            "SELECT uid, kind, record_id, org_key_sha256 FROM erasures ORDER BY kind"
        )]  # fmt: skip
    import hashlib

    hashed = hashlib.sha256(b"erase me org").hexdigest()
    assert rows[0] == (uid, "interview", interview_id, hashed)
    assert rows[1][1:] == ("outcome", rows[1][0], hashed) and len(rows[1][0]) == 12
    assert "erase" not in " ".join(" ".join(r) for r in rows).replace(hashed, "").lower()


@pytest.mark.sqlite_only  # the server is reached through its own URL here, not the store_backend
def test_on_a_server_the_tombstones_do_not_depend_on_which_erase_function_is_defined(
    postgres_url, run, tmp_path, monkeypatch
) -> None:
    """The server's tombstones are written by triggers on the rows an erasure deletes, so another
    migration's erase_organization (019_server_integrity has one) cannot lose them: here the
    function is put back as 010_team_security defined it, and the erasure still leaves them."""
    import psycopg

    from leadcli.store.migrations import _DEFINER

    monkeypatch.setenv("LEADCLI_DATABASE_URL", postgres_url)
    interview_id = on_team(run, tmp_path)
    assert run("outcome", ORG, "--result", "declined").exit_code == 0
    schema = postgres_url.rsplit("%3D", 1)[1]
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute(
            f"""CREATE OR REPLACE FUNCTION erase_organization(p_key TEXT) RETURNS INTEGER
            LANGUAGE plpgsql {_DEFINER.replace("{schema}", schema)} AS $$
            DECLARE n INTEGER; m INTEGER;
            BEGIN
                PERFORM set_config('leadcli.action', 'erased', true);
                DELETE FROM interviews WHERE org_key = p_key;
                GET DIAGNOSTICS n = ROW_COUNT;
                DELETE FROM outcomes WHERE org_key = p_key;
                GET DIAGNOSTICS m = ROW_COUNT;
                RETURN n + m;
            END $$"""
        )
    assert run("delete", "--org", ORG, "--yes").exit_code == 0
    with Store.open(tmp_path, url=postgres_url) as team:
        kinds = [
            tuple(r) for r in team.connection.execute("SELECT kind, record_id FROM erasures ORDER BY kind")
        ]
    assert kinds[0] == ("interview", interview_id) and [k for k, _ in kinds] == ["interview", "outcome"]
    # A plain delete leaves none.
    other = on_team(run, tmp_path, org="Plain Delete Org")
    assert run("delete", other, "--yes").exit_code == 0
    with Store.open(tmp_path, url=postgres_url) as team:
        assert team.connection.execute("SELECT count(*) FROM erasures").fetchone()[0] == 2
