"""Bad input to the ShipRider pages and API is answered with a clear 4xx or the form's message, never a 500, and
saves nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.tests.test_api import api
from shiprider import services
from shiprider.models import Activity, Patrol, RadioPlan
from shiprider.tests.factories import ShipRiderWorld
from shiprider.tests.test_radio import plan_form
from shiprider.tests.test_views import form as patrol_form

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def world(cast):
    return ShipRiderWorld(cast)


@pytest.fixture
def member(client, world):
    client.force_login(world.rcmp_lead.user)
    return client


@pytest.fixture
def patrol(world):
    start, end = world.window()
    patrol, _warnings = services.patrol_schedule(by=world.rcmp_lead.user, site=world.site, vessel=world.vessel,
                                                 planned_start=start, planned_end=end, crew=world.crew())
    return patrol


# --- the calendar's and the figures' ends (fault 5) -------------------------------------------------------------

@pytest.mark.parametrize("query", ["date=0001-01-01", "date=0001-01-01&view=week", "date=9999-12-31",
                                   "date=9999-12-31&view=week", "date=1899-12-31", "date=2201-01-01"])
def test_a_calendar_date_outside_the_range_answers_400_with_a_message(member, query):
    response = member.get(f"{reverse('shiprider:calendar')}?{query}")
    assert response.status_code == 400
    assert "Give the date as YYYY-MM-DD, between 1900-01-01 and 2200-12-31." in response.content.decode()


@pytest.mark.parametrize("query", ["date=1900-01-01", "date=1900-01-01&view=week", "date=2200-12-31",
                                   "date=2200-12-31&view=week", "", "date=", "date=abc"])
def test_a_calendar_date_at_the_ends_of_the_range_is_shown(member, query):
    # And without a date, or with one that is no date, today's (as before).
    assert member.get(f"{reverse('shiprider:calendar')}?{query}").status_code == 200


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2201-01", "1899-12"])
def test_figures_for_a_month_outside_the_range_answer_400_with_a_message(member, month):
    response = member.get(reverse("shiprider:figures"), {"month": month})
    assert response.status_code == 400
    assert "Give the month as YYYY-MM, between 1900-01 and 2200-12." in response.content.decode()


@pytest.mark.parametrize("month", ["2200-12", "1900-01", "", "2026-13", "0-0", "abc", "2026-1-1"])
def test_figures_for_a_month_at_the_ends_of_the_range_are_shown(member, month):
    # And without a month, or with one that is no month, this month's (as before).
    assert member.get(reverse("shiprider:figures"), {"month": month}).status_code == 200


# --- dates in range in every form and API field (fault 1) --------------------------------------------------------

def test_a_patrol_in_year_9999_is_refused_and_nothing_saved(member, world):
    data = patrol_form(world, world.crew())
    data.update(planned_start="9999-12-31T20:00", planned_end="9999-12-31T23:59")
    response = member.post(reverse("shiprider:patrol_schedule"), data)
    assert "Give a date between 1900-01-01 and 2200-12-31." in response.content.decode()
    assert not Patrol.objects.exists()


def test_the_api_refuses_a_patrol_in_year_9999_and_saves_nothing(world):
    from shiprider.tests.test_api import body

    response = api(world.rcmp_lead.user).post(reverse("shiprider_api:patrol_list"), {
        **body(world), "planned_start": "9999-12-31T20:00:00-05:00", "planned_end": "9999-12-31T23:59:00+00:00"},
        format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"planned_start", "planned_end"}
    assert not Patrol.objects.exists()


# --- formsets with a made-up number of rows (fault 8) ------------------------------------------------------------

def test_a_crew_formset_claiming_a_huge_number_of_rows_is_capped_and_refused(member, world):
    data = patrol_form(world, world.crew())
    data["crew-TOTAL_FORMS"] = HUGE
    response = member.post(reverse("shiprider:patrol_schedule"), data)
    assert response.status_code == 200
    assert "Please submit at most 12 forms." in response.content.decode()
    assert len(response.context["crew_forms"].forms) == 18
    assert not Patrol.objects.exists()


def test_a_radio_plan_claiming_a_huge_number_of_rows_is_capped_and_refused(member, patrol):
    data = plan_form(patrol)
    data["channels-TOTAL_FORMS"] = HUGE
    response = member.post(reverse("shiprider:radio_plan", args=[patrol.pk]), data)
    assert response.status_code == 200
    assert "Please submit at most 40 forms." in response.content.decode()
    assert len(response.context["channels"].forms) == 48
    assert not RadioPlan.objects.exists()


# --- ids beyond any column (fault 10; SQLite cannot even compare them) -------------------------------------------

@pytest.mark.parametrize("site", [HUGE, "-1", "abc", "²"])
def test_patrols_of_a_site_id_beyond_any_column_answer(member, patrol, site):
    for name in ("shiprider:patrol_list", "shiprider:calendar", "shiprider:figures"):
        assert member.get(reverse(name), {"site": site}).status_code == 200, name


def test_the_api_refuses_a_directing_officer_beyond_any_column_and_saves_nothing(world, patrol):
    url = reverse("shiprider_api:patrol_activities", args=[patrol.pk])
    response = api(world.rcmp_lead.user).post(url, {
        "kind": "boarding", "occurred_at": timezone.now().isoformat(), "waters": "CA",
        "directing_officer": int(HUGE)}, format="json")
    assert response.status_code == 400
    assert "directing_officer" in response.json()["errors"]
    assert not Activity.objects.exists()


def test_an_activity_with_a_seizure_too_large_for_its_column_is_refused_and_nothing_saved(member, patrol, world):
    response = member.post(reverse("shiprider:patrol_activity", args=[patrol.pk]), {
        "activity-kind": "boarding", "activity-occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "activity-waters": "CA", "activity-directing_officer": world.rcmp_lead.pk,
        "activity-persons_arrested": HUGE, "activity-seizure_category": "drugs", "activity-seizure_quantity": "1e20",
        "activity-seizure_unit": "kg"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ensure this value is less than or equal to 100000." in page
    assert "Ensure that there are no more than 14 digits in total." in page
    assert not Activity.objects.exists()
