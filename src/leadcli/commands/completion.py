"""`leadcli completion SHELL`: the script that gives leadcli tab completion in that shell."""

from __future__ import annotations

from typing import Literal

import typer

Shell = Literal["bash", "zsh", "fish"]


def completion(shell: Shell = typer.Argument(..., help="bash, zsh or fish.")) -> None:
    """Print the shell completion script: commands, options, choices, ids, organizations, offerings.

    \b
    Example (bash): eval "$(leadcli completion bash)"
    """
    from typer.completion import get_completion_script

    from leadcli.cli import COMPLETE_VAR

    typer.echo(get_completion_script(prog_name="leadcli", complete_var=COMPLETE_VAR, shell=shell))
