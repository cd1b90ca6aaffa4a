"""What `reflect` shows beside its per-domain step: leadcli's reading of each domain, and the offerings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from leadcli.assessment.rules import assess
from leadcli.content.models import Content
from leadcli.interview.reflect_steps import DomainStep, ReflectionSteps, StepWords
from leadcli.store.records import Interview

Completing = Callable[[Sequence[str]], AbstractContextManager[Any]]


def steps_for(
    content: Content, words: StepWords, completing: Completing | None = None
) -> Callable[[Interview], ReflectionSteps]:
    """For one interview: each domain with leadcli's reading as a suggestion, and the offering ids;
    `words` are the output's shared wording (the † mark, its legend, the stakeholders' views' heading)."""

    def build(interview: Interview) -> ReflectionSteps:
        assessment = assess(interview, content.framework, content.questions.assessment)
        views = {d.id: tuple(v.words for v in d.stakeholder_views) for d in content.framework.domains}
        domains = [
            DomainStep(
                domain_id=d.domain_id,
                number=d.number,
                title=d.title,
                reading=d.reading,
                rests_on=d.rests_on,
                thin=d.thin,
                why=d.why,
                views=views.get(d.domain_id, ()),
            )
            for d in assessment.domains
        ]
        offerings = {o.id: o.name for o in content.catalog.offerings}
        if completing is None:
            return ReflectionSteps(domains=domains, offerings=offerings, words=words)
        return ReflectionSteps(domains=domains, offerings=offerings, words=words, completing=completing)

    return build
