"""A large synthetic data set for benchmarks (PostgreSQL): agencies, officers, cases and their shares.

Bulk inserts and COPY, not the services: nothing is notified or audited, so never run it on a real
portal. Each case is led by one agency and shared at view level with --shares other agencies, so an
officer sees about (1 + shares) / agencies of the cases.
"""

import io
import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction

from partnerships.models import Agency, JointCase, JointCaseGroupObjectPermission, Officer

BATCH = 50_000


class Command(BaseCommand):
    help = "Create a large synthetic data set for benchmarks (PostgreSQL only; refuses without --yes)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--agencies", type=int, default=200)
        parser.add_argument("--officers", type=int, default=2_000)
        parser.add_argument("--shares", type=int, default=9, help="partner agencies per case (view level)")
        parser.add_argument("--yes", action="store_true", help="I know this writes synthetic data")

    def handle(self, *args, cases, agencies, officers, shares, yes, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL (it uses COPY).")
        if not yes:
            raise CommandError("This writes synthetic data into the database; add --yes to go ahead.")
        if min(cases, agencies, officers) < 1 or not 0 <= shares < agencies:
            raise CommandError("Give positive counts, and fewer shares than agencies.")
        random.seed(2026)
        started = time.monotonic()
        with transaction.atomic():
            groups = self._agencies(agencies)
            self._officers(officers, groups)
            self._cases(cases, groups, shares)
        self.stdout.write(f"seed_scale: {cases} cases, {agencies} agencies, {officers} officers "
                          f"in {time.monotonic() - started:.1f} s")

    def _agencies(self, count):
        made = []
        for number in range(count):
            acronym = f"S{number:04d}"
            agency, _created = Agency.objects.get_or_create(acronym=acronym, defaults={
                "name_en": f"Scale agency {number}", "name_fr": f"Organisme d'essai {number}",
                "country": "CA" if number % 2 else "US", "level": "municipal"})
            made.append((agency.pk, agency.group_id))
        return made

    def _officers(self, count, agencies):
        User = get_user_model()
        start = User.objects.count()
        users = User.objects.bulk_create([User(username=f"scale{start + n}", password="!") for n in range(count)],
                                         batch_size=BATCH)
        officer_rows = []
        memberships = []
        for index, user in enumerate(users):
            agency_id, group_id = agencies[index % len(agencies)]
            officer_rows.append(Officer(user=user, agency_id=agency_id, first_name="Scale", last_name=str(index),
                                        badge_number=f"SC-{start + index}"))
            memberships.append(User.groups.through(user_id=user.pk, group_id=group_id))
        Officer.objects.bulk_create(officer_rows, batch_size=BATCH)
        User.groups.through.objects.bulk_create(memberships, batch_size=BATCH)

    def _cases(self, count, agencies, shares):
        perms = {code: Permission.objects.get(codename=code, content_type__app_label="partnerships").pk
                 for code in ("view_jointcase", "contribute_jointcase", "manage_jointcase")}
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM partnerships_jointcase")
            first_id = cursor.fetchone()[0] + 1
        programs, statuses = ["shiprider", "ibet", "best"], ["open", "active", "closed"]
        cases, grants = io.StringIO(), io.StringIO()
        for offset in range(count):
            case_id = first_id + offset
            lead_agency, lead_group = random.choice(agencies)
            cases.write(f"{case_id}\tSCALE-{case_id:09d}\tScale case {case_id}\t\t{random.choice(programs)}\t"
                        f"{random.choice(statuses)}\t{lead_agency}\tca_us\tH0\t2026-01-01\t\\N\t\\N\t"
                        f"2026-01-01 00:00:00+00\t2026-01-01 00:00:{offset % 60:02d}.{offset:06d}+00\n")
            for perm in perms.values():
                grants.write(f"{lead_group}\t{perm}\t{case_id}\n")
            for _agency, group in random.sample([a for a in agencies if a[1] != lead_group], shares):
                grants.write(f"{group}\t{perms['view_jointcase']}\t{case_id}\n")
        cases.seek(0)
        grants.seek(0)
        case_table = JointCase._meta.db_table
        grant_table = JointCaseGroupObjectPermission._meta.db_table
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {case_table} (id, reference, title, summary, program, status, lead_agency_id, releasability,"
                f" handling_code, opened_at, closed_at, created_by_id, created_at, updated_at) FROM STDIN", cases)
            cursor.copy_expert(f"COPY {grant_table} (group_id, permission_id, content_object_id) FROM STDIN", grants)
            for statement in connection.ops.sequence_reset_sql(no_style(), [JointCase]):  # past the copied ids
                cursor.execute(statement)
            cursor.execute(f"ANALYZE {case_table}; ANALYZE {grant_table}; ANALYZE auth_user_groups")
