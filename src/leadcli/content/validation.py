"""Validate parsed data files with pydantic and cross-check them against each other."""

from __future__ import annotations

import copy
import dataclasses
import types
import typing
from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from leadcli.content.models import Catalog, Framework, QuestionSet
from leadcli.content.yamlfile import Loc, YamlDocument

_PLAIN_MESSAGES = {
    "missing": "required field is missing",
    "missing_keyword_only_argument": "required field is missing",
    "missing_argument": "required field is missing",
    "dataclass_type": "expected a mapping of fields",
    "dataclass_args_type": "expected a mapping of fields",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
}
_EXTRA = {"unexpected_keyword_argument", "extra_forbidden"}


@cache
def adapter(model: type) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def validate_document(doc: YamlDocument, model: type) -> tuple[Any, list[str]]:
    """Validate one document against its root model; return the object or the problems."""
    data = doc.data
    for _ in range(2):
        try:
            return adapter(model).validate_python(data), []
        except ValidationError as exc:
            errors = [e for e in exc.errors() if not doc.is_refused(tuple(e["loc"]))]
        # YAML reads `fit: Yes` as True and `version: 2019` as a number; a text field
        # gets the words as they were written.
        retyped = [tuple(e["loc"]) for e in errors if e["type"] == "string_type"]
        retyped = [loc for loc in retyped if loc in doc.source_text]
        if not retyped:
            break
        data = copy.deepcopy(data)
        for loc in retyped:
            _set_at(data, loc, doc.source_text[loc])
    return None, [_describe(doc, model, error) for error in errors]


def _set_at(data: Any, loc: Loc, value: Any) -> None:
    target = data
    for part in loc[:-1]:
        target = target[part]
    target[loc[-1]] = value


def _describe(doc: YamlDocument, model: type, error: Any) -> str:
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    if kind in _EXTRA:
        allowed = ", ".join(field_names(model, loc[:-1]))
        return doc.problem(loc, f"unknown field; allowed fields here: {allowed}")
    message = _PLAIN_MESSAGES.get(kind) or error["msg"]
    if kind in {"missing", "missing_keyword_only_argument", "missing_argument"}:
        return doc.problem(loc, message, line=doc.line_of(loc[:-1]))
    value = error.get("input")
    if kind not in _PLAIN_MESSAGES and isinstance(value, str | int | float | bool):
        message = f"{message} (got {value!r})"
    return doc.problem(loc, message)


def field_names(model: Any, loc: Loc) -> list[str]:
    """The field names of the dataclass found at `loc` below `model`."""
    target = _type_at(model, loc)
    if target is None or not dataclasses.is_dataclass(target):
        return []
    return [f.name for f in dataclasses.fields(target)]


def _type_at(model: Any, loc: Loc) -> Any:
    current = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and dataclasses.is_dataclass(current):
            current = _hints(current).get(part)
        else:
            return None
        if current is None:
            return None
    return _unwrap(current)


def _unwrap(tp: Any) -> Any:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return args[0] if len(args) == 1 else tp
    return tp


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


# --- checks pydantic cannot make: blank text, ranges, unique ids, references --------------


def _blank_strings(value: Any, loc: Loc) -> Iterator[Loc]:
    if isinstance(value, str):
        if not value.strip():
            yield loc
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _blank_strings(getattr(value, f.name), (*loc, f.name))
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _blank_strings(item, (*loc, index))


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, doc: YamlDocument, loc: Loc, message: str) -> None:
        self.items.append(doc.problem(loc, message))

    def unique(self, doc: YamlDocument, entries: list[tuple[Loc, Any]], what: str) -> None:
        first: dict[Any, Loc] = {}
        for loc, value in entries:
            if value in first:
                line = doc.line_of(first[value])
                self.add(doc, loc, f"duplicate {what} {value!r} (first used on line {line})")
            else:
                first[value] = loc

    def known(self, doc: YamlDocument, loc: Loc, ids: tuple[str, ...], known: list[str] | None) -> None:
        if known is None:
            return
        for index, domain_id in enumerate(ids):
            if domain_id not in known:
                self.add(
                    doc,
                    (*loc, index),
                    f"unknown domain {domain_id!r}; framework domains are: {', '.join(known)}",
                )


def cross_check(
    framework: Framework | None,
    questions: QuestionSet | None,
    catalog: Catalog | None,
    docs: dict[str, YamlDocument],
) -> list[str]:
    """Problems that span fields or files, for whichever files passed type validation.

    References to domains are checked only when the framework itself is valid.
    """
    problems = _Problems()
    for key, obj in (("framework", framework), ("questions", questions), ("offerings", catalog)):
        if obj is not None:
            for loc in _blank_strings(obj, ()):
                problems.add(docs[key], loc, "must not be blank")
    domains = [d.id for d in framework.domains] if framework is not None else _raw_domain_ids(docs)
    if framework is not None:
        _check_framework(problems, framework, docs["framework"])
    if questions is not None:
        _check_questions(problems, questions, docs["questions"], domains)
    if catalog is not None:
        _check_catalog(problems, catalog, docs["offerings"], domains)
    return problems.items


def _raw_domain_ids(docs: dict[str, YamlDocument]) -> list[str] | None:
    """The domain ids of a framework file that failed validation, when they can still be read,
    so references to domains are checked in the same run."""
    doc = docs.get("framework")
    data = doc.data if doc is not None else None
    domains = data.get("domains") if isinstance(data, dict) else None
    if not isinstance(domains, list):
        return None
    ids = [d.get("id") for d in domains if isinstance(d, dict)]
    return [i for i in ids if isinstance(i, str)] or None


def _check_framework(problems: _Problems, framework: Framework, fw_doc: YamlDocument) -> None:
    problems.unique(
        fw_doc, [(("domains", i, "id"), d.id) for i, d in enumerate(framework.domains)], "domain id"
    )
    problems.unique(
        fw_doc,
        [(("domains", i, "number"), d.number) for i, d in enumerate(framework.domains)],
        "domain number",
    )
    problems.unique(
        fw_doc,
        [
            (("domains", i, "components", j, "id"), c.id)
            for i, d in enumerate(framework.domains)
            for j, c in enumerate(d.components)
        ],
        "component id",
    )
    for i, domain in enumerate(framework.domains):
        if not domain.components:
            problems.add(fw_doc, ("domains", i, "components"), "a domain needs at least one component")
        for j, view in enumerate(domain.stakeholder_views):
            if view.words.casefold() not in view.quote.casefold():
                problems.add(
                    fw_doc,
                    ("domains", i, "stakeholder_views", j, "words"),
                    "must be words taken from the quote",
                )
    if not framework.domains:
        problems.add(fw_doc, ("domains",), "the framework needs at least one domain")


def _check_questions(
    problems: _Problems, questions: QuestionSet, q_doc: YamlDocument, domains: list[str] | None
) -> None:
    qs = questions.questions
    problems.unique(q_doc, [(("questions", i, "id"), q.id) for i, q in enumerate(qs)], "question id")
    problems.unique(
        q_doc, [(("questions", i, "number"), q.number) for i, q in enumerate(qs)], "question number"
    )
    problems.unique(
        q_doc,
        [(("questions", i, "cues", j, "id"), c.id) for i, q in enumerate(qs) for j, c in enumerate(q.cues)],
        "cue id",
    )
    problems.unique(
        q_doc,
        [(("reflection", "questions", i, "id"), r.id) for i, r in enumerate(questions.reflection.questions)],
        "reflection question id",
    )
    rules = questions.assessment
    points = rules.rating_points
    if not points.strong >= points.partial >= points.low:
        problems.add(q_doc, ("assessment", "rating_points"), "points must run strong >= partial >= low")
    for key, pair in (("domain_levels", rules.domain_levels), ("cue_levels", rules.cue_levels)):
        if not pair.strong >= pair.partial:
            problems.add(q_doc, ("assessment", key), "the strong threshold must not be below partial")
    if not rules.overall_levels.strong >= rules.overall_levels.moderate:
        problems.add(q_doc, ("assessment", "overall_levels"), "strong must not be below moderate")
    for i, question in enumerate(qs):
        if not question.prompts:
            problems.add(q_doc, ("questions", i, "prompts"), "a question needs at least one prompt")
        problems.known(q_doc, ("questions", i, "domains"), question.domains, domains)
        guidance = " ".join(question.guidance.split()).casefold()
        for j, cue in enumerate(question.cues):
            problems.known(q_doc, ("questions", i, "cues", j, "domains"), cue.domains, domains)
            if cue.words == "report" and " ".join(cue.text.split()).casefold() not in guidance:
                problems.add(
                    q_doc,
                    ("questions", i, "cues", j, "text"),
                    "a cue in the report's words must be words taken from its question's guidance",
                )
            for k, domain_id in enumerate(cue.domains):
                known = domains is None or domain_id in domains
                if known and domain_id not in question.domains:
                    problems.add(
                        q_doc,
                        ("questions", i, "cues", j, "domains", k),
                        f"cue is evidence for {domain_id!r} but its question does not list it",
                    )


def _check_catalog(
    problems: _Problems, catalog: Catalog, o_doc: YamlDocument, domains: list[str] | None
) -> None:
    offers = catalog.offerings
    problems.unique(o_doc, [(("offerings", i, "id"), o.id) for i, o in enumerate(offers)], "offering id")
    problems.unique(
        o_doc,
        [(("offerings", i, "name"), o.name.casefold()) for i, o in enumerate(offers)],
        "offering name",
    )
    for i, offering in enumerate(offers):
        problems.known(o_doc, ("offerings", i, "domains"), offering.domains, domains)
        price, duration = offering.price, offering.duration
        if price.min < 0:
            problems.add(o_doc, ("offerings", i, "price", "min"), "a price cannot be negative")
        if price.min > price.max:
            problems.add(o_doc, ("offerings", i, "price", "max"), f"max {price.max} is below min {price.min}")
        if duration.min <= 0:
            problems.add(o_doc, ("offerings", i, "duration", "min"), "a duration must be positive")
        if duration.min > duration.max:
            problems.add(
                o_doc,
                ("offerings", i, "duration", "max"),
                f"max {duration.max} is below min {duration.min}",
            )
        for field_name in ("types", "audience", "regions", "domains"):
            if not getattr(offering, field_name):
                problems.add(o_doc, ("offerings", i, field_name), "must list at least one value")
