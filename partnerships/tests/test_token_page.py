"""Agency administrators issue API tokens on a page (the key shown once) and see each token's status."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships import services
from partnerships.models import ApiToken, AuditEvent, Officer
from partnerships.tests.factories import OfficerFactory
from partnerships.tests.test_api import api, cases_url

pytestmark = pytest.mark.django_db

ISSUE = reverse("partnerships:agency_token_issue")
TOKENS = reverse("partnerships:agency_tokens")


@pytest.fixture
def alice_admin(alice):
    alice.officer.role = Officer.Role.AGENCY_ADMIN
    alice.officer.save()
    return alice


@pytest.fixture
def service_account(alice):
    return OfficerFactory(agency=alice.officer.agency, user__username="rcmp.system", first_name="RCMP",
                          last_name="System")


def test_alice_issues_a_token_shown_once_that_works_at_once(client, alice_admin, service_account):
    client.force_login(alice_admin)
    response = client.post(ISSUE, {"officer": service_account.pk, "name": "Records system", "days": "30"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    key = response.context["key"]
    assert key in response.content.decode()
    token = ApiToken.objects.get()
    assert token.user == service_account.user and token.name == "Records system" and not token.read_only
    assert token.expires_at - timezone.now() > datetime.timedelta(days=29)
    assert api(key=key).get(cases_url()).status_code == 200
    page = client.get(TOKENS).content.decode()
    assert key not in page and token.prefix in page  # never shown again, only its first characters
    event = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN_ISSUE)
    assert event.user == alice_admin and event.door == AuditEvent.Door.PAGE


def test_the_read_only_box_makes_a_read_only_token(client, alice_admin, service_account):
    client.force_login(alice_admin)
    key = client.post(ISSUE, {"officer": service_account.pk, "read_only": "on"}).context["key"]
    assert ApiToken.objects.get().read_only and ApiToken.objects.get().expires_at is None
    assert api(key=key).post(cases_url(), {"title": "x", "program": "ibet"}, format="json").status_code == 403


def test_the_page_shows_each_tokens_status(client, alice_admin, service_account):
    used, _key = services.api_token_issue(user=service_account.user, name="used")
    expired, _key = services.api_token_issue(user=service_account.user, name="old")
    revoked, _key = services.api_token_issue(user=service_account.user, name="gone")
    ApiToken.objects.filter(pk=used.pk).update(last_used_at=timezone.now())
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    services.api_token_revoke(token=revoked, by=alice_admin)
    client.force_login(alice_admin)
    page = client.get(TOKENS).content.decode()
    assert "Expired" in page and "Revoked" in page
    assert timezone.localtime(timezone.now()).strftime("%Y-%m-%d") in page  # last used


def test_the_page_is_in_french(client, alice_admin, service_account):
    alice_admin.officer.preferred_language = "fr"
    alice_admin.officer.save()
    client.force_login(alice_admin)
    page = client.get(TOKENS, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Émettre un jeton" in page or "Émettre le jeton" in page


def test_charlie_cannot_issue_a_token_for_another_agencys_officer(client, charlie, alice, service_account):
    charlie.officer.role = Officer.Role.AGENCY_ADMIN
    charlie.officer.save()
    client.force_login(charlie)
    response = client.post(ISSUE, {"officer": service_account.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["officer"] == ["Choose an officer of your agency from the list."]
    assert not ApiToken.objects.exists()


def test_an_officer_who_is_not_an_administrator_gets_404(client, bob, service_account):
    client.force_login(bob)
    assert client.post(ISSUE, {"officer": service_account.pk}).status_code == 404
    assert client.get(ISSUE).status_code in (404, 405)
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("data, field", [({"officer": ""}, "officer"), ({"days": "0"}, "days"),
                                         ({"days": "soon"}, "days"), ({"name": "x" * 101}, "name")])
def test_bad_input_is_refused_and_issues_nothing(client, alice_admin, service_account, data, field):
    client.force_login(alice_admin)
    response = client.post(ISSUE, {"officer": service_account.pk, **data})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert "key" not in response.context
    assert not ApiToken.objects.exists()


def test_the_service_refuses_an_issuer_who_does_not_administer_the_officer(alice_admin, bob):
    with pytest.raises(services.OfficerRefused, match="own agency"):
        services.api_token_issue(user=bob, by=alice_admin)
    assert not ApiToken.objects.exists()
