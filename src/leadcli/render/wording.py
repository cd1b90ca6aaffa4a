"""The wording every output format shares: the † mark and legend, verdict, question state, follow-up."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from leadcli.content.models import AUDIENCE_LABELS, Cue, Offering, Price, QuestionSet
from leadcli.store.records import question_label

if TYPE_CHECKING:
    from leadcli.assessment.report import HeardCue, ReportHeader
    from leadcli.assessment.rules import DomainEvidence, Heard, Passed, Recommendation
    from leadcli.interview.reflect_steps import StepWords
    from leadcli.store.records import Contact, FollowUp, Outcome

__all__ = [
    "question_label"
]  # a question's state label (rating, `unrated`, `not explored`), defined with the records

CURRENCY_SIGNS = {"USD": "$"}

# What leadcli adds to the report (summaries, cues, mappings, rules, inferred names) carries this mark.
MARK = "†"
LEGEND = f"{MARK} leadcli's own reading, not the report's words."


def ours(text: str) -> str:
    """`text` marked as leadcli's reading rather than the report's words."""
    return f"{text} {MARK}"


STAKEHOLDER_VIEWS = (
    "What the institute's stakeholders said leaders need (their views on the earlier framework,"
    " in the report's words; not signs to look for in a customer)"
)


def step_words() -> StepWords:
    """The wording `reflect`'s per-domain step shares with every output: the mark, its legend, the
    heading of the stakeholders' views."""
    from leadcli.interview.reflect_steps import StepWords

    return StepWords(mark=MARK, legend=LEGEND, views=STAKEHOLDER_VIEWS)


def status_words(questions: QuestionSet) -> str:
    """`“draft” is leadcli's label …. The report (V. Results, Deliverable 3): “Our desire …”`."""
    label = f"“{questions.status}” is leadcli's label {MARK}." if questions.status else ""
    quote = questions.status_quote
    said = f" The report ({quote.place}): “{' '.join(quote.quote.split())}”" if quote else ""
    return label + said


KIND_MARKS = {"strength": "+", "concern": "−", "topic": "±"}
"""How a cue's kind is shown beside it: + strength, − concern, ± topic (judged + or − when heard)."""
CUE_KEY = f"+ strength, − concern, ± topic (judged + or −); kinds and {MARK} wordings are leadcli's"
"""The key to the kind marks beside cues, and to which cue texts are leadcli's."""
KINDS_KEY = f"Kinds: {CUE_KEY}."
"""The key as a line of its own, under the questions and under every report (whose "Strengths heard"
and "Concerns heard" sort the cues by these kinds)."""


def cue_note_line(note: str | None) -> str:
    """The legend with the content's own words on the listening cues (they name themselves)."""
    return f"{LEGEND} {note}" if note else LEGEND


def cue_text(cue: Cue | HeardCue | Heard) -> str:
    """A cue's text, marked † where leadcli worded it (five keep the report's guidance words)."""
    return ours(cue.text) if cue.words == "leadcli" else cue.text


def overall_text(overall: str, source: str) -> str:
    """`strong (reflection verdict)`; marked when it is the assessment's own reading."""
    text = f"{overall} ({source})"
    return text if source == "reflection verdict" else ours(text)


VERDICT_LABEL = "Verdict on leadership commitment"


def verdict_text(verdict: str | None) -> str:
    """The reflection's verdict, or `not given`."""
    return verdict or "not given"


def follow_up_text(item: FollowUp, escape: Callable[[str], str] = str) -> str:
    """`Call the CNO — Ana Ruiz, due 2026-12-01`; each part passed through the format's `escape`."""
    return f"{escape(item.text)} — {escape(item.owner or 'no owner')}, due {escape(item.due or 'no date')}"


def recommended_name(name: str, *, inferred: bool) -> str:
    return f"{name} (name inferred {MARK})" if inferred else name


def legend_lines(notes: Sequence[str]) -> list[str]:
    """The legend under a report: the mark, then the content's own words on what is leadcli's."""
    return [LEGEND, *notes]


def money(amount: int, currency: str) -> str:
    sign = CURRENCY_SIGNS.get(currency)
    return f"{sign}{amount:,}" if sign else f"{amount:,} {currency}"


def price_text(price: Price, *, with_unit: bool = True) -> str:
    """`$24,000–$40,000 per organization (Plus Added Training)`."""
    amount = money(price.min, price.currency)
    if price.is_range:
        amount += f"–{money(price.max, price.currency)}"
    if with_unit:
        amount += f" per {price.per}"
    if price.quote:
        amount += f" ({price.quote})"
    return amount


def list_price(as_of: str) -> str:
    """`2019 list price †`: dating the report's prices to its year is leadcli's reading."""
    return ours(f"{as_of} list price")


def prices_line(as_of: str | None) -> str:
    """Under a list of offerings: the prices are the report's; their date and currency leadcli's reading."""
    dated = f"{as_of} list prices in " if as_of else ""
    return f"Prices are the report's; reading them as {dated}US dollars is leadcli's {MARK}."


def found_caption(shown: int, total: int, *, by_domain: bool = False, by_region: bool = False) -> str:
    """`2 of 10 offerings · by domain: leadcli's mapping †`: what a filtered list rests on."""
    parts = [f"{shown} of {total} offerings"]
    if by_domain:
        parts.append(f"by domain: leadcli's mapping of offerings to domains {MARK}")
    if by_region:
        parts.append(f"by region: leadcli's reading of places {MARK}")
    return " · ".join(parts)


def audience_text(offering: Offering) -> str:
    text = "; ".join(AUDIENCE_LABELS[level] for level in offering.audience)
    return f"{text} ({offering.audience_quote})" if offering.audience_quote else text


def regions_text(offering: Offering) -> str:
    text = "; ".join(offering.regions)
    return f"{text}, {offering.region_quote}" if offering.region_quote else text


def name_text(offering: Offering) -> str:
    return f"{offering.name} (name inferred {MARK})" if offering.name_inferred else offering.name


BAR_WIDTH = 10


def bar(strength: float | None) -> str:
    """`██████░░░░` for 0..1; a dotted bar when there is no evidence."""
    if strength is None:
        return "·" * BAR_WIDTH
    filled = round(max(0.0, min(1.0, strength)) * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def people_text(people: Sequence[Contact]) -> str:
    """`Ana Ruiz (CEO, executive); Tom Hale (core)`, or a dash for nobody."""
    return "; ".join(f"{p.name} ({', '.join(x for x in (p.role, p.level) if x)})" for p in people) or "—"


def header_rows(head: ReportHeader) -> list[tuple[str, str]]:
    """The facts every report opens with, as (label, value) pairs."""
    return [
        ("People", people_text(head.people)),
        ("Interviewer", head.interviewer),
        ("Region", head.region or "—"),
        ("Date", head.created_at[:10]),
        ("Status", head.status),
        ("Interview", head.id),
        ("Content", f"framework {head.framework_version}, questions {head.questions_version}"),
    ]


def status_text(status: str) -> str:
    """An interview's status for reading: `awaiting reflection` (a space, so a narrow column can wrap)."""
    return status.replace("-", " ")


def counted(count: int, noun: str) -> str:
    """`1 call`, `2 calls`: a count with its noun in the right number."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def outcome_text(outcome: Outcome) -> str:
    """`engaged on 2026-11-20 (offerings: whole-system-quality) — signed for spring`."""
    text = f"{outcome.result} on {outcome.date}"
    if outcome.offerings:
        text += f" (offerings: {', '.join(outcome.offerings)})"
    note = " ".join(outcome.note.split())
    return text + (f" — {note}" if note else "")


# --- the assessment's phrasing, shared by every report format --------------------------------

INTERVIEWERS = "the interviewer's"
THEIRS_LABEL = f"({INTERVIEWERS})"
"""Beside a level in one interview's report: the interviewer's own (their level in `reflect`)."""


def interviewer_level(level: str) -> str:
    """An interviewer's level in their own words at `reflect`: `unknown` is their "don't know"."""
    return "don't know" if level == "unknown" else level


LEVEL_KEY = (
    f"Levels marked {MARK} are leadcli's reading of the evidence; levels marked {THEIRS_LABEL} are"
    " the interviewer's own, from `leadcli reflect`. The bar shows leadcli's reading: 1–3 of 10"
    " blocks low, 4–6 partial, 7–10 strong, dotted unknown; within a level, how near the next one"
    " up the evidence comes."
)


def level_text(d: DomainEvidence) -> str:
    """`partial †`, or `strong (the interviewer's; leadcli †: partial)`."""
    if d.level_by == "interviewer":
        level = interviewer_level(d.level)
        beside = f"; leadcli {MARK}: {d.reading}" if d.reading != d.level else ""
        return f"{level} ({INTERVIEWERS}{beside})"
    return f"{d.level} {MARK}" + (" (mixed ratings)" if d.conflicting else "")


THEIRS = "*"
"""Beside a call's level in an organization's report: the interviewer's own (their level, their verdict)."""
ORG_KEY = (
    f"Levels marked {MARK} are leadcli's reading of that call's evidence; levels marked {THEIRS} are"
    f" the interviewer's own (their level in `leadcli reflect`, their reflection verdict)."
    f" Agree? and Change ({MARK}) are leadcli's comparison of the levels shown."
)
AGREE = ours("Agree?")
CHANGE = ours("Change")


def call_level_text(level: str, by: str) -> str:
    """A call's level in an organization's report: `partial †`, or `partial *` (the interviewer's)."""
    if by == "interviewer":
        return f"{interviewer_level(level)} {THEIRS}"
    return f"{level} {MARK}"


def call_overall_text(overall: str, source: str) -> str:
    """A call's overall level: `moderate *` (the reflection verdict) or `limited †` (leadcli's reading)."""
    return call_level_text(overall, "interviewer" if source == "reflection verdict" else "leadcli")


GAPS_KEY = (
    f"{MARK}: leadcli's reading of an interview's evidence; {THEIRS}: the interviewer's own level"
    ' (from `leadcli reflect`; their "don\'t know" counts as unknown), used where they gave one.'
)
RANKED = ours("Most recommended offerings (top three per interview, leadcli's ranking)")


def call_level_cell(level: str, by: str) -> str:
    """A call's level in the terminal's one row per call, where the column heading carries the † for
    leadcli's readings: `partial`, or `partial*` (the interviewer's own)."""
    return f"{level}{THEIRS}" if by == "interviewer" else level


def call_overall_cell(overall: str, source: str) -> str:
    return call_level_cell(overall, "interviewer" if source == "reflection verdict" else "leadcli")


def call_columns_key(numbers: str) -> str:
    """The key under the terminal's one row per call: `1–5` are the domains' levels, whose they are."""
    return (
        f"{numbers}: each domain's level in that call (the domains above). Levels under a heading marked"
        f" {MARK} are leadcli's reading of that call's evidence, except those marked {THEIRS}: the"
        f" interviewer's own (their level in `leadcli reflect`, their reflection verdict)."
        f" Agree? and Change ({MARK}) are leadcli's comparison of the levels."
    )


def agree_text(disagree: bool | None) -> str:
    """Agree?: `yes`, `disagree`, or `—` when fewer than two calls have a known level."""
    if disagree is None:
        return "—"
    return "disagree" if disagree else "yes"


def thin_text(thin_below: int) -> str:
    """The thin flag, saying what it counts (a topic heard but not judged is neither)."""
    return f"thin: fewer than {thin_below} strengths or concerns heard"


def rests_text(d: DomainEvidence, thin_below: int) -> str:
    """What leadcli's reading rests on, why it is that level, and its flags: thin, lowered or flagged
    by concerns."""
    flags = [d.why] if d.why else []
    if d.thin:
        flags.append(thin_text(thin_below))
    if d.lowered:
        flags.append("lowered a step by concerns")
    if d.flagged:
        flags.append("concerns flagged")
    if d.reading == "unknown":
        flags.append("no evidence of its own")
    return d.rests_on + "".join(f" · {f}" for f in flags)


def heard_list(items: Sequence[Heard]) -> str:
    """The cues heard for a domain, each marked † where leadcli worded it."""
    return "; ".join(cue_text(c) for c in items) if items else "—"


def heard_cue_text(cue: HeardCue) -> str:
    """`+ Problems they have solved`, `− Challenges that remain †`, `± How stable … (heard, not judged)`."""
    sign = {"strength": "+", "concern": "−"}.get(cue.direction or "", "±")
    text = cue_text(cue)
    return f"{sign} {text}" + (" (heard, not judged)" if cue.direction is None else "")


def offer_text(r: Recommendation) -> str:
    """`Consulting · 2-3 days · In-person · $140,000–$180,000 per organization (2019 list price †)`."""
    amount = money(r.price_min, r.currency)
    if r.price_max != r.price_min:
        amount += f"–{money(r.price_max, r.currency)}"
    amount += f" per {r.per}"
    if r.price_quote:
        amount += f" ({r.price_quote})"
    dated = f" ({list_price(r.prices_as_of)})" if r.prices_as_of else ""
    return " · ".join(part for part in (r.type_label, r.duration, r.structure, amount + dated) if part)


def passed_text(p: Passed) -> str:
    """Why an offering is not recommended: leadcli's reasons (its rules, its reading of places), marked †
    as the recommended entries' reasons are."""
    return ours("; ".join(p.reasons))


NONE_FIT = "None fit the gaps, the people and the region."


def recommendations_note(note: str | None, listed: int) -> str | None:
    """What to say under the recommended offerings, if anything: why leadcli ranks none yet
    (nothing heard), or that none fit."""
    return note or (None if listed else NONE_FIT)


def recommendation_why(r: Recommendation) -> str:
    """Why it is listed: the interviewer's proposal, or leadcli's reason (marked †)."""
    return "proposed by the interviewer" if r.proposed_by == "interviewer" else ours(r.why)
