"""The sync's removals feed (GET /api/v1/cases/removed/): what the caller's agency no longer holds, and nothing else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import AccessLevel, AuditEvent
from partnerships.tests.factories import JointCaseFactory, share, unshare
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db

REMOVED = reverse("api:case_removed")


def removed(user, since):
    response = api(user).get(REMOVED, {"since": since.isoformat()})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_bob_learns_the_reference_of_a_case_revoked_from_his_agency(cast):
    before = timezone.now() - datetime.timedelta(seconds=1)
    unshare(cast.case, cast.bob.officer.agency, by=cast.alice, reason="Informant at risk")
    results = removed(cast.bob, before)
    assert [row["reference"] for row in results] == [cast.case.reference]
    assert set(results[0]) == {"reference", "removed_at"}  # not who revoked, not why
    assert "Informant" not in str(results) and "alice" not in str(results)


def test_only_removals_after_since_are_listed(cast):
    unshare(cast.case, cast.bob.officer.agency, by=cast.alice)
    assert removed(cast.bob, timezone.now()) == []


def test_charlie_never_sees_a_reference_he_never_held(cast):
    before = timezone.now() - datetime.timedelta(seconds=1)
    unshare(cast.case, cast.bob.officer.agency, by=cast.alice)
    assert removed(cast.charlie, before) == []


def test_the_lead_agency_is_told_nothing_about_its_partners_revocations(cast):
    before = timezone.now() - datetime.timedelta(seconds=1)
    unshare(cast.case, cast.bob.officer.agency, by=cast.alice)
    assert removed(cast.alice, before) == []


def test_a_case_shared_again_is_not_listed(cast):
    before = timezone.now() - datetime.timedelta(seconds=1)
    cbp = cast.bob.officer.agency
    unshare(cast.case, cbp, by=cast.alice)
    share(cast.case, cbp, AccessLevel.VIEW, by=cast.alice)
    assert removed(cast.bob, before) == []


def test_a_member_agency_removed_after_a_team_share_is_told(cast):
    from partnerships.models import Team

    team = Team.objects.create(name="Detroit", kind=Team.Kind.IBET_TEAM)
    team.member_agencies.set([cast.alice.officer.agency, cast.charlie.officer.agency])
    other = JointCaseFactory(by=cast.alice, title="Team case")
    shared = api(cast.alice).post(reverse("api:case_shares", args=[other.reference]),
                                  {"team": team.pk, "level": "view", "purpose": "ibet_mou", "reason": "Team work"},
                                  format="json")
    assert shared.status_code == 201
    before = timezone.now() - datetime.timedelta(seconds=1)
    unshare(other, cast.charlie.officer.agency, by=cast.alice)
    assert [row["reference"] for row in removed(cast.charlie, before)] == [other.reference]
    assert removed(cast.bob, before) == []


def test_each_case_is_listed_once_with_its_latest_removal(cast):
    before = timezone.now() - datetime.timedelta(seconds=1)
    cbp = cast.bob.officer.agency
    unshare(cast.case, cbp, by=cast.alice)
    share(cast.case, cbp, AccessLevel.VIEW, by=cast.alice)
    unshare(cast.case, cbp, by=cast.alice)
    results = removed(cast.bob, before)
    assert [row["reference"] for row in results] == [cast.case.reference]


@pytest.mark.parametrize("query, field", [
    ({}, "since"),
    ({"since": ""}, "since"),
    ({"since": "2026-05-01T18:00"}, "since"),
    ({"since": "yesterday"}, "since"),
    ({"since": "2026-05-01T18:00Z", "updated_since": "2026-05-01T18:00Z"}, "updated_since"),
])
def test_a_bad_since_is_refused_by_name(cast, query, field):
    response = api(cast.bob).get(REMOVED, query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_the_read_is_audited_through_the_api(cast):
    removed(cast.bob, timezone.now())
    event = AuditEvent.objects.filter(action=AuditEvent.Action.CASE_LIST, door=AuditEvent.Door.API).latest("id")
    assert event.user == cast.bob and event.detail["part"] == "removed"


def test_the_feed_reads_a_bounded_number_of_queries(cast, django_assert_max_num_queries):
    before = timezone.now() - datetime.timedelta(seconds=1)
    cbp = cast.bob.officer.agency
    for n in range(5):
        case = JointCaseFactory(by=cast.alice, title=f"Gone {n}")
        share(case, cbp, AccessLevel.VIEW, by=cast.alice)
        unshare(case, cbp, by=cast.alice)
    client = api(cast.bob)
    with django_assert_max_num_queries(12):
        response = client.get(REMOVED, {"since": before.isoformat()})
    assert len(response.json()["results"]) == 5
