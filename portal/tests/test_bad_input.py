"""Input a person or a client can send is answered with a clear 4xx in the user's language, never a 500, and
changes nothing: a NUL anywhere in the query string or form data, a `next` that is not a path on this site."""

import html

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships.models import JointCase
from portal.tests.test_accounts import code_for, enrol, sign_in

pytestmark = pytest.mark.django_db

NOT_ALLOWED = "The request contains a character that is not allowed."


# --- a NUL in the query string or the form data (fault 2, the filter part) -------------------------------------

@pytest.mark.parametrize("path", ["/cases/?q=a%00b", "/cases/?a%00b=1", "/cases/export.csv?status=a%00b",
                                  "/?x=%00"])
def test_a_nul_in_the_query_string_is_refused_with_400(client, alice, path):
    client.force_login(alice)
    response = client.get(path)
    assert response.status_code == 400
    assert NOT_ALLOWED in response.content.decode()


def test_a_nul_in_the_query_string_is_refused_in_the_users_language(alice):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(alice)
    response = client.get("/cases/?q=a%00b")
    assert response.status_code == 400
    assert "La requête contient un caractère qui n'est pas permis." in html.unescape(response.content.decode())


def test_a_nul_in_the_form_data_is_refused_with_400_and_nothing_is_saved(client, alice):
    client.force_login(alice)
    response = client.post(reverse("partnerships:case_create"), {
        "title": "Smuggling\x00ring", "summary": "", "program": "ibet", "releasability": "ca_us",
        "handling_code": "H0", "opened_at": "2026-11-02"})
    assert response.status_code == 400
    assert not JointCase.objects.filter(title__startswith="Smuggling").exists()


def test_a_nul_in_an_api_query_is_refused_with_problem_details(alice):
    from partnerships.tests.test_api import api

    response = api(alice).get("/api/v1/cases/?status=a%00b")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {"type": "about:blank", "title": "Bad request", "status": 400, "detail": NOT_ALLOWED}


# --- `next` after the second factor (fault 3) ------------------------------------------------------------------

NOT_PATHS = ["abc", "a:b", "cases:case_list", "//evil.example/", "https://evil.example/", "javascript:alert(1)"]


@pytest.mark.parametrize("target", NOT_PATHS)
def test_a_next_that_is_not_a_path_on_this_site_goes_to_the_dashboard(client, alice, target):
    client.force_login(alice)  # verified already: the page sends the officer on at once
    response = client.get(reverse("mfa_verify"), {"next": target})
    assert (response.status_code, response["Location"]) == (302, "/")
    enrolled = client.get(reverse("mfa_enrol"), {"next": target})
    assert (enrolled.status_code, enrolled["Location"]) == (302, "/accounts/mfa/?next=%2F")


@pytest.mark.parametrize("target", ["abc", "a:b"])
def test_the_enrolment_page_with_a_next_that_is_not_a_path_answers(client, alice, target):
    TOTPDevice.objects.filter(user=alice).delete()
    sign_in(client, "alice")
    page = client.get(reverse("mfa_enrol"), {"next": target})
    assert page.status_code == 200
    assert 'name="next" value="/"' in page.content.decode()


@pytest.mark.parametrize("target", ["abc", "a:b"])
def test_the_right_code_with_a_next_that_is_not_a_path_signs_in_and_goes_to_the_dashboard(client, alice, target):
    TOTPDevice.objects.filter(user=alice).delete()
    sign_in(client, "alice")
    _, device = enrol(client, alice)
    client.post(reverse("logout"))
    sign_in(client, "alice")
    response = client.post(f"{reverse('mfa_verify')}?next={target}", {"code": code_for(device, steps_ahead=1)})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/cases/").status_code == 200


def test_a_next_on_this_site_with_a_query_survives_the_enrolment_redirect(client, alice):
    client.force_login(alice)
    response = client.get(reverse("mfa_enrol"), {"next": "/cases/?status=open&program=ibet"})
    assert response["Location"] == "/accounts/mfa/?next=%2Fcases%2F%3Fstatus%3Dopen%26program%3Dibet"


# --- the password change form (found by tests/test_bad_input_sweep.py) ---------------------------------------------

@pytest.mark.parametrize("body", [{}, {"old_password": "x", "new_password1": "a\x00b", "new_password2": "a\x00b"},
                                  {"new_password1": "x" * 10_000, "new_password2": "y"}])
def test_a_password_change_with_bad_input_shows_the_form_again_and_changes_nothing(client, cast, body):
    alice = cast.alice
    client.force_login(alice)
    password = alice.password
    response = client.post("/accounts/password/", body)
    assert response.status_code in (200, 400)
    alice.refresh_from_db()
    assert alice.password == password
