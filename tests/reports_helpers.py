"""Hand-built interviews with fixed times, for exact report tests."""

from __future__ import annotations

from leadcli.content.loader import load_content
from leadcli.interview.session import content_stamp
from leadcli.paths import builtin_data_dir
from leadcli.store.records import Answer, Contact, FollowUp, Interview, Reflection, Snapshot

CONTENT = load_content(builtin_data_dir())


def make_interview(
    answers: dict[str, tuple[str, list[str], str | None]] | None = None,
    *,
    interview_id: str = "fixed1",
    organization: str = "St Mary's Health",
    contacts: list[Contact] | None = None,
    region: str = "United Kingdom",
    reflection: Reflection | None = None,
    created_at: str = "2026-11-02T10:00:00+00:00",
    status: str = "awaiting-reflection",
) -> Interview:
    """An interview; `answers` maps question id to (notes, cue ids, rating). A cue id ending in
    + or - is a topic heard and judged so."""
    return Interview(
        id=interview_id,
        organization=organization,
        interviewer="Kim Lee",
        region=region,
        status=status,
        position=5,
        created_at=created_at,
        updated_at=created_at,
        stamp=content_stamp(CONTENT),
        snapshot=Snapshot(
            questions=CONTENT.questions.questions, reflection=CONTENT.questions.reflection.questions
        ),
        contacts=contacts
        if contacts is not None
        else [Contact(name="Ana Ruiz", role="CEO", level="executive")],
        answers={
            qid: Answer(
                question_id=qid,
                notes=notes,
                cues=[c.rstrip("+-") for c in cues],
                judgements={c[:-1]: c[-1] for c in cues if c[-1] in "+-"},
                rating=rating,
                updated_at=created_at,
            )
            for qid, (notes, cues, rating) in (answers or {}).items()
        },
        reflection=reflection,
    )


FULL_ANSWERS = {
    "quality-planning": (
        "Board sets [bold]three[/] aims\n<script>alert('x')</script> & more",
        ["planning-process+", "who-is-involved+"],
        "strong",
    ),
    "track-record": ("Falls project held two years", ["results-sustained", "learning-culture"], "low"),
    "future-vision": ("", ["looks-externally"], None),
}
FULL_REFLECTION = Reflection(
    fit="Yes, if the CFO stays.",
    concerns="Budget [/] cycle",
    gaps="",
    verdict="moderate",
    follow_ups=[FollowUp(text="Send proposal", owner="Kim", due="2026-12-01")],
)


def make_three_calls() -> list[Interview]:
    """Three calls with one organization, a month apart, oldest first."""
    return [
        make_interview(
            {
                "quality-planning": ("", ["planning-process+"], "low"),
                "future-vision": ("", ["looks-externally"], "low"),
            },
            interview_id="call01",
            created_at="2026-09-01T09:00:00+00:00",
        ),
        make_interview(
            {"quality-planning": ("", ["planning-process+"], "strong")},
            interview_id="call02",
            contacts=[Contact(name="Tom", role="Nurse", level="point-of-care")],
            created_at="2026-10-01T09:00:00+00:00",
        ),
        make_interview(
            {
                "quality-planning": ("", ["planning-process+"], "partial"),
                "future-vision": ("", ["looks-externally"], "strong"),
            },
            interview_id="call03",
            reflection=Reflection(verdict="strong"),
            created_at="2026-11-01T09:00:00+00:00",
        ),
    ]
