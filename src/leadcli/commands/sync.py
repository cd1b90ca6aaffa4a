"""`leadcli sync`: push what waits on this machine to the team store, or say what waits."""

from __future__ import annotations

import typer

from leadcli.commands._common import home_dir, kept_line, message, say_pushed, settings, waiting_line


def sync(
    ctx: typer.Context,
    status: bool = typer.Option(False, "--status", help="Only say what waits; push nothing."),
) -> None:
    """Push the lines typed on this machine that have not reached the team store yet.

    Any leadcli command that uses the store does this first; `sync` does only this. With --status
    it lists what waits (interview, organization, lines, since when) on stdout, and the interviews
    kept on this machine only because the team store erased them (`leadcli delete ID` removes them).

    \b
    Example: leadcli sync
    """
    from leadcli.errors import StoreUnreachable
    from leadcli.services.sync import erased_here, waiting
    from leadcli.services.sync import sync as push
    from leadcli.untrusted import visible

    home = home_dir(ctx)
    if status:
        left = waiting(home)
        for item in left:
            typer.echo(
                f"{item.interview_id}\t{visible(item.organization, lines=False)}\t"
                f"{waiting_line(item.lines)}\tsince {item.since}"
            )
        for item, erasure in erased_here(home):
            typer.echo(
                f"{item.interview_id}\t{visible(item.organization, lines=False)}\t{kept_line(item.lines)}"
                f"\terased from the team store {erasure.when()}; `leadcli delete {item.interview_id}`"
                " removes it"
            )
        if not left:
            message("nothing waits for the team store")
        return
    result = push(home, settings(ctx).database_url or None)
    say_pushed(result.pushed)
    if result.left:
        raise StoreUnreachable(
            f"{waiting_line(result.lines_left)} on this machine: {result.problem or 'not pushed yet'}",
            hint="they are safe here; run `leadcli sync` again when the team store is back",
        )
    if not result.pushed:
        message("nothing waits for the team store")
    said = {p.interview_id for p in result.pushed if p.erased is not None}
    kept = [item for item, _ in result.erased if item.interview_id not in said]
    if kept:  # said in full when a push found them; here only that they are still kept
        message(
            f"{len(kept)} interview(s) the team store erased are kept on this machine only"
            " (`leadcli sync --status` lists them)"
        )
