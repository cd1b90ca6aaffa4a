"""`leadcli home`: where leadcli keeps its store."""

from __future__ import annotations

import typer

from leadcli.commands._common import home_dir


def home(ctx: typer.Context) -> None:
    """Print the folder where leadcli keeps its store (set it with LEADCLI_HOME or --home).

    \b
    Example: leadcli home
    """
    from leadcli.store.db import store_path

    typer.echo(store_path(home_dir(ctx)))
