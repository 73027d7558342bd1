"""`manage.py restore_drill FILE`: prove a backup restores, in a scratch database dropped afterwards."""

from django.core.management.base import BaseCommand, CommandError

from portal import backups


class Command(BaseCommand):
    help = ("Restore a backup into a scratch database, compare it with its manifest (row counts, audit chain, "
            "attachments) and drop it. Exits non-zero on any difference.")

    def add_arguments(self, parser):
        parser.add_argument("dump", metavar="FILE", help="A dump written by `manage.py backup`.")
        parser.add_argument("--keep", action="store_true", help="Keep the scratch database to look at it.")

    def handle(self, *args, dump, keep, **options):
        try:
            result = backups.drill(dump, keep=keep, say=self.stdout.write)
        except backups.BackupError as error:
            raise CommandError(f"Restore drill FAILED: {error}") from error
        if result.differences:
            raise CommandError(f"Restore drill FAILED: {len(result.differences)} differences from the manifest "
                               "(listed above as DIFFERENT).")
        self.stdout.write("Restore drill passed: the backup restores and matches its manifest.")
