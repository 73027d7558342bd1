"""A patrol gets underway, records its waters and comes back through the API, with the pages' rules and messages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import AuditEvent
from partnerships.tests.test_api import api
from shiprider.models import Patrol
from shiprider.tests.test_api import SOON, body

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    from shiprider.tests.factories import ShipRiderWorld

    return ShipRiderWorld(cast)


@pytest.fixture
def patrol_id(world):
    return api(world.rcmp_lead.user).post(reverse("shiprider_api:patrol_list"), body(world, days_ahead=SOON),
                                          format="json").json()["id"]


def url(name, patrol_id):
    return reverse(f"shiprider_api:patrol_{name}", args=[patrol_id])


def test_a_member_starts_logs_waters_and_completes_a_patrol(world, patrol_id):
    client = api(world.rcmp_lead.user)
    started = client.post(url("start", patrol_id), {}, format="json")
    assert started.status_code == 200 and started.json()["status"] == "underway"
    waters = client.post(url("waters", patrol_id), {"country": "CA", "starts_at": timezone.now().isoformat(),
                                                    "directing_officer": world.rcmp_lead.pk}, format="json")
    assert waters.status_code == 201 and [w["country"] for w in waters.json()["waters"]] == ["CA"]
    done = client.post(url("complete", patrol_id), {}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    doors = set(AuditEvent.objects.filter(object_type="patrol", object_ref=str(patrol_id),
                                          detail__change__in=["start", "waters", "complete"]).values_list("door",
                                                                                                          flat=True))
    assert doors == {AuditEvent.Door.API}


def test_the_pages_messages_refuse_what_the_pages_refuse(world, patrol_id):
    client = api(world.rcmp_lead.user)
    early = client.post(url("complete", patrol_id), {}, format="json")
    assert early.status_code == 400
    assert early.json()["errors"]["non_field_errors"] == ["Only a patrol underway can be completed."]
    future = client.post(url("start", patrol_id), {"at": (timezone.now() + datetime.timedelta(hours=1)).isoformat()},
                         format="json")
    assert future.json()["errors"]["non_field_errors"] == ["A patrol gets underway when it leaves, not in the future."]
    planned = client.post(url("waters", patrol_id), {"country": "CA", "starts_at": timezone.now().isoformat(),
                                                     "directing_officer": world.rcmp_lead.pk}, format="json")
    assert planned.status_code == 400 and "has not got underway" in planned.json()["errors"]["non_field_errors"][0]
    assert Patrol.objects.get(pk=patrol_id).status == Patrol.Status.PLANNED


def test_the_directing_officer_must_be_on_board_and_of_the_waters_country(world, patrol_id):
    client = api(world.rcmp_lead.user)
    client.post(url("start", patrol_id), {}, format="json")
    now = timezone.now().isoformat()
    wrong = client.post(url("waters", patrol_id), {"country": "CA", "starts_at": now,
                                                   "directing_officer": world.uscg_bo.pk}, format="json")
    assert wrong.status_code == 400 and "cannot" in wrong.json()["errors"]["non_field_errors"][0]
    stranger = client.post(url("waters", patrol_id), {
        "country": "CA", "starts_at": now, "directing_officer": world.cast.charlie.officer.pk}, format="json")
    assert stranger.json()["errors"] == {"directing_officer": ["Not a member of this patrol's crew."]}
    naive = client.post(url("waters", patrol_id), {"country": "CA", "starts_at": "2026-05-01T18:00",
                                                   "directing_officer": world.rcmp_lead.pk}, format="json")
    assert naive.status_code == 400 and "starts_at" in naive.json()["errors"]
    assert not Patrol.objects.get(pk=patrol_id).waters.exists()


def test_charlie_gets_404_on_each_step(world, patrol_id):
    client = api(world.cast.charlie)
    for name in ("start", "complete", "waters"):
        assert client.post(url(name, patrol_id), {}, format="json").status_code == 404
    assert Patrol.objects.get(pk=patrol_id).status == Patrol.Status.PLANNED


def test_a_read_only_token_cannot_start_a_patrol(world, patrol_id):
    assert api(world.rcmp_lead.user, read_only=True).post(url("start", patrol_id), {}, format="json").status_code == 403
