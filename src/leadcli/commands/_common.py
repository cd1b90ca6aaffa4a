"""What the command modules share: settings, content loading, output formats."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from leadcli.errors import UsageError

if TYPE_CHECKING:
    from rich.console import RenderableType

    from leadcli.content.models import Content
    from leadcli.store.db import Store


class Format(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    csv = "csv"


FORMAT_HELP = "Output format: table (for people), json, markdown or csv."


@dataclass(frozen=True)
class Settings:
    """Global options, kept on the typer context."""

    data_dir: Path | None = None
    home: Path | None = None


def settings(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, Settings) else Settings()


def load_content(ctx: typer.Context) -> Content:
    from leadcli.content.loader import load_content as load
    from leadcli.paths import cache_dir, resolve_data_dir

    options = settings(ctx)
    return load(resolve_data_dir(options.data_dir), cache_dir=cache_dir(options.home))


def home_dir(ctx: typer.Context) -> Path:
    from leadcli.paths import user_dir

    return user_dir(settings(ctx).home)


def open_store(ctx: typer.Context) -> Store:
    from leadcli.store.db import Store

    return Store.open(home_dir(ctx))


def screen_printer() -> Callable[[Any], None]:
    """A `show` for interactive commands: rich renderables as they are, strings never as markup."""
    from rich.console import Console

    console = Console(highlight=False)
    return lambda thing: (
        console.print(thing, markup=False) if isinstance(thing, str) else console.print(thing)
    )


def domain_titles(content: Content) -> dict[str, str]:
    return {d.id: d.title for d in content.framework.domains}


def message(text: str) -> None:
    """A note for the user on stderr (stdout is kept for results)."""
    sys.stderr.write(f"leadcli: {text}\n")


def emit(
    fmt: Format,
    *,
    table: Callable[[], RenderableType] | None = None,
    json: Callable[[], Any] | None = None,
    markdown: Callable[[], str] | None = None,
    csv: Callable[[], tuple[list[str], list[list[Any]]]] | None = None,
) -> None:
    """Write one result to stdout in the chosen format; only that format's code is imported."""
    if fmt is Format.table and table is not None:
        from rich.console import Console

        Console(highlight=False).print(table())
    elif fmt is Format.json and json is not None:
        from leadcli.render.data import dump_json

        sys.stdout.write(dump_json(json()) + "\n")
    elif fmt is Format.markdown and markdown is not None:
        sys.stdout.write(markdown())
    elif fmt is Format.csv and csv is not None:
        from leadcli.render.data import dump_csv

        sys.stdout.write(dump_csv(*csv()))
    else:
        available = [
            f.value
            for f, r in zip(Format, (table, json, markdown, csv), strict=True)
            if r is not None
        ]
        raise UsageError(
            f"--format {fmt.value} is not available here; choose from: {', '.join(available)}"
        )
