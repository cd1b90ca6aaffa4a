"""`leadcli home`: where leadcli keeps its store."""

from __future__ import annotations

import typer

from leadcli.commands._common import home_dir, message, settings, waiting_line


def home(ctx: typer.Context) -> None:
    """Print where leadcli keeps its store: the file in LEADCLI_HOME (or --home), or the server.

    With LEADCLI_DATABASE_URL (or --database-url) it prints that URL with any password masked.
    What this machine still holds for the team store is said on stderr (see `leadcli sync`), and
    what it keeps only here because the team store erased it.

    \b
    Example: leadcli home
    """
    from leadcli.services.sync import erased_here, waiting
    from leadcli.store.db import location
    from leadcli.store.push import erased_words

    for item in waiting(home_dir(ctx)):
        lines = waiting_line(item.lines)
        message(f"interview {item.interview_id} ({item.organization}): {lines} since {item.since}")
    for item, erasure in erased_here(home_dir(ctx)):
        message(erased_words(item.interview_id, item.organization, erasure, item.lines))
    typer.echo(location(home_dir(ctx), settings(ctx).database_url or None))
