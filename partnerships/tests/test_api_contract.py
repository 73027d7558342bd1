"""The API does what its schema says (issue 19, "The API keeps its own schema"): problem details for every error
under /api/ in the caller's language, unknown query parameters and naive times refused, invalid tokens throttled per
address, CSV whatever the Accept header, UTC timestamps, conditional GET, and a schema that states all of it."""

import pytest
from django.test import override_settings
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from partnerships import services

pytestmark = pytest.mark.django_db


def api(user=None, key=None):
    client = APIClient()
    if user is not None:
        _token, key = services.api_token_issue(user=user, read_only=False)
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def is_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


# --- every error is a problem, in the caller's language --------------------------------------------------------

@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/api/v1/ibet/occurrences/null,null/", "/api/v1/no-such-thing/", "/api/nothing",
                                  "/api/v1/shiprider/patrols/abc/"])
def test_a_path_no_api_route_takes_is_a_problem_404_even_with_debug(alice, path, debug):
    with override_settings(DEBUG=debug):
        is_problem(api(alice).get(path), 404)


def test_a_path_without_its_trailing_slash_is_still_redirected(alice):
    response = api(alice).get("/api/v1/cases", {"page_size": 5})
    assert response.status_code == 301 and response["Location"] == "/api/v1/cases/?page_size=5"


def test_a_bad_cursor_is_a_bad_request(alice, case):
    body = is_problem(api(alice).get(reverse("api:case_list"), {"cursor": "not-a-cursor"}), 400)
    assert "cursor" in body["errors"]


def test_problem_title_and_detail_follow_accept_language(alice, case):
    client = api(alice)
    body = is_problem(client.get(reverse("api:case_list"), {"cursor": "x"}, HTTP_ACCEPT_LANGUAGE="fr"), 400)
    assert body["title"] == "Demande non valide"
    assert body["errors"]["cursor"] == [
        "Ce curseur n'est pas valide\u00a0: suivez le lien «\u00a0next\u00a0» d'une page."]
    body = is_problem(client.get("/api/v1/nowhere/", HTTP_ACCEPT_LANGUAGE="fr"), 404)
    assert body["detail"] == "Introuvable."
    body = is_problem(api(key="bpp_unknown").get(reverse("api:case_list"), HTTP_ACCEPT_LANGUAGE="fr"), 401)
    assert body["title"] == "Non authentifié"
    assert is_problem(client.get("/api/v1/nowhere/"), 404)["title"] == "Not found"


# --- unknown query parameters, invalid tokens ------------------------------------------------------------------

@pytest.mark.parametrize("url, parameter", [
    ("/api/v1/cases/", "search"), ("/api/v1/agencies/", "search"), ("/api/v1/cbcf/initiatives/", "partnership"),
    ("/api/v1/ibet/occurrences/", "type"),
])
def test_an_unknown_query_parameter_is_refused_by_name(alice, case, url, parameter):
    body = is_problem(api(alice).get(url, {parameter: "x"}), 400)
    assert body["errors"] == {parameter: ["Unknown query parameter."]}


def test_known_query_parameters_still_work(alice, case):
    client = api(alice)
    assert client.get("/api/v1/cases/", {"q": "Detroit", "page_size": 5, "format": "json"}).status_code == 200
    assert client.get("/api/v1/agencies/", {"page": 1, "page_size": 5}).status_code == 200
    assert client.get("/api/v1/shiprider/designations/", {"status": "active"}).status_code == 200


@override_settings(API_BAD_TOKEN_RATE="3/m")
def test_invalid_tokens_are_throttled_per_address_but_a_valid_token_is_not(alice, case):
    url = reverse("api:case_list")
    for _ in range(3):
        is_problem(api(key="bpp_wrong").get(url), 401)
    response = api(key="bpp_wrong").get(url)
    is_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert api(alice).get(url).status_code == 200  # the same address, a valid token
    # another address has its own budget
    is_problem(api(key="bpp_wrong").get(url, REMOTE_ADDR="192.0.2.7"), 401)


# --- CSV ---------------------------------------------------------------------------------------------------------

def test_format_csv_wins_over_the_accept_header(alice, case):
    response = api(alice).get(reverse("api:agency_list"), {"format": "csv"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0].startswith("acronym,name,")


def test_an_empty_csv_still_has_its_header_row(charlie):
    response = api(charlie).get(reverse("api:case_list"), {"format": "csv"})
    assert response.status_code == 200
    assert response.content.decode().splitlines() == [
        "reference,title,summary,program,status,lead_agency,shared_with,releasability,handling_code,caveat,"
        "opened_at,closed_at,updated_at,url"]


# --- times ---------------------------------------------------------------------------------------------------------

def test_a_date_time_without_an_offset_is_refused(alice, case):
    client = api(alice)
    body = is_problem(client.get(reverse("api:case_list"), {"updated_since": "2026-05-01T18:00"}), 400)
    assert "offset" in body["errors"]["updated_since"][0]
    body = is_problem(client.post("/api/v1/deconfliction/checks/", {"event": {
        "starts_at": "2026-05-01T18:00", "ends_at": "2026-05-01T19:00-04:00", "area": "Detroit River"}},
        format="json"), 400)
    assert list(body["errors"]) == ["event.starts_at"]
    assert client.get(reverse("api:case_list"), {"updated_since": "2026-05-01T18:00-04:00"}).status_code == 200
    assert client.get(reverse("api:case_list"), {"updated_since": "2026-05-01T22:00Z"}).status_code == 200


def test_timestamps_are_utc_with_a_token_and_with_a_session(client, alice, case):
    alice.officer.time_zone = "America/Toronto"
    alice.officer.save(update_fields=["time_zone"])
    url = reverse("api:case_detail", args=[case.reference])
    by_token = api(alice).get(url).json()
    client.force_login(alice)
    session = client.get(url, HTTP_ACCEPT="application/json")
    assert session.status_code == 200
    by_session = session.json()
    assert by_token["updated_at"].endswith("Z") and by_session["updated_at"] == by_token["updated_at"]


# --- conditional GET -----------------------------------------------------------------------------------------------

def test_if_none_match_with_the_current_etag_answers_304(alice, case):
    client = api(alice)
    url = reverse("api:case_detail", args=[case.reference])
    first = client.get(url)
    tag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == tag
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    changed = client.patch(url, {"title": "Renamed"}, format="json")
    assert changed.status_code == 200, changed.content
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 200


# --- the schema says so --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_documents_the_revoke_body(openapi):
    body = openapi["paths"]["/api/v1/cases/{reference}/shares/{acronym}/"]["delete"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(openapi["components"]["schemas"][ref]["required"]) == {"purpose", "reason"}


def test_schema_documents_etags_preconditions_and_304(openapi):
    detail = openapi["paths"]["/api/v1/cases/{reference}/"]
    get_parameters = {p["name"] for p in detail["get"]["parameters"]}
    patch_parameters = {p["name"] for p in detail["patch"]["parameters"]}
    assert "If-None-Match" in get_parameters and "If-Match" in patch_parameters
    assert "ETag" in detail["get"]["responses"]["200"]["headers"]
    assert "304" in detail["get"]["responses"] and "412" in detail["patch"]["responses"]
    assert "412" not in openapi["paths"]["/api/v1/agencies/"]["get"]["responses"]


def test_schema_refuses_unknown_fields_where_the_api_does(openapi):
    schemas = openapi["components"]["schemas"]
    for name in ("CaseCreateRequest", "PatchedCaseUpdateRequest", "ShareCreateRequest", "RevokeRequest"):
        assert schemas[name]["additionalProperties"] is False, name


def test_schema_allows_the_blank_partnership_of_an_initiative(openapi):
    partnership = openapi["components"]["schemas"]["Initiative"]["properties"]["partnership"]
    assert any(choice.get("$ref", "").endswith("/BlankEnum") for choice in partnership.get("oneOf", [])), partnership


def test_schema_says_empty_query_values_are_refused(openapi):
    parameters = {p["name"]: p for p in openapi["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert parameters["q"]["schema"]["minLength"] == 1


def test_a_csrf_refusal_under_the_api_is_a_problem(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    is_problem(client.post("/api/v1/shiprider/patrols/abc/activities/", {}), 403)
