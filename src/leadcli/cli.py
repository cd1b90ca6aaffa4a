"""The typer application: wires the commands and global options, maps errors to exit codes."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from leadcli import __version__
from leadcli.commands._common import Settings
from leadcli.errors import ExitCode, LeadcliError


def report_error(error: LeadcliError) -> None:
    """Print a domain error to stderr: one line per problem, never a traceback."""
    lines = error.lines()
    if error.exit_code == ExitCode.INTERRUPTED:
        sys.stderr.write(f"\nleadcli: {lines[0]}\n")
    elif len(lines) == 1:
        sys.stderr.write(f"leadcli: error: {lines[0]}\n")
    else:
        sys.stderr.write(f"leadcli: error: {error.message}:\n")
        sys.stderr.writelines(f"{line}\n" for line in lines)
    if error.hint:
        sys.stderr.write(f"leadcli: {error.hint}\n")


class LeadcliGroup(TyperGroup):
    """Turns usage errors, LeadcliError and stray exceptions into one line and an exit code."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except typer.TyperException as error:
            if type(error).__name__ == "NoArgsIsHelpError":
                if error.format_message():
                    sys.stdout.write(error.format_message() + "\n")
                sys.exit(int(ExitCode.USAGE))
            context = getattr(error, "ctx", None)
            where = f" (see '{context.command_path} --help')" if context is not None else ""
            text = error.format_message().replace("Value error, ", "")
            sys.stderr.write(f"leadcli: error: {text}{where}\n")
            sys.exit(getattr(error, "exit_code", int(ExitCode.USAGE)))
        except typer.Abort:
            sys.stderr.write("\nleadcli: aborted\n")
            sys.exit(int(ExitCode.ERROR))
        sys.exit(result if isinstance(result, int) else int(ExitCode.OK))

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except LeadcliError as error:
            report_error(error)
            raise typer.Exit(int(error.exit_code)) from None
        except KeyboardInterrupt:
            sys.stderr.write("\nleadcli: interrupted\n")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except BrokenPipeError:
            raise typer.Exit(int(ExitCode.OK)) from None
        except Exception as error:
            if os.environ.get("LEADCLI_DEBUG"):
                raise
            # Deliberately no traceback: its frames could show customer notes.
            sys.stderr.write(
                f"leadcli: internal error: {type(error).__name__}: {error}\n"
                "leadcli: this is a bug; set LEADCLI_DEBUG=1 to see where it happened\n"
            )
            raise typer.Exit(int(ExitCode.ERROR)) from None


# In the order a user meets them: the call, after it, the records, the catalog, the content.
# name -> (module under leadcli.commands, attribute); a Typer attribute is a command group.
COMMANDS: dict[str, tuple[str, str]] = {
    "interview": ("interview", "interview"),
    "reflect": ("reflect", "reflect"),
    "report": ("report", "report"),
    "list": ("records", "list_interviews"),
    "show": ("records", "show"),
    "delete": ("records", "delete"),
    "summary": ("exchange", "summary"),
    "export": ("exchange", "export"),
    "import": ("exchange", "import_"),
    "offerings": ("offerings", "app"),
    "framework": ("framework", "framework"),
    "questions": ("questions", "questions"),
    "validate": ("validate", "validate"),
    "schema": ("schema", "schema"),
    "home": ("records", "home"),
}
GLOBAL_OPTIONS_WITH_VALUES = ("--data-dir", "--home")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"leadcli {__version__}")
        raise typer.Exit()


def main_options(
    ctx: typer.Context,
    data_dir: Path | None = typer.Option(
        None,
        "--data-dir",
        envvar="LEADCLI_DATA_DIR",
        help="Folder with your own framework.yaml, questions.yaml and offerings.yaml.",
    ),
    home: Path | None = typer.Option(
        None, "--home", envvar="LEADCLI_HOME", help="Folder for leadcli's store and cache."
    ),
    version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """Judge a prospective customer's leadership commitment to quality, and what fits.

    \b
    Example: leadcli offerings --audience executive
    """
    ctx.obj = Settings(data_dir=data_dir, home=home)


def build_app(only: str | None = None) -> typer.Typer:
    """The typer app with every command, or with just the one about to run.

    typer inspects every registered command when it starts; registering only the one being run
    keeps its module and signature work off every other command's start-up.
    """
    from importlib import import_module

    app = typer.Typer(
        cls=LeadcliGroup,
        name="leadcli",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(main_options)
    for name, (module, attribute) in COMMANDS.items():
        if only is not None and name != only:
            continue
        target = getattr(import_module(f"leadcli.commands.{module}"), attribute)
        if isinstance(target, typer.Typer):
            app.add_typer(target, name=name)
        else:
            app.command(name)(target)
    return app


def command_named(argv: list[str]) -> str | None:
    """The known command `argv` runs, if it names one (global options may come first)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in GLOBAL_OPTIONS_WITH_VALUES:
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
        elif arg in ("-h", "--help", "--version"):
            return None
    return None


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # the whole app, for tests and tools that import it
        return build_app()
    raise AttributeError(name)


def main() -> None:
    build_app(command_named(sys.argv[1:]))(prog_name="leadcli")
