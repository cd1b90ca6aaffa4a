"""Reports as data: one interview, one organization over time, and the whole store.

The dataclasses here are the report's stable shape: JSON output is exactly them, with
`schema_version` bumped on any incompatible change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from leadcli.assessment.demand import Conversation, Demand, demand
from leadcli.assessment.rules import (
    Assessment,
    Passed,
    Recommendation,
    assess,
    assess_given,
    direction,
    domain_inputs,
    people_levels,
    recommend,
    recommend_for,
)
from leadcli.content.catalog import inferred_name_note
from leadcli.content.coverage import coverage
from leadcli.content.models import Content, Question
from leadcli.names import name_key
from leadcli.store.records import NOT_EXPLORED, Answer, Contact, FollowUp, Interview, Outcome, StoreFacts
from leadcli.vocabulary import OUTCOME_RESULTS, STATUSES, Level

SCHEMA_VERSION = 2
"""2: domains carry strengths, concerns, what the level rests on and whose level it is;
cues heard carry their kind; recommendations carry the offer and whose they are."""


@dataclass(kw_only=True)
class HeardCue:
    id: str
    text: str
    words: str = "leadcli"
    """`report`: the guidance's own words; `leadcli`: leadcli's wording (†)."""
    kind: str = "topic"
    """strength, concern or topic (leadcli's reading)."""
    judgement: str | None = None
    """For a topic: the interviewer's + or -, or None (heard, not judged)."""
    direction: str | None = None
    """What it counts as: strength, concern, or None (counts for nothing)."""


def heard_cues(question: Question, answer: Answer) -> list[HeardCue]:
    """The cues of `question` heard in `answer`, in the question's order, each with its direction."""
    return [
        HeardCue(
            id=c.id,
            text=c.text,
            words=c.words,
            kind=c.kind,
            judgement=answer.judgements.get(c.id) if c.kind == "topic" else None,
            direction=direction(c.kind, answer.judgements.get(c.id)),
        )
        for c in question.cues
        if c.id in answer.cues
    ]


@dataclass(kw_only=True)
class ReportQuestion:
    id: str
    number: int
    category: str
    prompts: list[str]
    state: str
    """`explored`, or `not explored` (never asked, or skipped)."""
    notes: str
    cues_heard: list[HeardCue]
    rating: str | None


@dataclass(kw_only=True)
class ReflectionAnswer:
    id: str
    question: str
    answer: str


@dataclass(kw_only=True)
class ReportReflection:
    answers: list[ReflectionAnswer]
    verdict: str | None
    follow_ups: list[FollowUp]
    domain_levels: dict[str, str] = field(default_factory=dict)
    """The interviewer's own levels per domain (`unknown`: they said don't know)."""
    proposed: list[str] = field(default_factory=list)
    """Offering ids the interviewer would propose."""


@dataclass(kw_only=True)
class ReportHeader:
    id: str
    organization: str
    people: list[Contact]
    interviewer: str
    region: str
    status: str
    created_at: str
    updated_at: str
    framework_version: str
    questions_version: str


@dataclass(kw_only=True)
class Report:
    schema_version: int
    interview: ReportHeader
    questions: list[ReportQuestion]
    reflection: ReportReflection | None
    assessment: Assessment
    recommendations: list[Recommendation]
    passed_over: list[Passed] | None = None
    """Offerings left out and why; only when asked for (`--all`)."""
    recommendations_note: str | None = None
    """Why leadcli ranks no offering yet (nothing heard for any domain), or None."""
    leadcli_notes: list[str] = field(default_factory=list)
    """What in this report is leadcli's reading rather than the report's words."""
    about: str = ""
    """What this is: an assessment by leadcli, using the institute's framework (said first in HTML)."""


def build_report(interview: Interview, content: Content, *, include_passed: bool = False) -> Report:
    assessment = assess(interview, content.framework, content.questions.assessment)
    recommendations = recommend(interview, assessment, content.catalog)
    questions = []
    for question in interview.snapshot.questions:
        answer = interview.answers.get(question.id)
        explored = answer is not None and answer.explored
        questions.append(
            ReportQuestion(
                id=question.id,
                number=question.number,
                category=question.category,
                prompts=list(question.prompts),
                state="explored" if explored else NOT_EXPLORED,
                notes=answer.notes if explored and answer else "",
                cues_heard=heard_cues(question, answer) if explored and answer else [],
                rating=answer.rating if explored and answer else None,
            )
        )
    reflection = None
    if interview.reflection is not None:
        texts = {r.id: r.text for r in interview.snapshot.reflection}
        reflection = ReportReflection(
            answers=[
                ReflectionAnswer(
                    id=key, question=texts.get(key, key), answer=getattr(interview.reflection, key)
                )
                for key in ("fit", "concerns", "gaps")
            ],
            verdict=interview.reflection.verdict,
            follow_ups=list(interview.reflection.follow_ups),
            domain_levels=dict(interview.reflection.domain_levels),
            proposed=list(interview.reflection.proposed),
        )
    return Report(
        schema_version=SCHEMA_VERSION,
        interview=ReportHeader(
            id=interview.id,
            organization=interview.organization,
            people=list(interview.contacts),
            interviewer=interview.interviewer,
            region=interview.region,
            status=interview.status,
            created_at=interview.created_at,
            updated_at=interview.updated_at,
            framework_version=interview.stamp.framework_version,
            questions_version=interview.stamp.questions_version,
        ),
        questions=questions,
        reflection=reflection,
        assessment=assessment,
        recommendations=recommendations.recommended,
        passed_over=recommendations.passed_over if include_passed else None,
        recommendations_note=recommendations.note,
        leadcli_notes=leadcli_notes(
            content,
            shown=[r.offering_id for r in recommendations.recommended]
            + [p.offering_id for p in (recommendations.passed_over if include_passed else [])],
        ),
        about=about_line(content),
    )


def about_line(content: Content) -> str:
    """What the report is, said first: an assessment by leadcli, using the institute's framework."""
    import re

    framework = content.framework
    year = re.findall(r"\b(?:19|20)\d\d\b", framework.source.title)
    report = f", {year[-1]} report" if year else ""
    publisher = framework.source.publisher or "the institute"
    return (
        f"An assessment by leadcli, using {publisher}'s {framework.name} ({framework.status}{report}):"
        " the framework is the institute's; the levels and recommendations are leadcli's judgement"
        " and the interviewer's."
    )


def leadcli_notes(content: Content, shown: Sequence[str] = ()) -> list[str]:
    """The content's own words on what is leadcli's reading: the rules, the listening cues (their
    kinds and wordings), the offering mapping, the reading of places and of the prices' currency and
    date, and the name leadcli inferred of any offering `shown` (by id)."""
    catalog = content.catalog
    notes = [content.questions.assessment.note, content.questions.cue_note]
    inferred = [inferred_name_note(o) for o in catalog.offerings if o.name_inferred and o.id in shown]
    return _words([*notes, catalog.domain_mapping, catalog.places_note, catalog.price_note, *inferred])


def _words(notes: Iterable[str | None]) -> list[str]:
    """The notes given, each on one line."""
    return [" ".join(n.split()) for n in notes if n]


# --- one organization, several calls --------------------------------------------------------


@dataclass(kw_only=True)
class OrgCall:
    id: str
    date: str
    people: list[Contact]
    interviewer: str
    status: str
    overall: str
    overall_source: str


@dataclass(kw_only=True)
class OrgDomain:
    domain_id: str
    number: int
    title: str
    levels: list[Level]
    """One level per call, oldest first: the interviewer's where given, else leadcli's reading."""
    levels_by: list[str] = field(default_factory=list)
    """Whose each level is, `interviewer` or `leadcli`, call by call."""
    disagree: bool | None
    """The calls that have evidence for this domain do not agree on its level (None: fewer than
    two calls have a known level, so there is nothing to compare)."""
    change: str
    """From the first call with evidence to the latest: `low → partial`, `unchanged` or `—`."""
    # `disagree` and `change` are leadcli's comparison of the levels (see `leadcli_notes`).


@dataclass(kw_only=True)
class OrgReport:
    schema_version: int
    organization: str
    calls: list[OrgCall]
    domains: list[OrgDomain]
    outcome: Outcome | None = None
    """The outcome that counts: the latest by date (then by when it was recorded)."""
    outcomes: list[Outcome] = field(default_factory=list)
    """Every outcome recorded, oldest first: the history."""
    leadcli_notes: list[str] = field(default_factory=list)
    """What in this report is leadcli's reading rather than the report's words or the interviewer's."""


ORG_NOTE = (
    "Each call's level for a domain is the interviewer's own where they gave one in `leadcli reflect`"
    " (level_by: interviewer), else leadcli's reading of that call's evidence (level_by: leadcli);"
    " whether the calls agree (disagree) and how a level changed (change) are leadcli's comparison"
    " of those levels. An overall level is the interviewer's reflection verdict where given, else"
    " leadcli's reading (overall_source)."
)


def build_org_report(
    organization: str, interviews: list[Interview], content: Content, *, outcomes: Iterable[Outcome] = ()
) -> OrgReport:
    """All calls with one organization side by side, oldest first, and what came of them."""
    ordered = sorted(interviews, key=lambda i: i.created_at)
    readings = [assess(i, content.framework, content.questions.assessment) for i in ordered]
    calls = [
        OrgCall(
            id=i.id,
            date=i.created_at[:10],
            people=list(i.contacts),
            interviewer=i.interviewer,
            status=i.status,
            overall=a.overall,
            overall_source=a.overall_source,
        )
        for i, a in zip(ordered, readings, strict=True)
    ]
    domains = []
    for domain in content.framework.domains:
        evidence = [next(d for d in a.domains if d.domain_id == domain.id) for a in readings]
        levels = [d.level for d in evidence]
        known = [level for level in levels if level != "unknown"]
        if len(known) < 2:
            change = "—"
        elif known[0] == known[-1]:
            change = "unchanged"
        else:
            change = f"{known[0]} → {known[-1]}"
        domains.append(
            OrgDomain(
                domain_id=domain.id,
                number=domain.number,
                title=domain.title,
                levels=levels,
                levels_by=[d.level_by for d in evidence],
                disagree=len(set(known)) > 1 if len(known) > 1 else None,
                change=change,
            )
        )
    history = sorted(outcomes, key=outcome_order)
    return OrgReport(
        schema_version=SCHEMA_VERSION,
        organization=organization,
        calls=calls,
        domains=domains,
        outcome=history[-1] if history else None,
        outcomes=history,
        leadcli_notes=[ORG_NOTE, *_words([content.questions.assessment.note])],  # no offerings here
    )


def outcome_order(outcome: Outcome) -> tuple[str, str, str]:
    """Sorts outcomes oldest first; the last is the one that counts."""
    return (outcome.date, outcome.recorded_at, outcome.id)


def _latest(outcomes: Iterable[Outcome]) -> dict[str, Outcome]:
    latest: dict[str, Outcome] = {}
    for outcome in outcomes:
        key = name_key(outcome.organization)
        if key not in latest or outcome_order(outcome) >= outcome_order(latest[key]):
            latest[key] = outcome
    return latest


def latest_results(outcomes: Iterable[Outcome]) -> dict[str, str]:
    """Each organization's result that counts, keyed by `names.name_key`."""
    return {key: outcome.result for key, outcome in _latest(outcomes).items()}


def latest_dates(outcomes: Iterable[Outcome]) -> dict[str, str]:
    """The date of each organization's outcome that counts, keyed by `names.name_key`."""
    return {key: outcome.date for key, outcome in _latest(outcomes).items()}


# --- the learning system's view -------------------------------------------------------------


@dataclass(kw_only=True)
class OverdueFollowUp:
    interview_id: str
    organization: str
    text: str
    owner: str
    due: str


@dataclass(kw_only=True)
class DomainGaps:
    domain_id: str
    title: str
    low: int
    """Interviews where the domain came out low: the interviewer's level where given, else leadcli's."""
    unknown: int
    """... unknown (an interviewer's "don't know" counts here)."""
    low_by_interviewer: int = 0
    """Of `low`, how many are the interviewer's own level (the rest are leadcli's readings)."""
    unknown_by_interviewer: int = 0
    """Of `unknown`, how many are the interviewer's "don't know"."""


@dataclass(kw_only=True)
class Summary:
    schema_version: int
    interviews: int
    organizations: int
    by_status: dict[str, int]
    verdicts: dict[str, int]
    """Reflection verdicts; interviews without one count as `none yet`."""
    domains: list[DomainGaps]
    top_recommendations: list[tuple[str, int]]
    """Offering names and how many interviews ranked them first to third."""
    overdue: list[OverdueFollowUp] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    """Organizations by the result of their latest outcome; `open` when none is recorded."""
    demand: Demand | None = None
    """How often each domain came out low or concerning per audience, beside the offerings."""
    inferred_names: list[str] = field(default_factory=list)
    """The names in `top_recommendations` that leadcli inferred (the report lost them)."""
    leadcli_notes: list[str] = field(default_factory=list)
    """What in this summary is leadcli's reading rather than the report's words or the interviewers'."""


SUMMARY_NOTE = (
    "Each interview's level for a domain is the interviewer's own where they gave one in `leadcli"
    " reflect` (low_by_interviewer and unknown_by_interviewer count those; an interviewer's"
    " \"don't know\" is unknown), else leadcli's reading of its evidence. The most recommended"
    " offerings are leadcli's ranking for those levels, the people and the region. The verdicts are"
    " the interviewers' own."
)


def build_summary(
    facts: StoreFacts,
    content: Content,
    *,
    worked_out: dict | None = None,
    results: dict[str, str] | None = None,
) -> Summary:
    """The learning-system view. Levels worked out here (not kept in the facts) go into `worked_out`.

    `results` maps organizations (`name_key`) to the result of their latest outcome.
    """
    statuses: dict[str, int] = dict.fromkeys(STATUSES, 0)
    verdicts: Counter[str] = Counter()
    total = 0
    for status, verdict, count in facts.by_status:
        statuses[status] = statuses.get(status, 0) + count
        verdicts[verdict or "none yet"] += count
        total += count
    rules = content.questions.assessment
    titles = {d.id: d.title for d in content.framework.domains}
    # Many interviews share the same levels, people and region: count each combination once.
    # The fourth part: the domains where a concern was heard (a kept level is [domain, level] or
    # [domain, level, 1] when concerns were heard for it); the fifth: the domains whose level is
    # the interviewer's own (it stands in the first part instead of leadcli's reading).
    combinations: Counter[
        tuple[tuple[tuple[str, str, str], ...], tuple[str, ...], str, frozenset[str], frozenset[str]]
    ] = Counter()

    def add(
        pairs: Sequence[Sequence[Any]],
        people: tuple[str, ...],
        region: str,
        given: dict[str, str],
        times: int,
    ) -> None:
        levels = tuple(
            (pair[0], titles.get(pair[0], pair[0]), given.get(pair[0]) or pair[1]) for pair in pairs
        )
        concerned = frozenset(pair[0] for pair in pairs if len(pair) > 2 and pair[2])
        theirs = frozenset(pair[0] for pair in pairs if given.get(pair[0]))
        combinations[levels, people_levels(people), region.strip(), concerned, theirs] += times

    for pairs, people, region, given, count in facts.kept:
        add(pairs, people, region, given, count)
    for interview in facts.to_assess:
        evidence = assess_given(interview.given, domain_inputs(interview.snapshot, content.framework), rules)
        worked: list[tuple[Any, ...]] = [  # leadcli's readings: kept, whatever the interviewer said
            (d.domain_id, d.level, 1) if d.concerns else (d.domain_id, d.level) for d in evidence
        ]
        if worked_out is not None:
            worked_out[interview.id] = worked
        add(worked, interview.people, interview.region, interview.domain_levels, 1)
    gap_counts: Counter[tuple[str, str]] = Counter()  # (domain id, level)
    theirs_counts: Counter[tuple[str, str]] = Counter()  # of those, the interviewer's own
    recommended: Counter[str] = Counter()
    for (domains, levels_of_people, place, _, theirs), times in combinations.items():
        for domain_id, _, level in domains:
            gap_counts[domain_id, level] += times
            if domain_id in theirs:
                theirs_counts[domain_id, level] += times
        for offering in recommend_for(domains, levels_of_people, place, content.catalog).recommended[:3]:
            recommended[offering.name] += times
    top = sorted(recommended.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    inferred = [o for o in content.catalog.offerings if o.name_inferred and o.name in dict(top)]
    return Summary(
        schema_version=SCHEMA_VERSION,
        interviews=total,
        organizations=len(set(facts.organizations)),
        by_status=statuses,
        verdicts=dict(sorted(verdicts.items())),
        domains=[
            DomainGaps(
                domain_id=d.id,
                title=d.title,
                low=gap_counts[d.id, "low"],
                unknown=gap_counts[d.id, "unknown"],
                low_by_interviewer=theirs_counts[d.id, "low"],
                unknown_by_interviewer=theirs_counts[d.id, "unknown"],
            )
            for d in content.framework.domains
        ],
        top_recommendations=top,
        inferred_names=[o.name for o in inferred],
        leadcli_notes=[
            SUMMARY_NOTE,
            *_words(
                [
                    content.questions.assessment.note,
                    content.catalog.domain_mapping,
                    content.catalog.places_note,
                    *(inferred_name_note(o) for o in inferred),
                ]
            ),
        ],
        overdue=[
            OverdueFollowUp(
                interview_id=interview_id,
                organization=organization,
                text=follow_up.text,
                owner=follow_up.owner,
                due=follow_up.due or "",
            )
            for interview_id, organization, follow_up in facts.overdue
        ],
        outcomes=outcome_counts(set(facts.organizations), results or {}),
        demand=demand(
            (
                Conversation(
                    levels={d: level for d, _, level in key[0]},
                    audiences=key[1],
                    times=times,
                    concerns=key[3],
                )
                for key, times in combinations.items()
            ),
            coverage(content.framework, content.catalog),
        ),
    )


def outcome_counts(organizations: Iterable[str], results: dict[str, str]) -> dict[str, int]:
    """How many of these organizations (`name_key`) stand at each result, `open` for none yet."""
    counts = dict.fromkeys((*OUTCOME_RESULTS, "open"), 0)
    for key in organizations:
        counts[results.get(key, "open")] += 1
    return counts
