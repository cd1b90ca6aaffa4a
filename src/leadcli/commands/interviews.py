"""`leadcli list`, `show` and `delete`: the recorded interviews."""

from __future__ import annotations

import typer

from leadcli.commands._common import (
    DataFormatOption,
    InterviewId,
    RecordsFormatOption,
    complete_ids,
    emit,
    home_dir,
    kept_line,
    message,
    open_store,
    push_waiting_work,
)
from leadcli.vocabulary import Status

TABLE_LIMIT = 50


def list_interviews(
    ctx: typer.Context,
    org: str | None = typer.Option(
        None, "--org", help="Only organizations whose name contains this (any case)."
    ),
    status: Status | None = typer.Option(None, "--status", help="Only interviews with this status."),
    limit: int | None = typer.Option(
        None,
        "--limit",
        "-n",
        min=0,
        help="At most this many (0: all). Default: 50 in the table, all otherwise.",
    ),
    fmt: RecordsFormatOption = "table",
) -> None:
    """List recorded interviews, most recently updated first.

    \b
    Example: leadcli list --status awaiting-reflection
    """
    from leadcli.render.interview.terminal import LIST_FIELDS, interviews_table

    if limit is None:
        limit = TABLE_LIMIT if fmt == "table" else 0
    with open_store(ctx) as store:
        rows, total = store.interviews.summaries(organization=org, status=status, limit=limit or None)
    emit(
        fmt,
        table=lambda: interviews_table(rows, total),
        json=lambda: {"count": len(rows), "total": total, "interviews": rows},
        csv=lambda: (LIST_FIELDS, [[getattr(r, f) for f in LIST_FIELDS] for r in rows]),
    )


def show(
    ctx: typer.Context,
    interview_id: InterviewId,
    fmt: DataFormatOption = "table",
) -> None:
    """Show everything recorded for one interview; notes print exactly as typed.

    \b
    Example: leadcli show 7kq2mz
    """
    from leadcli.render.interview.terminal import interview_view

    with open_store(ctx) as store:
        record = store.interviews.get(interview_id)
    emit(fmt, table=lambda: interview_view(record), json=lambda: record)


def delete(
    ctx: typer.Context,
    interview_id: str | None = typer.Argument(
        None, metavar="[ID]", help="Interview id (a unique prefix is enough).", autocompletion=complete_ids
    ),
    org: str | None = typer.Option(
        None,
        "--org",
        metavar="NAME",
        help="Erase everything about this organization (exact name, any case): a data-subject erasure.",
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    take_over: bool = typer.Option(
        False,
        "--take-over",
        help="Delete (or erase) even if a terminal has it open (after that session crashed).",
    ),
) -> None:
    """Delete one interview and everything recorded with it; or, with --org, erase an organization.

    An interview open live in a terminal is not deleted, nor its organization erased: leadcli says
    who has it open, on which machine and since when.

    An erasure removes every interview, outcome and contact of the organization and their trail;
    the trail keeps only that an erasure happened, by whom and when (managers only on a team store).

    \b
    Example: leadcli delete 7kq2mz --yes
    Example: leadcli delete --org "Acme Health" --yes
    """
    from leadcli.errors import UsageError
    from leadcli.store.identity import machine_id

    if (interview_id is None) == (org is None):
        raise UsageError("give an interview ID, or --org NAME to erase an organization")
    machine = machine_id(home_dir(ctx))
    push_waiting_work(ctx)  # a push may find that the team store erased an interview kept here
    if interview_id is not None and _delete_erased_copy(ctx, interview_id, yes=yes):
        return
    with open_store(ctx, push=False) as store:
        if org is not None:
            store.refuse_unless_manager("erasing an organization")
            interview_ids = store.interviews.ids(organization=org)
            if not take_over:  # an interview open live would be typed into, and stored again
                for open_id in interview_ids:
                    store.leases.refuse_if_open(open_id, machine, "nothing was erased")
            count = len(interview_ids) + len(store.outcomes.list(org))
            if not count:
                raise UsageError(
                    f"nothing is recorded for an organization named {org!r} (exact name, any case)"
                )
            if not yes and not _confirmed(f"Erase everything about {org} ({count} record(s))? [y/N] "):
                message("nothing erased")
                return
            gone = store.trail.erase_organization(org)
            message(f"erased {gone} record(s) of {org}; the trail keeps only that an erasure happened")
            return
        record = store.interviews.get(interview_id or "")
        if not take_over:  # said before asking; checked again as it is deleted
            store.leases.refuse_if_open(record.id, machine, "it was not deleted")
        if not yes:
            from leadcli.render.wording import counted

            question = (
                f"Delete interview {record.id} with {record.organization}"
                f" ({counted(len(record.answers), 'answer')})? [y/N] "
            )
            if not _confirmed(question):
                message("nothing deleted")
                return
        store.interviews.delete(record.id, machine=machine, take_over=take_over)
    message(f"deleted interview {record.id}")


def _delete_erased_copy(ctx: typer.Context, prefix: str, *, yes: bool) -> bool:
    """Delete this machine's copy of an interview the team store erased (it has nothing else of
    it); False when this machine keeps no such copy under `prefix`."""
    from leadcli.services.sync import discard_erased, erased_here

    wanted = prefix.strip().lower()
    kept = [(w, e) for w, e in erased_here(home_dir(ctx)) if w.interview_id.startswith(wanted)]
    if len(kept) != 1:
        return False
    item, erasure = kept[0]
    if not yes and not _confirmed(
        f"Delete this machine's copy of interview {item.interview_id} with {item.organization}"
        f" ({kept_line(item.lines)}; erased from the team store {erasure.when()})? [y/N] "
    ):
        message("nothing deleted")
        return True
    discard_erased(home_dir(ctx), item.interview_id)
    message(
        f"deleted this machine's copy of interview {item.interview_id}"
        f" ({item.lines} line{'s' if item.lines != 1 else ''} that never reached the team store, which"
        " had erased it)"
    )
    return True


def _confirmed(question: str) -> bool:
    from leadcli import prompting
    from leadcli.errors import UsageError
    from leadcli.untrusted import visible

    if not prompting.stdin_is_terminal():
        raise UsageError("delete asks for confirmation on a terminal; add --yes to delete without asking")
    return prompting.ask(visible(question, lines=False)).strip().lower() in ("y", "yes")


def assign(
    ctx: typer.Context,
    interview_id: InterviewId,
    user: str = typer.Argument(..., metavar="USER", help="The database login it now belongs to."),
) -> None:
    """Give an interview to another interviewer (managers): from then on it is theirs to change.

    \b
    Example: leadcli assign 7kq2mz ben
    """
    with open_store(ctx) as store:
        record_id = store.interviews.resolve_id(interview_id)
        store.interviews.assign(record_id, user)
    message(f"interview {record_id} now belongs to {user}")
