"""Two hand-made question-set versions and interviews under each, for the learning-loop tests.

study-1 is the tiny test set (tests/conftest.py) plus a third question, `culture`. study-2
rewords `priorities`, adds the cue `exemplars` to `ideas`, and drops `culture`:

    question    study-1                              study-2
    priorities  "How are priorities set?"            "Who sets the quality priorities, and how?"
    ideas       cues inside, outside                 cues inside, outside, exemplars
    culture     cue rituals                          (dropped)

Interviews (every one finished, so every question of its version was reached; "—" = no answer):

    id   version  org    who  day  priorities              ideas                      culture      verdict
    v1a  study-1  Acme   Kim  1    strong, who-decides     unrated, inside            —            strong
    v1b  study-1  Bay    Raj  2    —                       low, none                  unrated, 0   limited
    v1c  study-1  Cedar  Kim  3    skipped                 partial, inside+outside    —            —
    v2a  study-2  Dale   Raj  11   partial, who+infra      strong, inside+exemplars                strong
    v2b  study-2  Acme   Lee  12   low, none               —                                       moderate
    v2c  study-2  Elm    Kim  13   unrated, infrastructure unrated, none                           —

Latest outcomes: Acme engaged, Bay declined, Dale engaged; Cedar and Elm none (open).
"""

from __future__ import annotations

from pathlib import Path

from leadcli.content.loader import load_content
from leadcli.content.models import Content
from leadcli.interview.session import content_stamp
from leadcli.names import name_key
from leadcli.store.records import Answer, AnsweredFacts, Contact, Interview, Reflection, Snapshot
from tests.conftest import TINY_QUESTIONS

CULTURE = """\
  - id: culture
    number: 3
    category: Culture
    prompts: [How do people learn here?]
    guidance: Listen for rituals.
    domains: [will]
    cues:
      - {id: rituals, text: Rituals, domains: [will], kind: strength}
assessment:"""

V1 = TINY_QUESTIONS.replace("version: tiny-1", "version: study-1").replace("assessment:", CULTURE, 1)
V2 = (
    TINY_QUESTIONS.replace("version: tiny-1", "version: study-2")
    .replace("[How are priorities set?]", "['Who sets the quality priorities, and how?']")
    .replace(
        "      - {id: outside, text: Looks outside, domains: [ideas], kind: strength}\n",
        "      - {id: outside, text: Looks outside, domains: [ideas], kind: strength}\n"
        "      - {id: exemplars, text: Names exemplars, domains: [ideas], kind: strength}\n",
    )
)

# id, version, organization, interviewer, day, verdict, answers: question -> (state, rating, cues)
CALLS = [
    ("v1a", "study-1", "Acme", "Kim", 1, "strong", {
        "priorities": ("explored", "strong", ["who-decides"]),
        "ideas": ("explored", None, ["inside"]),
    }),
    ("v1b", "study-1", "Bay", "Raj", 2, "limited", {
        "ideas": ("explored", "low", []),
        "culture": ("explored", None, []),
    }),
    ("v1c", "study-1", "Cedar", "Kim", 3, None, {
        "priorities": ("skipped", None, []),
        "ideas": ("explored", "partial", ["inside", "outside"]),
    }),
    ("v2a", "study-2", "Dale", "Raj", 11, "strong", {
        "priorities": ("explored", "partial", ["who-decides", "infrastructure"]),
        "ideas": ("explored", "strong", ["inside", "exemplars"]),
    }),
    ("v2b", "study-2", "Acme", "Lee", 12, "moderate", {
        "priorities": ("explored", "low", []),
    }),
    ("v2c", "study-2", "Elm", "Kim", 13, None, {
        "priorities": ("explored", None, ["infrastructure"]),
        "ideas": ("explored", None, []),
    }),
]  # fmt: skip
RESULTS = {"acme": "engaged", "bay": "declined", "dale": "engaged"}


def version_dirs(data_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Two data folders, study-1 and study-2 (the built-in framework and offerings)."""
    import shutil

    first, second = tmp_path / "study-1", tmp_path / "study-2"
    shutil.copytree(data_copy, first)
    shutil.copytree(data_copy, second)
    (first / "questions.yaml").write_text(V1, encoding="utf-8")
    (second / "questions.yaml").write_text(V2, encoding="utf-8")
    return first, second


def interviews(first: Content, second: Content) -> list[Interview]:
    """The six interviews, each with the copy of the questions of its version."""
    records = []
    for interview_id, version, org, who, day, verdict, answers in CALLS:
        content = first if version == "study-1" else second
        when = f"2026-10-{day:02d}T10:00:00+00:00"
        records.append(
            Interview(
                id=interview_id,
                organization=org,
                interviewer=who,
                status="complete" if verdict else "awaiting-reflection",
                position=len(content.questions.questions),
                created_at=when,
                updated_at=when,
                stamp=content_stamp(content),
                snapshot=Snapshot(
                    questions=content.questions.questions, reflection=content.questions.reflection.questions
                ),
                contacts=[Contact(name="Ana", level="executive")],
                answers={
                    q: Answer(question_id=q, state=s, rating=r, cues=c, updated_at=when)
                    for q, (s, r, c) in answers.items()
                },
                reflection=Reflection(verdict=verdict) if verdict else None,
            )
        )
    return records


def answered(records: list[Interview]) -> list[AnsweredFacts]:
    """What `evaluate` reads of each interview (as the store gives it)."""
    return [
        AnsweredFacts(
            id=r.id,
            organization=r.organization,
            org_key=name_key(r.organization),
            interviewer=r.interviewer,
            interviewer_key=name_key(r.interviewer),
            created_at=r.created_at,
            status=r.status,
            position=r.position,
            snapshot=r.snapshot,
            verdict=r.reflection.verdict if r.reflection else None,
            answers={a.question_id: (a.state, a.rating, a.cues, len(a.notes)) for a in r.answers.values()},
        )
        for r in records
    ]


def versions_of(records: list[Interview]) -> dict[str, str]:
    return {r.id: r.stamp.questions_version for r in records}


def load_versions(data_copy: Path, tmp_path: Path) -> tuple[Content, Content]:
    first, second = version_dirs(data_copy, tmp_path)
    return load_content(first), load_content(second)
