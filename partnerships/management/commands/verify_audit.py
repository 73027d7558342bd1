from django.core.management.base import BaseCommand, CommandError

from partnerships import audit


class Command(BaseCommand):
    help = "Walk the audit trail's hash chain: name the first broken record (exit 1) or count the verified ones."

    def handle(self, *args, **options):
        count, broken = audit.verify()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at record #{broken.pk} ({broken.at:%Y-%m-%d %H:%M:%S.%f} UTC, "
                f"{broken.action}, {broken.object_ref or '-'}): it or the record before it was changed or "
                f"removed. {count} records before it verified."
            )
        self.stdout.write(f"Audit chain intact: {count} records verified.")
