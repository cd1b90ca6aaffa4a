"""`leadcli config`: the user's defaults (interviewer, region, database URL, output format)."""

from __future__ import annotations

import typer

app = typer.Typer(
    no_args_is_help=True,
    help="Show or change your defaults (a TOML file; options win).\n\n"
    "\b\nExample: leadcli config set interviewer Kim",
)

_KEY_HELP = "interviewer, region, database_url or format."


def _complete_keys(incomplete: str) -> list[str]:
    from leadcli.config import KEYS

    return [k for k in KEYS if k.startswith(incomplete)]


@app.command("path")
def path() -> None:
    """Print where the config file is (LEADCLI_CONFIG overrides it).

    \b
    Example: leadcli config path
    """
    from leadcli.config import config_path

    typer.echo(config_path())


@app.command("list")
def list_settings() -> None:
    """Print every setting, set or not, with what it does.

    \b
    Example: leadcli config list
    """
    from leadcli.config import KEYS, load_config
    from leadcli.untrusted import visible

    config = load_config()
    for key, meaning in KEYS.items():
        value = config.get(key)
        shown = visible(value, lines=False) if value else "(not set)"
        typer.echo(f"{key} = {shown}    # {meaning}")


@app.command("get")
def get(key: str = typer.Argument(..., help=_KEY_HELP, autocompletion=_complete_keys)) -> None:
    """Print one setting (nothing when it is not set).

    \b
    Example: leadcli config get interviewer
    """
    from leadcli.config import KEYS, load_config
    from leadcli.errors import UsageError
    from leadcli.untrusted import visible

    if key not in KEYS:
        raise UsageError(f"unknown setting {key!r}; known: {', '.join(KEYS)}")
    value = load_config().get(key)
    if value:
        typer.echo(visible(value, lines=False))


@app.command("set")
def set_(
    key: str = typer.Argument(..., help=_KEY_HELP, autocompletion=_complete_keys),
    value: str = typer.Argument(..., help="The value."),
) -> None:
    """Set one default.

    \b
    Example: leadcli config set interviewer "Kim Lee"
    """
    from leadcli.commands._common import message
    from leadcli.config import set_value

    config = set_value(key, value)
    message(f"{key} set in {config.path}")


@app.command("unset")
def unset(key: str = typer.Argument(..., help=_KEY_HELP, autocompletion=_complete_keys)) -> None:
    """Remove one default.

    \b
    Example: leadcli config unset region
    """
    from leadcli.commands._common import message
    from leadcli.config import unset_value

    config = unset_value(key)
    message(f"{key} removed from {config.path}")
