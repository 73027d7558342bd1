"""Intelligence reports: grading, the five-year review (28 CFR 23), validation and purge."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ibet import selectors, services
from ibet.models import IntelligenceReport
from ibet.tests.factories import make_pacific
from partnerships.models import AuditEvent, Officer
from partnerships.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pacific(cast):
    team = make_pacific(cast)
    team.reviewer = OfficerFactory(agency=cast.alice.officer.agency, role=Officer.Role.SUPERVISOR,
                                   user__username="rcmp.reviewer").user
    return team


def enter(team, by, **extra):
    values = {"subject": "Courier network at Sumas", "text": "Vehicles staged on Vye Road at night.",
              "reliability": "B", "credibility": "2", "handling_code": "H0", "releasability": "ca_us", **extra}
    return services.report_enter(by=by, team=team, **values)


def visible(user):
    return set(selectors.report_list(user=user).values_list("pk", flat=True))


def test_a_report_is_graded_and_due_for_review_in_five_years(pacific):
    report = enter(pacific, pacific.cast.alice)
    assert report.grading == "B2" and report.source_agency == pacific.cast.alice.officer.agency
    assert report.review_due == services.review_date(timezone.localdate())
    assert (report.review_due - timezone.localdate()).days in (1826, 1827)


def test_past_its_review_date_a_report_leaves_everyones_view_but_the_reviewers(client, pacific):
    report = enter(pacific, pacific.cast.alice)
    IntelligenceReport.objects.filter(pk=report.pk).update(review_due=timezone.localdate() - datetime.timedelta(1))
    for user in (pacific.cast.alice, pacific.cast.bob, pacific.cast.charlie):
        assert report.pk not in visible(user)
        client.force_login(user)
        listing = client.get(reverse("ibet:report_list"))
        assert listing.context["page"].paginator.count == 0
        assert client.get(reverse("ibet:report_detail", args=[report.pk])).status_code == 404
    assert report.pk in visible(pacific.reviewer)
    client.force_login(pacific.reviewer)
    client.post(reverse("ibet:report_detail", args=[report.pk]), {"decision": "validate",
                                                                  "reason": "Investigation still active"})
    assert report.pk in visible(pacific.cast.bob) and report.pk in visible(pacific.cast.alice)
    report.refresh_from_db()
    assert (report.validated_by, report.validation_reason) == (pacific.reviewer, "Investigation still active")


def test_a_purge_leaves_only_a_tombstone_and_an_audit_record(client, pacific):
    report = enter(pacific, pacific.cast.alice)
    client.force_login(pacific.reviewer)
    client.post(reverse("ibet:report_detail", args=[report.pk]), {"decision": "purge", "reason": "No longer relevant"})
    report.refresh_from_db()
    assert (report.subject, report.text, report.purged_by) == ("", "", pacific.reviewer)
    assert report.pk not in visible(pacific.cast.bob)
    events = [e for e in AuditEvent.objects.filter(object_type="intelligence_report", object_ref=str(report.pk))
              if e.detail.get("change") == "purge"]
    assert len(events) == 1 and events[0].detail["reason"] == "No longer relevant"
    assert "Vye Road" not in str(events[0].detail)


def test_only_the_source_agencys_reviewers_review(pacific):
    report = enter(pacific, pacific.cast.alice)
    for user in (pacific.cast.alice, pacific.cast.bob):
        with pytest.raises(services.IbetRefused):
            services.report_validate(by=user, report=report, reason="x")


def test_charlie_sees_no_report_and_a_ca_only_report_stays_in_canada(pacific):
    everyone = enter(pacific, pacific.cast.alice)
    canada_only = enter(pacific, pacific.cast.alice, releasability="ca_only")
    assert visible(pacific.cast.charlie) == set()
    assert visible(pacific.cast.bob) == {everyone.pk}  # CBP is American
    assert visible(pacific.cast.alice) == {everyone.pk, canada_only.pk}


def test_the_daily_review_tells_the_reviewers(pacific):
    from partnerships.models import Notification

    report = enter(pacific, pacific.cast.alice)
    IntelligenceReport.objects.filter(pk=report.pk).update(review_due=timezone.localdate() - datetime.timedelta(1))
    assert services.reports_review_daily() == 1
    assert Notification.objects.filter(recipient=pacific.reviewer, kind="report_review_due").exists()


def test_grading_is_required_on_the_page(client, pacific):
    client.force_login(pacific.cast.alice)
    response = client.post(reverse("ibet:report_create"), {"team": pacific.pk, "subject": "S", "text": "T",
                                                           "reliability": "", "credibility": "7",
                                                           "handling_code": "H0", "releasability": "ca_us"})
    assert "This field is required." in response.content.decode()
    assert "Select a valid choice" in response.content.decode()
    assert not IntelligenceReport.objects.exists()
