"""Sharing a case with a whole team through the API, as the sharing page does."""

import pytest
from django.urls import reverse

from partnerships import access
from partnerships.models import AccessLevel, SharingDecision, Team
from partnerships.tests.factories import AgencyFactory
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(cast):
    team = Team.objects.create(name="Windsor", kind=Team.Kind.BEST_UNIT)
    team.member_agencies.set([cast.alice.officer.agency, cast.charlie.officer.agency,
                              AgencyFactory(acronym="WPS", country="CA")])
    return team


def share_team(user, case, team, extra=None):
    body = {"team": team.pk, "level": "contribute", "purpose": "ibet_mou", "reason": "Unit's work", **(extra or {})}
    return api(user).post(reverse("api:case_shares", args=[case.reference]), body, format="json")


def test_alice_shares_her_case_with_a_team_in_one_decision(cast, team):
    response = share_team(cast.alice, cast.case, team)
    assert response.status_code == 201, response.content
    levels = {row["agency"]: row["level"] for row in response.json()}
    assert levels["OPP"] == levels["WPS"] == "contribute"
    decision = SharingDecision.objects.get(team=team)
    assert {a.acronym for a in decision.agencies.all()} == {"OPP", "WPS"}  # the lead is not shared with itself
    assert access.can(cast.charlie, cast.case, AccessLevel.CONTRIBUTE)


def test_the_teams_are_listed_with_their_members(cast, team):
    response = api(cast.bob).get(reverse("api:team_list"))
    assert response.status_code == 200
    row = next(row for row in response.json()["results"] if row["id"] == team.pk)
    assert row["name"] == "Windsor" and set(row["member_agencies"]) == {"RCMP", "OPP", "WPS"}


def test_charlie_gets_404_sharing_a_case_not_shared_with_him(cast, team):
    assert share_team(cast.charlie, cast.case, team).status_code == 404
    assert not SharingDecision.objects.filter(team=team).exists()


def test_bob_with_view_only_cannot_share_with_a_team(cast, team):
    assert share_team(cast.bob, cast.case, team).status_code in (403, 404)
    assert not SharingDecision.objects.filter(team=team).exists()


@pytest.mark.parametrize("extra, field, message", [
    ({"agency": "OPP"}, "non_field_errors", "Choose either an agency or a team."),
    ({"team": 999999}, "team", "Choose a team from the list."),
    ({"team": "Windsor"}, "team", "Give a team's id."),
])
def test_a_bad_team_share_is_refused_and_changes_nothing(cast, team, extra, field, message):
    response = share_team(cast.alice, cast.case, team, extra)
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert not SharingDecision.objects.filter(team__isnull=False).exists()


def test_a_team_with_a_member_the_case_may_not_reach_is_refused_whole(cast, team):
    team.member_agencies.add(AgencyFactory(acronym="FBI", country="US"))
    cast.case.releasability = "ca_only"
    cast.case.save(update_fields=["releasability"])
    response = share_team(cast.alice, cast.case, team)
    assert response.status_code == 400
    assert "FBI" in response.json()["errors"]["non_field_errors"][0]
    assert not access.can(cast.charlie, cast.case, AccessLevel.VIEW)
