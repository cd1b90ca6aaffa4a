"""Evidence per framework domain, an overall reading, and the offerings that fit. Pure functions.

The rules (docs/assessment.md, "How the assessment works"); all of them are leadcli's reading:
- Evidence has a direction. A strength cue heard, or a topic cue judged +, is a strength for the
  cue's domains; a concern cue heard, or a topic judged -, is a concern. A topic heard but not
  judged counts for nothing.
- A domain with no strength and no concern heard is *unknown*, whatever the ratings say.
- A question's rating informs a domain only through a strength heard for that domain in that
  question. With such ratings the level is their mean points against `domain_levels`; without,
  it is the share of the domain's possible strengths heard (strength and topic cues in the
  explored questions) against `cue_levels`.
- A concern never raises a level: when a domain has as many concerns as strengths (or more) its
  level drops one step (never below low); fewer concerns flag it.
- A level resting on fewer than `thin_below` cues heard (strengths and concerns) is *thin*.
- The interviewer's own level for a domain (from `reflect`) comes first; leadcli's stays beside it.
- Overall: the reflection verdict when one is given; otherwise the mean of the known domains'
  levels (as rating points) against `overall_levels`, labelled as the assessment's own reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar, cast

from leadcli.content.catalog import normalize_place, serves_region
from leadcli.content.models import AUDIENCE_LABELS, AssessmentRules, Catalog, Domain, Framework, Offering
from leadcli.store.records import Interview, Snapshot
from leadcli.vocabulary import RATINGS, Level, Verdict

GAP_WEIGHT: dict[str, int] = {"low": 3, "unknown": 2, "partial": 1, "strong": 0}
# The bar's band for each level (0 to 1): 1-3 of 10 blocks low, 4-6 partial, 7-10 strong.
BAR_BANDS: dict[Level, tuple[float, float]] = {"low": (0.1, 0.3), "partial": (0.4, 0.6), "strong": (0.7, 1.0)}
# The assessment's overall reading: a verdict's words, from the best to the worst (`unclear`: none known).
READINGS: tuple[Verdict, Verdict, Verdict] = ("strong", "moderate", "limited")
_T = TypeVar("_T", bound=str)
# A concern lowers a level one step: each rating to the next one down (the lowest stays).
_STEP_DOWN: dict[Level, Level] = dict(zip(RATINGS, (*RATINGS[1:], RATINGS[-1]), strict=True))
INTERVIEWER = "interviewer"
LEADCLI = "leadcli"


@dataclass(frozen=True)
class Heard:
    """A cue heard as evidence for a domain: its text, and whose words the text is."""

    id: str
    text: str
    words: str = "leadcli"


@dataclass(kw_only=True)
class DomainEvidence:
    domain_id: str
    number: int
    title: str
    questions: int
    """Questions that inform this domain."""
    explored: int
    """Of those, how many were explored."""
    strengths: list[Heard]
    """The strengths heard for this domain (strength cues, and topics judged +)."""
    concerns: list[Heard]
    """The concerns heard for this domain (concern cues, and topics judged -)."""
    unjudged: int
    """Topics heard for this domain without a + or -: they count for nothing."""
    possible: int
    """Strength and topic cues for this domain in the explored questions."""
    ratings: list[str]
    """Ratings of the explored questions in which a strength was heard for this domain."""
    score: float | None
    strength: float | None
    """Where leadcli's reading sits, 0 to 1, for bars (None when unknown): each level has its own
    band (`BAR_BANDS`: low 0.1–0.3, partial 0.4–0.6, strong 0.7–1.0), and within it the score's place
    between the level's thresholds; a level lowered by concerns sits at the top of its band."""
    reading: Level
    """leadcli's level from the evidence."""
    level: Level
    """The level reports use: the interviewer's where given, else leadcli's reading."""
    level_by: str
    """`interviewer` or `leadcli`: whose level `level` is."""
    basis: str
    """What leadcli's reading rests on: `ratings`, `cues` or `no evidence`."""
    rests_on: str
    """What leadcli's reading rests on, e.g. `2 questions · 3 strengths · 1 concern · 1 rating`."""
    why: str = ""
    """Why leadcli's reading is that level, in words: which ratings set it (`rated Future
    vision/aspirations low and Experience/track record to date partial: on average, low`) or how
    many of the possible strengths were heard; empty when unknown."""
    thin: bool = False
    """Fewer cues heard than the stated minimum (`thin_below`)."""
    lowered: bool = False
    """Concerns at least as many as strengths lowered the reading one step."""
    flagged: bool = False
    """Concerns were heard, fewer than strengths: the level stands, flagged."""
    conflicting: bool = False
    """Ratings disagree by more than one step (strong beside low)."""


@dataclass(kw_only=True)
class Assessment:
    domains: list[DomainEvidence]
    overall: str
    overall_source: str
    """`reflection verdict` or `assessment's reading`."""
    thin_below: int = 2
    """The stated minimum of cues heard below which a level is thin."""

    def level_of(self, domain_id: str) -> Level:
        return next(d.level for d in self.domains if d.domain_id == domain_id)


def _level(score: float, strong: float, partial: float, names: Sequence[_T]) -> _T:
    if score >= strong:
        return names[0]
    if score >= partial:
        return names[1]
    return names[2]


@dataclass(frozen=True)
class CueInput:
    """One cue of a question, as it bears on one domain."""

    id: str
    text: str
    kind: str
    words: str = "leadcli"


# For each domain: the questions that inform it (id and category), each with its cues for that domain.
_Inputs = list[tuple[Domain, list[tuple[str, str, tuple[CueInput, ...]]]]]
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
                    q.category,
                    tuple(CueInput(c.id, c.text, c.kind, c.words) for c in q.cues if domain.id in c.domains),
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


Given = Mapping[str, tuple[str | None, Sequence[str], Mapping[str, str]]]
"""The explored questions of one interview: question id -> (rating, cue ids heard, topic judgements)."""


def explored_answers(interview: Interview) -> Given:
    return {a.question_id: (a.rating, a.cues, a.judgements) for a in interview.answers.values() if a.explored}


def direction(kind: str, judgement: str | None) -> str | None:
    """`strength`, `concern` or None (a topic heard but not judged) for one cue heard."""
    if kind == "topic":
        return {"+": "strength", "-": "concern"}.get(judgement or "")
    return kind


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def rests_on(explored: int, strengths: int, concerns: int, ratings: int, unjudged: int = 0) -> str:
    """`2 questions · 3 strengths · 1 concern · 1 rating` (and any topics heard, not judged)."""
    parts = [
        _plural(explored, "question"),
        _plural(strengths, "strength"),
        _plural(concerns, "concern"),
        _plural(ratings, "rating"),
    ]
    if unjudged:
        parts.append(f"{unjudged} heard, not judged")
    return " · ".join(parts)


def _bar(reading: Level, score: float, edges: tuple[float, float, float, float]) -> float:
    """Where `score` sits in the bar: in `reading`'s band, at its place between that level's
    thresholds (`edges`: the lowest score, partial's and strong's thresholds, the highest)."""
    bottom, partial, strong, top = edges
    below, above = {"low": (bottom, partial), "partial": (partial, strong), "strong": (strong, top)}[reading]
    place = (score - below) / (above - below) if above > below else 1.0
    low, high = BAR_BANDS[reading]
    return low + (high - low) * max(0.0, min(1.0, place))


@dataclass(frozen=True)
class _Read:
    """leadcli's reading from the counts, and what it came from."""

    level: Level
    basis: str
    score: float | None = None
    strength: float | None = None
    before: Level | None = None
    """The level before concerns lowered it (None when they did not)."""
    flagged: bool = False


def _reading(
    strengths: int, concerns: int, ratings: list[str], possible: int, rules: AssessmentRules
) -> _Read:
    """leadcli's level from the counts, with the bar's place and whether concerns lowered or flagged it."""
    if not strengths and not concerns:
        return _Read("unknown", "no evidence")
    points = rating_points(rules)
    reading: Level
    if ratings:
        score = sum(points[r] for r in ratings) / len(ratings)
        bands = rules.domain_levels
        reading = _level(score, bands.strong, bands.partial, RATINGS)
        edges = (points["low"], bands.partial, bands.strong, points["strong"])
        basis = "ratings"
    else:
        score = strengths / possible if possible else 0.0
        bands = rules.cue_levels
        reading = _level(score, bands.strong, bands.partial, RATINGS)
        edges = (0.0, bands.partial, bands.strong, 1.0)
        basis = "cues"
    if concerns and concerns >= strengths and reading != RATINGS[-1]:
        # A concern never raises a level: it lowers it a step, and the bar sits at the top of that one.
        lowered = _STEP_DOWN[reading]
        return _Read(lowered, basis, score, BAR_BANDS[lowered][1], before=reading)
    return _Read(
        reading, basis, score, _bar(reading, score, edges), flagged=concerns < strengths and concerns > 0
    )


def _why(read: _Read, strengths: int, possible: int, rated: list[tuple[str, str]]) -> str:
    """Why the reading is what it is, in a salesperson's words."""
    if read.level == "unknown":
        return ""
    if read.basis == "ratings":
        each = _join([f"{category} {rating}" for category, rating in rated])
        one = len(rated) == 1
        said = f"the interviewer rated {each}"
        return said if one else f"{said}: on average, {read.before or read.level}"
    if not strengths:
        return "only concerns heard"
    return f"no ratings: {strengths} of {possible} possible strengths heard"


def assess_given(
    given: Given,
    inputs: _Inputs,
    rules: AssessmentRules,
    interviewer_levels: Mapping[str, str] | None = None,
) -> list[DomainEvidence]:
    """The evidence per domain from what was explored: the rules, in one place."""
    chosen = interviewer_levels or {}
    evidence = []
    for domain, informing in inputs:
        explored = possible = unjudged = 0
        strengths: list[Heard] = []
        concerns: list[Heard] = []
        ratings: list[str] = []
        rated: list[tuple[str, str]] = []
        for question_id, category, cues in informing:
            answer = given.get(question_id)
            if answer is None:
                continue
            rating, heard, judgements = answer
            explored += 1
            possible += sum(c.kind != "concern" for c in cues)
            strong_here = False
            for cue in cues:
                if cue.id not in heard:
                    continue
                way = direction(cue.kind, judgements.get(cue.id))
                if way == "strength":
                    strengths.append(Heard(cue.id, cue.text, cue.words))
                    strong_here = True
                elif way == "concern":
                    concerns.append(Heard(cue.id, cue.text, cue.words))
                else:
                    unjudged += 1
            if rating and strong_here:
                ratings.append(rating)
                rated.append((category, rating))
        read = _reading(len(strengths), len(concerns), ratings, possible, rules)
        reading = read.level
        given_level = chosen.get(domain.id)
        evidence.append(
            DomainEvidence(
                domain_id=domain.id,
                number=domain.number,
                title=domain.title,
                questions=len(informing),
                explored=explored,
                strengths=strengths,
                concerns=concerns,
                unjudged=unjudged,
                possible=possible,
                ratings=ratings,
                score=read.score,
                strength=read.strength,
                reading=reading,
                level=cast(Level, given_level) if given_level else reading,  # the reflection's, checked there
                level_by=INTERVIEWER if given_level else LEADCLI,
                basis=read.basis,
                rests_on=rests_on(explored, len(strengths), len(concerns), len(ratings), unjudged),
                why=_why(read, len(strengths), possible, rated),
                thin=reading != "unknown" and len(strengths) + len(concerns) < rules.thin_below,
                lowered=read.before is not None,
                flagged=read.flagged,
                conflicting="strong" in ratings and "low" in ratings,
            )
        )
    return evidence


def assess(interview: Interview, framework: Framework, rules: AssessmentRules) -> Assessment:
    """The evidence for each framework domain in one interview, and the overall reading."""
    chosen = interview.reflection.domain_levels if interview.reflection else {}
    evidence = assess_given(
        explored_answers(interview), domain_inputs(interview.snapshot, framework), rules, chosen
    )
    verdict = interview.reflection.verdict if interview.reflection else None
    if verdict:
        return Assessment(
            domains=evidence,
            overall=verdict,
            overall_source="reflection verdict",
            thin_below=rules.thin_below,
        )
    return Assessment(
        domains=evidence,
        overall=overall_reading(evidence, rules),
        overall_source="assessment's reading",
        thin_below=rules.thin_below,
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
    """leadcli's reason, from its own mapping of offerings to domains (or: proposed by the interviewer)."""
    proposed_by: str = LEADCLI
    """`interviewer` when the interviewer named it in `reflect` (these lead), else `leadcli`."""
    type_label: str = ""
    duration: str = ""
    structure: str = ""
    price_min: int = 0
    price_max: int = 0
    currency: str = "USD"
    """The report's "$", read by leadcli as US dollars."""
    per: str = ""
    """The price's unit: `person` or `organization`."""
    price_quote: str | None = None
    """The report's words on what the price leaves out, e.g. `Plus Added Training`."""
    prices_as_of: str = ""
    """The year of the list price (the report's date), e.g. `2019`."""
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
    note: str | None = None
    """Why leadcli recommends nothing yet (nothing heard), or None."""


NOTHING_HEARD = "nothing heard yet: no domain has a known level, so no gap is known"
"""Why an offering is not recommended when no domain's level is known."""
CANNOT_RECOMMEND = (
    "Cannot recommend yet: no strengths or concerns were heard for any domain, so no gap is known."
    " Once evidence is heard (or the interviewer gives levels in `leadcli reflect`), offerings that"
    " strengthen the gaps are ranked here; `--all` lists every offering to consider, and why not yet."
)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def recommend(interview: Interview, assessment: Assessment, catalog: Catalog) -> Recommendations:
    """The interviewer's proposals first (from `reflect`, labelled as theirs), then leadcli's ranked
    suggestions: offerings that strengthen the gaps (low, then unknown, then partial), for these
    people and place."""
    ours = recommend_for(
        tuple((d.domain_id, d.title, d.level) for d in assessment.domains),
        people_levels(c.level for c in interview.contacts),
        interview.region.strip(),
        catalog,
    )
    proposed = interview.reflection.proposed if interview.reflection else []
    by_id = {o.id: o for o in catalog.offerings}
    leading = [
        _recommendation(
            by_id[i],
            catalog,
            rank=0,
            score=0,
            why="proposed by the interviewer",
            gaps=[],
            proposed_by=INTERVIEWER,
        )
        for i in dict.fromkeys(proposed)
        if i in by_id
    ]
    if not leading:
        return ours
    taken = {r.offering_id for r in leading}
    merged = [*leading, *(r for r in ours.recommended if r.offering_id not in taken)]
    for rank, item in enumerate(merged, start=1):
        item.rank = rank
    passed = [p for p in ours.passed_over if p.offering_id not in taken]
    return Recommendations(recommended=merged, passed_over=passed, note=ours.note)


def _recommendation(
    offering: Offering,
    catalog: Catalog,
    *,
    rank: int,
    score: int,
    why: str,
    gaps: list[str],
    proposed_by: str = LEADCLI,
) -> Recommendation:
    return Recommendation(
        rank=rank,
        offering_id=offering.id,
        name=offering.name,
        score=score,
        why=why,
        gaps=gaps,
        name_inferred=offering.name_inferred,
        report_says=(
            f"“{offering.report_says.quote}” ({offering.report_says.place})" if offering.report_says else None
        ),
        proposed_by=proposed_by,
        type_label=offering.type_label,
        duration=offering.duration.text,
        structure=offering.structure,
        price_min=offering.price.min,
        price_max=offering.price.max,
        currency=offering.price.currency,
        per=offering.price.per,
        price_quote=offering.price.quote,
        prices_as_of=catalog.source.prices_as_of or "",
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
    nothing_known = all(level == "unknown" for level in levels.values())
    ranked: list[tuple[tuple, Offering, list[str], str]] = []
    passed: list[Passed] = []
    for offering in catalog.offerings:
        gaps = sorted(
            (d for d in offering.domains if levels.get(d, "strong") != "strong"),
            key=lambda d: -GAP_WEIGHT[levels[d]],
        )
        reasons = []
        if nothing_known:
            reasons.append(NOTHING_HEARD)
        elif not gaps:
            strong = _join([titles.get(d, d) for d in offering.domains])
            reasons.append(f"strengthens no gap: {strong} came out strong")
        fits = [level for level in people if level in offering.audience]
        if people and not fits:
            wanted = _join([AUDIENCE_LABELS[p].lower() for p in people])
            offered = _join([AUDIENCE_LABELS[a].lower() for a in offering.audience])
            reasons.append(f"for {offered}, not the {wanted} in the conversation")
        everywhere = "global" in {normalize_place(r) for r in offering.regions}
        if region and not serves_region(offering, region):
            reasons.append(f"not offered in {region} (offered in {'; '.join(offering.regions)})")
        if reasons:
            passed.append(Passed(offering_id=offering.id, name=offering.name, reasons=reasons))
            continue
        score = sum(GAP_WEIGHT[levels[d]] for d in gaps)
        parts = ["strengthens " + _join([f"{titles[d]} ({levels[d]})" for d in gaps])]
        if fits:
            parts.append("for " + _join([AUDIENCE_LABELS[f].lower() for f in fits]))
        elif not people:
            parts.append("the people in the conversation are not recorded")
        if region:
            parts.append("offered globally" if everywhere else f"available in {region}")
        elif not everywhere:
            parts.append(f"offered only in {'; '.join(offering.regions)}: the region is not recorded")
        # Ties: those that suit more of the people; then per organization before per person; within
        # one unit, offerings sure to be available (global, or the region known) before those only
        # offered somewhere (the region unknown), then the cheapest: prices are compared only within
        # one unit.
        unsure = not region and not everywhere
        key = (-score, -len(fits), offering.price.per, unsure, offering.price.min, offering.name.casefold())
        ranked.append((key, offering, gaps, "; ".join(parts)))
    ranked.sort(key=lambda item: item[0])
    recommended = [
        _recommendation(offering, catalog, rank=index, score=-key[0], why=why, gaps=gaps)
        for index, (key, offering, gaps, why) in enumerate(ranked, start=1)
    ]
    return Recommendations(
        recommended=recommended, passed_over=passed, note=CANNOT_RECOMMEND if nothing_known else None
    )
