"""`leadcli admin`: looking after the team store. Each subcommand is a module of its own that adds
itself to this group (`admin_store.py`: setup, grant, migrate;
`admin_questions.py`: publish-questions)."""

from __future__ import annotations

import typer

app = typer.Typer(
    no_args_is_help=True,
    help="Set up and look after the team store (its owner and managers; see docs/team-store.md).\n\n"
    "\b\nExample: leadcli admin grant interviewer kim",
)
