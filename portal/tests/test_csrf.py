"""Every URL pattern of the project refuses a state-changing request without a CSRF token (ASVS V4.2.2,
V13.2.3), for a signed-in officer: Django's CsrfViewMiddleware for the pages, DRF's SessionAuthentication
for the API (its views are csrf_exempt, and a session-cookie request must still carry the token).

The patterns are found by walking the resolver, so a new one is swept without editing this file."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve
from django.views.csrf import csrf_failure

from portal.tests.routes import url_patterns

pytestmark = pytest.mark.django_db

# Patterns left out of the sweep (path: why it cannot change state). Empty: every pattern refuses, the health
# checks and Django's admin included. Static files are not URL patterns: WhiteNoise answers them before routing.
NOT_SWEPT = {}

# The patterns swept when the sweep was written (2026-11-28), Django's admin included. Only ever raise it.
SWEPT_AT_LEAST = 222

UNSAFE_METHODS = ["post", "put", "patch", "delete"]

CSRF_MARK = "X-Test-CSRF-Failure"


def marked_csrf_failure(request, reason=""):
    """Django's own CSRF failure view, marked so that the sweep knows it was CSRF that refused."""
    response = csrf_failure(request, reason)
    response[CSRF_MARK] = reason
    return response


def refused_for_csrf(response):
    if response.status_code != 403:
        return False
    if CSRF_MARK in response:  # CsrfViewMiddleware
        return True
    # DRF: SessionAuthentication.enforce_csrf, answered as problem details
    return (response["Content-Type"] == "application/problem+json"
            and response.json()["detail"].startswith("CSRF Failed"))


@pytest.fixture
def officer_without_token(settings, alice):
    settings.CSRF_FAILURE_VIEW = f"{__name__}.marked_csrf_failure"
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    # The CSRF cookie is there (a forged cross-site request carries the victim's cookies): only the token is not.
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    return client


def test_every_url_pattern_refuses_unsafe_methods_without_a_csrf_token(officer_without_token):
    swept, misrouted, accepted = [], [], []
    for path, pattern in url_patterns():
        if path in NOT_SWEPT:
            continue
        if resolve(path).func is not pattern.callback:
            misrouted.append(f"{path} ({pattern.name}) resolves to {resolve(path).view_name}")
            continue
        swept.append(path)
        for method in UNSAFE_METHODS:
            response = getattr(officer_without_token, method)(path)
            if not refused_for_csrf(response):
                accepted.append(f"{method.upper()} {path} ({pattern.name}): {response.status_code}")
    assert not misrouted, "give these patterns samples that reach their own view:\n" + "\n".join(misrouted)
    assert not accepted, "these answered without a CSRF token:\n" + "\n".join(accepted)
    assert len(swept) >= SWEPT_AT_LEAST, swept


def test_the_api_refuses_a_session_cookie_post_without_token_and_accepts_it_with_one(officer_without_token):
    refused = officer_without_token.post("/api/v1/cases/", {"title": "x"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "CSRF Failed: CSRF token missing."
    token = "b" * 32
    officer_without_token.cookies[settings.CSRF_COOKIE_NAME] = token
    accepted = officer_without_token.post("/api/v1/cases/", {"title": "x"}, content_type="application/json",
                                          HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 400  # past CSRF: the body is checked, and a case needs more than a title


def test_nothing_left_out_of_the_sweep_is_stale():
    paths = {path for path, _pattern in url_patterns()}
    assert set(NOT_SWEPT) <= paths
