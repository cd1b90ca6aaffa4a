"""`leadcli evaluate` on a fixed set of interviews and outcomes, every figure worked out by hand.

The content is the tiny test set (tests/conftest.py) plus a third question, `culture`:

    question    informs                 cues (domain)
    priorities  direction, foundation   who-decides (direction), infrastructure (foundation)
    ideas       ideas                   inside (ideas), outside (ideas)
    culture     will                    rituals (will)

Every cue here is a strength. Rules: no strength heard for a domain: unknown. Rating points strong
2, partial 1, low 0; a question's rating counts for a domain only where a strength was heard for it
in that question; with such ratings a domain is strong at a mean of 1.5 or more, partial at 0.75 or
more, else low; without, the share of its cues heard: strong at 0.67, partial at 0.34, else low. The assessment's own reading is the mean of the known domains'
points: strong at 1.5, moderate at 0.75, else limited. Domains `execution` has no question here.

Nine interviews at four organizations by three interviewers (answers: rating, cues, note length;
"—" = no answer; every interview is finished (all three questions reached) except d1, a draft
that stopped at question 1):

    id  org     who  date   priorities          ideas                 culture       verdict
    a1  Acme    Kim  10-01  strong, 2 cues, 10  unrated, inside, 6    unrated, 0, 2  strong
    a2  Acme    Raj  10-05  strong, 2 cues, 20  partial, outside, 4   —              strong
    a3  Acme    Kim  10-10  partial, 2 cues, 30 —                     —              moderate
    b1  Bay     Kim  10-02  low, 2 cues, 0      skipped               —              limited
    b2  Bay     Lee  10-06  low, 2 cues, 5      low, outside, 0       —              —
    c1  Cedar   Raj  10-03  partial, 2 cues, 40 strong, both, 9       —              moderate
    c2  Cedar   Lee  10-07  —                   strong, inside, 3     —              —
    d1  Dale    Lee  10-04  partial, 2 cues, 8  (not reached)         (not reached)  — (draft)
    d2  Dale    Kim  10-08  low, 2 cues, 12     unrated, none, 7      —              limited

Latest outcomes: Acme engaged (after an earlier decline), Bay declined, Cedar no-decision, Dale
none (open).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from leadcli.assessment.evaluate import cohens_kappa, wilson_interval
from leadcli.content.loader import load_content
from leadcli.interview.session import content_stamp
from leadcli.store.db import Store
from leadcli.store.records import Answer, Contact, Interview, Reflection, Snapshot

# Every test here runs on both stores (SQLite and PostgreSQL; see conftest.store_backend).
pytestmark = pytest.mark.usefixtures("store_backend")

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

# id, organization, interviewer, day of October, position, verdict,
# answers: question id -> (state, rating, cues, notes)
CALLS = [
    ("a1", "Acme", "Kim", 1, 3, "strong", {
        "priorities": ("explored", "strong", ["who-decides", "infrastructure"], "x" * 10),
        "ideas": ("explored", None, ["inside"], "x" * 6),
        "culture": ("explored", None, [], "x" * 2),
    }),
    # a2 is finished but was reopened to amend and paused at question 1: it still reached all three.
    ("a2", "Acme", "Raj", 5, 0, "strong", {
        "priorities": ("explored", "strong", ["who-decides", "infrastructure"], "x" * 20),
        "ideas": ("explored", "partial", ["outside"], "x" * 4),
    }),
    ("a3", "Acme", "Kim", 10, 3, "moderate", {
        "priorities": ("explored", "partial", ["who-decides", "infrastructure"], "x" * 30),
    }),
    ("b1", "Bay", "Kim", 2, 3, "limited", {
        "priorities": ("explored", "low", ["who-decides", "infrastructure"], ""),
        "ideas": ("skipped", None, [], ""),
    }),
    ("b2", "Bay", "Lee", 6, 3, None, {
        "priorities": ("explored", "low", ["who-decides", "infrastructure"], "x" * 5),
        "ideas": ("explored", "low", ["outside"], ""),
    }),
    ("c1", "Cedar", "Raj", 3, 3, "moderate", {
        "priorities": ("explored", "partial", ["who-decides", "infrastructure"], "x" * 40),
        "ideas": ("explored", "strong", ["inside", "outside"], "x" * 9),
    }),
    ("c2", "Cedar", "Lee", 7, 3, None, {
        "ideas": ("explored", "strong", ["inside"], "x" * 3),
    }),
    ("d1", "Dale", "Lee", 4, 1, None, {
        "priorities": ("explored", "partial", ["who-decides", "infrastructure"], "x" * 8),
    }),
    ("d2", "Dale", "Kim", 8, 3, "limited", {
        "priorities": ("explored", "low", ["who-decides", "infrastructure"], "x" * 12),
        "ideas": ("explored", None, [], "x" * 7),
    }),
]  # fmt: skip


@pytest.fixture
def study_data(tiny_data: Path) -> Path:
    path = tiny_data / "questions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("assessment:", CULTURE, 1), encoding="utf-8")
    return tiny_data


@pytest.fixture
def study(run, study_data: Path, isolated_home: Path) -> Path:
    """The nine interviews in the store, and the outcomes recorded through the CLI."""
    content = load_content(study_data)
    snapshot = Snapshot(
        questions=content.questions.questions, reflection=content.questions.reflection.questions
    )
    with Store.open(isolated_home) as store:
        for interview_id, org, who, day, position, verdict, answers in CALLS:
            when = f"2025-10-{day:02d}T10:00:00+00:00"
            store.interviews.insert(
                Interview(
                    id=interview_id,
                    organization=org,
                    interviewer=who,
                    status="draft"
                    if interview_id == "d1"
                    else ("complete" if verdict else "awaiting-reflection"),
                    position=position,
                    created_at=when,
                    updated_at=when,
                    stamp=content_stamp(content),
                    snapshot=snapshot,
                    contacts=[Contact(name="Ana", level="executive")],
                    answers={
                        q: Answer(question_id=q, state=s, rating=r, cues=c, notes=n, updated_at=when)
                        for q, (s, r, c, n) in answers.items()
                    },
                    reflection=Reflection(verdict=verdict) if verdict else None,
                )
            )
    for args in (
        ("acme", "engaged", "2025-11-15"),  # recorded first, but the latest by date: it counts
        ("ACME", "declined", "2025-10-20"),
        ("bay", "declined", "2025-11-01"),
        ("cedar", "no-decision", "2025-11-02"),
    ):
        result = run("outcome", args[0], "--result", args[1], "--date", args[2])
        assert result.exit_code == 0, result.output
    return study_data


def evaluate_json(run, data: Path, *args: str) -> dict:
    result = run("--data-dir", str(data), "evaluate", "-f", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_counts_and_questions_worked_out_by_hand(run, study) -> None:
    data = evaluate_json(run, study)
    assert (data["schema_version"], data["interviews"], data["organizations"], data["interviewers"]) == (
        1, 9, 4, 3,
    )  # fmt: skip
    priorities, ideas, culture = data["questions"]
    # priorities: reached by all nine (c2 passed it by); explored by eight; cues heard
    # 2 x 8 = 16 of 2 x 8 = 16; notes 0,5,8,10,12,20,30,40 -> median (10 + 12) / 2.
    assert priorities == {
        "id": "priorities", "number": 1, "category": "Planning", "asked": 9, "explored": 8, "skipped": 0,
        "cue_share": 1.0, "ratings": {"strong": 2, "partial": 3, "low": 3, "unrated": 0},
        "median_note_chars": 11.0, "working": True, "problems": [],
    }  # fmt: skip
    # ideas: reached by eight (not d1); b1 skipped it; six explored; cues 1+1+1+2+1+0 = 6 of 12;
    # notes 0,3,4,6,7,9 -> median (4 + 6) / 2.
    assert (ideas["asked"], ideas["explored"], ideas["skipped"]) == (8, 6, 1)
    assert ideas["cue_share"] == 0.5
    assert ideas["ratings"] == {"strong": 2, "partial": 1, "low": 1, "unrated": 2}
    assert ideas["median_note_chars"] == 5.0
    assert ideas["working"] is True
    # culture: explored once in eight, never rated: not working, for both reasons.
    assert (culture["asked"], culture["explored"], culture["cue_share"]) == (8, 1, 0.0)
    assert culture["working"] is False
    assert culture["problems"] == [
        "rarely explored: 1 of 8 interviews that reached it",
        "always unrated: none of its 1 explored answers was rated",
    ]
    assert "3. Culture (rarely explored: 1 of 8" in data["findings"]["questions"]


def test_agreement_and_kappa_worked_out_by_hand(run, study) -> None:
    agreement = {d["domain_id"]: d for d in evaluate_json(run, study)["agreement"]}
    # direction (and foundation: both from the priorities rating, through its two cues). Pairs by different
    # interviewers at one organization, earlier interview first, unknown levels left out:
    #   Acme (a1 Kim S, a2 Raj S), (a2 Raj S, a3 Kim P); (a1, a3) are both Kim's
    #   Bay (b1 L, b2 L); Cedar: c2 did not explore priorities, so no pair; Dale (d1 P, d2 L)
    # p_o = 2/4. First raters S,S,L,P; second S,P,L,L.
    # p_e = (2/4)(1/4) [S] + (1/4)(1/4) [P] + (1/4)(2/4) [L] = 5/16.
    # kappa = (1/2 - 5/16) / (1 - 5/16) = (3/16) / (11/16) = 3/11.
    for domain in ("direction", "foundation"):
        assert agreement[domain] | {"title": None, "warning": None} == {
            "domain_id": domain, "title": None, "organizations": 3, "pairs": 4, "agreeing": 2,
            "agreement": 0.5, "kappa": round(3 / 11, 4), "warning": None,
        }  # fmt: skip
    # ideas: Acme (a1 P by cues 1/2, a2 P), a3 unknown; Cedar (c1 S, c2 S); Bay b1 skipped it;
    # Dale d1 never reached it. p_o = 1; p_e = (1/2)(1/2) + (1/2)(1/2) = 1/2; kappa = 1.
    ideas = agreement["ideas"]
    assert (ideas["organizations"], ideas["pairs"], ideas["agreement"], ideas["kappa"]) == (2, 2, 1.0, 1.0)
    # will: a1 heard nothing for it (unknown, not low); execution: no question informs it. No pairs.
    for domain in ("will", "execution"):
        assert agreement[domain]["pairs"] == 0
        assert agreement[domain]["agreement"] is None
        assert agreement[domain]["kappa"] is None
    # 6 of 10 pairs agree over all domains: "Partly"; least alike: direction (0.5, before foundation).
    finding = evaluate_json(run, study)["findings"]["agreement"]
    assert finding.startswith("Partly: 6 of 10 pairs")
    assert "least alike: Set and Champion Direction (50%, kappa 0.27)" in finding


def test_outcomes_by_verdict_and_reading_worked_out_by_hand(run, study) -> None:
    data = evaluate_json(run, study)
    rows = {r["verdict"]: r for r in data["outcomes"]}
    z2 = 1.959963984540054**2
    # strong: a1, a2 at Acme (engaged): 2 of 2. Wilson at p = 1: [n / (n + z^2), 1].
    assert rows["strong"] | {"warning": None} == {
        "verdict": "strong", "interviews": 2, "engaged": 2, "declined": 0, "no_decision": 0, "open": 0,
        "engaged_share": 1.0, "interval": [round(2 / (2 + z2), 4), 1.0], "warning": None,
    }  # fmt: skip
    assert rows["strong"]["interval"] == [0.3424, 1.0]
    # moderate: a3 (Acme, engaged), c1 (Cedar, no decision): 1 of 2; Wilson centre 1/2,
    # half-width z * sqrt(1/8 + z^2/16) / (1 + z^2/2) = 0.4055.
    assert (rows["moderate"]["engaged"], rows["moderate"]["no_decision"]) == (1, 1)
    assert rows["moderate"]["interval"] == [0.0945, 0.9055]
    # limited: b1 (Bay, declined), d2 (Dale, open): 0 of 1 decided. Wilson at p = 0: [0, z^2/(1+z^2)].
    assert (rows["limited"]["declined"], rows["limited"]["open"], rows["limited"]["engaged_share"]) == (
        1,
        1,
        0.0,
    )
    assert rows["limited"]["interval"] == [0.0, round(z2 / (1 + z2), 4)] == [0.0, 0.7935]
    # no verdict: b2 (declined), c2 (no decision), d1 (open).
    none_yet = rows["none yet"]
    assert (none_yet["declined"], none_yet["no_decision"], none_yet["open"]) == (1, 1, 1)
    assert rows["unclear"]["interviews"] == 0 and rows["unclear"]["interval"] is None
    # Readings (mean of known domains' points; will unknown for a1): a1 (2+2+1)/3 strong, a2 5/3
    # strong, a3 1 moderate, b1 0 limited, b2 0 limited, c1 4/3 moderate, c2 2 strong, d1 1 moderate,
    # d2 0 limited (ideas unknown: nothing heard).
    readings = {r["reading"]: r for r in data["outcomes_by_reading"]}
    assert [(k, r["engaged"], r["declined"], r["no_decision"], r["open"]) for k, r in readings.items()] == [
        ("strong", 2, 0, 1, 0),
        ("moderate", 1, 0, 1, 1),
        ("limited", 0, 2, 0, 1),
        ("unclear", 0, 0, 0, 0),
    ]
    # moderate reading: a3 engaged, c1 no decision: 1 of 2, the same Wilson interval as above.
    assert readings["moderate"]["engaged_share"] == 0.5
    assert readings["moderate"]["interval"] == [0.0945, 0.9055]
    # Seven interviews with an outcome, from three organizations: too few, and said so.
    assert "too few to read anything into" in rows["strong"]["warning"]
    assert data["warnings"] == [
        "Only 9 interview(s): the question figures are a first impression.",
        "Only 7 interview(s) with an outcome: too few to read anything into.",
        "The outcomes come from 3 organization(s); interviews at one organization share its outcome,"
        " so they are not independent evidence.",
    ]
    assert data["findings"]["outcomes"].startswith(
        "Too few outcomes to say (7 interviews with one): strong 2 of 2"
    )


def test_interviewer_and_since_filters(run, study) -> None:
    kim = evaluate_json(run, study, "--interviewer", "KIM")
    # Kim's interviews: a1, a3, b1, d2 at Acme, Bay and Dale.
    assert (kim["interviews"], kim["organizations"], kim["interviewers"]) == (4, 3, 1)
    # Pairs with Kim on one side: all four direction pairs; for ideas only Acme (a1 P, a2 P),
    # one pair at one level: p_e = 1, so kappa is undefined (null) while agreement is 1.
    agreement = {d["domain_id"]: d for d in kim["agreement"]}
    assert (agreement["direction"]["pairs"], agreement["direction"]["kappa"]) == (4, round(3 / 11, 4))
    assert (agreement["ideas"]["pairs"], agreement["ideas"]["agreement"], agreement["ideas"]["kappa"]) == (
        1, 1.0, None,
    )  # fmt: skip
    assert kim["questions"][0]["asked"] == 4
    # From 7 October: c2, d2 and a3 (10-10).
    since = evaluate_json(run, study, "--since", "2025-10-07")
    assert (since["interviews"], since["organizations"], since["since"]) == (3, 3, "2025-10-07")


def test_bad_filters_are_one_line_errors(run, study) -> None:
    unknown = run("--data-dir", str(study), "evaluate", "--interviewer", "Nobody")
    assert unknown.exit_code == 1
    assert unknown.stderr == "leadcli: error: no interviews by 'Nobody'; interviewers are: Kim; Lee; Raj\n"
    bad_date = run("--data-dir", str(study), "evaluate", "--since", "yesterday")
    assert bad_date.exit_code == 2
    assert bad_date.stderr.count("\n") == 1


def test_terminal_leads_with_the_three_answers_then_the_tables(run, study) -> None:
    out = run("--data-dir", str(study), "evaluate").stdout
    order = [
        "Is each question doing its job?",
        "Do interviewers read the same organization alike?",
        "Does the verdict foretell the outcome?",
        "Questions",
        "Do interviewers agree?",
        "Outcomes by reflection verdict",
        "Outcomes by the assessment's own reading",
        "Read with care",
    ]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)
    assert "3/11" not in out and "0.27" in out  # kappa shown to two places
    assert "Outcomes by the assessment's own reading †" in out
    assert "† leadcli's own reading, not the report's words." in out


def test_markdown_has_the_answers_and_tables(run, study) -> None:
    out = run("--data-dir", str(study), "evaluate", "-f", "markdown").stdout
    assert out.startswith("# Evaluating 9 interview(s) at 4 organization(s) by 3 interviewer(s)\n")
    assert "**Does the verdict foretell the outcome?** Too few outcomes to say" in out
    assert "| 3 | Culture | 8 | 1 | 0 | 0% | 0 | 0 | 0 | 1 | 2 | no: rarely explored" in out
    assert "| strong | 2 | 2 | 0 | 0 | 0 | 100% | 34%–100% |" in out
    assert "## Outcomes by the assessment's own reading †\n" in out
    assert out.rstrip().endswith("not the report's.*")


def test_an_empty_store_says_it_cannot_tell(run) -> None:
    data = json.loads(run("evaluate", "-f", "json").stdout)
    assert data["interviews"] == 0
    assert data["findings"]["agreement"].startswith("Cannot tell yet")
    assert data["findings"]["outcomes"].startswith("Cannot tell yet: no outcomes")
    assert all(q["problems"] == ["never reached in these interviews"] for q in data["questions"])


def test_organization_names_in_other_cases_share_their_outcome(run, study, isolated_home) -> None:
    with Store.open(isolated_home) as store:
        store.outcomes.record(organization="dale", result="engaged", date="2025-11-20", offerings=[], note="")
    rows = {r["verdict"]: r for r in evaluate_json(run, study)["outcomes"]}
    assert rows["limited"]["engaged"] == 1  # d2 at "Dale"
    assert rows["limited"]["open"] == 0


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], None),
        ([("strong", "strong"), ("strong", "strong")], None),  # p_e = 1: undefined
        ([("strong", "low"), ("low", "strong")], -1.0),  # p_o 0, p_e 1/2
        ([("strong", "strong"), ("low", "low"), ("strong", "low")], 0.4),  # (2/3 - 4/9) / (5/9)
        # The direction pairs of the study (3/11), and with one more agreeing pair (partial, partial):
        # p_o 3/5; first raters S2 P2 L1, second S1 P2 L2; p_e (2 + 4 + 2)/25; kappa 0.28/0.68 = 7/17.
        ([("strong", "strong"), ("strong", "partial"), ("low", "low"), ("partial", "low")], 3 / 11),
        (
            [
                ("strong", "strong"),
                ("strong", "partial"),
                ("low", "low"),
                ("partial", "low"),
                ("partial", "partial"),
            ],
            7 / 17,
        ),
    ],
)
def test_cohens_kappa(pairs, expected) -> None:
    result = cohens_kappa(pairs)
    assert result == expected if expected is None else math.isclose(result, expected)


def test_wilson_interval() -> None:
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(5, 10)
    # centre 1/2; half-width 1.96 * sqrt(0.025 + 0.0096) / 1.3841 = 0.2632 (a textbook value).
    assert (round(low, 4), round(high, 4)) == (0.2366, 0.7634)


def test_every_format_says_what_in_the_evaluation_is_leadclis(run, study) -> None:
    from leadcli.render.wording import LEGEND, MARK

    for fmt in ("table", "markdown"):
        out = run("--data-dir", str(study), "evaluate", "-f", fmt).stdout
        flat = " ".join(out.replace("*", "").split())
        assert LEGEND in flat and "are leadcli's rules of thumb" in flat
        assert f"Outcomes by the assessment's own reading {MARK}" in out
        assert "Culture" in out and f"Culture {MARK}" not in out  # a question's category: the report's
    data = json.loads(run("--data-dir", str(study), "evaluate", "-f", "json").stdout)
    notes = " ".join(data["leadcli_notes"])
    assert "are leadcli's rules of thumb" in notes
    assert "outcomes_by_reading" in notes and "the interviewers' own verdicts" in notes
    built_in = " ".join(json.loads(run("evaluate", "-f", "json").stdout)["leadcli_notes"])
    assert "leadcli's own reading of the evidence" in built_in  # the assessment's rules, from the content
    assert "Listening cues are leadcli's split of the report's guidance" in built_in
