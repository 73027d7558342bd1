"""Checks before entering are not an oracle (issue 18): charlie (OPP) probes alice's (RCMP) subject and operation.

Whatever he asks, he hears only "overlap with RCMP, contact ..." or nothing: never how sure, on what, where or when,
and the same words and status for an exact match as for a possible one. alice's contacts are told once per check,
with what he asked and how sure each match is; the audit record keeps his question; the 31st check in an hour is
refused and OPP's administrator is told.
"""

import datetime
import json
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from deconfliction import limits, services
from deconfliction.models import CheckAlert, Hit, HitParty
from partnerships.models import AuditEvent, Notification, Officer
from partnerships.services import subject_add
from partnerships.tests.factories import JointCaseFactory, OfficerFactory
from partnerships.tests.test_api import api

CHECKS = "/api/v1/deconfliction/checks/"
BORN = datetime.date(1984, 3, 12)
RAID = {"latitude": 42.2713, "longitude": -83.1346, "radius_m": 100}


@pytest.fixture
def contacts(alice, charlie):
    """alice and a second RCMP officer take RCMP's deconfliction calls; charlie takes OPP's."""
    for user, phone in ((alice, "+1 613 555 0101"), (charlie, "+1 705 555 0199")):
        officer = user.officer
        officer.is_deconfliction_contact, officer.phone = True, phone
        officer.save()
    return OfficerFactory(agency=alice.officer.agency, first_name="Rita", last_name="Night", phone="+1 613 555 0102",
                          is_deconfliction_contact=True)


@pytest.fixture
def alices_subjects(alice, case):
    """The subject whose date of birth charlie would like to learn, and two more keys of alice's case."""
    return [subject_add(by=alice, case=case, kind="person", name="Marc Gagnon", date_of_birth=BORN),
            subject_add(by=alice, case=case, kind="phone", name="+1 313 555 0142"),
            subject_add(by=alice, case=case, kind="email", name="boss@example.org")]


@pytest.fixture
def raid(alice, case):
    """alice's raid: 07:00 to 11:00 UTC the day after tomorrow, 100 m around a point on the Detroit River."""
    start = (timezone.now() + datetime.timedelta(days=2)).replace(hour=7, minute=0, second=0, microsecond=0)
    event, _parties = services.event_plan(by=alice, case=case, kind="other", title="Raid at the marina", **RAID,
                                          starts_at=start, ends_at=start + datetime.timedelta(hours=4))
    return event


@pytest.fixture
def frozen_hour(monkeypatch):
    """One instant for the hourly window, so that a test's checks never straddle two windows."""
    now = limits.time.time()
    monkeypatch.setattr(limits, "time", SimpleNamespace(time=lambda: now))


def traces_of(case):
    return [case.reference, case.title, "Fighting Island", "Raid at the marina", "Marc Gagnon", "1984-03-12",
            "exact", "possible", "Possible match", "certainty", "42.2713", "07:00"]


def assert_no_trace(text, case):
    for trace in traces_of(case):
        assert trace not in text, trace


def check(client, **asked):
    return client.post(CHECKS, asked, format="json")


# --- the answer does not depend on how sure the match is -------------------------------------------------------

def test_charlie_hears_the_same_answer_for_an_exact_and_a_possible_date_of_birth(alice, charlie, case, contacts,
                                                                                 alices_subjects):
    client = api(charlie, read_only=True)  # a read-only token may ask
    probes = {"exact": "1984-03-12", "a day before": "1984-03-11", "a day after": "1984-03-13", "unknown": None}
    answers = {name: check(client, subject={"kind": "person", "name": "MARC GAGNON", "date_of_birth": born})
               for name, born in probes.items()}
    similar = check(client, subject={"kind": "person", "name": "Marc Gagnan", "date_of_birth": "1984-03-12"})
    bodies = {name: (answer.status_code, answer.content) for name, answer in {**answers, "similar": similar}.items()}
    assert len(set(bodies.values())) == 1, bodies  # byte for byte the same
    body = answers["exact"].json()
    assert body == {"hits": [{"kind": "subject", "agency": "RCMP", "agency_name": "Royal Canadian Mounted Police",
                              "contacts": [{"name": "Alice Lead", "phone": "+1 613 555 0101",
                                            "email": "alice@example.org"},
                                           {"name": "Rita Night", "phone": "+1 613 555 0102",
                                            "email": contacts.email}], "probes": [0]}]}
    assert_no_trace(json.dumps(body), case)
    # what alice's side knows: the degree of each
    certainties = [alert.certainty for alert in CheckAlert.objects.order_by("pk")]
    assert certainties == ["exact", "possible", "possible", "exact", "possible"]
    nobody = check(client, subject={"kind": "person", "name": "Wilhelmina Okafor"})
    assert (nobody.status_code, nobody.json()) == (200, {"hits": []})


def test_charlie_hears_the_same_answer_at_the_raids_point_and_a_kilometre_off(alice, charlie, case, contacts, raid):
    client = api(charlie)
    window = {"starts_at": raid.starts_at.isoformat(), "ends_at": raid.ends_at.isoformat()}
    on_the_point = check(client, event={**window, "latitude": 42.2713, "longitude": -83.1346, "radius_m": 0})
    a_km_off = check(client, event={**window, "latitude": 42.2713, "longitude": -83.1346 + 0.0130, "radius_m": 0})
    minute_before = check(client, event={
        "latitude": 42.2713, "longitude": -83.1346, "radius_m": 0,
        "starts_at": (raid.starts_at - datetime.timedelta(hours=1)).isoformat(),
        "ends_at": (raid.starts_at + datetime.timedelta(minutes=1)).isoformat()})
    assert on_the_point.content == a_km_off.content == minute_before.content
    assert on_the_point.json()["hits"][0]["agency"] == "RCMP"
    assert_no_trace(on_the_point.content.decode(), case)
    assert [a.certainty for a in CheckAlert.objects.order_by("pk")] == ["exact", "possible", "exact"]


def test_one_answer_per_agency_however_many_of_its_records_matched(alice, charlie, case, contacts, alices_subjects):
    other = JointCaseFactory(by=alice, title="Second RCMP file")
    subject_add(by=alice, case=other, kind="person", name="Marc Gagnon")
    answer = check(api(charlie), subject={"kind": "person", "name": "Marc Gagnon"}).json()
    assert [hit["agency"] for hit in answer["hits"]] == ["RCMP"]
    alert = CheckAlert.objects.get()
    assert len(alert.matches) == 2  # alice's side learns both


# --- alice's side is told once, with the question, and the record keeps it ----------------------------------

def test_charlies_check_tells_alices_contacts_once_and_leaves_a_record_of_what_he_probed(
        client, alice, bob, charlie, case, contacts, alices_subjects, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = check(api(charlie), subjects=[
            {"kind": "person", "name": "Marc Gagnon", "date_of_birth": "1984-03-11"},
            {"kind": "phone", "name": "(313) 555-0142"},
            {"kind": "email", "name": "BOSS@example.org"},
            {"kind": "vehicle", "name": "ZZZ 999"}])
    assert [(hit["agency"], hit["probes"]) for hit in answer.json()["hits"]] == [("RCMP", [0, 1, 2])]

    # one notice for the whole check, to each RCMP contact: two notices and two emails, not three and six
    notices = Notification.objects.filter(kind=Notification.Kind.DECONFLICTION_HIT)
    assert sorted(notices.values_list("recipient__username", flat=True)) == sorted(
        ["alice", contacts.user.username])
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [alice.officer.email, contacts.email])
    message = next(m for m in mail.outbox if alice.officer.email in m.to)
    assert ("OPP — Ontario Provincial Police checked a subject that overlaps one of your cases (exact match)"
            in message.body)
    assert "Charlie Outside, +1 705 555 0199" in message.body
    assert "Marc Gagnon" not in message.body  # the notice points; the page shows what was asked

    # the record of the check: who asked what, readable by auditors; nothing of alice's case in it
    record = AuditEvent.objects.get(action=AuditEvent.Action.DECONFLICTION_CHECK)
    assert (record.username, record.agency.acronym, record.door, record.outcome) == ("charlie", "OPP", "api",
                                                                                     "success")
    assert record.detail["asked"] == [
        {"kind": "person", "name": "Marc Gagnon", "date_of_birth": "1984-03-11"},
        {"kind": "phone", "name": "(313) 555-0142"}, {"kind": "email", "name": "BOSS@example.org"},
        {"kind": "vehicle", "name": "ZZZ 999"}]
    assert record.detail["overlaps"] == 1 and record.case is None and record.returned == []
    for trace in (case.reference, case.title, "exact", "possible"):  # what he asked, and nothing of what he hit
        assert trace not in json.dumps(record.detail) + record.object_ref

    # alice's side: the notice opens the check, with the question, how sure each match is and her own records
    alert = CheckAlert.objects.get()
    client.force_login(alice)
    text, url = describe_for(alice)
    assert url == reverse("deconfliction:alert_detail", args=[alert.pk])
    page = client.get(url).content.decode()
    for expected in ("Charlie Outside (charlie), OPP", "Date of birth: 1984-03-11",
                     "Kind: Phone number; Name, number or address: (313) 555-0142",
                     "Possible match", "Match", "name or alias", "phone number", "email address",
                     case.reference, "Marc Gagnon", "+1 705 555 0199"):
        assert expected in page, expected
    assert "OPP — Ontario Provincial Police checked a subject" in client.get(
        reverse("deconfliction:home")).content.decode()

    # nobody else hears of it: not charlie, not bob (CBP, shared with the case), who find nothing at its address
    for user in (charlie, bob):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert not Notification.objects.filter(recipient=user).exists()


def describe_for(user):
    from partnerships.notifications import describe

    return describe(Notification.objects.get(recipient=user, kind=Notification.Kind.DECONFLICTION_HIT), user)


def test_an_auditor_reads_what_was_asked_on_the_audit_trail(client, alice, charlie, case, contacts, alices_subjects):
    check(api(charlie), subject={"kind": "person", "name": "Marc Gagnon", "date_of_birth": "1984-03-13"})
    auditor = OfficerFactory(agency=alice.officer.agency, is_auditor=True).user
    client.force_login(auditor)
    page = client.get(reverse("partnerships:audit_search"), {"username": "charlie"}).content.decode()
    assert "Deconfliction check" in page
    assert "Kind: Person; Name, number or address: Marc Gagnon; Date of birth: 1984-03-13" in page
    export = client.get(reverse("partnerships:audit_search"), {"username": "charlie", "format": "csv"})
    text = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert "Kind: Person; Name, number or address: Marc Gagnon; Date of birth: 1984-03-13" in text


def answer_of(page):
    """The answer section of the check page (the forms around it repeat what was typed)."""
    return re.search(r'<section aria-labelledby="answer-heading".*?</section>', page, re.S)[0]


def test_the_check_page_gives_charlie_overlap_and_contact_only(client, alice, charlie, case, contacts,
                                                               alices_subjects, django_capture_on_commit_callbacks):
    client.force_login(charlie)
    assert client.get(reverse("deconfliction:check")).status_code == 200
    answers = []
    for born in ("1984-03-12", "1984-03-11"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("deconfliction:check"), {
                "what": "subject", "subject-kind": "person", "subject-name": "Marc Gagnon",
                "subject-date_of_birth": born})
        assert response.status_code == 200
        answers.append(answer_of(response.content.decode()))
    assert answers[0] == answers[1]
    assert "Possible overlap with a case of RCMP — Royal Canadian Mounted Police: contact Alice Lead, " \
           "+1 613 555 0101; Rita Night, +1 613 555 0102." in answers[0]
    assert_no_trace(answers[0], case)
    assert [a.certainty for a in CheckAlert.objects.order_by("pk")] == ["exact", "possible"]
    assert Notification.objects.filter(recipient=alice).count() == 2
    nothing = client.post(reverse("deconfliction:check"), {"what": "subject", "subject-kind": "person",
                                                           "subject-name": "Wilhelmina Okafor"})
    assert "No other agency's work overlaps with it." in answer_of(nothing.content.decode())


@pytest.mark.parametrize("post, message", [
    ({"what": "subject", "subject-kind": "phone", "subject-name": "12"}, "12 is not a phone number."),
    ({"what": "subject", "subject-kind": "person", "subject-name": ""}, "This field is required."),
    ({"what": "event", "event-latitude": "42"}, "Give a named area, or a point"),
])
def test_bad_input_on_the_check_page_is_explained_and_checks_nothing(client, charlie, post, message):
    client.force_login(charlie)
    response = client.post(reverse("deconfliction:check"), post)
    assert response.status_code == 200 and message in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DECONFLICTION_CHECK).exists()


# --- saved checks: the side that entered it learns no degree, and each side gets one notice per check -----------

def test_a_subject_entered_by_charlie_that_hits_three_of_alices_is_one_notice_each_side_and_no_degree(
        client, alice, charlie, case, contacts, django_capture_on_commit_callbacks):
    for title in ("First", "Second", "Third"):
        subject_add(by=alice, case=JointCaseFactory(by=alice, title=title), kind="person", name="Marc Gagnon",
                    date_of_birth=BORN)
    charlies_case = JointCaseFactory(by=charlie, title="Walpole Island smuggling")
    mail.outbox.clear()
    client.force_login(charlie)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partnerships:case_subject_add", args=[charlies_case.reference]), {
            "subject-kind": "person", "subject-name": "Marc Gagnon", "subject-date_of_birth": "1984-03-11"},
            follow=True)
    assert Hit.objects.count() == 3
    warnings = re.findall(r'<p class="message warning">(.*?)</p>', response.content.decode())
    assert warnings == ["Possible overlap with a case of RCMP — Royal Canadian Mounted Police: contact Alice Lead, "
                        "+1 613 555 0101; Rita Night, +1 613 555 0102."]
    notices = Notification.objects.filter(kind=Notification.Kind.DECONFLICTION_HIT)
    assert sorted(notices.values_list("recipient__username", flat=True)) == sorted(
        ["alice", contacts.user.username, "charlie"])
    assert len(mail.outbox) == 3
    # how sure: alice's side only (names equal, dates of birth differ: possible)
    answer = api(charlie).get("/api/v1/deconfliction/hits/").json()["results"]
    assert {(party["certainty"], party["other"]["certainty"]) for party in answer} == {(None, None)}
    alices = api(alice).get("/api/v1/deconfliction/hits/").json()["results"]
    assert {party["certainty"] for party in alices} == {"possible"}
    charlies_party = HitParty.objects.filter(agency=charlie.officer.agency).first()
    page = client.get(reverse("deconfliction:hit_detail", args=[charlies_party.pk])).content.decode()
    assert "Possible match" not in page and "similar name" not in page


# --- the hourly limit ---------------------------------------------------------------------------------------

def test_the_31st_check_in_an_hour_is_refused_and_opps_administrator_is_told_once(
        client, alice, charlie, case, contacts, alices_subjects, frozen_hour, settings,
        django_capture_on_commit_callbacks):
    assert settings.DECONFLICTION_CHECKS_PER_HOUR == 30
    administrator = OfficerFactory(agency=charlie.officer.agency, role=Officer.Role.AGENCY_ADMIN)
    client_api = api(charlie)
    for number in range(30):  # hits and misses count alike
        name = "Marc Gagnon" if number % 2 else f"Nobody {number}"
        assert check(client_api, subject={"kind": "person", "name": name}).status_code == 200, number
    with django_capture_on_commit_callbacks(execute=True):
        refused = check(client_api, subject={"kind": "person", "name": "Marc Gagnon", "date_of_birth": "1984-03-12"})
    assert refused.status_code == 429 and refused["Content-Type"] == "application/problem+json"
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "You have made 30 deconfliction checks in the last hour" in refused.json()["detail"]
    denied = AuditEvent.objects.get(action=AuditEvent.Action.DECONFLICTION_CHECK, outcome="denied")
    assert denied.detail["asked"] == [{"kind": "person", "name": "Marc Gagnon", "date_of_birth": "1984-03-12"}]
    assert CheckAlert.objects.count() == 15  # the refused check hit nothing and told nobody

    # the page refuses too (the officer's budget, whichever door), clearly, and another token does not help
    client.force_login(charlie)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("deconfliction:check"), {"what": "subject", "subject-kind": "person",
                                                            "subject-name": "Marc Gagnon"})
    assert page.status_code == 429 and "You have made 30 deconfliction checks in the last hour" in \
        page.content.decode()
    assert check(api(charlie), subject={"kind": "person", "name": "Marc Gagnon"}).status_code == 429

    told = Notification.objects.filter(kind=Notification.Kind.DECONFLICTION_LIMIT)
    assert list(told.values_list("recipient", flat=True)) == [administrator.user_id]
    from partnerships.notifications import describe

    text, url = describe(told.get(), administrator.user)
    assert text.startswith("Charlie Outside made 30 deconfliction checks within an hour")
    assert url == reverse("partnerships:agency_activity") + "?username=charlie"
    assert describe(told.get(), alice)[1] is None  # another agency's reader learns nothing


def test_every_door_and_token_of_an_officer_draws_on_one_budget(client, charlie, settings, frozen_hour):
    settings.DECONFLICTION_CHECKS_PER_HOUR = 2
    first = api(charlie)
    assert [check(first, subject={"kind": "person", "name": "A B"}).status_code for _ in range(3)] == [200, 200, 429]
    assert check(api(charlie), subject={"kind": "person", "name": "A B"}).status_code == 429
    client.force_login(charlie)
    page = client.post(reverse("deconfliction:check"), {"what": "subject", "subject-kind": "person",
                                                        "subject-name": "A B"})
    assert page.status_code == 429 and page["Retry-After"]
    settings.DECONFLICTION_CHECKS_PER_HOUR = 3
    assert check(api(charlie), subject={"kind": "person", "name": "A B"}).status_code == 200  # refusals not counted


def test_several_subjects_count_as_several_checks(charlie, settings, frozen_hour):
    settings.DECONFLICTION_CHECKS_PER_HOUR = 3
    client = api(charlie)
    four = [{"kind": "person", "name": f"Person {n}"} for n in range(4)]
    assert check(client, subjects=four).status_code == 429
    assert check(client, subjects=four[:3]).status_code == 200  # the refused four were not counted
    assert check(client, subject=four[0]).status_code == 429
