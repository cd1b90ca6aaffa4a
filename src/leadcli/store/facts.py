"""What `leadcli summary` and `leadcli evaluate` read: facts counted by the database, without notes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

from leadcli.store.connection import Connection, StoreError
from leadcli.store.interviews import Groups
from leadcli.store.records import AnsweredFacts, InterviewFacts, StoreFacts
from leadcli.store.snapshots import Snapshots
from leadcli.store.tables import FOLLOW_UPS
from leadcli.vocabulary import AUDIENCE_LEVELS, LEVELS

# The fields of `AnsweredFacts` that are columns of the interview's own row, by the same name.
_INTERVIEW_FACTS = (
    "id", "organization", "org_key", "interviewer", "interviewer_key", "created_at", "status", "position",
)  # fmt: skip


GIVEN_LEVELS = "COALESCE(CAST(r.domain_levels AS TEXT), '{}')"
"""The interviewer's own levels per domain (a JSON object; `{}` without a reflection or levels)."""


def _levels_given(value: str) -> dict[str, str]:
    return json.loads(value) if value and value != "{}" else {}


def kept_levels(text: str, domains: frozenset[str] | None) -> list[tuple[str, ...]] | None:
    """The (domain id, level[, 1]) pairs of a cache row, or None when it is not what leadcli writes
    (not JSON, another shape, a level or domain it does not know): such a row counts as missing."""
    try:
        pairs = json.loads(text)
    except (ValueError, TypeError):
        return None
    if not isinstance(pairs, list):
        return None
    out = []
    for pair in pairs:
        if not isinstance(pair, list) or len(pair) not in (2, 3):
            return None
        if not all(isinstance(part, str) for part in pair[:2]):
            return None
        if pair[1] not in LEVELS or (domains is not None and pair[0] not in domains):
            return None
        if len(pair) == 3 and (type(pair[2]) is not int or pair[2] != 1):
            return None
        out.append(tuple(pair))
    return out


class Facts:
    """Facts for the summary and the evaluation, read a cursor at a time (memory stays flat)."""

    def __init__(self, db: Connection, snapshots: Snapshots) -> None:
        self.db = db
        self.snapshots = snapshots
        self._per_writer: bool | None = None

    def _cache(self) -> str:
        """The cache rows this store reads: on a server only those its own login wrote
        (021_server_integrity: a colleague's rows are theirs alone; a store not yet upgraded to
        it, read by an upgrade's own checks, has one writer's rows)."""
        if self._per_writer is None:
            self._per_writer = self.db.dialect.shared and bool(
                self.db.execute(
                    "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                    " AND table_name = 'assessment_cache' AND column_name = 'written_by'"
                ).fetchone()
            )
        mine = " AND c.written_by = session_user" if self._per_writer else ""
        return "c.interview_id = i.id AND c.rules = CAST(? AS TEXT) || ':' || i.snapshot_sha256" + mine

    def summary(self, rules_key: str, due_before: str, domains: frozenset[str] | None = None) -> StoreFacts:
        """What `leadcli summary` needs, counted by the database; call inside `reading()`.

        Interviews whose domain levels were kept for `rules_key` are only counted, grouped by
        those levels, their people's audience levels and region; the rest come one at a time with
        their explored answers, to be assessed, as do those whose kept levels are not what
        leadcli writes (`kept_levels`, with `domains` the framework's domain ids). Memory stays
        flat however many interviews there are.
        """
        db = self.db
        # One 0/1 column per audience level: whether anyone of that level was in the conversation.
        present = ", ".join(
            "CASE WHEN EXISTS (SELECT 1 FROM contacts p WHERE p.interview_id = i.id AND p.level = ?)"
            " THEN 1 ELSE 0 END"
            for _ in AUDIENCE_LEVELS
        )
        flag_columns = ", ".join(
            str(5 + n) for n, _ in enumerate(AUDIENCE_LEVELS)
        )  # after levels, region, the interviewer's levels, count
        kept = []
        bad: set[str] = set()
        for levels, region, given, count, *flags in db.execute(
            f"SELECT CAST(c.levels AS TEXT), i.region, {GIVEN_LEVELS}, count(*), {present} FROM interviews i"
            f" JOIN assessment_cache c ON {self._cache()}"
            " LEFT JOIN reflections r ON r.interview_id = i.id"
            f" GROUP BY 1, i.region, 3, {flag_columns}",
            (*AUDIENCE_LEVELS, rules_key),
        ):
            pairs = kept_levels(levels, domains)
            if pairs is None:
                bad.add(levels)
                continue
            people = tuple(level for level, there in zip(AUDIENCE_LEVELS, flags, strict=True) if there)
            kept.append((pairs, people, region, _levels_given(given), count))
        by_status = [
            (status, verdict, count)
            for status, verdict, count in db.execute(
                "SELECT i.status, r.verdict, count(*) FROM interviews i"
                " LEFT JOIN reflections r ON r.interview_id = i.id GROUP BY i.status, r.verdict"
            )
        ]
        overdue = [
            (row[0], row[1], FOLLOW_UPS.record_of(row, 2))
            for row in db.execute(
                f"SELECT f.interview_id, i.organization, {FOLLOW_UPS.aliased('f')} FROM follow_ups f"
                " JOIN interviews i ON i.id = f.interview_id WHERE f.due IS NOT NULL AND f.due < ?"
                " ORDER BY f.due, f.interview_id, f.position",
                (due_before,),
            )
        ]
        organizations = [r[0] for r in db.execute("SELECT DISTINCT org_key FROM interviews")]
        return StoreFacts(
            by_status=by_status,
            organizations=organizations,
            kept=kept,
            to_assess=self._to_assess(rules_key, present, sorted(bad)),
            overdue=overdue,
        )

    def _to_assess(self, rules_key: str, present: str, bad: list[str]) -> Iterator[InterviewFacts]:
        """Interviews without levels kept for `rules_key` (or kept as one of `bad`), with their
        explored answers."""
        unusable = f" OR CAST(c.levels AS TEXT) IN ({', '.join('?' * len(bad))})" if bad else ""
        rows = self.db.execute(
            "SELECT i.id, i.region, i.snapshot_sha256, a.question_id, a.rating, a.cues, a.cue_judgements,"
            f" {GIVEN_LEVELS}, {present}"
            f" FROM interviews i LEFT JOIN assessment_cache c ON {self._cache()}"
            " LEFT JOIN answers a ON a.interview_id = i.id AND a.state = 'explored'"
            " LEFT JOIN reflections r ON r.interview_id = i.id"
            f" WHERE c.interview_id IS NULL{unusable} ORDER BY i.id",
            (*AUDIENCE_LEVELS, rules_key, *bad),
        )
        parsed_cues: dict[str, list[str]] = {}  # the same few cue lists recur: parse each once
        for interview_id, group in groupby(rows, key=itemgetter(0)):
            rows_of_one = list(group)
            _, region, snapshot = rows_of_one[0][:3]
            levels_given = rows_of_one[0][7]
            flags = rows_of_one[0][8:]
            given = {}
            for _, _, _, question_id, rating, cues, judged, *_ in rows_of_one:
                if question_id is not None:
                    if cues not in parsed_cues:
                        parsed_cues[cues] = json.loads(cues)
                    given[question_id] = (
                        rating,
                        parsed_cues[cues],
                        json.loads(judged) if judged != "{}" else {},
                    )
            yield InterviewFacts(
                id=interview_id,
                region=region,
                snapshot=self.snapshots.get(snapshot),
                people=tuple(level for level, there in zip(AUDIENCE_LEVELS, flags, strict=True) if there),
                given=given,
                domain_levels=_levels_given(levels_given),
            )

    def keep_levels(self, rules_key: str, levels: dict[str, list[tuple[str, str]]]) -> None:
        """Remember interviews' domain levels for `rules_key`; a store that cannot be written is left be."""
        if not levels or self.db.read_only:  # a reader's summary writes nothing
            return
        try:
            with self.db.transaction() as db:
                if db.dialect.shared:  # only the owner's function writes the cache
                    db.executemany(
                        "SELECT keep_levels(?, ?, ?)",
                        [(i, rules_key, json.dumps(pairs)) for i, pairs in levels.items()],
                    )
                    return
                db.executemany(
                    "INSERT INTO assessment_cache (interview_id, rules, levels)"
                    " SELECT id, CAST(? AS TEXT) || ':' || snapshot_sha256, ? FROM interviews WHERE id = ?"
                    " ON CONFLICT (interview_id)"
                    " DO UPDATE SET rules = excluded.rules, levels = excluded.levels",
                    [(rules_key, json.dumps(pairs), interview_id) for interview_id, pairs in levels.items()],
                )
        except StoreError:
            return  # only a cache: the summary is right without it, just slower next time

    def answered(self) -> Iterator[AnsweredFacts]:
        """How each interview's questions went (states, ratings, cues, length of notes), in id order.

        Reads each table with one cursor sorted by interview id, merged here; memory stays flat.
        """
        db = self.db
        answers = Groups(
            db.execute(
                "SELECT a.interview_id, a.question_id, a.state, a.rating, a.cues,"
                " (SELECT sum(length(n.text)) + count(*) - 1 FROM note_lines n"
                "  WHERE n.interview_id = a.interview_id AND n.question_id = a.question_id"
                "  AND n.gone = ''), a.cue_judgements"
                " FROM answers a ORDER BY a.interview_id"
            )
        )
        rows = db.execute(
            f"SELECT {', '.join('i.' + c for c in _INTERVIEW_FACTS)},"
            " i.snapshot_sha256, r.verdict, r.domain_levels"
            " FROM interviews i LEFT JOIN reflections r ON r.interview_id = i.id ORDER BY i.id"
        )
        width = len(_INTERVIEW_FACTS)
        for row in rows:
            facts = dict(zip(_INTERVIEW_FACTS, row[:width], strict=True))
            snapshot, verdict, levels = row[width:]
            taken = answers.take(facts["id"])
            yield AnsweredFacts(
                **facts,
                snapshot=self.snapshots.get(snapshot),
                verdict=verdict,
                answers={
                    q: (state, rating, json.loads(cues), chars or 0)
                    for _, q, state, rating, cues, chars, _ in taken
                },
                judgements={q: json.loads(judged) for _, q, *_, judged in taken if judged != "{}"},
                domain_levels=json.loads(levels) if levels else {},
            )
