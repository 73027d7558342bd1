"""The issue's "done when", for real: a receiver on loopback, Redis, a Celery worker consuming from it."""

import json
import time

import pytest
from standardwebhooks import Webhook

from partnerships.models import AccessLevel
from partnerships.tests.factories import JointCaseFactory, share, unshare
from portal import outbox
from portal.models import OutboxMessage
from tests.test_resilience import broker, spare_redis, wait_for  # noqa: F401 - fixtures: a Redis of the test's own
from tests.test_worker import celery_worker  # noqa: F401 - fixture: a real worker on the shared Redis
from webhooks import services
from webhooks.models import Delivery
from webhooks.tests.factories import register

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def event(received):
    return json.loads(received["body"])


def verified(received, secret):
    """The payload, if its signature verifies with `secret` per Standard Webhooks (else WebhookVerificationError)."""
    return Webhook(secret).verify(received["body"], received["headers"])


def test_bob_is_told_signed_charlie_nothing_then_not_visible_then_once_after_his_receiver_was_down(
        cast, bob_admin, charlie_admin, bobs_receiver, charlies_receiver, loopback_allowed, celery_worker,  # noqa: F811
        settings):
    alice, cbp = cast.alice, cast.bob.officer.agency
    _endpoint, bobs_secret = register(bob_admin, bobs_receiver.url)
    register(charlie_admin, charlies_receiver.url)
    case = JointCaseFactory(by=alice, title="Lake Erie fuel runs", summary="Fuel runs at night")

    share(case, cbp, AccessLevel.CONTRIBUTE, by=alice)
    [shared] = bobs_receiver.wait_for(1)
    payload = verified(shared, bobs_secret)
    assert payload["type"] == "case.shared"
    assert payload["data"]["case"]["reference"] == case.reference
    assert payload["data"]["case"]["level"] == "contribute"
    assert shared["headers"]["webhook-id"].startswith("msg_")

    unshare(case, cbp, by=alice)
    revoked = bobs_receiver.wait_for(2)[1]
    assert verified(revoked, bobs_secret) == {"type": "case.not_visible", "timestamp": event(revoked)["timestamp"],
                                              "data": {"case": {"reference": case.reference}}}

    # bob's receiver is down: the delivery fails, is retried (beat), and arrives once it is back, exactly once.
    settings.WEBHOOK_RETRY_FIRST_SECONDS = 0.5
    bobs_receiver.stop()
    second = JointCaseFactory(by=alice, title="Rail cargo at Windsor")
    share(second, cbp, AccessLevel.VIEW, by=alice)
    delivery = Delivery.objects.get(case=second)
    wait_for(lambda: Delivery.objects.get(pk=delivery.pk).attempts == 1, 15, "the first attempt")
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.last_status_code is None and delivery.last_error
    assert delivery.next_attempt_at > delivery.last_attempt_at
    assert delivery.endpoint.failing_since is not None

    bobs_receiver.start()
    deadline = time.monotonic() + 20
    while Delivery.objects.get(pk=delivery.pk).status != "delivered" and time.monotonic() < deadline:
        services.deliveries_retry_due()  # what the beat task does every minute
        time.sleep(0.3)
    assert services.deliveries_retry_due() == 0  # nothing left to hand over
    time.sleep(1)  # the worker had time to send any repeat
    arrived = [r for r in bobs_receiver.received
               if event(r)["data"].get("case", {}).get("reference") == second.reference]
    assert len(arrived) == 1 and verified(arrived[0], bobs_secret)["type"] == "case.shared"
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.last_status_code == 204
    assert delivery.endpoint.failing_since is None  # a success forgets the failures

    assert charlies_receiver.received == []


def test_with_redis_stopped_the_delivery_arrives_after_redis_returns(cast, bob_admin, bobs_receiver, loopback_allowed,
                                                                      broker):  # noqa: F811
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    _endpoint, secret = register(bob_admin, bobs_receiver.url)
    case = JointCaseFactory(by=cast.alice, title="Detroit River night crossings")

    broker.stop()
    share(case, cast.bob.officer.agency, AccessLevel.VIEW, by=cast.alice)  # the page's request does not wait
    assert Delivery.objects.get(case=case).status == "pending"
    assert OutboxMessage.objects.filter(task="webhooks.tasks.deliver_webhook_task", sent_at__isnull=True).count() == 1
    assert bobs_receiver.received == []

    broker.start()
    assert outbox.relay_outbox() >= 1
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10,
                      queues=[app.conf.task_default_queue]):
        [arrived] = bobs_receiver.wait_for(1)
    payload = verified(arrived, secret)
    assert payload["type"] == "case.shared" and payload["data"]["case"]["reference"] == case.reference
    assert Delivery.objects.get(case=case).status == "delivered"
