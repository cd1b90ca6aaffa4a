"""`leadcli home`: where leadcli keeps its store."""

from __future__ import annotations

import typer

from leadcli.commands._common import home_dir, settings


def home(ctx: typer.Context) -> None:
    """Print where leadcli keeps its store: the file in LEADCLI_HOME (or --home), or the server.

    With LEADCLI_DATABASE_URL (or --database-url) it prints that URL with any password masked.

    \b
    Example: leadcli home
    """
    from leadcli.store.db import location

    typer.echo(location(home_dir(ctx), settings(ctx).database_url or None))
