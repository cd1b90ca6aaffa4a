"""The content leadcli works from, as plain dataclasses (treated as read-only once validated).

They are validated by pydantic (see `content.validation`) but are stdlib dataclasses so that
commands reading cached content never pay for importing pydantic. Attribute docstrings become
the descriptions in the JSON Schemas.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from leadcli.vocabulary import AudienceLevel, CueKind, DurationUnit, OfferingType, PricePer, Wording

AUDIENCE_LABELS = {
    "executive": "Executive leaders",
    "core": "Core leaders",
    "point-of-care": "Point-of-care staff",
}
DAYS_PER_UNIT = {"day": 1, "week": 7, "month": 30, "year": 365}

# Attribute docstrings are read (from the class source, which is slow: about half of uncached
# validation) only when the JSON Schemas are written: `content.schema` switches them on for that;
# validation does not need them.
_STRICT: dict[str, Any] = {"extra": "forbid"}


@dataclass(kw_only=True)
class Source:
    """Where a data file's content comes from."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    title: str
    """Title of the source document."""
    section: str
    """The part of the source this file is taken from."""
    publisher: str | None = None
    kind: str | None = None
    prices_as_of: str | None = None
    """The year the prices were quoted."""


# --- framework.yaml -------------------------------------------------------------------------


@dataclass(kw_only=True)
class Component:
    """One of a domain's three components, with the report's guidance."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    id: str
    """Stable identifier, unique in the framework."""
    title: str
    guidance: str
    """The report's guidance text for this component."""


@dataclass(kw_only=True)
class Domain:
    """One of the framework's five domains."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    id: str
    """Stable identifier that questions, cues and offerings refer to."""
    number: int
    title: str
    summary: str
    """leadcli's one-sentence summary (not the report's words)."""
    components: tuple[Component, ...]
    formerly: str | None = None
    """The element of the earlier framework this domain grew from."""
    stakeholder_views: tuple[StakeholderView, ...] = ()
    """What the institute's stakeholders said leaders need, on the earlier framework (quoted)."""


@dataclass(kw_only=True)
class StakeholderView:
    """What the institute's stakeholders said leaders need, in the report's words, and where.

    These are views gathered on the earlier framework, not signs to look for in a customer."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    quote: str
    """The report's sentence (an omission marked with …)."""
    words: str
    """A few of the quote's own words, shown where space is short; must appear in the quote."""
    place: str
    """Where in the report the quote stands."""


@dataclass(kw_only=True)
class Lineage:
    """The earlier framework this one grew from."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    name: str
    elements: tuple[str, ...]
    changes: str
    """The report's words on what changed (omissions marked …)."""
    changes_place: str = ""
    """Where in the report those words stand."""


@dataclass(kw_only=True)
class Framework:
    """The Leadership Framework for Quality."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    version: str
    name: str
    status: str
    """For example `draft`."""
    source: Source
    lineage: Lineage
    domains: tuple[Domain, ...]
    summary_note: str | None = None
    """Says which parts of this file are leadcli's words rather than the report's."""

    def domain(self, key: str) -> Domain | None:
        """The domain with this id or number, if any."""
        for domain in self.domains:
            if key in (domain.id, str(domain.number)):
                return domain
        return None

    def named(self, key: str) -> Domain:
        """The domain a user names, by id or number (any case): the one rule for every `--domain`.
        A usage error listing the domains when it names none."""
        found = self.domain(key.strip().casefold())
        if found is None:
            from leadcli.errors import UsageError

            known = ", ".join(f"{d.number} ({d.id})" for d in self.domains)
            raise UsageError(f"no domain {key!r}; domains are: {known}")
        return found

    def part(self, key: str | None) -> Framework:
        """The framework, or a copy holding only the domain `key` names (see `named`)."""
        if key is None:
            return self
        return dataclasses.replace(self, domains=(self.named(key),))


# --- questions.yaml -------------------------------------------------------------------------


@dataclass(kw_only=True)
class Cue:
    """Something the interviewer listens for, and the domains it is evidence for."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    id: str
    """Stable identifier, unique across all questions."""
    text: str
    """What the interviewer listens for."""
    domains: tuple[str, ...]
    """Framework domain ids this cue is evidence for (leadcli's reading)."""
    kind: CueKind
    """What hearing it means (leadcli's reading): a strength, a concern, or a topic judged + or -."""
    words: Wording = "leadcli"
    """`report`: the text is the report's own words, cut from the guidance; `leadcli`: leadcli's."""


@dataclass(kw_only=True)
class Question:
    """One Appendix A conversation question."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    id: str
    number: int
    category: str
    prompts: tuple[str, ...]
    """The question as asked; several when the report asks several things."""
    guidance: str
    """What the interviewer is trying to learn."""
    domains: tuple[str, ...]
    """Framework domain ids this question informs."""
    cues: tuple[Cue, ...]


@dataclass(kw_only=True)
class ReflectionQuestion:
    """One of the questions to reflect on after the call."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    id: str
    text: str


@dataclass(kw_only=True)
class ReflectionGuide:
    """The after-call reflection questions (the answers are the store's `Reflection`)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    introduction: str
    questions: tuple[ReflectionQuestion, ...]


@dataclass(kw_only=True)
class RatingPoints:
    """Points for each evidence rating."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    strong: float
    partial: float
    low: float


@dataclass(kw_only=True)
class LevelThresholds:
    """Scores at which a domain is strong or partial."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    strong: float
    """A score at or above this is strong."""
    partial: float
    """A score at or above this (and below strong) is partial; below it, low."""


@dataclass(kw_only=True)
class OverallThresholds:
    """Scores at which the overall reading is strong or moderate."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    strong: float
    moderate: float
    """At or above this (and below strong) is moderate; below it, limited."""


@dataclass(kw_only=True)
class AssessmentRules:
    """The few numbers behind `leadcli report`'s reading of the evidence."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    rating_points: RatingPoints
    """Points per evidence rating; a domain's score is the mean over its rated questions."""
    domain_levels: LevelThresholds
    """Mean rating points that make a domain strong or partial."""
    cue_levels: LevelThresholds
    """When a domain's explored questions are all unrated: the share of its cues heard."""
    overall_levels: OverallThresholds
    """Mean of the known domains' levels, counted as rating points, for the overall reading."""
    thin_below: int = 2
    """A domain level resting on fewer cues heard (strengths and concerns) than this is thin."""
    note: str | None = None
    """Says that these rules are leadcli's reading, not the report's."""


@dataclass(kw_only=True)
class QuestionSet:
    """The conversation guide: questions, assessment rules, reflection."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    version: str
    source: Source
    introduction: str
    questions: tuple[Question, ...]
    reflection: ReflectionGuide
    assessment: AssessmentRules
    status: str = "draft"
    """leadcli's label for the questions (the report calls the framework a draft)."""
    status_label_note: str | None = None
    """Says that the status is leadcli's label."""
    status_quote: Quote | None = None
    """The report's words on testing the questions, and where it says them."""
    cue_note: str | None = None

    def cue(self, cue_id: str) -> Cue | None:
        for question in self.questions:
            for cue in question.cues:
                if cue.id == cue_id:
                    return cue
        return None


# --- offerings.yaml -------------------------------------------------------------------------


@dataclass(kw_only=True)
class Duration:
    """How long an offering runs."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    text: str
    """As the report gives it, e.g. `2-4 days`."""
    min: float
    max: float
    unit: DurationUnit

    @property
    def min_days(self) -> float:
        return self.min * DAYS_PER_UNIT[self.unit]


@dataclass(kw_only=True)
class Price:
    """What an offering costs."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    min: int
    max: int
    currency: Literal["USD"]
    per: PricePer
    quote: str | None = None
    """The report's words on what the price leaves out, e.g. `Plus Added Training`."""

    @property
    def is_range(self) -> bool:
        return self.min != self.max


@dataclass(kw_only=True)
class Offering:
    """One Appendix B offering."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    id: str
    name: str
    types: tuple[OfferingType, ...]
    type_label: str
    """The offering type as the report words it."""
    audience: tuple[AudienceLevel, ...]
    description: str
    duration: Duration
    structure: str
    regions: tuple[str, ...]
    """Where it is offered; `Global` means everywhere."""
    price: Price
    domains: tuple[str, ...]
    """Framework domains it mainly strengthens (an editorial mapping)."""
    name_inferred: bool = False
    """True when the source lost the name and it was inferred from the description."""
    audience_quote: str | None = None
    """The report's words qualifying the audience, e.g. `OS students primarily`."""
    region_quote: str | None = None
    """The report's words qualifying the region, e.g. `hosted in United States`."""
    report_says: Quote | None = None
    """What the report itself says of this offering's place, quoted (shown with recommendations)."""


@dataclass(kw_only=True)
class Quote:
    """The report's own words about something, and where it says them."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    quote: str
    place: str


@dataclass(kw_only=True)
class Catalog:
    """The offerings with leadership content."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    version: str
    source: Source
    domain_mapping: str
    """How the offering-to-domain mapping was made (leadcli's, not the report's)."""
    offerings: tuple[Offering, ...]
    price_note: str | None = None
    """Which readings of the prices are leadcli's."""
    places_note: str | None = None
    """How leadcli reads regions when filtering (leadcli's, not the report's)."""


# --- the three together ---------------------------------------------------------------------


@dataclass(kw_only=True)
class SourceFile:
    """A data file that content was read from."""

    path: str
    sha256: str


@dataclass(kw_only=True)
class Content:
    """Validated framework, questions and offerings, with the files they came from."""

    framework: Framework
    questions: QuestionSet
    catalog: Catalog
    files: dict[str, SourceFile] = field(default_factory=dict)
    questions_from: str = ""
    """Where the questions came from when not the data files: `published` (the team store's set)."""
