"""A real Celery worker consuming from the real Redis: share -> commit -> Redis -> worker -> email."""

import uuid

import pytest
from django.conf import settings
from django.core import mail

from conftest import skip_or_fail
from partnerships.models import AccessLevel, AuditEvent
from partnerships.tests.factories import Cast, share

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker():
    if not settings.REDIS_URL:
        skip_or_fail("REDIS_URL is not set: no Redis to run a real Celery worker against")
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    # A queue of this run's own, so that nothing an earlier run left in Redis can interfere.
    queue = f"test-{uuid.uuid4().hex}"
    default_queue = app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]) as worker:
            yield worker
    finally:
        app.conf.task_default_queue = default_queue
        import redis

        redis.Redis.from_url(settings.REDIS_URL).delete(
            queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
        )


def test_a_share_reaches_the_partner_through_a_real_worker(celery_worker):
    import time

    cast = Cast.create()
    mail.outbox = []
    share(cast.case, cast.charlie.officer.agency, AccessLevel.VIEW, by=cast.alice)
    def to_charlie():
        return [m for m in mail.outbox if m.to == ["charlie@example.org"]]

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not to_charlie():
        time.sleep(0.1)
    assert len(to_charlie()) == 1
    assert cast.case.reference in to_charlie()[0].body
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert AuditEvent.objects.filter(action="case.notify", door="task", case=cast.case).exists()
