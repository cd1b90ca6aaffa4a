"""`leadcli home`: where leadcli keeps its store."""

from __future__ import annotations

import typer

from leadcli.commands._common import home_dir, message, settings, waiting_line


def home(ctx: typer.Context) -> None:
    """Print where leadcli keeps its store: the file in LEADCLI_HOME (or --home), or the server.

    With LEADCLI_DATABASE_URL (or --database-url) it prints that URL with any password masked.
    What this machine still holds for the team store is said on stderr (see `leadcli sync`).

    \b
    Example: leadcli home
    """
    from leadcli.services.sync import waiting
    from leadcli.store.db import location

    for item in waiting(home_dir(ctx)):
        lines = waiting_line(item.lines)
        message(f"interview {item.interview_id} ({item.organization}): {lines} since {item.since}")
    typer.echo(location(home_dir(ctx), settings(ctx).database_url or None))
