"""The Python functions behind question-set versions: the check, `questions diff`, publishing.

- `check_version`: the current questions file against the set the store records under the same
  version (used by `validate`, `interview` and `evaluate`).
- `diff`: what changed between two sets, each a version known to the store or the current files.
- `publish`: a manager publishes the current set to the team store.
- `team_content`: the content an interview on the team store uses: the published set (and the
  copy of it kept in the leadcli home when the server cannot be reached), unless the interviewer
  passed their own `--data-dir`.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from leadcli.content.models import Content, QuestionSet, SourceFile
from leadcli.content.question_sets import SetDiff, diff_sets, questions_file, set_data, set_digest
from leadcli.errors import LeadcliError, NotFoundError, UsageError
from leadcli.store.connection import StoreError
from leadcli.store.db import Store
from leadcli.store.records import Publication

FILES = "files"
"""The name `questions diff` takes for the current questions file (the one in use)."""
LOCAL_COPY = "published-questions.json"
"""The published set, kept in the leadcli home for calls made while the server is out of reach."""
PUBLISHED = "published"
"""How an interview's record names the published set as where its questions came from."""


def current(content: Content) -> tuple[dict[str, Any], str]:
    """The content's question set as plain data, and the digest of the text its version names."""
    data = set_data(content.questions)
    return data, set_digest(data)


def check_version(store: Store, content: Content) -> None:
    """Refuse, in one line, a questions file that changed under a version the store records."""
    data, digest = current(content)
    store.question_sets.check(str(data["version"]), digest, where=questions_file(content))


# --- questions diff ------------------------------------------------------------------------


def _named(store: Store | None, content: Content, name: str) -> tuple[dict[str, Any], str]:
    if name == FILES:
        return set_data(content.questions), questions_file(content)
    if store is None:
        raise NotFoundError(f"no version {name!r}: there is no store yet; compare with {FILES!r}")
    found = store.question_sets.get(name)
    if found is None:
        known = [s.version for s in store.question_sets.all()]
        raise NotFoundError(
            f"the store has no question set version {name!r}; "
            f"versions are: {', '.join(known) or 'none recorded yet'} (or {FILES!r} for the current files)"
        )
    return found.data, "store"


def default_old(store: Store | None, content: Content) -> str:
    """What `questions diff` compares the files with by default: the published set, else the
    most recently recorded version other than the files' own."""
    if store is None:
        raise UsageError(f"no store yet: name two versions, or compare {FILES!r} with a version")
    publication = store.question_sets.published()
    if publication is not None and publication.question_set.version != content.questions.version:
        return publication.question_set.version
    others = [s.version for s in store.question_sets.all() if s.version != content.questions.version]
    if not others:
        raise UsageError(
            "the store records no other question-set version to compare with; name one (OLD NEW)"
        )
    return others[-1]


def diff(store: Store | None, content: Content, old: str | None, new: str | None) -> SetDiff:
    """What changed from `old` to `new` (versions in the store, or `files`); defaults: see
    `default_old`, and the current files."""
    new_name = new or FILES
    old_name = old or default_old(store, content)
    old_data, old_from = _named(store, content, old_name)
    new_data, new_from = _named(store, content, new_name)
    return diff_sets(old_data, new_data, old_from=old_from, new_from=new_from)


# --- publishing and the published set --------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Published:
    publication: Publication
    replaced: str | None
    """The version published before, if another."""


def publish(store: Store, content: Content) -> Published:
    """Publish the content's question set to the team store (recording it if new)."""
    if not store.shared:
        raise UsageError(
            "publish-questions publishes to the team store: give its --database-url (or LEADCLI_DATABASE_URL)"
        )
    before = store.question_sets.published()
    data, digest = current(content)
    publication = store.question_sets.publish(data, digest, where=questions_file(content))
    replaced = before.question_set.version if before else None
    return Published(publication=publication, replaced=None if replaced == data["version"] else replaced)


def question_set_from(data: dict[str, Any], content: Content, where: str) -> QuestionSet:
    """A recorded set as a validated QuestionSet whose domains the framework in use knows."""
    from pydantic import ValidationError

    from leadcli.content.validation import adapter

    try:
        questions: QuestionSet = adapter(QuestionSet).validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        raise LeadcliError(f"{where}: the question set cannot be read: {place}: {first['msg']}") from None
    known = {d.id for d in content.framework.domains}
    named = {d for q in questions.questions for d in q.domains}
    named |= {d for q in questions.questions for c in q.cues for d in c.domains}
    unknown = sorted(named - known)
    if unknown:
        raise LeadcliError(
            f"{where}: the question set (version {questions.version}) names domains the framework does not: "
            + ", ".join(unknown)
        )
    return questions


@dataclass(frozen=True, kw_only=True)
class TeamQuestions:
    """The content an interview uses (its `questions_from` says where the questions came from)."""

    content: Content
    note: str = ""
    """A line for the user (the published set is in use, or its local copy), or empty."""
    published: str = ""
    """Which published set is in use, `version V (published DATE by WHO)`; empty for the files."""


def local_copy_path(home: Path) -> Path:
    return home / LOCAL_COPY


def keep_local_copy(home: Path, publication: Publication, location: str) -> None:
    """Write the published set to the leadcli home (owner-only, whole or not at all)."""
    from leadcli.paths import ensure_private_dir

    path = local_copy_path(home)
    record = {
        "store": location,
        "published_at": publication.published_at,
        "published_by": publication.published_by,
        "version": publication.question_set.version,
        "sha256": publication.question_set.sha256,
        "data": publication.question_set.data,
    }
    try:
        ensure_private_dir(home)
        fd, tmp = tempfile.mkstemp(dir=home, prefix=f".{LOCAL_COPY}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            Path(tmp).replace(path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError:
        return  # the copy only serves offline calls; the interview goes on with the server's set


def read_local_copy(home: Path) -> dict[str, Any] | None:
    """The published set kept in the home, if there is a whole, trustworthy one."""
    path = local_copy_path(home)
    try:
        info = path.stat()
        if os.name != "nt" and (info.st_uid != os.getuid() or info.st_mode & 0o022):
            return None  # someone else could have written it: never use it
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("data"), dict):
        return None
    if set_digest(record["data"]) != record.get("sha256"):
        return None
    return record


def _with_questions(content: Content, questions: QuestionSet, digest: str, where: str) -> Content:
    """The content with the published set in place of the files' questions."""
    files = {**content.files, "questions.yaml": SourceFile(path=where, sha256=digest)}
    return replace(content, questions=questions, questions_from=PUBLISHED, files=files)


def team_content(
    content: Content, store: Store | None, home: Path, *, data_dir: Path | None
) -> TeamQuestions:
    """The questions an interview uses.

    With `data_dir` (the interviewer's own files) those files, named in the record. Otherwise, on
    the team store, its published set (a copy is kept in `home`); with `store` None (the server
    out of reach) that copy; with nothing published, the files.
    """
    if data_dir is not None:
        return TeamQuestions(content=replace(content, questions_from=str(data_dir.resolve())))
    if store is not None:
        publication = store.question_sets.published() if store.shared else None
        if publication is None:
            return TeamQuestions(content=content)
        found = publication.question_set
        where = f"the published set on {store.location}"
        questions = question_set_from(found.data, content, where)
        keep_local_copy(home, publication, store.location)
        which = (
            f"version {found.version} "
            f"(published {publication.published_at[:10]} by {publication.published_by or 'a manager'})"
        )
        return TeamQuestions(
            content=_with_questions(content, questions, found.sha256, where),
            note=f"using the published questions, {which}",
            published=which,
        )
    record = read_local_copy(home)
    if record is None:
        return TeamQuestions(content=content)
    where = str(local_copy_path(home))
    questions = question_set_from(record["data"], content, where)
    which = f"version {questions.version} (published {str(record.get('published_at', ''))[:10]})"
    return TeamQuestions(
        content=_with_questions(content, questions, str(record["sha256"]), where),
        note=f"the team store is out of reach: using the published questions kept on this machine, {which}",
        published=f"{which}, the copy kept on this machine (the team store is out of reach)",
    )


def questions_in_use(
    content: Content, home: Path, *, url: str | None, data_dir: Path | None
) -> TeamQuestions:
    """The questions a new interview would ask, as `interview_content` picks them:
    on the team store its published set (its copy on this machine when the server is out of
    reach), unless `data_dir`; without a server, the files. Nothing is recorded in the store."""
    if not url:
        return TeamQuestions(content=content)
    try:
        with Store.open(home, url=url) as store:
            return team_content(content, store, home, data_dir=data_dir)
    except StoreError:
        return team_content(content, None, home, data_dir=data_dir)


SERVER_WAIT = 1.5
"""Seconds a new interview waits for the team server's published questions before it starts on
the copy kept on this machine."""


def interview_content(
    content: Content, home: Path, *, url: str | None, data_dir: Path | None
) -> TeamQuestions:
    """The questions a new interview is taken with, recorded under their version in the store.

    Refuses (one line) a set that changed under a version the store records with another text.
    A team server out of reach is no error here: the published set kept in `home` is used (or the
    files), and the interview itself meets the server as it can.
    """
    from leadcli.interview.session import record_question_set

    def from_store() -> TeamQuestions:
        with Store.open(home, url=url) as store:
            team = team_content(content, store, home, data_dir=data_dir)
            record_question_set(store, team.content)
            return team

    if not url:
        return from_store()
    # A server that hangs never holds up the interview's first prompt: after SERVER_WAIT seconds
    # the copy kept on this machine is used, as when the server is out of reach.
    import threading

    outcome: list[TeamQuestions | BaseException] = []

    def ask() -> None:
        try:
            outcome.append(from_store())
        except BaseException as exc:  # handed to the caller's thread
            outcome.append(exc)

    asking = threading.Thread(target=ask, daemon=True, name="leadcli-questions")
    asking.start()
    asking.join(SERVER_WAIT)
    got = outcome[0] if outcome else None
    if isinstance(got, TeamQuestions):
        return got
    if got is not None and not isinstance(got, StoreError):
        raise got
    return team_content(content, None, home, data_dir=data_dir)
