"""The same through the API, with an agency administrator's token."""

import pytest
from rest_framework.test import APIClient

from partnerships import services as core
from partnerships.models import AccessLevel
from partnerships.tests.factories import JointCaseFactory, share
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db


def api_for(user):
    _token, key = core.api_token_issue(user=user, read_only=False)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_an_administrator_registers_rotates_lists_and_resends_through_the_api(
        cast, bob_admin, loopback_allowed, django_capture_on_commit_callbacks):
    api = api_for(bob_admin)
    made = api.post("/api/v1/webhooks/endpoints/", {"url": "http://127.0.0.1:9/hooks",
                                                    "event_types": ["case.shared"]}, format="json")
    assert made.status_code == 201 and made.json()["secret"].startswith("whsec_")
    pk = made.json()["id"]
    assert "secret" not in api.get(f"/api/v1/webhooks/endpoints/{pk}/").json()
    assert [e["id"] for e in api.get("/api/v1/webhooks/endpoints/").json()["results"]] == [pk]
    rotated = api.post(f"/api/v1/webhooks/endpoints/{pk}/rotate-secret/", {"grace_hours": 2}, format="json")
    assert rotated.status_code == 200 and rotated.json()["secret"] == Endpoint.objects.get().secret
    changed = api.patch(f"/api/v1/webhooks/endpoints/{pk}/", {"program": "ibet"}, format="json")
    assert changed.status_code == 200 and changed.json()["program"] == "ibet"

    with django_capture_on_commit_callbacks(execute=True):
        share(JointCaseFactory(by=cast.alice), cast.bob.officer.agency, AccessLevel.VIEW, by=cast.alice)
    [delivery] = api.get(f"/api/v1/webhooks/endpoints/{pk}/deliveries/?status=pending").json()["results"]
    assert delivery["attempts"] == 1 and delivery["last_error"] and delivery["last_duration_ms"] is not None
    Delivery.objects.update(status="failed", next_attempt_at=None)
    assert api.post(f"/api/v1/webhooks/deliveries/{delivery['id']}/resend/").status_code == 202


def test_bad_input_is_refused_and_charlie_finds_nothing(cast, bob_admin, charlie_admin, loopback_allowed):
    api = api_for(bob_admin)
    refused = api.post("/api/v1/webhooks/endpoints/", {"url": "https://10.0.0.1/", "event_types": ["case.shared"]},
                       format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 400 and "adresses privées" in str(refused.json())
    assert api.post("/api/v1/webhooks/endpoints/", {"url": "http://127.0.0.1:9/", "event_types": [],
                                                    "secret": "x"}, format="json").status_code == 400
    assert not Endpoint.objects.exists()
    pk = api.post("/api/v1/webhooks/endpoints/", {"url": "http://127.0.0.1:9/", "event_types": ["case.changed"]},
                  format="json").json()["id"]
    charlies = api_for(charlie_admin)
    for path in (f"/api/v1/webhooks/endpoints/{pk}/", f"/api/v1/webhooks/endpoints/{pk}/deliveries/"):
        assert charlies.get(path).status_code == 404
    assert charlies.patch(f"/api/v1/webhooks/endpoints/{pk}/", {"is_active": False}, format="json").status_code == 404
    assert charlies.get("/api/v1/webhooks/endpoints/").json()["results"] == []
    assert api_for(cast.charlie).get("/api/v1/webhooks/endpoints/").status_code == 403
    assert Endpoint.objects.get().is_active
