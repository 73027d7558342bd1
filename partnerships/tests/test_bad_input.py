"""Bad input to the core's pages and API bodies is answered with a clear 4xx, never a 500, and saves nothing."""

import json

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.api.parsers import JSONRenderer
from partnerships.models import ApiToken, JointCase
from partnerships.tests.factories import UserFactory
from partnerships.tests.test_api import api, cases_url, shares_url

pytestmark = pytest.mark.django_db

CASE = {"title": "Smuggling ring", "program": "ibet"}


# --- API bodies (fault 4) ---------------------------------------------------------------------------------------

def post_raw(client, url, body, method="post"):
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.mark.parametrize("body", ["[" * 100000, '{"a":' * 100000, "[" * 40 + "]" * 40])
def test_a_deeply_nested_json_body_is_refused_with_400_and_nothing_saved(alice, case, body):
    client = api(alice)
    for method, url in [("post", cases_url()), ("patch", cases_url(case)), ("post", shares_url(case))]:
        response = post_raw(client, url, body, method)
        assert response.status_code == 400, (method, url)
        assert response["Content-Type"] == "application/problem+json"
        assert "nested" in response.json()["detail"]
    assert JointCase.objects.count() == 1


def test_a_lone_surrogate_in_a_json_body_is_refused_with_400_and_nothing_saved(alice):
    body = json.dumps({**CASE, "title": "\ud800"})  # ensure_ascii: the body holds the escape "\ud800"
    assert "\\ud800" in body
    response = post_raw(api(alice), cases_url(), body)
    assert response.status_code == 400
    assert "not valid Unicode" in response.json()["detail"]
    assert JointCase.objects.count() == 1  # the cast's case alone


def test_a_lone_surrogate_quoted_back_in_an_error_is_sent_escaped():
    rendered = JSONRenderer().render({"program": ['"\ud800" is not a valid choice.'], "place": "Québec"})
    assert json.loads(rendered) == {"program": ['"\ud800" is not a valid choice.'], "place": "Québec"}


def test_a_nested_body_within_the_limit_is_still_read(alice):
    response = api(alice).post(cases_url(), {**CASE, "results": []}, format="json")
    assert response.status_code in (201, 400)  # read and judged on its fields, not refused as a body
    assert "nested" not in json.dumps(response.json())


# --- non-numeric ids (fault 7) ----------------------------------------------------------------------------------

@pytest.mark.parametrize("token", ["abc", "99999999999999999999", "-1", "1.5", ""])
def test_revoking_a_token_that_is_not_an_id_answers_404_and_revokes_nothing(client, alice, token):
    alice.officer.role = "agency_admin"
    alice.officer.save()
    services.api_token_issue(user=alice)
    client.force_login(alice)
    assert client.post(reverse("partnerships:agency_tokens"), {"token": token}).status_code == 404
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


# --- the administration's add page prefilled from its query string (fault 10) -----------------------------------

@pytest.mark.parametrize("query", ["agency=abc", "agency=99999999999999999999", "user=abc&agency=-1",
                                   "agency=1.5", "parent=abc"])
def test_the_officer_add_page_prefilled_with_an_id_that_is_not_one_answers(client, cast, query):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(f"/admin/partnerships/officer/add/?{query}").status_code == 200
    assert client.get(f"/admin/partnerships/agency/add/?{query}").status_code == 200
    assert client.get(f"/admin/partnerships/crossdesignation/add/?officer={query.split('=')[1]}").status_code == 200


def test_the_officer_add_page_keeps_a_real_agency_from_its_query_string(client, cast):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    agency = cast.alice.officer.agency
    page = client.get(f"/admin/partnerships/officer/add/?agency={agency.pk}").content.decode()
    assert f'<option value="{agency.pk}" selected>' in page


# --- dates at the ends of the calendar in a query string (found by tests/test_bad_input_sweep.py) ----------------

@pytest.mark.parametrize("when", ["9999-12-31T23:59Z", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00+14:00"])
def test_a_case_list_changed_after_the_end_of_the_calendar_is_refused_with_400(alice, when):
    response = api(alice).get(cases_url(), {"updated_since": when})
    assert response.status_code == 400
    assert "1900-01-01" in json.dumps(response.json())


@pytest.mark.parametrize("name", ["since", "until"])
def test_the_audit_search_at_the_ends_of_the_calendar_answers_with_the_range(client, cast, name):
    from partnerships.tests.factories import OfficerFactory

    auditor = OfficerFactory(agency=cast.alice.officer.agency, is_auditor=True).user
    client.force_login(auditor)
    for day in ("9999-12-31", "0001-01-01"):
        response = client.get(reverse("partnerships:audit_search"), {name: day})
        assert response.status_code in (200, 400)
        assert "1900-01-01" in response.content.decode()
