"""`leadcli admin setup`, `grant` and `migrate`: set up the team's PostgreSQL store, add people to
its roles, upgrade it (they add themselves to the admin group)."""

from __future__ import annotations

import typer

from leadcli.commands._common import message, settings
from leadcli.commands.admin import app


def _url(ctx: typer.Context) -> str:
    from leadcli.errors import UsageError

    url = settings(ctx).database_url
    if not url:
        raise UsageError("leadcli admin works on a server store: give --database-url (LEADCLI_DATABASE_URL)")
    return url


def setup(
    ctx: typer.Context,
    apply: bool = typer.Option(False, "--apply", help="Run it (as a superuser or the database's owner)."),
    schema: str = typer.Option("leadcli", "--schema", help="The schema leadcli's tables live in."),
    roles: str = typer.Option("leadcli", "--roles", help="Prefix of the group roles (PREFIX_owner, ...)."),
    database: str = typer.Option("leadcli", "--database", help="The database (for the printed SQL)."),
) -> None:
    """Print the SQL that sets up the team store: group roles, schema, tables, grants, policies.

    \b
    Example: leadcli admin setup > setup.sql   (read it, then: psql -f setup.sql)
    Example: leadcli --database-url postgresql://postgres@db/leadcli admin setup --apply
    """
    from leadcli.services import admin
    from leadcli.store.team import Team, check_name

    team = Team(schema=check_name(schema, "schema"), prefix=check_name(roles, "roles prefix"))
    if not apply:
        typer.echo(admin.setup_script(team, check_name(database, "database")), nl=False)
        return
    ran = admin.apply_setup(_url(ctx), team)
    message(
        f"set up schema {team.schema} with roles {', '.join(team.roles)}"
        f" ({len(ran)} migration(s) applied); add people with `leadcli admin grant GROUP LOGIN`"
    )


def grant(
    ctx: typer.Context,
    group: str = typer.Argument(..., metavar="GROUP", help="owner, manager, interviewer or reader."),
    login: str = typer.Argument(..., metavar="LOGIN", help="The person's database login (created if new)."),
    password: bool = typer.Option(
        False, "--password", help="Ask for the login's password (typed twice, never shown or sent in clear)."
    ),
) -> None:
    """Add a person to one of the store's groups.

    \b
    Example: leadcli admin grant interviewer ana --password
    """
    from leadcli import prompting
    from leadcli.errors import UsageError
    from leadcli.services import admin

    secret = None
    if password:
        secret = prompting.ask_secret(f"Password for {login}: ")
        if not secret or secret != prompting.ask_secret("Again: "):
            raise UsageError("the two passwords differ (or are empty); nothing was changed")
    team, new = admin.grant(_url(ctx), group, login, secret)
    message(f"{login} is now in {team.role(group)}" + (" (a new login)" if new else ""))
    if new and secret is None:
        message(
            f"set {login}'s password with `leadcli admin grant {group} {login} --password`"
            " (or \\password in psql)"
        )


def migrate(ctx: typer.Context) -> None:
    """Upgrade the store's schema to this leadcli's (the store's owner only).

    \b
    Example: leadcli admin migrate
    """
    from leadcli.services import admin

    done = admin.migrate_store(_url(ctx))
    if done.ran:
        message(f"upgraded the store: {', '.join(done.ran)}")
    else:
        message("the store is up to date")


app.command("setup")(setup)
app.command("grant")(grant)
app.command("migrate")(migrate)
