"""Planning an operation and settling hits through the API (issue 21), as the pages do: the same services, rules and
messages, audited through door = API. Each agency acts on its own side of a hit only: the other side is 404."""

import pytest
from django.urls import reverse

from deconfliction.models import HitParty, PlannedEvent
from deconfliction.tests.test_deconfliction import NEAR, RAID, assert_no_trace, window
from partnerships.models import AuditEvent
from partnerships.services import subject_add
from partnerships.tests.factories import JointCaseFactory
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


def plan(user, **body):
    times = {key: value.isoformat() for key, value in window(26, 30).items()}
    return api(user).post(reverse("api-deconfliction-events"), {"kind": "other", "title": "Raid at the marina",
                                                                **times, **body}, format="json")


def test_alice_plans_an_operation_for_her_case_and_charlie_near_it_gets_a_pointer_only(alice, charlie, case):
    mine = plan(alice, case=case.reference, **RAID)
    assert mine.status_code == 201, mine.content
    assert mine.json()["case"] == case.reference and mine.json()["warnings"] == []
    theirs = plan(charlie, title="Surveillance", **NEAR)
    assert theirs.status_code == 201
    assert any("RCMP" in warning for warning in theirs.json()["warnings"])
    assert_no_trace(theirs.content.decode(), case)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EVENT_PLAN, door=AuditEvent.Door.API).count() == 2


def test_charlie_naming_alices_case_is_refused_as_if_it_did_not_exist(charlie, case):
    response = plan(charlie, case=case.reference, **RAID)
    assert response.status_code == 400
    assert response.json()["errors"] == {"case": ["No case of yours has this reference."]}
    assert not PlannedEvent.objects.exists()


def test_bob_viewing_the_case_cannot_plan_for_it(bob, case):
    assert plan(bob, case=case.reference, **RAID).status_code == 400
    assert not PlannedEvent.objects.exists()


def test_no_place_is_refused_with_the_pages_message(alice):
    response = plan(alice, latitude=42.27)
    assert response.status_code == 400
    assert "Give a named area, or a point" in response.json()["errors"]["non_field_errors"][0]


@pytest.fixture
def sides(alice, charlie, case):
    charlies_case = JointCaseFactory(by=charlie, title="Walpole Island smuggling")
    subject_add(by=alice, case=case, kind="phone", name="+1 313 555 0142")
    subject = subject_add(by=charlie, case=charlies_case, kind="phone", name="313 555 0142")
    charlies = HitParty.objects.get(subject=subject)
    return charlies, HitParty.objects.exclude(pk=charlies.pk).get()


def test_charlie_acknowledges_and_closes_his_side_and_gets_404_on_alices(charlie, case, sides):
    charlies, alices = sides
    client = api(charlie)
    other = client.post(reverse("api-deconfliction-hit-acknowledge", args=[alices.pk]))
    assert other.status_code == 404
    assert_no_trace(other.content.decode(), case)
    acknowledged = client.post(reverse("api-deconfliction-hit-acknowledge", args=[charlies.pk]))
    assert acknowledged.status_code == 200 and acknowledged.json()["status"] == "acknowledged"
    again = client.post(reverse("api-deconfliction-hit-acknowledge", args=[charlies.pk]))
    assert again.status_code == 400 and "already acknowledged" in again.json()["errors"]["non_field_errors"][0]
    closed = client.post(reverse("api-deconfliction-hit-close", args=[charlies.pk]),
                         {"outcome": "coordinated", "note": "Called RCMP"}, format="json")
    assert closed.status_code == 200 and closed.json()["outcome"] == "coordinated"
    assert_no_trace(closed.content.decode(), case)
    alices.refresh_from_db()
    assert alices.status == "open"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DECONFLICTION_CLOSE, user=charlie,
                                     door=AuditEvent.Door.API).count() == 2


def test_a_close_without_an_outcome_is_refused_and_changes_nothing(charlie, sides):
    charlies, _alices = sides
    response = api(charlie).post(reverse("api-deconfliction-hit-close", args=[charlies.pk]), {"outcome": "maybe"},
                                 format="json")
    assert response.status_code == 400 and "outcome" in response.json()["errors"]
    charlies.refresh_from_db()
    assert charlies.status == "open"
