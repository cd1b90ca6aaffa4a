"""The Python functions behind `leadcli evaluate`: read the records, work out the evaluation."""

from __future__ import annotations

from datetime import date

from leadcli.assessment.evaluate import Evaluation, evaluate
from leadcli.assessment.report import latest_dates, latest_results
from leadcli.assessment.versions import VersionedEvaluation, evaluate_by_version
from leadcli.content.models import Content
from leadcli.errors import NotFoundError, UsageError
from leadcli.names import name_key
from leadcli.progress import SILENT, Progress, counted
from leadcli.services.outcomes import option_date
from leadcli.services.question_sets import check_version
from leadcli.store.db import Store


def _check(store: Store, content: Content, since: str | None, interviewer: str | None) -> date | None:
    """The start date; refuses an unknown interviewer and questions changed under their version."""
    start = option_date(since, "--since") if since is not None else None
    if start is not None and start > date.today():
        raise UsageError(f"--since {since!r} is in the future; no interview is from then on")
    if interviewer is not None:
        known = store.interviews.interviewers()
        if name_key(interviewer) not in known:
            names = "; ".join(known.values()) or "none yet"
            raise NotFoundError(f"no interviews by {interviewer!r}; interviewers are: {names}")
    check_version(store, content)
    return start


def evaluation(
    store: Store,
    content: Content,
    *,
    since: str | None = None,
    interviewer: str | None = None,
    progress: Progress = SILENT,
) -> Evaluation:
    """Evaluate the questions over the interviews from `since` (YYYY-MM-DD) on, by `interviewer`
    (`progress` counts the interviews read)."""
    start = _check(store, content, since, interviewer)
    outcomes = store.outcomes.list()
    with store.reading():  # on a server: server-side cursors, memory stays flat
        return evaluate(
            counted(store.facts.answered(), progress, store.interviews.count()),
            content,
            latest_results(outcomes),
            since=start,
            interviewer=interviewer,
            decided_on=latest_dates(outcomes),
        )


def evaluation_by_version(
    store: Store,
    content: Content,
    *,
    since: str | None = None,
    interviewer: str | None = None,
    progress: Progress = SILENT,
) -> VersionedEvaluation:
    """The evaluation per question-set version, side by side (see `assessment.versions`)."""
    start = _check(store, content, since, interviewer)
    outcomes = store.outcomes.list()
    with store.reading():  # on a server: server-side cursors, memory stays flat
        return evaluate_by_version(
            counted(store.facts.answered(), progress, store.interviews.count()),
            store.question_sets.by_interview(),
            content,
            latest_results(outcomes),
            since=start,
            interviewer=interviewer,
            decided_on=latest_dates(outcomes),
        )
