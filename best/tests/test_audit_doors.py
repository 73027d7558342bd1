"""BEST reads and writes are recorded once, through the door they came in. alice's agency (RCMP) leads the
investigation, bob's (CBP) has it shared at view, charlie's (OPP) has nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from best.tests.factories import BestWorld
from partnerships import selectors as core_selectors
from partnerships import services as core_services
from partnerships.models import AccessLevel, AuditEvent
from partnerships.tests.factories import share
from partnerships.tests.records import written
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigation(cast):
    investigation = BestWorld(cast).open(by=cast.alice)
    share(investigation.case, cast.bob.officer.agency, AccessLevel.VIEW, by=cast.alice)
    investigation.person = core_services.subject_add(by=cast.alice, case=investigation.case, kind="person",
                                                     name="Marco Silva")
    return investigation


def test_best_api_denial_is_recorded_with_door_api(charlie, investigation):
    url = reverse("best_api:investigation_detail", args=[investigation.case.reference])
    client = api(charlie)
    answer, records = written(lambda: client.get(url))
    assert answer.status_code == 404
    assert [(r.action, r.door, r.outcome, r.username, r.object_ref, r.detail["path"]) for r in records] == [
        (AuditEvent.Action.CASE_DENIED, "api", "denied", "charlie", investigation.case.reference, url)]


def test_best_page_denial_is_recorded_with_door_page(client, charlie, investigation):
    client.force_login(charlie)
    answer, records = written(lambda: client.get(
        reverse("best:investigation_detail", args=[investigation.case.reference])))
    assert answer.status_code == 404
    assert [(r.action, r.door) for r in records] == [(AuditEvent.Action.CASE_DENIED, "page")]


def test_bob_reading_the_investigation_is_recorded_as_a_case_read_by_its_door(client, bob, investigation):
    case = investigation.case
    bobs_api = api(bob)
    _api, through_api = written(lambda: bobs_api.get(reverse("best_api:investigation_detail", args=[case.reference])))
    client.force_login(bob)
    _page, on_page = written(lambda: client.get(reverse("best:investigation_detail", args=[case.reference])))
    assert [(r.action, r.door, r.case_id) for r in through_api + on_page] == [
        (AuditEvent.Action.CASE_VIEW, "api", case.pk), (AuditEvent.Action.CASE_VIEW, "page", case.pk)]
    # the page also shows bob the unit's roster (CBP is a member of the unit): named in the page's one record
    assert on_page[0].detail.get("roster_of_unit") == investigation.unit_id


def test_best_api_investigation_list_is_audited_with_the_cases_it_showed(bob, charlie, investigation):
    bobs_api, charlies_api = api(bob), api(charlie)
    listed, records = written(lambda: bobs_api.get(reverse("best_api:investigation_list")))
    assert [row["reference"] for row in listed.json()["results"]] == [investigation.case.reference]
    assert [(r.action, r.door, r.username) for r in records] == [(AuditEvent.Action.CASE_LIST, "api", "bob")]
    assert records[0].pk in set(core_selectors.case_access_log(case=investigation.case).values_list("pk", flat=True))
    _nothing, charlies = written(lambda: charlies_api.get(reverse("best_api:investigation_list")))
    assert charlies[0].pk not in set(
        core_selectors.case_access_log(case=investigation.case).values_list("pk", flat=True))


def test_an_arrest_recorded_through_the_api_is_recorded_with_door_api(alice, investigation):
    client = api(alice)
    created, records = written(lambda: client.post(
        reverse("best_api:arrests", args=[investigation.case.reference]),
        {"person": investigation.person.pk, "arrested_on": str(timezone.localdate() - datetime.timedelta(days=1)),
         "charging_country": "US", "nationality": "Canadian"}, format="json"))
    assert created.status_code == 201
    assert [(r.action, r.door, r.case_id) for r in records] == [
        (AuditEvent.Action.CASE_RECORD, "api", investigation.case.pk)]


def test_the_unit_report_is_recorded_through_the_door_of_its_format(client, alice, investigation):
    client.force_login(alice)
    url = reverse("best:unit_report", args=[investigation.unit.pk])
    period = {"start": "2000-01-01", "end": "2100-01-01"}
    doors = []
    for extra in ({}, {"format": "csv"}, {"format": "pdf"}):
        answer, records = written(lambda extra=extra: client.get(url, {**period, **extra}))
        assert answer.status_code == 200
        doors += [(r.action, r.door) for r in records]
    assert doors == [(AuditEvent.Action.CASE_LIST, "page"), (AuditEvent.Action.CASE_EXPORT, "export"),
                     (AuditEvent.Action.CASE_PRINT, "print")]
