"""`leadcli admin`: set up the team's PostgreSQL store, add people to its roles, upgrade it.

What the SQL is lives in `store.team` and `store.migrations`; this runs it on a connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leadcli.errors import LeadcliError, UsageError
from leadcli.store.connection import Connection, Refused, StoreError
from leadcli.store.dialects import postgres
from leadcli.store.team import GROUPS, Team, check_name, database_sql, grant_sql, grants_sql, settings_sql


def _connect(url: str) -> Connection:
    if not postgres.POSTGRES.accepts(url):
        raise UsageError("leadcli admin works on a server store: give --database-url (LEADCLI_DATABASE_URL)")
    return postgres.POSTGRES.connect(url)


def setup_script(team: Team, database: str) -> str:
    """The whole set-up as SQL for psql: roles, the database's doors, the schema, its tables, grants."""
    from leadcli.store.migrations import server_script

    schema = team.schema
    return "\n".join(
        [
            f"-- leadcli team store: database {database}, schema {schema}, roles {team.prefix}_*",
            "-- Run as a superuser (or the database's owner with CREATEROLE).",
            database_sql(team, database),
            f"SET ROLE {team.role('owner')};",
            f"SET search_path = {schema}, pg_catalog, pg_temp;",
            server_script(postgres.POSTGRES).replace("{schema}", schema),
            settings_sql(team),
            grants_sql(team),
            "RESET ROLE;",
        ]
    )


def _run(connection: Connection, url: str, sql: str) -> None:
    try:
        connection.script(sql)
    except Exception as exc:
        raise StoreError(_why(url, exc)) from None


def _why(url: str, exc: Exception) -> str:
    text = postgres.scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, url)
    if getattr(exc, "sqlstate", None) == "42501":
        return (
            f"the server refused: {text}"
            " (leadcli admin setup --apply runs as a superuser or the database's owner)"
        )
    return f"the server refused: {text}"


def apply_setup(url: str, team: Team) -> list[str]:
    """Run the set-up on the server `url` names; the migrations it applied."""
    from leadcli.store.migrations import migrate

    connection = _connect(url)
    try:
        database = connection.execute("SELECT current_database()").fetchone()[0]
        _run(connection, url, database_sql(team, database))
        _run(connection, url, f"SET ROLE {team.role('owner')}")
        connection.execute(
            "SELECT set_config('search_path', ? || ', pg_catalog, pg_temp', false)", (team.schema,)
        )
        connection.schema = team.schema  # a checked name: lower-case letters, digits and _
        ran = migrate(connection)
        _run(connection, url, settings_sql(team) + grants_sql(team) + "RESET ROLE;")
        return ran
    finally:
        connection.close()


@dataclass(frozen=True)
class Upgrade:
    ran: list[str]
    owner: str


def migrate_store(url: str) -> Upgrade:
    """Apply the migrations this leadcli has and the store lacks, as the store's owner; grants and
    policies are then laid again, so new tables have theirs."""
    from leadcli.store.migrations import migrate, pending

    connection = _connect(url)
    try:
        found = connection.execute(
            "SELECT session_user, current_schema(), n.nspowner::regrole::text,"
            " pg_has_role(session_user, n.nspowner, 'MEMBER')"
            " FROM pg_namespace n WHERE n.oid = to_regnamespace(?)",
            (connection.schema,),
        ).fetchone()
        if found is None:
            raise StoreError(
                f"there is no schema {connection.schema} on this server; create it with `leadcli admin setup`"
            )
        user, schema, owner, allowed = str(found[0]), str(found[1]), str(found[2]), bool(found[3])
        if not allowed:
            raise Refused(
                f"only the store's owner (role {owner}) upgrades it; {user} is not a member"
                f" (an administrator adds one with `leadcli admin grant owner LOGIN`)"
            )
        _run(connection, url, f'SET ROLE "{owner}"')
        pending(connection)  # refuses a store from a newer leadcli
        try:
            ran = migrate(connection)
        except LeadcliError:
            raise
        except Exception as exc:
            raise StoreError(connection.describe(exc)) from None
        prefix = connection.execute("SELECT value FROM store_settings WHERE name = 'roles'").fetchone()
        if prefix is not None:
            _run(connection, url, grants_sql(Team(schema=schema, prefix=prefix[0])))
        return Upgrade(ran=ran, owner=owner)
    finally:
        connection.close()


def store_team(connection: Connection) -> Team:
    row = None
    if connection.execute("SELECT to_regclass('store_settings') IS NOT NULL").fetchone()[0]:
        row = connection.execute("SELECT value FROM store_settings WHERE name = 'roles'").fetchone()
    if row is None:
        raise StoreError("this store has no team roles yet; set them up with `leadcli admin setup --apply`")
    return Team(schema=connection.schema, prefix=row[0])


def grant(url: str, group: str, login: str, password: str | None = None) -> tuple[Team, bool]:
    """Make `login` a member of one of the store's groups (creating the login if it is new), and
    give it `password` (sent to the server only as a SCRAM hash). The team, and whether the login is new."""
    if group not in GROUPS:
        raise UsageError(f"no group {group!r}; the groups are: {', '.join(GROUPS)}")
    check_name(login, "login")
    connection = _connect(url)
    try:
        team = store_team(connection)
        exists = bool(connection.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", (login,)).fetchone())
        _run(connection, url, grant_sql(team, group, login, exists=exists))
        if password is not None:
            _set_password(connection, url, login, password)
        return team, not exists
    finally:
        connection.close()


def _set_password(connection: Any, url: str, login: str, password: str) -> None:
    from psycopg import sql

    hashed = connection.raw.pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256")
    statement = sql.SQL("ALTER ROLE {} PASSWORD {}").format(
        sql.Identifier(login), sql.Literal(hashed.decode())
    )
    try:
        connection.raw.execute(statement)
    except Exception as exc:
        raise StoreError(_why(url, exc)) from None
