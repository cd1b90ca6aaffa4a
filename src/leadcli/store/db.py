"""The store: a SQLite file (owner-only, WAL, full sync) or a shared PostgreSQL database.

Every write commits at once. Both backends run the same SQL; `store.dialect` rewrites it for the server.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from leadcli.errors import LeadcliError, NotFoundError, UsageError
from leadcli.paths import ensure_private_dir
from leadcli.store.migrations import migrate
from leadcli.store.records import (
    Answer,
    AnsweredFacts,
    Contact,
    ContentStamp,
    FollowUp,
    Interview,
    InterviewFacts,
    InterviewSummary,
    Outcome,
    Reflection,
    Snapshot,
    StoreFacts,
)
from leadcli.vocabulary import AUDIENCE_LEVELS, status_for

DB_NAME = "leadcli.db"
_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: easy to read aloud and type
_ID_LENGTH = 6
_OUTCOME_ID_LENGTH = 12  # outcomes are never typed; long ids keep them apart across machines


class StoreError(LeadcliError):
    """The store cannot be opened or written."""


class LeaseHeld(StoreError):
    """Someone else has the interview open."""


@dataclass(frozen=True)
class Lease:
    """Who has an interview open: a user on a host, in one process, since a time."""

    interview_id: str
    holder: str
    host: str
    pid: int
    since: str = ""

    def describe(self) -> str:
        return f"{self.holder} on {self.host} (process {self.pid}) since {self.since}"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _new_id() -> str:
    import secrets  # imported here: it pulls in OpenSSL, which most commands never need

    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(_ID_LENGTH))


def is_interview_id(text: object) -> bool:
    """True for an id in leadcli's own format: six characters of its alphabet, lower case."""
    return isinstance(text, str) and len(text) == _ID_LENGTH and not text.strip(_ID_ALPHABET)


def numbered_id(number: int) -> str:
    """The `number`th id in leadcli's format (for generated test and benchmark stores)."""
    digits = []
    for _ in range(_ID_LENGTH):
        number, digit = divmod(number, len(_ID_ALPHABET))
        digits.append(_ID_ALPHABET[digit])
    return "".join(reversed(digits))


class _Groups:
    """Rows sorted by their first column (an interview id), handed out one id's group at a time."""

    def __init__(self, rows: Iterable[tuple]) -> None:
        self._groups = groupby(rows, key=itemgetter(0))
        self._current = next(self._groups, None)

    def take(self, key: str) -> list[tuple]:
        while self._current is not None and self._current[0] < key:
            self._current = next(self._groups, None)
        if self._current is None or self._current[0] != key:
            return []
        group = list(self._current[1])
        self._current = next(self._groups, None)
        return group


class SqliteConnection(sqlite3.Connection):
    """sqlite3's connection, named by dialect like the server's (see store.dialect)."""

    dialect = "sqlite"

    def script(self, sql: str) -> None:
        self.executescript(sql)


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def describe_failure(path: Path | str, error: Exception, user: str = "") -> str:
    """What went wrong with the store, in words a user can act on."""
    text = str(error)
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate is not None:  # the server
        if sqlstate in {"42501", "25006"}:  # insufficient privilege; a read-only (replica) transaction
            return f"the store is read-only for role {user}"
        if sqlstate.startswith("08") or sqlstate.startswith("57P"):
            return f"lost the connection to the database server ({path}); try again"
        if sqlstate in {"40001", "40P01", "55P03"}:
            return f"the store {path} is busy (another leadcli?); try again"
        return f"the store {path} could not be used: {text.splitlines()[0] if text else sqlstate}"
    if "locked" in text or "busy" in text:
        return f"the store {path} is locked by another process (another leadcli?); try again"
    if "readonly" in text or "read-only" in text:
        return f"the store {path} is read-only; check the folder's permissions or the disk"
    if "full" in text:
        return f"cannot write to {path}: the disk (or the store's size limit) is full"
    return f"the store {path} could not be used: {text}"


def _gone(lease: Lease, host: str) -> bool:
    """True if `lease` was held by a process on this host that has ended."""
    if lease.host != host:
        return False
    try:
        os.kill(lease.pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, but belongs to someone else
        return False
    return False


@contextmanager
def keeping_leases(db: Any, interview_ids: list[str]) -> Iterator[None]:
    """Rewrite these interviews inside this block without losing who has them open (a lease row
    goes with its interview when that is deleted)."""
    rows = []
    for interview_id in interview_ids:
        row = db.execute(
            "SELECT holder, host, pid, since FROM interview_leases WHERE interview_id = ?", (interview_id,)
        ).fetchone()
        if row is not None:
            rows.append((interview_id, *tuple(row)))
    yield
    db.executemany(
        "INSERT INTO interview_leases (interview_id, holder, host, pid, since) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (interview_id) DO NOTHING",
        rows,
    )


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def store_path(home: Path) -> Path:
    return home / DB_NAME


class Store:
    """leadcli's records. Open with `Store.open(home)` (or `url=`); use as a context manager to close."""

    def __init__(self, connection: Any, path: Path | str, *, user: str = "", read_only: bool = False) -> None:
        self.connection = connection
        self.path = path  # the file, or the server URL with its password masked
        self.user = user  # who this store records as author of what it writes
        self.read_only = read_only
        self._lease: Lease | None = None
        self._snapshots: dict[str, Snapshot] = {}
        self._errors: tuple[type[Exception], ...] = (sqlite3.Error,)
        if connection.dialect == "postgresql":
            import psycopg

            self._errors = (psycopg.Error,)

    def _snapshot(self, digest: str) -> Snapshot:
        """The questions an interview was taken with; parsed once per store, then shared."""
        if digest not in self._snapshots:
            row = self.connection.execute("SELECT data FROM snapshots WHERE sha256 = ?", (digest,)).fetchone()
            self._snapshots[digest] = Snapshot.from_data(json.loads(row["data"]))
        return self._snapshots[digest]

    @classmethod
    def open(cls, home: Path, *, url: str | None = None, migrate_upto: str | None = None) -> Store:
        """The store in `home`, or on the PostgreSQL server `url` names."""
        if url:
            return cls._open_server(url, migrate_upto=migrate_upto)
        return cls.open_file(store_path(home), migrate_upto=migrate_upto)

    @classmethod
    def open_file(cls, path: Path, *, migrate_upto: str | None = None) -> Store:
        """The SQLite store in the file `path` (created owner-only, in an owner-only folder)."""
        try:
            if not path.exists():
                ensure_private_dir(path.parent)
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
                return cls._open_read_only(path, migrate_upto)
            connection = sqlite3.connect(path, isolation_level=None, timeout=10, factory=SqliteConnection)
            connection.row_factory = sqlite3.Row
            # A new store gets 16 KiB pages: a ~2 KB answer row then wastes a few percent of a page,
            # not nearly half of a 4 KiB one. Existing stores keep theirs (it only applies when empty).
            connection.execute("PRAGMA page_size=16384")
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
            migrate(connection, upto=migrate_upto)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the store {path}: {exc}") from None
        except PermissionError:
            raise StoreError(f"cannot open the store {path}: permission denied") from None
        except OSError as exc:
            raise StoreError(f"cannot open the store {path}: {exc.strerror or exc}") from None
        return cls(connection, path, user=_login_name())

    @classmethod
    def _open_read_only(cls, path: Path, migrate_upto: str | None) -> Store:
        """A store this user may read but not write: opened as it is, if it needs no migration."""
        from leadcli.store.migrations import pending

        # Without a WAL file the store is whole in its one file: `immutable` reads it without
        # writing anything (not even lock bookkeeping). With one, read-only mode reads the WAL too.
        has_wal = path.with_name(path.name + "-wal").exists()
        uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if has_wal else "&immutable=1")
        connection = sqlite3.connect(uri, uri=True, isolation_level=None, factory=SqliteConnection)
        connection.row_factory = sqlite3.Row
        todo = pending(connection)
        if todo and (migrate_upto is None or migrate_upto in todo):
            connection.close()
            raise StoreError(
                f"the store {path} is read-only and needs upgrading (migration {todo[0]});"
                " open it once with write access"
            )
        return cls(connection, path, user=_login_name(), read_only=True)

    @classmethod
    def _open_server(cls, url: str, *, migrate_upto: str | None) -> Store:
        from leadcli.store import dialect

        if not dialect.is_server_url(url):
            raise UsageError("--database-url (LEADCLI_DATABASE_URL) takes a postgresql:// URL")
        dialect.check_url(url)
        try:
            connection = dialect.connect(url)
        except ImportError:
            raise StoreError('a postgresql:// store needs psycopg: pip install "leadcli[postgres]"') from None
        except Exception as exc:  # psycopg.Error: one line, never the password
            raise StoreError(dialect.describe_connect_failure(url, exc)) from None
        where = dialect.mask_url(url)
        store = cls(connection, where)
        try:
            store.user = connection.execute("SELECT current_user").fetchone()[0]
            migrate(connection, upto=migrate_upto)
        except LeadcliError:
            store.close()
            raise
        except store._errors as exc:
            store.close()
            raise StoreError(f"cannot open the store: {describe_failure(where, exc, store.user)}") from None
        return store

    @property
    def location(self) -> str:
        """Where the store is, safe to print (a server URL with its password masked)."""
        return str(self.path)

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        self.close()
        if isinstance(error, self._errors):  # a read that failed: say so in one line
            raise StoreError(describe_failure(self.path, error, self.user)) from None

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One atomic write: all of it is on disk when this exits, or none of it."""
        if self.read_only:
            raise StoreError(describe_failure(self.path, sqlite3.OperationalError("readonly")))
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except self._errors as exc:
            raise StoreError(describe_failure(self.path, exc, self.user)) from None
        try:
            yield self.connection
            self.connection.execute("COMMIT")
        except self._errors as exc:
            self._rollback()
            message = describe_failure(self.path, exc, self.user)
            if not message.startswith("the store is read-only"):
                message += "; nothing was changed"
            raise StoreError(message) from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        try:
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
        except self._errors:
            pass  # the connection is gone: the server rolls back on its own

    # --- interviews ---------------------------------------------------------------------------

    def create_interview(
        self,
        *,
        organization: str,
        interviewer: str,
        region: str,
        contacts: list[Contact],
        stamp: ContentStamp,
        snapshot_data: dict,
        answers: list[Answer] | None = None,
        reflection: Reflection | None = None,
        status: str = "draft",
    ) -> str:
        """Create an interview (with any answers and reflection) in one transaction."""
        with self.transaction() as db:
            interview_id = _new_id()
            while db.execute("SELECT 1 FROM interviews WHERE id = ?", (interview_id,)).fetchone():
                interview_id = _new_id()
            stamp_now = now()
            position = len(snapshot_data["questions"]) if status != "draft" else 0
            self._write_interview(
                db,
                Interview(
                    id=interview_id,
                    organization=organization,
                    interviewer=interviewer,
                    region=region,
                    status=status,
                    position=position,
                    created_at=stamp_now,
                    updated_at=stamp_now,
                    stamp=stamp,
                    snapshot=Snapshot(questions=(), reflection=()),  # the row refers to it by key
                    contacts=contacts,
                    answers={a.question_id: a for a in answers or []},
                    reflection=reflection,
                ),
                snapshot_row(db, snapshot_data),
            )
        return interview_id

    def _write_interview(self, db: Any, record: Interview, snapshot_key: str) -> None:
        """Write one whole interview: its row, people, answers and reflection."""
        stamp = record.stamp
        db.execute(
            "INSERT INTO interviews (id, organization, interviewer, region, status, position,"
            " created_at, updated_at, framework_version, framework_sha256, questions_version,"
            " questions_sha256, snapshot, snapshot_sha256, created_by, changed_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)",
            (
                record.id, record.organization, record.interviewer, record.region, record.status,
                record.position, record.created_at, record.updated_at, stamp.framework_version,
                stamp.framework_sha256, stamp.questions_version, stamp.questions_sha256, snapshot_key,
                record.created_by or self.user, record.changed_by or record.created_by or self.user,
            ),
        )  # fmt: skip
        db.executemany(
            "INSERT INTO contacts (interview_id, position, name, role, level) VALUES (?, ?, ?, ?, ?)",
            [(record.id, i, c.name, c.role, c.level) for i, c in enumerate(record.contacts)],
        )
        for answer in record.answers.values():
            self._write_answer(db, record.id, answer, answer.updated_at or record.updated_at)
        if record.reflection is not None:
            self._write_reflection(db, record.id, record.reflection)

    def resolve_id(self, prefix: str) -> str:
        """The full id of the one interview whose id starts with `prefix`."""
        wanted = prefix.strip().lower()
        if not wanted:
            raise UsageError("give an interview id (see `leadcli list`)")
        rows = self.connection.execute(
            "SELECT id FROM interviews WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
            (wanted, wanted + "\uffff"),
        ).fetchall()
        if not rows:
            raise NotFoundError(f"no interview with id {prefix!r}", hint="see `leadcli list` for the ids")
        if len(rows) > 1:
            ids = ", ".join(r["id"] for r in rows)
            raise UsageError(f"{prefix!r} matches several interviews ({ids}); type more of the id")
        return rows[0]["id"]

    def latest_id(self) -> str:
        row = self.connection.execute(
            "SELECT id FROM interviews ORDER BY updated_at DESC, rowid DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise NotFoundError("there are no interviews yet", hint="start one with `leadcli interview`")
        return row["id"]

    def get(self, prefix: str) -> Interview:
        """The interview whose id is, or uniquely starts with, `prefix`."""
        return self._load(self.resolve_id(prefix))

    def _load(self, interview_id: str) -> Interview:
        db = self.connection
        row = db.execute("SELECT * FROM interviews WHERE id = ?", (interview_id,)).fetchone()
        contacts = [
            Contact(name=r["name"], role=r["role"], level=r["level"])
            for r in db.execute(
                "SELECT * FROM contacts WHERE interview_id = ? ORDER BY position", (interview_id,)
            )
        ]
        answers = {
            r["question_id"]: Answer(
                question_id=r["question_id"],
                state=r["state"],
                notes=r["notes"],
                cues=json.loads(r["cues"]),
                rating=r["rating"],
                updated_at=r["updated_at"],
            )
            for r in db.execute("SELECT * FROM answers WHERE interview_id = ?", (interview_id,))
        }
        reflection = None
        ref = db.execute("SELECT * FROM reflections WHERE interview_id = ?", (interview_id,)).fetchone()
        if ref is not None:
            follow_ups = [
                FollowUp(text=r["text"], owner=r["owner"], due=r["due"])
                for r in db.execute(
                    "SELECT * FROM follow_ups WHERE interview_id = ? ORDER BY position",
                    (interview_id,),
                )
            ]
            reflection = Reflection(
                fit=ref["fit"],
                concerns=ref["concerns"],
                gaps=ref["gaps"],
                verdict=ref["verdict"],
                follow_ups=follow_ups,
            )
        return Interview(
            id=row["id"],
            organization=row["organization"],
            interviewer=row["interviewer"],
            region=row["region"],
            status=row["status"],
            position=row["position"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            stamp=ContentStamp(
                framework_version=row["framework_version"],
                framework_sha256=row["framework_sha256"],
                questions_version=row["questions_version"],
                questions_sha256=row["questions_sha256"],
            ),
            snapshot=self._snapshot(row["snapshot_sha256"]),
            contacts=contacts,
            answers=answers,
            reflection=reflection,
            created_by=row["created_by"],
            changed_by=row["changed_by"],
        )

    def _touch(self, db: Any, interview_id: str, **fields: object) -> None:
        if self._lease is not None and self._lease.interview_id == interview_id:
            self._check_lease(db, self._lease)
        assignments = "".join(f", {name} = ?" for name in fields)
        db.execute(
            f"UPDATE interviews SET updated_at = ?, changed_by = ?{assignments} WHERE id = ?",
            (now(), self.user, *fields.values(), interview_id),
        )

    def _write_answer(self, db: Any, interview_id: str, answer: Answer, when: str | None = None) -> None:
        db.execute(
            "INSERT INTO answers"
            " (interview_id, question_id, state, notes, cues, rating, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (interview_id, question_id) DO UPDATE SET"
            " state = excluded.state, notes = excluded.notes, cues = excluded.cues,"
            " rating = excluded.rating, updated_at = excluded.updated_at",
            (
                interview_id, answer.question_id, answer.state, answer.notes,
                json.dumps(answer.cues), answer.rating, when or now(),
            ),
        )  # fmt: skip

    def save_answer(self, interview_id: str, answer: Answer) -> None:
        with self.transaction() as db:
            self._write_answer(db, interview_id, answer)
            self._touch(db, interview_id)

    def forget_answer(self, interview_id: str, question_id: str) -> None:
        with self.transaction() as db:
            db.execute(
                "DELETE FROM answers WHERE interview_id = ? AND question_id = ?",
                (interview_id, question_id),
            )
            self._touch(db, interview_id)

    def set_position(self, interview_id: str, position: int) -> None:
        with self.transaction() as db:
            self._touch(db, interview_id, position=position)

    def set_status(self, interview_id: str, status: str) -> None:
        with self.transaction() as db:
            self._touch(db, interview_id, status=status)

    def _write_reflection(self, db: Any, interview_id: str, reflection: Reflection) -> None:
        db.execute(
            "INSERT INTO reflections (interview_id, fit, concerns, gaps, verdict, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (interview_id) DO UPDATE SET"
            " fit = excluded.fit, concerns = excluded.concerns, gaps = excluded.gaps,"
            " verdict = excluded.verdict, updated_at = excluded.updated_at",
            (
                interview_id,
                reflection.fit,
                reflection.concerns,
                reflection.gaps,
                reflection.verdict,
                now(),
            ),
        )
        db.execute("DELETE FROM follow_ups WHERE interview_id = ?", (interview_id,))
        db.executemany(
            "INSERT INTO follow_ups (interview_id, position, text, owner, due) VALUES (?, ?, ?, ?, ?)",
            [(interview_id, i, f.text, f.owner, f.due) for i, f in enumerate(reflection.follow_ups)],
        )

    def save_reflection(self, interview_id: str, reflection: Reflection) -> None:
        """Save the reflection; the status follows `status_for` (a draft stays a draft)."""
        with self.transaction() as db:
            self._write_reflection(db, interview_id, reflection)
            row = db.execute(
                "SELECT i.position, s.questions FROM interviews i"
                " JOIN snapshots s ON s.sha256 = i.snapshot_sha256 WHERE i.id = ?",
                (interview_id,),
            ).fetchone()
            status = status_for(questions_finished=row[0] >= row[1], has_verdict=bool(reflection.verdict))
            self._touch(db, interview_id, status=status)

    # --- leases: one process at a time writes an open interview -----------------------------

    def take_lease(self, lease: Lease, *, take_over: bool = False) -> None:
        """Hold `lease` on its interview, or raise LeaseHeld naming who has it.

        A lease left by a process that no longer runs on this host is taken without asking;
        `take_over` takes any lease (after a crash on another machine).
        """
        with self.transaction() as db:
            if db.dialect == "postgresql":  # two machines taking the same lease: one waits for the other
                db.execute("SELECT 1 FROM interviews WHERE id = ? FOR UPDATE", (lease.interview_id,))
            row = db.execute(
                "SELECT holder, host, pid, since FROM interview_leases WHERE interview_id = ?",
                (lease.interview_id,),
            ).fetchone()
            if row is not None and not take_over:
                held = Lease(lease.interview_id, row[0], row[1], row[2], row[3])
                if (held.host, held.pid) != (lease.host, lease.pid) and not _gone(held, lease.host):
                    raise LeaseHeld(
                        f"interview {lease.interview_id} is open by {held.describe()}",
                        hint="if that session crashed, add --take-over to continue here",
                    )
            db.execute("DELETE FROM interview_leases WHERE interview_id = ?", (lease.interview_id,))
            db.execute(
                "INSERT INTO interview_leases (interview_id, holder, host, pid, since)"
                " VALUES (?, ?, ?, ?, ?)",
                (lease.interview_id, lease.holder, lease.host, lease.pid, lease.since or now()),
            )
        self._lease = lease

    def release_lease(self) -> None:
        """Give up this store's lease, if it still holds it."""
        lease, self._lease = self._lease, None
        if lease is None:
            return
        with self.transaction() as db:
            db.execute(
                "DELETE FROM interview_leases WHERE interview_id = ? AND host = ? AND pid = ?",
                (lease.interview_id, lease.host, lease.pid),
            )

    def _check_lease(self, db: Any, lease: Lease) -> None:
        # On a server the lease row stays locked until this write commits, so a take-over from
        # another machine waits for it instead of slipping in between (SQLite writes one at a time).
        lock = " FOR UPDATE" if db.dialect == "postgresql" else ""
        row = db.execute(
            "SELECT holder, host, pid, since FROM interview_leases WHERE interview_id = ?" + lock,
            (lease.interview_id,),
        ).fetchone()
        if row is None or (row[1], row[2]) != (lease.host, lease.pid):
            who = Lease(lease.interview_id, *row).describe() if row else "nobody (the lease was removed)"
            raise LeaseHeld(
                f"interview {lease.interview_id} was taken over by {who}; this change was not saved"
            )

    def delete(self, interview_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM interviews WHERE id = ?", (interview_id,))

    def summary_facts(self, rules_key: str, due_before: str) -> StoreFacts:
        """What `leadcli summary` needs, counted by the database; call inside `reading()`.

        Interviews whose domain levels were kept for `rules_key` are only counted, grouped by
        those levels, their people's audience levels and region; the rest come one at a time with
        their explored answers, to be assessed. Memory stays flat however many interviews there are.
        """
        db = self.connection
        # One 0/1 column per audience level: whether anyone of that level was in the conversation.
        present = ", ".join(
            "CASE WHEN EXISTS (SELECT 1 FROM contacts p WHERE p.interview_id = i.id AND p.level = ?)"
            " THEN 1 ELSE 0 END"
            for _ in AUDIENCE_LEVELS
        )
        flag_columns = ", ".join(
            str(4 + n) for n, _ in enumerate(AUDIENCE_LEVELS)
        )  # after levels, region, count
        kept = [
            (
                [tuple(pair) for pair in json.loads(levels)],
                tuple(level for level, there in zip(AUDIENCE_LEVELS, flags, strict=True) if there),
                region,
                count,
            )
            for levels, region, count, *flags in db.execute(
                f"SELECT c.levels, i.region, count(*), {present} FROM interviews i"
                " JOIN assessment_cache c"
                "  ON c.interview_id = i.id AND c.rules = CAST(? AS TEXT) || ':' || i.snapshot_sha256"
                f" GROUP BY c.levels, i.region, {flag_columns}",
                (*AUDIENCE_LEVELS, rules_key),
            )
        ]
        by_status = [
            (status, verdict, count)
            for status, verdict, count in db.execute(
                "SELECT i.status, r.verdict, count(*) FROM interviews i"
                " LEFT JOIN reflections r ON r.interview_id = i.id GROUP BY i.status, r.verdict"
            )
        ]
        overdue = [
            (interview_id, organization, FollowUp(text=text, owner=owner, due=due))
            for interview_id, organization, text, owner, due in db.execute(
                "SELECT f.interview_id, i.organization, f.text, f.owner, f.due FROM follow_ups f"
                " JOIN interviews i ON i.id = f.interview_id WHERE f.due IS NOT NULL AND f.due < ?"
                " ORDER BY f.due, f.interview_id, f.position",
                (due_before,),
            )
        ]
        organizations = [r[0] for r in db.execute("SELECT DISTINCT organization FROM interviews")]
        return StoreFacts(
            by_status=by_status,
            organizations=organizations,
            kept=kept,
            to_assess=self._to_assess(rules_key, present),
            overdue=overdue,
        )

    def _to_assess(self, rules_key: str, present: str) -> Iterator[InterviewFacts]:
        """Interviews without levels kept for `rules_key`, with their explored answers."""
        rows = self.connection.execute(
            f"SELECT i.id, i.region, i.snapshot_sha256, a.question_id, a.rating, a.cues, {present}"
            " FROM interviews i LEFT JOIN assessment_cache c"
            "  ON c.interview_id = i.id AND c.rules = CAST(? AS TEXT) || ':' || i.snapshot_sha256"
            " LEFT JOIN answers a ON a.interview_id = i.id AND a.state = 'explored'"
            " WHERE c.interview_id IS NULL ORDER BY i.id",
            (*AUDIENCE_LEVELS, rules_key),
        )
        parsed_cues: dict[str, list[str]] = {}  # the same few cue lists recur: parse each once
        for interview_id, group in groupby(rows, key=itemgetter(0)):
            rows_of_one = list(group)
            _, region, snapshot = rows_of_one[0][:3]
            flags = rows_of_one[0][6:]
            given = {}
            for _, _, _, question_id, rating, cues, *_ in rows_of_one:
                if question_id is not None:
                    if cues not in parsed_cues:
                        parsed_cues[cues] = json.loads(cues)
                    given[question_id] = (rating, parsed_cues[cues])
            yield InterviewFacts(
                id=interview_id,
                region=region,
                snapshot=self._snapshot(snapshot),
                people=tuple(level for level, there in zip(AUDIENCE_LEVELS, flags, strict=True) if there),
                given=given,
            )

    def keep_levels(self, rules_key: str, levels: dict[str, list[tuple[str, str]]]) -> None:
        """Remember interviews' domain levels for `rules_key`; a store that cannot be written is left be."""
        if not levels:
            return
        try:
            with self.transaction() as db:
                db.executemany(
                    "INSERT INTO assessment_cache (interview_id, rules, levels)"
                    " SELECT id, CAST(? AS TEXT) || ':' || snapshot_sha256, ? FROM interviews WHERE id = ?"
                    " ON CONFLICT (interview_id)"
                    " DO UPDATE SET rules = excluded.rules, levels = excluded.levels",
                    [(rules_key, json.dumps(pairs), interview_id) for interview_id, pairs in levels.items()],
                )
        except StoreError:
            return  # only a cache: the summary is right without it, just slower next time

    def snapshots(self) -> dict[str, str]:
        """Every stored copy of the questions, by key, as the JSON text it is kept in."""
        return {
            r[0]: r[1] for r in self.connection.execute("SELECT sha256, data FROM snapshots ORDER BY sha256")
        }

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Reads from one consistent snapshot of the store: writers meanwhile change nothing seen."""
        self.connection.execute("BEGIN")
        try:
            yield
        finally:
            if self.connection.in_transaction:
                self.connection.execute("COMMIT")

    def export_rows(self) -> Iterator[dict]:
        """Every interview as plain JSON-ready data, in id order, one at a time (memory stays flat).

        The shape is that of an `Interview`, with `snapshot` the key of its questions' snapshot.
        Each table is read by one cursor sorted by interview id and merged here; call inside
        `reading()` so the cursors see the same store.
        """
        db = self.connection
        contacts = _Groups(
            db.execute("SELECT interview_id, name, role, level FROM contacts ORDER BY interview_id, position")
        )
        answers = _Groups(
            db.execute(
                "SELECT interview_id, question_id, state, notes, cues, rating, updated_at FROM answers"
                " ORDER BY interview_id, question_id"
            )
        )
        reflections = _Groups(
            db.execute(
                "SELECT interview_id, fit, concerns, gaps, verdict FROM reflections ORDER BY interview_id"
            )
        )
        follow_ups = _Groups(
            db.execute(
                "SELECT interview_id, text, owner, due FROM follow_ups ORDER BY interview_id, position"
            )
        )
        rows = db.execute(
            "SELECT id, organization, interviewer, region, status, position, created_at, updated_at,"
            " framework_version, framework_sha256, questions_version, questions_sha256, snapshot_sha256,"
            " created_by, changed_by FROM interviews ORDER BY id"
        )
        loads = json.loads
        for (
            interview_id, organization, interviewer, region, status, position, created_at, updated_at,
            framework_version, framework_sha256, questions_version, questions_sha256, snapshot,
            created_by, changed_by,
        ) in rows:  # fmt: skip
            reflection = None
            for _, fit, concerns, gaps, verdict in reflections.take(interview_id):
                reflection = {
                    "fit": fit, "concerns": concerns, "gaps": gaps, "verdict": verdict,
                    "follow_ups": [
                        {"text": t, "owner": o, "due": d} for _, t, o, d in follow_ups.take(interview_id)
                    ],
                }  # fmt: skip
            yield {
                "id": interview_id, "organization": organization, "interviewer": interviewer,
                "region": region, "status": status, "position": position, "created_at": created_at,
                "updated_at": updated_at,
                "stamp": {
                    "framework_version": framework_version, "framework_sha256": framework_sha256,
                    "questions_version": questions_version, "questions_sha256": questions_sha256,
                },
                "snapshot": snapshot,
                "contacts": [
                    {"name": n, "role": r, "level": lv} for _, n, r, lv in contacts.take(interview_id)
                ],
                "answers": {
                    q: {
                        "question_id": q, "state": st, "notes": nt, "cues": loads(cs), "rating": rt,
                        "updated_at": up,
                    }
                    for _, q, st, nt, cs, rt, up in answers.take(interview_id)
                },
                "reflection": reflection,
                "created_by": created_by, "changed_by": changed_by,
            }  # fmt: skip

    def updated_times(self, ids: list[str]) -> dict[str, str]:
        """When each of these interviews (those the store has) was last changed."""
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self.connection.execute(f"SELECT id, updated_at FROM interviews WHERE id IN ({marks})", ids)
        return {r[0]: r[1] for r in rows}

    def add_snapshot(self, data: dict) -> str:
        """Keep one copy of a set of questions (if new); return the key interviews refer to it by.

        Call inside `transaction()`.
        """
        text, digest = snapshot_text(data)
        self.connection.execute(
            "INSERT INTO snapshots (sha256, questions, data) VALUES (?, ?, ?)"
            " ON CONFLICT (sha256) DO NOTHING",
            (digest, len(data["questions"]), text),
        )
        return digest

    def write_interviews(
        self, records: list[tuple[Interview, str]], *, replacing: Iterable[str] = ()
    ) -> None:
        """Write whole interviews (ids and times kept) with their snapshot keys, a batch at once.

        Interviews named in `replacing` are deleted first, with everything they hold. Call inside
        `transaction()`: a batch is only kept when the whole transaction is.
        """
        db = self.connection
        doomed = [(interview_id,) for interview_id in replacing]
        if doomed:
            db.executemany("DELETE FROM interviews WHERE id = ?", doomed)
        db.executemany(
            "INSERT INTO interviews (id, organization, interviewer, region, status, position,"
            " created_at, updated_at, framework_version, framework_sha256, questions_version,"
            " questions_sha256, snapshot, snapshot_sha256, created_by, changed_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)",
            [
                (
                    r.id, r.organization, r.interviewer, r.region, r.status, r.position, r.created_at,
                    r.updated_at, r.stamp.framework_version, r.stamp.framework_sha256,
                    r.stamp.questions_version, r.stamp.questions_sha256, key,
                    r.created_by or self.user, r.changed_by or r.created_by or self.user,
                )
                for r, key in records
            ],
        )  # fmt: skip
        db.executemany(
            "INSERT INTO contacts (interview_id, position, name, role, level) VALUES (?, ?, ?, ?, ?)",
            [(r.id, i, c.name, c.role, c.level) for r, _ in records for i, c in enumerate(r.contacts)],
        )
        cue_texts: dict[tuple[str, ...], str] = {}  # the same few cue lists recur: write each once
        for r, _ in records:
            for a in r.answers.values():
                if (key := tuple(a.cues)) not in cue_texts:
                    cue_texts[key] = json.dumps(a.cues)
        db.executemany(
            "INSERT INTO answers (interview_id, question_id, state, notes, cues, rating, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.id, a.question_id, a.state, a.notes, cue_texts[tuple(a.cues)], a.rating,
                    a.updated_at or r.updated_at,
                )
                for r, _ in records
                for a in r.answers.values()
            ],
        )  # fmt: skip
        reflected = [r for r, _ in records if r.reflection is not None]
        db.executemany(
            "INSERT INTO reflections (interview_id, fit, concerns, gaps, verdict, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (r.id, x.fit, x.concerns, x.gaps, x.verdict, r.updated_at)
                for r in reflected
                if (x := r.reflection) is not None
            ],
        )
        db.executemany(
            "INSERT INTO follow_ups (interview_id, position, text, owner, due) VALUES (?, ?, ?, ?, ?)",
            [
                (r.id, i, f.text, f.owner, f.due)
                for r in reflected
                if r.reflection is not None
                for i, f in enumerate(r.reflection.follow_ups)
            ],
        )

    def ids(self, *, organization: str | None = None) -> list[str]:
        """Interview ids, oldest first; with `organization`, only those with that name (any case)."""
        if organization is None:
            rows = self.connection.execute("SELECT id FROM interviews ORDER BY created_at, rowid")
        else:
            rows = self.connection.execute(
                "SELECT id FROM interviews WHERE lower(organization) = lower(?) ORDER BY created_at, rowid",
                (organization,),
            )
        return [r["id"] for r in rows]

    def organizations(self, containing: str) -> list[str]:
        """Distinct organization names that contain `containing` (any case)."""
        rows = self.connection.execute(
            "SELECT DISTINCT organization FROM interviews WHERE organization LIKE ? ESCAPE '\\'"
            " ORDER BY organization",
            (f"%{_like_escape(containing)}%",),
        )
        return [r[0] for r in rows]

    def insert(self, record: Interview) -> bool:
        """Store a whole interview as it is (id and times kept); False if that id exists already."""
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM interviews WHERE id = ?", (record.id,)).fetchone():
                return False
            key = self.add_snapshot(snapshot_data(record.snapshot.questions, record.snapshot.reflection))
            self.write_interviews([(record, key)])
        return True

    def list(
        self, *, organization: str | None = None, status: str | None = None, limit: int | None = None
    ) -> tuple[list[InterviewSummary], int]:
        """Interviews most recently updated first (at most `limit`), and how many match in all."""
        clauses, params = [], []
        if organization:
            clauses.append("i.organization LIKE ? ESCAPE '\\'")
            params.append(f"%{_like_escape(organization)}%")
        if status:
            clauses.append("i.status = ?")
            params.append(status)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        total = self.connection.execute(f"SELECT count(*) FROM interviews i {where}", params).fetchone()[0]
        rows = self.connection.execute(
            "SELECT i.id, i.organization, i.interviewer, i.region, i.status, i.created_at,"
            " i.updated_at, s.questions AS questions,"
            " (SELECT count(*) FROM answers a"
            "  WHERE a.interview_id = i.id AND a.state = 'explored') AS explored, r.verdict"
            " FROM interviews i JOIN snapshots s ON s.sha256 = i.snapshot_sha256"
            f" LEFT JOIN reflections r ON r.interview_id = i.id {where}"
            " ORDER BY i.updated_at DESC, i.rowid DESC" + ("" if limit is None else " LIMIT ?"),
            params if limit is None else [*params, limit],
        )
        return [InterviewSummary(*row) for row in rows], total

    # --- outcomes, and what `leadcli evaluate` reads --------------------------------------------

    def record_outcome(
        self, *, organization: str, result: str, date: str, offerings: list[str], note: str
    ) -> Outcome:
        """Add one outcome for an organization (earlier ones are kept as its history)."""
        import secrets

        outcome = Outcome(
            id="".join(secrets.choice(_ID_ALPHABET) for _ in range(_OUTCOME_ID_LENGTH)),
            organization=organization,
            result=result,  # type: ignore[arg-type]
            date=date,
            offerings=list(offerings),
            note=note,
            # to the microsecond: two outcomes for one date in the same second keep their order
            recorded_at=datetime.now(timezone.utc).isoformat(timespec="microseconds"),
        )
        with self.transaction():
            self.write_outcomes([outcome])
        return outcome

    def write_outcomes(self, outcomes: Iterable[Outcome]) -> int:
        """Add outcomes (ids and times kept); one whose id is there already is left be. How many were new.

        Call inside `transaction()`.
        """
        added = 0
        for o in outcomes:
            cursor = self.connection.execute(
                "INSERT INTO outcomes"
                " (id, organization, org_key, result, decided_on, offerings, note, recorded_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                (
                    o.id, o.organization, o.organization.casefold(), o.result, o.date,
                    json.dumps(o.offerings), o.note, o.recorded_at,
                ),
            )  # fmt: skip
            added += max(cursor.rowcount, 0)
        return added

    def insert_outcomes(self, outcomes: Iterable[Outcome]) -> int:
        """Add outcomes as they are (ids and times kept), all or none; how many were new."""
        with self.transaction():
            return self.write_outcomes(outcomes)

    def outcomes(self, organization: str | None = None) -> list[Outcome]:
        """Outcomes, per organization oldest first (by date, then when recorded).

        With `organization`, only that organization's (any case).
        """
        where, params = ("WHERE org_key = ?", (organization.casefold(),)) if organization else ("", ())
        rows = self.connection.execute(
            "SELECT id, organization, result, decided_on, offerings, note, recorded_at FROM outcomes"
            f" {where} ORDER BY org_key, decided_on, recorded_at, id",
            params,
        )
        return [
            Outcome(
                id=r[0], organization=r[1], result=r[2], date=r[3], offerings=json.loads(r[4]),
                note=r[5], recorded_at=r[6],
            )
            for r in rows
        ]  # fmt: skip

    def interviewers(self) -> list[str]:
        """Distinct interviewer names, sorted."""
        rows = self.connection.execute("SELECT DISTINCT interviewer FROM interviews ORDER BY interviewer")
        return [r[0] for r in rows]

    def answered_facts(self) -> Iterator[AnsweredFacts]:
        """How each interview's questions went (states, ratings, cues, length of notes), in id order.

        Reads each table with one cursor sorted by interview id, merged here; memory stays flat.
        """
        db = self.connection
        answers = _Groups(
            db.execute(
                "SELECT interview_id, question_id, state, rating, cues, length(notes) FROM answers"
                " ORDER BY interview_id"
            )
        )
        rows = db.execute(
            "SELECT i.id, i.organization, i.interviewer, i.created_at, i.status, i.position,"
            " i.snapshot_sha256, r.verdict"
            " FROM interviews i LEFT JOIN reflections r ON r.interview_id = i.id ORDER BY i.id"
        )
        for interview_id, organization, interviewer, created_at, status, position, snapshot, verdict in rows:
            yield AnsweredFacts(
                id=interview_id,
                organization=organization,
                interviewer=interviewer,
                created_at=created_at,
                status=status,
                position=position,
                snapshot=self._snapshot(snapshot),
                verdict=verdict,
                answers={
                    q: (state, rating, json.loads(cues), chars or 0)
                    for _, q, state, rating, cues, chars in answers.take(interview_id)
                },
            )


def snapshot_text(data: dict) -> tuple[str, str]:
    """A snapshot's JSON text as the store keeps it, and its key: the SHA-256 of that text."""
    import hashlib

    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text, hashlib.sha256(text.encode()).hexdigest()


def snapshot_row(db: Any, data: dict) -> str:
    """Store one copy of a snapshot (if new) and return the key interviews refer to it by."""
    text, digest = snapshot_text(data)
    db.execute(
        "INSERT INTO snapshots (sha256, questions, data) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
        (digest, len(data["questions"]), text),
    )
    return digest


def snapshot_data(questions: tuple, reflection: tuple) -> dict:
    """The JSON-ready copy of the questions and cues an interview shows."""
    return {
        "questions": [asdict(q) for q in questions],
        "reflection": [asdict(r) for r in reflection],
    }
