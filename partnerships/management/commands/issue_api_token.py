from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from partnerships import services


class Command(BaseCommand):
    help = "Issue an API token for a user; the key is printed once, as the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--read-only", action="store_true", help="The token may only read.")
        parser.add_argument("--days", type=int, default=None, help="Expire after this many days (default: never).")
        parser.add_argument("--name", default="", help="What the token is for, e.g. the agency system's name.")

    def handle(self, *args, username, read_only, days, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            token, key = services.api_token_issue(user=user, read_only=read_only, days=days, name=name)
        except services.OfficerRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        expiry = token.expires_at.strftime("%Y-%m-%d %H:%M UTC") if token.expires_at else "never"
        kind = "read-only" if token.read_only else "read-write"
        self.stdout.write(f"Issued a {kind} token for {username}, expiring {expiry}. Keep the key secret:")
        self.stdout.write(key)
