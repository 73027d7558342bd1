"""Endpoints, secrets and what a delivery may say, through the services (eager tasks, a real loopback receiver)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from partnerships.models import AccessLevel, Notification
from partnerships.tests.factories import JointCaseFactory, share, unshare
from webhooks import services
from webhooks.models import Delivery, Endpoint
from webhooks.tests.factories import register

pytestmark = pytest.mark.django_db


def test_a_case_revoked_before_sending_goes_out_as_not_visible_with_its_reference_only(
        cast, bob_admin, bobs_receiver, loopback_allowed, django_capture_on_commit_callbacks):
    _endpoint, secret = register(bob_admin, bobs_receiver.url, ["case.shared"])
    case = JointCaseFactory(by=cast.alice, title="Fighting Island landings")
    with django_capture_on_commit_callbacks(execute=False):  # queued, not sent yet
        share(case, cast.bob.officer.agency, AccessLevel.VIEW, by=cast.alice)
    unshare(case, cast.bob.officer.agency, by=cast.alice)  # not subscribed to case.not_visible: nothing queued
    [delivery] = Delivery.objects.all()
    services.delivery_attempt(delivery_id=delivery.pk)
    [received] = bobs_receiver.received
    payload = Webhook(secret).verify(received["body"], received["headers"])
    assert payload["type"] == "case.not_visible" and payload["data"] == {"case": {"reference": case.reference}}
    assert case.title.encode() not in received["body"]
    delivery.refresh_from_db()
    assert delivery.sent_as == "case.not_visible" and delivery.status == "delivered"


def test_a_program_filter_and_the_event_types_choose_the_deliveries(cast, bob_admin, loopback_allowed):
    register(bob_admin, "http://127.0.0.1:9/best-only", ["case.shared"], program="best")
    register(bob_admin, "http://127.0.0.1:9/changes-only", ["case.changed"])
    case = JointCaseFactory(by=cast.alice, program="ibet")
    share(case, cast.bob.officer.agency, AccessLevel.VIEW, by=cast.alice)
    assert not Delivery.objects.exists()
    from partnerships import services as core

    core.case_update(case=case, by=cast.alice, title="Renamed")
    assert list(Delivery.objects.values_list("endpoint__url", "event_type", "about__fields")) == [
        ("http://127.0.0.1:9/changes-only", "case.changed", ["title"])]


def test_a_deconfliction_hit_carries_only_the_pointer(cast, bob_admin, charlie_admin, bobs_receiver, loopback_allowed,
                                                      django_capture_on_commit_callbacks):
    from partnerships import services as core

    _endpoint, secret = register(bob_admin, bobs_receiver.url, ["deconfliction.hit"])
    bobs_case = JointCaseFactory(by=cast.bob, title="CBP rail file")
    charlies_case = JointCaseFactory(by=cast.charlie, title="OPP drug file")
    core.subject_add(by=cast.bob, case=bobs_case, kind="phone", name="+1 313 555 0199")
    with django_capture_on_commit_callbacks(execute=True):
        core.subject_add(by=cast.charlie, case=charlies_case, kind="phone", name="(313) 555-0199")
    [received] = bobs_receiver.received
    payload = Webhook(secret).verify(received["body"], received["headers"])
    assert payload["type"] == "deconfliction.hit" and set(payload["data"]) == {"hit"}
    assert set(payload["data"]["hit"]) == {"id", "url", "api_url"}
    for secret_of_the_other_side in (b"OPP", b"OPP drug file", b"exact", b"phone", b"555"):
        assert secret_of_the_other_side not in received["body"]


def test_rotation_signs_with_both_secrets_during_the_grace_period_then_the_new_one(
        cast, bob_admin, bobs_receiver, loopback_allowed, django_capture_on_commit_callbacks):
    endpoint, old = register(bob_admin, bobs_receiver.url)
    new = services.endpoint_rotate_secret(by=bob_admin, endpoint=endpoint, grace_hours=24)
    assert new != old and new.startswith("whsec_")
    case = JointCaseFactory(by=cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        share(case, cast.bob.officer.agency, AccessLevel.VIEW, by=cast.alice)
    received = bobs_receiver.received[-1]
    assert len(received["headers"]["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        Webhook(secret).verify(received["body"], received["headers"])

    Endpoint.objects.filter(pk=endpoint.pk).update(previous_secret_until=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        unshare(case, cast.bob.officer.agency, by=cast.alice)
    received = bobs_receiver.received[-1]
    Webhook(new).verify(received["body"], received["headers"])
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(received["body"], received["headers"])


def test_an_endpoint_failing_for_a_day_is_disabled_and_its_administrators_told(
        cast, bob_admin, loopback_allowed, django_capture_on_commit_callbacks, mailoutbox):
    endpoint, _secret = register(bob_admin, "http://127.0.0.1:9/closed")  # nothing listens on port 9
    Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now() - timedelta(hours=24, minutes=1))
    case = JointCaseFactory(by=cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        share(case, cast.bob.officer.agency, AccessLevel.VIEW, by=cast.alice)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at is not None
    assert Delivery.objects.get().status == "failed"
    notice = Notification.objects.get(kind="webhook_disabled")
    assert notice.recipient == bob_admin
    assert [m for m in mailoutbox if m.to == [bob_admin.officer.email] and endpoint.url in m.body]
    # Nothing more is queued for it; enabling it again forgets its failures.
    unshare(case, cast.bob.officer.agency, by=cast.alice)
    assert Delivery.objects.count() == 1
    services.endpoint_update(by=bob_admin, endpoint=endpoint, is_active=True)
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.failing_since is None and endpoint.disabled_at is None


def test_a_delivery_gives_up_after_a_day_with_exponential_backoff_before(cast, bob_admin, loopback_allowed):
    endpoint, _secret = register(bob_admin, "http://127.0.0.1:9/closed")
    now = timezone.now()
    delivery = Delivery(endpoint=endpoint, created_at=now, attempts=1)
    waits = []
    at = now
    while (following := services.next_attempt_at(delivery, at)) is not None:
        waits.append((following - at).total_seconds())
        at, delivery.attempts = following, delivery.attempts + 1
    assert waits[:4] == [30, 60, 120, 240] and max(waits) <= 6 * 3600
    assert at == now + timedelta(days=1)  # the last attempt is at the day's end


def test_bad_input_is_refused_with_the_reason_and_changes_nothing(cast, bob_admin, charlie_admin, loopback_allowed):
    endpoint, secret = register(bob_admin, "http://127.0.0.1:9/a", ["case.shared"])
    for change, reason in [({"event_types": []}, "at least one event"), ({"event_types": ["case.eaten"]}, "Unknown"),
                           ({"program": "navy"}, "Unknown program"), ({"url": ""}, "Give the endpoint"),
                           ({"secret": "whsec_x"}, "cannot be changed")]:
        with pytest.raises(services.WebhookRefused, match=reason):
            services.endpoint_update(by=bob_admin, endpoint=endpoint, **change)
    for grace in (-1, 169, "24", True):
        with pytest.raises(services.WebhookRefused, match="whole number of hours"):
            services.endpoint_rotate_secret(by=bob_admin, endpoint=endpoint, grace_hours=grace)
    with pytest.raises(services.WebhookRefused, match="own agency"):
        services.endpoint_update(by=charlie_admin, endpoint=endpoint, description="mine now")
    with pytest.raises(services.WebhookRefused, match="Only an agency administrator"):
        register(cast.bob, "http://127.0.0.1:9/b")
    endpoint.refresh_from_db()
    assert (endpoint.event_types, endpoint.secret, endpoint.description) == (["case.shared"], secret, "")
    assert Endpoint.objects.count() == 1


def test_a_resend_has_the_same_webhook_id_and_a_fresh_payload(cast, bob_admin, bobs_receiver, loopback_allowed,
                                                             django_capture_on_commit_callbacks):
    register(bob_admin, bobs_receiver.url)
    case = JointCaseFactory(by=cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        share(case, cast.bob.officer.agency, AccessLevel.VIEW, by=cast.alice)
    first = Delivery.objects.get()
    unshare(case, cast.bob.officer.agency, by=cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.delivery_resend(by=bob_admin, delivery=first)
    again.refresh_from_db()
    assert again.message_id == first.message_id and again.status == "delivered" and again.resend_of == first
    assert json.loads(bobs_receiver.received[-1]["body"])["type"] == "case.not_visible"
