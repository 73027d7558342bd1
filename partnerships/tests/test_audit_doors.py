"""Reads of officers, designations, a case's own pages and notices are recorded once, through their door."""

import pytest
from django.urls import reverse

from partnerships import selectors
from partnerships.models import AuditEvent
from partnerships.tests.factories import JointCaseFactory, share
from partnerships.tests.records import written
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


def test_officers_api_list_is_audited_with_door_api(bob):
    client = api(bob)
    listed, records = written(lambda: client.get(reverse("api:officer_list"), {"page_size": "5"}))
    assert listed.status_code == 200
    assert [(r.door, r.username, r.object_type, r.detail["query"]) for r in records] == [
        ("api", "bob", "officer", {"page_size": "5"})]


@pytest.mark.parametrize("name, part", [("case_edit", "edit"), ("case_sharing", "sharing"),
                                        ("case_document_add", "documents"),
                                        ("case_request_court_release", "request_court_release")])
def test_a_case_page_besides_its_detail_is_recorded_as_a_case_read(client, alice, case, name, part):
    client.force_login(alice)
    answer, records = written(lambda: client.get(reverse(f"partnerships:{name}", args=[case.reference])))
    assert answer.status_code == 200
    assert [(r.action, r.door, r.case_id, r.detail["part"]) for r in records] == [
        (AuditEvent.Action.CASE_VIEW, "page", case.pk, part)]


def test_the_notifications_page_is_recorded_as_a_list_of_the_cases_it_names(client, alice, bob,
                                                                             django_capture_on_commit_callbacks):
    other = JointCaseFactory(by=alice, title="Fresh share")
    with django_capture_on_commit_callbacks(execute=True):
        share(other, bob.officer.agency, by=alice)
    client.force_login(bob)
    answer, records = written(lambda: client.get(reverse("partnerships:notifications")))
    assert "Fresh share" in answer.content.decode()
    assert [(r.action, r.door, r.detail["page"]) for r in records] == [(AuditEvent.Action.CASE_LIST, "page",
                                                                        "notifications")]
    assert records[0].pk in set(selectors.case_access_log(case=other).values_list("pk", flat=True))


def test_agency_officers_pages_are_recorded_as_reads_of_officers(client, alice):
    alice.officer.role = "agency_admin"
    alice.officer.save()
    client.force_login(alice)
    _listed, listing = written(lambda: client.get(reverse("partnerships:agency_officers")))
    _read, reading = written(lambda: client.get(reverse("partnerships:agency_officer_edit", args=[alice.officer.pk])))
    assert [(r.door, r.object_type) for r in listing] == [("page", "officer")]
    assert [(r.door, r.object_type, r.object_ref) for r in reading] == [("page", "officer", str(alice.officer.pk))]
