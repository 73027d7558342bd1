"""Load the demo agencies, officers, accounts and cases, and each program's demo (portal/demo.py composes them).
Running it twice changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnerships.demo import ACCOUNTS, DEMO_PASSWORD
from portal import demo


class Command(BaseCommand):
    help = "Load demo agencies, officers, accounts and cases (idempotent). Refused when DEBUG is off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Create demo accounts even when DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a real deployment, and demo accounts have a published password. "
                "Use --force if you really mean it."
            )
        with transaction.atomic():
            created = demo.load()
        self.stdout.write(
            f"Demo data: {created['agencies']} agencies, {created['officers']} officers, "
            f"{created['cases']} cases created (existing rows left as they were)."
        )
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        for username, acronym, description in ACCOUNTS:
            self.stdout.write(f"  {username:<18} {acronym:<5} {description}")
        self.stdout.write(
            "Every sign-in asks for a second factor. At the first sign-in, scan the QR code with any authenticator "
            "app, or print a demo account's code with: python manage.py demo_code <username>"
        )
