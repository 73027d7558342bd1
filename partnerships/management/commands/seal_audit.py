import time

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, close_old_connections

from partnerships import audit

# One round in this many also looks below the newest sealed record for records that committed out of order.
STRAGGLERS_EVERY = 10


class Command(BaseCommand):
    help = ("Seal the committed audit records into the hash chain. With --loop, the sealer process: about every "
            "second (docker-compose's sealer service); two sealers at once are safe, one waits its turn.")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep sealing until stopped")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between rounds (with --loop)")

    def handle(self, *args, loop=False, interval=1.0, **options):
        if not loop:
            self.stdout.write(f"{audit.seal_all()} records sealed.")
            return
        rounds = 0
        while True:
            try:
                audit.seal(stragglers=rounds % STRAGGLERS_EVERY == 0)
                rounds += 1
            except (OperationalError, InterfaceError) as error:  # the database is away for a moment: try again
                self.stderr.write(f"sealing failed, retrying: {error}")
                close_old_connections()
            time.sleep(interval)
