"""Designation writes through the API: grant, suspend, revoke, reinstate and renew, by the designating authority's
administrator only, with the pages' rules and messages (issue 18's authority rules)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import AuditEvent, CrossDesignation, Officer, Team
from partnerships.tests.factories import OfficerFactory
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db

GRANT = reverse("shiprider_api:designation_list")


@pytest.fixture
def world(cast):
    from shiprider.tests.factories import ShipRiderWorld

    return ShipRiderWorld(cast)


def grant_body(officer, **extra):
    today = timezone.localdate()
    return {"officer": officer.pk, "kind": "shiprider", "training_course": "FLETC",
            "training_completed_on": (today - datetime.timedelta(days=3)).isoformat(),
            "valid_from": today.isoformat(), "valid_to": (today + datetime.timedelta(days=365)).isoformat(), **extra}


def test_the_authority_grants_suspends_reinstates_and_revokes(world):
    newcomer = OfficerFactory(agency=world.vessel.owner, first_name="Nina", last_name="Roy")  # RCMP
    client = api(world.uscg_admin.user)
    granted = client.post(GRANT, grant_body(newcomer), format="json")
    assert granted.status_code == 201, granted.content
    assert granted.json()["designating_agency"] == "USCG" and granted.json()["status"] == "active"
    status_url = reverse("shiprider_api:designation_status", args=[granted.json()["id"]])
    for status in ("suspended", "active", "revoked"):
        answer = client.post(status_url, {"status": status, "reason": "Review"}, format="json")
        assert answer.status_code == 200 and answer.json()["status"] == status
    final = client.post(status_url, {"status": "active", "reason": "Oops"}, format="json")
    assert final.json()["errors"]["non_field_errors"] == ["A revoked or expired designation cannot change: grant a "
                                                          "new one."]
    assert set(AuditEvent.objects.filter(action=AuditEvent.Action.DESIGNATION_CHANGE, object_ref=str(
        granted.json()["id"])).values_list("door", flat=True)) == {AuditEvent.Door.API}


def test_the_pages_authority_rule_refuses_with_the_pages_message(world):
    rcmp, cbp = world.cast.alice.officer.agency, world.cast.bob.officer.agency
    Team.objects.create(name="Pacific", kind=Team.Kind.IBET_TEAM).member_agencies.set([rcmp, cbp])
    cbp_admin = OfficerFactory(agency=cbp, role=Officer.Role.AGENCY_ADMIN, user__username="cbp.admin").user
    refused = api(cbp_admin).post(GRANT, grant_body(world.cast.alice.officer), format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["non_field_errors"] == [
        "A ShipRider designation is given by the other country: USCG designates the officers of RCMP (Canada), so "
        "CBP cannot designate Alice Lead."]
    assert not CrossDesignation.objects.filter(officer=world.cast.alice.officer).exists()


def test_an_officer_who_is_no_administrator_gets_403_and_an_unknown_officer_is_refused(world):
    assert api(world.rcmp_lead.user).post(GRANT, grant_body(world.uscg_bo), format="json").status_code == 403
    unknown = api(world.uscg_admin.user).post(GRANT, grant_body(world.cast.charlie.officer), format="json")
    assert unknown.json()["errors"] == {"officer": ["No active officer of a partner agency has this id."]}


def test_the_authority_renews_and_others_may_not(world):
    designation = world.designations[world.uscg_bo.pk]  # by RCMP
    renew = reverse("shiprider_api:designation_renew", args=[designation.pk])
    body = {"valid_to": (designation.valid_to + datetime.timedelta(days=365)).isoformat(),
            "training_course": "Recertification", "training_completed_on": timezone.localdate().isoformat()}
    assert api(world.uscg_admin.user).post(renew, body, format="json").status_code == 403
    assert api(world.cast.charlie).post(renew, body, format="json").status_code == 404
    done = api(world.rcmp_admin.user).post(renew, body, format="json")
    assert done.status_code == 201
    assert done.json()["valid_from"] == (designation.valid_to + datetime.timedelta(days=1)).isoformat()
    again = api(world.rcmp_admin.user).post(renew, body, format="json")
    assert again.json()["errors"]["non_field_errors"] == ["This designation has already been renewed."]


def test_charlie_gets_404_changing_a_designation_he_cannot_see(world):
    designation = world.designations[world.uscg_bo.pk]
    url = reverse("shiprider_api:designation_status", args=[designation.pk])
    assert api(world.cast.charlie).post(url, {"status": "revoked", "reason": "x"}, format="json").status_code == 404
    designation.refresh_from_db()
    assert designation.status == "active"


def test_bad_input_is_refused_by_name(world):
    designation = world.designations[world.uscg_bo.pk]
    client = api(world.rcmp_admin.user)
    url = reverse("shiprider_api:designation_status", args=[designation.pk])
    bad = client.post(url, {"status": "expired", "reason": ""}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"status", "reason"}
    bad_grant = api(world.uscg_admin.user).post(GRANT, grant_body(world.rcmp_cox, valid_from="x", colour="red"),
                                                format="json")
    assert bad_grant.status_code == 400 and "colour" in bad_grant.json()["errors"]
    designation.refresh_from_db()
    assert designation.status == "active"
