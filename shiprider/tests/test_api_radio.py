"""The patrol's ICS 205 radio plan through the API: the site's members read and write it, with the page's rules."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import AuditEvent
from partnerships.tests.test_api import api
from shiprider.models import Patrol, RadioPlan
from shiprider.tests.test_api import body as patrol_body

pytestmark = pytest.mark.django_db

CHANNEL = {"channel_number": "1", "function": "Command", "channel_name": "MARINE 16", "rx_frequency": "156.80000",
           "rx_bandwidth": "W", "tx_frequency": "156.80000", "tx_bandwidth": "W", "mode": "A"}


@pytest.fixture
def world(cast):
    from shiprider.tests.factories import ShipRiderWorld

    return ShipRiderWorld(cast)


@pytest.fixture
def patrol(world):
    api(world.rcmp_lead.user).post(reverse("shiprider_api:patrol_list"), patrol_body(world), format="json")
    return Patrol.objects.get()


def plan(**extra):
    start = timezone.now() + datetime.timedelta(days=3)
    return {"incident_name": "ShipRider Windsor", "period_from": start.isoformat(),
            "period_to": (start + datetime.timedelta(hours=8)).isoformat(), "prepared_by": "Cpl Bouchard",
            "channels": [CHANNEL], **extra}


def test_a_member_writes_the_plan_and_a_partner_reads_it(world, patrol):
    url = reverse("shiprider_api:radio_plan", args=[patrol.pk])
    assert api(world.rcmp_lead.user).get(url).status_code == 404  # no plan yet
    saved = api(world.rcmp_lead.user).put(url, plan(), format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["channels"][0]["channel_name"] == "MARINE 16"
    replaced = api(world.rcmp_lead.user).put(url, plan(channels=[{**CHANNEL, "channel_name": "WX1"}]), format="json")
    assert [c["channel_name"] for c in replaced.json()["channels"]] == ["WX1"]
    read = api(world.uscg_bo.user).get(url)
    assert read.status_code == 200 and read.json()["incident_name"] == "ShipRider Windsor"
    assert AuditEvent.objects.filter(door=AuditEvent.Door.API, detail__change="radio_plan").count() == 2


def test_the_pages_rules_refuse_with_the_pages_messages(world, patrol):
    url = reverse("shiprider_api:radio_plan", args=[patrol.pk])
    client = api(world.rcmp_lead.user)
    off_band = client.put(url, plan(channels=[{**CHANNEL, "rx_frequency": "5.00000"}]), format="json")
    assert off_band.status_code == 400 and "is outside" in off_band.json()["errors"]["non_field_errors"][0]
    start = timezone.now()
    backwards = client.put(url, plan(period_from=start.isoformat(), period_to=start.isoformat()), format="json")
    assert backwards.json()["errors"]["non_field_errors"] == ["The operational period must end after it starts."]
    empty = client.put(url, plan(channels=[]), format="json")
    assert empty.json()["errors"]["non_field_errors"] == ["List at least one channel."]
    unknown = client.put(url, plan(channels=[{**CHANNEL, "colour": "red"}]), format="json")
    assert unknown.status_code == 400
    assert not RadioPlan.objects.exists()


def test_charlie_gets_404(world, patrol):
    url = reverse("shiprider_api:radio_plan", args=[patrol.pk])
    assert api(world.cast.charlie).put(url, plan(), format="json").status_code == 404
    assert api(world.cast.charlie).get(url).status_code == 404
    assert not RadioPlan.objects.exists()
