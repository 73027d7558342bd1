"""Bad input to the forum's pages is answered with a clear 4xx or the form's message, never a 500, and saves
nothing; what was stored before the checks never takes a page down."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cbcf import services
from cbcf.models import AgendaItem, Initiative, Meeting
from cbcf.tests.factories import Forum

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "Give a date between 1900-01-01 and 2200-12-31."


@pytest.fixture
def forum(cast):
    return Forum(cast)


@pytest.fixture
def secretariat(client, forum):
    client.force_login(forum.secretariat)
    return client


def meeting_form(forum, **changes):
    return {"title": "Ministerial, winter", "level": "ministerial", "starts_at": "2027-02-10T09:00",
            "place": "Ottawa", "time_zone": "America/Toronto", "host_country": "CA",
            "participants": [forum.cast.alice.officer.pk], **changes}


# --- dates in range (fault 1) -----------------------------------------------------------------------------------

@pytest.mark.parametrize("starts_at", ["9999-12-31T23:59", "0001-01-01T00:00", "2201-01-01T00:00", "1899-12-31T23:59"])
def test_meeting_start_in_year_9999_is_refused_and_nothing_saved(secretariat, forum, starts_at):
    response = secretariat.post(reverse("cbcf:meeting_create"), meeting_form(forum, starts_at=starts_at))
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert not Meeting.objects.filter(title="Ministerial, winter").exists()
    assert secretariat.get(reverse("cbcf:home")).status_code == 200


def test_meeting_timing_in_year_9999_is_refused_and_the_start_kept(secretariat, forum):
    before = forum.meeting.starts_at
    response = secretariat.post(reverse("cbcf:meeting_timing", args=[forum.meeting.pk]),
                                {"starts_at": "9999-12-31T23:59", "breaks": ""}, follow=True)
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    forum.meeting.refresh_from_db()
    assert forum.meeting.starts_at == before


def test_a_meeting_at_the_edges_of_the_range_is_taken(secretariat, forum):
    for starts_at in ("1900-01-01T00:00", "2200-12-31T23:59"):
        response = secretariat.post(reverse("cbcf:meeting_create"), meeting_form(forum, starts_at=starts_at))
        assert response.status_code == 302, starts_at
        assert secretariat.get(response["Location"]).status_code == 200


def test_an_initiative_due_in_year_9999_is_refused_and_nothing_saved(secretariat, forum):
    response = secretariat.post(reverse("cbcf:initiatives"), {
        "title_en": "Radio", "title_fr": "Radio", "text_en": "x", "text_fr": "x",
        "owners": [forum.cast.alice.officer.agency.pk], "partnership": "", "target_date": "9999-12-31",
        "status": "on_track"})
    assert response.status_code == 200 and OUT_OF_RANGE in response.content.decode()
    assert not Initiative.objects.exists()


# --- a start stored before the range was checked (fault 10: stored bad data) ------------------------------------

def test_a_meeting_stored_in_year_10000_is_brought_into_range_and_the_pages_answer(secretariat, forum, cast):
    # What the form let through before: 9999-12-31 23:59 local, year 10000 in UTC (PostgreSQL keeps it; SQLite,
    # which cannot, keeps 9999-12-31, which no time zone east of UTC can show).
    stored = "10000-01-01 04:59:00+00" if connection.vendor == "postgresql" else "9999-12-31 23:59:00"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cbcf_meeting SET starts_at = %s, time_zone = %s WHERE id = %s",
                       [stored, "UTC" if connection.vendor == "postgresql" else "Europe/Paris", forum.meeting.pk])
    migration = importlib.import_module("cbcf.migrations.0004_meeting_starts_at_in_range")
    migration.bring_into_range(apps, None)
    meeting = Meeting.objects.get(pk=forum.meeting.pk)
    assert meeting.starts_at == datetime.datetime(2200, 12, 31, tzinfo=datetime.UTC)
    for user in (forum.secretariat, cast.alice):
        secretariat.force_login(user)
        assert secretariat.get(reverse("cbcf:home")).status_code == 200
        assert secretariat.get(reverse("cbcf:meeting_detail", args=[meeting.pk])).status_code == 200
        assert secretariat.get(reverse("cbcf:meeting_ics", args=[meeting.pk])).status_code == 200


# --- a NUL in a filter (fault 2) --------------------------------------------------------------------------------

def test_a_nul_in_the_action_register_filter_is_refused_with_400(secretariat):
    response = secretariat.get("/cbcf/actions/?status=a%00b")
    assert response.status_code == 400
    assert "The request contains a character that is not allowed." in response.content.decode()


# --- items that are not ids, or not on the agenda (fault 7) ------------------------------------------------------

@pytest.mark.parametrize("item", ["abc", "", "99999999999999999999", "-1", "1e3"])
@pytest.mark.parametrize("route", ["cbcf:item_decide", "cbcf:item_move", "cbcf:decision_record"])
def test_an_item_that_is_not_an_id_answers_404_and_changes_nothing(secretariat, forum, route, item):
    proposed = forum.propose(forum.cast.alice, "Radio interoperability")
    response = secretariat.post(reverse(route, args=[forum.meeting.pk]), {
        "item": item, "status": "accepted", "reason": "", "direction": "up", "text": "Agreed"})
    assert response.status_code == 404
    proposed.refresh_from_db()
    assert proposed.status == AgendaItem.Status.PROPOSED and not proposed.decision


@pytest.mark.parametrize("status", ["declined", "deferred"])
def test_moving_an_item_declined_meanwhile_says_so_and_changes_nothing(secretariat, forum, status):
    alice = forum.cast.alice
    items = [forum.propose(alice, "Fentanyl precursors"), forum.propose(alice, "Radio interoperability")]
    for item in items:
        services.item_decide(by=forum.secretariat, item=item, status="accepted")
    # A second member of the secretariat declines it; the first, on a stale page, moves it.
    services.item_decide(by=forum.secretariat, item=items[1], status=status, reason="Next meeting")
    response = secretariat.post(reverse("cbcf:item_move", args=[forum.meeting.pk]),
                                {"item": items[1].pk, "direction": "up"}, follow=True)
    assert response.status_code == 200
    assert "Only an accepted item has a place on the agenda" in response.content.decode()
    assert [row["item"] for row in services.timetable(forum.meeting) if row["kind"] == "item"] == [items[0]]


# --- ids beyond any column (fault 10, SQLite: OverflowError) -----------------------------------------------------

def test_a_meeting_inviting_an_officer_id_beyond_any_column_is_refused_and_nothing_saved(secretariat, forum):
    response = secretariat.post(reverse("cbcf:meeting_create"),
                                meeting_form(forum, participants=["99999999999999999999"]))
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not Meeting.objects.filter(title="Ministerial, winter").exists()


def test_an_initiative_owned_by_an_agency_id_beyond_any_column_is_refused_and_nothing_saved(secretariat, forum):
    response = secretariat.post(reverse("cbcf:initiatives"), {
        "title_en": "Radio", "title_fr": "Radio", "text_en": "x", "text_fr": "x",
        "owners": ["99999999999999999999", "-99999999999999999999"], "partnership": "",
        "target_date": str(timezone.localdate()), "status": "on_track"})
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not Initiative.objects.exists()
