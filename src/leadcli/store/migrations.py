"""Forward-only, named schema migrations, applied on every open and recorded in the database."""

from __future__ import annotations

import functools
import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from leadcli.errors import LeadcliError

if TYPE_CHECKING:
    from leadcli.store.connection import Connection
    from leadcli.store.dialects import Dialect


def _key_names(connection: Connection) -> None:
    """Give every stored organization name its key (`names.name_key`, the rule of this migration's day)."""
    from leadcli.names import name_key

    for table in ("interviews", "outcomes"):
        names = [r[0] for r in connection.execute(f"SELECT DISTINCT organization FROM {table}")]
        connection.executemany(
            f"UPDATE {table} SET org_key = ? WHERE organization = ?", [(name_key(n), n) for n in names]
        )


def _key_interviewers(connection: Connection) -> None:
    """Give every stored interviewer name its key (`names.name_key`, as for organizations)."""
    from leadcli.names import name_key

    names = [r[0] for r in connection.execute("SELECT DISTINCT interviewer FROM interviews")]
    connection.executemany(
        "UPDATE interviews SET interviewer_key = ? WHERE interviewer = ?", [(name_key(n), n) for n in names]
    )


def _share_snapshots(connection: Connection) -> None:
    """Move each interview's copy of the questions into one shared row per distinct copy."""
    import hashlib

    rows = connection.execute("SELECT id, snapshot FROM interviews WHERE snapshot != ''").fetchall()
    for interview_id, text in rows:
        digest = hashlib.sha256(text.encode()).hexdigest()
        count = len(json.loads(text)["questions"])
        connection.execute(
            "INSERT INTO snapshots (sha256, questions, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (digest, count, text),
        )
        connection.execute(
            "UPDATE interviews SET snapshot_sha256 = ?, snapshot = '' WHERE id = ?", (digest, interview_id)
        )


# On SQLite (one user) the trail documents rather than enforces: the store writes who and why into
# `audit_context` at the start of each write, and triggers copy it into every audit row.
_SQLITE_AUDIT = """
CREATE TABLE audit_context (actor TEXT NOT NULL, action TEXT NOT NULL);
INSERT INTO audit_context VALUES ('', '');
CREATE TRIGGER audit_interview_insert AFTER INSERT ON interviews BEGIN
    INSERT INTO audit (at, actor, action, record_id)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor,
           CASE WHEN action IN ('imported', 'merged') THEN action ELSE 'created' END, NEW.id
    FROM audit_context;
END;
CREATE TRIGGER audit_interview_assign AFTER UPDATE OF assigned_to ON interviews
WHEN OLD.assigned_to <> NEW.assigned_to BEGIN
    INSERT INTO audit (at, actor, action, record_id, detail)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor, 'assigned', NEW.id,
           OLD.assigned_to || ' -> ' || NEW.assigned_to
    FROM audit_context;
END;
CREATE TRIGGER audit_interview_delete AFTER DELETE ON interviews
WHEN (SELECT action FROM audit_context) NOT IN ('imported', 'merged', 'erased') BEGIN
    INSERT INTO audit (at, actor, action, record_id)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor, 'deleted', OLD.id FROM audit_context;
END;
CREATE TRIGGER audit_answer_insert AFTER INSERT ON answers
WHEN (SELECT action FROM audit_context) NOT IN ('imported', 'merged') BEGIN
    INSERT INTO audit (at, actor, action, record_id, detail)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor, 'line added', NEW.interview_id,
           NEW.question_id
    FROM audit_context WHERE NEW.notes <> '';
    INSERT INTO audit (at, actor, action, record_id, detail)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor, 'rated', NEW.interview_id,
           NEW.question_id || ': ' || NEW.rating
    FROM audit_context WHERE NEW.rating IS NOT NULL;
END;
CREATE TRIGGER audit_answer_update AFTER UPDATE ON answers
WHEN (SELECT action FROM audit_context) NOT IN ('imported', 'merged') BEGIN
    INSERT INTO audit (at, actor, action, record_id, detail)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor,
           CASE WHEN substr(NEW.notes, 1, length(OLD.notes)) = OLD.notes
                THEN 'line added' ELSE 'notes changed' END,
           NEW.interview_id, NEW.question_id
    FROM audit_context WHERE NEW.notes <> OLD.notes;
    INSERT INTO audit (at, actor, action, record_id, detail)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor, 'rated', NEW.interview_id,
           NEW.question_id || ': ' || coalesce(NEW.rating, 'unrated')
    FROM audit_context WHERE NEW.rating IS NOT OLD.rating;
END;
CREATE TRIGGER audit_reflection_insert AFTER INSERT ON reflections
WHEN (SELECT action FROM audit_context) NOT IN ('imported', 'merged') BEGIN
    INSERT INTO audit (at, actor, action, record_id, detail)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor, 'reflected', NEW.interview_id,
           coalesce(NEW.verdict, '')
    FROM audit_context;
END;
CREATE TRIGGER audit_reflection_update AFTER UPDATE ON reflections
WHEN (SELECT action FROM audit_context) NOT IN ('imported', 'merged') BEGIN
    INSERT INTO audit (at, actor, action, record_id, detail)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor, 'reflected', NEW.interview_id,
           coalesce(NEW.verdict, '')
    FROM audit_context;
END;
CREATE TRIGGER audit_publication_insert AFTER INSERT ON question_publications BEGIN
    INSERT INTO audit (at, actor, action, record_id, detail)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor, 'published', '', NEW.version
    FROM audit_context;
END;
CREATE TRIGGER audit_outcome_insert AFTER INSERT ON outcomes BEGIN
    INSERT INTO audit (at, actor, action, record_id, detail)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor,
           CASE WHEN action IN ('imported', 'merged') THEN action ELSE 'outcome recorded' END,
           NEW.id, NEW.result
    FROM audit_context;
END;
"""

# On a server the database writes the trail and the authorship itself: triggers read session_user
# (the login, whatever role it has SET), never anything the client sends. The trail's functions
# and the narrow writers of leadcli's internal tables run as their owner (SECURITY DEFINER) with a
# fixed search_path; nobody but the owner may EXECUTE them until store.team grants it.
_DEFINER = "SECURITY DEFINER SET search_path = {schema}, pg_catalog, pg_temp"
_SERVER_NOW = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || '+00:00'"
_SERVER_SECURITY = f"""
CREATE FUNCTION audit_note(p_action TEXT, p_record TEXT, p_detail TEXT) RETURNS void
LANGUAGE sql {_DEFINER} AS $$
    INSERT INTO audit (at, actor, action, record_id, detail)
    VALUES ({_SERVER_NOW}, session_user, p_action, p_record, p_detail)
$$;
CREATE FUNCTION audit_action() RETURNS TEXT LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT coalesce(current_setting('leadcli.action', true), '')
$$;
CREATE FUNCTION stamp_authorship() RETURNS trigger LANGUAGE plpgsql
SET search_path = {{schema}}, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.created_by := session_user;
        NEW.assigned_to := session_user;
    ELSE
        NEW.created_by := OLD.created_by;
        NEW.claimed_by := OLD.claimed_by;
    END IF;
    NEW.changed_by := session_user;
    RETURN NEW;
END $$;
CREATE TRIGGER stamp_authorship BEFORE INSERT OR UPDATE ON interviews
    FOR EACH ROW EXECUTE FUNCTION stamp_authorship();
CREATE FUNCTION audit_interviews() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    why TEXT := audit_action();
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM audit_note(CASE WHEN why IN ('imported', 'merged') THEN why ELSE 'created' END, NEW.id, '');
    ELSIF TG_OP = 'UPDATE' THEN
        IF OLD.assigned_to <> NEW.assigned_to THEN
            PERFORM audit_note('assigned', NEW.id, OLD.assigned_to || ' -> ' || NEW.assigned_to);
        END IF;
    ELSIF why NOT IN ('imported', 'merged', 'erased') THEN
        PERFORM audit_note('deleted', OLD.id, '');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER audit_interviews AFTER INSERT OR UPDATE OR DELETE ON interviews
    FOR EACH ROW EXECUTE FUNCTION audit_interviews();
CREATE FUNCTION audit_answers() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF audit_action() IN ('imported', 'merged') THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.notes <> '' THEN
            PERFORM audit_note('line added', NEW.interview_id, NEW.question_id);
        END IF;
        IF NEW.rating IS NOT NULL THEN
            PERFORM audit_note('rated', NEW.interview_id, NEW.question_id || ': ' || NEW.rating);
        END IF;
    ELSE
        IF NEW.notes <> OLD.notes THEN
            PERFORM audit_note(
                CASE WHEN left(NEW.notes, length(OLD.notes)) = OLD.notes THEN 'line added'
                     ELSE 'notes changed' END,
                NEW.interview_id, NEW.question_id);
        END IF;
        IF NEW.rating IS DISTINCT FROM OLD.rating THEN
            PERFORM audit_note('rated', NEW.interview_id,
                               NEW.question_id || ': ' || coalesce(NEW.rating, 'unrated'));
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER audit_answers AFTER INSERT OR UPDATE ON answers
    FOR EACH ROW EXECUTE FUNCTION audit_answers();
CREATE FUNCTION audit_reflections() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF audit_action() NOT IN ('imported', 'merged') THEN
        PERFORM audit_note('reflected', NEW.interview_id, coalesce(NEW.verdict, ''));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER audit_reflections AFTER INSERT OR UPDATE ON reflections
    FOR EACH ROW EXECUTE FUNCTION audit_reflections();
CREATE FUNCTION audit_outcomes() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    why TEXT := audit_action();
BEGIN
    PERFORM audit_note(CASE WHEN why IN ('imported', 'merged') THEN why ELSE 'outcome recorded' END,
                       NEW.id, NEW.result);
    RETURN NULL;
END $$;
CREATE TRIGGER audit_outcomes AFTER INSERT ON outcomes
    FOR EACH ROW EXECUTE FUNCTION audit_outcomes();
-- Who recorded a question set or published one is the session's user, whatever the client sends.
CREATE FUNCTION stamp_question_sets() RETURNS trigger LANGUAGE plpgsql
SET search_path = {{schema}}, pg_catalog, pg_temp AS $$
BEGIN
    NEW.recorded_by := session_user;
    RETURN NEW;
END $$;
CREATE TRIGGER stamp_question_sets BEFORE INSERT ON question_sets
    FOR EACH ROW EXECUTE FUNCTION stamp_question_sets();
CREATE FUNCTION stamp_publications() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    NEW.published_by := session_user;
    PERFORM audit_note('published', '', NEW.version);
    RETURN NEW;
END $$;
CREATE TRIGGER stamp_publications BEFORE INSERT ON question_publications
    FOR EACH ROW EXECUTE FUNCTION stamp_publications();
ALTER TABLE question_sets ENABLE ROW LEVEL SECURITY;
ALTER TABLE question_publications ENABLE ROW LEVEL SECURITY;
-- The cache is emptied by a trigger whoever changes an answer: it runs as the cache's owner.
ALTER FUNCTION assessment_stale() {_DEFINER};
-- The narrow writers of leadcli's internal tables.
CREATE FUNCTION add_snapshot(p_sha256 TEXT, p_questions INTEGER, p_data TEXT) RETURNS void
LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF p_sha256 <> encode(sha256(convert_to(p_data, 'UTF8')), 'hex') THEN
        RAISE EXCEPTION 'a snapshot is kept under the SHA-256 of its text' USING ERRCODE = '22023';
    END IF;
    INSERT INTO snapshots (sha256, questions, data) VALUES (p_sha256, p_questions, p_data)
    ON CONFLICT (sha256) DO NOTHING;
END $$;
CREATE FUNCTION keep_levels(p_interview TEXT, p_rules TEXT, p_levels TEXT) RETURNS void
LANGUAGE sql {_DEFINER} AS $$
    INSERT INTO assessment_cache (interview_id, rules, levels)
    SELECT id, p_rules || ':' || snapshot_sha256, p_levels FROM interviews WHERE id = p_interview
    ON CONFLICT (interview_id) DO UPDATE SET rules = excluded.rules, levels = excluded.levels
$$;
CREATE FUNCTION may_change(p_interview TEXT) RETURNS boolean
LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT EXISTS (
        SELECT 1 FROM interviews i WHERE i.id = p_interview AND (
            i.assigned_to = session_user
            OR NOT EXISTS (SELECT 1 FROM store_settings WHERE name = 'manager_role')
            OR pg_has_role(session_user,
                           (SELECT value FROM store_settings WHERE name = 'manager_role'), 'MEMBER')))
$$;
CREATE FUNCTION take_lease(p_interview TEXT, p_host TEXT, p_pid INTEGER, p_since TEXT) RETURNS void
LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF NOT may_change(p_interview) THEN
        RAISE EXCEPTION 'interview % belongs to another interviewer', p_interview USING ERRCODE = '42501';
    END IF;
    DELETE FROM interview_leases WHERE interview_id = p_interview;
    INSERT INTO interview_leases (interview_id, holder, host, pid, since)
    VALUES (p_interview, session_user, p_host, p_pid, p_since);
END $$;
CREATE FUNCTION release_lease(p_interview TEXT, p_host TEXT, p_pid INTEGER) RETURNS void
LANGUAGE sql {_DEFINER} AS $$
    DELETE FROM interview_leases
    WHERE interview_id = p_interview AND host = p_host AND pid = p_pid AND holder = session_user
$$;
CREATE FUNCTION note_export(p_count INTEGER) RETURNS void LANGUAGE sql {_DEFINER} AS $$
    SELECT audit_note('exported', '', p_count || ' interview(s)')
$$;
CREATE FUNCTION interview_history(p_interview TEXT)
RETURNS TABLE (at TEXT, actor TEXT, action TEXT, detail TEXT)
LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT a.at, a.actor, a.action, a.detail FROM audit a WHERE a.record_id = p_interview ORDER BY a.id
$$;
-- A data-subject erasure: everything about one organization goes, its trail with it; the trail
-- keeps only that an erasure happened, by whom and when.
CREATE FUNCTION erase_organization(p_key TEXT) RETURNS INTEGER
LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    gone TEXT[];
    interviews_gone INTEGER;
    outcomes_gone INTEGER;
BEGIN
    PERFORM set_config('leadcli.action', 'erased', true);
    SELECT coalesce(array_agg(id), '{{}}') INTO gone FROM (
        SELECT id FROM interviews WHERE org_key = p_key
        UNION ALL SELECT id FROM outcomes WHERE org_key = p_key) found;
    DELETE FROM interviews WHERE org_key = p_key;
    GET DIAGNOSTICS interviews_gone = ROW_COUNT;
    DELETE FROM outcomes WHERE org_key = p_key;
    GET DIAGNOSTICS outcomes_gone = ROW_COUNT;
    DELETE FROM audit WHERE record_id = ANY (gone);
    PERFORM audit_note('erased', '', 'an organization: ' || interviews_gone || ' interview(s), '
                                      || outcomes_gone || ' outcome(s)');
    RETURN interviews_gone + outcomes_gone;
END $$;
REVOKE ALL ON FUNCTION audit_note(TEXT, TEXT, TEXT), add_snapshot(TEXT, INTEGER, TEXT),
    keep_levels(TEXT, TEXT, TEXT), may_change(TEXT), take_lease(TEXT, TEXT, INTEGER, TEXT),
    release_lease(TEXT, TEXT, INTEGER), note_export(INTEGER), interview_history(TEXT),
    erase_organization(TEXT), audit_interviews(), audit_answers(), audit_reflections(),
    audit_outcomes(), assessment_stale(), stamp_authorship(), audit_action(), stamp_question_sets(),
    stamp_publications()
    FROM PUBLIC;
ALTER TABLE interviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE answers ENABLE ROW LEVEL SECURITY;
ALTER TABLE reflections ENABLE ROW LEVEL SECURITY;
ALTER TABLE follow_ups ENABLE ROW LEVEL SECURITY;
ALTER TABLE outcomes ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit ENABLE ROW LEVEL SECURITY;
"""


def _note_lines(connection: Connection) -> None:
    """Give every interview its identity and split each note into lines, worked out as an old
    export of the same interview is on import (`store.merge.normalized`), so both merge."""
    from leadcli.store.identity import legacy_follow_up_id, legacy_lines, legacy_uid

    rows = connection.execute("SELECT id, created_at, organization, created_by FROM interviews").fetchall()
    known = {r[0]: (legacy_uid(r[0], r[1], r[2]), r[1], r[3]) for r in rows}
    connection.executemany(
        "UPDATE interviews SET uid = ? WHERE id = ?", [(u, i) for i, (u, _, _) in known.items()]
    )
    ids = sorted(known)
    for start in range(0, len(ids), 200):  # a batch of interviews at a time: memory stays flat
        batch = ids[start : start + 200]
        marks = ", ".join("?" * len(batch))
        answers = connection.execute(
            f"SELECT interview_id, question_id, notes, updated_at FROM answers"
            f" WHERE interview_id IN ({marks}) AND notes <> ''",
            batch,
        ).fetchall()
        connection.executemany(
            "INSERT INTO note_lines (interview_id, question_id, id, stamp, author, text)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (interview_id, question_id, line_id, stamp, known[interview_id][2], text)
                for interview_id, question_id, notes, moment in answers
                for line_id, stamp, text in legacy_lines(known[interview_id][0], question_id, notes, moment)
            ],
        )
        follow_ups = connection.execute(
            f"SELECT interview_id, position, text FROM follow_ups WHERE interview_id IN ({marks})", batch
        ).fetchall()
        connection.executemany(
            "UPDATE follow_ups SET id = ? WHERE interview_id = ? AND position = ?",
            [
                (legacy_follow_up_id(known[i][0], position, text, known[i][1]), i, position)
                for i, position, text in follow_ups
            ],
        )
    connection.execute("UPDATE answers SET notes = '' WHERE notes <> ''")


_NOTE_LINES = """
ALTER TABLE interviews ADD COLUMN uid TEXT NOT NULL DEFAULT '';
ALTER TABLE interviews ADD COLUMN stamps TEXT NOT NULL DEFAULT '{}';
ALTER TABLE answers ADD COLUMN stamps TEXT NOT NULL DEFAULT '{}';
ALTER TABLE reflections ADD COLUMN stamps TEXT NOT NULL DEFAULT '{}';
ALTER TABLE follow_ups ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE follow_ups ADD COLUMN stamp TEXT NOT NULL DEFAULT '';
CREATE TABLE note_lines (
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    id TEXT NOT NULL,
    stamp TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    gone TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (interview_id, id)
){without_rowid};
CREATE TABLE value_history (
    id {serial_key},
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    stamp TEXT NOT NULL,
    winner_stamp TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE UNIQUE INDEX value_history_once ON value_history(interview_id, field, stamp);
CREATE INDEX interviews_by_uid ON interviews(uid);
"""

# 012_note_lines: the trail of an answer no longer reads its notes (they are lines now): a line
# added is a row of note_lines, named by its question, never its text.
_SQLITE_LINES_BEFORE = """
DROP TRIGGER audit_answer_insert;
DROP TRIGGER audit_answer_update;
"""
_SQLITE_LINES_AFTER = """
CREATE TRIGGER audit_answer_insert AFTER INSERT ON answers
WHEN (SELECT action FROM audit_context) NOT IN ('imported', 'merged') BEGIN
    INSERT INTO audit (at, actor, action, record_id, detail)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor, 'rated', NEW.interview_id,
           NEW.question_id || ': ' || NEW.rating
    FROM audit_context WHERE NEW.rating IS NOT NULL;
END;
CREATE TRIGGER audit_answer_update AFTER UPDATE ON answers
WHEN (SELECT action FROM audit_context) NOT IN ('imported', 'merged') BEGIN
    INSERT INTO audit (at, actor, action, record_id, detail)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor, 'rated', NEW.interview_id,
           NEW.question_id || ': ' || coalesce(NEW.rating, 'unrated')
    FROM audit_context WHERE NEW.rating IS NOT OLD.rating;
END;
CREATE TRIGGER audit_line_insert AFTER INSERT ON note_lines
WHEN (SELECT action FROM audit_context) NOT IN ('imported', 'merged') BEGIN
    INSERT INTO audit (at, actor, action, record_id, detail)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor, 'line added', NEW.interview_id,
           NEW.question_id
    FROM audit_context;
END;
CREATE TRIGGER audit_conflict_insert AFTER INSERT ON value_history BEGIN
    INSERT INTO audit (at, actor, action, record_id, detail)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), actor, 'conflict kept', NEW.interview_id,
           NEW.field
    FROM audit_context;
END;
"""
_SERVER_LINES_BEFORE = f"""
CREATE OR REPLACE FUNCTION audit_answers() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF audit_action() IN ('imported', 'merged') THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.rating IS NOT NULL THEN
            PERFORM audit_note('rated', NEW.interview_id, NEW.question_id || ': ' || NEW.rating);
        END IF;
    ELSIF NEW.rating IS DISTINCT FROM OLD.rating THEN
        PERFORM audit_note('rated', NEW.interview_id,
                           NEW.question_id || ': ' || coalesce(NEW.rating, 'unrated'));
    END IF;
    RETURN NULL;
END $$;
ALTER TABLE interviews DISABLE TRIGGER stamp_authorship;
"""
_SERVER_LINES_AFTER = f"""
ALTER TABLE interviews ENABLE TRIGGER stamp_authorship;
CREATE FUNCTION audit_note_lines() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF audit_action() NOT IN ('imported', 'merged') THEN
        PERFORM audit_note('line added', NEW.interview_id, NEW.question_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER audit_note_lines AFTER INSERT ON note_lines
    FOR EACH ROW EXECUTE FUNCTION audit_note_lines();
CREATE FUNCTION audit_value_history() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    PERFORM audit_note('conflict kept', NEW.interview_id, NEW.field);
    RETURN NULL;
END $$;
CREATE TRIGGER audit_value_history AFTER INSERT ON value_history
    FOR EACH ROW EXECUTE FUNCTION audit_value_history();
REVOKE ALL ON FUNCTION audit_note_lines(), audit_value_history() FROM PUBLIC;
ALTER TABLE note_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE value_history ENABLE ROW LEVEL SECURITY;
"""

# The lease writer by machine id (015_lease_machine). `since` is a timestamptz from
# 014_server_types on, which always runs before 015 (or, on a store that had 015 first, replaces
# this function itself).
_TAKE_LEASE = f"""
CREATE OR REPLACE FUNCTION take_lease(
    p_interview TEXT, p_machine TEXT, p_host TEXT, p_pid INTEGER, p_since TEXT
) RETURNS void LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF NOT may_change(p_interview) THEN
        RAISE EXCEPTION 'interview % belongs to another interviewer', p_interview USING ERRCODE = '42501';
    END IF;
    DELETE FROM interview_leases WHERE interview_id = p_interview;
    INSERT INTO interview_leases (interview_id, holder, host, pid, since, machine)
    VALUES (p_interview, session_user, p_host, p_pid, CAST(p_since AS timestamptz), p_machine);
END $$;
"""

# 015_lease_machine on a server: the lease writers by machine id (replacing those of 010).
_SERVER_LEASES = f"""
DROP FUNCTION take_lease(TEXT, TEXT, INTEGER, TEXT);
DROP FUNCTION release_lease(TEXT, TEXT, INTEGER);
{_TAKE_LEASE}
CREATE FUNCTION release_lease(p_interview TEXT, p_machine TEXT, p_pid INTEGER) RETURNS void
LANGUAGE sql {_DEFINER} AS $$
    DELETE FROM interview_leases
    WHERE interview_id = p_interview AND machine = p_machine AND pid = p_pid AND holder = session_user
$$;
REVOKE ALL ON FUNCTION take_lease(TEXT, TEXT, TEXT, INTEGER, TEXT), release_lease(TEXT, TEXT, INTEGER)
    FROM PUBLIC;
"""

# 016_one_call_lines on SQLite: a typed line's commit writes two pages (its row and its trail row),
# not four. The trail's ids lose AUTOINCREMENT (no sqlite_sequence page per entry; ids stay in the
# order the entries were made: SQLite gives the next after the largest) and the trail its index by
# record (one page per entry): `leadcli history` reads the file's trail through instead (about
# 20 ms at 300,000 entries). Each page is a 16 KiB WAL frame. The table is made anew beside a
# copy, never renamed: the triggers that write it name it `audit` and keep doing so.
_SQLITE_TRAIL_IDS = """
CREATE TABLE audit_copy AS SELECT id, at, actor, action, record_id, detail FROM audit;
DROP TABLE audit;
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    record_id TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
INSERT INTO audit (id, at, actor, action, record_id, detail)
    SELECT id, at, actor, action, record_id, detail FROM audit_copy ORDER BY id;
DROP TABLE audit_copy;
DELETE FROM sqlite_sequence WHERE name = 'audit';
"""

# 016_one_call_lines on a server: a typed line is one call, sent on its own (autocommit), so one
# round trip. It runs as its caller (SECURITY INVOKER): the grants and row-level security refuse a
# colleague's interview as they refuse a plain INSERT, and the trail's trigger writes the audit row
# as ever. It checks what the client checked in round trips of its own: that the interview is the
# caller's to change (else LC001, its assignee in DETAIL), and, when the caller holds a lease
# (p_pid not NULL), that it still does, under the interview's row lock, which a take-over takes
# too (else LC002: each statement of the function sees what committed before it, so a take-over
# the lock waited for is seen). Given p_now, the interview's updated_at moves to it when it is
# before p_behind (the client asks about once a minute, not at every line).
_ADD_NOTE_LINE = """
CREATE FUNCTION add_note_line(
    p_interview TEXT, p_question TEXT, p_id TEXT, p_stamp TEXT, p_author TEXT, p_text TEXT,
    p_now TEXT, p_behind TEXT, p_machine TEXT, p_host TEXT, p_pid INTEGER
) RETURNS void LANGUAGE plpgsql SECURITY INVOKER SET search_path = {schema}, pg_catalog, pg_temp AS $$
DECLARE
    assignee TEXT;
BEGIN
    SELECT i.assigned_to INTO assignee FROM interviews i WHERE i.id = p_interview;
    IF FOUND AND assignee <> session_user AND NOT may_change(p_interview) THEN
        RAISE EXCEPTION 'interview % belongs to another interviewer (%)', p_interview, assignee
            USING ERRCODE = 'LC001', DETAIL = assignee;
    END IF;
    IF p_pid IS NOT NULL THEN
        PERFORM 1 FROM interviews i WHERE i.id = p_interview FOR UPDATE;
        IF NOT EXISTS (
            SELECT 1 FROM interview_leases l
            WHERE l.interview_id = p_interview AND l.pid = p_pid AND CASE
                WHEN l.machine <> '' OR p_machine <> '' THEN l.machine = p_machine
                ELSE l.host = p_host END
        ) THEN
            RAISE EXCEPTION 'interview % was taken over; this line was not saved', p_interview
                USING ERRCODE = 'LC002';
        END IF;
    END IF;
    INSERT INTO note_lines (interview_id, question_id, id, stamp, author, text)
    VALUES (p_interview, p_question, p_id, p_stamp, p_author, p_text);
    IF p_now IS NOT NULL THEN
        UPDATE interviews SET updated_at = CAST(p_now AS timestamptz)
        WHERE id = p_interview AND updated_at < CAST(p_behind AS timestamptz);
    END IF;
END $$;
-- The trail's row of a line, written as before by its owner's trigger, now without calling the
-- SQL functions audit_action() and audit_note() (a SQL function is planned anew at each call:
-- about a tenth of a millisecond per line); the same row, the same rule.
CREATE OR REPLACE FUNCTION audit_note_lines() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = {schema}, pg_catalog, pg_temp AS $$
BEGIN
    IF coalesce(current_setting('leadcli.action', true), '') NOT IN ('imported', 'merged') THEN
        INSERT INTO audit (at, actor, action, record_id, detail)
        VALUES (date_trunc('second', now()), session_user, 'line added', NEW.interview_id, NEW.question_id);
    END IF;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION add_note_line(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, INTEGER)
    FROM PUBLIC;
COMMENT ON FUNCTION add_note_line(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, INTEGER) IS
    'One typed line in one call (016_one_call_lines), as its caller: checks the interview is theirs'
    ' (LC001) and, given p_pid, their lease on it under its row lock (LC002); adds the note_lines'
    ' row (the trail''s trigger records it); given p_now, moves updated_at to it if before p_behind.';
"""


# 022_line_trail_by_minute in the file: a typed line's commit writes one page (its row), not two.
# The trail records typing to the minute: a line adds its `line added` entry unless the trail's
# latest entry already is one for the same interview, question and user in the same minute (the
# entries stay in order; a run of lines is one entry, a line on another question or after any other
# entry starts a new one). The trigger only reads the trail's last page then, so the commit writes
# none of it. A file whose `store_settings` has `trail_of_lines = none` (this machine's replica,
# store/replica.py: its trail is never read, the team store writes its own when the lines arrive)
# keeps no entry of a line at all. A server keeps its trail of every line (016's trigger).
_SQLITE_LINE_TRAIL = """
DROP TRIGGER audit_line_insert;
CREATE TRIGGER audit_line_insert AFTER INSERT ON note_lines
WHEN (SELECT action FROM audit_context) NOT IN ('imported', 'merged')
BEGIN
    INSERT INTO audit (at, actor, action, record_id, detail)
    SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), c.actor, 'line added', NEW.interview_id,
           NEW.question_id
    FROM audit_context c
    WHERE NOT EXISTS (SELECT 1 FROM store_settings WHERE name = 'trail_of_lines' AND value = 'none')
      AND NOT EXISTS (
        SELECT 1 FROM audit l WHERE l.id = (SELECT max(id) FROM audit)
          AND l.action = 'line added' AND l.record_id = NEW.interview_id
          AND l.detail = NEW.question_id AND l.actor = c.actor
          AND substr(l.at, 1, 16) = strftime('%Y-%m-%dT%H:%M', 'now'));
END;
"""

# 022_line_trail_by_minute on a server: no stamp ahead of the server's time is stored, whoever
# sends it (a client's push clamps what it sends, store.push.in_team_time; the database makes
# sure). Before each row of the tables with stamps that rank edits is written, a stamp
# (`MMMMMMMMMMMMM.CCCCCC.NODE`, store.clock) whose milliseconds are more than 5 s ahead of
# clock_timestamp() gets the server's millisecond now instead, keeping its counter and node, so it
# ranks as made now and never above a later real edit. The 5 s spare an honest client, whose
# offset to the server's time is measured over a round trip (a few milliseconds off): clamping its
# lines would tie them in one millisecond and could reorder them. value_history's stamps rank
# nothing (they name values that lost) and are kept as they came.
_SERVER_CLAMP = """
CREATE FUNCTION clamp_line_stamps() RETURNS trigger LANGUAGE plpgsql
SET search_path = {schema}, pg_catalog, pg_temp AS $$
DECLARE
    now_ms BIGINT := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
    ceiling TEXT := lpad(now_ms::text, 13, '0');
    limit_ms TEXT := lpad((now_ms + 5000)::text, 13, '0');
BEGIN
    IF NEW.stamp ~ '^[0-9]{13}[.]' AND left(NEW.stamp, 13) > limit_ms THEN
        NEW.stamp := ceiling || substr(NEW.stamp, 14);
    END IF;
    IF NEW.gone ~ '^[0-9]{13}[.]' AND left(NEW.gone, 13) > limit_ms THEN
        NEW.gone := ceiling || substr(NEW.gone, 14);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER clamp_line_stamps BEFORE INSERT OR UPDATE ON note_lines
    FOR EACH ROW EXECUTE FUNCTION clamp_line_stamps();
CREATE FUNCTION clamp_follow_up_stamp() RETURNS trigger LANGUAGE plpgsql
SET search_path = {schema}, pg_catalog, pg_temp AS $$
DECLARE
    now_ms BIGINT := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
    ceiling TEXT := lpad(now_ms::text, 13, '0');
    limit_ms TEXT := lpad((now_ms + 5000)::text, 13, '0');
BEGIN
    IF NEW.stamp ~ '^[0-9]{13}[.]' AND left(NEW.stamp, 13) > limit_ms THEN
        NEW.stamp := ceiling || substr(NEW.stamp, 14);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER clamp_follow_up_stamp BEFORE INSERT OR UPDATE ON follow_ups
    FOR EACH ROW EXECUTE FUNCTION clamp_follow_up_stamp();
CREATE FUNCTION clamp_row_stamps() RETURNS trigger LANGUAGE plpgsql
SET search_path = {schema}, pg_catalog, pg_temp AS $$
DECLARE
    now_ms BIGINT := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
    ceiling TEXT := lpad(now_ms::text, 13, '0');
    limit_ms TEXT := lpad((now_ms + 5000)::text, 13, '0');
    entry RECORD;
    kept jsonb := NEW.stamps;
BEGIN
    IF jsonb_typeof(NEW.stamps) <> 'object' THEN
        RETURN NEW;
    END IF;
    FOR entry IN SELECT key, value FROM jsonb_each_text(NEW.stamps) LOOP
        IF entry.value ~ '^[0-9]{13}[.]' AND left(entry.value, 13) > limit_ms THEN
            kept := jsonb_set(kept, ARRAY[entry.key], to_jsonb(ceiling || substr(entry.value, 14)));
        END IF;
    END LOOP;
    NEW.stamps := kept;
    RETURN NEW;
END $$;
CREATE TRIGGER clamp_row_stamps BEFORE INSERT OR UPDATE OF stamps ON interviews
    FOR EACH ROW EXECUTE FUNCTION clamp_row_stamps();
CREATE TRIGGER clamp_row_stamps BEFORE INSERT OR UPDATE OF stamps ON answers
    FOR EACH ROW EXECUTE FUNCTION clamp_row_stamps();
CREATE TRIGGER clamp_row_stamps BEFORE INSERT OR UPDATE OF stamps ON reflections
    FOR EACH ROW EXECUTE FUNCTION clamp_row_stamps();
"""

# 014_server_types on a server: the types a DBA expects (timestamptz, date, jsonb) in place of the
# text SQLite keeps, and a COMMENT on every table and column. The dialect reads the new types back
# as the same ISO text as before (store/dialects/postgres.py), so no other code changes. Functions
# that wrote text into these columns are replaced (same signatures, so their grants stay).
_MOMENTS = {  # table -> its columns holding a moment (timestamptz)
    "interviews": ("created_at", "updated_at"),
    "answers": ("updated_at",),
    "reflections": ("updated_at",),
    "interview_leases": ("since",),
    "outcomes": ("recorded_at",),
    "question_sets": ("recorded_at",),
    "question_publications": ("published_at",),
    "audit": ("at",),
    "migrations": ("applied_at",),
    "value_history": ("at",),
}
_DAYS = {"follow_ups": ("due",), "outcomes": ("decided_on",)}  # date
_JSON = {  # table -> its columns holding JSON (jsonb), with the default each has
    "interviews": (("stamps", "'{}'"),),
    "answers": (("cues", "'[]'"), ("cue_judgements", "'{}'"), ("stamps", "'{}'")),
    "reflections": (("domain_levels", "'{}'"), ("proposed", "'[]'"), ("stamps", "'{}'")),
    "outcomes": (("offerings", "'[]'"),),
    "snapshots": (("data", None),),
    "assessment_cache": (("levels", None),),
    "question_sets": (("data", None),),
}

# What each table and column holds, for `\d+` and every schema browser (COMMENT ON).
COMMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "interviews": (
        "One conversation with a prospective customer's leaders (leadcli interview).",
        {
            "id": "The interview's id: six characters of 23456789abcdefghjkmnpqrstuvwxyz.",
            "rowid": "Order of insertion (SQLite's rowid, kept so both stores sort alike).",
            "organization": "The organization's name as typed.",
            "org_key": "The name's identity key (names.name_key: NFKC, case and spaces folded); matched on.",
            "interviewer": "Who held the conversation, as typed.",
            "interviewer_key": "The interviewer's identity key (names.name_key); matched on.",
            "region": "Where the organization is (decides which offerings fit); may be empty.",
            "status": "draft, awaiting-reflection or complete (vocabulary.status_for).",
            "position": "How many questions have been gone through (where a resumed interview goes on).",
            "created_at": "When the interview was begun.",
            "updated_at": "When anything in it last changed (a typed line moves it once a minute behind).",
            "framework_version": "The framework's version the interview was taken with.",
            "framework_sha256": "SHA-256 of the framework file it was taken with.",
            "questions_version": "The question set's version it was taken with.",
            "questions_sha256": "SHA-256 of the questions file it was taken with.",
            "questions_source": "Where its questions came from: the published set, or a --data-dir.",
            "snapshot": "Emptied (003_shared_snapshots): the copy of the questions is in snapshots.",
            "snapshot_sha256": "The snapshot (snapshots.sha256) of the questions it was taken with.",
            "created_by": "The database user that created it (set by the database, from session_user).",
            "changed_by": "The database user that last changed it (set by the database).",
            "assigned_to": "Whose it is to change: its creator, unless a manager assigned it.",
            "claimed_by": "Who an imported file said created it (kept apart, never taken as the author).",
            "uid": "Its identity across machines and files (32 hex digits; unique, fixed once stored).",
            "stamps": "Clock stamp (store.clock) of each single value of the row (position, ...): JSON.",
        },
    ),
    "contacts": (
        "The people of the organization in an interview.",
        {
            "interview_id": "The interview (interviews.id).",
            "position": "Order within the interview, from 0.",
            "name": "The person's name, as typed.",
            "role": "Their role, as typed; may be empty.",
            "level": "Audience level: executive, core or point-of-care.",
        },
    ),
    "answers": (
        "What was recorded for one question of an interview (no row: not explored).",
        {
            "interview_id": "The interview (interviews.id).",
            "question_id": "The question's id in the interview's snapshot.",
            "state": "explored, or skipped (asked about but passed over).",
            "notes": "Emptied (012_note_lines): the notes are the answer's rows in note_lines.",
            "stamps": "Clock stamp of each single value, and FIELD< of the one it replaced: JSON.",
            "cues": "The cue ids heard: a JSON array of text.",
            "cue_judgements": "Topic cue id -> + or -, for the topics heard that were judged: a JSON object.",
            "rating": "strong, partial or low; NULL when not rated.",
            "updated_at": "When the answer last changed.",
        },
    ),
    "reflections": (
        "The interviewer's reflection after the call (leadcli reflect).",
        {
            "interview_id": "The interview (interviews.id).",
            "fit": "Answer to the reflection question on fit.",
            "concerns": "Answer to the reflection question on concerns.",
            "gaps": "Answer to the reflection question on gaps.",
            "verdict": "strong, moderate, limited or unclear; NULL when not given.",
            "updated_at": "When the reflection last changed.",
            "domain_levels": "The interviewer's own level per domain: a JSON object (domain id -> level).",
            "proposed": "Offering ids the interviewer would propose: a JSON array of text.",
            "stamps": "Clock stamp of each field (FIELD< what it replaced; gone:ID a dropped one): JSON.",
        },
    ),
    "follow_ups": (
        "What was agreed to do after an interview.",
        {
            "interview_id": "The interview (interviews.id).",
            "position": "Order within the interview, from 0.",
            "text": "What is to be done.",
            "owner": "Who does it; may be empty.",
            "due": "The day it is due; NULL when none was given.",
            "id": "Its identity across copies (sorts by when it was added).",
            "stamp": "Clock stamp (store.clock) of its text, owner and due day.",
        },
    ),
    "note_lines": (
        "One typed line of an answer's notes (012_note_lines): only added; merged by id across copies.",
        {
            "interview_id": "The interview (interviews.id).",
            "question_id": "The question whose notes it is part of.",
            "id": "Its identity across copies: 32 hex digits.",
            "stamp": "Hybrid logical clock stamp (store.clock): lines are in the order of their stamps.",
            "author": "Who typed it (the store's user; on a server the login that wrote the row).",
            "claimed_author": "Who an imported or pushed line said typed it, if not its writer (kept apart).",
            "text": "The line as typed.",
            "gone": "Stamp of the edit that replaced it (then not part of the notes); empty while it is.",
        },
    ),
    "value_history": (
        "Every value that lost a merge of two copies (store.merge): named as a conflict, kept here.",
        {
            "id": "Order of recording.",
            "interview_id": "The interview (interviews.id).",
            "field": "Which value, in words (question 2 rating, reflection verdict, ...).",
            "value": "The value that lost, as JSON.",
            "stamp": "Its clock stamp.",
            "winner_stamp": "The clock stamp of the value kept instead.",
            "at": "When the merge kept it here.",
        },
    ),
    "outcomes": (
        "What came of the conversations with an organization, as of a day; only added, never changed.",
        {
            "id": "The outcome's id.",
            "organization": "The organization's name as typed.",
            "org_key": "The name's identity key (names.name_key); matched on.",
            "result": "engaged, declined or no-decision.",
            "decided_on": "The day the outcome was reached.",
            "offerings": "Offering ids taken up or discussed: a JSON array of text.",
            "note": "A note on the outcome; may be empty.",
            "recorded_at": "When it was recorded.",
        },
    ),
    "snapshots": (
        "Each distinct copy of the questions interviews were taken with, kept once.",
        {
            "sha256": "SHA-256 of the copy's canonical JSON text (sorted keys): the key interviews refer to.",
            "questions": "How many questions the copy has.",
            "data": "The questions, their cues and the reflection questions: a JSON object.",
        },
    ),
    "assessment_cache": (
        "Domain levels worked out per interview, so leadcli summary need not reassess it; "
        "dropped by a trigger whenever its answers change.",
        {
            "interview_id": "The interview (interviews.id).",
            "rules": "The rules' key and the snapshot the levels were worked out with (RULES:SHA256).",
            "levels": "A JSON array of [domain id, level] (a third member, 1: a concern was heard).",
            "written_by": "The login that worked the levels out: each reads only the rows it wrote.",
        },
    ),
    "interview_leases": (
        "Who has an interview open live, so that another terminal cannot overwrite its notes.",
        {
            "interview_id": "The interview (interviews.id).",
            "holder": "The database user holding it.",
            "host": "The machine's host name.",
            "pid": "The process holding it.",
            "since": "When it was taken.",
            "machine": "The machine's own id (store.identity.machine_id); empty for leases from before.",
        },
    ),
    "question_sets": (
        "Each question-set version leadcli has seen: a version names exactly one text.",
        {
            "version": "The set's version, as its file names it.",
            "sha256": "SHA-256 of the set's file.",
            "data": "The set as read: a JSON object.",
            "recorded_at": "When it was first recorded.",
            "recorded_by": "The database user that first recorded it (set by the database).",
        },
    ),
    "question_publications": (
        "Each publication of a question set to the team (admin publish-questions); the latest counts.",
        {
            "id": "Order of publication.",
            "version": "The set published (question_sets.version).",
            "published_at": "When it was published.",
            "published_by": "The database user that published it (set by the database).",
        },
    ),
    "audit": (
        "The audit trail, written by triggers only: who did what to which record, and when.",
        {
            "id": "Order of the entries.",
            "at": "When, to the second.",
            "actor": "The database user (session_user).",
            "action": "What was done: created, line added, rated, reflected, assigned, deleted, ...",
            "record_id": "The interview or outcome it was done to; empty for the store as a whole.",
            "detail": "More about it (a question id, a rating, a count); may be empty.",
        },
    ),
    "erasures": (
        "One row per record an organization's erasure removed (020_erasures): a push or import of it"
        " is refused. Nothing of the customer's text is kept.",
        {
            "uid": "The erased interview's identity (interviews.uid), or an outcome's id: matched on.",
            "kind": "What was erased: interview or outcome.",
            "record_id": "Its short id when it was erased (an id may later be given to another record).",
            "org_key_sha256": "SHA-256 of the organization's identity key (names.name_key), not the name.",
            "erased_at": "When the erasure was made.",
            "erased_by": "The database user that made it (session_user).",
        },
    ),
    "store_settings": (
        "The store's own settings (which group roles it has).",
        {"name": "The setting's name.", "value": "Its value."},
    ),
    "migrations": (
        "The schema migrations applied to this store (store/migrations.py), each once.",
        {"name": "The migration's name.", "applied_at": "When it was applied."},
    ),
}


# The functions of 010_team_security that wrote text into these columns, replaced with the same
# signatures (so the grants `store.team` gave them stay): the trail's time is now() to the second.
_SERVER_TYPED_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION audit_note(p_action TEXT, p_record TEXT, p_detail TEXT) RETURNS void
LANGUAGE sql {_DEFINER} AS $$
    INSERT INTO audit (at, actor, action, record_id, detail)
    VALUES (date_trunc('second', now()), session_user, p_action, p_record, p_detail)
$$;
CREATE OR REPLACE FUNCTION add_snapshot(p_sha256 TEXT, p_questions INTEGER, p_data TEXT) RETURNS void
LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF p_sha256 <> encode(sha256(convert_to(p_data, 'UTF8')), 'hex') THEN
        RAISE EXCEPTION 'a snapshot is kept under the SHA-256 of its text' USING ERRCODE = '22023';
    END IF;
    INSERT INTO snapshots (sha256, questions, data) VALUES (p_sha256, p_questions, CAST(p_data AS jsonb))
    ON CONFLICT (sha256) DO NOTHING;
END $$;
CREATE OR REPLACE FUNCTION keep_levels(p_interview TEXT, p_rules TEXT, p_levels TEXT) RETURNS void
LANGUAGE sql {_DEFINER} AS $$
    INSERT INTO assessment_cache (interview_id, rules, levels)
    SELECT id, p_rules || ':' || snapshot_sha256, CAST(p_levels AS jsonb)
    FROM interviews WHERE id = p_interview
    ON CONFLICT (interview_id) DO UPDATE SET rules = excluded.rules, levels = excluded.levels
$$;
CREATE OR REPLACE FUNCTION interview_history(p_interview TEXT)
RETURNS TABLE (at TEXT, actor TEXT, action TEXT, detail TEXT)
LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00',
           a.actor, a.action, a.detail
    FROM audit a WHERE a.record_id = p_interview ORDER BY a.id
$$;
DO $do$ BEGIN
    IF to_regprocedure('take_lease(text, text, text, integer, text)') IS NOT NULL THEN
        {_TAKE_LEASE.strip().rstrip(";")};
    END IF;
END $do$;
"""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _server_types_sql() -> str:
    """014_server_types on a server: each table's columns retyped in one ALTER TABLE (one rewrite),
    defaults put back in the new type, the functions above replaced, every table and column commented."""
    out = []
    for table, columns in _JSON.items():
        out += [f"ALTER TABLE {table} ALTER COLUMN {c} DROP DEFAULT;" for c, default in columns if default]
    for table in dict.fromkeys([*_MOMENTS, *_DAYS, *_JSON]):
        changes = [
            f"ALTER COLUMN {c} TYPE timestamptz USING CAST({c} AS timestamptz)"
            for c in _MOMENTS.get(table, ())
        ]
        changes += [
            f"ALTER COLUMN {c} TYPE date USING CAST(NULLIF({c}, '') AS date)" for c in _DAYS.get(table, ())
        ]
        changes += [f"ALTER COLUMN {c} TYPE jsonb USING CAST({c} AS jsonb)" for c, _ in _JSON.get(table, ())]
        out.append(f"ALTER TABLE {table} " + ", ".join(changes) + ";")
    for table, columns in _JSON.items():
        out += [f"ALTER TABLE {table} ALTER COLUMN {c} SET DEFAULT {d}::jsonb;" for c, d in columns if d]
    out.append(_SERVER_TYPED_FUNCTIONS)
    out.append(_comments_sql())
    return "\n".join(out) + "\n"


def _lines_typed_sql() -> str:
    """012_note_lines on a server that already has 014_server_types: its new columns take the types
    014 gives the others (jsonb, timestamptz); and every table and column has its comment."""
    retype = []
    for table, columns in _JSON.items():
        for column, default in columns:
            if column == "stamps":
                retype.append(
                    f"ALTER TABLE {table} ALTER COLUMN stamps DROP DEFAULT, ALTER COLUMN stamps TYPE jsonb"
                    f" USING CAST(stamps AS jsonb), ALTER COLUMN stamps SET DEFAULT {default}::jsonb;"
                )
    retype.append("ALTER TABLE value_history ALTER COLUMN at TYPE timestamptz USING CAST(at AS timestamptz);")
    body = "\n        ".join(retype)
    return f"""DO $do$ BEGIN
    IF EXISTS (SELECT 1 FROM migrations WHERE name = '014_server_types') THEN
        {body}
    END IF;
END $do$;
{_comments_sql()}
"""


def _comments_sql() -> str:
    """COMMENT ON every table and column of COMMENTS the store has (a column a later migration
    adds is commented by that migration too)."""
    rows = [(table, "", about) for table, (about, _) in COMMENTS.items()]
    rows += [(table, c, text) for table, (_, columns) in COMMENTS.items() for c, text in columns.items()]
    values = ",\n        ".join(f"({_literal(t)}, {_literal(c)}, {_literal(a)})" for t, c, a in rows)
    return f"""DO $do$ DECLARE item record; BEGIN
    FOR item IN SELECT v.t, v.c, v.about FROM (VALUES
        {values}) AS v (t, c, about)
    WHERE (v.c = '' AND to_regclass(v.t) IS NOT NULL) OR EXISTS (
        SELECT 1 FROM information_schema.columns i
        WHERE i.table_schema = current_schema() AND i.table_name = v.t AND i.column_name = v.c)
    LOOP
        IF item.c = '' THEN
            EXECUTE format('COMMENT ON TABLE %I IS %L', item.t, item.about);
        ELSE
            EXECUTE format('COMMENT ON COLUMN %I.%I IS %L', item.t, item.c, item.about);
        END IF;
    END LOOP;
END $do$;"""


# 020_erasures: an erasure remembers what it removed (a tombstone per record: its identity, its
# short id, a hash of the organization's key, when and by whom), so that a laptop's push or an old
# export's import cannot bring it back. The team reads them (store.team: internal); no team role
# writes them.
_ERASURES = """
CREATE TABLE erasures (
    uid TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('interview', 'outcome')),
    record_id TEXT NOT NULL,
    org_key_sha256 TEXT NOT NULL,
    erased_at {moment} NOT NULL,
    erased_by TEXT NOT NULL
);
"""
# On a server the tombstones are written by triggers as the erasure deletes each row (the erasure
# function sets leadcli.action to 'erased'), so whichever migration last defines erase_organization
# (019_server_integrity does too), the tombstones are written. They run as the owner: no team role
# may write `erasures` itself.
_SERVER_ERASE = f"""
CREATE FUNCTION remember_erased_interview() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF audit_action() = 'erased' AND OLD.uid <> '' THEN
        INSERT INTO erasures (uid, kind, record_id, org_key_sha256, erased_at, erased_by)
        VALUES (OLD.uid, 'interview', OLD.id, encode(sha256(convert_to(OLD.org_key, 'UTF8')), 'hex'),
                date_trunc('second', now()), session_user)
        ON CONFLICT (uid) DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER remember_erased_interview AFTER DELETE ON interviews
    FOR EACH ROW EXECUTE FUNCTION remember_erased_interview();
CREATE FUNCTION remember_erased_outcome() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF audit_action() = 'erased' THEN
        INSERT INTO erasures (uid, kind, record_id, org_key_sha256, erased_at, erased_by)
        VALUES (OLD.id, 'outcome', OLD.id, encode(sha256(convert_to(OLD.org_key, 'UTF8')), 'hex'),
                date_trunc('second', now()), session_user)
        ON CONFLICT (uid) DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER remember_erased_outcome AFTER DELETE ON outcomes
    FOR EACH ROW EXECUTE FUNCTION remember_erased_outcome();
REVOKE ALL ON FUNCTION remember_erased_interview(), remember_erased_outcome() FROM PUBLIC;
"""


def _class(chars: list[int]) -> str:
    """A regular-expression bracket expression (PostgreSQL's) of these code points, as ranges."""
    ranges: list[list[int]] = []
    for code in chars:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])

    def escaped(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    return "[" + "".join(escaped(a) if a == b else f"{escaped(a)}-{escaped(b)}" for a, b in ranges) + "]"


def _unicode_literal(text: str) -> str:
    """`text` as a PostgreSQL U&'' literal of escapes only (ASCII in the printed set-up)."""
    return "U&'" + "".join(f"\\{ord(c):04X}" if ord(c) <= 0xFFFF else f"\\+{ord(c):06X}" for c in text) + "'"


def _name_key_sql() -> str:
    """`names.name_key` in SQL (021_server_integrity), from Python's own Unicode tables: the
    invisible characters `untrusted.without_invisible` drops, `str.casefold` per code point (one to
    one by translate(), the rest by replace()), PostgreSQL's normalize(NFKC) and the white space
    `str.split` folds. tests/test_team_integrity.py checks it against Python code point by code point."""
    from leadcli.untrusted import without_invisible

    codes = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    invisible = [c for c in codes if without_invisible(chr(c)) == ""]
    spaces = [c for c in codes if chr(c).isspace() and c not in invisible]
    single: list[tuple[str, str]] = []
    multi: list[tuple[str, str]] = []
    for code in codes:
        char = chr(code)
        folded = char.casefold()
        if folded != char:
            (single if len(folded) == 1 else multi).append((char, folded))
    pairs = ", ".join(f"[{_unicode_literal(a)}, {_unicode_literal(b)}]" for a, b in multi)
    return f"""
CREATE FUNCTION name_key(p_name TEXT) RETURNS TEXT
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog AS $$
DECLARE
    s TEXT;
    pair TEXT[];
BEGIN
    s := normalize(regexp_replace(p_name, '{_class(invisible)}', '', 'g'), NFKC);
    s := translate(s, {_unicode_literal("".join(a for a, _ in single))},
                   {_unicode_literal("".join(b for _, b in single))});
    IF s ~ '{_class(sorted(ord(a) for a, _ in multi))}' THEN
        FOREACH pair SLICE 1 IN ARRAY ARRAY[{pairs}] LOOP
            s := replace(s, pair[1], pair[2]);
        END LOOP;
    END IF;
    s := normalize(s, NFKC);
    RETURN btrim(regexp_replace(s, '{_class(spaces)}+', ' ', 'g'), ' ');
END $$;
COMMENT ON FUNCTION name_key(TEXT) IS
    'names.name_key in SQL (021_server_integrity): NFKC, casefold (Python''s, per code point), white'
    ' space folded, invisible characters dropped; the database works out org_key and interviewer_key.';
"""


# 021_server_integrity on a server: what a team role could still do with plain SQL, refused by the
# database itself (see docs/security.md). Each part names the hole it closes.
_SERVER_INTEGRITY = f"""
-- The assessment cache is per writer: a row is read only by the login that wrote it (so levels a
-- colleague forged count nowhere but in their own summary), and keep_levels takes only the shape
-- leadcli writes, for an interview that exists, from a login that may read it.
DELETE FROM assessment_cache;
ALTER TABLE assessment_cache ADD COLUMN written_by TEXT NOT NULL DEFAULT session_user;
ALTER TABLE assessment_cache DROP CONSTRAINT assessment_cache_pkey,
    ADD PRIMARY KEY (interview_id, written_by);
CREATE OR REPLACE FUNCTION keep_levels(p_interview TEXT, p_rules TEXT, p_levels TEXT) RETURNS void
LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    levels jsonb;
BEGIN
    IF NOT has_table_privilege(session_user, 'interviews', 'SELECT') THEN
        RAISE EXCEPTION 'only the team keeps levels' USING ERRCODE = '42501';
    END IF;
    BEGIN
        levels := CAST(p_levels AS jsonb);
    EXCEPTION WHEN others THEN
        levels := NULL;
    END;
    IF levels IS NULL OR jsonb_typeof(levels) <> 'array' OR EXISTS (
        SELECT 1 FROM jsonb_array_elements(levels) e WHERE CASE
            WHEN jsonb_typeof(e) <> 'array' THEN true
            WHEN jsonb_array_length(e) NOT IN (2, 3) THEN true
            WHEN jsonb_typeof(e -> 0) <> 'string' OR length(e ->> 0) NOT BETWEEN 1 AND 100 THEN true
            WHEN jsonb_typeof(e -> 1) <> 'string' THEN true
            WHEN (e ->> 1) NOT IN ('strong', 'partial', 'low', 'unknown') THEN true
            WHEN jsonb_array_length(e) = 3 THEN e -> 2 <> '1'::jsonb
            ELSE false END)
    THEN
        RAISE EXCEPTION 'kept levels are a JSON list of [domain id, level] (or [domain id, level, 1])'
            USING ERRCODE = '22023';
    END IF;
    INSERT INTO assessment_cache (interview_id, written_by, rules, levels)
    SELECT id, session_user, p_rules || ':' || snapshot_sha256, levels FROM interviews WHERE id = p_interview
    ON CONFLICT (interview_id, written_by) DO UPDATE SET rules = excluded.rules, levels = excluded.levels;
END $$;
-- An organization's and a person's keys are worked out by the database from the names (name_key),
-- whatever a client sends; an interview's identity (uid) and when it was begun (created_at) are
-- fixed once stored, and no two interviews share an identity.
{{name_key}}
ALTER TABLE interviews DISABLE TRIGGER stamp_authorship;
UPDATE interviews SET org_key = name_key(organization), interviewer_key = name_key(interviewer)
WHERE org_key IS DISTINCT FROM name_key(organization)
   OR interviewer_key IS DISTINCT FROM name_key(interviewer);
UPDATE interviews i SET uid = md5(i.uid || ':' || i.id)
WHERE EXISTS (SELECT 1 FROM interviews o WHERE o.uid = i.uid AND o.rowid < i.rowid);
ALTER TABLE interviews ENABLE TRIGGER stamp_authorship;
UPDATE outcomes SET org_key = name_key(organization) WHERE org_key IS DISTINCT FROM name_key(organization);
DROP INDEX interviews_by_uid;
CREATE UNIQUE INDEX interviews_uid_once ON interviews(uid);
CREATE FUNCTION fix_interview_identity() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.uid IS DISTINCT FROM OLD.uid THEN
            RAISE EXCEPTION 'an interview''s identity (uid) is fixed once it is stored'
                USING ERRCODE = 'LC003';
        END IF;
        IF NEW.created_at IS DISTINCT FROM OLD.created_at THEN
            RAISE EXCEPTION 'when an interview was begun (created_at) is fixed once it is stored'
                USING ERRCODE = 'LC003';
        END IF;
        -- worked out again when the name or the key is set; else the key stays as it is
        IF NEW.organization IS DISTINCT FROM OLD.organization OR NEW.org_key IS DISTINCT FROM OLD.org_key THEN
            NEW.org_key := name_key(NEW.organization);
        END IF;
        IF NEW.interviewer IS DISTINCT FROM OLD.interviewer
           OR NEW.interviewer_key IS DISTINCT FROM OLD.interviewer_key THEN
            NEW.interviewer_key := name_key(NEW.interviewer);
        END IF;
    ELSE
        NEW.org_key := name_key(NEW.organization);
        NEW.interviewer_key := name_key(NEW.interviewer);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER fix_interview_identity BEFORE INSERT OR UPDATE ON interviews
    FOR EACH ROW EXECUTE FUNCTION fix_interview_identity();
CREATE FUNCTION key_outcome() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    NEW.org_key := name_key(NEW.organization);
    RETURN NEW;
END $$;
CREATE TRIGGER key_outcome BEFORE INSERT OR UPDATE ON outcomes
    FOR EACH ROW EXECUTE FUNCTION key_outcome();
-- A line's author is the login that wrote it; what a client (an import) said is kept apart. Its
-- text is never changed (store.team grants only `gone`); value_history is only added to.
ALTER TABLE note_lines ADD COLUMN claimed_author TEXT NOT NULL DEFAULT '';
CREATE FUNCTION stamp_line_author() RETURNS trigger LANGUAGE plpgsql
SET search_path = {{schema}}, pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.author IS DISTINCT FROM session_user THEN
        NEW.claimed_author := coalesce(NEW.author, '');
        NEW.author := session_user;
    ELSE
        NEW.claimed_author := '';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER stamp_line_author BEFORE INSERT ON note_lines
    FOR EACH ROW EXECUTE FUNCTION stamp_line_author();
-- An export on the trail says how many interviews it held: at most what the store has.
CREATE OR REPLACE FUNCTION note_export(p_count INTEGER) RETURNS void LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF p_count IS NULL OR p_count < 0 OR p_count > (SELECT count(*) FROM interviews) THEN
        RAISE EXCEPTION 'an export holds between 0 and the store''s % interview(s), not %',
            (SELECT count(*) FROM interviews), p_count USING ERRCODE = '22023';
    END IF;
    PERFORM audit_note('exported', '', p_count || ' interview(s)');
END $$;
-- The rows an interviewer deletes, deleted for them (store.team grants no table-level DELETE or
-- UPDATE to interviewers, so no LOCK TABLE stronger than ROW EXCLUSIVE either).
CREATE FUNCTION forget_rows(p_table TEXT, p_interview TEXT, p_question TEXT) RETURNS INTEGER
LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    assignee TEXT;
    gone INTEGER;
BEGIN
    SELECT i.assigned_to INTO assignee FROM interviews i WHERE i.id = p_interview;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    IF NOT may_change(p_interview) THEN
        RAISE EXCEPTION 'interview % belongs to another interviewer (%)', p_interview, assignee
            USING ERRCODE = 'LC001', DETAIL = assignee;
    END IF;
    IF p_table = 'interviews' THEN
        DELETE FROM interviews WHERE id = p_interview;
    ELSIF p_table = 'contacts' THEN
        DELETE FROM contacts WHERE interview_id = p_interview;
    ELSIF p_table = 'follow_ups' THEN
        DELETE FROM follow_ups WHERE interview_id = p_interview;
    ELSIF p_table = 'answers' THEN
        DELETE FROM answers WHERE interview_id = p_interview AND question_id = p_question;
    ELSE
        RAISE EXCEPTION 'forget_rows deletes from interviews, contacts, follow_ups or answers, not %',
            p_table USING ERRCODE = '22023';
    END IF;
    GET DIAGNOSTICS gone = ROW_COUNT;
    RETURN gone;
END $$;
REVOKE ALL ON FUNCTION fix_interview_identity(), key_outcome(), stamp_line_author(),
    forget_rows(TEXT, TEXT, TEXT), name_key(TEXT) FROM PUBLIC;
"""


@functools.cache
def _server_integrity_sql() -> str:
    return _SERVER_INTEGRITY.replace("{name_key}", _name_key_sql()) + _comments_sql()


@dataclass(frozen=True)
class Generated:
    """SQL worked out the first time it is needed: `name_key`'s tables come from Python's Unicode
    data, a second's work that no command but an upgrade or `admin setup` should pay at start-up."""

    make: Callable[[], str]


# A step is SQL for every backend ({word}s spelled by its dialect's `schema_words`), SQL per
# dialect name ({"sqlite": ..., "postgresql": ...}, either perhaps `Generated`), or a function of
# the connection.
Step = str | dict[str, str | Generated] | Callable[["Connection"], None]

MIGRATIONS: list[tuple[str, list[Step]]] = [
    (
        "001_interviews",
        [
            """
        CREATE TABLE interviews (
            id TEXT PRIMARY KEY,{rowid}
            organization TEXT NOT NULL,
            interviewer TEXT NOT NULL,
            region TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL
                CHECK (status IN ('draft', 'awaiting-reflection', 'complete')),
            position INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            framework_version TEXT NOT NULL,
            framework_sha256 TEXT NOT NULL,
            questions_version TEXT NOT NULL,
            questions_sha256 TEXT NOT NULL,
            snapshot TEXT NOT NULL
        );
        CREATE TABLE contacts (
            interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT '',
            level TEXT NOT NULL CHECK (level IN ('executive', 'core', 'point-of-care')),
            PRIMARY KEY (interview_id, position)
        );
        CREATE TABLE answers (
            interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('explored', 'skipped')),
            notes TEXT NOT NULL DEFAULT '',
            cues TEXT NOT NULL DEFAULT '[]',
            rating TEXT CHECK (rating IN ('strong', 'partial', 'low')),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (interview_id, question_id)
        );
        CREATE TABLE reflections (
            interview_id TEXT PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
            fit TEXT NOT NULL DEFAULT '',
            concerns TEXT NOT NULL DEFAULT '',
            gaps TEXT NOT NULL DEFAULT '',
            verdict TEXT CHECK (verdict IN ('strong', 'moderate', 'limited', 'unclear')),
            updated_at TEXT NOT NULL
        );
        CREATE TABLE follow_ups (
            interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            text TEXT NOT NULL,
            owner TEXT NOT NULL DEFAULT '',
            due TEXT,
            PRIMARY KEY (interview_id, position)
        );
        """
        ],
    ),
    (
        "002_listing_indexes",
        [
            """
        CREATE INDEX interviews_by_updated ON interviews(updated_at);
        CREATE INDEX interviews_by_organization ON interviews({organization_key});
        CREATE INDEX interviews_by_status ON interviews(status);
        """
        ],
    ),
    (
        # Interviews taken with the same questions share one copy of them (the old column stays,
        # emptied, so the schema is the same on every SQLite version).
        "003_shared_snapshots",
        [
            """
            CREATE TABLE snapshots (
                sha256 TEXT PRIMARY KEY,
                questions INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            ALTER TABLE interviews ADD COLUMN snapshot_sha256 TEXT NOT NULL DEFAULT '';
            CREATE INDEX interviews_by_created ON interviews(created_at);
            -- Lets the summary read every answer's cues and rating without paging through notes.
            CREATE INDEX answers_for_assessment ON answers(state, interview_id, question_id, rating, cues);
            """,
            _share_snapshots,
        ],
    ),
    (
        # Domain levels per interview, so `leadcli summary` need not re-read every answer. Any change
        # to an interview's answers drops its row; rows also carry the rules they were worked out with.
        "004_assessment_cache",
        [
            """
            CREATE TABLE assessment_cache (
                interview_id TEXT PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
                rules TEXT NOT NULL,
                levels TEXT NOT NULL
            );
            """,
            {
                "sqlite": """
            CREATE TRIGGER assessment_stale_on_insert AFTER INSERT ON answers BEGIN
                DELETE FROM assessment_cache WHERE interview_id = NEW.interview_id;
            END;
            CREATE TRIGGER assessment_stale_on_update AFTER UPDATE ON answers BEGIN
                DELETE FROM assessment_cache WHERE interview_id IN (OLD.interview_id, NEW.interview_id);
            END;
            CREATE TRIGGER assessment_stale_on_delete AFTER DELETE ON answers BEGIN
                DELETE FROM assessment_cache WHERE interview_id = OLD.interview_id;
            END;
            """,
                "postgresql": """
            CREATE FUNCTION assessment_stale() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    DELETE FROM assessment_cache WHERE interview_id = OLD.interview_id;
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    DELETE FROM assessment_cache WHERE interview_id = NEW.interview_id;
                END IF;
                RETURN NULL;
            END $$;
            CREATE TRIGGER assessment_stale AFTER INSERT OR UPDATE OR DELETE ON answers
                FOR EACH ROW EXECUTE FUNCTION assessment_stale();
            """,
            },
        ],
    ),
    (
        # Who has an interview open, so that a second terminal cannot silently overwrite its notes.
        "005_interview_leases",
        [
            """
            CREATE TABLE interview_leases (
                interview_id TEXT PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
                holder TEXT NOT NULL,
                host TEXT NOT NULL,
                pid INTEGER NOT NULL,
                since TEXT NOT NULL
            );
            """
        ],
    ),
    (
        # What came of the conversations with each organization: every outcome is kept (the
        # history); the latest by date counts. `org_key` is the name casefolded in Python, so
        # matching is the same for every alphabet and every database.
        "006_outcomes",
        [
            # The results are spelled out: a migration is history and must not change with the
            # vocabulary (a new result would need a migration of its own).
            """
            CREATE TABLE outcomes (
                id TEXT PRIMARY KEY,
                organization TEXT NOT NULL,
                org_key TEXT NOT NULL,
                result TEXT NOT NULL CHECK (result IN ('engaged', 'declined', 'no-decision')),
                decided_on TEXT NOT NULL,
                offerings TEXT NOT NULL DEFAULT '[]',
                note TEXT NOT NULL DEFAULT '',
                recorded_at TEXT NOT NULL
            );
            CREATE INDEX outcomes_by_organization ON outcomes(org_key, decided_on);
            """
        ],
    ),
    (
        # Who created each interview and who last changed it: the database user on a server
        # (current_user), the login name on a laptop.
        "007_authorship",
        [
            """
            ALTER TABLE interviews ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
            ALTER TABLE interviews ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';
            """
        ],
    ),
    (
        # A question-set version names exactly one text: the first text recorded under a version
        # is the one it names (the primary key refuses a second). Publications are kept as a
        # history; the latest is the set the team is testing. Each interview says where its
        # questions came from: the published set, or the --data-dir it was given.
        "008_question_sets",
        [
            {
                "sqlite": """
            CREATE TABLE question_sets (
                version TEXT PRIMARY KEY,
                sha256 TEXT NOT NULL,
                data TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                recorded_by TEXT NOT NULL DEFAULT ''
            );
            CREATE TABLE question_publications (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                version TEXT NOT NULL REFERENCES question_sets(version),
                published_at TEXT NOT NULL,
                published_by TEXT NOT NULL DEFAULT ''
            );
            """,
                "postgresql": """
            CREATE TABLE question_sets (
                version TEXT PRIMARY KEY,
                sha256 TEXT NOT NULL,
                data TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                recorded_by TEXT NOT NULL DEFAULT current_user
            );
            CREATE TABLE question_publications (
                id BIGSERIAL PRIMARY KEY,
                version TEXT NOT NULL REFERENCES question_sets(version),
                published_at TEXT NOT NULL,
                published_by TEXT NOT NULL DEFAULT current_user
            );
            """,
            },
            "ALTER TABLE interviews ADD COLUMN questions_source TEXT NOT NULL DEFAULT '';",
        ],
    ),
    (
        # One identity rule per organization name, computed in Python (`names.name_key`: NFKC, case
        # folded, white space folded) and kept beside the name, so every command on every backend
        # matches organizations alike. Outcomes had a key of their own (casefold): re-keyed by the
        # same rule. The case-blind index on the name, which no query uses now, goes.
        "009_organization_keys",
        [
            """
            ALTER TABLE interviews ADD COLUMN org_key TEXT NOT NULL DEFAULT '';
            DROP INDEX interviews_by_organization;
            """,
            _key_names,
            "CREATE INDEX interviews_by_org_key ON interviews(org_key, created_at);",
        ],
    ),
    (
        # The team store's separation and record (see store.team): who an interview belongs to
        # (`assigned_to`, changed only by a manager), what an imported file claimed about its author
        # (`claimed_by`), an append-only audit trail written by triggers, and the store's settings
        # (which group roles it has). On a server the database sets authorship from session_user.
        "010_team_security",
        [
            """
            ALTER TABLE interviews ADD COLUMN assigned_to TEXT NOT NULL DEFAULT '';
            ALTER TABLE interviews ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
            UPDATE interviews SET assigned_to = created_by;
            CREATE TABLE audit (
                id {serial_key},
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                record_id TEXT NOT NULL DEFAULT '',
                detail TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX audit_by_record ON audit(record_id);
            CREATE TABLE store_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            """,
            {"sqlite": _SQLITE_AUDIT, "postgresql": _SERVER_SECURITY},
        ],
    ),
    (
        # The interviewer's + or - on each topic cue heard (cue id -> sign, JSON), their own level
        # per framework domain and the offerings they would propose (both from `reflect`). Older
        # rows read as nothing judged, no levels given and nothing proposed.
        "011_cue_judgements",
        [
            """
            ALTER TABLE answers ADD COLUMN cue_judgements TEXT NOT NULL DEFAULT '{}';
            ALTER TABLE reflections ADD COLUMN domain_levels TEXT NOT NULL DEFAULT '{}';
            ALTER TABLE reflections ADD COLUMN proposed TEXT NOT NULL DEFAULT '[]';
            """
        ],
    ),
    (
        # Merge, never overwrite (issue 19): each interview has an identity of its own (`uid`)
        # beside its short id; notes are lines (`note_lines`, only added to; one an edit replaced
        # is kept, marked gone), each with its id, clock stamp and author; single values carry
        # clock stamps (`stamps`, JSON); follow-ups have ids; `value_history` keeps every value
        # that lost a merge. Existing notes are split as an old export of them is on import.
        "012_note_lines",
        [
            _NOTE_LINES,
            {"sqlite": _SQLITE_LINES_BEFORE, "postgresql": _SERVER_LINES_BEFORE},
            _note_lines,
            {"sqlite": _SQLITE_LINES_AFTER, "postgresql": _SERVER_LINES_AFTER + _lines_typed_sql()},
        ],
    ),
    (
        # One identity rule per person too: an interviewer's name is matched by its key
        # (`names.name_key`, computed in Python) kept beside it with its own index, so `evaluate
        # --interviewer`, its count of interviewers and its pairs of different interviewers, and
        # completion agree on every backend. Keying the rows written before is not a change of
        # them: on a server the trigger that stamps who changed a row is off meanwhile.
        "013_person_key",
        [
            "ALTER TABLE interviews ADD COLUMN interviewer_key TEXT NOT NULL DEFAULT '';",
            {"sqlite": "", "postgresql": "ALTER TABLE interviews DISABLE TRIGGER stamp_authorship;"},
            _key_interviewers,
            {"sqlite": "", "postgresql": "ALTER TABLE interviews ENABLE TRIGGER stamp_authorship;"},
            "CREATE INDEX interviews_by_interviewer_key ON interviews(interviewer_key);",
        ],
    ),
    (
        # On a server, the types a DBA expects: timestamptz for moments, date for days, jsonb for
        # JSON, and a COMMENT on every table and column (COMMENTS). SQLite keeps text. The server
        # dialect reads them back as the same ISO text and JSON text as before.
        "014_server_types",
        [{"sqlite": "", "postgresql": _server_types_sql()}],
    ),
    (
        # A lease names the machine by its own id (store.identity.machine_id), not only its host
        # name: two laptops with one name, or two containers with the same process ids, are told
        # apart. Leases taken before keep '' (never taken for stale). On a server the narrow
        # writers take and release a lease by machine and process.
        "015_lease_machine",
        [
            "ALTER TABLE interview_leases ADD COLUMN machine TEXT NOT NULL DEFAULT '';",
            {"sqlite": "", "postgresql": _SERVER_LEASES + _comments_sql()},  # the new column's comment
        ],
    ),
    (
        # A typed line costs about what a bare one-row INSERT + COMMIT does (issue 19, speed): on a
        # server one call in one round trip (add_note_line, run as its caller); in the file the
        # trail's ids no longer need sqlite_sequence rewritten at every line.
        "016_one_call_lines",
        [{"sqlite": _SQLITE_TRAIL_IDS, "postgresql": _ADD_NOTE_LINE + _comments_sql()}],
    ),
    (
        # An erasure remembers what it removed (020_erasures): one tombstone per erased interview
        # (its uid) and outcome (its id), so that a push from a laptop that still holds one, or an
        # import of an export made before, is refused instead of bringing it back. A new interview
        # of the same organization has a uid of its own and is welcome. On a server the erasure
        # writes them through triggers on the rows it deletes (owner's, SECURITY DEFINER).
        "020_erasures",
        [
            {
                "sqlite": _ERASURES.replace("{moment}", "TEXT"),
                "postgresql": _ERASURES.replace("{moment}", "timestamptz") + _SERVER_ERASE + _comments_sql(),
            },
        ],
    ),
    (
        # What a team role could still do with plain SQL, refused by the server (docs/security.md):
        # a per-writer assessment cache whose writer checks what it keeps; organization and person
        # keys worked out by the database (name_key); an interview's uid (unique) and created_at
        # fixed once stored; a line's author from session_user (the claim kept apart); a sane
        # count for an export's trail row; deletes an interviewer makes go through forget_rows
        # (store.team then grants no table-level UPDATE or DELETE, so no strong LOCK TABLE).
        # SQLite (one user) has none of these holes.
        "021_server_integrity",
        [{"sqlite": "", "postgresql": Generated(_server_integrity_sql)}],
    ),
    (
        # A typed line's commit in the file writes one page (issue 19, speed): the file's trail
        # records typing to the minute, one `line added` per run of lines on one question in one
        # minute, and this machine's replica keeps none of its lines (never read). A server keeps
        # its trail of every line, and stores no clock stamp ahead of its own time (triggers
        # clamp it to now, whoever sent it).
        "022_line_trail_by_minute",
        [{"sqlite": _SQLITE_LINE_TRAIL, "postgresql": _SERVER_CLAMP}],
    ),
]


class NewerStoreError(LeadcliError):
    """The store was written by a newer leadcli."""


_MIGRATIONS_TABLE = "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"


def applied(connection: Connection) -> list[str]:
    """The migrations recorded in the store (none, without writing, if it is new)."""
    if not connection.dialect.has_table(connection, "migrations"):
        return []
    return [row[0] for row in connection.execute("SELECT name FROM migrations ORDER BY name")]


def pending(connection: Connection) -> list[str]:
    """The migrations this store still needs; refuses a store from a newer leadcli."""
    known = [name for name, _ in MIGRATIONS]
    done = applied(connection)
    unknown = sorted(set(done) - set(known))
    if unknown:
        raise NewerStoreError(
            f"this store was written by a newer leadcli (it has migration {unknown[-1]}); "
            "upgrade leadcli to use it"
        )
    return [name for name in known if name not in done]


def _run(connection: Connection, step: Step) -> None:
    if callable(step):
        step(connection)
        return
    text = step[connection.dialect.name] if isinstance(step, dict) else step
    if isinstance(text, Generated):
        text = text.make()
    for word, spelling in connection.dialect.schema_words.items():
        text = text.replace("{" + word + "}", spelling)
    connection.script(text.replace("{schema}", connection.schema))


class UpgradeBlocked(LeadcliError):
    """Another session holds what an upgrade needs; nothing was changed."""


def migrate(connection: Connection, *, upto: str | None = None) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction; return their names.

    A store that needs nothing is only read. Every migration runs under the dialect's migration
    lock, so two leadcli processes starting at once never both migrate. On a server the lock is
    taken without waiting and a table is waited for at most a few seconds: a session in the way
    is named (UpgradeBlocked) and nothing is changed.
    """
    todo = pending(connection)
    ran: list[str] = []
    for name, steps in MIGRATIONS:
        if name not in todo:
            continue
        connection.execute(connection.dialect.begin_write)
        try:
            connection.dialect.lock_migrations(connection)
            connection.execute(_MIGRATIONS_TABLE)
            # Another process may have migrated while this one waited for the lock.
            if connection.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                connection.execute("COMMIT")
                if name == upto:
                    break
                continue
            for step in steps:
                _run(connection, step)
            connection.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
            connection.execute("COMMIT")
        except BaseException as exc:
            connection.execute("ROLLBACK")
            if getattr(exc, "sqlstate", None) == "55P03":  # the dialect's lock_timeout
                raise UpgradeBlocked(
                    f"the upgrade to {name} waited {connection.dialect.upgrade_lock_timeout} for a table"
                    f" in use by {connection.dialect.in_the_way(connection)}; nothing was changed, try"
                    " again when they are done"
                ) from None
            raise
        ran.append(name)
        if name == upto:
            break
    return ran


def server_script(dialect: Dialect) -> str:
    """Every migration as the SQL a new store of the server `dialect` runs (with the store's schema
    first on the search_path), each recorded in `migrations`; for `leadcli admin setup` to print."""
    out = [_MIGRATIONS_TABLE + ";"]
    for name, steps in MIGRATIONS:
        out.append(f"-- {name}")
        for step in steps:
            if callable(step):
                out.append(f"-- ({step.__name__}: moves existing rows; a new store has none)")
                continue
            text = step[dialect.name] if isinstance(step, dict) else step
            if isinstance(text, Generated):
                text = text.make()
            for word, spelling in dialect.schema_words.items():
                text = text.replace("{" + word + "}", spelling)
            out.append(textwrap.dedent(text).strip())
        out.append(f"INSERT INTO migrations (name, applied_at) VALUES ('{name}', now());")
    return "\n".join(out) + "\n"
