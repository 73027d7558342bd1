"""`migrate` as the database owner when DATABASE_OWNER_URL is set, then the runtime role's privileges.

Everything else (web, workers, beat, the relay and the sealer) runs as the runtime role of DATABASE_URL, which
cannot change or remove audit records (portal/db_roles.py)."""

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from portal import db_roles


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        alias = options["database"]
        if not settings.DATABASE_OWNER_URL or connections[alias].vendor != "postgresql":
            return super().handle(*args, **options)
        role = db_roles.runtime_role(alias)
        with db_roles.as_owner(alias):
            super().handle(*args, **options)
            db_roles.grant_runtime_privileges(role, alias)
        if options["verbosity"]:
            self.stdout.write(f"Migrated as the owner; privileges granted to the runtime role {role}.")
