"""End to end in Chromium: sign in, open a case, switch to French; and axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from partnerships.models import JointCase
from partnerships.tests.factories import PASSWORD, Cast, JointCaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast_db(transactional_db):
    return Cast.create()


def test_sign_in_open_a_case_and_switch_to_french(live_server, page, cast_db):
    case = cast_db.case
    page.goto(f"{live_server.url}/cases/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/cases/"))
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.title)
    expect(page.get_by_role("rowheader", name="Royal Canadian Mounted Police (RCMP) — lead agency")).to_be_visible()

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Tableau de bord")).to_be_visible()
    expect(page.get_by_text("Organisme responsable", exact=True)).to_be_visible()
    expect(page.get_by_text("Gendarmerie royale du Canada (RCMP)", exact=True)).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_charlie_finds_no_trace_of_the_case_in_the_browser(live_server, page, sign_in_as, cast_db):
    sign_in_as(cast_db.charlie)
    page.goto(f"{live_server.url}/cases/?q=Detroit")
    expect(page.get_by_role("table")).to_contain_text("No case matches.")
    response = page.goto(f"{live_server.url}{cast_db.case.get_absolute_url()}")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")


def test_alice_shares_by_keyboard_and_a_refusal_is_explained(live_server, page, sign_in_as, cast_db):
    alice = cast_db.alice
    ca_only = JointCaseFactory(by=alice, title="Akwesasne corridor", releasability=JointCase.Releasability.CA_ONLY)
    sign_in_as(alice)
    page.goto(f"{live_server.url}/cases/{ca_only.reference}/sharing/")
    options = page.locator("#id_agency option").all_text_contents()
    assert not any("CBP" in option for option in options)  # a US agency is never offered
    page.get_by_label("Agency").select_option(label="OPP — Ontario Provincial Police")
    page.get_by_label("Level").select_option("contribute")
    page.get_by_label("Reason (purpose or legal basis)").fill("IBET MOU")
    page.get_by_label("Reason (purpose or legal basis)").press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Case shared with OPP")
    expect(page.get_by_role("row", name=re.compile("Ontario Provincial Police"))).to_contain_text("Contribute")


def pages_to_check(cast):
    case = cast.case
    return [
        (None, "/accounts/login/"),
        (cast.alice, "/"),
        (cast.alice, "/cases/"),
        (cast.alice, "/cases/?lead_agency=NOPE"),
        (cast.alice, case.get_absolute_url()),
        (cast.alice, "/cases/new/"),
        (cast.alice, f"/cases/{case.reference}/edit/"),
        (cast.alice, f"/cases/{case.reference}/sharing/"),
        (cast.charlie, case.get_absolute_url()),  # the 404 page
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_passes_axe_in_both_languages(live_server, browser, axe, language, cast_db):
    findings = {}
    for user, path in pages_to_check(cast_db):
        context = browser.new_context()
        domain = live_server.url.split("//")[1].split(":")[0]
        cookies = [{"name": "django_language", "value": language, "domain": domain, "path": "/"}]
        if user is not None:
            from django.test import Client

            client = Client()
            client.force_login(user)
            cookies.append({"name": "sessionid", "value": client.cookies["sessionid"].value,
                            "domain": domain, "path": "/"})
        context.add_cookies(cookies)
        page = context.new_page()
        page.goto(f"{live_server.url}{path}")
        assert page.locator("html").get_attribute("lang") == language
        violations = axe(page)
        if violations:
            findings[path] = violations
        context.close()
    assert findings == {}


def test_the_case_form_reports_errors_accessibly(live_server, page, sign_in_as, axe, cast_db):
    sign_in_as(cast_db.alice)
    page.goto(f"{live_server.url}/cases/new/")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the case a title.")
    assert axe(page) == []
