"""IBET reads and writes are recorded once, through the door they came in: the API's as api, the pages' as page."""

import pytest
from django.urls import reverse

from ibet import services
from ibet.tests.factories import make_pacific, record
from partnerships.models import AuditEvent
from partnerships.tests.records import written
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def pacific(cast):
    return make_pacific(cast)


@pytest.fixture
def report(pacific):
    return services.report_enter(by=pacific.cast.alice, team=pacific, subject="Courier network",
                                 text="Vehicles staged at night", reliability="B", credibility="2",
                                 handling_code="H0", releasability="ca_us")


def test_ibet_reports_api_list_is_audited_with_door_api(pacific, report):
    bob = api(pacific.cast.bob)
    answer, records = written(lambda: bob.get(reverse("ibet_api:report_list"), {"page_size": "10"}))
    assert answer.json()["count"] == 1
    assert [(r.door, r.username, r.object_type, r.detail["query"]) for r in records] == [
        ("api", "bob", "intelligence_report", {"page_size": "10"})]


def test_ibet_report_detail_through_the_api_is_audited_with_door_api(pacific, report):
    bob = api(pacific.cast.bob)
    answer, records = written(lambda: bob.get(reverse("ibet_api:report_detail", args=[report.pk])))
    assert answer.status_code == 200
    assert [(r.door, r.username, r.object_type, r.object_ref) for r in records] == [
        ("api", "bob", "intelligence_report", str(report.pk))]


def test_ibet_occurrences_api_list_and_detail_are_audited_with_door_api(pacific):
    occurrence = record(pacific, pacific.cast.alice)
    bob = api(pacific.cast.bob)
    _listed, listing = written(lambda: bob.get(reverse("ibet_api:occurrence_list")))
    _read, reading = written(lambda: bob.get(reverse("ibet_api:occurrence_detail", args=[occurrence.pk])))
    assert [(r.door, r.object_type) for r in listing] == [("api", "occurrence")]
    assert [(r.door, r.object_type, r.object_ref) for r in reading] == [("api", "occurrence", str(occurrence.pk))]


def test_charlie_gets_404_on_an_ibet_report_and_his_empty_list_is_recorded_as_read(pacific, report):
    charlie = api(pacific.cast.charlie)
    answer, records = written(lambda: charlie.get(reverse("ibet_api:report_detail", args=[report.pk])))
    assert answer.status_code == 404 and records == []
    listed, records = written(lambda: charlie.get(reverse("ibet_api:report_list")))
    assert listed.json()["results"] == [] and [(r.door, r.username) for r in records] == [("api", "charlie")]


def test_ibet_report_created_through_api_is_recorded_with_door_api(pacific):
    alice = api(pacific.cast.alice)
    created, records = written(lambda: alice.post(reverse("ibet_api:report_list"), {
        "team": pacific.pk, "subject": "Courier network", "text": "Vehicles staged at night",
        "reliability": "B", "credibility": "2"}, format="json"))
    assert created.status_code == 201
    assert [(r.action, r.door, r.object_type, r.object_ref) for r in records] == [
        (AuditEvent.Action.TEAM_RECORD, "api", "intelligence_report", str(created.json()["id"]))]


def test_ibet_occurrence_recorded_through_api_is_recorded_with_door_api(pacific):
    from ibet.tests.test_api import body

    bob = api(pacific.cast.bob)
    created, records = written(lambda: bob.post(reverse("ibet_api:occurrence_list"), body(pacific), format="json"))
    assert created.status_code == 201
    assert [(r.action, r.door, r.object_type) for r in records] == [
        (AuditEvent.Action.TEAM_RECORD, "api", "occurrence")]


def test_ibet_report_entered_on_the_page_is_recorded_with_door_page(client, pacific):
    client.force_login(pacific.cast.alice)
    created, records = written(lambda: client.post(reverse("ibet:report_create"), {
        "team": pacific.pk, "subject": "Courier network", "text": "Vehicles staged at night", "reliability": "B",
        "credibility": "2", "handling_code": "H0", "releasability": "ca_us"}))
    assert created.status_code == 302
    assert [(r.action, r.door) for r in records] == [(AuditEvent.Action.TEAM_RECORD, "page")]


def test_ibet_report_pages_are_audited_with_door_page(client, pacific, report):
    client.force_login(pacific.cast.bob)
    _listed, listing = written(lambda: client.get(reverse("ibet:report_list")))
    _read, reading = written(lambda: client.get(reverse("ibet:report_detail", args=[report.pk])))
    assert [(r.door, r.object_type) for r in listing] == [("page", "intelligence_report")]
    assert [(r.door, r.object_type, r.object_ref) for r in reading] == [
        ("page", "intelligence_report", str(report.pk))]
