"""Forward-only, named schema migrations, applied on every open and recorded in the database."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from leadcli.errors import LeadcliError

if TYPE_CHECKING:
    from leadcli.store.connection import Connection


def _key_names(connection: Connection) -> None:
    """Give every stored organization name its key (`names.name_key`, the rule of this migration's day)."""
    from leadcli.names import name_key

    for table in ("interviews", "outcomes"):
        names = [r[0] for r in connection.execute(f"SELECT DISTINCT organization FROM {table}")]
        connection.executemany(
            f"UPDATE {table} SET org_key = ? WHERE organization = ?", [(name_key(n), n) for n in names]
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


# A step is SQL for every backend ({word}s spelled by its dialect's `schema_words`), SQL per
# dialect name ({"sqlite": ..., "postgresql": ...}), or a function of the connection.
Step = str | dict[str, str] | Callable[["Connection"], None]

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
    if isinstance(step, dict):
        step = step[connection.dialect.name]
    for word, spelling in connection.dialect.schema_words.items():
        step = step.replace("{" + word + "}", spelling)
    connection.script(step)


def migrate(connection: Connection, *, upto: str | None = None) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction; return their names.

    A store that needs nothing is only read. Every migration runs under the dialect's migration
    lock, so two leadcli processes starting at once never both migrate.
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
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        ran.append(name)
        if name == upto:
            break
    return ran
