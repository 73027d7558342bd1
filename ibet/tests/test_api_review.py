"""The review of an intelligence report through the API: validate or purge, by the source agency's supervisors only
(anyone else gets 404, as on the page), with the page's messages."""

import pytest
from django.urls import reverse

from ibet.models import IntelligenceReport
from ibet.tests.factories import make_pacific
from partnerships.models import AuditEvent, Officer
from partnerships.tests.factories import OfficerFactory
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def pacific(cast):
    return make_pacific(cast)


@pytest.fixture
def report(pacific):
    response = api(pacific.cast.alice).post(reverse("ibet_api:report_list"), {
        "team": pacific.pk, "subject": "Courier network", "text": "Vehicles staged at night",
        "reliability": "B", "credibility": "2"}, format="json")
    return IntelligenceReport.objects.get(pk=response.json()["id"])


@pytest.fixture
def supervisor(pacific):
    return OfficerFactory(agency=pacific.cast.alice.officer.agency, role=Officer.Role.SUPERVISOR,
                          user__username="rcmp.sup").user


def review(user, report, **body):
    return api(user).post(reverse("ibet_api:report_review", args=[report.pk]), body, format="json")


def test_a_supervisor_of_the_source_agency_validates_then_purges(report, supervisor):
    valid = review(supervisor, report, decision="validate", reason="Still relevant")
    assert valid.status_code == 200
    report.refresh_from_db()
    assert report.validated_by == supervisor and report.validation_reason == "Still relevant"
    purged = review(supervisor, report, decision="purge", reason="No longer meets the criteria")
    assert purged.status_code == 200 and purged.json()["subject"] == ""
    report.refresh_from_db()
    assert report.purged_at and report.text == ""
    again = review(supervisor, report, decision="validate", reason="x")
    assert again.json()["errors"]["non_field_errors"] == ["Only a supervisor of the source agency reviews this report."]
    doors = set(AuditEvent.objects.filter(object_type="intelligence_report", object_ref=str(report.pk),
                                          detail__change__in=["validate", "purge"]).values_list("door", flat=True))
    assert doors == {AuditEvent.Door.API}


def test_a_member_who_is_no_reviewer_and_charlie_get_404(pacific, report):
    for user in (pacific.cast.bob, pacific.cast.alice, pacific.cast.charlie):
        assert review(user, report, decision="purge", reason="x").status_code == 404
    report.refresh_from_db()
    assert report.purged_at is None and report.subject == "Courier network"


def test_bad_input_is_refused_and_changes_nothing(report, supervisor):
    bad = review(supervisor, report, decision="shred", reason="")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"decision", "reason"}
    blank = review(supervisor, report, decision="purge", reason="   ")
    assert blank.status_code == 400
    report.refresh_from_db()
    assert report.purged_at is None and report.validated_at is None
