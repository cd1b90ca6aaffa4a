"""Are the questions working? Three answers from the records. Pure functions (no store, no rich).

1. Is each question doing its job: how often it is explored when reached, how many of its cues are
   heard, how often it is rated, how much is written.
2. Do interviewers read the same organization alike: per framework domain, pairs of interviews by
   different interviewers at one organization, their agreement and Cohen's kappa.
3. Does the verdict foretell the outcome: interviews by verdict (and by the assessment's own
   reading) against their organization's latest outcome, with a 95% Wilson interval.

The figures and their limits are described in README, "`leadcli evaluate`".
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from leadcli.assessment.rules import assess_given, domain_inputs, overall_reading
from leadcli.content.models import Content, Question
from leadcli.names import name_key
from leadcli.store.records import AnsweredFacts
from leadcli.vocabulary import LEVELS, OUTCOME_RESULTS, RATINGS, VERDICTS

SCHEMA_VERSION = 1
KNOWN_LEVELS = tuple(level for level in LEVELS if level != "unknown")
RARELY_EXPLORED = 0.5
"""A question explored in fewer than this share of the interviews that reached it is not working."""
FEW_PAIRS = 10
"""Fewer pairs than this: agreement and kappa can swing widely."""
FEW_OUTCOMES = 10
"""Fewer interviews with an outcome than this: too few to read anything into."""
FEW_ORGANIZATIONS = 5
"""Fewer organizations with an outcome than this: the interviews are not independent evidence."""
Z_95 = 1.959963984540054
GRADED = VERDICTS[:3]
"""The verdicts that grade commitment, best first (`unclear` grades nothing)."""
NO_VERDICT = "none yet"
AGREEMENT_BASIS = (
    "leadcli's readings † of each interview's evidence, compared with leadcli's readings: the"
    " interviewers' own levels from `reflect` are not compared with leadcli's"
)
OPEN = "open"
RULES_OF_THUMB = (
    "Whether a question is working, and when numbers are too few to read, are leadcli's rules of thumb"
    f" (explored in under half the interviews that reach it; fewer than {FEW_OUTCOMES} outcomes or"
    f" pairs; fewer than {FEW_ORGANIZATIONS} organizations), not the report's."
)
READING_NOTE = (
    "The outcomes by the assessment's own reading (outcomes_by_reading) and the agreement between"
    " interviewers use leadcli's reading of each interview's evidence, by leadcli's rules; the"
    " outcomes by verdict use the interviewers' own verdicts."
)


def evaluation_notes(content: Content) -> list[str]:
    """What in an evaluation is leadcli's reading: its rules of thumb, the readings it compares, the
    assessment's rules and the listening cues (their split, kinds and domains)."""
    notes = [RULES_OF_THUMB, READING_NOTE, content.questions.assessment.note, content.questions.cue_note]
    return [" ".join(n.split()) for n in notes if n]


@dataclass(kw_only=True)
class RatingCounts:
    strong: int = 0
    partial: int = 0
    low: int = 0
    unrated: int = 0


@dataclass(kw_only=True)
class QuestionFigures:
    id: str
    number: int
    category: str
    asked: int
    """Interviews that reached the question."""
    explored: int
    skipped: int
    cue_share: float | None
    """Cues heard / cues available, over the explored answers (None when none explored)."""
    ratings: RatingCounts
    """Ratings of the explored answers."""
    median_note_chars: float | None
    working: bool
    problems: list[str]
    """Why the question is not working, in words (empty when it is)."""


@dataclass(kw_only=True)
class DomainAgreement:
    domain_id: str
    title: str
    organizations: int
    """Organizations that gave at least one pair."""
    pairs: int
    agreeing: int
    agreement: float | None
    """Share of pairs at the same level."""
    kappa: float | None
    """Cohen's kappa over the pairs; None with no pairs or when chance agreement is total."""
    warning: str | None


@dataclass(kw_only=True)
class OutcomeRow:
    """Interviews by their organization's latest outcome."""

    interviews: int
    engaged: int
    declined: int
    no_decision: int
    open: int
    """Interviews whose organization has no outcome yet."""
    engaged_share: float | None
    """Engaged / interviews with an outcome (open ones left out)."""
    interval: list[float] | None
    """95% Wilson interval of the engaged share, [low, high]."""
    warning: str | None


@dataclass(kw_only=True)
class VerdictOutcomes(OutcomeRow):
    verdict: str


@dataclass(kw_only=True)
class ReadingOutcomes(OutcomeRow):
    reading: str


@dataclass(kw_only=True)
class Findings:
    """The three answers, in words."""

    questions: str
    agreement: str
    outcomes: str


@dataclass(kw_only=True)
class Evaluation:
    schema_version: int
    since: str | None
    interviewer: str | None
    interviews: int
    organizations: int
    interviewers: int
    findings: Findings
    questions: list[QuestionFigures]
    agreement: list[DomainAgreement]
    outcomes: list[VerdictOutcomes]
    """Per reflection verdict (`none yet` for interviews without one)."""
    outcomes_by_reading: list[ReadingOutcomes]
    """Per the assessment's own overall reading, whatever the verdict."""
    warnings: list[str] = field(default_factory=list)
    agreement_basis: str = AGREEMENT_BASIS
    """What the agreement compares: like with like."""
    outcome_before_interview: int = 0
    """Interviews left out of the outcome rows: their organization's outcome is dated before them."""
    leadcli_notes: list[str] = field(default_factory=list)
    """What in this evaluation is leadcli's reading rather than the report's or the interviewers'."""


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def cohens_kappa(pairs: Iterable[tuple[str, str]], levels: tuple[str, ...] = KNOWN_LEVELS) -> float | None:
    """Cohen's kappa for two raters: (p_o - p_e) / (1 - p_e); None when undefined.

    Each pair is (rater A's level, rater B's level). p_o is the share of pairs that agree; p_e the
    agreement expected by chance, the sum over levels of A's share at that level times B's.
    """
    return kappa_of(Counter(pairs), levels)


def kappa_of(table: Counter[tuple[str, str]], levels: tuple[str, ...] = KNOWN_LEVELS) -> float | None:
    """Cohen's kappa from the contingency table: how many pairs had each (A's level, B's level)."""
    n = sum(table.values())
    if not n:
        return None
    observed = sum(count for (a, b), count in table.items() if a == b) / n
    first: Counter[str] = Counter()
    second: Counter[str] = Counter()
    for (a, b), count in table.items():
        first[a] += count
        second[b] += count
    expected = sum(first[level] / n * second[level] / n for level in levels)
    if math.isclose(1 - expected, 0.0, abs_tol=1e-12):
        return None
    return (observed - expected) / (1 - expected)


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion (95% by default); None when n is 0."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class _Question:
    number: int
    category: str
    asked: int = 0
    explored: int = 0
    skipped: int = 0
    heard: int = 0
    available: int = 0
    ratings: Counter[str] = field(default_factory=Counter)
    note_chars: list[int] = field(default_factory=list)


@dataclass
class _Reading:
    created_at: str
    id: str
    interviewer: str
    levels: dict[str, str]


def evaluate(
    facts: Iterable[AnsweredFacts],
    content: Content,
    results: dict[str, str],
    *,
    since: date | None = None,
    interviewer: str | None = None,
    asked: tuple[Question, ...] | None = None,
    decided_on: dict[str, str] | None = None,
) -> Evaluation:
    """The evaluation of the interviews from `since` on (by `interviewer`, if given).

    `results` maps organizations (`name_key`) to their latest outcome's result, `decided_on` to
    that outcome's date: an interview after it foretold nothing and is left out of the outcome
    rows (counted in a warning). With `interviewer`, agreement pairs are those with that
    interviewer on one side. The question rows are those of `asked` (default: the current
    questions), and any other question reached.
    """
    dates = decided_on or {}
    before = 0
    framework, rules = content.framework, content.questions.assessment
    cutoff = since.isoformat() if since else ""
    focus = name_key(interviewer) if interviewer else None
    questions: dict[str, _Question] = {
        q.id: _Question(number=q.number, category=q.category)
        for q in (content.questions.questions if asked is None else asked)
    }
    by_org: dict[str, list[_Reading]] = defaultdict(list)
    by_verdict: dict[str, Counter[str]] = {v: Counter() for v in (*VERDICTS, NO_VERDICT)}
    by_reading: dict[str, Counter[str]] = {v: Counter() for v in VERDICTS}
    organizations: set[str] = set()
    interviewers: set[str] = set()
    considered = 0
    for item in facts:
        if item.created_at[:10] < cutoff:
            continue
        who = item.interviewer_key
        given = {
            q: (rating, cues, item.judgements.get(q, {}))
            for q, (state, rating, cues, _) in item.answers.items()
            if state == "explored"
        }
        evidence = assess_given(given, domain_inputs(item.snapshot, framework), rules)
        org = item.org_key
        by_org[org].append(_Reading(item.created_at, item.id, who, {d.domain_id: d.level for d in evidence}))
        if focus is not None and who != focus:
            continue  # counts for agreement pairs with the focus interviewer, nothing else
        considered += 1
        organizations.add(org)
        interviewers.add(who)
        _count_questions(item, questions)
        if org in dates and dates[org] < item.created_at[:10]:
            before += 1  # the outcome came first: the verdict cannot have foretold it
            continue
        result = results.get(org, OPEN)
        by_verdict[item.verdict or NO_VERDICT][result] += 1
        by_reading[overall_reading(evidence, rules)][result] += 1
    decided_orgs = sum(1 for org in organizations if org in results)
    question_rows = [_question_figures(qid, q) for qid, q in questions.items()]
    question_rows.sort(key=lambda q: q.number)
    agreement = [_agreement(domain.id, domain.title, by_org, focus) for domain in framework.domains]
    verdict_rows = [VerdictOutcomes(verdict=v, **_outcome_counts(c)) for v, c in by_verdict.items()]
    reading_rows = [ReadingOutcomes(reading=v, **_outcome_counts(c)) for v, c in by_reading.items()]
    return Evaluation(
        schema_version=SCHEMA_VERSION,
        since=cutoff or None,
        interviewer=interviewer,
        interviews=considered,
        organizations=len(organizations),
        interviewers=len(interviewers),
        findings=Findings(
            questions=_questions_finding(question_rows, considered),
            agreement=_agreement_finding(agreement),
            outcomes=_outcomes_finding(verdict_rows, recorded=len(results), before=before),
        ),
        questions=question_rows,
        agreement=agreement,
        outcomes=verdict_rows,
        outcomes_by_reading=reading_rows,
        warnings=_warnings(considered, agreement, verdict_rows, decided_orgs) + _before_warning(before),
        outcome_before_interview=before,
        leadcli_notes=evaluation_notes(content),
    )


def _before_warning(count: int) -> list[str]:
    if not count:
        return []
    return [
        f"{count} interview(s) took place after their organization's outcome (dated before the"
        " interview): they are left out of the verdict-vs-outcome rows, which they cannot have foretold."
    ]


def _count_questions(item: AnsweredFacts, questions: dict[str, _Question]) -> None:
    # A finished interview passed every question (one being amended may stand anywhere); a draft
    # reached those before where it stopped, and any it has an answer for.
    reached = len(item.snapshot.questions) if item.status != "draft" else item.position
    for index, question in enumerate(item.snapshot.questions):
        answer = item.answers.get(question.id)
        if answer is None and index >= reached:
            continue  # the interview never reached it
        figures = questions.setdefault(question.id, _Question(question.number, question.category))
        figures.asked += 1
        if answer is None:
            continue
        state, rating, cues, chars = answer
        if state == "skipped":
            figures.skipped += 1
            continue
        figures.explored += 1
        known = {c.id for c in question.cues}
        figures.heard += len(known.intersection(cues))
        figures.available += len(known)
        figures.ratings[rating or "unrated"] += 1
        figures.note_chars.append(chars)


def _question_figures(question_id: str, q: _Question) -> QuestionFigures:
    problems = []
    if not q.asked:
        problems.append("never reached in these interviews")
    elif q.explored / q.asked < RARELY_EXPLORED:
        reached = f"{q.asked} interview{'' if q.asked == 1 else 's'}"
        problems.append(f"rarely explored: {q.explored} of {reached} that reached it")
    if q.explored and q.ratings["unrated"] == q.explored:
        problems.append(f"always unrated: none of its {q.explored} explored answers was rated")
    median = statistics.median(q.note_chars) if q.note_chars else None
    return QuestionFigures(
        id=question_id,
        number=q.number,
        category=q.category,
        asked=q.asked,
        explored=q.explored,
        skipped=q.skipped,
        cue_share=_round(q.heard / q.available) if q.available else None,
        ratings=RatingCounts(**{r: q.ratings[r] for r in (*RATINGS, "unrated")}),
        median_note_chars=None if median is None else float(median),
        working=not problems,
        problems=problems,
    )


def _agreement(
    domain_id: str, title: str, by_org: dict[str, list[_Reading]], focus: str | None
) -> DomainAgreement:
    table: Counter[tuple[str, str]] = Counter()  # (earlier interview's level, later one's) -> pairs
    organizations = 0
    for readings in by_org.values():
        found = _pairs_at_one_organization(domain_id, readings, focus, table)
        organizations += found > 0
    pairs = sum(table.values())
    agreeing = sum(count for (a, b), count in table.items() if a == b)
    warning = None
    if pairs < FEW_PAIRS:
        warning = f"only {pairs} pair(s): agreement and kappa can swing widely"
    return DomainAgreement(
        domain_id=domain_id,
        title=title,
        organizations=organizations,
        pairs=pairs,
        agreeing=agreeing,
        agreement=_round(agreeing / pairs) if pairs else None,
        kappa=_round(kappa_of(table)),
        warning=warning,
    )


def _pairs_at_one_organization(
    domain_id: str, readings: list[_Reading], focus: str | None, table: Counter[tuple[str, str]]
) -> int:
    """Add to `table` every pair of interviews by different interviewers, earlier one first.

    Interviews with an unknown level are left out (never counted as disagreement). One pass in
    time order, counting the earlier interviews by interviewer and level, so an organization with
    many interviews costs no more than its interviews times the levels.
    """
    earlier: Counter[str] = Counter()  # level -> earlier interviews at it
    earlier_by: dict[str, Counter[str]] = defaultdict(Counter)  # interviewer -> level -> count
    found = 0
    for reading in sorted(readings, key=lambda r: (r.created_at, r.id)):
        level = reading.levels.get(domain_id, "unknown")
        if level == "unknown":
            continue
        own = earlier_by[reading.interviewer]
        for first in KNOWN_LEVELS:
            if focus is None or reading.interviewer == focus:
                count = earlier[first] - own[first]  # every earlier one by someone else
            else:
                count = earlier_by[focus][first]  # only the focus interviewer's earlier ones
            if count:
                table[first, level] += count
                found += count
        earlier[level] += 1
        own[level] += 1
    return found


def _outcome_counts(counts: Counter[str]) -> dict:
    engaged, declined, no_decision = (counts[r] for r in OUTCOME_RESULTS)
    decided = engaged + declined + no_decision
    interval = wilson_interval(engaged, decided)
    warning = None
    if decided < FEW_OUTCOMES:
        warning = f"only {decided} interview(s) with an outcome: too few to read anything into"
    return {
        "interviews": decided + counts[OPEN],
        "engaged": engaged,
        "declined": declined,
        "no_decision": no_decision,
        "open": counts[OPEN],
        "engaged_share": _round(engaged / decided) if decided else None,
        "interval": [_round(interval[0]), _round(interval[1])] if interval else None,
        "warning": warning,
    }


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def _questions_finding(rows: list[QuestionFigures], interviews: int) -> str:
    if not interviews:
        return "No interviews to judge the questions by yet."
    failing = [q for q in rows if not q.working]
    if not failing:
        return (
            f"Yes: all {len(rows)} questions are explored in at least half the interviews that reach "
            "them, and rated at least sometimes."
        )
    named = "; ".join(f"{q.number}. {q.category} ({', '.join(q.problems)})" for q in failing)
    return f"Not all: {len(failing)} of {len(rows)} questions are not working — {named}."


def _agreement_finding(rows: list[DomainAgreement]) -> str:
    total = sum(d.pairs for d in rows)
    if not total:
        return (
            "Cannot tell yet: no organization has interviews by two different interviewers "
            "with a known level to compare."
        )
    share = sum(d.agreeing for d in rows) / total
    answer = "Largely yes" if share >= 0.8 else "Partly" if share >= 0.6 else "Not yet"
    measured = [d for d in rows if d.pairs]
    weakest = min(measured, key=lambda d: (d.agreement or 0.0, d.domain_id))
    kappa = "undefined" if weakest.kappa is None else f"{weakest.kappa:.2f}".replace("-0.00", "0.00")
    text = (
        f"{answer}: {sum(d.agreeing for d in rows)} of {total} pairs (all domains) read the "
        f"organization at the same level ({percent(share)}); least alike: {weakest.title} "
        f"({percent(weakest.agreement)}, kappa {kappa})."
    )
    if total < FEW_PAIRS:
        text += f" Only {total} pairs: read nothing into this yet."
    return text


def _outcomes_finding(rows: list[VerdictOutcomes], *, recorded: int = 0, before: int = 0) -> str:
    """Whether the verdicts foretold the outcomes; with none to compare, why: no outcome recorded,
    or outcomes recorded (`recorded` organizations) that follow no interview (`before` left out)."""
    decided = sum(r.engaged + r.declined + r.no_decision for r in rows)
    if not decided and not recorded:
        return "Cannot tell yet: no outcomes are recorded (leadcli outcome ORG --result ...)."
    if not decided:
        have = f"outcomes are recorded for {recorded} organization(s), but none follows an interview here"
        if before:
            return (
                f"Cannot tell yet: {have}: {before} interview(s) took place after their organization's"
                " outcome, so they are left out (they cannot have foretold it)."
            )
        return f"Cannot tell yet: {have}: no interview considered is with those organizations."
    graded = [r for r in rows if r.verdict in GRADED and r.engaged_share is not None]
    shares = "; ".join(
        f"{r.verdict} {r.engaged} of {r.engaged + r.declined + r.no_decision} engaged "
        f"({percent(r.engaged_share)}, 95% interval {percent(r.interval[0])}–{percent(r.interval[1])})"
        for r in graded
        if r.interval
    )
    if decided < FEW_OUTCOMES:
        answer = f"Too few outcomes to say ({decided} interviews with one)"
    elif len(graded) >= 2 and graded[0].interval and graded[-1].interval:
        apart = graded[0].interval[0] > graded[-1].interval[1]
        answer = "Yes, so far" if apart else "Not clearly (the intervals overlap)"
    else:
        answer = "Cannot tell: the outcomes fall under one verdict only"
    return f"{answer}: {shares}." if shares else f"{answer}."


def pairs_warning(pairs: int) -> str:
    """The warning when too few pairs of interviews can be compared for agreement."""
    return f"Only {pairs} pair(s) of interviews to compare: agreement and kappa can swing widely."


def _warnings(
    interviews: int, agreement: list[DomainAgreement], rows: list[VerdictOutcomes], decided_orgs: int
) -> list[str]:
    warnings = []
    if interviews < FEW_OUTCOMES:
        warnings.append(f"Only {interviews} interview(s): the question figures are a first impression.")
    pairs = sum(d.pairs for d in agreement)
    if pairs < FEW_PAIRS:
        warnings.append(pairs_warning(pairs))
    decided = sum(r.engaged + r.declined + r.no_decision for r in rows)
    if decided < FEW_OUTCOMES:
        warnings.append(f"Only {decided} interview(s) with an outcome: too few to read anything into.")
    if decided and decided_orgs < FEW_ORGANIZATIONS:
        warnings.append(
            f"The outcomes come from {decided_orgs} organization(s); interviews at one organization "
            "share its outcome, so they are not independent evidence."
        )
    return warnings
