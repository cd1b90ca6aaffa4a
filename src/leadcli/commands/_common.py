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
    database_url: str | None = None


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
    """The store: the PostgreSQL server named by --database-url, else the SQLite file in the home."""
    from leadcli.store.db import Store

    return Store.open(home_dir(ctx), url=settings(ctx).database_url or None)


def screen_printer() -> Callable[[Any], None]:
    """A `show` for interactive commands: rich renderables as they are, strings never as markup."""
    from rich.console import Console

    console = Console(highlight=False)
    return lambda thing: (
        console.print(thing, markup=False) if isinstance(thing, str) else console.print(thing)
    )


def render_with(module: str, function: str, *args: Any, **kwargs: Any) -> Any:
    """Call a renderer in `leadcli.render.<module>`, importing it only when its format is asked for."""
    from importlib import import_module

    return getattr(import_module(f"leadcli.render.{module}"), function)(*args, **kwargs)


def domain_titles(content: Content) -> dict[str, str]:
    return {d.id: d.title for d in content.framework.domains}


def message(text: str) -> None:
    """A note for the user on stderr (stdout is kept for results)."""
    sys.stderr.write(f"leadcli: {text}\n")


def emit(
    fmt: Enum,
    *,
    table: Callable[[], RenderableType | str] | None = None,
    json: Callable[[], Any] | None = None,
    markdown: Callable[[], str] | None = None,
    csv: Callable[[], tuple[list[str], list[list[Any]]]] | None = None,
    html: Callable[[], str] | None = None,
    output: Path | None = None,
    force: bool = False,
) -> None:
    """Write one result in the chosen format to stdout, or to a private file with `output`.

    Only the chosen format's rendering code is imported.
    """
    kind = fmt.value
    renderers = {"table": table, "json": json, "markdown": markdown, "csv": csv, "html": html}
    if renderers.get(kind) is None:
        available = ", ".join(name for name, r in renderers.items() if r is not None)
        raise UsageError(f"--format {kind} is not available here; choose from: {available}")
    if kind == "table":
        if output is not None:
            raise UsageError("--output writes markdown, html, json or csv; add --format")
        result = table()  # type: ignore[misc]
        if isinstance(result, str):  # a plain line: printed as it is, never as markup or wrapped
            sys.stdout.write(result + "\n")
            return
        from rich.console import Console

        Console(highlight=False).print(result)
        return
    if kind == "json":
        from leadcli.render.data import dump_json

        text = dump_json(json()) + "\n"  # type: ignore[misc]
    elif kind == "csv":
        from leadcli.render.data import dump_csv

        text = dump_csv(*csv())  # type: ignore[misc]
    else:
        text = renderers[kind]()  # type: ignore[misc]
    if output is None:
        sys.stdout.write(text)
        return
    from leadcli.render.files import write_private

    write_private(output, text, force=force)
    message(f"wrote {output}")
