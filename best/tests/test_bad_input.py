"""Bad input to the BEST pages is answered with the form's message, never a 500, and saves nothing; a quantity
stored before the forms knew the column's size never takes the investigation page down."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from best.models import Charge
from partnerships.models import EnforcementResult

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def act(client, investigation, action, **fields):
    return client.post(reverse("best:investigation_action", args=[investigation.case.reference, action]),
                       {f"{action}-{name}": value for name, value in fields.items()})


# --- numbers too large for their columns (fault 6) ---------------------------------------------------------------

@pytest.mark.parametrize(("quantity", "message"), [
    (HUGE, "Ensure that there are no more than 14 digits in total."),
    ("1e20", "Ensure that there are no more than 14 digits in total."),
    ("100000000000", "Ensure that there are no more than 11 digits before the decimal point."),
])
def test_a_seizure_quantity_too_large_for_its_column_is_refused_and_nothing_saved(
        client, world, investigation, quantity, message):
    client.force_login(world.agent.user)
    response = act(client, investigation, "seizure", seized_on=str(timezone.localdate()), category="drugs",
                   quantity=quantity, unit="kg")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EnforcementResult.objects.filter(kind="seizure").exists()


def test_the_largest_seizure_quantity_the_column_holds_is_taken(client, world, investigation):
    client.force_login(world.agent.user)
    response = act(client, investigation, "seizure", seized_on=str(timezone.localdate()), category="drugs",
                   quantity="99999999999.999", unit="kg")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_charge_counts_too_large_for_their_column_are_refused_and_nothing_saved(client, world, investigation):
    client.force_login(world.agent.user)
    response = act(client, investigation, "charge", subject=investigation.person.pk, court="E.D. Mich.",
                   jurisdiction="Michigan", charged_on=str(timezone.localdate()), counts=HUGE)
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 100000." in response.content.decode()
    assert not Charge.objects.exists()


def test_a_charge_date_in_year_9999_is_refused_and_nothing_saved(client, world, investigation):
    client.force_login(world.agent.user)
    response = act(client, investigation, "charge", subject=investigation.person.pk, court="E.D. Mich.",
                   jurisdiction="Michigan", charged_on="9999-12-31", counts="2")
    assert response.status_code == 400
    assert "Give a date between 1900-01-01 and 2200-12-31." in response.content.decode()
    assert not Charge.objects.exists()


# --- a quantity stored before the check (fault 10: SQLite kept 1e20, then the page failed for everyone) ---------

def test_a_seizure_of_1e20_stored_before_the_check_is_repaired_and_the_investigation_page_answers(
        client, world, investigation):
    client.force_login(world.agent.user)
    act(client, investigation, "seizure", seized_on=str(timezone.localdate()), category="drugs", quantity="18",
        unit="kg", description="cannabis")
    seizure = EnforcementResult.objects.get(kind="seizure")
    if connection.vendor == "sqlite":  # PostgreSQL's numeric(14, 3) never held it
        with connection.cursor() as cursor:
            cursor.execute("UPDATE partnerships_enforcementresult SET quantity = 1e20 WHERE id = %s", [seizure.pk])
    migration = importlib.import_module("best.migrations.0003_seizure_quantities_in_range")
    migration.bring_into_range(apps, None)
    for user in (world.agent.user, world.cast.alice):
        client.force_login(user)
        page = client.get(reverse("best:investigation_detail", args=[investigation.case.reference]))
        assert page.status_code == 200
    seizure.refresh_from_db()
    if connection.vendor == "sqlite":
        assert str(seizure.quantity) == "99999999999.999"
        assert seizure.description.startswith("cannabis [quantity recorded beyond")
    else:
        assert (str(seizure.quantity), seizure.description) == ("18.000", "cannabis")
