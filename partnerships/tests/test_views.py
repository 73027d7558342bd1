import pytest
from django.urls import reverse

from partnerships import access
from partnerships.models import AccessLevel, AuditEvent, JointCase, SharingDecision
from partnerships.tests.factories import AgencyFactory, JointCaseFactory, share

pytestmark = pytest.mark.django_db


def url(name, case=None):
    return reverse(f"partnerships:{name}", kwargs={"reference": case.reference} if case else None)


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


# --- signed out -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["case_list", "case_create"])
def test_signed_out_visitors_are_sent_to_sign_in(client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signed_out_visitor_is_sent_to_sign_in_from_a_case(client, case):
    response = client.get(url("case_detail", case))
    assert response.status_code == 302
    assert case.reference not in response["Location"].split("next=")[0]


# --- list and dashboard -----------------------------------------------------------------------

def test_alice_and_bob_see_the_case_in_the_list(as_user, alice, bob, case):
    for user in (alice, bob):
        assert case.reference in as_user(user).get(url("case_list")).content.decode()


def test_charlie_sees_no_trace_of_the_case_in_the_list_search_or_counts(as_user, charlie, case):
    client = as_user(charlie)
    for query in ({}, {"q": "Detroit"}, {"q": case.reference}, {"lead_agency": "RCMP"}, {"program": "ibet"}):
        response = client.get(url("case_list"), query)
        assert response.status_code == 200
        assert response.context["page"].paginator.count == 0
        assert case.title not in response.content.decode()
        assert case.get_absolute_url() not in response.content.decode()
    dashboard = client.get(reverse("home"))
    assert dashboard.context["total"] == 0
    assert case.reference not in dashboard.content.decode()
    assert case.title not in dashboard.content.decode()


def test_list_filters_by_program_status_lead_agency_and_text(as_user, alice, bob, case):
    other = JointCaseFactory(by=bob, program="best", title="Peace Bridge bulk cash")
    client = as_user(bob)
    assert [c.pk for c in client.get(url("case_list"), {"program": "best"}).context["page"]] == [other.pk]
    assert [c.pk for c in client.get(url("case_list"), {"lead_agency": "RCMP"}).context["page"]] == [case.pk]
    assert [c.pk for c in client.get(url("case_list"), {"q": "peace bridge"}).context["page"]] == [other.pk]
    assert [c.pk for c in client.get(url("case_list"), {"status": "closed"}).context["page"]] == []


def test_list_sorts_by_title(as_user, alice, case):
    JointCaseFactory(by=alice, title="Alpha")
    titles = [c.title for c in as_user(alice).get(url("case_list"), {"ordering": "title"}).context["page"]]
    assert titles == ["Alpha", "Detroit River crossings"]


def test_unknown_lead_agency_filter_gets_a_clear_message(as_user, alice, case):
    response = as_user(alice).get(url("case_list"), {"lead_agency": "NOPE"})
    assert response.status_code == 200
    assert "No agency has this acronym: choose one from the list." in response.content.decode()
    assert list(response.context["page"]) == []
    french = as_user(alice).get(url("case_list"), {"lead_agency": "NOPE"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Aucun organisme" in french.content.decode()


def test_the_lead_agency_box_offers_every_agency_from_a_list_rendered_once_per_language_until_one_changes(
        as_user, alice, case, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(alice)
    first = client.get(url("case_list"))
    assert '<datalist id="agency-acronyms">' in first.content.decode()
    assert '<option value="RCMP">' in first.content.decode()
    assert 'list="agency-acronyms"' in first.content.decode()
    with CaptureQueriesContext(connection) as later:
        client.get(url("case_list"))
    assert not [q for q in later.captured_queries if 'ORDER BY "partnerships_agency"."acronym"' in q["sql"]]
    AgencyFactory(acronym="NRPS", name_en="Niagara Regional Police Service", name_fr="Service de police de Niagara")
    english = client.get(url("case_list")).content.decode()
    assert '<option value="NRPS">Niagara Regional Police Service</option>' in english
    french = client.get(url("case_list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<option value="NRPS">Service de police de Niagara</option>' in french


def test_the_unfiltered_filter_form_is_kept_per_language_and_a_filtered_one_shows_what_was_asked(as_user, alice, case):
    from django.core.cache import cache

    from partnerships.selectors import CASE_FILTER_FORM_KEY

    client = as_user(alice)
    english = client.get(url("case_list")).content.decode()
    assert cache.get(CASE_FILTER_FORM_KEY.format(language="en")) in english
    assert 'name="q"' in english and '<option value="open" selected>' not in english
    filtered = client.get(url("case_list"), {"status": "open", "q": "Detroit"}).content.decode()
    assert '<option value="open" selected>' in filtered and 'value="Detroit"' in filtered
    again = client.get(url("case_list"), {"page": "1"}).content.decode()
    assert '<option value="open" selected>' not in again and 'value="Detroit"' not in again
    french = client.get(url("case_list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert cache.get(CASE_FILTER_FORM_KEY.format(language="fr")) in french
    assert "Trier par" in french and "Sort by" not in french


def test_a_deployment_renders_the_kept_filter_form_again(as_user, alice, case):
    from django.apps import apps
    from django.core.cache import cache
    from django.db.models.signals import post_migrate

    from partnerships.selectors import CASE_FILTER_FORM_KEY

    as_user(alice).get(url("case_list"))
    assert cache.get(CASE_FILTER_FORM_KEY.format(language="en"))
    post_migrate.send(sender=apps.get_app_config("partnerships"), app_config=apps.get_app_config("partnerships"),
                      verbosity=0, interactive=False, using="default", apps=apps, plan=[])
    assert cache.get(CASE_FILTER_FORM_KEY.format(language="en")) is None


def test_list_paginates(as_user, alice):
    for _ in range(30):
        JointCaseFactory(by=alice)
    client = as_user(alice)
    assert len(client.get(url("case_list")).context["page"]) == 25
    assert len(client.get(url("case_list"), {"page": 2}).context["page"]) == 6


def test_list_query_count_does_not_grow_with_rows(as_user, alice, django_assert_max_num_queries):
    for _ in range(30):
        JointCaseFactory(by=alice)
    client = as_user(alice)
    with django_assert_max_num_queries(15):  # includes the audit record, the unread-notice count, the 2FA device
        client.get(url("case_list"))


def test_a_long_list_counts_up_to_the_cap_and_says_more_than(as_user, alice, monkeypatch):
    from partnerships import views
    from portal.pagination import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for _ in range(6):
        JointCaseFactory(by=alice)
    client = as_user(alice)
    response = client.get(url("case_list"))
    body = response.content.decode()
    assert response.context["page"].paginator.is_capped
    assert "More than 3 cases" in body
    assert "Page 1</span>" in body and "Page 1 of" not in body
    assert 'rel="next"' in body
    assert len(client.get(url("case_list"), {"page": 2}).context["page"]) == 2


def test_a_list_under_the_cap_gives_the_count_and_the_pages(as_user, alice, monkeypatch):
    from partnerships import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for _ in range(3):
        JointCaseFactory(by=alice)
    visible = access.cases_visible_to(alice).count()
    body = as_user(alice).get(url("case_list")).content.decode()
    assert f"<caption>{visible} cases</caption>" in body
    assert f"Page 1 of {(visible + 1) // 2}" in body


def test_dashboard_query_count_is_pinned(as_user, alice, django_assert_max_num_queries):
    for _ in range(12):
        JointCaseFactory(by=alice)
    client = as_user(alice)
    with django_assert_max_num_queries(15):  # includes the audit record, the unread-notice count, the 2FA device
        response = client.get(reverse("home"))
    assert response.context["total"] == 13


# --- detail -----------------------------------------------------------------------------------

def test_bob_sees_the_case_and_who_it_is_shared_with(as_user, bob, case):
    body = as_user(bob).get(url("case_detail", case)).content.decode()
    assert case.title in body
    assert "Royal Canadian Mounted Police (RCMP)" in body
    assert "U.S. Customs and Border Protection (CBP)" in body
    assert url("case_sharing", case) not in body  # bob does not manage


def test_reading_a_case_is_audited(as_user, bob, case):
    as_user(bob).get(url("case_detail", case), REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action="case.view", case=case)
    assert (event.user, event.agency, event.door, event.ip_address) == (bob, bob.officer.agency, "page", "10.1.2.3")


@pytest.mark.parametrize("name", ["case_detail", "case_edit", "case_sharing"])
def test_charlie_gets_404_on_every_case_page(as_user, charlie, case, name):
    response = as_user(charlie).get(url(name, case))
    assert response.status_code == 404
    assert case.title not in response.content.decode()


def test_unknown_reference_is_404(as_user, alice):
    assert as_user(alice).get(reverse("partnerships:case_detail", args=["IBET-1999-999999"])).status_code == 404


@pytest.mark.parametrize("name", ["case_edit", "case_sharing"])
def test_bob_at_view_level_is_refused_management_pages(as_user, bob, case, name):
    assert as_user(bob).get(url(name, case)).status_code == 403


# --- create and edit --------------------------------------------------------------------------

def test_alice_opens_a_case(as_user, alice):
    response = as_user(alice).post(url("case_create"), {
        "title": "Kingston rental boats", "summary": "", "program": "shiprider",
        "releasability": "ca_us", "handling_code": "H0", "opened_at": "2026-11-01",
    })
    case = JointCase.objects.get(title="Kingston rental boats")
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.reference == "SHIPRIDER-2026-000001"
    assert case.lead_agency == alice.officer.agency


@pytest.mark.parametrize("data, message", [
    ({"title": "  "}, "Give the case a title."),
    ({"program": "navy"}, "Select a valid choice"),
    ({"opened_at": "yesterday"}, "Enter a valid date."),
    ({"releasability": "us_only"}, "cannot be releasable to the other country only"),
])
def test_bad_input_on_create_gets_a_message_and_saves_nothing(as_user, alice, data, message):
    before = JointCase.objects.count()
    form = {"title": "Valid", "program": "ibet", "releasability": "ca_us", "handling_code": "H0",
            "opened_at": "2026-11-01", **data}
    response = as_user(alice).post(url("case_create"), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert JointCase.objects.count() == before


def test_bad_input_is_answered_in_french(as_user, alice, settings):
    client = as_user(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post(url("case_create"), {"title": "", "program": "ibet", "releasability": "ca_us",
                                                "handling_code": "H0", "opened_at": "2026-11-01"})
    assert "Donnez un titre au dossier." in response.content.decode()


def test_alice_edits_her_case(as_user, alice, case):
    response = as_user(alice).post(url("case_edit", case), {
        "title": "Detroit River crossings (2)", "summary": "x", "status": "active",
        "releasability": "ca_us", "handling_code": "H1", "closed_at": "",
    })
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.status, case.handling_code) == ("Detroit River crossings (2)", "active", "H1")


def test_tightening_asks_to_confirm_then_revokes_what_no_longer_fits(as_user, alice, bob, case):
    data = {"title": "New title", "summary": "", "status": "open", "releasability": "ca_only", "handling_code": "H0"}
    response = as_user(alice).post(url("case_edit", case), data)
    assert "Tightening the case revokes the access of CBP. Confirm to go ahead." in response.content.decode()
    assert 'type="checkbox" name="confirm_revocations"' in response.content.decode()
    case.refresh_from_db()
    assert (case.title, case.releasability) == ("Detroit River crossings", "ca_us")
    assert access.can(bob, case, AccessLevel.VIEW)

    response = as_user(alice).post(url("case_edit", case), {**data, "confirm_revocations": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.releasability == "ca_only"
    assert not access.can(bob, case, AccessLevel.VIEW)
    revocation = SharingDecision.objects.get(case=case, action="revoke")
    assert list(revocation.agencies.all()) == [bob.officer.agency]
    assert "Canada only" in revocation.reason


def test_bob_cannot_post_an_edit(as_user, bob, case):
    response = as_user(bob).post(url("case_edit", case), {"title": "Hijacked", "status": "open",
                                                          "releasability": "ca_us", "handling_code": "H0"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.title == "Detroit River crossings"


# --- sharing ----------------------------------------------------------------------------------

def test_alice_shares_with_charlie_and_it_is_recorded(as_user, alice, charlie, case):
    response = as_user(alice).post(url("case_sharing", case), {
        "agency": "OPP", "level": "contribute", "purpose": "ibet_mou", "reason": "IBET MOU, joint operation",
    })
    assert response.status_code == 302
    assert access.level_of(charlie.officer.agency, case) == AccessLevel.CONTRIBUTE
    history = as_user(alice).get(url("case_sharing", case)).content.decode()
    assert "IBET MOU, joint operation" in history


def test_sharing_a_ca_only_case_with_cbp_is_refused_with_a_clear_message(as_user, alice):
    case = JointCaseFactory(by=alice, releasability=JointCase.Releasability.CA_ONLY)
    cbp = AgencyFactory(acronym="CBP")
    before = SharingDecision.objects.count()
    response = as_user(alice).post(url("case_sharing", case),
                                   {"agency": "CBP", "level": "view", "purpose": "ibet_mou", "reason": "x"})
    assert response.status_code == 200
    assert "Choose an agency from the list" in response.content.decode()
    assert access.level_of(cbp, case) is None
    assert SharingDecision.objects.count() == before


def test_sharing_a_ca_only_case_with_cbp_through_the_service_explains_why(alice):
    from partnerships import services

    case = JointCaseFactory(by=alice, releasability=JointCase.Releasability.CA_ONLY)
    cbp = AgencyFactory(acronym="CBP")
    with pytest.raises(access.SharingRefused) as refusal:
        services.case_share(case=case, agency=cbp, level=AccessLevel.VIEW, by=alice, purpose="other", reason="x")
    assert str(refusal.value) == (
        "This case is releasable to Canada only: it cannot be shared with CBP (United States)."
    )


@pytest.mark.parametrize("data, message", [
    ({"agency": "NOPE", "level": "view", "purpose": "other", "reason": "x"}, "Choose an agency from the list"),
    ({"agency": "OPP", "level": "view", "purpose": "other", "reason": ""}, "This field is required."),
    ({"agency": "OPP", "level": "view", "purpose": "", "reason": "x"}, "This field is required."),
    ({"agency": "OPP", "level": "owner", "purpose": "other", "reason": "x"}, "Select a valid choice"),
    ({"level": "view", "purpose": "other", "reason": "x"}, "Choose either an agency or a team."),
])
def test_bad_share_input_gets_a_message_and_changes_nothing(as_user, alice, charlie, case, data, message):
    response = as_user(alice).post(url("case_sharing", case), data)
    assert message in response.content.decode()
    assert access.level_of(charlie.officer.agency, case) is None


def test_bob_cannot_share(as_user, bob, charlie, case):
    response = as_user(bob).post(url("case_sharing", case), {"agency": "OPP", "level": "view", "purpose": "other",
                                                               "reason": "x"})
    assert response.status_code == 403
    assert access.level_of(charlie.officer.agency, case) is None


def test_alice_revokes_bobs_access(as_user, alice, bob, case):
    response = as_user(alice).post(url("case_unshare", case),
                                   {"agency": "CBP", "purpose": "other", "reason": "Operation closed"})
    assert response.status_code == 302
    assert not access.can(bob, case, AccessLevel.VIEW)
    assert as_user(bob).get(url("case_detail", case)).status_code == 404


def test_revoking_without_a_reason_changes_nothing(as_user, alice, bob, case):
    response = as_user(alice).post(url("case_unshare", case), {"agency": "CBP", "purpose": "other", "reason": ""})
    assert response.status_code == 400
    assert access.can(bob, case, AccessLevel.VIEW)


def test_charlie_cannot_revoke(as_user, alice, bob, charlie, case):
    response = as_user(charlie).post(url("case_unshare", case), {"agency": "CBP", "purpose": "other", "reason": "x"})
    assert response.status_code == 404
    assert access.can(bob, case, AccessLevel.VIEW)


def test_sharing_page_lists_only_eligible_agencies(as_user, alice, charlie):
    case = JointCaseFactory(by=alice, releasability=JointCase.Releasability.CA_ONLY)
    share(case, charlie.officer.agency, by=alice)
    form = as_user(alice).get(url("case_sharing", case)).context["form"]
    assert list(form.fields["agency"].queryset) == []
