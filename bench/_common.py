"""What the benchmarks share: Django set up on the bench database, timing, query counts, the officer.

Benchmarks measure; they do not pass or fail. They are not part of the test suite.
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "30"))


def load():
    """The machine's load average over the last minute: other work shares these two cores."""
    return f"load {os.getloadavg()[0]:.2f}"


def timed(function, runs=RUNS, warm=3):
    """(median, p95) in milliseconds over `runs` calls after `warm` unmeasured ones."""
    for _ in range(warm):
        function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def percentiles(samples):
    samples = sorted(samples)
    return statistics.median(samples), samples[max(0, -(-len(samples) * 95 // 100) - 1)]


def raw_sql(statement, params):
    """A function that runs one statement through Django's cursor and fetches its rows: a floor, timed."""
    def run():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()
    return run


def query_count(function):
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def line(name, median, p95, queries=None, width=52):
    counted = f"   {queries:3d} queries" if queries is not None else ""
    print(f"{name:{width}s} median {median:8.2f} ms   p95 {p95:8.2f} ms{counted}   ({load()})", flush=True)


def scale_officer(acronym="S0001"):
    """An officer of one seeded agency: with --shares 9 of 200 agencies it sees about 5 % of the cases."""
    from partnerships.models import Officer

    return Officer.objects.filter(agency__acronym=acronym).select_related("user", "agency").order_by("pk").first()


def signed_in_client(user):
    """A test client signed in with password and a verified second factor, as the portal demands."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def get_ok(client, path, **extra):
    """GET that must answer 200: a benchmark of an error page measures nothing."""
    response = client.get(path, **extra)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}: {response.content[:300]!r}")
    return response
