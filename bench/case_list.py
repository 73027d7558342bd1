"""Benchmark: a page of 50 cases for an officer who sees about 5 %, three ways, side by side.

    DATABASE_URL=postgres://.../portal_bench python manage.py seed_scale --cases 200000 --yes
    DATABASE_URL=postgres://.../portal_bench python bench/case_list.py

Not part of the test suite: it measures, it does not pass or fail.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from guardian.shortcuts import get_objects_for_user  # noqa: E402

from partnerships import access, selectors  # noqa: E402
from partnerships.models import JointCase, Officer  # noqa: E402

RUNS = 30


def timed(function):
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main():
    officer = Officer.objects.filter(agency__acronym="S0001").select_related("user", "agency").first()
    user = officer.user
    visible = access.cases_visible_to(user).count()
    total = JointCase.objects.count()
    view = access._permission_id("view")

    def portal():
        list(selectors.case_list(user=user).order_by("-updated_at", "-id")[:50])

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.id, c.reference, c.title, c.updated_at FROM partnerships_jointcase c "
                "WHERE EXISTS (SELECT 1 FROM partnerships_jointcasegroupobjectpermission p "
                "WHERE p.content_object_id = c.id AND p.group_id = %s AND p.permission_id = %s) "
                "ORDER BY c.updated_at DESC, c.id DESC LIMIT 50", [officer.agency.group_id, view])
            cursor.fetchall()

    def guardian():
        list(get_objects_for_user(user, "partnerships.view_jointcase", klass=JointCase,
                                  accept_global_perms=False).order_by("-updated_at", "-id")[:50])

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    def page():
        client.get("/cases/")

    def api():
        client.get("/api/v1/cases/?page_size=50")

    rows = [("hand-written SQL (floor)", floor), ("portal queryset (Exists)", portal),
            ("guardian get_objects_for_user", guardian), ("case list page, full request", page),
            ("API page of 50, full request", api)]
    print(f"cases {total}, visible to the officer {visible} ({100 * visible / total:.1f} %), {RUNS} runs each")
    for name, function in rows:
        median, p95 = timed(function)
        print(f"{name:34s} median {median:8.2f} ms   p95 {p95:8.2f} ms")
    for name, path in (("case list page", "/cases/"), ("API page of 50", "/api/v1/cases/?page_size=50")):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(f"queries per request, {name}: {len(queries)}")


if __name__ == "__main__":
    main()
