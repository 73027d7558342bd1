"""`manage.py restore FILE --into DBNAME`: a real restore, into an empty database only."""

from django.core.management.base import BaseCommand, CommandError

from portal import backups


class Command(BaseCommand):
    help = ("Restore a backup written by `manage.py backup` into an existing, empty database and compare it with "
            "its manifest. Point DATABASE_URL at that database afterwards.")

    def add_arguments(self, parser):
        parser.add_argument("dump", metavar="FILE", help="A dump written by `manage.py backup`.")
        parser.add_argument("--into", required=True, metavar="DBNAME",
                            help="The empty database to restore into, on the configured server.")
        parser.add_argument("--attachments-into", metavar="DIR",
                            help="Also unpack FILE.attachments.tar.gz into this empty folder "
                                 "(the new ATTACHMENTS_ROOT).")

    def handle(self, *args, dump, into, attachments_into, **options):
        try:
            result = backups.restore(dump, into=into, attachments_into=attachments_into, say=self.stdout.write)
        except backups.BackupError as error:
            raise CommandError(f"Restore FAILED: {error}") from error
        if result.differences:
            raise CommandError(f"Restored into {into}, but it differs from the manifest in "
                               f"{len(result.differences)} ways (listed above as DIFFERENT): do not use it before "
                               "finding out why.")
        self.stdout.write(f"Restore complete: {into} matches the manifest.")
