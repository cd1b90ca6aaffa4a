"""The typer application: wires the commands and global options, maps errors to exit codes."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from leadcli import __version__
from leadcli.commands import (
    admin,
    admin_questions,  # noqa: F401  (adds `admin publish-questions` to the admin group)
    admin_store,  # noqa: F401  (adds `admin setup`, `grant` and `migrate`)
    audit,
    completion,
    config,
    evaluate,
    export,
    framework,
    home,
    import_,
    interview,
    interviews,
    offerings,
    outcome,
    questions,
    reflect,
    report,
    schema,
    summary,
    sync,
    validate,
)
from leadcli.commands._common import Settings, set_quiet
from leadcli.errors import ExitCode, LeadcliError, OutputError


def report_error(error: LeadcliError) -> None:
    """Print a domain error to stderr: one line per problem, never a traceback, controls shown."""
    from leadcli.untrusted import visible

    lines = [visible(line, lines=False) for line in error.lines()]
    if error.exit_code == ExitCode.INTERRUPTED:
        sys.stderr.write(f"\nleadcli: {lines[0]}\n")
    elif len(lines) == 1:
        sys.stderr.write(f"leadcli: error: {lines[0]}\n")
    else:
        sys.stderr.write(f"leadcli: error: {visible(error.message, lines=False)}:\n")
        sys.stderr.writelines(f"{line}\n" for line in lines)
    if error.hint:
        sys.stderr.write(f"leadcli: {visible(error.hint, lines=False)}\n")


# Errors that mean the results could not be written where they were going (stdout).
_WRITE_ERRORS = {errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT}


def _discard_stdout() -> None:
    """Point stdout at the null device so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (tests): nothing is flushed later
        pass


class LeadcliGroup(TyperGroup):
    """Turns usage errors, LeadcliError and stray exceptions into one line and an exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **kwargs: Any,
    ) -> Any:
        passed = {"windows_expand_args": windows_expand_args, **kwargs}
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **passed)
        if sys.stdout is None:  # started with stdout closed (`leadcli list >&-`)
            if sys.stderr is not None:
                sys.stderr.write("leadcli: error: cannot write output: standard output is closed\n")
            sys.exit(int(ExitCode.ERROR))
        try:
            result = super().main(args, prog_name, complete_var, False, **passed)
        except typer.TyperException as error:
            if type(error).__name__ == "NoArgsIsHelpError":
                if error.format_message():
                    sys.stdout.write(error.format_message() + "\n")
                sys.exit(int(ExitCode.USAGE))
            context = getattr(error, "ctx", None)
            where = f" (see '{context.command_path} --help')" if context is not None else ""
            from leadcli.untrusted import visible

            text = visible(error.format_message().replace("Value error, ", ""), lines=False)
            sys.stderr.write(f"leadcli: error: {text}{where}\n")
            sys.exit(getattr(error, "exit_code", int(ExitCode.USAGE)))
        except typer.Abort:
            sys.stderr.write("\nleadcli: aborted\n")
            sys.exit(int(ExitCode.ERROR))
        except KeyboardInterrupt:  # a second Ctrl-C while the first was being reported
            result = int(ExitCode.INTERRUPTED)
        if result == ExitCode.INTERRUPTED and not getattr(self, "_interrupt_said", False):
            # Ctrl-C that reached click outside a command (while it was closing up) ends silently
            # with 130 there; say so, as everywhere else.
            sys.stderr.write("\nleadcli: interrupted\n")
        sys.exit(result if isinstance(result, int) else int(ExitCode.OK))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            _quiet_anywhere(command)
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk is reported here, not at interpreter exit
            return result
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except LeadcliError as error:
            self._interrupt_said = error.exit_code == ExitCode.INTERRUPTED
            report_error(error)
            raise typer.Exit(int(error.exit_code)) from None
        except KeyboardInterrupt:
            self._interrupt_said = True
            sys.stderr.write("\nleadcli: interrupted\n")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except BrokenPipeError:
            _discard_stdout()
            raise typer.Exit(int(ExitCode.OK)) from None
        except OSError as error:
            if error.errno in _WRITE_ERRORS and error.filename is None:
                _discard_stdout()
                report_error(OutputError(f"cannot write output: {error.strerror}"))
            else:
                where = f": {error.filename}" if error.filename else ""
                report_error(LeadcliError(f"{error.strerror or error}{where}"))
            raise typer.Exit(int(ExitCode.ERROR)) from None
        except Exception as error:
            if os.environ.get("LEADCLI_DEBUG"):
                raise
            from leadcli.untrusted import visible

            # Deliberately no traceback: its frames could show customer notes.
            sys.stderr.write(
                f"leadcli: internal error: {type(error).__name__}: {visible(str(error), lines=False)}\n"
                "leadcli: this is a bug; set LEADCLI_DEBUG=1 to see where it happened\n"
            )
            raise typer.Exit(int(ExitCode.ERROR)) from None


QUIET_HELP = "Print no notes on stderr (warnings and errors still print)."


def _set_quiet_flag(_ctx: Any, _param: Any, value: bool) -> None:
    if value:
        set_quiet(True)


def _quiet_anywhere(command: Any) -> None:
    """Let `--quiet`/`-q` follow the command as well as precede it (`leadcli import f.json -q`)."""
    for sub in getattr(command, "commands", {}).values():  # a group (offerings, questions, admin, config)
        _quiet_anywhere(sub)
    if any("--quiet" in param.opts for param in command.params):
        return
    from typer.core import TyperOption

    command.params.append(
        TyperOption(
            param_decls=["--quiet", "-q"],
            is_flag=True,
            expose_value=False,
            callback=_set_quiet_flag,
            help=QUIET_HELP,
        )
    )


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"leadcli {__version__}")
        raise typer.Exit()


def main_options(  # noqa: PLR0917 - typer passes each global option
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
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        envvar="LEADCLI_DATABASE_URL",
        help="A postgresql:// URL: use that shared server store instead of the file in --home.",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help=QUIET_HELP),
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
    set_quiet(quiet)
    ctx.obj = Settings(data_dir=data_dir, home=home, database_url=database_url)
    if database_url and getattr(ctx.get_parameter_source("database_url"), "name", "") == "COMMANDLINE":
        from leadcli.store.dialects.postgres import has_password

        if has_password(database_url):
            from leadcli.commands._common import message

            message(
                "a password on the command line is visible to other users of this machine (ps);"
                " keep it in ~/.pgpass, a service file (PGSERVICEFILE) or PGPASSWORD instead"
            )


# Every command, in the order a user meets them: the call, after it, the records, the catalog, the
# content. A Typer value is a command group. Command modules import only typer and
# `commands._common`; each imports what its work needs (rich, pydantic, the store) when it runs.
COMMANDS: dict[str, Callable[..., Any] | typer.Typer] = {
    "interview": interview.interview,
    "reflect": reflect.reflect,
    "report": report.report,
    "list": interviews.list_interviews,
    "show": interviews.show,
    "delete": interviews.delete,
    "assign": interviews.assign,
    "history": audit.history,
    "summary": summary.summary,
    "outcome": outcome.outcome,
    "evaluate": evaluate.evaluate,
    "export": export.export,
    "import": import_.import_,
    "audit": audit.audit,
    "offerings": offerings.app,
    "framework": framework.framework,
    "questions": questions.app,
    "validate": validate.validate,
    "schema": schema.schema,
    "sync": sync.sync,
    "admin": admin.app,
    "home": home.home,
    "config": config.app,
    "completion": completion.completion,
}
GLOBAL_OPTIONS_WITH_VALUES = ("--data-dir", "--home", "--database-url")


def build_app(only: str | None = None) -> typer.Typer:
    """The typer app with every command, or with only the command `only`.

    typer inspects each registered command's signature when it starts (about half a millisecond
    each), so a run registers just the command it runs; help and completion see them all.
    """
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
    for name, target in COMMANDS.items():
        if only is not None and name != only:
            continue
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
        elif arg in ("-h", "--help", "--version"):
            return None
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _fit_streams() -> None:
    """Under a locale that is not UTF-8, show what the terminal cannot as escapes instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding and encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main() -> None:
    _fit_streams()
    if completion.COMPLETE_VAR in os.environ:  # the shell asks for completions: only then load that machinery
        from typer.completion import completion_init

        completion_init()
        completion.register_shells()
        try:
            build_app()(prog_name="leadcli", complete_var=completion.COMPLETE_VAR)
        except Exception:  # a completion must never print a traceback into the shell
            if os.environ.get("LEADCLI_DEBUG"):
                raise
            sys.exit(int(ExitCode.ERROR))
        return
    import typer.main

    command = typer.main.get_command(build_app(command_named(sys.argv[1:])))
    try:
        default_map = config_defaults(command)
    except LeadcliError as error:
        report_error(error)
        sys.exit(int(error.exit_code))
    command.main(prog_name="leadcli", complete_var=completion.COMPLETE_VAR, default_map=default_map)


def config_defaults(command: Any) -> dict[str, Any] | None:
    """The config file's defaults as click's default map: the database URL for the global option,
    the format for every command that offers it. Options and environment variables still win."""
    from leadcli.config import config_path, load_config

    path = config_path()
    if not path.exists():
        return None
    config = load_config(path)
    defaults: dict[str, Any] = {}
    if config.get("database_url"):
        defaults["database_url"] = config.get("database_url")
    wanted = config.get("format")
    if wanted:
        defaults.update(_format_defaults(command, wanted))
    return defaults


def _format_defaults(group: Any, wanted: str) -> dict[str, Any]:
    """{command: {"fmt": wanted, subcommand: {...}}} for each command whose --format offers `wanted`."""
    found: dict[str, Any] = {}
    for name, sub in getattr(group, "commands", {}).items():
        entry: dict[str, Any] = _format_defaults(sub, wanted)
        for param in sub.params:
            if param.name == "fmt" and wanted in getattr(param.type, "choices", ()):
                entry["fmt"] = wanted
        if entry:
            found[name] = entry
    return found
