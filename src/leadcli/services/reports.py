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
)
from leadcli.content.models import Content
from leadcli.errors import NotFoundError, UsageError
from leadcli.store.db import Store


def single_report(
    store: Store, content: Content, interview_id: str | None, *, include_passed: bool
) -> Report:
    """The report of one interview (default: the most recently updated)."""
    record = store.get(interview_id if interview_id is not None else store.latest_id())
    return build_report(record, content, include_passed=include_passed)


def organization_report(store: Store, content: Content, name: str) -> OrgReport:
    """Every interview with the organization of that name (any case; a unique part will do)."""
    ids = store.ids(organization=name)
    organization = name
    if not ids:
        matches = store.organizations(name)
        if not matches:
            raise NotFoundError(
                f"no interviews with an organization called {name!r}", hint="see `leadcli list`"
            )
        if len(matches) > 1:
            raise UsageError(f"{name!r} matches several organizations: {'; '.join(matches)}")
        organization = matches[0]
        ids = store.ids(organization=organization)
    records = [store.get(i) for i in ids]
    return build_org_report(records[0].organization if records else organization, records, content)


def summary(store: Store, content: Content, today: date | None = None) -> Summary:
    """Across the whole store, read as one snapshot; levels worked out on the way are kept."""
    key = rules_key(content)
    worked_out: dict = {}
    due_before = (today or date.today()).isoformat()
    with store.reading():
        result = build_summary(store.summary_facts(key, due_before), content, worked_out=worked_out)
    store.keep_levels(key, worked_out)
    return result


def rules_key(content: Content) -> str:
    """Names the rules and domains an assessment is worked out with, to key kept levels by."""
    import hashlib

    from leadcli import __version__

    parts = [__version__, repr(content.questions.assessment), *(d.id for d in content.framework.domains)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
