"""BEST (issue 21): a unit is marked planned (no investigation opens in it) by its leading agency's administrators;
the investigation page shows the unit's roster to the unit's member agencies only; the same person recorded as
arrested twice the same day is a warning the form asks to confirm, and a 400 in the API unless confirmed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from best import services
from best.models import Arrest, Unit
from partnerships.models import AccessLevel, AuditEvent, JointCase
from partnerships.tests.factories import share
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


# --- planned units -------------------------------------------------------------------------------

def test_the_hsi_administrator_marks_the_unit_planned_on_its_page(client, world):
    client.force_login(world.hsi_admin.user)
    response = client.post(reverse("best:unit_status", args=[world.unit.pk]), {"status": "planned"})
    assert response.status_code == 302
    world.unit.refresh_from_db()
    assert world.unit.status == Unit.Status.PLANNED
    assert "not yet at work" in client.get(reverse("best:unit_members", args=[world.unit.pk])).content.decode()
    assert AuditEvent.objects.filter(object_type="best_unit", detail__status={"old": "active", "new": "planned"})
    with pytest.raises(services.BestRefused, match="planned, not yet at work"):
        world.open()
    assert not JointCase.objects.filter(program="best").exists()


def test_the_unit_status_through_the_api(world):
    url = reverse("best_api:unit_status", args=[world.unit.pk])
    assert api(world.cast.alice).post(url, {"status": "planned"}, format="json").status_code == 403
    response = api(world.hsi_admin.user).post(url, {"status": "planned"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "planned"
    units = api(world.cast.alice).get(reverse("best_api:unit_list")).json()["results"]
    assert units[0]["status"] == "planned"
    assert api(world.cast.charlie).post(url, {"status": "active"}, format="json").status_code == 404
    world.unit.refresh_from_db()
    assert world.unit.status == "planned"


def test_an_officer_may_not_mark_the_unit(client, world):
    client.force_login(world.cast.alice)
    assert client.post(reverse("best:unit_status", args=[world.unit.pk]), {"status": "planned"}).status_code == 403
    world.unit.refresh_from_db()
    assert world.unit.status == "active"


# --- the roster on the investigation page -------------------------------------------------------

def test_a_member_agency_sees_the_units_roster_on_the_investigation_page(client, world, investigation):
    client.force_login(world.cast.alice)
    page = client.get(reverse("best:investigation_detail", args=[investigation.case.reference])).content.decode()
    assert "Roster of Detroit BEST" in page and "Luis Ortega" in page and "Task force officer" in page


def test_a_partner_outside_the_unit_sees_the_case_not_the_roster(client, world, investigation):
    share(investigation.case, world.cast.charlie.officer.agency, AccessLevel.VIEW, by=world.agent.user)
    client.force_login(world.cast.charlie)
    page = client.get(reverse("best:investigation_detail", args=[investigation.case.reference])).content.decode()
    assert investigation.case.title in page
    assert "Roster of" not in page and "Luis Ortega" not in page


# --- the same person arrested twice the same day --------------------------------------------------

def arrest_form(investigation, **extra):
    return {"arrest-subject": investigation.person.pk, "arrest-arrested_on": str(timezone.localdate()),
            "arrest-charging_country": "US", "arrest-nationality": "Brazilian", **extra}


def test_the_form_warns_of_a_second_arrest_the_same_day_and_records_it_once_confirmed(client, world, investigation):
    client.force_login(world.cast.alice)
    url = reverse("best:investigation_action", args=[investigation.case.reference, "arrest"])
    assert client.post(url, arrest_form(investigation)).status_code == 302
    warned = client.post(url, arrest_form(investigation))
    assert warned.status_code == 400
    page = warned.content.decode()
    assert "Marco Silva is already recorded as arrested on" in page
    assert 'type="checkbox" name="arrest-confirm_duplicate"' in page
    assert Arrest.objects.count() == 1
    assert client.post(url, arrest_form(investigation, **{"arrest-confirm_duplicate": "on"})).status_code == 302
    assert Arrest.objects.count() == 2


def test_the_api_refuses_a_second_arrest_the_same_day_unless_confirmed(world, investigation):
    url = reverse("best_api:arrests", args=[investigation.case.reference])
    body = {"person": investigation.person.pk, "arrested_on": str(timezone.localdate()), "charging_country": "US",
            "nationality": "Brazilian"}
    client = api(world.cast.alice)
    assert client.post(url, body, format="json").status_code == 201
    again = client.post(url, body, format="json")
    assert again.status_code == 400
    assert "already recorded as arrested" in again.json()["errors"]["non_field_errors"][0]
    assert Arrest.objects.count() == 1
    assert client.post(url, {**body, "confirm_duplicate": True}, format="json").status_code == 201
    assert Arrest.objects.count() == 2
