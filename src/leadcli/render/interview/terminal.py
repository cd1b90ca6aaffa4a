"""Terminal views of interviews: the question on screen, a whole record, the list."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from leadcli.assessment.report import heard_cues
from leadcli.content.models import Question
from leadcli.render.plain import Notes, one_line, text
from leadcli.render.tables import Column, FittedTable
from leadcli.render.wording import (
    CUE_KEY,
    KIND_MARKS,
    LEGEND,
    VERDICT_LABEL,
    counted,
    cue_text,
    follow_up_text,
    heard_cue_text,
    interviewer_level,
    people_text,
    question_label,
    status_text,
    verdict_text,
)
from leadcli.store.records import Answer, Interview, InterviewSummary


def cue_reminder(question: Question) -> str:
    """The numbered cues on one line, each with its kind mark and † as the full list has them, and
    how to judge a topic when the question has any: `  1 + Problems they have solved · 2 − … †`."""
    cues = [f"{n} {KIND_MARKS[cue.kind]} {cue_text(cue)}" for n, cue in enumerate(question.cues, start=1)]
    topic = next((n for n, cue in enumerate(question.cues, start=1) if cue.kind == "topic"), None)
    judge = f"  (± topic: type {topic}+ or {topic}-)" if topic else ""
    return "  " + " · ".join(cues) + judge


def question_view(
    question: Question, index: int, total: int, answer: Answer | None, *, reminder: bool = False
) -> RenderableType:
    """The question on screen: its prompts, what to listen for and what is recorded so far; with
    `reminder`, only the cues on one line (`cue_reminder`), shown literally."""
    if reminder:
        return text(cue_reminder(question), style="dim")
    parts: list[RenderableType] = [
        Text(""),
        Text.assemble((f"Question {index + 1} of {total}", "bold"), "  ·  ", text(question.category, "cyan")),
    ]
    parts += [Padding(text(prompt, style="bold"), (0, 0, 0, 2), expand=False) for prompt in question.prompts]
    listen = [Text.assemble(("Trying to learn: ", "italic"), text(question.guidance), style="dim")]
    listen += [
        text(f"  {n}. {KIND_MARKS[cue.kind]} {cue_text(cue)}", style="dim")
        for n, cue in enumerate(question.cues, start=1)
    ]
    if question.cues:
        listen.append(text(f"  ({CUE_KEY})", style="dim"))
    parts.append(Padding(Group(*listen), (0, 0, 0, 2), expand=False))
    if answer is not None and answer.explored and (answer.notes or answer.cues or answer.rating):
        parts.append(
            Padding(
                Text(
                    "Recorded so far (new lines are added to the notes; /edit to change):",
                    style="yellow",
                ),
                (0, 0, 0, 2),
            )
        )
        parts.append(Notes(answer.notes or "(no notes)", indent=4))
    parts.append(Text("Type notes; a blank line ends them. /help for commands.", style="dim"))
    return Group(*parts)


def answer_state(answer: Answer | None) -> str:
    explored = answer is not None and answer.explored
    return question_label(explored=explored, rating=answer.rating if answer else None)


def interview_view(interview: Interview) -> RenderableType:
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column(overflow="fold")
    for label, value in (
        ("Interview", interview.id),
        ("Organization", interview.organization),
        ("People", people_text(interview.contacts)),
        ("Interviewer", interview.interviewer),
        ("Region", interview.region or "—"),
        ("Status", interview.status),
        ("Started", interview.created_at),
        ("Updated", interview.updated_at),
        ("Created by", interview.created_by or "—"),
        ("Changed by", interview.changed_by or "—"),
        ("Assigned to", interview.assigned_to or "—"),
        *([("Created by (the file says)", interview.claimed_by)] if interview.claimed_by else []),
        (
            "Content",
            f"framework {interview.stamp.framework_version}, questions {interview.stamp.questions_version}",
        ),
    ):
        head.add_row(Text(label), one_line(value))
    parts: list[RenderableType] = [head]
    for question in interview.snapshot.questions:
        answer = interview.answers.get(question.id)
        parts.append(Text(""))
        parts.append(
            Text.assemble(
                text(f"{question.number}. {question.category}", "bold cyan"),
                text(f"  [{answer_state(answer)}]"),
            )
        )
        if answer is not None and answer.explored:
            parts.append(Notes(answer.notes or "(no notes)", indent=3))
            heard = [heard_cue_text(c) for c in heard_cues(question, answer)]
            if heard:
                parts.append(
                    Padding(text("Heard: " + "; ".join(heard), style="dim"), (0, 0, 0, 3), expand=False)
                )
    reflection = interview.reflection
    if reflection is not None:
        parts += [Text(""), Text("Reflection", style="bold cyan")]
        texts = {r.id: r.text for r in interview.snapshot.reflection}
        for key in ("fit", "concerns", "gaps"):
            value = getattr(reflection, key)
            parts.append(Padding(text(texts.get(key, key), style="italic"), (0, 0, 0, 3), expand=False))
            parts.append(Notes(value or "—", indent=5))
        parts.append(
            Padding(
                text(f"{VERDICT_LABEL}: {verdict_text(reflection.verdict)}"),
                (0, 0, 0, 3),
            )
        )
        if reflection.domain_levels:
            levels = ", ".join(
                f"{domain} {interviewer_level(level)}" for domain, level in reflection.domain_levels.items()
            )
            parts.append(Padding(text(f"Levels (the interviewer's): {levels}"), (0, 0, 0, 3), expand=False))
        if reflection.proposed:
            proposed = ", ".join(reflection.proposed)
            parts.append(
                Padding(text(f"Proposed (the interviewer's): {proposed}"), (0, 0, 0, 3), expand=False)
            )
        for item in reflection.follow_ups:
            line = f"Follow-up: {follow_up_text(item)}"
            parts.append(Padding(text(line), (0, 0, 0, 3), expand=False))
    parts += [Text(""), text(f"{LEGEND} Cues heard: {CUE_KEY}.", style="dim")]
    return Group(*parts)


LIST_FIELDS = [
    "id", "organization", "interviewer", "region", "status", "explored", "questions",
    "verdict", "created_at", "updated_at",
]  # fmt: skip


def interviews_table(rows: list[InterviewSummary], total: int) -> RenderableType:
    caption = counted(total, "interview")
    if len(rows) < total:
        caption = f"the {len(rows)} most recent of {total} interviews; --limit 0 for all"
    table = FittedTable(
        [
            Column("ID"),
            Column("Organization"),
            Column("Interviewer"),
            Column("Status"),
            Column("Explored", justify="right"),
            Column("Verdict"),
            Column("Updated"),
        ],
        caption=caption,
    )
    for row in rows:
        table.add_row(
            row.id,
            row.organization,
            row.interviewer,
            status_text(row.status),
            f"{row.explored}/{row.questions}",
            row.verdict or "—",
            row.updated_at[:10],
        )
    return table
