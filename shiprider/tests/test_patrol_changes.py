"""Changing and cancelling a planned patrol (issue 21): pages, API, notices, iCal, audit; charlie sees nothing."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from partnerships import notifications
from partnerships.models import AuditEvent, Notification
from shiprider import services
from shiprider.models import Patrol
from shiprider.tests.test_planning import feed_key

pytestmark = pytest.mark.django_db


def local(world, moment):
    return moment.astimezone(ZoneInfo(world.site.time_zone)).strftime("%Y-%m-%dT%H:%M")


def edit_post(world, patrol, *, start, end, vessel=None, crew=None):
    crew = crew or [(world.rcmp_lead, "host_lead"), (world.rcmp_cox, "coxswain"), (world.uscg_bo, "boarding_officer")]
    data = {"vessel": (vessel or world.vessel).pk, "planned_start": local(world, start),
            "planned_end": local(world, end), "notes": "moved",
            "crew-TOTAL_FORMS": "6", "crew-INITIAL_FORMS": "0", "crew-MIN_NUM_FORMS": "0", "crew-MAX_NUM_FORMS": "12"}
    for index, (officer, role) in enumerate(crew):
        data[f"crew-{index}-officer"], data[f"crew-{index}-role"] = officer.pk, role
    for index in range(len(crew), 6):
        data[f"crew-{index}-role"] = "crew"
    return data


def test_a_planner_changes_the_times_and_crew_on_the_page_and_the_crew_is_told(client, world, patrol):
    client.force_login(world.rcmp_lead.user)
    page = client.get(reverse("shiprider:patrol_edit", args=[patrol.pk]))
    assert page.status_code == 200 and "Inkster" in page.content.decode()
    start = patrol.planned_start + datetime.timedelta(hours=2)
    response = client.post(reverse("shiprider:patrol_edit", args=[patrol.pk]),
                           edit_post(world, patrol, start=start, end=start + datetime.timedelta(hours=6),
                                     crew=[(world.rcmp_lead, "host_lead"), (world.uscg_bo, "boarding_officer")]))
    assert response.status_code == 302
    patrol.refresh_from_db()
    assert patrol.sequence == 1 and patrol.notes == "moved"
    assert patrol.planned_start.replace(second=0, microsecond=0) == start.replace(second=0, microsecond=0)
    assert set(patrol.crew.values_list("officer__last_name", flat=True)) == {"Bouchard", "Reed"}
    # Sarah, taken off the crew, and Marcus (crew) are told; so is USCG's administrator; not the planner himself.
    told = set(Notification.objects.filter(kind=Notification.Kind.PATROL_CHANGED)
               .values_list("recipient__username", flat=True))
    assert told == {"sarah", "marcus", "uscg.admin"}
    notice = Notification.objects.filter(recipient=world.rcmp_cox.user).first()
    text, url = notifications.describe(notice, world.rcmp_cox.user)
    assert "(crew, end, notes, start)" in text and url == reverse("shiprider:patrol_detail", args=[patrol.pk])
    assert "EST" in text  # the site's zone, not UTC
    event = AuditEvent.objects.filter(object_type="patrol", object_ref=str(patrol.pk), detail__change="edit").get()
    assert set(event.detail["old"]) == {"crew", "end", "notes", "start"} and event.detail["new"]["notes"] == "moved"


def test_the_same_plan_again_changes_nothing_and_tells_no_one(world, patrol):
    services.patrol_change(by=world.rcmp_lead.user, patrol=patrol, vessel=world.vessel,
                           planned_start=patrol.planned_start, planned_end=patrol.planned_end, crew=world.crew())
    patrol.refresh_from_db()
    assert patrol.sequence == 0 and not Notification.objects.exists()


def test_a_change_follows_the_scheduling_rules_and_saves_nothing_when_refused(client, world, patrol):
    client.force_login(world.rcmp_lead.user)
    start = patrol.planned_start
    response = client.post(reverse("shiprider:patrol_edit", args=[patrol.pk]),
                           edit_post(world, patrol, start=start, end=start + datetime.timedelta(hours=2),
                                     crew=[(world.rcmp_lead, "host_lead"), (world.rcmp_cox, "coxswain")]))
    assert response.status_code == 400
    assert "Both countries must be on board" in response.content.decode()
    patrol.refresh_from_db()
    assert patrol.sequence == 0 and patrol.crew.count() == 3 and not Notification.objects.exists()
    # Its own time is no clash with itself, but another patrol's vessel is.
    other_start, other_end = world.window(days_ahead=6)
    other, _warnings = services.patrol_schedule(by=world.rcmp_lead.user, site=world.site, vessel=world.us_vessel,
                                                planned_start=other_start, planned_end=other_end,
                                                crew=[(world.rcmp_lead, "crew"), (world.uscg_bo, "host_lead")])
    with pytest.raises(services.PatrolRefused, match="Name exactly one host lead"):
        services.patrol_change(by=world.rcmp_lead.user, patrol=other, vessel=world.us_vessel,
                               planned_start=other_start, planned_end=other_end,
                               crew=[(world.rcmp_lead, "host_lead"), (world.uscg_bo, "crew")])
    with pytest.raises(services.PatrolRefused, match=r"already on a patrol from .* EST to .* EST"):
        services.patrol_change(by=world.rcmp_lead.user, patrol=other, vessel=world.vessel,
                               planned_start=patrol.planned_start, planned_end=patrol.planned_end,
                               crew=[(world.rcmp_lead, "host_lead"), (world.uscg_bo, "crew")])


def test_cancelling_needs_a_reason_tells_the_crew_and_shows_in_ical(client, world, patrol):
    key = feed_key(client, world.rcmp_cox.user)
    client.force_login(world.rcmp_lead.user)
    response = client.post(reverse("shiprider:patrol_cancel", args=[patrol.pk]), {"reason": "  "}, follow=True)
    assert "Give the reason for cancelling the patrol." in response.content.decode()
    patrol.refresh_from_db()
    assert patrol.status == Patrol.Status.PLANNED
    client.post(reverse("shiprider:patrol_cancel", args=[patrol.pk]), {"reason": "Ice on the river"})
    patrol.refresh_from_db()
    assert (patrol.status, patrol.cancel_reason, patrol.sequence) == ("cancelled", "Ice on the river", 1)
    assert set(Notification.objects.filter(kind=Notification.Kind.PATROL_CANCELLED)
               .values_list("recipient__username", flat=True)) == {"sarah", "marcus", "uscg.admin"}
    assert any("Ice on the river" in message.body for message in mail.outbox)
    client.logout()
    event = Calendar.from_ical(client.get(reverse("shiprider:ical", args=[key])).content).walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 1
    client.force_login(world.rcmp_cox.user)
    page = client.get(reverse("shiprider:patrol_detail", args=[patrol.pk])).content.decode()
    assert "Ice on the river" in page and reverse("shiprider:patrol_edit", args=[patrol.pk]) not in page
    with pytest.raises(services.PatrolRefused, match="Only a planned patrol can be cancelled."):
        services.patrol_cancel(by=world.rcmp_lead.user, patrol=patrol, reason="again")


def test_only_a_planned_patrol_changes(world, underway):
    with pytest.raises(services.PatrolRefused, match="Only a planned patrol can be changed."):
        services.patrol_change(by=world.rcmp_lead.user, patrol=underway, vessel=world.vessel,
                               planned_start=underway.planned_start, planned_end=underway.planned_end,
                               crew=world.crew())


def test_the_api_changes_and_cancels_with_the_same_rules_and_messages(client, world, patrol):
    client.force_login(world.uscg_bo.user)
    url = reverse("shiprider_api:patrol_detail", args=[patrol.pk])
    start = patrol.planned_start + datetime.timedelta(days=1)
    body = {"vessel": "RCMP-INK", "planned_start": start.isoformat(),
            "planned_end": (start + datetime.timedelta(hours=4)).isoformat(),
            "crew": [{"officer": world.rcmp_lead.pk, "role": "host_lead"},
                     {"officer": world.uscg_bo.pk, "role": "boarding_officer"}]}
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["sequence"] == 1 and len(response.json()["crew"]) == 2
    refused = client.put(url, {**body, "crew": body["crew"][:1]}, content_type="application/json")
    assert refused.status_code == 400 and "Both countries must be on board" in str(refused.json())
    assert client.put(url, {**body, "vessel": "NOPE"}, content_type="application/json").json()["errors"] == {
        "vessel": ["Unknown vessel."]}
    cancel = reverse("shiprider_api:patrol_cancel", args=[patrol.pk])
    assert client.post(cancel, {}, content_type="application/json").status_code == 400
    response = client.post(cancel, {"reason": "Weather"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert AuditEvent.objects.filter(object_ref=str(patrol.pk), door=AuditEvent.Door.API,
                                     detail__change="cancel").exists()


def test_charlie_finds_no_trace_of_the_patrol_or_the_site(client, world, patrol):
    client.force_login(world.cast.charlie)
    assert client.get(reverse("shiprider:patrol_edit", args=[patrol.pk])).status_code == 404
    assert client.post(reverse("shiprider:patrol_cancel", args=[patrol.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("shiprider:site_detail", args=[world.site.pk])).status_code == 404
    assert "Windsor" not in client.get(reverse("shiprider:site_list")).content.decode()
    assert client.put(reverse("shiprider_api:patrol_detail", args=[patrol.pk]), {"reason": "x"},
                      content_type="application/json").status_code == 404
    assert client.post(reverse("shiprider_api:patrol_cancel", args=[patrol.pk]), {"reason": "x"},
                       content_type="application/json").status_code == 404
    assert client.get(reverse("shiprider_api:site_detail", args=[world.site.pk])).status_code == 404
    patrol.refresh_from_db()
    assert patrol.status == "planned" and not Notification.objects.exists()


def test_members_see_the_sites_page_with_agencies_waterways_zone_and_vessels(client, world):
    client.force_login(world.uscg_bo.user)
    page = client.get(reverse("shiprider:site_list")).content.decode()
    assert "Windsor / Detroit" in page and "Detroit River" in page and "USCG" in page
    detail = client.get(reverse("shiprider:site_detail", args=[world.site.pk])).content.decode()
    assert "America/Toronto" in detail and "RCMP-INK" in detail and "45612" in detail
    api = client.get(reverse("shiprider_api:site_detail", args=[world.site.pk])).json()
    assert {v["hull_number"] for v in api["vessels"]} == {"RCMP-INK", "45612"}


def test_notices_show_the_sites_local_time_with_its_zone(world, patrol):
    """A 08:00 local patrol is announced at 08:00 with the site's zone, not in UTC."""
    zone = ZoneInfo(world.site.time_zone)
    day = (patrol.planned_start + datetime.timedelta(days=1)).astimezone(zone).date()
    start = datetime.datetime.combine(day, datetime.time(8), zone)
    services.patrol_change(by=world.rcmp_lead.user, patrol=patrol, vessel=world.vessel, planned_start=start,
                           planned_end=start + datetime.timedelta(hours=4), crew=world.crew())
    notice = Notification.objects.filter(recipient=world.uscg_bo.user).get()
    text, _url = notifications.describe(notice, world.uscg_bo.user)
    assert f"{day.isoformat()} 08:00 EST" in text


def test_the_register_shows_expiring_designations_first_and_expires_within_leaves_out_lapsed_ones(client, world):
    from partnerships.models import CrossDesignation
    from shiprider.tests.factories import designate

    soon = designate(world.rcmp_admin, world.uscg_admin.user, days=10)
    suspended = designate(world.uscg_admin, world.rcmp_admin.user, days=5)
    from partnerships.tests.factories import OfficerFactory

    revoked = designate(OfficerFactory(agency=world.rcmp_lead.agency), world.uscg_admin.user, days=3)
    CrossDesignation.objects.filter(pk=suspended.pk).update(status=CrossDesignation.Status.SUSPENDED)
    CrossDesignation.objects.filter(pk=revoked.pk).update(status=CrossDesignation.Status.REVOKED)
    client.force_login(world.rcmp_lead.user)
    rows = list(client.get(reverse("partnerships:designation_list")).context["page"])
    assert rows[0] == soon and rows[-1] == revoked and rows.index(suspended) > 3
    within = list(client.get(reverse("partnerships:designation_list"), {"expires_within": "30"}).context["page"])
    assert within == [soon]
    api = client.get(reverse("shiprider_api:designation_list"), {"expires_within": "30"}).json()
    assert [row["id"] for row in api["results"]] == [soon.pk]
    assert client.get(reverse("shiprider_api:designation_list")).json()["results"][0]["id"] == soon.pk


def test_the_ical_feed_gives_patrols_in_their_sites_time_zone_with_its_vtimezone(client, world, patrol):
    key = feed_key(client, world.rcmp_cox.user)
    client.logout()
    feed = Calendar.from_ical(client.get(reverse("shiprider:ical", args=[key])).content)
    event = feed.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == patrol.site.time_zone
    assert event["DTSTART"].dt == patrol.planned_start.replace(microsecond=0)  # the same moment, local time
    assert patrol.site.time_zone in [zone["TZID"] for zone in feed.walk("VTIMEZONE")]
