"""Deconfliction with the cast: alice (RCMP) and charlie (OPP) work the same thing without seeing each other."""

import json
import zoneinfo
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deconfliction import services
from deconfliction.models import Hit, HitParty, PlannedEvent
from deconfliction.tasks import notify_hit_task
from partnerships.models import AuditEvent, Notification
from partnerships.services import subject_add
from partnerships.tests.factories import JointCaseFactory

RAID = {"latitude": 42.2713, "longitude": -83.1346, "radius_m": 100}
# about 480 m north-east of the raid
NEAR = {"latitude": 42.2740, "longitude": -83.1300, "radius_m": 100}
FAR = {"latitude": 42.4000, "longitude": -83.1346, "radius_m": 100}


@pytest.fixture
def contacts(alice, charlie):
    for user, phone in ((alice, "+1 613 555 0101"), (charlie, "+1 705 555 0199")):
        officer = user.officer
        officer.is_deconfliction_contact, officer.phone = True, phone
        officer.save()


@pytest.fixture
def charlies_case(charlie):
    return JointCaseFactory(by=charlie, title="Walpole Island smuggling", summary="OPP drug file")


def window(start_hours, end_hours):
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    return {"starts_at": now + timedelta(hours=start_hours), "ends_at": now + timedelta(hours=end_hours)}


def traces_of_alices_case(case):
    return [case.reference, case.title, "Fighting Island", "Raid at the marina", "42.2713", "42.27130", "83.1346"]


def assert_no_trace(text, case):
    for trace in traces_of_alices_case(case):
        assert trace not in text, trace


# --- planned operations -----------------------------------------------------------------------------

def test_charlies_operation_500_m_from_alices_raid_gives_both_a_pointer_and_charlie_no_trace(
        client, alice, charlie, case, contacts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.event_plan(by=alice, case=case, kind=PlannedEvent.Kind.OTHER, title="Raid at the marina",
                            **RAID, **window(26, 30))
    assert not Hit.objects.exists()  # alone, nothing to find
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event, parties = services.event_plan(by=charlie, kind=PlannedEvent.Kind.OTHER, title="Surveillance",
                                             **NEAR, **window(28, 34))
    assert len(parties) == 1
    hit = parties[0].hit
    assert (hit.kind, hit.certainty) == (Hit.Kind.EVENT, Hit.Certainty.POSSIBLE)  # 300 m apart at the edges
    alices_side = HitParty.objects.get(hit=hit, agency=alice.officer.agency)

    client.force_login(charlie)
    pages = [client.get(reverse("deconfliction:event_detail", args=[event.pk])),
             client.get(reverse("deconfliction:hit_detail", args=[parties[0].pk])),
             client.get(reverse("deconfliction:home")),
             client.get(reverse("partnerships:notifications"))]
    for page in pages:
        assert page.status_code == 200
        text = page.content.decode()
        assert "RCMP" in text and "+1 613 555 0101" in text
        assert_no_trace(text, case)
    api = client.get("/api/v1/deconfliction/hits/").content.decode()
    assert "RCMP" in api and "Alice Lead" in api
    assert_no_trace(api, case)
    assert client.get(reverse("deconfliction:hit_detail", args=[alices_side.pk])).status_code == 404

    charlies_mail = [m for m in mail.outbox if charlie.officer.email in m.to]
    assert charlies_mail and all("RCMP" in m.body for m in charlies_mail)
    for message in charlies_mail:
        assert_no_trace(message.subject + message.body, case)
    alices_mail = [m for m in mail.outbox if alice.officer.email in m.to]
    assert alices_mail and "OPP" in alices_mail[0].body and "+1 705 555 0199" in alices_mail[0].body
    assert "Surveillance" not in alices_mail[0].body
    assert Notification.objects.filter(kind=Notification.Kind.DECONFLICTION_HIT).count() == 2


def test_operations_apart_in_place_or_time_or_of_one_agency_do_not_hit(alice, charlie, case):
    services.event_plan(by=alice, case=case, kind="other", title="Raid", **RAID, **window(26, 30))
    services.event_plan(by=charlie, kind="other", title="Far", **FAR, **window(26, 30))
    services.event_plan(by=charlie, kind="other", title="Later", **NEAR, **window(31, 33))
    services.event_plan(by=alice, kind="other", title="Own", **NEAR, **window(26, 30))
    assert not Hit.objects.exists()


def test_overlapping_areas_are_a_match_and_a_named_area_is_a_circle(alice, charlie, case):
    from deconfliction.models import NamedArea

    detroit = NamedArea.objects.get(name_en="Detroit River")
    services.event_plan(by=alice, case=case, kind="patrol", title="Patrol", area=detroit, **window(2, 8))
    _, parties = services.event_plan(by=charlie, kind="other", title="Op", **RAID, **window(3, 4))
    assert [p.hit.certainty for p in parties] == [Hit.Certainty.EXACT]


@pytest.mark.parametrize("fields, message", [
    ({**RAID, "radius_m": 60000}, "The radius is between 0 and 50000 m."),
    ({"latitude": 95, "longitude": 0, "radius_m": 10}, "Latitude is between -90 and 90"),
    ({"latitude": 42.0}, "Give a named area, or a point"),
])
def test_a_bad_place_is_refused_and_nothing_is_saved(alice, fields, message):
    with pytest.raises(services.DeconflictionRefused, match=message):
        services.event_plan(by=alice, kind="other", title="Bad", **{"radius_m": None, "longitude": None, **fields},
                            **window(1, 2))
    assert not PlannedEvent.objects.exists()


def test_the_page_plans_an_operation_and_shows_the_pointer(client, alice, charlie, case, contacts):
    services.event_plan(by=alice, case=case, kind="other", title="Raid at the marina", **RAID, **window(26, 30))
    client.force_login(charlie)
    here = zoneinfo.ZoneInfo(charlie.officer.time_zone)  # the form reads times in the officer's zone
    times = {k: v.astimezone(here).strftime("%Y-%m-%dT%H:%M") for k, v in window(27, 29).items()}
    response = client.post(reverse("deconfliction:event_plan"), {
        "kind": "other", "title": "Surveillance", **{k: str(v) for k, v in NEAR.items()}, **times}, follow=True)
    text = response.content.decode()
    assert "Possible overlap with an operation of RCMP" in text and "+1 613 555 0101" in text
    assert_no_trace(text, case)
    bad = client.post(reverse("deconfliction:event_plan"), {"kind": "other", "title": "X", **times,
                                                           "latitude": "42"})
    assert "Give a named area, or a point" in bad.content.decode()
    assert PlannedEvent.objects.filter(agency=charlie.officer.agency).count() == 1


# --- subjects ---------------------------------------------------------------------------------------

def test_phone_numbers_written_differently_match(client, alice, charlie, case, charlies_case, contacts):
    subject_add(by=alice, case=case, kind="phone", name="+1 (313) 555-0142")
    client.force_login(charlie)
    response = client.post(reverse("partnerships:case_subject_add", args=[charlies_case.reference]),
                           {"subject-kind": "phone", "subject-name": "313.555.0142"}, follow=True)
    text = response.content.decode()
    assert "Possible overlap with a case of RCMP" in text and "+1 613 555 0101" in text
    assert_no_trace(text, case)
    hit = Hit.objects.get()
    assert (hit.certainty, hit.matched_on) == (Hit.Certainty.EXACT, "phone")


def test_names_folded_for_case_and_accents_match(alice, charlie, case, charlies_case):
    subject_add(by=alice, case=case, kind="person", name="Jean-Francois Tremblay")
    subject = subject_add(by=charlie, case=charlies_case, kind="person", name="JEAN FRANÇOIS TREMBLAY")
    party = HitParty.objects.get(subject=subject)
    assert (party.hit.certainty, party.hit.matched_on) == (Hit.Certainty.EXACT, "name")


def test_similar_names_of_distinct_people_are_possible_not_certain_and_only_the_owner_learns_how_sure(
        alice, charlie, case, charlies_case, contacts):
    subject_add(by=alice, case=case, kind="person", name="Jean-Francois Tremblay")
    subject = subject_add(by=charlie, case=charlies_case, kind="person", name="Jean-Francis Tremblay")
    charlies = HitParty.objects.get(subject=subject)
    alices = HitParty.objects.exclude(pk=charlies.pk).get()
    assert charlies.hit.certainty == Hit.Certainty.POSSIBLE
    assert (charlies.ran_check, alices.ran_check) == (True, False)
    assert "similar name, perhaps another person" in services.pointer_text(**services.party_pointer(alices))
    # charlie's entry ran the check: he hears "overlap, contact ..." as for an exact match, nothing more
    assert services.pointer_text(**services.party_pointer(charlies)) == (
        "Possible overlap with a case of RCMP — Royal Canadian Mounted Police: contact Alice Lead, +1 613 555 0101.")


def test_the_same_name_with_another_date_of_birth_is_only_possible(alice, charlie, case, charlies_case):
    import datetime

    subject_add(by=alice, case=case, kind="person", name="Marc Gagnon", date_of_birth=datetime.date(1980, 1, 2))
    subject = subject_add(by=charlie, case=charlies_case, kind="person", name="Marc Gagnon",
                          date_of_birth=datetime.date(1991, 5, 6))
    assert HitParty.objects.get(subject=subject).hit.certainty == Hit.Certainty.POSSIBLE


def test_unrelated_names_own_agency_and_closed_cases_do_not_hit(alice, charlie, case, charlies_case):
    subject_add(by=alice, case=case, kind="person", name="Jean-Francois Tremblay")
    subject_add(by=charlie, case=charlies_case, kind="person", name="Wilhelmina Okafor")
    subject_add(by=alice, case=JointCaseFactory(by=alice), kind="person", name="Jean-Francois Tremblay")
    closed = JointCaseFactory(by=charlie)
    closed.status = "closed"
    closed.save()
    subject_add(by=alice, case=JointCaseFactory(by=alice), kind="phone", name="+1 519 555 0111")
    subject_add(by=charlie, case=charlies_case, kind="vehicle", name="ABC 123")
    assert not Hit.objects.exists()


def test_a_pair_found_twice_is_one_hit(alice, charlie, case, charlies_case):
    subject_add(by=alice, case=case, kind="email", name="boss@example.org")
    subject = subject_add(by=charlie, case=charlies_case, kind="email", name="Boss@Example.org ")
    services.subject_check(subject=subject, by=charlie)
    assert Hit.objects.count() == 1 and HitParty.objects.count() == 2


# --- the workflow ----------------------------------------------------------------------------------

def test_each_side_acknowledges_and_closes_its_own_side_audited(client, alice, charlie, case, charlies_case):
    subject_add(by=alice, case=case, kind="phone", name="+1 313 555 0142")
    subject = subject_add(by=charlie, case=charlies_case, kind="phone", name="313 555 0142")
    charlies = HitParty.objects.get(subject=subject)
    alices = HitParty.objects.exclude(pk=charlies.pk).get()
    client.force_login(charlie)
    assert client.post(reverse("deconfliction:hit_acknowledge", args=[alices.pk])).status_code == 404
    client.post(reverse("deconfliction:hit_acknowledge", args=[charlies.pk]))
    client.post(reverse("deconfliction:hit_close", args=[charlies.pk]), {"outcome": "coordinated",
                                                                        "note": "Called RCMP"})
    charlies.refresh_from_db()
    alices.refresh_from_db()
    assert (charlies.status, charlies.outcome, charlies.closed_by) == ("closed", "coordinated", charlie)
    assert alices.status == "open"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DECONFLICTION_CLOSE, user=charlie).count() == 2
    bad = client.post(reverse("deconfliction:hit_close", args=[charlies.pk]), {"outcome": "maybe"}, follow=True)
    assert "Say how it was settled" in bad.content.decode()


@pytest.mark.parametrize("hits", [1, 6])
def test_a_supervisor_sees_the_open_hits_of_the_agency_with_a_pinned_query_count(
        client, alice, charlie, case, charlies_case, django_assert_max_num_queries, hits):
    for number in range(hits):
        subject_add(by=alice, case=case, kind="phone", name=f"+1 313 555 01{number:02d}")
        subject_add(by=charlie, case=charlies_case, kind="phone", name=f"313-555-01{number:02d}")
    officer = alice.officer
    officer.role = "supervisor"
    officer.save()
    client.force_login(alice)
    with django_assert_max_num_queries(14):  # 12, the other agencies' checks that hit, and the read's audit record
        page = client.get(reverse("deconfliction:home")).content.decode()
    with django_assert_max_num_queries(13):
        api = client.get("/api/v1/deconfliction/hits/").json()
    assert page.count("Possible overlap with a case of OPP") == hits and api["count"] == hits
    assert "Walpole" not in page and "OPP drug file" not in page


def test_a_retried_notice_tells_nobody_twice(alice, charlie, case, charlies_case, contacts):
    subject_add(by=alice, case=case, kind="phone", name="+1 313 555 0142")
    subject_add(by=charlie, case=charlies_case, kind="phone", name="313 555 0142")
    hit = Hit.objects.get()
    notify_hit_task.delay(hit.pk)
    notify_hit_task.delay(hit.pk)
    assert Notification.objects.filter(kind=Notification.Kind.DECONFLICTION_HIT).count() == 2


# --- the API -----------------------------------------------------------------------------------------

def api_client(user):
    from partnerships.services import api_token_issue

    return Client(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)[1]}")


def test_the_api_checks_a_subject_before_it_is_entered_pointer_only_and_keeps_nothing(alice, charlie, case,
                                                                                      contacts):
    subject_add(by=alice, case=case, kind="phone", name="+1 (313) 555-0142")
    response = api_client(charlie).post("/api/v1/deconfliction/checks/", {
        "subject": {"kind": "phone", "name": "313.555.0142"}}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body == {"hits": [{"kind": "subject", "agency": "RCMP", "agency_name": alice.officer.agency.name,
                              "contacts": [{"name": "Alice Lead", "phone": "+1 613 555 0101",
                                            "email": alice.officer.email}], "probes": [0]}]}
    assert_no_trace(json.dumps(body), case)
    assert not Hit.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DECONFLICTION_CHECK, user=charlie).exists()


def test_the_api_checks_an_event(alice, charlie, case):
    services.event_plan(by=alice, case=case, kind="other", title="Raid", **RAID, **window(26, 30))
    times = {k: v.isoformat() for k, v in window(27, 28).items()}
    response = api_client(charlie).post("/api/v1/deconfliction/checks/", {"event": {**NEAR, **times}},
                                        content_type="application/json")
    assert [hit["agency"] for hit in response.json()["hits"]] == ["RCMP"]


@pytest.mark.parametrize("payload", [
    {},
    {"subject": {"kind": "phone", "name": "1"}, "event": {"latitude": 1}},
    {"event": {"latitude": 95, "longitude": 0, "radius_m": 1, "starts_at": "2026-12-01T00:00Z",
               "ends_at": "2026-12-01T01:00Z"}},
    {"subject": {"kind": "person", "name": "X", "colour": "red"}},
])
def test_the_api_refuses_bad_checks_with_a_problem(charlie, payload):
    response = api_client(charlie).post("/api/v1/deconfliction/checks/", payload, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"


def test_the_program_pages_link_to_a_prefilled_plan(client, alice):
    client.force_login(alice)
    page = client.get(reverse("deconfliction:event_plan") + "?kind=patrol&starts_at=2026-12-01T08:00"
                      "&ends_at=2026-12-01T16:00&title=Peace+Arch").content.decode()
    assert '<option value="patrol" selected>' in page
    assert 'value="2026-12-01T08:00"' in page and 'value="Peace Arch"' in page


def test_a_notice_read_by_someone_of_another_agency_says_nothing(alice, charlie, case, charlies_case,
                                                                 django_capture_on_commit_callbacks):
    from partnerships.notifications import describe

    subject_add(by=alice, case=case, kind="phone", name="+1 313 555 0142")
    with django_capture_on_commit_callbacks(execute=True):
        subject_add(by=charlie, case=charlies_case, kind="phone", name="313 555 0142")
    notice = Notification.objects.filter(kind=Notification.Kind.DECONFLICTION_HIT, recipient=charlie).get()
    assert "RCMP" in describe(notice, charlie)[0]
    assert describe(notice, alice) == ("A deconfliction hit of your agency was removed.", None)


def test_an_operation_keeps_no_trace_of_a_case_whose_share_was_revoked(alice, bob, charlie, case):
    from partnerships.models import AccessLevel
    from partnerships.tests.factories import share, unshare

    share(case, bob.officer.agency, AccessLevel.CONTRIBUTE, by=alice)
    event, _ = services.event_plan(by=bob, case=case, kind="other", title="Escort", **RAID, **window(26, 30))
    services.event_plan(by=charlie, kind="other", title="Surveillance", **NEAR, **window(27, 29))
    assert HitParty.objects.filter(agency=bob.officer.agency, event=event).exists()
    browser = Client()
    browser.force_login(bob)
    assert case.reference in browser.get(reverse("deconfliction:event_detail", args=[event.pk])).content.decode()

    unshare(case, bob.officer.agency, by=alice)
    pages = [reverse("deconfliction:home"), reverse("deconfliction:event_detail", args=[event.pk]),
             reverse("deconfliction:hit_detail", args=[HitParty.objects.get(event=event).pk])]
    for page in pages:
        response = browser.get(page)
        assert response.status_code == 200, page
        assert "Escort" in response.content.decode()  # bob's own operation, still his
        assert case.reference not in response.content.decode(), page
    answer = api_client(bob).get("/api/v1/deconfliction/hits/").json()
    assert [party["case"] for party in answer["results"]] == [None]
    assert case.reference not in json.dumps(answer)
