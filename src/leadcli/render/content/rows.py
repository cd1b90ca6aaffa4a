"""Flat rows for CSV output."""

from __future__ import annotations

from collections.abc import Iterable

from leadcli.content.models import Domain, Offering, QuestionSet

Rows = tuple[list[str], list[list[object]]]


def framework_rows(domains: Iterable[Domain]) -> Rows:
    header = [
        "domain_id",
        "domain_number",
        "domain_title",
        "domain_summary_by_leadcli",
        "component_id",
        "component_title",
        "guidance",
    ]
    rows: list[list[object]] = [
        [d.id, d.number, d.title, d.summary, c.id, c.title, c.guidance] for d in domains for c in d.components
    ]
    return header, rows


def questions_rows(questions: QuestionSet) -> Rows:
    header = [
        "question_id",
        "question_number",
        "category",
        "prompts",
        "guidance",
        "cue_id",
        "cue",
        "cue_words",
        "cue_kind_by_leadcli",
        "cue_domains_by_leadcli",
    ]
    rows: list[list[object]] = [
        [
            q.id,
            q.number,
            q.category,
            " / ".join(q.prompts),
            q.guidance,
            c.id,
            c.text,
            c.words,
            c.kind,
            ";".join(c.domains),
        ]
        for q in questions.questions
        for c in q.cues
    ]
    return header, rows


def offerings_rows(offerings: Iterable[Offering], *, prices_as_of: str | None = None) -> Rows:
    """One row per offering; `*_by_leadcli` columns hold leadcli's readings, `*_quote` the report's words."""
    header = [
        "id",
        "name",
        "name_inferred",
        "type",
        "types",
        "audience",
        "audience_quote",
        "description",
        "duration",
        "duration_min_days",
        "structure",
        "regions",
        "region_quote",
        "price_min",
        "price_max",
        "currency_by_leadcli",
        "per",
        "price_quote",
        "prices_as_of_by_leadcli",
        "domains_by_leadcli",
    ]
    rows: list[list[object]] = [
        [
            o.id,
            o.name,
            o.name_inferred,
            o.type_label,
            ";".join(o.types),
            ";".join(o.audience),
            o.audience_quote or "",
            o.description,
            o.duration.text,
            o.duration.min_days,
            o.structure,
            ";".join(o.regions),
            o.region_quote or "",
            o.price.min,
            o.price.max,
            o.price.currency,
            o.price.per,
            o.price.quote or "",
            prices_as_of or "",
            ";".join(o.domains),
        ]
        for o in offerings
    ]
    return header, rows
