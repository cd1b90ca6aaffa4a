"""`leadcli import`: bring in the interviews of an export (JSON or JSON Lines), all or nothing."""

from __future__ import annotations

from pathlib import Path

import typer

from leadcli.commands._common import message, open_store, progress, warn


def import_(
    ctx: typer.Context,
    path: Path = typer.Argument(
        ..., metavar="FILE", help="A JSON or JSON Lines file made by `leadcli export`."
    ),
    ids: bool = typer.Option(False, "--ids", help="Also print the id of each interview added or updated."),
) -> None:
    """Import an export (JSON or JSON Lines): new interviews are added, the store's own merged.

    An interview the store already has (the same interview, not only the same id) is merged with
    the file's copy: its lines are added, and a value both copies changed is named as a conflict on
    stderr, the newer kept and the other kept in the interview's history. Nothing is replaced, not
    even an interview open in a terminal. The values the file's history kept (those that lost its
    merges) join the store's, and a conflict it already settled is not named again. Another
    interview under an id the store has is added under a new id. Importing the same file again
    changes nothing. Every record is checked first;
    with any problem, nothing is imported.

    \b
    It prints the counts on stderr; --ids prints each added or updated interview's id on stdout.

    \b
    Example: leadcli import leadcli-export.json
    """
    from leadcli.services.exchange import import_records

    with open_store(ctx) as store, progress(f"importing {path.name}", in_bytes=True) as shown:
        result = import_records(store, path, shown)
    for old, new in result.renamed:
        warn(
            f"conflict: the store has another interview {old}; the file's interview {old} was added"
            f" as {new}, both kept"
        )
    for file_id, kept_as, other in result.kept_apart:
        warn(
            f"conflict: the file's interview {file_id} has the identity of the store's interview"
            f" {other}, another interview (begun at another moment); the file's was kept apart as"
            f" {kept_as}, both kept"
        )
    ahead = result.ahead_words()
    if ahead:
        warn(ahead)
    for conflict in result.conflicts:
        warn(conflict)
    for file_id, organization, erasure in result.erased:
        warn(
            f"skipped interview {file_id} ({organization}): it was erased from"
            f" the store {erasure.when()}; an erasure is not undone by an import"
        )
    message(
        f"imported {len(result.added)} new interview(s), updated {len(result.updated)},"
        f" skipped {len(result.skipped)} unchanged, {len(result.conflicts)} conflict(s)"
    )
    if result.erased:
        warn(f"skipped {len(result.erased)} erased interview(s)")
    if result.outcomes_added:
        message(f"imported {result.outcomes_added} outcome(s)")
    if result.outcomes_erased:
        warn(f"skipped {result.outcomes_erased} erased outcome(s)")
    if ids:
        for interview_id in [*result.added, *result.updated]:
            typer.echo(interview_id)
