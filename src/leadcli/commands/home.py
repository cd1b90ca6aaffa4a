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

    for item in waiting(home_dir(ctx)):
        lines = waiting_line(item.lines)
        message(f"interview {item.interview_id} ({item.organization}): {lines} since {item.since}")
    url = settings(ctx).database_url
    if url:
        from leadcli.store.dialect import check_url, mask_url

        check_url(url)
        typer.echo(mask_url(url))
        return
    from leadcli.store.db import store_path

    typer.echo(store_path(home_dir(ctx)))
