"""The REST API, tried as an agency system would: tokens, the access matrix, sync, errors."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from partnerships import access, services
from partnerships.api.base import TokenRateThrottle
from partnerships.models import AccessLevel, ApiToken, AuditEvent, JointCase
from partnerships.tests.factories import AgencyFactory, JointCaseFactory, share

pytestmark = pytest.mark.django_db


def api(user=None, read_only=False, key=None):
    client = APIClient()
    if user is not None:
        _token, key = services.api_token_issue(user=user, read_only=read_only)
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def cases_url(case=None, *rest):
    if case is None:
        return reverse("api:case_list")
    if rest:
        return reverse("api:case_share_revoke", args=[case.reference, *rest])
    return reverse("api:case_detail", args=[case.reference])


def shares_url(case):
    return reverse("api:case_shares", args=[case.reference])


SHARE = {"agency": "OPP", "level": "view", "purpose": "ibet_mou", "reason": "Joint operation"}
REVOKE = {"purpose": "other", "reason": "Operation over"}


# --- the access matrix ------------------------------------------------------------------------------

def endpoints(case):
    """(method, url, body) for every operation of the API on the cast's case."""
    return [
        ("get", cases_url(), None),
        ("post", cases_url(), {"title": "API case", "program": "ibet"}),
        ("get", cases_url(case), None),
        ("patch", cases_url(case), {"title": "Renamed"}),
        ("get", shares_url(case), None),
        ("post", shares_url(case), SHARE),
        ("delete", cases_url(case, "CBP"), REVOKE),
        ("get", reverse("api:agency_list"), None),
        ("get", reverse("api:officer_list"), None),
        ("get", reverse("api:schema"), None),
    ]


@pytest.mark.parametrize("who", ["nobody", "bad token", "expired token", "revoked token"])
def test_every_endpoint_refuses_a_caller_without_a_valid_token(who, alice, case):
    if who == "nobody":
        client = api()
    elif who == "bad token":
        client = api(key="bpp_not-a-real-key")
    else:
        token, key = services.api_token_issue(user=alice, days=1)
        if who == "expired token":
            ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        else:
            services.api_token_revoke(token=token, by=alice)
        client = api(key=key)
    for method, url, body in endpoints(case):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 401, (method, url)
        assert response["Content-Type"] == "application/problem+json"
        assert case.title not in response.content.decode()


def test_charlie_gets_404_everywhere_and_never_a_trace(charlie, case):
    client = api(charlie)
    for method, url, body in endpoints(case):
        if case.reference not in url:
            continue
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 404, (method, url)
        assert case.title not in response.content.decode()
    listing = client.get(cases_url(), {"q": case.reference}).json()
    assert listing["results"] == []
    assert client.get(cases_url(), {"shared_with": "CBP"}).json()["results"] == []
    assert case.reference not in client.get(cases_url(), {"format": "csv"}).content.decode()
    assert access.level_of(charlie.officer.agency, case) is None


def test_bob_reads_but_cannot_write_at_view_level(bob, case):
    client = api(bob)
    assert client.get(cases_url(case)).status_code == 200
    assert client.get(shares_url(case)).status_code == 200
    assert client.patch(cases_url(case), {"title": "x"}, format="json").status_code == 403
    assert client.post(shares_url(case), SHARE, format="json").status_code == 403
    assert client.delete(cases_url(case, "CBP"), REVOKE, format="json").status_code == 403
    case.refresh_from_db()
    assert case.title == "Detroit River crossings"


def test_a_read_only_token_never_writes(alice, case):
    client = api(alice, read_only=True)
    assert client.get(cases_url(case)).status_code == 200
    for method, url, body in endpoints(case):
        if method == "get":
            continue
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 403
        assert response.json()["detail"] == "This token is read-only."
    assert JointCase.objects.count() == 1


def test_alice_uses_every_endpoint(alice, charlie, case):
    client = api(alice)
    assert client.get(cases_url()).status_code == 200
    created = client.post(cases_url(), {"title": "API case", "program": "best"}, format="json")
    assert created.status_code == 201 and created["Location"].endswith("/api/v1/cases/BEST-2026-000001/")
    assert created.json()["lead_agency"]["acronym"] == "RCMP"
    assert client.patch(cases_url(case), {"title": "Renamed"}, format="json").json()["title"] == "Renamed"
    shared = client.post(shares_url(case), SHARE, format="json")
    assert shared.status_code == 201 and {"agency": "OPP", "level": "view"} in shared.json()
    assert client.delete(cases_url(case, "OPP"), REVOKE, format="json").status_code == 204
    assert access.level_of(charlie.officer.agency, case) is None
    assert client.get(reverse("api:agency_list")).status_code == 200
    assert client.get(reverse("api:officer_list")).json()["count"] == 3
    assert client.get(reverse("api:schema")).status_code == 200
    assert client.get(reverse("api:docs")).status_code == 200


# --- the contract -----------------------------------------------------------------------------------

def test_a_case_summary_has_the_documented_fields(bob, case):
    item = api(bob).get(cases_url()).json()["results"][0]
    assert set(item) == {"reference", "title", "summary", "program", "status", "lead_agency", "shared_with",
                         "releasability", "handling_code", "caveat", "opened_at", "closed_at", "updated_at", "url"}
    assert item["lead_agency"] == {"acronym": "RCMP", "name": "Royal Canadian Mounted Police", "country": "CA"}
    assert item["shared_with"] == [{"agency": "RCMP", "level": "manage"}, {"agency": "CBP", "level": "view"}]


def test_filters_work_as_on_the_pages(alice, bob, case):
    other = JointCaseFactory(by=alice, program="best", title="Peace Bridge")
    client = api(alice)

    def refs(**query):
        return [item["reference"] for item in client.get(cases_url(), query).json()["results"]]

    assert refs(program="best") == [other.reference]
    assert refs(shared_with="CBP") == [case.reference]
    assert refs(q="peace") == [other.reference]
    assert refs(lead_agency="RCMP", status="open") == [other.reference, case.reference]
    bad = client.get(cases_url(), {"lead_agency": "NOPE", "updated_since": "yesterday"})
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"lead_agency", "updated_since"}


def test_incremental_sync_misses_no_change_and_repeats_nothing_while_cases_change(alice):
    cases = [JointCaseFactory(by=alice, title=f"Case {n}") for n in range(7)]
    client = api(alice)

    def follow(url, params=None):
        seen, newest = [], None
        response = client.get(url, params)
        while True:
            body = response.json()
            seen += [item["reference"] for item in body["results"]]
            newest = max([newest or "", *[item["updated_at"] for item in body["results"]]])
            if not body["next"]:
                return seen, newest
            # Between pages, cases change: one already seen, one not yet seen, and a new one appears.
            if len(seen) == 3:
                services.case_update(case=cases[6], by=alice, title="Seen, then changed")
                services.case_update(case=cases[0], by=alice, title="Not yet seen, then changed")
                JointCaseFactory(by=alice, title="Opened during the sync")
            response = client.get(body["next"])

    first, newest = follow(cases_url(), {"page_size": 3})
    assert len(first) == len(set(first))  # no duplicate within a pass
    second, _newest = follow(cases_url(), {"updated_since": newest, "page_size": 3})
    changed = {cases[6].reference, cases[0].reference, JointCase.objects.get(title="Opened during the sync").reference}
    assert set(second) == changed
    assert set(first) | set(second) == set(JointCase.objects.values_list("reference", flat=True))


def test_the_list_takes_the_same_number_of_queries_whatever_the_page_size(alice, django_assert_max_num_queries):
    for n in range(40):
        case = JointCaseFactory(by=alice)
        if n % 2:
            share(case, AgencyFactory(acronym=f"P{n}"), by=alice)
    client = api(alice)
    client.get(cases_url())  # the token's first use records it; not part of what is measured
    counts = []
    for size in (5, 40):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert len(client.get(cases_url(), {"page_size": size}).json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(14):
        client.get(cases_url(), {"page_size": 40})


def test_patch_honours_if_match(alice, case):
    client = api(alice)
    etag = client.get(cases_url(case))["ETag"]
    stale = client.patch(cases_url(case), {"title": "One"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 200 and stale["ETag"] != etag
    refused = client.patch(cases_url(case), {"title": "Two"}, format="json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 412 and refused.json()["status"] == 412
    case.refresh_from_db()
    assert case.title == "One"


def test_tightening_through_the_api_asks_for_confirmation(alice, bob, case):
    client = api(alice)
    conflict = client.patch(cases_url(case), {"releasability": "ca_only"}, format="json")
    assert conflict.status_code == 409 and conflict.json()["revokes"] == ["CBP"]
    assert access.can(bob, case, AccessLevel.VIEW)
    done = client.patch(cases_url(case), {"releasability": "ca_only", "confirm_revocations": True}, format="json")
    assert done.status_code == 200 and done.json()["shared_with"] == [{"agency": "RCMP", "level": "manage"}]


@pytest.mark.parametrize("body, field, message", [
    ({"title": "x", "program": "ibet", "reference": "IBET-1"}, "reference", "This field cannot be set."),
    ({"title": "x", "program": "ibet", "lead_agency": "CBP"}, "lead_agency", "This field cannot be set."),
    ({"title": "x", "program": "ibet", "colour": "red"}, "colour", "Unknown field."),
    ({"title": " ", "program": "ibet"}, "title", "Give the case a title."),
    ({"title": "x", "program": "navy"}, "program", '"navy" is not a valid choice.'),
])
def test_bad_input_is_a_problem_with_errors_by_field_and_saves_nothing(alice, body, field, message):
    before = JointCase.objects.count()
    response = api(alice).post(cases_url(), body, format="json")
    assert response.status_code == 400
    problem = response.json()
    assert (problem["type"], problem["status"]) == ("about:blank", 400)
    assert problem["errors"][field] == [message]
    assert JointCase.objects.count() == before


def test_bad_input_is_answered_in_french(alice):
    response = api(alice).post(cases_url(), {"title": " ", "program": "ibet"}, format="json",
                               HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["errors"]["title"] == ["Donnez un titre au dossier."]


def test_sharing_rules_give_the_same_messages_as_the_pages(alice):
    case = JointCaseFactory(by=alice, releasability="ca_only")
    AgencyFactory(acronym="CBP", country="US")
    response = api(alice).post(shares_url(case), {**SHARE, "agency": "CBP"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == [
        "This case is releasable to Canada only: it cannot be shared with CBP (United States)."]


def test_lists_answer_csv_with_the_same_filters(alice, bob, case):
    JointCaseFactory(by=alice, program="best", title="Not in this export")
    response = api(bob).get(cases_url(), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("reference,title,summary") and len(lines) == 2 and case.reference in lines[1]


def test_rate_limit_answers_429_with_retry_after(alice, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "rate", "2/min", raising=False)
    client = api(alice)
    assert [client.get(cases_url()).status_code for _ in range(2)] == [200, 200]
    limited = client.get(cases_url())
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert limited.json()["status"] == 429


def test_every_api_read_is_audited_through_the_api_door(bob, charlie, case):
    api(bob).get(cases_url(case))
    api(charlie).get(cases_url(case))
    assert AuditEvent.objects.filter(action="case.view", door="api", username="bob", case=case).count() == 1
    assert AuditEvent.objects.filter(action="case.denied", door="api", username="charlie",
                                     object_ref=case.reference).count() == 1


def test_a_token_never_sees_more_than_its_user(bob, case):
    token, key = services.api_token_issue(user=bob)
    services.case_unshare(case=case, agency=bob.officer.agency, by=case.created_by, purpose="other", reason="x")
    assert api(key=key).get(cases_url(case)).status_code == 404
    bob.is_active = False
    bob.save()
    assert api(key=key).get(cases_url()).status_code == 401


# --- tokens -----------------------------------------------------------------------------------------

def test_issue_api_token_prints_the_key_last_and_stores_only_its_hash(alice):
    out = StringIO()
    call_command("issue_api_token", "alice", "--read-only", "--days", "30", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert key.startswith("bpp_") and key != token.key_hash and key not in str(token.__dict__)
    assert token.read_only and (token.expires_at - timezone.now()).days in (29, 30)
    assert api(key=key).get(cases_url()).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("args, message", [(["ghost"], "No user named 'ghost'"),
                                           (["alice", "--days", "0"], "at least one day")])
def test_issue_api_token_refuses_bad_input(alice, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("issue_api_token", *args, stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_an_agency_admin_revokes_a_token_from_the_page(client, alice, bob):
    alice.officer.role = "agency_admin"
    alice.officer.save()
    token, key = services.api_token_issue(user=alice)
    other_token, _key = services.api_token_issue(user=bob)
    client.force_login(alice)
    page = client.get(reverse("partnerships:agency_tokens"))
    assert token.prefix in page.content.decode() and other_token.prefix not in page.content.decode()
    client.post(reverse("partnerships:agency_tokens"), {"token": token.pk})
    assert api(key=key).get(cases_url()).status_code == 401
    assert client.post(reverse("partnerships:agency_tokens"), {"token": other_token.pk}).status_code == 404
