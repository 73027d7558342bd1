"""The checker learns no count: charlie (OPP) enters a man and an operation that alice's agency (RCMP) holds once or
three times, and bob's (CBP) once. Whatever RCMP holds, charlie sees one row per (his subject or operation, other
agency) on every page, in the API, its counts, his notices, his agency's systems and his agency's activity; acting on
a row acts on all his sides of it. alice sees each of her own records, which are hers to count."""

import datetime
import json
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from deconfliction import services
from deconfliction.models import HitParty
from partnerships import signals
from partnerships.models import AuditEvent, Notification, Officer
from partnerships.services import subject_add
from partnerships.tests.factories import JointCaseFactory
from partnerships.tests.test_api import api

BORN = datetime.date(1984, 3, 12)
RAID = {"latitude": 42.2713, "longitude": -83.1346, "radius_m": 100}
NEAR = {"latitude": 42.2740, "longitude": -83.1300, "radius_m": 100}
HITS = "/api/v1/deconfliction/hits/"


def window(start_hours, end_hours):
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    return {"starts_at": now + datetime.timedelta(hours=start_hours),
            "ends_at": now + datetime.timedelta(hours=end_hours)}


def others_hold(alice, bob, rcmp_records):
    """RCMP holds the man and an operation at the marina `rcmp_records` times; CBP holds the man once."""
    for number in range(rcmp_records):
        subject_add(by=alice, case=JointCaseFactory(by=alice, title=f"RCMP file {number}"), kind="person",
                    name="Marc Gagnon", date_of_birth=BORN)
        services.event_plan(by=alice, kind="other", title=f"RCMP raid {number}", **RAID, **window(26, 30))
    subject_add(by=bob, case=JointCaseFactory(by=bob, title="CBP file"), kind="person", name="Marc Gagnon",
                date_of_birth=BORN)


def without_varying_parts(text):
    """What stays when ids, references, times and tokens (which differ from one run to the next) are taken out."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "<csrf>", text)
    text = re.sub(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d| [A-Z]{2,5})?", "<when>", text)
    text = re.sub(r"\b[A-Z]+-\d{4}-\d+\b", "<reference>", text)
    text = re.sub(r"/\d+/", "/<id>/", text)
    text = re.sub(r"<td>\d+</td>|\bbpp_[\w-]{8}", "<id>", text)  # an object's id, an API token's prefix
    return re.sub(r'"(id|subject|event)": ?\d+', r'"\1": <id>', text)


@pytest.fixture
def opp_admin(charlie):
    from partnerships.tests.factories import OfficerFactory

    return OfficerFactory(agency=charlie.officer.agency, role=Officer.Role.AGENCY_ADMIN).user


def charlies_view(rcmp_records, *, alice, bob, charlie, opp_admin, client, capture):
    """Everything charlie and his agency see once he has entered the man and an operation, in a savepoint that is
    rolled back, so that a test can compare two worlds."""
    told = []

    def count_deliveries(sender, *, hit, parties, **kwargs):
        told.extend(party.agency_id for party in parties if party.agency_id == charlie.officer.agency_id)

    signals.deconfliction_hit.connect(count_deliveries, dispatch_uid="test.count_deliveries")
    try:
        with transaction.atomic():
            others_hold(alice, bob, rcmp_records)
            charlies_case = JointCaseFactory(by=charlie, title="Walpole Island smuggling")
            client.force_login(charlie)
            with capture(execute=True):
                added = client.post(reverse("partnerships:case_subject_add", args=[charlies_case.reference]), {
                    "subject-kind": "person", "subject-name": "Marc Gagnon", "subject-date_of_birth": "1984-03-12"},
                    follow=True)
                planned = api(charlie).post("/api/v1/deconfliction/events/", {
                    "kind": "other", "title": "Surveillance", **NEAR,
                    **{k: v.isoformat() for k, v in window(27, 29).items()}}, format="json")
            hits = api(charlie).get(HITS).json()
            subject_row = next(row for row in hits["results"] if row["subject"])
            event_id = planned.json()["id"]
            seen = {
                "subject added (case page)": added.content.decode(),
                "operation planned (API)": json.dumps(planned.json()),
                "home": client.get(reverse("deconfliction:home")).content.decode(),
                "event page": client.get(reverse("deconfliction:event_detail", args=[event_id])).content.decode(),
                "hit page": client.get(reverse("deconfliction:hit_detail", args=[subject_row["id"]])).content.decode(),
                "API list": json.dumps(hits),
                "API list, page size 1": json.dumps(api(charlie).get(HITS + "?page_size=1").json()),
                "notices": client.get(reverse("partnerships:notifications")).content.decode(),
            }
            client.force_login(opp_admin)
            seen["OPP activity"] = client.get(reverse("partnerships:agency_activity")).content.decode()
            seen = {where: without_varying_parts(text) for where, text in seen.items()}
            csv = client.get(reverse("partnerships:agency_activity") + "?format=csv").content
            request_ids = re.sub(r"\b[0-9a-f]{16,}\b", "<request>", without_varying_parts(csv.decode()))
            seen["OPP activity CSV"] = re.sub(r"\d+", "#", request_ids)
            seen["deliveries to OPP's systems"] = len(told)
            seen["notices to charlie"] = Notification.objects.filter(recipient=charlie).count()
            seen["hit records by charlie"] = AuditEvent.objects.filter(
                action=AuditEvent.Action.DECONFLICTION_HIT, user=charlie).count()
            transaction.set_rollback(True)
    finally:
        signals.deconfliction_hit.disconnect(dispatch_uid="test.count_deliveries")
    return seen


def test_charlie_sees_the_same_whether_rcmp_holds_the_man_once_or_three_times(
        client, alice, bob, charlie, opp_admin, django_capture_on_commit_callbacks):
    people = {"alice": alice, "bob": bob, "charlie": charlie, "opp_admin": opp_admin, "client": client,
              "capture": django_capture_on_commit_callbacks}
    once, three_times = charlies_view(1, **people), charlies_view(3, **people)
    for where in once:
        assert once[where] == three_times[where], where
    # and it says what it should: a row per agency and entry (the man: CBP, RCMP; the operation: RCMP)
    assert "\"count\": 3" in once["API list"] and "\"count\": 3" in once["API list, page size 1"]
    home = once["home"]
    assert home.count("Possible overlap with a case of RCMP") == 1 and home.count("with a case of CBP") == 1
    assert home.index("with a case of CBP") < home.index("with a case of RCMP")
    assert once["deliveries to OPP's systems"] == 3 and once["hit records by charlie"] == 3


@pytest.fixture
def charlies_man(alice, bob, charlie):
    """RCMP holds the man three times, CBP once; charlie enters him."""
    others_hold(alice, bob, 3)
    return subject_add(by=charlie, case=JointCaseFactory(by=charlie), kind="person", name="Marc Gagnon",
                       date_of_birth=BORN)


def test_charlie_acknowledges_and_closes_his_rcmp_row_for_all_his_sides_in_one_record(
        client, alice, charlie, charlies_man):
    rcmp = alice.officer.agency
    rows = api(charlie).get(HITS).json()["results"]
    rcmp_row = next(row for row in rows if row["other"]["agency"] == "RCMP")
    mine = HitParty.objects.filter(subject=charlies_man, hit__parties__agency=rcmp)
    assert mine.count() == 3 and rcmp_row["id"] == min(mine.values_list("pk", flat=True))

    acknowledged = api(charlie).post(f"{HITS}{rcmp_row['id']}/acknowledge/")
    assert acknowledged.status_code == 200 and acknowledged.json()["status"] == "acknowledged"
    assert set(mine.values_list("status", flat=True)) == {"acknowledged"}
    client.force_login(charlie)
    closed = client.post(reverse("deconfliction:hit_close", args=[rcmp_row["id"]]),
                         {"outcome": "coordinated", "note": "Called RCMP"}, follow=True)
    assert "Closed." in closed.content.decode()
    assert set(mine.values_list("status", "outcome", "note", "closed_by")) == {
        ("closed", "coordinated", "Called RCMP", charlie.pk)}
    records = AuditEvent.objects.filter(action=AuditEvent.Action.DECONFLICTION_CLOSE, user=charlie)
    assert [r.detail["status"] for r in records.order_by("pk")] == ["acknowledged", "closed"]
    assert all(sorted(r.detail["hits"]) == sorted(mine.values_list("hit_id", flat=True)) for r in records)
    # the CBP row is still open, alice's sides untouched, and acting again on the closed row is refused
    assert [row["other"]["agency"] for row in api(charlie).get(HITS).json()["results"] if row["status"] == "open"] \
        == ["CBP"]
    assert set(HitParty.objects.filter(agency=rcmp).values_list("status", flat=True)) == {"open"}
    again = api(charlie).post(f"{HITS}{rcmp_row['id']}/close/", {"outcome": "contacted"}, format="json")
    assert again.status_code == 400 and "closed already" in json.dumps(again.json())
    assert records.count() == 2


def test_a_later_side_of_charlies_row_opens_the_same_row(client, charlie, charlies_man):
    later = HitParty.objects.filter(subject=charlies_man, hit__parties__agency__acronym="RCMP").order_by("pk").last()
    client.force_login(charlie)
    page = client.get(reverse("deconfliction:hit_detail", args=[later.pk])).content.decode()
    first = HitParty.objects.filter(subject=charlies_man, hit__parties__agency__acronym="RCMP").order_by("pk").first()
    assert reverse("deconfliction:hit_close", args=[first.pk]) in page
    assert "Possible match" not in page and "Exact match" not in page  # charlie ran the check: no degree


def test_alice_sees_each_of_her_own_records_and_how_sure_and_charlie_none_of_them(
        client, alice, charlie, charlies_man):
    rows = [row for row in api(alice).get(HITS).json()["results"] if row["other"]["agency"] == "OPP"]
    assert len(rows) == 3 and {row["certainty"] for row in rows} == {"exact"}
    assert len({row["case"] for row in rows}) == 3  # her three files
    client.force_login(charlie)
    for row in rows:
        assert client.get(reverse("deconfliction:hit_detail", args=[row["id"]])).status_code == 404
        assert api(charlie).post(f"{HITS}{row['id']}/acknowledge/").status_code == 404
