"""Texts users type, held in both languages: forms and API take both, the reader's version is shown and, when it is
missing, the other one marked with its language; carried-over actions keep each language's words; the .ics carries
its time zone and a growing SEQUENCE; charlie, not invited, never gets a book or an item."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from cbcf import services
from cbcf.models import AgendaItem, BriefingBook
from cbcf.tests.factories import Forum
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(cast):
    return Forum(cast)


def propose_form(**values):
    return {"title_en": "", "title_fr": "", "summary_en": "", "summary_fr": "", "purpose": "discussion",
            "presenter": "RCMP", "minutes": "20", "background_handling": "H0", **values}


def test_the_proposal_form_takes_both_languages_and_the_briefing_note(client, forum):
    client.force_login(forum.cast.alice)
    url = reverse("cbcf:item_propose", args=[forum.meeting.pk])
    response = client.post(url, propose_form(
        title_en="Fentanyl precursors", title_fr="Précurseurs du fentanyl", summary_en="Where we stand.",
        summary_fr="Où nous en sommes.", context_en="Seizures doubled.", context_fr="Les saisies ont doublé.",
        issue_en="Brokers moved to Windsor.", recommendation_fr="Prendre acte."))
    assert response.status_code == 302
    item = AgendaItem.objects.get(title_en="Fentanyl precursors")
    assert (item.title_fr, item.context_fr, item.issue_en, item.recommendation_fr, item.recommendation_en) == (
        "Précurseurs du fentanyl", "Les saisies ont doublé.", "Brokers moved to Windsor.", "Prendre acte.", "")


def test_a_proposal_needs_a_title_in_one_language_and_a_decision_item_the_decision_sought(client, forum):
    client.force_login(forum.cast.alice)
    url = reverse("cbcf:item_propose", args=[forum.meeting.pk])
    with translation.override("fr"):
        response = client.post(url, propose_form(summary_fr="Résumé"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200 and not AgendaItem.objects.exists()
    response = client.post(url, propose_form(title_fr="Seulement en français", summary_fr="Résumé",
                                             purpose="decision"))
    assert "decision sought" in response.content.decode() and not AgendaItem.objects.exists()
    response = client.post(url, propose_form(title_fr="Seulement en français", summary_fr="Résumé",
                                             purpose="decision", recommendation_fr="Approuver le projet."))
    assert response.status_code == 302 and AgendaItem.objects.get().title_en == ""


def test_the_missing_version_is_shown_in_the_other_language_marked_for_screen_readers(client, forum):
    alice = forum.cast.alice
    services.item_propose(by=alice, meeting=forum.meeting, title_en="Radio pilots", title_fr="",
                          summary_en="Where we stand.", summary_fr="", purpose="discussion", presenter="RCMP",
                          minutes=10)
    services.item_propose(by=alice, meeting=forum.meeting, title_en="", title_fr="Patrouilles conjointes",
                          summary_en="", summary_fr="Bilan.", purpose="discussion", presenter="RCMP", minutes=10)
    client.force_login(forum.secretariat)  # a French reader
    page = client.get(reverse("cbcf:meeting_detail", args=[forum.meeting.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert '<span lang="en">Radio pilots</span> <span class="other-language">(en anglais)</span>' in html
    assert "Patrouilles conjointes" in html and "Patrouilles conjointes</span>" not in html
    client.force_login(alice)  # an English reader: the French-only item is the one marked
    html = client.get(reverse("cbcf:meeting_detail", args=[forum.meeting.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span lang="fr">Patrouilles conjointes</span> <span class="other-language">(French)</span>' in html
    assert "Radio pilots" in html and "Radio pilots</span>" not in html


def test_the_api_reads_and_writes_both_languages_and_the_note_and_keeps_its_first_fields(forum):
    item = forum.propose(forum.cast.alice, "Fentanyl precursors")
    alice = api(forum.cast.alice)
    response = alice.patch(reverse("cbcf_api:item_detail", args=[item.pk]), {
        "title_fr": "", "issue_en": "Brokers moved.", "recommendation_fr": "Prendre acte."}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title_en"], body["title_fr"], body["issue_en"], body["recommendation_fr"]) == (
        "Fentanyl precursors", "", "Brokers moved.", "Prendre acte.")
    refused = alice.patch(reverse("cbcf_api:item_detail", args=[item.pk]), {"title_en": ""}, format="json")
    assert refused.status_code == 400 and "English or in French" in str(refused.json())
    assert AgendaItem.objects.get(pk=item.pk).title_en == "Fentanyl precursors"
    secretariat = api(forum.secretariat)
    url = reverse("cbcf_api:meeting_detail", args=[forum.meeting.pk])
    assert secretariat.patch(url, {"place": "Gatineau"}, format="json").json()["title_fr"] == ""  # old clients
    body = secretariat.patch(url, {"title_fr": "Hauts fonctionnaires, printemps", "marking": "protected_b"},
                             format="json").json()
    assert (body["title"], body["title_fr"], body["marking"]) == (
        "Senior officials, spring", "Hauts fonctionnaires, printemps", "protected_b")
    assert secretariat.patch(url, {"marking": "secret"}, format="json").status_code == 400


def test_a_carried_over_action_reads_in_each_language_never_suivi_with_english_text(forum):
    secretariat, owner = forum.secretariat, forum.cast.alice.officer.agency
    due = timezone.localdate() + datetime.timedelta(days=30)
    services.action_add(by=secretariat, meeting=forum.meeting, text="Report on radio pilots",
                        text_fr="Faire rapport sur les projets pilotes radio", owner=owner, due_on=due)
    services.action_add(by=secretariat, meeting=forum.meeting, text="Share the threat assessment", owner=owner,
                        due_on=due)
    later = services.meeting_create(by=secretariat, title="Senior officials, fall", level="senior",
                                    place="Washington", host_country="US",
                                    starts_at=forum.meeting.starts_at + datetime.timedelta(days=180))
    carried = {item.title_en: item for item in later.items.all()}
    both = carried["Follow-up: Report on radio pilots"]
    assert both.title_fr == "Suivi\u00a0: Faire rapport sur les projets pilotes radio"
    english_only = carried["Follow-up: Share the threat assessment"]
    assert english_only.title_fr == "" and english_only.summary_fr == ""
    with translation.override("fr"):
        assert english_only.title == "Follow-up: Share the threat assessment"  # shown marked by the templates


def test_the_ics_carries_a_vtimezone_for_its_tzid_and_a_sequence_that_grows_with_each_change(client, forum):
    client.force_login(forum.cast.alice)

    def calendar():
        return Calendar.from_ical(client.get(reverse("cbcf:meeting_ics", args=[forum.meeting.pk])).content)

    first = calendar()
    event = first.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "America/Toronto"
    assert [tz["TZID"] for tz in first.walk("VTIMEZONE")] == ["America/Toronto"]
    sequences = [int(event["SEQUENCE"])]
    for change in ({"title_fr": "Hauts fonctionnaires"}, {"place": "Gatineau"}):
        values = {"title": forum.meeting.title, "place": forum.meeting.place, "level": forum.meeting.level,
                  **change}
        forum.meeting = services.meeting_update(by=forum.secretariat, meeting=forum.meeting, **values)
        sequences.append(int(calendar().walk("VEVENT")[0]["SEQUENCE"]))
    item = forum.propose(forum.cast.alice, "Radio pilots", minutes=30)
    services.item_decide(by=forum.secretariat, item=item, status="accepted")  # the meeting ends later
    sequences.append(int(calendar().walk("VEVENT")[0]["SEQUENCE"]))
    services.item_update(by=forum.secretariat, item=item, minutes=45)
    last = calendar().walk("VEVENT")[0]
    sequences.append(int(last["SEQUENCE"]))
    assert sequences == sorted(set(sequences)) and len(sequences) == 5
    assert last["DTEND"].dt - last["DTSTART"].dt == datetime.timedelta(minutes=45)


def test_charlie_not_invited_never_gets_the_book_or_its_items(client, forum, django_capture_on_commit_callbacks):
    item = forum.propose(forum.cast.alice, "Fentanyl precursors")
    services.item_decide(by=forum.secretariat, item=item, status="accepted")
    with django_capture_on_commit_callbacks(execute=True):
        books = services.briefing_book_build(by=forum.secretariat, meeting=forum.meeting)
    assert {BriefingBook.objects.get(pk=book.pk).status for book in books} == {"ready"}
    client.force_login(forum.cast.charlie)
    for book in books:
        assert client.get(reverse("cbcf:book_html", args=[book.pk])).status_code == 404
        assert client.get(reverse("cbcf:book_pdf", args=[book.pk])).status_code == 404
    assert client.post(reverse("cbcf:book_build", args=[forum.meeting.pk])).status_code == 404
    assert api(forum.cast.charlie).get(reverse("cbcf_api:item_list")).json()["results"] == []
    assert client.get(reverse("cbcf:item_papers", args=[forum.meeting.pk, item.pk])).status_code == 404
    client.force_login(forum.cast.bob)  # invited: he reads it
    assert client.get(reverse("cbcf:book_pdf", args=[books[0].pk])).status_code == 200


def test_the_meeting_form_takes_a_french_title_and_a_marking_and_english_readers_see_it_marked(client, forum):
    client.force_login(forum.secretariat)
    form = {"title": "", "title_fr": "Ministres, hiver", "marking": "protected_a", "level": "ministerial",
            "starts_at": "2027-02-10T09:00", "place": "Ottawa", "time_zone": "America/Toronto",
            "host_country": "CA", "participants": [forum.cast.alice.officer.pk]}
    refused = client.post(reverse("cbcf:meeting_create"), {**form, "title_fr": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200 and "Give the title in English or in French" in refused.content.decode()
    response = client.post(reverse("cbcf:meeting_create"), form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    client.force_login(forum.cast.alice)
    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span lang="fr">Ministres, hiver</span> <span class="other-language">(French)</span>' in html
    assert "PROTECTED A" in html
    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<h1>Ministres, hiver</h1>" in html and "PROTÉGÉ A" in html


def test_whom_a_delegate_stands_in_for_is_held_in_both_languages_and_the_missing_one_is_marked(client, forum):
    client.force_login(forum.secretariat)
    url = reverse("cbcf:participant_set", args=[forum.meeting.pk])
    client.post(url, {"officer": forum.cast.bob.officer.pk, "role": "delegate", "delegate_for": "",
                      "delegate_for_fr": "Sous-commissaire, Police fédérale"})
    participant = forum.meeting.participants.get(officer=forum.cast.bob.officer)
    assert (participant.delegate_for, participant.delegate_for_fr) == ("", "Sous-commissaire, Police fédérale")
    client.force_login(forum.cast.alice)
    page = reverse("cbcf:meeting_detail", args=[forum.meeting.pk])
    french = client.get(page, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Personne déléguée (en remplacement de Sous-commissaire, Police fédérale)" in french
    english = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ('Delegate (for <span lang="fr">Sous-commissaire, Police fédérale</span> '
            '<span class="other-language">(French)</span>)') in english
    answer = api(forum.secretariat).post(reverse("cbcf_api:participant_set", args=[forum.meeting.pk]), {
        "officer": forum.cast.alice.officer.pk, "role": "delegate", "delegate_for": "CBP Commissioner",
        "delegate_for_fr": "Commissaire du CBP"}, format="json")
    assert answer.status_code == 200, answer.content
    assert (answer.json()["delegate_for"], answer.json()["delegate_for_fr"]) == ("CBP Commissioner",
                                                                                 "Commissaire du CBP")


def test_a_delegate_needs_whom_they_stand_in_for_in_one_language_and_nothing_changes_without(client, forum):
    client.force_login(forum.secretariat)
    url = reverse("cbcf:participant_set", args=[forum.meeting.pk])
    response = client.post(url, {"officer": forum.cast.bob.officer.pk, "role": "delegate", "delegate_for": "",
                                 "delegate_for_fr": " "}, HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    assert "Indiquez qui la personne déléguée remplace." in response.content.decode()
    assert forum.meeting.participants.get(officer=forum.cast.bob.officer).role == "member"


def test_the_proposal_list_shows_each_proposals_issue_and_decision_sought_in_the_readers_language(client, forum):
    services.item_propose(by=forum.cast.alice, meeting=forum.meeting, title_en="Radio pilots", title_fr="",
                          summary_en="Where we stand.", summary_fr="", purpose="decision", presenter="RCMP",
                          minutes=10, issue_en="Units relay through dispatch.", issue_fr="",
                          recommendation_en="Fund a second pilot.", recommendation_fr="Financer un second projet.")
    client.force_login(forum.secretariat)
    page = reverse("cbcf:meeting_detail", args=[forum.meeting.pk])
    french = client.get(page, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Financer un second projet." in french and "Fund a second pilot." not in french
    assert ('<span lang="en">Units relay through dispatch.</span> <span class="other-language">(en anglais)</span>'
            in french)
    english = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Decision sought" in english and "Fund a second pilot." in english
