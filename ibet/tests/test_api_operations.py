"""Joint operations opened through the API, with the page's rules and messages."""

import pytest
from django.urls import reverse

from ibet.models import JointOperation
from ibet.tests.factories import make_pacific
from partnerships.models import AuditEvent
from partnerships.tests.factories import JointCaseFactory
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db

OPERATIONS = reverse("ibet_api:operation_list")


@pytest.fixture
def pacific(cast):
    return make_pacific(cast)


def body(team, **extra):
    return {"team": team.pk, "us_name": "Operation Tidewater", "canadian_name": "Project Eddy",
            "starts_on": "2026-12-01", "agencies": ["CBP"], **extra}


def test_a_member_opens_an_operation_with_a_case_it_contributes_to(pacific):
    case = JointCaseFactory(by=pacific.cast.alice, title="Eddy")
    created = api(pacific.cast.alice).post(OPERATIONS, body(pacific, cases=[case.reference]), format="json")
    assert created.status_code == 201, created.content
    assert sorted(created.json()["agencies"]) == ["CBP", "RCMP"]
    operation = JointOperation.objects.get()
    assert list(operation.cases.all()) == [case]
    assert AuditEvent.objects.filter(object_type="joint_operation", door=AuditEvent.Door.API).exists()
    listed = api(pacific.cast.bob).get(OPERATIONS).json()["results"]
    assert [row["us_name"] for row in listed] == ["Operation Tidewater"]


def test_the_pages_rules_refuse_with_the_pages_messages(pacific):
    client = api(pacific.cast.alice)
    one_country = client.post(OPERATIONS, body(pacific, agencies=["RCMP"]), format="json")
    assert one_country.json()["errors"]["non_field_errors"] == ["A joint operation has agencies of both countries."]
    backwards = client.post(OPERATIONS, body(pacific, ends_on="2026-11-01"), format="json")
    assert backwards.json()["errors"]["non_field_errors"] == ["The operation cannot end before it starts."]
    assert not JointOperation.objects.exists()


def test_charlie_cannot_open_one_nor_link_a_case_he_cannot_see(pacific):
    secret = JointCaseFactory(by=pacific.cast.alice, title="Not for OPP")
    refused = api(pacific.cast.charlie).post(OPERATIONS, body(pacific, cases=[secret.reference]), format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"team": ["Unknown team."], "cases": ["Link a case your agency can contribute "
                                                                            "to."]}
    assert api(pacific.cast.charlie).get(OPERATIONS).json()["results"] == []
    assert not JointOperation.objects.exists()


def test_bad_input_is_refused_by_name(pacific):
    client = api(pacific.cast.alice)
    unknown = client.post(OPERATIONS, body(pacific, agencies=["CBP", "XYZ"]), format="json")
    assert unknown.json()["errors"] == {"agencies": ["Unknown agency: XYZ."]}
    missing = client.post(OPERATIONS, {"team": pacific.pk}, format="json")
    assert set(missing.json()["errors"]) == {"us_name", "canadian_name", "starts_on", "agencies"}
    assert not JointOperation.objects.exists()
