"""A real Celery worker consuming from the real Redis: share -> commit -> Redis -> worker -> email."""

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

    app.conf.task_always_eager = False
    app.control.purge()  # nothing left over from an earlier run
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


def test_a_share_reaches_the_partner_through_a_real_worker(celery_worker):
    import time

    cast = Cast.create()
    mail.outbox = []
    share(cast.case, cast.charlie.officer.agency, AccessLevel.VIEW, by=cast.alice)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not mail.outbox:
        time.sleep(0.1)
    assert [m.to for m in mail.outbox if "charlie@example.org" in m.to] == [["charlie@example.org"]]
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert AuditEvent.objects.filter(action="case.notify", door="task", case=cast.case).exists()
