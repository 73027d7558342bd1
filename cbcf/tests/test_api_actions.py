"""The meeting pages' actions through the API (issue 21): the secretariat opens a meeting, decides, orders and times
the agenda, circulates it, records decisions, participants and action items, initiatives and subgroups; invited
agencies propose items and attach papers. The same services, rules and messages as the pages, recorded through
door = API. charlie (OPP, not invited, owns nothing) gets 404 and leaves no trace."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cbcf.models import ActionItem, AgendaItem, BackgroundPaper, Initiative, Meeting, Participant, Subgroup
from cbcf.tests.factories import Forum
from cbcf.tests.test_cbcf import accept_three
from partnerships.models import AuditEvent
from partnerships.tests import files
from partnerships.tests.factories import AgencyFactory, OfficerFactory
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(cast):
    return Forum(cast)


@pytest.fixture(autouse=True)
def attachments_root(settings, tmp_path):
    settings.ATTACHMENTS_ROOT = tmp_path / "attachments"


def post(user, name, pk=None, body=None, **kwargs):
    url = reverse(f"cbcf_api:{name}", args=[pk] if pk is not None else [])
    return api(user).post(url, body or {}, format=kwargs.pop("format", "json"), **kwargs)


def through_api(object_type):
    return AuditEvent.objects.filter(door=AuditEvent.Door.API, object_type=object_type)


def refused(response, text):
    assert response.status_code == 400, response.content
    assert text in " ".join(response.json()["errors"]["non_field_errors"])


def forbidden(response, text):
    """Not the caller's to do, on something the caller sees: 403 with the service's message."""
    assert response.status_code == 403, response.content
    assert text in response.json()["detail"]


ITEM = {"title_en": "Fentanyl precursors", "summary_en": "About precursors", "purpose": "discussion",
        "presenter": "RCMP", "minutes": 20}


# --- meetings and proposals ------------------------------------------------------------------------

def test_the_secretariat_opens_a_meeting_inviting_alice(forum):
    body = {"title": "Ministers, autumn", "title_fr": "Ministres, automne", "level": "ministerial",
            "starts_at": (timezone.now() + datetime.timedelta(days=60)).isoformat(), "place": "Washington",
            "time_zone": "America/New_York", "host_country": "US", "participants": [forum.cast.alice.officer.pk]}
    response = post(forum.secretariat, "meeting_list", body=body)
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert meeting.title_fr == "Ministres, automne" and meeting.participants.get().officer == forum.cast.alice.officer
    assert through_api("meeting").exists()


def test_alice_may_not_open_a_meeting_and_a_subgroup_meeting_needs_its_subgroup(forum):
    body = {"title": "X", "level": "subgroup", "starts_at": timezone.now().isoformat(), "place": "Ottawa",
            "host_country": "CA", "participants": [forum.cast.alice.officer.pk]}
    forbidden(post(forum.cast.alice, "meeting_list", body=body), "Only the CBCF secretariat does this.")
    refused(post(forum.secretariat, "meeting_list", body=body), "Choose the subgroup that meets.")
    assert Meeting.objects.count() == 1


def test_alice_invited_proposes_an_item_and_attaches_a_paper(forum):
    response = post(forum.cast.alice, "meeting_items", forum.meeting.pk, ITEM)
    assert response.status_code == 201, response.content
    item = AgendaItem.objects.get(pk=response.json()["id"])
    assert item.proposing_agency.acronym == "RCMP" and item.status == "proposed"
    paper = post(forum.cast.alice, "item_papers", item.pk, {"file": files.upload("note.pdf", files.pdf)},
                 format="multipart")
    assert paper.status_code == 201, paper.content
    assert BackgroundPaper.objects.get().item == item
    # bob (invited, another agency) may not attach to alice's item: 404, as on the page
    other = post(forum.cast.bob, "item_papers", item.pk, {"file": files.upload("note.pdf", files.pdf)},
                 format="multipart")
    assert other.status_code == 404 and BackgroundPaper.objects.count() == 1


def test_an_item_for_decision_without_the_decision_sought_is_refused_in_french(forum):
    response = post(forum.cast.bob, "meeting_items", forum.meeting.pk, {**ITEM, "purpose": "decision"},
                    HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "décision" in response.json()["errors"]["non_field_errors"][0]
    assert not AgendaItem.objects.exists()


def test_charlie_not_invited_gets_404_proposing_and_leaves_no_trace(forum):
    response = post(forum.cast.charlie, "meeting_items", forum.meeting.pk, ITEM)
    assert response.status_code == 404 and "Senior officials" not in response.content.decode()
    assert not AgendaItem.objects.exists()


# --- the agenda ----------------------------------------------------------------------------------

def test_the_secretariat_decides_moves_times_and_circulates_the_agenda(forum, django_capture_on_commit_callbacks):
    items = [forum.propose(forum.cast.alice, "Fentanyl precursors"), forum.propose(forum.cast.bob, "Radio")]
    for item in items:
        assert post(forum.secretariat, "item_decide", item.pk, {"status": "accepted"}).status_code == 200
    moved = post(forum.secretariat, "item_move", items[1].pk, {"direction": "up"})
    assert moved.status_code == 200 and moved.json()["order"] == 1
    starts = forum.meeting.starts_at + datetime.timedelta(hours=1)
    timed = post(forum.secretariat, "meeting_timing", forum.meeting.pk,
                 {"starts_at": starts.isoformat(), "breaks": [{"after": 1, "minutes": 15}]})
    assert timed.status_code == 200, timed.content
    forum.meeting.refresh_from_db()
    assert forum.meeting.starts_at == starts and forum.meeting.breaks == [{"after": 1, "minutes": 15}]
    with django_capture_on_commit_callbacks(execute=True):
        circulated = post(forum.secretariat, "agenda_advance", forum.meeting.pk, {"state": "circulated"})
    assert circulated.status_code == 200 and circulated.json()["agenda_state"] == "circulated"
    refused(post(forum.secretariat, "agenda_advance", forum.meeting.pk, {"state": "circulated"}), "already")
    decided = post(forum.secretariat, "decision_record", items[0].pk, {"text": "Agreed to a joint study."})
    assert decided.status_code == 200 and decided.json()["decision"] == "Agreed to a joint study."
    assert through_api("agenda").exists() and through_api("agenda_item").count() >= 4


def test_declining_needs_a_reason_and_alice_may_not_decide(forum):
    item = forum.propose(forum.cast.alice, "Fentanyl precursors")
    refused(post(forum.secretariat, "item_decide", item.pk, {"status": "declined"}), "Give the reason")
    forbidden(post(forum.cast.alice, "item_decide", item.pk, {"status": "accepted"}),
              "Only the CBCF secretariat does this.")
    item.refresh_from_db()
    assert item.status == "proposed"


def test_charlie_gets_404_on_every_agenda_action(forum):
    items = accept_three(forum)
    calls = [("item_decide", items[0].pk, {"status": "declined", "reason": "x"}),
             ("item_move", items[1].pk, {"direction": "up"}),
             ("decision_record", items[0].pk, {"text": "Mine"}),
             ("meeting_timing", forum.meeting.pk, {"starts_at": timezone.now().isoformat()}),
             ("agenda_advance", forum.meeting.pk, {"state": "circulated"}),
             ("participant_set", forum.meeting.pk, {"officer": forum.cast.charlie.officer.pk, "role": "member"}),
             ("action_add", forum.meeting.pk, {"text": "x", "owner": "OPP", "due_on": str(timezone.localdate())})]
    for name, pk, body in calls:
        response = post(forum.cast.charlie, name, pk, body)
        assert response.status_code == 404, name
        assert "Senior officials" not in response.content.decode() and "Fentanyl" not in response.content.decode()
    forum.meeting.refresh_from_db()
    assert forum.meeting.agenda_state == "draft" and not ActionItem.objects.exists()
    assert not Participant.objects.filter(officer=forum.cast.charlie.officer).exists()
    assert [item.status for item in AgendaItem.objects.order_by("pk")][:1] == ["accepted"]


FORUM_OBJECTS = ["meeting", "agenda", "agenda_item", "participant", "action_item", "initiative", "subgroup"]


def test_bob_invited_gets_403_on_every_secretariat_action_in_his_language_and_nothing_changes(forum):
    items = accept_three(forum)
    proposed = forum.propose(forum.cast.bob, "Radio")
    before = [(item.pk, item.status, item.order, item.decision) for item in AgendaItem.objects.order_by("pk")]
    forum_records = AuditEvent.objects.filter(object_type__in=FORUM_OBJECTS)
    records = forum_records.count()
    calls = [("item_decide", proposed.pk, {"status": "accepted"}),
             ("item_move", items[1].pk, {"direction": "up"}),
             ("decision_record", items[0].pk, {"text": "Mine"}),
             ("meeting_timing", forum.meeting.pk, {"starts_at": timezone.now().isoformat()}),
             ("agenda_advance", forum.meeting.pk, {"state": "circulated"}),
             ("participant_set", forum.meeting.pk, {"officer": forum.cast.charlie.officer.pk, "role": "member"}),
             ("action_add", forum.meeting.pk, {"text": "x", "owner": "CBP", "due_on": str(timezone.localdate())}),
             ("item_decide", proposed.pk, {"status": "nonsense"}),  # not his to do, whatever he sends
             ("meeting_list", None, {}), ("initiative_list", None, {}), ("subgroup_list", None, {})]
    for name, pk, body in calls:  # bob prefers French
        forbidden(post(forum.cast.bob, name, pk, body, HTTP_ACCEPT_LANGUAGE="fr"),
                  "Seul le secrétariat du CBCF peut faire cela.")
    meeting_url = reverse("cbcf_api:meeting_detail", args=[forum.meeting.pk])
    forbidden(api(forum.cast.bob).patch(meeting_url, {"place": "Here"}, format="json"),
              "Only the CBCF secretariat does this.")
    assert [(item.pk, item.status, item.order, item.decision) for item in AgendaItem.objects.order_by("pk")] == before
    forum.meeting.refresh_from_db()
    assert (forum.meeting.agenda_state, forum.meeting.place, forum.meeting.breaks) == ("draft", "Ottawa", [])
    assert not ActionItem.objects.exists() and not Initiative.objects.exists() and Meeting.objects.count() == 1
    assert not Participant.objects.filter(officer=forum.cast.charlie.officer).exists()
    assert forum_records.count() == records
    # the secretariat does the same: 200
    assert post(forum.secretariat, "item_decide", proposed.pk, {"status": "accepted"}).status_code == 200


# --- participants and action items ---------------------------------------------------------------

def test_the_secretariat_records_a_delegate_and_adds_an_action_linked_to_a_case_it_sees(forum, case):
    delegate = post(forum.secretariat, "participant_set", forum.meeting.pk,
                    {"officer": forum.cast.bob.officer.pk, "role": "delegate", "delegate_for": "CBP Commissioner",
                     "attended": True})
    assert delegate.status_code == 200, delegate.content
    assert Participant.objects.get(officer=forum.cast.bob.officer).delegate_for == "CBP Commissioner"
    refused(post(forum.secretariat, "participant_set", forum.meeting.pk,
                 {"officer": forum.cast.bob.officer.pk, "role": "delegate"}), "Say whom the delegate stands in for.")
    action = post(forum.secretariat, "action_add", forum.meeting.pk,
                  {"text": "Share the precursor list", "owner": "CBP", "due_on": str(timezone.localdate())})
    assert action.status_code == 201, action.content
    # the secretariat's agency (PS) does not see alice's case: refused by field, nothing saved
    linked = post(forum.secretariat, "action_add", forum.meeting.pk,
                  {"text": "x", "owner": "CBP", "due_on": str(timezone.localdate()), "case": case.reference})
    assert linked.status_code == 400 and "case" in linked.json()["errors"]
    assert ActionItem.objects.count() == 1


def test_the_owner_agency_sets_its_action_done_and_charlie_gets_404(forum):
    action = post(forum.secretariat, "action_add", forum.meeting.pk,
                  {"text": "Share the list", "owner": "CBP", "due_on": str(timezone.localdate())}).json()
    assert post(forum.cast.charlie, "action_status", action["id"], {"status": "done"}).status_code == 404
    forbidden(post(forum.cast.alice, "action_status", action["id"], {"status": "done"}),
              "Only the secretariat or the owner agency")
    done = post(forum.cast.bob, "action_status", action["id"], {"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert through_api("action_item").count() == 2


# --- initiatives and subgroups -------------------------------------------------------------------

def test_the_secretariat_adds_an_initiative_and_records_progress(forum):
    body = {"title_en": "Joint radio", "title_fr": "Radio commune", "text_en": "One network",
            "text_fr": "Un réseau", "owners": ["RCMP", "CBP"], "target_date": "2027-06-30"}
    forbidden(post(forum.cast.alice, "initiative_list", body=body), "Only the CBCF secretariat does this.")
    created = post(forum.secretariat, "initiative_list", body=body)
    assert created.status_code == 201, created.content
    assert sorted(created.json()["owners"]) == ["CBP", "RCMP"]
    unknown = post(forum.secretariat, "initiative_list", body={**body, "owners": ["NOPE"]})
    assert unknown.status_code == 400 and "owners" in unknown.json()["errors"]
    progress = post(forum.secretariat, "initiative_update", created.json()["id"],
                    {"status": "at_risk", "note": "Budget delayed"})
    assert progress.status_code == 200 and progress.json()["status"] == "at_risk"
    assert Initiative.objects.get().updates.get().note == "Budget delayed"
    assert through_api("initiative").count() == 2


def test_a_subgroup_needs_a_co_chair_from_each_country(forum):
    american = OfficerFactory(agency=AgencyFactory(acronym="DOJ", country="US"))
    body = {"name_en": "Firearms", "name_fr": "Armes à feu", "canadian_co_chair": forum.cast.alice.officer.pk,
            "american_co_chair": forum.cast.charlie.officer.pk}
    refused(post(forum.secretariat, "subgroup_list", body=body), "one Canadian and one American")
    created = post(forum.secretariat, "subgroup_list", body={**body, "american_co_chair": american.pk})
    assert created.status_code == 201, created.content
    again = post(forum.secretariat, "subgroup_list", body={**body, "american_co_chair": american.pk})
    assert again.status_code == 400 and "name_en" in again.json()["errors"]
    assert Subgroup.objects.count() == 1 and through_api("subgroup").count() == 1
    listed = api(forum.cast.charlie).get(reverse("cbcf_api:subgroup_list"))
    assert listed.status_code == 200 and listed.json()["results"][0]["name_en"] == "Firearms"


@pytest.mark.parametrize("count", [1, 8])
def test_the_subgroup_list_takes_the_same_queries_for_1_or_8(forum, count, django_assert_max_num_queries):
    americans = [OfficerFactory(agency=AgencyFactory(acronym=f"US{n}", country="US")) for n in range(count)]
    for number, american in enumerate(americans):
        post(forum.secretariat, "subgroup_list", body={"name_en": f"Group {number}", "name_fr": f"Groupe {number}",
                                                       "canadian_co_chair": forum.cast.alice.officer.pk,
                                                       "american_co_chair": american.pk})
    client = api(forum.cast.bob)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cbcf_api:subgroup_list"))
    assert response.status_code == 200 and response.json()["count"] == count
