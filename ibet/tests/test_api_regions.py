"""A region's Joint Management Team through the API, as the region page (issue 21): an agency administrator names
the representative, a representative records a meeting. charlie (OPP, no team in the region) gets 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ibet.models import JmtRepresentative, ManagementMeeting
from ibet.tests.factories import make_pacific
from ibet.tests.test_ibet import admin_of
from partnerships.models import AuditEvent
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def pacific(cast):
    return make_pacific(cast)


def name_representative(user, region, officer):
    return api(user).post(reverse("ibet_api:region_representatives", args=[region.pk]), {"officer": officer.pk},
                          format="json")


def test_an_rcmp_administrator_names_alice_and_alice_records_a_meeting(cast, pacific):
    response = name_representative(admin_of(cast.alice.officer.agency), pacific.region, cast.alice.officer)
    assert response.status_code == 201, response.content
    assert response.json()["agency"] == "RCMP" and response.json()["officer"] == cast.alice.officer.pk
    assert AuditEvent.objects.filter(object_type="jmt_representative", door=AuditEvent.Door.API).exists()
    held = timezone.localdate() - datetime.timedelta(days=1)
    meeting = api(cast.alice).post(reverse("ibet_api:region_meetings", args=[pacific.region.pk]),
                                   {"held_on": held.isoformat(), "notes": "Quarterly"}, format="json")
    assert meeting.status_code == 201, meeting.content
    assert ManagementMeeting.objects.get().held_on == held


def test_alice_who_is_no_administrator_is_refused_with_the_pages_message(cast, pacific):
    response = name_representative(cast.alice, pacific.region, cast.alice.officer)
    assert response.status_code == 400
    assert "Only an administrator of RCMP" in response.json()["errors"]["non_field_errors"][0]
    assert not JmtRepresentative.objects.exists()


def test_an_officer_of_another_agency_is_refused_by_field(cast, pacific):
    response = name_representative(admin_of(cast.alice.officer.agency), pacific.region, cast.bob.officer)
    assert response.status_code == 400 and "officer" in response.json()["errors"]


def test_bob_who_is_no_representative_cannot_record_a_meeting(cast, pacific):
    response = api(cast.bob).post(reverse("ibet_api:region_meetings", args=[pacific.region.pk]),
                                  {"held_on": timezone.localdate().isoformat()}, format="json")
    assert response.status_code == 400
    assert "Only a representative" in response.json()["errors"]["non_field_errors"][0]
    assert not ManagementMeeting.objects.exists()


def test_charlie_gets_404_on_a_region_he_has_no_team_in_and_leaves_no_trace(cast, pacific):
    opp_admin = admin_of(cast.charlie.officer.agency)
    assert name_representative(opp_admin, pacific.region, cast.charlie.officer).status_code == 404
    response = api(cast.charlie).post(reverse("ibet_api:region_meetings", args=[pacific.region.pk]),
                                      {"held_on": timezone.localdate().isoformat()}, format="json")
    assert response.status_code == 404 and "Pacific" not in response.content.decode()
    assert not JmtRepresentative.objects.exists() and not ManagementMeeting.objects.exists()
