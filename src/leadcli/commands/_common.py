"""What the command modules share: settings, content loading, output formats."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import typer

from leadcli.errors import UsageError
from leadcli.vocabulary import (
    ContentFormat,
    DataFormat,
    ExportFormat,
    OutputFormat,
    RecordsFormat,
    ReportFormat,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

    from leadcli.content.models import Content
    from leadcli.interview.capture import Capture
    from leadcli.progress import Progress
    from leadcli.store.db import Store
    from leadcli.store.push import Pushed


def complete_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Interview ids for shell completion (nothing when the store cannot be read)."""
    try:
        with open_store(ctx) as store:
            return [i for i in store.interviews.ids() if i.startswith(incomplete.lower())]
    except Exception:  # completion must never print a traceback into the shell
        return []


def complete_organizations(ctx: typer.Context, incomplete: str) -> list[str]:
    """Organization names for shell completion, one per organization (`names.name_key`)."""
    return _complete_names(ctx, incomplete, lambda store: store.interviews.organizations())


def complete_interviewers(ctx: typer.Context, incomplete: str) -> list[str]:
    """Interviewer names for shell completion, one per person (`names.name_key`)."""
    return _complete_names(ctx, incomplete, lambda store: store.interviews.interviewers())


def _complete_names(
    ctx: typer.Context, incomplete: str, names_of: Callable[[Store], dict[str, str]]
) -> list[str]:
    """The names (one per key, from `names_of`) whose key starts with `incomplete`'s key."""
    from leadcli.names import name_key
    from leadcli.untrusted import visible

    try:
        with open_store(ctx) as store:
            names = names_of(store)
    except Exception:  # completion must never print a traceback into the shell
        return []
    # A name with control characters would reach the shell raw: it is not offered at all.
    wanted = name_key(incomplete)
    return [
        name for key, name in names.items() if key.startswith(wanted) and visible(name, lines=False) == name
    ]


def complete_offerings(ctx: typer.Context, incomplete: str) -> list[str]:
    """Offering ids for shell completion."""
    try:
        offerings = load_content(ctx).catalog.offerings
    except Exception:
        return []
    return [o.id for o in offerings if o.id.startswith(incomplete.casefold())]


def complete_domains(ctx: typer.Context, incomplete: str) -> list[str]:
    """Framework domain ids for shell completion."""
    try:
        domains = load_content(ctx).framework.domains
    except Exception:
        return []
    return [d.id for d in domains if d.id.startswith(incomplete.casefold())]


# Options several commands share, declared once. Each command picks the format set it supports.
_FORMAT_HELP = "Output format."
ContentFormatOption = Annotated[ContentFormat, typer.Option("--format", "-f", help=_FORMAT_HELP)]
RecordsFormatOption = Annotated[RecordsFormat, typer.Option("--format", "-f", help=_FORMAT_HELP)]
DataFormatOption = Annotated[DataFormat, typer.Option("--format", "-f", help=_FORMAT_HELP)]
ReportFormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help=_FORMAT_HELP)]
ExportFormatOption = Annotated[ExportFormat, typer.Option("--format", "-f", help=_FORMAT_HELP)]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (owner-only).")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace --output if it exists.")]
InterviewId = Annotated[
    str,
    typer.Argument(
        metavar="ID", help="Interview id (a unique prefix is enough).", autocompletion=complete_ids
    ),
]
OrgOption = Annotated[
    str | None,
    typer.Option(
        "--org",
        help="Organization name, any case; a unique part will do.",
        autocompletion=complete_organizations,
    ),
]


@dataclass(frozen=True)
class Settings:
    """Global options, kept on the typer context."""

    data_dir: Path | None = None
    home: Path | None = None
    database_url: str | None = None


def settings(ctx: typer.Context) -> Settings:
    """The global options; while the shell completes a line, as parsed so far."""
    root = ctx.find_root()
    if isinstance(root.obj, Settings):
        return root.obj
    data_dir, home = root.params.get("data_dir"), root.params.get("home")
    return Settings(
        data_dir=Path(data_dir) if data_dir else None,
        home=Path(home) if home else None,
        database_url=root.params.get("database_url") or None,  # a team store completes from its names
    )


def load_content(ctx: typer.Context) -> Content:
    from leadcli.content.loader import load_content as load
    from leadcli.paths import cache_dir, resolve_data_dir

    options = settings(ctx)
    return load(resolve_data_dir(options.data_dir), cache_dir=cache_dir(options.home))


def home_dir(ctx: typer.Context) -> Path:
    from leadcli.paths import user_dir

    return user_dir(settings(ctx).home)


def open_store(ctx: typer.Context, *, push: bool = True) -> Store:
    """The store: the PostgreSQL server named by --database-url, else the SQLite file in the home.

    What waits on this machine for the team store is pushed first (see `push_waiting_work`),
    unless `push` is False (the command pushed already).
    """
    from leadcli.store.db import Store

    if push and not ctx.resilient_parsing:  # never while the shell completes a line
        push_waiting_work(ctx)
    return Store.open(home_dir(ctx), url=settings(ctx).database_url or None)


def push_waiting_work(ctx: typer.Context) -> None:
    """Push what this machine's replica holds for the team store, and say on stderr what went."""
    from leadcli.services.sync import sync

    result = sync(home_dir(ctx), settings(ctx).database_url or None)
    say_pushed(result.pushed)
    if result.problem and result.left:
        message(
            f"{waiting_line(result.lines_left)} on this machine ({result.problem}); run `leadcli sync` later"
        )


def say_pushed(pushed: list[Pushed]) -> None:
    """Say on stderr what each push did, one line each: what went as a note (--quiet leaves it out),
    a refusal always (the lines wait on this machine, or stay there: the team store erased them)."""
    for item in pushed:
        say = warn if item.needs_attention else message
        for line in item.describe().splitlines():
            say(line)
        for conflict in item.conflicts:  # what the merge named: said once, even with --quiet
            warn(conflict)
    from leadcli.store.push import placed_notice

    placed = placed_notice(pushed)  # this machine's clock was off: said once, even with --quiet
    if placed:
        warn(placed)


def saved(capture: Capture, subject: str = "") -> str:
    """Where the words are, for the last message: all saved, or how many lines could not be."""
    if capture.unsaved:
        count = len(capture.unsaved)
        return f"{count} line{'s' if count != 1 else ''} could NOT be saved (printed above)"
    return f"{subject} saved".strip()


def next_step(capture: Capture, interview_id: str, command: str) -> str:
    """The end of a stop's last message: `Resume with: COMMAND`, or, for an interview the team store
    erased meanwhile (which cannot be resumed), where its lines are and how to remove them."""
    if capture.erased:
        return (
            f"interview {interview_id} was erased from the team store: its lines stay on this machine"
            f" only — `leadcli delete {interview_id}` removes them"
        )
    return command


def kept_line(lines: int) -> str:
    """`2 lines kept on this machine only` (an interview the team store erased)."""
    return f"{lines} line{'s' if lines != 1 else ''} kept on this machine only"


def waiting_line(lines: int) -> str:
    return f"{lines} line{'s' if lines != 1 else ''} wait{'s' if lines == 1 else ''} for the team store"


def open_existing_store(ctx: typer.Context) -> Store | None:
    """The store if there is one (the server, or a SQLite file already in the home); else None.

    For commands that only read and should not create a store where there was none.
    """
    from leadcli.store.db import exists

    url = settings(ctx).database_url or None
    return open_store(ctx) if exists(home_dir(ctx), url) else None


def screen_printer() -> Callable[[Any], None]:
    """A `show` for interactive commands: rich renderables as they are, strings literally (controls shown)."""
    from leadcli.render.plain import console, text

    screen = console()
    return lambda thing: screen.print(text(thing) if isinstance(thing, str) else thing)


def live_capture(ctx: typer.Context, show: Callable[[Any], None]) -> Capture:
    """A live session's writes (this machine first, then the team store), once what waits on this
    machine was pushed."""
    from leadcli import prompting
    from leadcli.interview.capture import Capture

    push_waiting_work(ctx)
    url = settings(ctx).database_url or None
    return Capture(home_dir(ctx), url=url, show=show, saved=prompting.saved, aside=prompting.aside)


def warn_unknown_region(region: str, content: Content) -> None:
    """Say on stderr when a region is not a place leadcli knows (only global offerings fit it)."""
    from leadcli.content.catalog import is_known_place

    if region.strip() and not is_known_place(region, content.catalog):
        warn(f"{region!r} is not a place leadcli knows; only offerings available globally fit it")


def domain_titles(content: Content) -> dict[str, str]:
    return {d.id: d.title for d in content.framework.domains}


_quiet = False


def set_quiet(quiet: bool) -> None:
    """`--quiet`: notes (`message`) are left out; warnings and errors still print."""
    global _quiet  # noqa: PLW0603 - one run, one setting, as click keeps its own context
    _quiet = quiet


def message(text: str) -> None:
    """A note for the user on stderr (stdout is kept for results), on one line, controls shown."""
    if not _quiet:
        warn(text)


@contextmanager
def progress(label: str, *, in_bytes: bool = False) -> Iterator[Progress]:
    """Progress of long work on stderr, only when stderr is a terminal and without --quiet
    (elsewhere nothing: a log or a pipe gets no bar)."""
    from leadcli.progress import SILENT

    if _quiet or not sys.stderr.isatty():
        yield SILENT
        return
    from leadcli.render.progress import progress_bar

    with progress_bar(label, in_bytes=in_bytes) as shown:
        yield shown


def warn(text: str) -> None:
    """A warning on stderr, printed even with --quiet: something the user should act on."""
    from leadcli.untrusted import visible

    sys.stderr.write(f"leadcli: {visible(text, lines=False)}\n")


def write_result(chunks: Iterable[str], *, utf8: bool) -> None:
    """Write results to stdout; with `utf8`, as UTF-8 whatever the terminal's locale (JSON, CSV,
    Markdown and HTML are files in UTF-8, even when they pass through a pipe)."""
    raw = getattr(sys.stdout, "buffer", None) if utf8 else None
    if raw is None or (sys.stdout.encoding or "").lower().replace("-", "") == "utf8":
        sys.stdout.writelines(chunks)
        return
    sys.stdout.flush()
    for chunk in chunks:
        raw.write(chunk.encode("utf-8", "surrogateescape"))
    raw.flush()


F = TypeVar("F", bound=str)


def usable_format(ctx: typer.Context, fmt: F, usable: Iterable[str], *, refusal: str) -> F:
    """`fmt` if this run can write it. A format that came from the config file's `format` (never
    typed) falls back, quietly, to the command's own default, as `config` promises ("for every
    command that offers it": `cli.config_defaults` gives it only to commands whose --format lists
    it, this is for what a command offers only with some options); a typed one is refused.
    """
    if fmt in usable:
        return fmt
    if getattr(ctx.get_parameter_source("fmt"), "name", "") == "DEFAULT_MAP":
        own = next((p.default for p in ctx.command.params if p.name == "fmt"), None)
        if isinstance(own, str) and own in usable:
            return cast("F", own)
    raise UsageError(refusal)


def emit(
    fmt: OutputFormat,
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
    kind = fmt
    renderers = {"table": table, "json": json, "markdown": markdown, "csv": csv, "excel": csv, "html": html}
    if renderers.get(kind) is None:
        available = ", ".join(name for name, r in renderers.items() if r is not None)
        raise UsageError(f"--format {kind} is not available here; choose from: {available}")
    if kind == "table" and table is not None:
        if output is not None:
            writes = [name for name, r in renderers.items() if r is not None and name != "table"]
            raise UsageError(f"--output writes {', '.join(writes)}; add --format")
        result = table()
        if isinstance(result, str):  # a plain line: printed as it is, never as markup or wrapped
            from leadcli.untrusted import visible

            sys.stdout.write(visible(result) + "\n")
            return
        from leadcli.render.plain import console

        console().print(result)
        return
    if kind == "json" and json is not None:
        from leadcli.render.data import dump_json, versioned

        text = dump_json(versioned(json())) + "\n"
    elif kind in ("csv", "excel") and csv is not None:
        from leadcli.render.data import dump_csv

        text = dump_csv(*csv(), excel=kind == "excel")
    elif kind == "markdown" and markdown is not None:
        text = markdown()
    elif kind == "html" and html is not None:
        text = html()
    else:  # refused above: no writer for this format here
        raise UsageError(f"--format {kind} is not available here")
    if output is None or str(output) == "-":  # `-o -` is stdout, as in most tools
        write_result([text], utf8=kind != "table")
        return
    from leadcli.render.files import write_private

    write_private(output, text, force=force)
    message(f"wrote {output}")
