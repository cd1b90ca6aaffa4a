"""Evidence per framework domain, an overall reading, and the offerings that fit. Pure functions.

The rules (README, "How the assessment works"):
- A domain's evidence comes from the questions that inform it. A question counts only if it was
  explored; a domain with no explored question is *unknown*, never low.
- If any of those questions is rated, the level is the mean of their rating points against
  `domain_levels`. If none is rated, the level is the share of the domain's cues heard in the
  explored questions, against `cue_levels`.
- Overall: the reflection verdict when one is given; otherwise the mean of the known domains'
  levels (as rating points) against `overall_levels`, labelled as the assessment's own reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from leadcli.content.catalog import normalize_place, serves_region
from leadcli.content.models import AUDIENCE_LABELS, AssessmentRules, Catalog, Domain, Framework, Offering
from leadcli.store.records import Interview, Snapshot
from leadcli.vocabulary import RATINGS, Level, Verdict

GAP_WEIGHT: dict[str, int] = {"low": 3, "unknown": 2, "partial": 1, "strong": 0}
# The assessment's overall reading: a verdict's words, from the best to the worst (`unclear`: none known).
READINGS: tuple[Verdict, Verdict, Verdict] = ("strong", "moderate", "limited")
_T = TypeVar("_T", bound=str)


@dataclass(kw_only=True)
class DomainEvidence:
    domain_id: str
    number: int
    title: str
    questions: int
    """Questions that inform this domain."""
    explored: int
    """Of those, how many were explored."""
    cues_heard: int
    cues_available: int
    """Cues for this domain in the explored questions."""
    ratings: list[str]
    """Ratings of the explored questions that inform this domain."""
    score: float | None
    strength: float | None
    """The score as a share of the best possible, 0 to 1 (None when unknown), for bars."""
    level: Level
    basis: str
    """What the level rests on: `ratings`, `cues` or `nothing explored`."""
    conflicting: bool = False
    """Ratings disagree by more than one step (strong beside low)."""


@dataclass(kw_only=True)
class Assessment:
    domains: list[DomainEvidence]
    overall: str
    overall_source: str
    """`reflection verdict` or `assessment's reading`."""

    def level_of(self, domain_id: str) -> Level:
        return next(d.level for d in self.domains if d.domain_id == domain_id)


def _level(score: float, strong: float, partial: float, names: Sequence[_T]) -> _T:
    if score >= strong:
        return names[0]
    if score >= partial:
        return names[1]
    return names[2]


# For each domain: the questions that inform it, each with its cue ids for that domain.
_Inputs = list[tuple[Domain, list[tuple[str, frozenset[str], int]]]]
_INPUTS: dict[tuple[int, int], tuple[Snapshot, Framework, _Inputs]] = {}


def domain_inputs(snapshot: Snapshot, framework: Framework) -> _Inputs:
    """Which questions and cues bear on each domain; worked out once per snapshot and framework."""
    key = (id(snapshot), id(framework))
    cached = _INPUTS.get(key)
    if cached is not None and cached[0] is snapshot and cached[1] is framework:
        return cached[2]
    inputs = [
        (
            domain,
            [
                (
                    q.id,
                    frozenset(c.id for c in q.cues if domain.id in c.domains),
                    sum(domain.id in c.domains for c in q.cues),
                )
                for q in snapshot.questions
                if domain.id in q.domains
            ],
        )
        for domain in framework.domains
    ]
    _INPUTS[key] = (snapshot, framework, inputs)
    return inputs


def rating_points(rules: AssessmentRules) -> dict[str, float]:
    """Points for each rating word."""
    return {rating: getattr(rules.rating_points, rating) for rating in RATINGS}


Given = Mapping[str, tuple[str | None, Sequence[str]]]
"""The explored questions of one interview: question id -> (rating, cue ids heard)."""


def explored_answers(interview: Interview) -> Given:
    return {a.question_id: (a.rating, a.cues) for a in interview.answers.values() if a.explored}


def assess_given(given: Given, inputs: _Inputs, rules: AssessmentRules) -> list[DomainEvidence]:
    """The evidence per domain from what was explored: the rules, in one place."""
    points = rating_points(rules)
    span = points["strong"] - points["low"]
    evidence = []
    for domain, informing in inputs:
        explored = available = heard = 0
        ratings: list[str] = []
        for question_id, cues, count in informing:
            answer = given.get(question_id)
            if answer is None:
                continue
            explored += 1
            available += count
            heard += len(cues.intersection(answer[1]))
            if answer[0]:
                ratings.append(answer[0])
        score: float | None = None
        strength: float | None = None
        level: Level
        if not explored:
            level, basis = "unknown", "nothing explored"
        elif ratings:
            score = sum(points[r] for r in ratings) / len(ratings)
            strength = (score - points["low"]) / span if span else 1.0
            level = _level(score, rules.domain_levels.strong, rules.domain_levels.partial, RATINGS)
            basis = "ratings"
        else:
            score = strength = heard / available if available else 0.0
            level = _level(score, rules.cue_levels.strong, rules.cue_levels.partial, RATINGS)
            basis = "cues"
        evidence.append(
            DomainEvidence(
                domain_id=domain.id,
                number=domain.number,
                title=domain.title,
                questions=len(informing),
                explored=explored,
                cues_heard=heard,
                cues_available=available,
                ratings=ratings,
                score=score,
                strength=strength,
                level=level,
                basis=basis,
                conflicting="strong" in ratings and "low" in ratings,
            )
        )
    return evidence


def assess(interview: Interview, framework: Framework, rules: AssessmentRules) -> Assessment:
    """The evidence for each framework domain in one interview, and the overall reading."""
    evidence = assess_given(explored_answers(interview), domain_inputs(interview.snapshot, framework), rules)
    verdict = interview.reflection.verdict if interview.reflection else None
    if verdict:
        return Assessment(domains=evidence, overall=verdict, overall_source="reflection verdict")
    return Assessment(
        domains=evidence, overall=overall_reading(evidence, rules), overall_source="assessment's reading"
    )


def overall_reading(evidence: list[DomainEvidence], rules: AssessmentRules) -> str:
    """The assessment's own overall reading: the mean of the known domains' levels as points."""
    points = rating_points(rules)
    known = [points[d.level] for d in evidence if d.level != "unknown"]
    if not known:
        return "unclear"
    return _level(
        sum(known) / len(known),
        rules.overall_levels.strong,
        rules.overall_levels.moderate,
        READINGS,
    )


# --- recommendations ------------------------------------------------------------------------


@dataclass(kw_only=True)
class Recommendation:
    rank: int
    offering_id: str
    name: str
    score: int
    why: str
    """leadcli's reason, from its own mapping of offerings to domains."""
    gaps: list[str] = field(default_factory=list)
    """Domain ids of the gaps it strengthens, weakest first."""
    name_inferred: bool = False
    """The report lost this offering's name; leadcli inferred it from the description."""
    report_says: str | None = None
    """The report's own words on this offering, quoted with their place, where it has any."""


@dataclass(kw_only=True)
class Passed:
    """An offering that was not recommended, and why."""

    offering_id: str
    name: str
    reasons: list[str]


@dataclass(kw_only=True)
class Recommendations:
    recommended: list[Recommendation]
    passed_over: list[Passed]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def recommend(interview: Interview, assessment: Assessment, catalog: Catalog) -> Recommendations:
    """Offerings that strengthen the gaps (low, then unknown, then partial), for these people and place."""
    return recommend_for(
        tuple((d.domain_id, d.title, d.level) for d in assessment.domains),
        people_levels(c.level for c in interview.contacts),
        interview.region.strip(),
        catalog,
    )


def people_levels(levels: Iterable[str]) -> tuple[str, ...]:
    """The distinct audience levels of the people in a conversation, in the catalog's order."""
    return tuple(sorted(set(levels), key=list(AUDIENCE_LABELS).index))


def recommend_for(
    domains: tuple[tuple[str, str, str], ...], people: tuple[str, ...], region: str, catalog: Catalog
) -> Recommendations:
    """Recommendations from (domain id, title, level) triples, audience levels and a region."""
    levels = {domain_id: level for domain_id, _, level in domains}
    titles = {domain_id: title for domain_id, title, _ in domains}
    ranked: list[tuple[tuple, Offering, list[str], str]] = []
    passed: list[Passed] = []
    for offering in catalog.offerings:
        gaps = sorted(
            (d for d in offering.domains if levels.get(d, "strong") != "strong"),
            key=lambda d: -GAP_WEIGHT[levels[d]],
        )
        reasons = []
        if not gaps:
            strong = _join([titles.get(d, d) for d in offering.domains])
            reasons.append(f"strengthens no gap: {strong} came out strong")
        fits = [level for level in people if level in offering.audience]
        if people and not fits:
            wanted = _join([AUDIENCE_LABELS[p].lower() for p in people])
            offered = _join([AUDIENCE_LABELS[a].lower() for a in offering.audience])
            reasons.append(f"for {offered}, not the {wanted} in the conversation")
        if region and not serves_region(offering, region):
            reasons.append(f"not offered in {region} (offered in {'; '.join(offering.regions)})")
        if reasons:
            passed.append(Passed(offering_id=offering.id, name=offering.name, reasons=reasons))
            continue
        score = sum(GAP_WEIGHT[levels[d]] for d in gaps)
        parts = ["strengthens " + _join([f"{titles[d]} ({levels[d]})" for d in gaps])]
        if fits:
            parts.append("for " + _join([AUDIENCE_LABELS[f].lower() for f in fits]))
        if region:
            where = (
                "offered globally"
                if "global" in {normalize_place(r) for r in offering.regions}
                else f"available in {region}"
            )
            parts.append(where)
        key = (-score, -len(fits), offering.price.min, offering.name.casefold())
        ranked.append((key, offering, gaps, "; ".join(parts)))
    ranked.sort(key=lambda item: item[0])
    recommended = [
        Recommendation(
            rank=index,
            offering_id=offering.id,
            name=offering.name,
            score=-key[0],
            why=why,
            gaps=gaps,
            name_inferred=offering.name_inferred,
            report_says=(
                f"“{offering.report_says.quote}” ({offering.report_says.place})"
                if offering.report_says
                else None
            ),
        )
        for index, (key, offering, gaps, why) in enumerate(ranked, start=1)
    ]
    return Recommendations(recommended=recommended, passed_over=passed)
