"""The agency administrator's pages: register (secret shown once), change, rotate, disable, deliveries, re-send."""

import pytest
from django.urls import reverse

from partnerships.models import AccessLevel
from partnerships.tests.factories import JointCaseFactory, share
from webhooks.models import Delivery, Endpoint
from webhooks.tests.factories import register

pytestmark = pytest.mark.django_db


def test_bob_admin_registers_an_endpoint_and_sees_its_secret_once(client, bob_admin, loopback_allowed):
    client.force_login(bob_admin)
    answer = client.post(reverse("webhooks:endpoint_create"), {
        "url": "http://127.0.0.1:9/hooks", "description": "Records system", "event_types": ["case.shared",
                                                                                            "case.not_visible"]})
    assert answer.status_code == 200
    endpoint = Endpoint.objects.get()
    assert endpoint.secret in answer.content.decode() and endpoint.agency == bob_admin.officer.agency
    page = client.get(reverse("webhooks:endpoint_detail", args=[endpoint.pk]))
    assert page.status_code == 200 and endpoint.secret not in page.content.decode()
    listed = client.get(reverse("webhooks:endpoint_list"))
    assert "http://127.0.0.1:9/hooks" in listed.content.decode()


def test_a_refused_address_is_explained_in_french_and_nothing_is_saved(client, bob_admin):
    client.force_login(bob_admin)
    answer = client.post(reverse("webhooks:endpoint_create"), {
        "url": "https://169.254.169.254/latest/", "event_types": ["case.shared"]}, HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.status_code == 200 and "adresses privées" in answer.content.decode()
    assert not Endpoint.objects.exists()


def test_rotating_shows_the_new_secret_once_and_disabling_stops_deliveries(client, bob_admin, loopback_allowed, cast):
    endpoint, old = register(bob_admin, "http://127.0.0.1:9/hooks")
    client.force_login(bob_admin)
    answer = client.post(reverse("webhooks:endpoint_rotate", args=[endpoint.pk]), {"grace_hours": "1"})
    endpoint.refresh_from_db()
    assert answer.status_code == 200 and endpoint.secret in answer.content.decode()
    assert endpoint.previous_secret == old and endpoint.previous_secret_until is not None
    client.post(reverse("webhooks:endpoint_set_active", args=[endpoint.pk]), {"active": "0"})
    share(JointCaseFactory(by=cast.alice), cast.bob.officer.agency, AccessLevel.VIEW, by=cast.alice)
    assert not Delivery.objects.exists()


def test_the_deliveries_page_shows_status_code_duration_attempts_and_resends(
        client, bob_admin, cast, loopback_allowed, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    endpoint, _secret = register(bob_admin, "http://127.0.0.1:9/closed")
    for _n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            share(JointCaseFactory(by=cast.alice), cast.bob.officer.agency, AccessLevel.VIEW, by=cast.alice)
    Delivery.objects.update(status="failed", next_attempt_at=None)
    client.force_login(bob_admin)
    with django_assert_max_num_queries(15):  # as many for 3 deliveries as for 50
        page = client.get(reverse("webhooks:delivery_list", args=[endpoint.pk]) + "?status=failed")
    text = page.content.decode()
    assert page.status_code == 200 and text.count("the connection was refused") == 3 and "Send again" in text
    delivery = Delivery.objects.first()
    client.post(reverse("webhooks:delivery_resend", args=[delivery.pk]))
    assert Delivery.objects.filter(resend_of=delivery).count() == 1


def test_charlie_and_his_administrator_find_nothing_of_bobs_agency(client, cast, bob_admin, charlie_admin,
                                                                   loopback_allowed):
    endpoint, _secret = register(bob_admin, "http://127.0.0.1:9/hooks")
    Delivery.objects.create(endpoint=endpoint, event_type="case.shared", message_id="msg_x")
    delivery = Delivery.objects.get()
    for user in (cast.charlie, charlie_admin, cast.bob):  # bob is no administrator
        client.force_login(user)
        for name in ("endpoint_detail", "delivery_list"):
            assert client.get(reverse(f"webhooks:{name}", args=[endpoint.pk])).status_code == 404
        for name in ("endpoint_rotate", "endpoint_set_active"):
            assert client.post(reverse(f"webhooks:{name}", args=[endpoint.pk]), {"grace_hours": "0"}).status_code \
                == 404
        assert client.post(reverse("webhooks:delivery_resend", args=[delivery.pk])).status_code == 404
    client.force_login(charlie_admin)
    assert "127.0.0.1:9" not in client.get(reverse("webhooks:endpoint_list")).content.decode()
    endpoint.refresh_from_db()
    assert endpoint.is_active and Delivery.objects.count() == 1
