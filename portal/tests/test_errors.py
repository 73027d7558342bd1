"""With DEBUG off, error pages and API errors say what happened and nothing of how: no trace, no internals."""

import pytest
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.template import loader
from django.test import Client
from rest_framework.exceptions import APIException

pytestmark = pytest.mark.django_db

SECRET = "secret internal detail /path/x.py"


@pytest.fixture
def production(settings):
    settings.DEBUG = False


@pytest.fixture
def browser_of(alice):
    """alice's browser, answered as a visitor would be: errors become error pages, not test failures."""
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    return client


def assert_nothing_leaks(response):
    body = response.content.decode()
    for leak in ("Traceback", "secret internal detail", ".py"):
        assert leak not in body, leak


def fail_with(error):
    def selector(*args, **kwargs):
        raise error

    return selector


def test_a_failing_page_answers_the_plain_500_page(production, browser_of, monkeypatch):
    monkeypatch.setattr("partnerships.selectors.case_counts", fail_with(RuntimeError(SECRET)))
    response = browser_of.get("/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Something went wrong" in response.content.decode()
    assert "Content-Security-Policy" in response.headers
    assert_nothing_leaks(response)
    # The portal's own request id, which the user can quote: the one sent back in X-Request-ID.
    assert f"<code>{response['X-Request-ID']}</code>" in response.content.decode()


def test_a_failing_api_endpoint_answers_a_bare_problem(production, browser_of, monkeypatch):
    monkeypatch.setattr("partnerships.selectors.active_agencies", fail_with(RuntimeError(SECRET)))
    response = browser_of.get("/api/v1/agencies/", HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem == {"type": "about:blank", "title": "Internal server error", "status": 500,
                       "detail": problem["detail"]}
    assert_nothing_leaks(response)


def test_an_api_exception_with_internal_text_keeps_it_to_the_log(production, browser_of, monkeypatch):
    monkeypatch.setattr("partnerships.selectors.active_agencies", fail_with(APIException(SECRET)))
    response = browser_of.get("/api/v1/agencies/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Internal server error"
    assert_nothing_leaks(response)


def test_a_suspicious_request_answers_400_without_detail(production, browser_of, monkeypatch):
    monkeypatch.setattr("partnerships.selectors.case_counts", fail_with(SuspiciousOperation(SECRET)))
    page = browser_of.get("/")
    assert page.status_code == 400
    assert "Bad request" in page.content.decode()
    assert_nothing_leaks(page)
    monkeypatch.setattr("partnerships.selectors.active_agencies", fail_with(SuspiciousOperation(SECRET)))
    api = browser_of.get("/api/v1/agencies/")
    assert api.status_code == 400
    assert api["Content-Type"] == "application/problem+json"
    assert_nothing_leaks(api)


def test_a_missing_case_in_the_api_does_not_name_the_model(production, browser_of):
    response = browser_of.get("/api/v1/cases/NOPE-1/")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found."


def test_the_csrf_failure_page_is_the_portals_own(production, alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "alice", "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Form expired" in body
    assert "<style" not in body


@pytest.mark.parametrize("template", ["400.html", "500.html", "403_csrf.html"])
def test_bare_error_pages_render_without_request_or_context(template):
    html = loader.get_template(template).render()  # how Django renders them: no request, no context
    assert "<h1>" in html
    assert 'lang="en"' in html


@pytest.mark.parametrize("error", [OperationalError("connection to server failed: the database system is shutting "
                                                    "down /path/x.py"), InterfaceError("connection already closed")])
def test_a_database_that_cannot_be_reached_answers_503_with_retry_after(production, browser_of, monkeypatch, error):
    monkeypatch.setattr("partnerships.selectors.case_counts", fail_with(error))
    monkeypatch.setattr("partnerships.selectors.active_agencies", fail_with(error))
    page = browser_of.get("/")
    assert (page.status_code, page["Retry-After"]) == (503, "5")
    assert "cannot reach its database" in page.content.decode()
    api = browser_of.get("/api/v1/agencies/", HTTP_ACCEPT="application/json")
    assert (api.status_code, api["Retry-After"], api["Content-Type"]) == (503, "5", "application/problem+json")
    assert api.json()["title"] == "Service unavailable"
    for response in (page, api):
        assert "shutting down" not in response.content.decode()
        assert_nothing_leaks(response)


TOO_MANY_CLIENTS = OperationalError('connection to server at "127.0.0.1", port 5432 failed: FATAL:  sorry, too many '
                                    "clients already")


@pytest.mark.parametrize("debug", [False, True])
def test_postgresql_out_of_connections_answers_503_with_retry_after_not_500(settings, browser_of, monkeypatch, debug):
    # Six API clients at once in development were enough: a view's database call cannot get a connection. The
    # unit test can only simulate it: the view's query raises what psycopg raises then.
    settings.DEBUG = debug
    monkeypatch.setattr("partnerships.selectors.case_counts", fail_with(TOO_MANY_CLIENTS))
    monkeypatch.setattr("partnerships.selectors.active_agencies", fail_with(TOO_MANY_CLIENTS))
    page = browser_of.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert (page.status_code, page["Retry-After"]) == (503, "5")
    assert page["Content-Type"].startswith("text/html")
    assert "Le portail ne peut pas joindre sa base de données" in page.content.decode()
    api = browser_of.get("/api/v1/agencies/", HTTP_ACCEPT="application/json")
    assert (api.status_code, api["Retry-After"], api["Content-Type"]) == (503, "5", "application/problem+json")
    assert api.json()["status"] == 503
    for response in (page, api):
        assert "too many clients" not in response.content.decode()


def test_out_of_connections_outside_a_view_answers_503_too(production, browser_of, monkeypatch):
    monkeypatch.setattr("portal.middleware.officer_of", fail_with(TOO_MANY_CLIENTS))  # a middleware's query
    for path in ("/", "/cases/"):  # (under /api/ that middleware reads nothing: the API answers in UTC)
        response = browser_of.get(path)
        assert (response.status_code, response["Retry-After"]) == (503, "5"), path
