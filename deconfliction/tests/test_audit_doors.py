"""Deconfliction hits are team records: each side's reads of its own side are recorded once, through their door."""

import pytest
from django.urls import reverse

from deconfliction.models import HitParty
from partnerships.services import subject_add
from partnerships.tests.factories import JointCaseFactory
from partnerships.tests.records import written
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_side(alice, charlie, case):
    subject_add(by=alice, case=case, kind="phone", name="+1 313 555 0142")
    subject_add(by=charlie, case=JointCaseFactory(by=charlie, title="Walpole Island smuggling"), kind="phone",
                name="313.555.0142")
    return HitParty.objects.get(agency=alice.officer.agency)


def test_deconfliction_hits_api_list_is_audited_with_door_api(alice, alices_side):
    client = api(alice)
    listed, records = written(lambda: client.get(reverse("api-deconfliction-hits")))
    assert [hit["id"] for hit in listed.json()["results"]] == [alices_side.pk]
    assert [(r.door, r.username, r.object_type) for r in records] == [("api", "alice", "deconfliction_hit")]


def test_deconfliction_pages_record_the_reads_of_hits_with_door_page(client, alice, case, alices_side):
    client.force_login(alice)
    _home, listing = written(lambda: client.get(reverse("deconfliction:home")))
    _hit, reading = written(lambda: client.get(reverse("deconfliction:hit_detail", args=[alices_side.pk])))
    assert [(r.door, r.object_type) for r in listing] == [("page", "deconfliction_hit")]
    assert [(r.door, r.object_type, r.object_ref, r.case_id) for r in reading] == [
        ("page", "deconfliction_hit", str(alices_side.pk), case.pk)]


def test_charlie_gets_404_on_alices_side_of_the_hit_and_no_read_is_recorded(client, charlie, alices_side):
    client.force_login(charlie)
    answer, records = written(lambda: client.get(reverse("deconfliction:hit_detail", args=[alices_side.pk])))
    assert answer.status_code == 404 and records == []
