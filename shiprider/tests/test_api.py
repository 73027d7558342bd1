import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import CrossDesignation
from partnerships.tests.test_api import api
from shiprider.models import Patrol
from shiprider.tests.factories import ShipRiderWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return ShipRiderWorld(cast)


SOON = 5 / (24 * 60)  # days: a patrol planned to start in five minutes


def body(world, crew=None, hours=8, days_ahead=3):
    start, end = world.window(days_ahead=days_ahead, hours=hours)
    return {"site": world.site.pk, "vessel": "RCMP-INK", "planned_start": start.isoformat(),
            "planned_end": end.isoformat(),
            "crew": [{"officer": o.pk, "role": role} for o, role in (crew or world.crew())]}


def test_a_member_plans_a_patrol_through_the_api(world):
    response = api(world.rcmp_lead.user).post(reverse("shiprider_api:patrol_list"), body(world), format="json")
    assert response.status_code == 201, response.json()
    assert {m["name"] for m in response.json()["crew"]} == {"Luc Bouchard", "Sarah McKenzie", "Marcus Reed"}
    assert response.json()["warnings"] == []


def test_the_api_refuses_what_the_page_refuses_with_the_same_message(world):
    CrossDesignation.objects.filter(officer=world.uscg_bo).update(
        valid_to=timezone.localdate() + datetime.timedelta(days=3))
    client = api(world.rcmp_lead.user)
    expiring = client.post(reverse("shiprider_api:patrol_list"), body(world, hours=40), format="json")
    assert expiring.status_code == 400
    assert "The ShipRider designation of BM1 Marcus Reed (USCG) ends on" in expiring.json()["errors"][
        "non_field_errors"][0]
    no_us = client.post(reverse("shiprider_api:patrol_list"),
                        body(world, crew=[(world.rcmp_lead, "host_lead"), (world.rcmp_cox, "crew")]), format="json")
    assert no_us.status_code == 400 and "no officer of the United States" in no_us.json()["errors"][
        "non_field_errors"][0]
    nested = client.post(reverse("shiprider_api:patrol_list"), {**body(world), "crew": [{"officer": 1, "role": "x"}]},
                         format="json")
    assert nested.json()["errors"] == {"crew.0.role": ['"x" is not a valid choice.']}
    assert not Patrol.objects.exists()


def test_charlie_sees_no_site_patrol_or_designation_through_the_api(world):
    api(world.rcmp_lead.user).post(reverse("shiprider_api:patrol_list"), body(world), format="json")
    patrol = Patrol.objects.get()
    client = api(world.cast.charlie)
    for name in ("site_list", "vessel_list", "patrol_list", "designation_list"):
        assert client.get(reverse(f"shiprider_api:{name}")).json()["results"] == []
    assert client.get(reverse("shiprider_api:patrol_detail", args=[patrol.pk])).status_code == 404
    refused = client.post(reverse("shiprider_api:patrol_list"), body(world), format="json")
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"site", "vessel", "crew"}


def test_an_unknown_api_path_is_a_problem_not_a_page(world):
    response = api(world.rcmp_lead.user).get("/api/v1/shiprider/patrols/not-a-number/")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


def test_a_boarding_is_logged_through_the_api_with_the_pages_rules(world):
    from shiprider import services

    client = api(world.rcmp_lead.user)
    patrol_id = client.post(reverse("shiprider_api:patrol_list"), body(world, days_ahead=SOON),
                            format="json").json()["id"]
    services.patrol_start(by=world.rcmp_lead.user, patrol=Patrol.objects.get(pk=patrol_id))  # the log is open
    url = reverse("shiprider_api:patrol_activities", args=[patrol_id])
    boarding = {"kind": "boarding", "occurred_at": timezone.now().isoformat(), "waters": "CA",
                "directing_officer": world.uscg_bo.pk, "target_name": "Night Hawk",
                "results": [{"kind": "seizure", "category": "tobacco", "quantity": "120", "unit": "kg"}]}
    refused = client.post(url, boarding, format="json")
    assert refused.status_code == 400 and "BM1 Marcus Reed (USCG) cannot" in refused.json()["errors"][
        "non_field_errors"][0]
    saved = client.post(url, {**boarding, "directing_officer": world.rcmp_lead.pk}, format="json")
    assert saved.status_code == 201 and saved.json()["results"][0]["category"] == "tobacco"
    patrol = client.get(reverse("shiprider_api:patrol_detail", args=[patrol_id])).json()
    assert [a["target_name"] for a in patrol["activities"]] == ["Night Hawk"]
    assert api(world.cast.charlie).post(url, boarding, format="json").status_code == 404
