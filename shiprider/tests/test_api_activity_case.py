"""A case opened from a logged boarding through the API, as the patrol page's "Open a joint case" (issue 21)."""

import pytest
from django.urls import reverse

from partnerships import access
from partnerships.models import AccessLevel, AuditEvent, JointCase
from partnerships.tests.test_api import api
from shiprider.tests.test_log import boarding

pytestmark = pytest.mark.django_db


def open_case(user, activity, **body):
    return api(user).post(reverse("shiprider_api:activity_case", args=[activity.patrol_id, activity.pk]), body,
                          format="json")


def test_alice_opens_a_case_from_a_boarding_shared_with_the_partners_on_board(cast, world, underway):
    activity = boarding(world, underway, world.rcmp_lead)
    response = open_case(cast.alice, activity, share_with_partners=True)
    assert response.status_code == 201, response.content
    case = JointCase.objects.get(reference=response.json()["reference"])
    assert case.program == "shiprider" and "Night Hawk" in case.title
    assert access.level_of(world.uscg, case) == AccessLevel.CONTRIBUTE
    assert AuditEvent.objects.filter(door=AuditEvent.Door.API, object_type="patrol", user=cast.alice).exists()


def test_a_second_case_for_the_same_boarding_is_refused_with_the_pages_message(cast, world, underway):
    activity = boarding(world, underway, world.rcmp_lead)
    assert open_case(cast.alice, activity).status_code == 201
    response = open_case(cast.alice, activity)
    assert response.status_code == 400
    assert "already has a joint case" in response.json()["errors"]["non_field_errors"][0]
    assert JointCase.objects.filter(program="shiprider").count() == 1


def test_bob_and_charlie_outside_the_site_get_404_and_open_nothing(cast, world, underway):
    activity = boarding(world, underway, world.rcmp_lead)
    for outsider in (cast.bob, cast.charlie):
        response = open_case(outsider, activity)
        assert response.status_code == 404
        assert "Night Hawk" not in response.content.decode()
    activity.refresh_from_db()
    assert activity.case_id is None and not JointCase.objects.filter(program="shiprider").exists()


def test_an_activity_of_another_patrol_is_404(cast, world, underway):
    activity = boarding(world, underway, world.rcmp_lead)
    response = api(cast.alice).post(reverse("shiprider_api:activity_case", args=[underway.pk, activity.pk + 1000]),
                                    {}, format="json")
    assert response.status_code == 404
