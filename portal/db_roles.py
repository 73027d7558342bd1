"""Two database roles on PostgreSQL: the owner runs migrations, the runtime role runs the portal.

The runtime role (the user of DATABASE_URL) may read and write the portal's tables, but only SELECT and INSERT
the audit tables: no UPDATE, DELETE, TRUNCATE, ALTER, DISABLE TRIGGER or DROP (those need the owner). `migrate`
connects as the owner when DATABASE_OWNER_URL is set (portal/management/commands/migrate.py) and grants the
runtime role its privileges afterwards, so a new table is covered by the next migration. docs/operations.md says
how to create the roles on an existing PostgreSQL.
"""

from contextlib import contextmanager

import dj_database_url
from django.conf import settings
from django.db import connections

# Tables whose rows no one may change or remove once written (partnerships/audit.py).
APPEND_ONLY_TABLES = ("partnerships_auditevent", "partnerships_auditseal")


def runtime_role(alias="default"):
    return connections[alias].settings_dict["USER"]


@contextmanager
def as_owner(alias="default"):
    """The connection `alias` as the owner of DATABASE_OWNER_URL, for the duration (same database name, so that a
    test database keeps its name)."""
    connection = connections[alias]
    owner = dj_database_url.parse(settings.DATABASE_OWNER_URL)
    saved = {key: connection.settings_dict.get(key) for key in ("USER", "PASSWORD", "HOST", "PORT")}
    connection.close()
    connection.settings_dict.update({key: owner[key] for key in saved if owner.get(key) not in (None, "")})
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def grant_runtime_privileges(role, alias="default"):
    """Run as the owner: the runtime role's privileges on every table and sequence of the schema."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    append_only = ", ".join(quote(table) for table in APPEND_ONLY_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {quote(role)}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quote(role)}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quote(role)}")
        cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {append_only} FROM {quote(role)}")
        cursor.execute(f"REVOKE TRUNCATE ON ALL TABLES IN SCHEMA public FROM {quote(role)}")
