import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ibet import selectors, services
from ibet.models import JmtRepresentative, Occurrence, Region
from ibet.tests.factories import make_pacific, record
from partnerships.models import EnforcementResult, Notification, Officer
from partnerships.tests.factories import JointCaseFactory, OfficerFactory, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def pacific(cast):
    return make_pacific(cast)


def admin_of(agency):
    return OfficerFactory(agency=agency, role=Officer.Role.AGENCY_ADMIN).user


def test_a_jmt_takes_one_representative_per_core_agency(pacific):
    rcmp = pacific.cast.alice.officer.agency
    services.jmt_representative_add(by=admin_of(rcmp), region=pacific.region, officer=pacific.cast.alice.officer)
    with pytest.raises(services.IbetRefused, match="already has a RCMP representative"):
        services.jmt_representative_add(by=admin_of(rcmp), region=pacific.region,
                                        officer=OfficerFactory(agency=rcmp))
    assert JmtRepresentative.objects.count() == 1
    assert services.jmt_missing(pacific.region) == ["CBSA", "CBP", "HSI", "USCG"]


def test_a_non_core_agency_cannot_sit_on_the_jmt(pacific):
    opp = pacific.cast.charlie.officer.agency
    with pytest.raises(services.IbetRefused, match="core agencies"):
        services.jmt_representative_add(by=admin_of(opp), region=pacific.region, officer=pacific.cast.charlie.officer)


def test_the_team_list_shows_an_incomplete_jmt_and_an_overdue_meeting(client, pacific):
    Region.objects.filter(pk=pacific.region.pk).update(created_at=timezone.now() - datetime.timedelta(days=60))
    client.force_login(pacific.cast.alice)
    page = client.get(reverse("ibet:team_list")).content.decode()
    assert "Incomplete" in page and "missing RCMP, CBSA, CBP, HSI, USCG" in page and "Overdue since" in page


def test_an_overdue_meeting_reminds_the_representatives_once(pacific):
    rcmp = pacific.cast.alice.officer.agency
    services.jmt_representative_add(by=admin_of(rcmp), region=pacific.region, officer=pacific.cast.alice.officer)
    later = timezone.localdate() + datetime.timedelta(days=50)
    assert services.meetings_overdue_daily(today=later) == 1
    assert services.meetings_overdue_daily(today=later) == 0
    assert Notification.objects.filter(recipient=pacific.cast.alice, kind="meeting_overdue").count() == 1
    services.management_meeting_record(by=pacific.cast.alice, region=pacific.region, held_on=timezone.localdate())
    assert services.meeting_due(pacific.region)[2] is False


def test_occurrences_are_team_records_charlie_sees_none(client, pacific):
    occurrence = record(pacific, pacific.cast.bob,
                        results=[{"kind": "seizure", "category": "drugs", "quantity": 12, "unit": "kg",
                                  "description": "cocaine"}])
    assert EnforcementResult.objects.get().ibet_occurrences.get() == occurrence
    client.force_login(pacific.cast.alice)
    assert client.get(reverse("ibet:occurrence_detail", args=[occurrence.pk])).status_code == 200
    client.force_login(pacific.cast.charlie)
    assert client.get(reverse("ibet:occurrence_list")).context["page"].paginator.count == 0
    assert client.get(reverse("ibet:occurrence_detail", args=[occurrence.pk])).status_code == 404
    with pytest.raises(services.IbetRefused, match="member agencies"):
        record(pacific, pacific.cast.charlie)


def test_others_see_an_occurrence_only_through_a_case_shared_with_them(pacific):
    alice, charlie = pacific.cast.alice, pacific.cast.charlie
    case = JointCaseFactory(by=alice, program="ibet")
    occurrence = record(pacific, alice, case=case)
    assert not selectors.occurrence_list(user=charlie).filter(pk=occurrence.pk).exists()
    share(case, charlie.officer.agency, by=alice)
    assert selectors.occurrence_list(user=charlie).filter(pk=occurrence.pk).exists()


def test_recording_through_the_page_with_bad_input(client, pacific):
    client.force_login(pacific.cast.bob)
    when = (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    form = {"team": pacific.pk, "occurred_at": when, "kind": "pedestrian", "nearest_port": "Sumas",
            "persons_apprehended": "3", "nationalities": "MX, GT", "narrative": "Group on foot"}
    response = client.post(reverse("ibet:occurrence_create"), form)
    assert "Give the position (latitude and longitude) or a place." in response.content.decode()
    assert not Occurrence.objects.exists()
    response = client.post(reverse("ibet:occurrence_create"), {**form, "latitude": "49.0021", "longitude": "-122.26"})
    assert response.status_code == 302
    assert Occurrence.objects.get().persons_apprehended == 3


def test_an_occurrence_cannot_link_a_case_the_recorder_cannot_contribute_to(pacific):
    other = JointCaseFactory(by=pacific.cast.charlie, program="ibet")
    with pytest.raises(services.IbetRefused, match="contribute"):
        record(pacific, pacific.cast.bob, case=other)


