"""Terminal views of interviews: the question on screen, a whole record, the list."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from leadcli.content.models import Question
from leadcli.render.text import people_text
from leadcli.store.records import NOT_EXPLORED, Answer, Interview, InterviewSummary


def question_view(question: Question, index: int, total: int, answer: Answer | None) -> RenderableType:
    parts: list[RenderableType] = [
        Text(""),
        Text.assemble((f"Question {index + 1} of {total}", "bold"), "  ·  ", (question.category, "cyan")),
    ]
    parts += [Padding(Text(prompt, style="bold"), (0, 0, 0, 2), expand=False) for prompt in question.prompts]
    listen = [Text.assemble(("Trying to learn: ", "italic"), question.guidance, style="dim")]
    listen += [Text(f"  {n}. {cue.text}", style="dim") for n, cue in enumerate(question.cues, start=1)]
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
        parts.append(Padding(Text(answer.notes or "(no notes)"), (0, 0, 0, 4), expand=False))
    parts.append(Text("Type notes; a blank line ends them. /help for commands.", style="dim"))
    return Group(*parts)


def answer_state(answer: Answer | None) -> str:
    if answer is None or not answer.explored:
        return NOT_EXPLORED
    return answer.rating or "unrated"


def interview_view(interview: Interview) -> RenderableType:
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
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
        (
            "Content",
            f"framework {interview.stamp.framework_version}, questions {interview.stamp.questions_version}",
        ),
    ):
        head.add_row(Text(label), Text(value))
    parts: list[RenderableType] = [head]
    for question in interview.snapshot.questions:
        answer = interview.answers.get(question.id)
        parts.append(Text(""))
        parts.append(
            Text.assemble(
                (f"{question.number}. {question.category}", "bold cyan"),
                f"  [{answer_state(answer)}]",
            )
        )
        if answer is not None and answer.explored:
            parts.append(Padding(Text(answer.notes or "(no notes)"), (0, 0, 0, 3), expand=False))
            heard = [c.text for c in question.cues if c.id in answer.cues]
            if heard:
                parts.append(
                    Padding(Text("Heard: " + "; ".join(heard), style="dim"), (0, 0, 0, 3), expand=False)
                )
    reflection = interview.reflection
    if reflection is not None:
        parts += [Text(""), Text("Reflection", style="bold cyan")]
        texts = {r.id: r.text for r in interview.snapshot.reflection}
        for key in ("fit", "concerns", "gaps"):
            value = getattr(reflection, key)
            parts.append(Padding(Text(texts.get(key, key), style="italic"), (0, 0, 0, 3), expand=False))
            parts.append(Padding(Text(value or "—"), (0, 0, 0, 5), expand=False))
        parts.append(
            Padding(
                Text(f"Verdict on leadership commitment: {reflection.verdict or 'not given'}"),
                (0, 0, 0, 3),
            )
        )
        for item in reflection.follow_ups:
            line = f"Follow-up: {item.text} — {item.owner or 'no owner'}, due {item.due or 'no date'}"
            parts.append(Padding(Text(line), (0, 0, 0, 3), expand=False))
    return Group(*parts)


LIST_FIELDS = [
    "id", "organization", "interviewer", "region", "status", "explored", "questions",
    "verdict", "created_at", "updated_at",
]  # fmt: skip


def interviews_table(rows: list[InterviewSummary], total: int) -> RenderableType:
    caption = f"{total} interview{'s' if total != 1 else ''}"
    if len(rows) < total:
        caption = f"the {len(rows)} most recent of {total} interviews; --limit 0 for all"
    table = Table(caption=caption)
    table.add_column("ID", no_wrap=True)
    table.add_column("Organization", ratio=2)
    table.add_column("Interviewer", ratio=1)
    table.add_column("Status", no_wrap=True)
    table.add_column("Explored", justify="right")
    table.add_column("Verdict")
    table.add_column("Updated", no_wrap=True)
    for row in rows:
        table.add_row(
            Text(row.id),
            Text(row.organization),
            Text(row.interviewer),
            Text(row.status),
            Text(f"{row.explored}/{row.questions}"),
            Text(row.verdict or "—"),
            Text(row.updated_at[:10]),
        )
    return table
