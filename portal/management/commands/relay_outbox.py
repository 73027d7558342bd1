"""Publish the Celery tasks that the outbox still holds (portal/outbox.py), oldest first.

    manage.py relay_outbox                      # one pass, then exit
    manage.py relay_outbox --loop --interval 5  # the `relay` service: a pass every 5 seconds, for ever
    manage.py relay_outbox --status             # how many wait, and since when

It does not need Redis to start, nor the database to stay up: a pass that fails is logged and the
next one tries again. Two relays may run at once; they never publish the same message twice.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from portal import outbox
from portal.celery import app

logger = logging.getLogger(__name__)
PRUNE_EVERY_SECONDS = 3600


class Command(BaseCommand):
    help = "Publish the pending tasks of the outbox to the Celery broker, oldest first."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep relaying until stopped (SIGTERM or Ctrl-C)")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes with --loop")
        parser.add_argument("--status", action="store_true", help="print what is pending and exit")

    def handle(self, *args, loop, interval, status, **options):
        app.loader.import_default_modules()  # every app's tasks, so that each is published with its own options
        if status:
            pending, oldest = outbox.outbox_status()
            since = f", the oldest since {oldest:%Y-%m-%d %H:%M:%S %Z}" if oldest else ""
            self.stdout.write(f"{pending} pending{since}")
            return
        if not loop:
            self.stdout.write(f"{outbox.relay_outbox()} published")
            outbox.outbox_prune()
            return
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
        logger.info("Outbox relay started: a pass every %s s", interval)
        pruned_at = 0.0
        while not stopping:
            try:
                published = outbox.relay_outbox()
                if published:
                    logger.info("Outbox relay published %s task(s)", published)
                if time.monotonic() - pruned_at > PRUNE_EVERY_SECONDS:
                    outbox.outbox_prune()
                    pruned_at = time.monotonic()
            except Exception:  # noqa: BLE001 - the database is down or restarting: try again next pass
                logger.exception("Outbox relay pass failed; retrying in %s s", interval)
                connection.close()  # a dead connection is replaced at the next pass
            close_old_connections()
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.2, interval))
        logger.info("Outbox relay stopped")
