"""Searches and exports per user (portal/ratelimits.py and the API's throttles): past RATE_LIMIT_SEARCH or
RATE_LIMIT_EXPORT a page or an endpoint answers 429 with Retry-After; plain browsing is never counted."""

from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.test import Client
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError
from rest_framework.test import APIClient

from partnerships import services
from shiprider import services as shiprider_services

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]


@pytest.fixture(autouse=True)
def small_rates(settings, monkeypatch):
    settings.RATE_LIMIT_SEARCH = "2/m"
    settings.RATE_LIMIT_EXPORT = "2/m"
    # One instant for django-ratelimit's fixed windows, so that three requests never straddle two of them.
    now = django_ratelimit.core.time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


def page_client(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def api_client(user, language="en"):
    _token, key = services.api_token_issue(user=user)
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def third_of(get):
    """Three requests: the first two pass, the third is refused. Returns the third."""
    assert [get().status_code for _ in range(2)] == [200, 200]
    return get()


def assert_limited_page(response, kind, language):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "429.html" in [template.name for template in response.templates]
    assert response.context["kind"] == kind
    if language == "en":
        text = response.content.decode()
        assert {"search": "You have searched too often", "export": "You have exported too often"}[kind] in text
        assert "You can try again in a minute." in text


def assert_limited_api(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 429
    assert response.json()["title"] in ("Too many requests", "Trop de demandes")  # in the client's language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_third_search_of_the_case_list_answers_429(alice, language):
    client = page_client(alice, language)
    response = third_of(lambda: client.get(reverse("partnerships:case_list"), {"q": "Detroit"}))
    assert_limited_page(response, "search", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_third_case_export_answers_429(alice, language):
    client = page_client(alice, language)
    response = third_of(lambda: client.get(reverse("partnerships:case_export")))
    assert_limited_page(response, "export", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_third_api_search_answers_429(alice, language):
    client = api_client(alice, language)
    response = third_of(lambda: client.get(reverse("api:case_list"), {"q": "Detroit"}))
    assert_limited_api(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_third_api_csv_export_answers_429(alice, language):
    client = api_client(alice, language)
    response = third_of(lambda: client.get(reverse("api:case_list"), {"format": "csv"}))
    assert_limited_api(response)


def test_csv_asked_for_by_accept_header_counts_as_an_export(alice):
    client = api_client(alice)
    response = third_of(lambda: client.get(reverse("ibet_api:region_list"), HTTP_ACCEPT="text/csv"))
    assert_limited_api(response)


def test_plain_browsing_is_not_counted_as_searching(alice):
    client, api = page_client(alice), api_client(alice)
    for _ in range(5):
        assert client.get(reverse("partnerships:case_list")).status_code == 200
        assert client.get(reverse("partnerships:case_list"), {"q": " ", "status": "open"}).status_code == 200
        assert api.get(reverse("api:case_list")).status_code == 200
        assert api.get(reverse("ibet_api:region_list")).status_code == 200
    # A parameter an endpoint does not know is refused by name, not ignored (and not counted as a search).
    refused = api.get(reverse("ibet_api:region_list"), {"q": "no free-text filter here"})
    assert refused.status_code == 400 and "q" in refused.json()["detail"]


def test_the_limit_is_per_user_bob_is_not_held_back_by_alice(alice, bob):
    alices, bobs = page_client(alice), page_client(bob, "fr")
    search = {"q": "Detroit"}
    assert third_of(lambda: alices.get(reverse("partnerships:case_list"), search)).status_code == 429
    assert third_of(lambda: alices.get(reverse("partnerships:case_export"))).status_code == 429
    assert bobs.get(reverse("partnerships:case_list"), search).status_code == 200
    assert bobs.get(reverse("partnerships:case_export")).status_code == 200

    alices_api, bobs_api = api_client(alice), api_client(bob)
    assert third_of(lambda: alices_api.get(reverse("api:case_list"), search)).status_code == 429
    assert bobs_api.get(reverse("api:case_list"), search).status_code == 200


def test_searching_does_not_spend_the_export_budget(alice):
    client = page_client(alice)
    assert third_of(lambda: client.get(reverse("partnerships:case_list"), {"q": "Detroit"})).status_code == 429
    assert client.get(reverse("partnerships:case_export"), {"q": "Detroit"}).status_code == 200


def test_the_audit_search_counts_searches_and_csv_exports(alice):
    alice.officer.is_auditor = True
    alice.officer.save()
    client = page_client(alice)
    url = reverse("partnerships:audit_search")
    assert client.get(url, {"action": "case.view"}).status_code == 200  # a filter, not a free-text search
    assert_limited_page(third_of(lambda: client.get(url, {"username": "bob"})), "search", "en")
    assert_limited_page(third_of(lambda: client.get(url, {"username": "bob", "format": "csv"})), "export", "en")


def test_a_calendar_feed_is_limited_per_feed_key(alice, bob):
    alices = reverse("shiprider:ical", args=[shiprider_services.calendar_feed_issue(user=alice)])
    bobs = reverse("shiprider:ical", args=[shiprider_services.calendar_feed_issue(user=bob)])
    client = Client()
    assert third_of(lambda: client.get(alices)).status_code == 429
    assert client.get(bobs).status_code == 200


def test_a_cache_outage_lets_searches_through(alice, monkeypatch):
    def unreachable(*args, **kwargs):
        raise RedisConnectionError("cache down")

    monkeypatch.setattr("portal.ratelimits.get_usage", unreachable)
    client = page_client(alice)
    assert [client.get(reverse("partnerships:case_list"), {"q": "x"}).status_code for _ in range(3)] == [200] * 3
