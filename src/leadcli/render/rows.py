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
        "component_id",
        "component_title",
        "guidance",
    ]
    rows: list[list[object]] = [
        [d.id, d.number, d.title, c.id, c.title, c.guidance] for d in domains for c in d.components
    ]
    return header, rows


def questions_rows(questions: QuestionSet) -> Rows:
    header = ["question_id", "question_number", "category", "prompts", "cue_id", "cue", "domains"]
    rows: list[list[object]] = [
        [q.id, q.number, q.category, " / ".join(q.prompts), c.id, c.text, ";".join(c.domains)]
        for q in questions.questions
        for c in q.cues
    ]
    return header, rows


def offerings_rows(offerings: Iterable[Offering]) -> Rows:
    header = [
        "id",
        "name",
        "name_inferred",
        "types",
        "audience",
        "duration",
        "duration_min_days",
        "structure",
        "regions",
        "price_min",
        "price_max",
        "currency",
        "per",
        "price_note",
        "domains",
        "type_label",
        "description",
        "audience_note",
        "region_note",
        "leadcli_fields",
    ]
    rows: list[list[object]] = [
        [
            o.id,
            o.name,
            o.name_inferred,
            ";".join(o.types),
            ";".join(o.audience),
            o.duration.text,
            o.duration.min_days,
            o.structure,
            ";".join(o.regions),
            o.price.min,
            o.price.max,
            o.price.currency,
            o.price.per,
            o.price.note or "",
            ";".join(o.domains),
            o.type_label,
            o.description,
            o.audience_note or "",
            o.region_note or "",
            # Columns that are leadcli's reading, not the report's (the report shows only "$").
            ";".join(["domains", "currency", *(["name"] if o.name_inferred else [])]),
        ]
        for o in offerings
    ]
    return header, rows
