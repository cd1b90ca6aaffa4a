"""Who may do what on the team's PostgreSQL store: group roles, grants and row-level security.

The database enforces it, so `psql` with a member's login is held to the same rules as leadcli:

- **owner** owns the schema and every object in it; only the owner upgrades (`leadcli admin migrate`).
- **manager** reads and changes every record, assigns interviews, reads the audit trail, erases.
- **interviewer** creates interviews; changes, reflects on, resumes and deletes only those assigned
  to them (their own, unless a manager assigned them elsewhere); reads the team's records.
- **reader** reads the team's records.

leadcli's internal tables are read by the team and written only by the triggers and the narrow
SECURITY DEFINER functions of migration 010_team_security (owned by the owner, with a fixed search_path).
Everything here is SQL text; `services.admin` runs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_SCHEMA = "leadcli"
DEFAULT_PREFIX = "leadcli"
GROUPS = ("owner", "manager", "interviewer", "reader")

# How each table of the server store is shared. A table a migration adds must be named here (a
# test checks every table of the schema has a kind):
#   interview  the interview row: the team reads, writers add, its assignee or a manager changes
#   part       rows of one interview (an `interview_id` column): whoever may change it may change them
#   shared     team records anyone writing may add to; only managers change or delete them
#   managed    team records only managers add, change or delete (the team reads them)
#   internal   leadcli's own: the team reads; only triggers and owner functions write
#   trail      the audit trail: managers read; only the triggers write
TABLES: dict[str, str] = {
    "interviews": "interview",
    "contacts": "part",
    "answers": "part",
    "reflections": "part",
    "follow_ups": "part",
    "note_lines": "part",  # 012_note_lines: an answer's lines
    "value_history": "part",  # 012_note_lines: the values that lost a merge
    "outcomes": "shared",
    "question_sets": "shared",  # recorded by whoever first uses a set; a version names one text
    "question_publications": "managed",  # `leadcli admin publish-questions`
    "migrations": "internal",
    "snapshots": "internal",
    "assessment_cache": "internal",
    "interview_leases": "internal",
    "store_settings": "internal",
    "erasures": "internal",  # 020_erasures: written only by erase_organization
    "audit": "trail",
}

# The functions of migrations 010_team_security, 015_lease_machine and 016_one_call_lines each group
# may call (triggers need no grant to fire).
FUNCTIONS: dict[str, tuple[str, ...]] = {
    "add_snapshot(TEXT, INTEGER, TEXT)": ("manager", "interviewer"),
    "keep_levels(TEXT, TEXT, TEXT)": ("manager", "interviewer"),
    "take_lease(TEXT, TEXT, TEXT, INTEGER, TEXT)": ("manager", "interviewer"),  # 015_lease_machine
    "release_lease(TEXT, TEXT, INTEGER)": ("manager", "interviewer"),
    # 016_one_call_lines: runs as its caller, so it gives nobody a right they lack
    "add_note_line(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, INTEGER)": (
        "manager",
        "interviewer",
    ),
    # 021_server_integrity: the deletes an interviewer makes (they have no table-level DELETE)
    "forget_rows(TEXT, TEXT, TEXT)": ("manager", "interviewer"),
    "name_key(TEXT)": ("manager", "interviewer", "reader"),
    "may_change(TEXT)": ("manager", "interviewer", "reader"),
    "note_export(INTEGER)": ("manager", "interviewer", "reader"),
    "interview_history(TEXT)": ("manager", "interviewer", "reader"),
    "erase_organization(TEXT)": ("manager",),
}

# Interview columns nobody but a manager sets (the database sets authorship itself).
_MANAGED_COLUMNS = ("id", "rowid", "created_by", "assigned_to", "claimed_by")
# Interview columns fixed once the row is stored, or worked out by the database (021_server_integrity):
# interviewers may not UPDATE them at all (a trigger refuses a change of uid or created_at to anyone,
# and works the keys out from the names).
_FIXED_COLUMNS = (
    "uid", "created_at", "org_key", "interviewer_key", "snapshot", "snapshot_sha256", "framework_version",
    "framework_sha256", "questions_version", "questions_sha256", "questions_source",
)  # fmt: skip
# Part tables whose rows the team only adds to (021_server_integrity), with the columns any writer,
# managers too, may UPDATE; nobody in the team deletes their rows (they go with their interview).
_ADDED_ONLY: dict[str, tuple[str, ...]] = {
    "note_lines": ("gone",),  # a line's text, author and stamp never change; an edit marks it gone
    "value_history": (),
}

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")


def check_name(name: str, what: str) -> str:
    """A schema, role or login name leadcli writes into SQL: lower-case letters, digits and _."""
    from leadcli.errors import UsageError

    if not _NAME.match(name):
        raise UsageError(
            f"{what} {name!r}: use lower-case letters, digits and _ (at most 41, not a digit first)"
        )
    return name


@dataclass(frozen=True)
class Team:
    """One store's schema and its four group roles (`PREFIX_owner`, `PREFIX_manager`, ...)."""

    schema: str = DEFAULT_SCHEMA
    prefix: str = DEFAULT_PREFIX

    def role(self, group: str) -> str:
        return f"{self.prefix}_{group}"

    @property
    def roles(self) -> list[str]:
        return [self.role(g) for g in GROUPS]

    def team(self, *groups: str) -> str:
        return ", ".join(self.role(g) for g in groups)


def database_sql(team: Team, database: str) -> str:
    """The group roles and the database's doors: nothing for PUBLIC, CONNECT for the team."""
    roles = "\n".join(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '{r}') THEN"
        f" CREATE ROLE {r} NOLOGIN; END IF; END $$;"
        for r in team.roles
    )
    return f"""{roles}
REVOKE CONNECT, TEMPORARY ON DATABASE "{database}" FROM PUBLIC;
GRANT CONNECT ON DATABASE "{database}" TO {team.team(*GROUPS)};
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA IF NOT EXISTS {team.schema} AUTHORIZATION {team.role("owner")};
REVOKE ALL ON SCHEMA {team.schema} FROM PUBLIC;
GRANT USAGE ON SCHEMA {team.schema} TO {team.team("manager", "interviewer", "reader")};
"""


def settings_sql(team: Team) -> str:
    return (
        f"INSERT INTO {team.schema}.store_settings (name, value) VALUES"
        f" ('roles', '{team.prefix}'), ('manager_role', '{team.role('manager')}')"
        " ON CONFLICT (name) DO UPDATE SET value = excluded.value;\n"
    )


def _policy(table: str, name: str, rule: str) -> str:
    return f"DROP POLICY IF EXISTS {name} ON {table};\nCREATE POLICY {name} ON {table} {rule};\n"


def grants_sql(team: Team) -> str:
    """Grants and policies for every table and function, from nothing (safe to run again).

    Runs as the owner, with the store's schema first on the search_path.
    """
    everyone = team.team("manager", "interviewer", "reader")
    writers = team.team("manager", "interviewer")
    manager, interviewer = team.role("manager"), team.role("interviewer")
    mine = "assigned_to = session_user"
    my_interview = "interview_id IN (SELECT id FROM interviews WHERE assigned_to = session_user)"
    out = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {team.schema} FROM PUBLIC, {everyone};",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {team.schema} FROM PUBLIC, {everyone};",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {team.schema} TO {writers};",
    ]
    for table, kind in TABLES.items():
        if kind == "trail":
            out.append(f"GRANT SELECT ON {table} TO {manager};")
            out.append(_policy(table, "managers_read", f"FOR SELECT TO {manager} USING (true)"))
            continue
        out.append(f"GRANT SELECT ON {table} TO {everyone};")
        if kind == "internal":
            continue
        out.append(_policy(table, "team_reads", f"FOR SELECT TO {everyone} USING (true)"))
        out.append(_policy(table, "managers_change", f"FOR ALL TO {manager} USING (true) WITH CHECK (true)"))
        # Interviewers get no table-level UPDATE or DELETE anywhere (column-level UPDATE instead,
        # deletes through forget_rows): LOCK TABLE beyond ROW EXCLUSIVE MODE needs one of them.
        if kind == "interview":
            out.append(f"GRANT INSERT ON {table} TO {writers};")
            out.append(f"GRANT UPDATE, DELETE ON {table} TO {manager};")
            out.append(_column_update(team, table, interviewer, (*_MANAGED_COLUMNS, *_FIXED_COLUMNS)))
            out.append(_policy(table, "writers_add", f"FOR INSERT TO {interviewer} WITH CHECK (true)"))
            out.append(
                _policy(
                    table,
                    "assignee_changes",
                    f"FOR UPDATE TO {interviewer} USING ({mine}) WITH CHECK ({mine})",
                )
            )
            out.append(_policy(table, "assignee_deletes", f"FOR DELETE TO {interviewer} USING ({mine})"))
        elif kind == "part" and table in _ADDED_ONLY:
            out.append(f"GRANT INSERT ON {table} TO {writers};")
            if _ADDED_ONLY[table]:
                out.append(f"GRANT UPDATE ({', '.join(_ADDED_ONLY[table])}) ON {table} TO {writers};")
            out.append(
                _policy(
                    table,
                    "assignee_changes",
                    f"FOR ALL TO {interviewer} USING ({my_interview}) WITH CHECK ({my_interview})",
                )
            )
        elif kind == "part":
            out.append(f"GRANT INSERT ON {table} TO {writers};")
            out.append(f"GRANT UPDATE, DELETE ON {table} TO {manager};")
            out.append(_column_update(team, table, interviewer, ("interview_id",)))
            out.append(
                _policy(
                    table,
                    "assignee_changes",
                    f"FOR ALL TO {interviewer} USING ({my_interview}) WITH CHECK ({my_interview})",
                )
            )
        elif kind == "shared":
            out.append(f"GRANT INSERT ON {table} TO {writers};")
            out.append(f"GRANT UPDATE, DELETE ON {table} TO {manager};")
            out.append(_policy(table, "writers_add", f"FOR INSERT TO {interviewer} WITH CHECK (true)"))
        elif kind == "managed":
            out.append(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {manager};")
    for function, groups in FUNCTIONS.items():
        out.append(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC;")
        out.append(f"GRANT EXECUTE ON FUNCTION {function} TO {team.team(*groups)};")
    return "\n".join(out) + "\n"


def _column_update(team: Team, table: str, role: str, excluded: tuple[str, ...]) -> str:
    """GRANT UPDATE on each column of `table` but `excluded` (the columns it has when this runs)."""
    names = ", ".join(f"'{c}'" for c in excluded)
    return (
        "DO $$ DECLARE cols TEXT; BEGIN SELECT string_agg(quote_ident(column_name), ', ')"
        " INTO cols FROM information_schema.columns"
        f" WHERE table_schema = '{team.schema}' AND table_name = '{table}'"
        f" AND column_name NOT IN ({names});"
        f" EXECUTE format('GRANT UPDATE (%s) ON {table} TO {role}', cols); END $$;"
    )


def grant_sql(team: Team, group: str, login: str, *, exists: bool) -> str:
    """Make `login` (created without a password if it does not exist) a member of one group."""
    create = "" if exists else f"CREATE ROLE {login} LOGIN;\n"
    return f"{create}GRANT {team.role(group)} TO {login};\n"
