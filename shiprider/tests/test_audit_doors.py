"""ShipRider reads and writes are recorded once, through the door they came in. Patrols are team records: alice's
agency (RCMP) is a member of the site, charlie's (OPP) is not."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import AuditEvent
from partnerships.tests.records import written
from partnerships.tests.test_api import api
from shiprider import services
from shiprider.models import Patrol
from shiprider.tests.test_api import SOON, body

pytestmark = pytest.mark.django_db


def test_shiprider_patrols_api_list_and_detail_are_audited_with_door_api(alice, patrol):
    client = api(alice)
    listed, listing = written(lambda: client.get(reverse("shiprider_api:patrol_list"), {"format": "csv"}))
    read, reading = written(lambda: client.get(reverse("shiprider_api:patrol_detail", args=[patrol.pk])))
    assert listed.status_code == read.status_code == 200
    assert [(r.door, r.username, r.object_type, r.detail["query"]) for r in listing] == [
        ("api", "alice", "patrol", {"format": "csv"})]
    assert [(r.door, r.object_type, r.object_ref) for r in reading] == [("api", "patrol", str(patrol.pk))]


def test_charlie_gets_404_on_a_patrol_through_the_api_and_no_read_is_recorded(charlie, patrol):
    client = api(charlie)
    answer, records = written(lambda: client.get(reverse("shiprider_api:patrol_detail", args=[patrol.pk])))
    assert answer.status_code == 404 and records == []


def test_a_patrol_and_its_log_written_through_the_api_are_recorded_with_door_api(world):
    client = api(world.rcmp_lead.user)
    planned, planning = written(lambda: client.post(reverse("shiprider_api:patrol_list"), body(world, days_ahead=SOON),
                                                    format="json"))
    services.patrol_start(by=world.rcmp_lead.user, patrol=Patrol.objects.get(pk=planned.json()["id"]))
    url = reverse("shiprider_api:patrol_activities", args=[planned.json()["id"]])
    logged, logging = written(lambda: client.post(url, {
        "kind": "boarding", "occurred_at": timezone.now().isoformat(), "waters": "CA",
        "directing_officer": world.rcmp_lead.pk, "target_name": "Night Hawk"}, format="json"))
    assert planned.status_code == logged.status_code == 201
    assert [(r.action, r.door, r.object_type) for r in planning + logging] == [
        (AuditEvent.Action.PATROL_CHANGE, "api", "patrol"), (AuditEvent.Action.PATROL_CHANGE, "api", "patrol")]


def test_shiprider_pages_record_their_reads_through_their_door(client, alice, patrol):
    services.radio_plan_save(by=alice, patrol=patrol, incident_name="Detroit River", period_from=patrol.planned_start,
                             period_to=patrol.planned_end, prepared_by="Cpl Bouchard", channels=[
                                 {"zone_group": "Detroit", "channel_number": "16", "function": "Calling",
                                  "channel_name": "Ch 16", "assignment": "All", "rx_frequency": Decimal("156.80000"),
                                  "rx_bandwidth": "N", "rx_tone": "", "tx_frequency": Decimal("156.80000"),
                                  "tx_bandwidth": "N", "tx_tone": "", "mode": "A", "remarks": ""}])
    client.force_login(alice)
    doors = {}
    for name in ("patrol_list", "calendar", "figures", "patrol_detail", "radio_plan", "radio_plan_print",
                 "radio_plan_pdf"):
        args = [] if name in ("patrol_list", "calendar", "figures") else [patrol.pk]
        answer, records = written(lambda name=name, args=args: client.get(reverse(f"shiprider:{name}", args=args)))
        assert answer.status_code == 200, name
        doors[name] = [r.door for r in records]
    assert doors == {"patrol_list": ["page"], "calendar": ["page"], "figures": ["page"], "patrol_detail": ["page"],
                     "radio_plan": ["page"], "radio_plan_print": ["print"], "radio_plan_pdf": ["print"]}


def test_the_patrol_calendar_feed_is_recorded_as_its_owners_export(client, alice, patrol):
    key = services.calendar_feed_issue(user=alice)
    answer, records = written(lambda: client.get(reverse("shiprider:ical", args=[key])))
    assert answer.status_code == 200
    assert [(r.door, r.username, r.object_type) for r in records] == [("export", "alice", "patrol")]
