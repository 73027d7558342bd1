"""Agency administration, "who saw my case", an agency's activity, the auditors' search, notices."""

import pytest
from django.core import mail
from django.urls import reverse

from partnerships import services
from partnerships.models import AuditEvent, Officer
from partnerships.tests.factories import PASSWORD, OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_admin(alice):
    alice.officer.role = Officer.Role.AGENCY_ADMIN
    alice.officer.save()
    return alice


@pytest.fixture
def colleague(alice):
    return OfficerFactory(agency=alice.officer.agency, user__username="dana", first_name="Dana")


INVITE = {"username": "newbie", "first_name": "New", "last_name": "Officer", "badge_number": "N-1",
          "email": "newbie@example.org", "preferred_language": "fr", "time_zone": "America/Toronto",
          "role": "member"}


# --- agency administration ------------------------------------------------------------------------

def test_an_agency_admin_invites_an_officer_of_their_own_agency(client, alice_admin,
                                                                django_capture_on_commit_callbacks):
    client.force_login(alice_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partnerships:agency_officers"), INVITE)
    assert response.status_code == 302
    officer = Officer.objects.get(user__username="newbie")
    assert officer.agency == alice_admin.officer.agency
    assert not officer.user.has_usable_password()
    assert "/accounts/reset/" in mail.outbox[0].body and mail.outbox[0].to == ["newbie@example.org"]


def test_the_invited_officer_sets_a_password_and_signs_in(client, alice_admin, django_capture_on_commit_callbacks):
    client.force_login(alice_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partnerships:agency_officers"), INVITE)
    client.logout()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("8000", 1)[1]
    form_page = client.get(path, follow=True)
    new_password = "a long enough passphrase 2026"
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password,
                                                             "new_password2": new_password})
    assert response.status_code == 302
    assert client.login(username="newbie", password=new_password)


@pytest.mark.parametrize("bad, message", [
    ({"username": ""}, "This field is required."),
    ({"email": ""}, "An invitation needs an email address."),
    ({"username": "alice"}, "The username alice is taken."),
    ({"role": "portal_admin"}, "Select a valid choice"),
])
def test_bad_invitations_get_a_message_and_create_nothing(client, alice_admin, bad, message):
    client.force_login(alice_admin)
    before = Officer.objects.count()
    response = client.post(reverse("partnerships:agency_officers"), {**INVITE, **bad})
    assert message in response.content.decode()
    assert Officer.objects.count() == before


def test_an_agency_admin_cannot_touch_another_agencys_officer(client, alice_admin, charlie):
    client.force_login(alice_admin)
    assert client.get(reverse("partnerships:agency_officer_edit", args=[charlie.officer.pk])).status_code == 404
    response = client.post(reverse("partnerships:agency_officer_set_active", args=[charlie.officer.pk]),
                           {"active": "0", "reason": "x"})
    assert response.status_code == 404
    charlie.officer.refresh_from_db()
    assert charlie.officer.is_active


def test_an_agency_admin_cannot_move_an_officer_or_grant_portal_rights(alice_admin, colleague):
    for changes in ({"agency_id": 999}, {"is_auditor": True}, {"is_cbcf_secretariat": True}):
        with pytest.raises(services.OfficerRefused):
            services.officer_update(by=alice_admin, officer=colleague, **changes)
    colleague.refresh_from_db()
    assert (colleague.agency, colleague.is_auditor) == (alice_admin.officer.agency, False)
    assert not colleague.user.is_staff and not colleague.user.is_superuser


def test_the_edit_form_offers_no_agency_or_portal_rights(client, alice_admin, colleague):
    client.force_login(alice_admin)
    form = client.get(reverse("partnerships:agency_officer_edit", args=[colleague.pk])).context["form"]
    assert set(form.fields) == set(services.OFFICER_FIELDS)


def test_deactivating_an_officer_ends_their_sessions_at_once(client, alice_admin, colleague):
    other = client.__class__()
    other.force_login(colleague.user)  # password and second factor
    assert other.get(reverse("partnerships:case_list")).status_code == 200
    client.force_login(alice_admin)
    client.post(reverse("partnerships:agency_officer_set_active", args=[colleague.pk]),
                {"active": "0", "reason": "Left the agency"})
    response = other.get(reverse("partnerships:case_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not other.login(username="dana", password=PASSWORD)


def test_deactivation_needs_a_reason_and_not_yourself(client, alice_admin, colleague):
    with pytest.raises(services.OfficerRefused, match="reason"):
        services.officer_set_active(by=alice_admin, officer=colleague, active=False)
    with pytest.raises(services.OfficerRefused, match="yourself"):
        services.officer_set_active(by=alice_admin, officer=alice_admin.officer, active=False, reason="x")


def test_a_member_cannot_reach_agency_administration(client, alice, colleague):
    client.force_login(alice)
    assert client.get(reverse("partnerships:agency_officers")).status_code == 404
    assert client.get(reverse("partnerships:agency_activity")).status_code == 404


# --- who saw my case ------------------------------------------------------------------------------

def test_the_lead_sees_who_saw_its_case(client, alice, bob, charlie, case):
    client.force_login(bob)
    client.get(case.get_absolute_url())
    client.force_login(charlie)
    client.get(case.get_absolute_url())  # denied, and recorded
    client.force_login(alice)
    response = client.get(reverse("partnerships:case_access_log", args=[case.reference]))
    events = list(response.context["page"])
    assert any(e.username == "bob" and e.action == "case.view" for e in events)
    assert any(e.username == "charlie" and e.outcome == "denied" for e in events)
    csv = client.get(reverse("partnerships:case_access_log", args=[case.reference]),
                     {"format": "csv", "agency": "CBP"}).content.decode()
    assert "bob" in csv and "charlie" not in csv


def test_partners_and_outsiders_cannot_read_who_saw_a_case(client, bob, charlie, case):
    url = reverse("partnerships:case_access_log", args=[case.reference])
    client.force_login(bob)
    assert client.get(url).status_code == 403
    client.force_login(charlie)
    assert client.get(url).status_code == 404
    assert client.get(url, {"format": "csv"}).status_code == 404


def test_a_partner_admin_sees_only_their_own_officers_accesses(client, alice, bob, charlie, case):
    client.force_login(alice)
    client.get(case.get_absolute_url())
    bob.officer.role = Officer.Role.AGENCY_ADMIN
    bob.officer.save()
    client.force_login(bob)
    client.get(case.get_absolute_url())
    response = client.get(reverse("partnerships:agency_activity"))
    usernames = {e.username for e in response.context["page"]}
    assert usernames == {"bob"}


def test_auditors_search_the_whole_trail_and_others_cannot(client, alice, bob, case):
    client.force_login(bob)
    assert client.get(reverse("partnerships:audit_search")).status_code == 404
    bob.officer.is_auditor = True
    bob.officer.save()
    response = client.get(reverse("partnerships:audit_search"), {"reference": case.reference})
    assert response.status_code == 200
    assert {e.object_ref for e in response.context["page"]} == {case.reference}
    assert AuditEvent.objects.filter(action="audit.read", username="bob").exists()


def test_bad_audit_filters_get_a_message(client, alice, case):
    client.force_login(alice)
    response = client.get(reverse("partnerships:case_access_log", args=[case.reference]), {"since": "yesterday"})
    assert "Enter a valid date." in response.content.decode()


# --- notifications and charlie --------------------------------------------------------------------

def test_charlie_finds_no_trace_in_notifications_exports_or_trail_pages(client, alice, bob, charlie, case,
                                                                       django_capture_on_commit_callbacks):
    client.force_login(charlie)
    for url in (reverse("partnerships:notifications"), reverse("partnerships:case_export"),
                reverse("partnerships:case_export") + "?q=Detroit", reverse("home")):
        body = client.get(url).getvalue().decode()
        assert case.reference not in body and case.title not in body
    assert not mail.outbox
    for url in (reverse("partnerships:agency_activity"), reverse("partnerships:audit_search"),
                reverse("partnerships:case_print", args=[case.reference])):
        assert client.get(url).status_code == 404


def test_notifications_page_lists_and_marks_read(client, alice, bob, case, django_capture_on_commit_callbacks):
    from partnerships.tests.factories import JointCaseFactory, share

    other = JointCaseFactory(by=alice, title="Fresh share")
    with django_capture_on_commit_callbacks(execute=True):
        share(other, bob.officer.agency, by=alice)
    client.force_login(bob)
    page = client.get(reverse("partnerships:notifications")).content.decode()
    assert other.reference in page and "Fresh share" in page
    client.post(reverse("partnerships:notifications_read"))
    assert client.get(reverse("home")).context["unread_notifications"] == 0



def test_who_saw_includes_lists_searches_and_exports_that_showed_the_case(client, alice, bob, case):
    client.force_login(bob)
    client.get(reverse("partnerships:case_list"), {"q": "Detroit"})
    client.get(reverse("partnerships:case_export")).getvalue()  # the record is written as the cases leave
    client.force_login(alice)
    events = client.get(reverse("partnerships:case_access_log", args=[case.reference])).context["page"]
    bob_reads = {(e.action, e.door) for e in events if e.username == "bob"}
    assert bob_reads == {("case.list", "page"), ("case.export", "export")}
