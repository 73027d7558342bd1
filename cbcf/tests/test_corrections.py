"""Issue 21, CBCF: meetings and items are corrected, versions are compared, participants are told, reasons reach
the proposer, deferred items move on, the action register filters, no-op clicks make no version, and a rebuilt
book replaces the earlier one. charlie (not invited, owns nothing) sees no trace of any of it."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cbcf import services
from cbcf.models import AgendaItem, BriefingBook, Meeting
from cbcf.tests.factories import Forum
from cbcf.tests.test_cbcf import accept_three
from partnerships.models import Notification
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(cast):
    return Forum(cast)


def finalize(forum, on_commit):
    with on_commit(execute=True):
        services.agenda_advance(by=forum.secretariat, meeting=forum.meeting, state="circulated")
    with on_commit(execute=True):
        services.agenda_advance(by=forum.secretariat, meeting=forum.meeting, state="final")
    forum.meeting.refresh_from_db()


def sequence(client, meeting):
    return int(Calendar.from_ical(client.get(reverse("cbcf:meeting_ics", args=[meeting.pk])).content)
               .walk("VEVENT")[0]["SEQUENCE"])


def test_the_secretariat_edits_a_meeting_and_the_ics_sequence_grows(client, forum):
    client.force_login(forum.cast.alice)
    before = sequence(client, forum.meeting)
    client.force_login(forum.secretariat)
    url = reverse("cbcf:meeting_edit", args=[forum.meeting.pk])
    response = client.post(url, {"title": "Senior officials, spring (moved)", "place": "Gatineau",
                                 "level": "senior"})
    assert response.status_code == 302
    forum.meeting.refresh_from_db()
    assert (forum.meeting.title, forum.meeting.place) == ("Senior officials, spring (moved)", "Gatineau")
    client.force_login(forum.cast.alice)
    assert sequence(client, forum.meeting) == before + 1
    # Saving the same values changes nothing, not even the sequence.
    services.meeting_update(by=forum.secretariat, meeting=forum.meeting, title=forum.meeting.title,
                            place="Gatineau", level="senior")
    assert sequence(client, forum.meeting) == before + 1
    # A subgroup meeting needs its subgroup: refused in the user's language, nothing changes.
    client.force_login(forum.secretariat)
    response = client.post(url, {"title": "X", "place": "Y", "level": "subgroup"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Choisissez le sous-groupe qui se réunit." in response.content.decode()
    forum.meeting.refresh_from_db()
    assert forum.meeting.title == "Senior officials, spring (moved)"
    # An invited agency may not edit the meeting; charlie does not even find it.
    client.force_login(forum.cast.alice)
    assert client.get(url).status_code == 404
    client.force_login(forum.cast.charlie)
    assert client.post(url, {"title": "Mine", "place": "Here", "level": "senior"}).status_code == 404


def test_an_item_edit_before_final_makes_no_version_after_final_makes_the_next(client, forum):
    items = accept_three(forum)
    client.force_login(forum.secretariat)
    url = reverse("cbcf:item_edit", args=[forum.meeting.pk, items[0].pk])
    fields = {"title_en": "Fentanyl precursors", "title_fr": "Précurseurs du fentanyl", "summary_en": "About",
              "summary_fr": "À propos", "purpose": "discussion", "presenter": "RCMP", "minutes": 25,
              "background": "", "background_handling": "H0"}
    assert client.post(url, fields).status_code == 302
    forum.meeting.refresh_from_db()
    assert (forum.meeting.agenda_version, forum.meeting.agenda_state) == (1, "draft")
    assert AgendaItem.objects.get(pk=items[0].pk).minutes == 25
    with pytest.raises(services.ForumRefused):
        services.item_update(by=forum.secretariat, item=items[0], minutes=500)
    services.agenda_advance(by=forum.secretariat, meeting=forum.meeting, state="final")
    assert client.post(url, fields).status_code == 302  # the same values: no new version
    forum.meeting.refresh_from_db()
    assert (forum.meeting.agenda_version, forum.meeting.agenda_state) == (1, "final")
    assert client.post(url, {**fields, "minutes": 40}).status_code == 302
    forum.meeting.refresh_from_db()
    assert (forum.meeting.agenda_version, forum.meeting.agenda_state) == (2, "draft")
    services.agenda_advance(by=forum.secretariat, meeting=forum.meeting, state="final")
    assert any("minutes: 25 → 40" in change for change in forum.meeting.versions.get(number=2, state="final").changes)


def test_the_proposer_edits_its_own_proposal_only_while_it_is_proposed(client, forum):
    proposal = forum.propose(forum.cast.bob, "Radio interoperability")
    client.force_login(forum.cast.alice)  # invited, but not the proposer
    assert client.get(reverse("cbcf:item_edit", args=[forum.meeting.pk, proposal.pk])).status_code == 404
    services.item_update(by=forum.cast.bob, item=proposal, presenter="CBP Office of Field Operations")
    services.item_decide(by=forum.secretariat, item=proposal, status="accepted")
    with pytest.raises(services.ForumRefused, match="secretariat has decided"):
        services.item_update(by=forum.cast.bob, item=proposal, presenter="CBP")


def test_no_op_clicks_after_final_start_no_new_version(client, forum):
    items = accept_three(forum)
    services.agenda_advance(by=forum.secretariat, meeting=forum.meeting, state="final")
    client.force_login(forum.secretariat)
    first = forum.meeting.items.filter(status="accepted").order_by("order", "id").first()
    client.post(reverse("cbcf:item_move", args=[forum.meeting.pk]), {"item": first.pk, "direction": "up"})
    client.post(reverse("cbcf:item_decide", args=[forum.meeting.pk]), {"item": items[0].pk, "status": "accepted"})
    client.post(reverse("cbcf:item_decide", args=[forum.meeting.pk]),
                {"item": items[3].pk, "status": "declined", "reason": "Not ready for ministers"})
    services.meeting_timing(by=forum.secretariat, meeting=forum.meeting, starts_at=forum.meeting.starts_at,
                            breaks=forum.meeting.breaks)
    forum.meeting.refresh_from_db()
    assert (forum.meeting.agenda_version, forum.meeting.agenda_state) == (1, "final")
    # A real change does start the next version.
    client.post(reverse("cbcf:item_move", args=[forum.meeting.pk]), {"item": first.pk, "direction": "down"})
    forum.meeting.refresh_from_db()
    assert (forum.meeting.agenda_version, forum.meeting.agenda_state) == (2, "draft")


def test_circulating_and_finalizing_tell_the_participants_in_app_and_by_email(forum,
                                                                              django_capture_on_commit_callbacks):
    accept_three(forum)
    mail.outbox.clear()
    finalize(forum, django_capture_on_commit_callbacks)
    alice, bob, charlie = forum.cast.alice, forum.cast.bob, forum.cast.charlie
    for user in (alice, bob):
        notices = Notification.objects.filter(recipient=user, kind=Notification.Kind.AGENDA_CHANGED)
        assert sorted(n.detail["state"] for n in notices) == ["circulated", "final"]
    assert not Notification.objects.filter(recipient=charlie, kind=Notification.Kind.AGENDA_CHANGED).exists()
    assert any(forum.meeting.title in message.body for message in mail.outbox)
    assert all(charlie.email not in message.to for message in mail.outbox)
    # A second delivery of the task tells no one twice.
    assert services.agenda_notice(meeting_id=forum.meeting.pk, version=1, state="final",
                                  sequence=forum.meeting.sequence) == 0
    # The notice reads in the reader's language and leads to the versions.
    from django.utils import translation

    from partnerships import notifications

    notice = Notification.objects.filter(recipient=bob, detail__state="final").get()
    with translation.override("fr"):
        text, url = notifications.describe(notice, bob)
    assert text == f"L'ordre du jour de {forum.meeting.title} est définitif (version 1)."
    assert url.endswith("#versions")


def test_versions_side_by_side_and_charlie_sees_none(client, forum, django_capture_on_commit_callbacks):
    items = accept_three(forum)
    finalize(forum, django_capture_on_commit_callbacks)
    services.item_decide(by=forum.secretariat, item=items[1], status="deferred", reason="Next meeting")
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_advance(by=forum.secretariat, meeting=forum.meeting, state="final")
    v1 = forum.meeting.versions.get(number=1, state="final")
    v2 = forum.meeting.versions.get(number=2, state="final")
    client.force_login(forum.cast.bob)
    page = client.get(reverse("cbcf:meeting_detail", args=[forum.meeting.pk])).content.decode()
    assert reverse("cbcf:versions_compare", args=[forum.meeting.pk]) in page
    response = client.get(reverse("cbcf:versions_compare", args=[forum.meeting.pk]), {"a": v1.pk, "b": v2.pk})
    assert response.status_code == 200
    assert response.context["left"] == v1 and response.context["right"] == v2
    assert "Removed: Radio interoperability" in response.context["changes"]
    removed = [row for row in response.context["rows"] if row["right"] is None]
    assert [row["left"]["title_en"] for row in removed] == ["Radio interoperability"]
    client.force_login(forum.cast.charlie)
    assert client.get(reverse("cbcf:versions_compare", args=[forum.meeting.pk]),
                      {"a": v1.pk, "b": v2.pk}).status_code == 404


def test_the_proposer_sees_why_its_item_was_declined_others_do_not(client, forum):
    declined = forum.propose(forum.cast.bob, "Unready item")
    services.item_decide(by=forum.secretariat, item=declined, status="declined", reason="Not ready for ministers")
    client.force_login(forum.cast.bob)
    page = client.get(reverse("cbcf:meeting_detail", args=[forum.meeting.pk])).content.decode()
    assert "Not ready for ministers" in page
    client.force_login(forum.cast.alice)  # invited, not the proposer
    page = client.get(reverse("cbcf:meeting_detail", args=[forum.meeting.pk])).content.decode()
    assert "Not ready for ministers" not in page
    bob_items = {i["id"]: i for i in api(forum.cast.bob).get(reverse("cbcf_api:item_list")).json()["results"]}
    assert bob_items[declined.pk]["reason"] == "Not ready for ministers" and bob_items[declined.pk]["decided_at"]
    alice_items = {i["id"]: i for i in api(forum.cast.alice).get(reverse("cbcf_api:item_list")).json()["results"]}
    assert alice_items[declined.pk]["reason"] is None
    assert api(forum.cast.charlie).get(reverse("cbcf_api:item_list")).json()["results"] == []


def test_a_deferred_item_is_brought_to_a_later_meeting_of_the_same_series(client, forum):
    deferred = forum.propose(forum.cast.alice, "Fentanyl precursors")
    services.item_decide(by=forum.secretariat, item=deferred, status="deferred", reason="Next meeting")
    later = services.meeting_create(
        by=forum.secretariat, title="Senior officials, autumn", level="senior", place="Washington",
        host_country="US", starts_at=forum.meeting.starts_at + datetime.timedelta(days=150),
        participants=[(forum.cast.alice.officer, "member")])
    other_series = services.meeting_create(
        by=forum.secretariat, title="Ministerial", level="ministerial", place="Ottawa", host_country="CA",
        starts_at=forum.meeting.starts_at + datetime.timedelta(days=100))
    client.force_login(forum.secretariat)
    url = reverse("cbcf:item_carry", args=[forum.meeting.pk])
    client.post(url, {"item": deferred.pk, "meeting": other_series.pk})
    assert not AgendaItem.objects.filter(carried_from=deferred).exists()
    client.post(url, {"item": deferred.pk, "meeting": later.pk})
    carried = AgendaItem.objects.get(carried_from=deferred)
    assert (carried.meeting, carried.status, carried.title_en) == (later, "proposed", "Fentanyl precursors")
    with pytest.raises(services.ForumRefused, match="already"):
        services.item_carry(by=forum.secretariat, item=deferred, meeting=later)
    # Through the API: the same rules and message.
    second = forum.propose(forum.cast.alice, "Radio interoperability")
    services.item_decide(by=forum.secretariat, item=second, status="deferred", reason="Later")
    secretariat = api(forum.secretariat)
    refused = secretariat.post(reverse("cbcf_api:item_carry", args=[second.pk]), {"meeting": other_series.pk},
                               format="json")
    assert refused.status_code == 400 and "same series" in str(refused.json())
    made = secretariat.post(reverse("cbcf_api:item_carry", args=[second.pk]), {"meeting": later.pk}, format="json")
    assert made.status_code == 201 and made.json()["meeting"] == later.pk
    assert api(forum.cast.charlie).post(reverse("cbcf_api:item_carry", args=[second.pk]), {"meeting": later.pk},
                                        format="json").status_code == 404


def test_the_action_register_filters_on_the_page_and_in_the_api(client, forum):
    alice_agency, bob_agency = forum.cast.alice.officer.agency, forum.cast.bob.officer.agency
    today = timezone.localdate()
    late = services.action_add(by=forum.secretariat, meeting=forum.meeting, text="Late report", owner=alice_agency,
                               due_on=today - datetime.timedelta(days=3))
    soon = services.action_add(by=forum.secretariat, meeting=forum.meeting, text="Next week", owner=bob_agency,
                               due_on=today + datetime.timedelta(days=7))
    hidden_meeting = services.meeting_create(
        by=forum.secretariat, title="Charlie-free meeting", level="ministerial", place="Ottawa", host_country="CA",
        starts_at=timezone.now() + datetime.timedelta(days=40))
    hidden = services.action_add(by=forum.secretariat, meeting=hidden_meeting, text="Not for bob",
                                 owner=alice_agency, due_on=today - datetime.timedelta(days=1))
    client.force_login(forum.secretariat)
    url = reverse("cbcf:actions")
    assert {a.pk for a in client.get(url, {"overdue": "true"}).context["actions"]} == {late.pk, hidden.pk}
    assert [a.pk for a in client.get(url, {"owner": bob_agency.acronym}).context["actions"]] == [soon.pk]
    assert [a.pk for a in client.get(url, {"meeting": forum.meeting.pk, "overdue": "true"}).context["actions"]] == [
        late.pk]
    window = {"due_after": (today + datetime.timedelta(days=1)).isoformat(),
              "due_before": (today + datetime.timedelta(days=10)).isoformat()}
    assert [a.pk for a in client.get(url, window).context["actions"]] == [soon.pk]
    bad = client.get(url, {"due_after": window["due_before"], "due_before": window["due_after"]},
                     HTTP_ACCEPT_LANGUAGE="fr")
    assert bad.context["actions"] == [] and "La fin de la période précède son début." in bad.content.decode()
    bob = api(forum.cast.bob)
    results = bob.get(reverse("cbcf_api:action_list"), {"overdue": "true"}).json()["results"]
    assert [a["id"] for a in results] == [late.pk]
    # bob's agency may not see the other meeting: choosing it is refused as a meeting that does not exist.
    assert bob.get(reverse("cbcf_api:action_list"), {"meeting": hidden_meeting.pk}).status_code == 400
    charlie = api(forum.cast.charlie)
    assert charlie.get(reverse("cbcf_api:action_list"), {"meeting": forum.meeting.pk}).status_code == 400
    client.force_login(forum.cast.charlie)
    assert client.get(url, {"meeting": forum.meeting.pk}).context["actions"] == []


def test_the_api_edits_meetings_and_items_with_the_pages_rules(forum):
    items = accept_three(forum)
    secretariat = api(forum.secretariat)
    url = reverse("cbcf_api:meeting_detail", args=[forum.meeting.pk])
    response = secretariat.patch(url, {"place": "Montréal"}, format="json")
    assert response.status_code == 200 and response.json()["place"] == "Montréal"
    refused = secretariat.patch(url, {"level": "subgroup"}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 400 and "Choisissez le sous-groupe qui se réunit." in str(refused.json())
    assert Meeting.objects.get(pk=forum.meeting.pk).level == "senior"
    assert api(forum.cast.alice).patch(url, {"place": "Here"}, format="json").status_code == 403
    assert api(forum.cast.charlie).patch(url, {"place": "Here"}, format="json").status_code == 404
    assert api(forum.cast.charlie).get(url).status_code == 404
    item_url = reverse("cbcf_api:item_detail", args=[items[0].pk])
    assert secretariat.patch(item_url, {"minutes": 45}, format="json").json()["minutes"] == 45
    assert secretariat.patch(item_url, {"minutes": 0}, format="json").status_code == 400
    assert api(forum.cast.charlie).patch(item_url, {"minutes": 10}, format="json").status_code == 404


def test_rebuilding_the_book_replaces_the_earlier_build_and_shows_when(client, forum,
                                                                       django_capture_on_commit_callbacks):
    accept_three(forum)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.briefing_book_build(by=forum.secretariat, meeting=forum.meeting)
    books = BriefingBook.objects.filter(meeting=forum.meeting)
    assert sorted(books.values_list("language", flat=True)) == ["en", "fr"]
    assert all(book.status == "ready" and book.finished_at for book in books)
    client.force_login(forum.cast.alice)
    page = client.get(reverse("cbcf:meeting_detail", args=[forum.meeting.pk])).content.decode()
    assert timezone.localtime(books[0].finished_at).strftime("%Y-%m-%d %H:%M") in page
