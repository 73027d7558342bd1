"""`manage.py backup`: pg_dump of the portal's database, with a manifest to check a restore against."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import backups


class Command(BaseCommand):
    help = ("Back up the PostgreSQL database with pg_dump (custom format) and write a manifest next to it "
            "(FILE.json: row counts, audit chain, SHA-256). Check it with `manage.py restore_drill FILE`.")

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, metavar="FILE",
                            help="Where to write the dump (default: var/backups/portal-<UTC time>.dump).")
        parser.add_argument("--with-attachments", action="store_true",
                            help="Also archive ATTACHMENTS_ROOT into FILE.attachments.tar.gz.")

    def handle(self, *args, output, with_attachments, **options):
        try:
            dump, manifest = backups.backup(output, with_attachments=with_attachments)
        except backups.BackupError as error:
            raise CommandError(f"Backup FAILED: {error}") from error
        chain = manifest["audit"]
        self.stdout.write(f"Backed up {manifest['database']} to {dump} ({manifest['dump']['size']} bytes, "
                          f"{len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows; "
                          f"pg_dump {manifest['pg_dump_version']}).")
        self.stdout.write(f"Manifest: {backups.manifest_path(dump)}")
        if "attachments" in manifest:
            self.stdout.write(f"Attachments: {manifest['attachments']['files']} files in "
                              f"{backups.attachments_path(dump)}")
        if chain["broken_at"] is not None:
            self.stderr.write(f"Warning: the audit chain is broken at record #{chain['broken_at']} in the database "
                              "backed up (see `manage.py verify_audit`); the backup keeps it as it is.")
        else:
            self.stdout.write(f"Audit chain: {chain['verified']} records verified, last hash {chain['last_hash']}.")
