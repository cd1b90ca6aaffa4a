"""`leadcli outcome`: record what came of the conversations with an organization."""

from __future__ import annotations

import typer

from leadcli.commands._common import complete_offerings, complete_organizations, load_content, open_store
from leadcli.vocabulary import OutcomeResult


def outcome(
    ctx: typer.Context,
    organization: str = typer.Argument(
        ...,
        metavar="ORG",
        help="Organization name, any case; a unique part will do.",
        autocompletion=complete_organizations,
    ),
    result: OutcomeResult = typer.Option(..., "--result", help="What came of it."),
    offerings: list[str] = typer.Option(
        [],
        "--offering",
        metavar="ID",
        help="Offering id taken up or discussed (repeat for more).",
        autocompletion=complete_offerings,
    ),
    when: str | None = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="When; default today."),
    note: str = typer.Option("", "--note", metavar="TEXT", help="A short note."),
) -> None:
    """Record what came of the conversations with an organization; the latest outcome counts.

    \b
    Example: leadcli outcome "St Mary's" --result engaged --offering whole-system-quality
    """
    from leadcli.render.wording import outcome_text
    from leadcli.services.outcomes import record_outcome
    from leadcli.untrusted import visible

    content = load_content(ctx)
    with open_store(ctx) as store:
        saved = record_outcome(
            store, content, organization, result, offerings=offerings, when=when, note=note
        )
    typer.echo(visible(f"{saved.organization}: {outcome_text(saved)}", lines=False))
