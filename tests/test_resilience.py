"""Failures and recovery, for real (docs/operations.md, "Failures and recovery").

- Redis stops: pages and the API still answer, shares are still made, and every notification arrives
  once Redis is back (the outbox relay publishes what was held), exactly once.
- A worker's child is killed (SIGKILL) mid-task: the task runs again and its effect happens once.
- The database drops every connection, or cannot be reached for a while: the portal (gunicorn) recovers
  on its own, and /readyz says why it is not ready meanwhile.

Each test stops only what it started: a redis-server of its own on a free port (never the shared one on
6379), a gunicorn and a TCP link to PostgreSQL of its own, and the connections to its own test database.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import skip_or_fail
from partnerships import services
from partnerships.models import AccessLevel, AuditEvent, Notification, Purpose
from partnerships.tests.factories import JointCaseFactory
from portal import outbox
from portal.models import OutboxMessage

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
FAST = 1.0  # seconds: the most a page may take while Redis is down


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.05)


def require_postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("DATABASE_URL is not PostgreSQL: other processes cannot share the test database")


def database_url(port=None):
    """This test database's URL, for a process started by the test (optionally through another port)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    netloc = parts.netloc if port is None else f"{parts.netloc.rsplit('@', 1)[0]}@127.0.0.1:{port}"
    return urlunsplit((parts.scheme, netloc, "/" + connection.settings_dict["NAME"], "", ""))


# --- a Redis of the test's own ----------------------------------------------------------------------

class SpareRedis:
    """A redis-server on a free port that the test stops and starts (no persistence, as a crash loses it)."""

    def __init__(self, directory):
        self.port = free_port()
        assert self.port != 6379, "the shared Redis is never stopped"
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "yes", "--dir", str(self.directory), "--logfile", str(self.directory / "redis.log"),
             "--pidfile", str(self.directory / "redis.pid")], check=True, timeout=10)
        wait_for(self.is_up, 10, "redis-server to start")

    def stop(self):
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True, timeout=10)
        wait_for(lambda: not self.is_up(), 10, "redis-server to stop")

    def is_up(self):
        try:
            return self.client().ping()
        except redis.RedisError:
            return False

    def client(self):
        return redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=2)


@pytest.fixture
def spare_redis(tmp_path):
    if not (shutil.which("redis-server") and shutil.which("redis-cli")):
        skip_or_fail("redis-server is not installed (apt-get install redis-server)")
    server = SpareRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def use_broker(url):
    """Point this process's Celery at `url`: its connection pools are made again (Celery keeps them)."""
    from portal.celery import app

    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    outbox._forget_pools()
    outbox._paused_until = 0.0


@pytest.fixture
def broker(spare_redis, settings):
    """Celery and the cache on the spare Redis, and tasks through the broker (not run eagerly)."""
    from portal.celery import app

    previous = app.conf.broker_url  # read first: Celery loads its configuration from the settings when first read
    settings.REDIS_URL = settings.CELERY_BROKER_URL = spare_redis.url
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": spare_redis.url}}
    use_broker(spare_redis.url)
    app.conf.task_always_eager = False
    yield spare_redis
    use_broker(previous)


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


# --- Redis down ---------------------------------------------------------------------------------------

def test_with_redis_down_pages_answer_and_every_notification_arrives_once_after(cast, broker, client):
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    alice, bob, charlie, case = cast.alice, cast.bob, cast.charlie, cast.case  # made with tasks run eagerly
    second_case = JointCaseFactory(by=alice, title="Lake Erie fuel runs")
    _, key = services.api_token_issue(user=alice, read_only=False)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.force_login(alice)
    mail.outbox = []

    broker.stop()
    # Three sharing decisions while Redis is down: through the page, the API and the service.
    shared, took = timed(lambda: client.post(reverse("partnerships:case_sharing", args=[case.reference]), {
        "agency": "OPP", "level": "view", "purpose": "ibet_mou", "reason": "Joint operation on the river"}))
    assert shared.status_code == 302 and took < FAST
    revoked, took = timed(lambda: api.delete(
        reverse("api:case_share_revoke", args=[case.reference, "CBP"]),
        {"purpose": "other", "reason": "Operation over"}, format="json"))
    assert revoked.status_code == 204 and took < FAST
    services.case_share(case=second_case, agency=bob.officer.agency, level=AccessLevel.VIEW,
                        purpose=Purpose.IBET_MOU, reason="Same smugglers", by=alice)
    # Pages and API answer, searches included (their rate limits live in the unreachable cache).
    for path in ["/", reverse("partnerships:case_list") + "?q=Detroit", case.get_absolute_url(),
                 reverse("partnerships:notifications")]:
        response, took = timed(lambda path=path: client.get(path))
        assert (path, response.status_code) == (path, 200) and took < FAST
    for path in [reverse("api:case_list"), reverse("api:case_list") + "?q=Detroit"]:
        response, took = timed(lambda path=path: api.get(path))
        assert (path, response.status_code) == (path, 200) and took < FAST
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")  # not ready, though pages work: see "Failures and recovery"
    assert ready.status_code == 503 and b"redis unavailable\n" in ready.content

    held = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert held.count() == 3
    decisions = [int(message.args[0]) for message in held]
    assert not Notification.objects.filter(decision__in=decisions).exists() and mail.outbox == []

    broker.start()
    assert outbox.relay_outbox() == 3
    queue_name = app.conf.task_default_queue  # named: a worker started earlier in this process selected its own
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue_name]):
        wait_for(lambda: len(mail.outbox) == 3, 15, "the three emails")
        # Delivered again (as at-least-once delivery may): no second notice, email or audit record.
        OutboxMessage.objects.update(sent_at=None)
        assert outbox.relay_outbox() == 3
        queue = broker.client()
        wait_for(lambda: queue.llen(queue_name) == 0 and queue.hlen("unacked") == 0, 15, "the repeats to be done")

    assert sorted(message.to[0] for message in mail.outbox) == ["bob@example.org", "bob@example.org",
                                                                "charlie@example.org"]
    notices = Notification.objects.filter(decision__in=decisions)
    assert sorted(notices.values_list("recipient__username", "kind")) == [
        ("bob", "case_revoked"), ("bob", "case_shared"), ("charlie", "case_shared")]
    for decision in decisions:
        assert AuditEvent.objects.filter(action="case.notify", detail__decision=decision).count() == 1
    assert charlie.notifications.get().case == case
    assert outbox.relay_outbox() == 0
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


# --- a worker killed mid-task -------------------------------------------------------------------------

def environment(**changes):
    """This process's environment for a child, without what an in-process Celery worker left in it (Celery
    sets CELERY_LOG_LEVEL to a number, which the portal's LOGGING setting refuses), nor pytest-xdist's worker name
    (the settings would move the child to the worker's own Redis database, away from the URL it is given)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CELERY_", "PYTEST_XDIST_")) and key != "REDIS_URL"}
    return {**env, **changes}


def start_celery_worker(broker_url, log):
    env = environment(DATABASE_URL=database_url(), REDIS_URL=broker_url, PYTHONPATH=str(ROOT),
                      EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "prefork", "--concurrency", "1",
         "-I", "tests.resilience_tasks", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the group this test started: the process and its children
            process.wait(timeout=10)


def test_a_task_whose_worker_child_is_killed_runs_again_with_its_effect_once(cast, broker, tmp_path):
    require_postgresql()
    from tests.resilience_tasks import notify_then_stall_task

    alice, charlie, case = cast.alice, cast.charlie, cast.case
    journal = tmp_path / "journal"
    journal.touch()
    with transaction.atomic():
        decision = services.case_share(case=case, agency=charlie.officer.agency, level=AccessLevel.VIEW,
                                       purpose=Purpose.IBET_MOU, reason="Joint operation", by=alice, notify=False)
        outbox.enqueue(notify_then_stall_task, decision.pk, str(journal))
    assert OutboxMessage.objects.get().sent_at is not None  # Redis is up: published at commit

    notified = AuditEvent.objects.filter(action="case.notify", detail__decision=decision.pk)
    with (tmp_path / "worker.log").open("w") as log:
        worker = start_celery_worker(broker.url, log)
        try:
            wait_for(notified.exists, 20, "the task to notify, then stall")
            first_child = int(journal.read_text().split()[1])
            assert first_child != worker.pid
            os.kill(first_child, signal.SIGKILL)
            wait_for(lambda: "done" in journal.read_text(), 20, "the task to run again")
            queue = broker.client()
            wait_for(lambda: queue.llen("celery") == 0 and queue.hlen("unacked") == 0, 10, "the acknowledgement")
        finally:
            stop(worker)

    runs = journal.read_text().split("\n")
    starts = [line.split()[1] for line in runs if line.startswith("start")]
    assert len(starts) == 2 and starts[0] != starts[1], (tmp_path / "worker.log").read_text()[-3000:]
    assert Notification.objects.filter(recipient=charlie, decision=decision).count() == 1
    assert notified.count() == 1


# --- the database drops its connections -------------------------------------------------------------

class DatabaseLink:
    """A TCP relay from the portal to PostgreSQL that the test cuts as a restart would: every connection
    dropped and new ones refused, until it is mended."""

    def __init__(self, host, port):
        self.target = (host, port)
        self.port = free_port()
        self._listening = False
        self._sockets = set()
        self._lock = threading.Lock()

    def mend(self):
        listener = socket.create_server(("127.0.0.1", self.port))
        listener.settimeout(0.1)
        self._listening = True
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self):
        self._listening = False
        time.sleep(0.2)  # the listener closes within its 0.1 s accept timeout
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener):
        with listener:
            while self._listening:
                try:
                    near, _ = listener.accept()
                except TimeoutError:
                    continue
                near.settimeout(None)
                far = socket.create_connection(self.target)
                with self._lock:
                    self._sockets |= {near, far}
                for source, sink in ((near, far), (far, near)):
                    threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for sock in (source, sink):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def terminate_other_connections():
    """What a restart does to the connections: only this test database's, never the server's others."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


class Portal:
    """gunicorn serving the portal on this test database, through the link."""

    def __init__(self, link, log):
        self.port = free_port()
        env = environment(DATABASE_URL=database_url(link.port), DATABASE_CONN_MAX_AGE="600")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--timeout", "30", "--graceful-timeout", "2"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(lambda: self.get("/healthz")[0] == 200, 20, "gunicorn to start")

    def get(self, path, token=None):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        if token:
            request.add_header("Authorization", f"Token {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - a local test server
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError as error:
            return None, str(error).encode()


def test_the_portal_recovers_by_itself_when_the_database_drops_its_connections(cast, tmp_path):
    require_postgresql()
    # Without them a persistent connection that the database dropped fails the next request that uses it.
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    _, key = services.api_token_issue(user=cast.alice)
    cases = reverse("api:case_list")
    link = DatabaseLink(connection.settings_dict["HOST"] or "127.0.0.1", int(connection.settings_dict["PORT"] or 5432))
    link.mend()
    with (tmp_path / "gunicorn.log").open("w") as log:
        portal = Portal(link, log)
        try:
            assert portal.get(cases, key)[0] == 200  # its persistent connection is open now

            # Dropped while idle: the next requests find the dead connection by the health check, and reconnect.
            assert terminate_other_connections() >= 1
            assert [portal.get(cases, key)[0] for _ in range(5)] == [200] * 5

            # Dropped under load: at most the request in flight fails, then all succeed again.
            results, running = [], threading.Event()
            running.set()

            def load():
                while running.is_set():
                    results.append((time.monotonic(), portal.get(cases, key)[0]))

            loader = threading.Thread(target=load)
            loader.start()
            wait_for(lambda: len(results) >= 10, 10, "requests under load")
            terminated_at = time.monotonic()
            assert terminate_other_connections() >= 1
            wait_for(lambda: sum(1 for at, _ in results if at > terminated_at) >= 20, 10, "requests after")
            running.clear()
            loader.join()
            after = [status for at, status in results if at > terminated_at]
            assert after.count(200) >= len(after) - 1 and after[-10:] == [200] * 10, after

            # Unreachable for a while (a restart): not ready, naming the cause; ready again once it is back.
            link.cut()
            status, body = portal.get("/readyz")
            assert (status, body) == (503, b"database unavailable\n")
            assert portal.get("/healthz")[0] == 200
            assert portal.get(cases, key)[0] == 503  # a pause, not a fault: Retry-After (issue 19)
            link.mend()
            assert portal.get("/readyz") == (200, b"ready\n")
            assert portal.get(cases, key)[0] == 200
            assert portal.process.poll() is None  # nothing was restarted
        finally:
            stop(portal.process)
            link.cut()
