"""The Python functions behind `leadcli report` and `leadcli summary`: find records, build reports."""

from __future__ import annotations

from datetime import date

from leadcli.assessment.report import (
    OrgReport,
    Report,
    Summary,
    build_org_report,
    build_report,
    build_summary,
    latest_results,
)
from leadcli.content.models import Content
from leadcli.errors import NotFoundError, UsageError
from leadcli.names import name_key
from leadcli.progress import SILENT, Progress, counted
from leadcli.store.db import Store


def single_report(
    store: Store, content: Content, interview_id: str | None, *, include_passed: bool
) -> Report:
    """The report of one interview (default: the most recently updated)."""
    record = store.interviews.get(interview_id if interview_id is not None else store.interviews.latest_id())
    return build_report(record, content, include_passed=include_passed)


def find_organization(store: Store, name: str) -> str:
    """The organization's name as its interviews have it, from any case of it or a unique part."""
    wanted = name_key(name)
    if not wanted:
        raise UsageError("give an organization name (see `leadcli list`)")
    names = store.interviews.organizations()
    if wanted in names:
        return names[wanted]
    matches = {key: n for key, n in names.items() if wanted in key}  # one per organization
    if not matches:
        raise NotFoundError(f"no interviews with an organization called {name!r} (see `leadcli list`)")
    if len(matches) > 1:
        raise UsageError(f"{name!r} matches several organizations: {'; '.join(sorted(matches.values()))}")
    return next(iter(matches.values()))


def organization_report(store: Store, content: Content, name: str) -> OrgReport:
    """Every interview with the organization of that name (any case; a unique part will do)."""
    organization = find_organization(store, name)
    with store.reading():  # on a server: server-side cursors
        records = [store.interviews.get(i) for i in store.interviews.ids(organization=organization)]
        outcomes = store.outcomes.list(organization)
    return build_org_report(organization, records, content, outcomes=outcomes)


def summary(
    store: Store, content: Content, today: date | None = None, progress: Progress = SILENT
) -> Summary:
    """Across the whole store, read as one snapshot; levels worked out on the way are kept.
    `progress` counts the interviews assessed (those without kept levels)."""
    key = rules_key(content)
    worked_out: dict = {}
    due_before = (today or date.today()).isoformat()
    with store.reading():
        facts = store.facts.summary(key, due_before, frozenset(d.id for d in content.framework.domains))
        left = sum(count for *_, count in facts.by_status) - sum(count for *_, count in facts.kept)
        facts.to_assess = counted(facts.to_assess, progress, left)
        result = build_summary(
            facts,
            content,
            worked_out=worked_out,
            results=latest_results(store.outcomes.list()),
        )
    store.facts.keep_levels(key, worked_out)
    return result


def rules_key(content: Content) -> str:
    """Names the rules and domains an assessment is worked out with, to key kept levels by.

    The same on every machine with the same rules (the key is kept in a shared store): the source of
    `assessment/rules.py`, the thresholds, the domains; not leadcli's version string.
    """
    import hashlib
    from pathlib import Path

    from leadcli.assessment import rules

    parts = [repr(content.questions.assessment), *(d.id for d in content.framework.domains)]
    code = Path(rules.__file__).read_bytes()
    return hashlib.sha256(code + "\n".join(parts).encode()).hexdigest()[:16]
