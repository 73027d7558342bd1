import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from cbcf import briefing, services
from cbcf.models import AgendaItem, BriefingBook, Meeting
from cbcf.tests.factories import Forum

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(cast):
    return Forum(cast)


def accept_three(forum):
    alice, bob = forum.cast.alice, forum.cast.bob
    items = [forum.propose(alice, "Fentanyl precursors"), forum.propose(bob, "Radio interoperability"),
             forum.propose(alice, "ShipRider expansion", minutes=30), forum.propose(bob, "Unready item")]
    for item in items[:3]:
        services.item_decide(by=forum.secretariat, item=item, status="accepted")
    services.item_decide(by=forum.secretariat, item=items[3], status="declined", reason="Not ready for ministers")
    return items


def test_a_subgroup_without_a_co_chair_from_each_country_is_refused(forum):
    canadian = forum.cast.alice.officer
    with pytest.raises(services.ForumRefused, match="one Canadian and one American"):
        services.subgroup_create(by=forum.secretariat, name_en="Firearms", name_fr="Armes à feu",
                                 canadian_co_chair=canadian, american_co_chair=forum.cast.charlie.officer)
    subgroup = services.subgroup_create(by=forum.secretariat, name_en="Firearms", name_fr="Armes à feu",
                                        canadian_co_chair=canadian, american_co_chair=forum.cast.bob.officer)
    assert subgroup.name_en == "Firearms"


def test_the_secretariat_accepts_declines_reorders_and_the_timetable_computes_itself(forum):
    items = accept_three(forum)
    with pytest.raises(services.ForumRefused, match="reason"):
        services.item_decide(by=forum.secretariat, item=items[3], status="declined", reason="")
    services.item_move(by=forum.secretariat, item=items[2], direction="up")
    start = forum.meeting.starts_at.replace(hour=14, minute=0, second=0, microsecond=0)
    services.meeting_timing(by=forum.secretariat, meeting=forum.meeting, starts_at=start,
                            breaks=[{"after": 2, "minutes": 15}])
    forum.meeting.refresh_from_db()
    rows = services.timetable(forum.meeting)
    assert [row["item"].title_en if row["kind"] == "item" else "break" for row in rows] == [
        "Fentanyl precursors", "ShipRider expansion", "break", "Radio interoperability"]
    assert rows[-1]["start"] - rows[0]["start"] == datetime.timedelta(minutes=20 + 30 + 15)


def test_a_change_after_finalizing_makes_version_2_with_its_change_list(forum):
    items = accept_three(forum)
    services.agenda_advance(by=forum.secretariat, meeting=forum.meeting, state="circulated")
    services.agenda_advance(by=forum.secretariat, meeting=forum.meeting, state="final")
    forum.meeting.refresh_from_db()
    version_1 = forum.meeting.versions.get(number=1, state="final")
    kept = list(version_1.items)
    services.item_decide(by=forum.secretariat, item=items[1], status="deferred", reason="Next meeting")
    forum.meeting.refresh_from_db()
    assert (forum.meeting.agenda_version, forum.meeting.agenda_state) == (2, "draft")
    services.agenda_advance(by=forum.secretariat, meeting=forum.meeting, state="final")
    version_2 = forum.meeting.versions.get(number=2, state="final")
    assert "Removed: Radio interoperability" in version_2.changes
    version_1.refresh_from_db()
    assert version_1.items == kept  # version 1 stays as it was


def test_only_invited_agencies_propose_and_only_the_secretariat_decides(forum):
    with pytest.raises(services.ForumRefused, match="invited"):
        forum.propose(forum.cast.charlie, "Outsider item")
    item = forum.propose(forum.cast.alice, "Item")
    with pytest.raises(services.ForumRefused, match="secretariat"):
        services.item_decide(by=forum.cast.alice, item=item, status="accepted")


def test_open_actions_are_carried_into_the_next_meeting(forum):
    services.action_add(by=forum.secretariat, meeting=forum.meeting, text="Report on radio pilots",
                        owner=forum.cast.alice.officer.agency, due_on=timezone.localdate())
    later = services.meeting_create(by=forum.secretariat, title="Senior officials, fall", level="senior",
                                    place="Washington", host_country="US",
                                    starts_at=forum.meeting.starts_at + datetime.timedelta(days=180))
    assert [item.title_en for item in later.items.all()] == ["Follow-up: Report on radio pilots"]
    assert later.items.get().status == AgendaItem.Status.ACCEPTED


def test_the_briefing_book_reads_well_in_english_and_french_and_its_figures_match(forum,
                                                                                  django_capture_on_commit_callbacks):
    accept_three(forum)
    with django_capture_on_commit_callbacks(execute=True):
        books = services.briefing_book_build(by=forum.secretariat, meeting=forum.meeting)
    texts = {}
    for book in books:
        book.refresh_from_db()
        assert book.status == BriefingBook.Status.READY and book.agenda_version == 1
        reader = PdfReader(io.BytesIO(bytes(book.pdf)))
        texts[book.language] = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        assert len(reader.pages) >= 3 and "Page 2" in texts[book.language]
    assert "Timetable" in texts["en"] and "Fentanyl precursors" in texts["en"]
    assert "Fentanyl precursors (fr)" in texts["fr"] and "évaluée" in texts["fr"]
    figures = briefing.figures(meeting=forum.meeting)
    assert set(figures) == {"start", "end", "shiprider", "ibet", "best"}
    assert f"ShipRider patrols {briefing.shown(figures['shiprider']['patrols'])}" in texts["en"]
    assert "Program-wide totals, taken" in texts["en"] and "Totaux de l’ensemble de chaque programme" in texts["fr"]


def test_briefing_figures_are_the_programs_own_for_the_period(forum):
    from best import services as best_services
    from best.selectors import unit_report
    from best.tests.factories import BestWorld
    from partnerships import services as core_services
    from partnerships.models import AccessLevel
    from partnerships.tests.factories import share

    world = BestWorld(forum.cast)
    start, end = briefing.period(forum.meeting)
    investigation = world.open()
    person = core_services.subject_add(by=world.agent.user, case=investigation.case, kind="person", name="X")
    best_services.arrest_record(by=world.agent.user, investigation=investigation, subject=person,
                                arrested_on=start + datetime.timedelta(days=3), charging_country="US",
                                nationality="CA")
    share(investigation.case, forum.secretariat.officer.agency, AccessLevel.VIEW, by=world.agent.user)
    figures = briefing.figures(meeting=forum.meeting)
    report = unit_report(user=forum.secretariat, unit=world.unit, start=start, end=end)
    assert figures["best"]["arrests"] == report["arrests"] == 1


def test_ics_and_feed_parse_and_carry_alarms(client, forum):
    client.force_login(forum.cast.alice)
    ics = client.get(reverse("cbcf:meeting_ics", args=[forum.meeting.pk]))
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert len(events) == 1 and len(events[0].walk("VALARM")) == 2
    url = client.post(reverse("cbcf:calendar_feed")).context["feed_url"]
    client.logout()
    feed = client.get("/cbcf/calendar/" + url.rsplit("/", 1)[1])
    assert Calendar.from_ical(feed.content).walk("VEVENT")[0].walk("VALARM")


def test_charlie_sees_no_meeting_he_is_not_invited_to(client, forum):
    client.force_login(forum.cast.charlie)
    assert client.get(reverse("cbcf:home")).context["meetings"].count() == 0
    assert client.get(reverse("cbcf:meeting_detail", args=[forum.meeting.pk])).status_code == 404
    assert client.get(reverse("cbcf:meeting_ics", args=[forum.meeting.pk])).status_code == 404


def test_action_reminders_before_and_after_the_due_date(forum):
    from partnerships.models import Notification

    alice_agency = forum.cast.alice.officer.agency
    services.action_add(by=forum.secretariat, meeting=forum.meeting, text="Send the threat assessment",
                        owner=alice_agency, due_on=timezone.localdate() + datetime.timedelta(days=7))
    assert services.actions_daily() == 1 and services.actions_daily() == 0
    assert services.actions_daily(today=timezone.localdate() + datetime.timedelta(days=8)) == 1
    assert Notification.objects.filter(kind="action_due").count() >= 1




def test_the_api_gives_meetings_agendas_initiatives_and_actions_read_only(forum):
    from partnerships.tests.test_api import api

    accept_three(forum)
    services.agenda_advance(by=forum.secretariat, meeting=forum.meeting, state="final")
    client = api(forum.cast.alice)
    assert [m["id"] for m in client.get(reverse("cbcf_api:meeting_list")).json()["results"]] == [forum.meeting.pk]
    agendas = client.get(reverse("cbcf_api:agenda_list")).json()["results"]
    assert agendas[0]["state"] == "final" and len(agendas[0]["items"]) == 3
    refused = client.post(reverse("cbcf_api:meeting_list"), {}, format="json")  # the secretariat opens meetings
    assert refused.status_code == 403 and Meeting.objects.count() == 1
    charlie = api(forum.cast.charlie)
    assert charlie.get(reverse("cbcf_api:meeting_list")).json()["results"] == []
    assert charlie.get(reverse("cbcf_api:agenda_list")).json()["results"] == []


def test_delegates_and_attendance_are_recorded(client, forum):
    client.force_login(forum.secretariat)
    url = reverse("cbcf:participant_set", args=[forum.meeting.pk])
    client.post(url, {"officer": forum.cast.bob.officer.pk, "role": "delegate", "delegate_for": ""})
    assert not forum.meeting.participants.filter(role="delegate").exists()
    client.post(url, {"officer": forum.cast.bob.officer.pk, "role": "delegate",
                      "delegate_for": "DHS Deputy Secretary", "attended": "on"})
    participant = forum.meeting.participants.get(officer=forum.cast.bob.officer)
    assert (participant.role, participant.delegate_for, participant.attended) == (
        "delegate", "DHS Deputy Secretary", True)
