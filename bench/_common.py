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


def sql_timed(function, runs=RUNS, warm=3):
    """(median, p95) in milliseconds of the time each call spends in its statements (sent, run and fetched): the
    SQL of a function without the Python around it."""
    spent = []

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - started)

    for _ in range(warm):
        function()
    samples = []
    with connection.execute_wrapper(timer):
        for _ in range(runs):
            spent.clear()
            function()
            samples.append(sum(spent) * 1000)
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


# --- a real server: gunicorn with DEBUG off, on loopback -----------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def production_env(extra):
    """The environment of a production-like server on plain http on loopback: DEBUG off, a throwaway key, the rate
    limits raised so that a benchmark's requests are not answered 429."""
    import secrets

    return {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY")
            or secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "0", "API_RATE_LIMIT": "1000000/min",
            "RATE_LIMIT_SEARCH": "1000000/m", "RATE_LIMIT_EXPORT": "1000000/m", "LOG_LEVEL": "WARNING", **extra}


class Gunicorn:
    """`gunicorn portal.wsgi -w <workers>` on `address` with DEBUG off, for the length of a `with` block. With DEBUG
    off the portal refuses to start without the static files' manifest (portal/checks.py): collected first."""

    def __init__(self, address, workers=2, **extra_env):
        self.address, self.workers, self.env = address, workers, production_env(extra_env)

    def __enter__(self):
        import subprocess

        subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput"],  # noqa: S603
                       cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL)
        self.process = subprocess.Popen(  # noqa: S603
            [str(ROOT / ".venv/bin/gunicorn"), "portal.wsgi", "-w", str(self.workers), "-b", self.address],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_until_up(self.address)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    @property
    def pid(self):
        return self.process.pid


def wait_until_up(address):
    """Until the server on `address` answers /healthz (30 s at most)."""
    import urllib.request

    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://{address}/healthz", timeout=1)  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn on {address} did not answer on /healthz")


class HttpSession:
    """GETs to a Gunicorn as a signed-in user: the session of `signed_in_client`, under the cookie name the portal
    uses with DEBUG off (portal/settings.py). The session holds a hash keyed by the secret key: the script and the
    server share one (BENCH_SECRET_KEY, set before Django is set up). Each answer must be 200,
    as `get_ok` demands."""

    def __init__(self, server, client):
        self.base = f"http://{server.address}"
        self.cookie = f"__Host-sessionid={client.cookies['sessionid'].value}"

    def get_ok(self, path):
        import urllib.request

        request = urllib.request.Request(self.base + path, headers={"Cookie": self.cookie})  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback, our own URL
            body = response.read()
            if response.status != 200 or response.url != self.base + path:
                raise SystemExit(f"{path} answered {response.status} at {response.url}: {body[:300]!r}")
            return body
