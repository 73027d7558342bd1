"""Handling rules where the data leaves: H2 requests, H1 caveats and court release, team shares,
tightening, and releasability through every path."""

import pytest
from django.core import mail
from django.urls import reverse

from partnerships import access, services
from partnerships.access import SharingRefused
from partnerships.models import AccessLevel, CaseRequest, JointCase, Notification, Purpose, SharingDecision, Team
from partnerships.tests.factories import AgencyFactory, JointCaseFactory, OfficerFactory, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def h2_case(alice, bob):
    case = JointCaseFactory(by=alice, handling_code=JointCase.HandlingCode.H2, title="H2 corridor")
    share(case, bob.officer.agency, AccessLevel.MANAGE, by=alice)
    return case


def ask(case, by, agency, level=AccessLevel.VIEW):
    return services.case_request_file(case=case, kind=CaseRequest.Kind.SHARE, by=by, target_agency=agency,
                                      level=level, purpose=Purpose.IBET_MOU, reason="Joint operation")


# --- H2 -----------------------------------------------------------------------------------------

def test_a_partner_manager_cannot_share_an_h2_case_directly(bob, charlie, h2_case):
    with pytest.raises(SharingRefused, match="only the lead agency"):
        share(h2_case, charlie.officer.agency, by=bob)
    assert access.level_of(charlie.officer.agency, h2_case) is None


def test_h2_reaches_a_third_agency_only_after_the_leads_recorded_approval(
    alice, bob, charlie, h2_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(h2_case, bob, charlie.officer.agency)
    assert access.level_of(charlie.officer.agency, h2_case) is None  # nothing shared before approval
    assert Notification.objects.filter(recipient=alice, kind="request_filed", request=request).exists()
    assert not Notification.objects.filter(recipient=charlie).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.case_request_decide(request=request, by=alice, approve=True, note="Agreed")
    assert access.level_of(charlie.officer.agency, h2_case) == AccessLevel.VIEW
    decision = SharingDecision.objects.get(request=request)
    assert (decision.decided_by, decision.purpose, list(decision.agencies.all())) == (
        alice, Purpose.IBET_MOU, [charlie.officer.agency])
    assert Notification.objects.filter(recipient=bob, kind="request_decided", request=request).exists()
    assert Notification.objects.filter(recipient=charlie, kind="case_shared").exists()


def test_a_declined_request_shares_nothing_and_is_recorded(alice, bob, charlie, h2_case):
    request = ask(h2_case, bob, charlie.officer.agency)
    services.case_request_decide(request=request, by=alice, approve=False, note="No")
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_note) == ("declined", alice, "No")
    assert access.level_of(charlie.officer.agency, h2_case) is None


def test_only_the_lead_decides_and_only_once(alice, bob, charlie, h2_case):
    request = ask(h2_case, bob, charlie.officer.agency)
    with pytest.raises(SharingRefused, match="Only the lead agency"):
        services.case_request_decide(request=request, by=bob, approve=True)
    services.case_request_decide(request=request, by=alice, approve=False)
    with pytest.raises(SharingRefused, match="already been decided"):
        services.case_request_decide(request=request, by=alice, approve=True)


def test_a_request_cannot_aim_at_the_other_country_of_a_ca_only_case(alice, bob):
    opp = AgencyFactory(acronym="OPP")
    case = JointCaseFactory(by=alice, handling_code="H2", releasability="ca_only")
    share(case, opp, AccessLevel.MANAGE, by=alice)
    opp_officer = OfficerFactory(agency=opp).user
    with pytest.raises(SharingRefused, match="Canada only"):
        ask(case, opp_officer, bob.officer.agency)


def test_an_approval_rechecks_releasability(alice, bob, h2_case):
    nysp = AgencyFactory(acronym="NYSP", country="US")
    request = ask(h2_case, bob, nysp)
    services.case_update(case=h2_case, by=alice, releasability="ca_only", confirm_revocations=True)
    with pytest.raises(SharingRefused, match="Canada only"):
        services.case_request_decide(request=request, by=alice, approve=True)
    assert access.level_of(nysp, h2_case) is None


def test_bob_asks_through_the_page_and_alice_decides_through_the_page(client, alice, bob, charlie, h2_case):
    client.force_login(bob)
    page = client.get(h2_case.get_absolute_url()).content.decode()
    assert reverse("partnerships:case_request_share", args=[h2_case.reference]) in page
    response = client.post(reverse("partnerships:case_request_share", args=[h2_case.reference]), {
        "target_agency": "OPP", "level": "view", "purpose": "ibet_mou", "reason": "Joint op"})
    assert response.status_code == 302
    request = CaseRequest.objects.get()
    client.force_login(alice)
    dashboard = client.get(reverse("home")).content.decode()
    assert reverse("partnerships:case_request_decide", args=[h2_case.reference, request.pk]) in dashboard
    response = client.post(reverse("partnerships:case_request_decide", args=[h2_case.reference, request.pk]),
                           {"approve": "yes", "note": ""})
    assert response.status_code == 302
    assert access.level_of(charlie.officer.agency, h2_case) == AccessLevel.VIEW


def test_charlie_cannot_see_or_decide_requests(client, alice, bob, charlie, h2_case):
    request = ask(h2_case, bob, AgencyFactory(acronym="NRPS"))
    client.force_login(charlie)
    url = reverse("partnerships:case_request_decide", args=[h2_case.reference, request.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"approve": "yes"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


# --- H2: the lead agency keeps control --------------------------------------------------------------

@pytest.fixture
def nysp(alice, h2_case):
    """A third agency the lead shared the H2 case with."""
    agency = AgencyFactory(acronym="NYSP", name_en="New York State Police", country="US")
    share(h2_case, agency, AccessLevel.VIEW, by=alice)
    return agency


def unchanged(case):
    case.refresh_from_db()
    return (case.title, case.status, case.closed_at)


def test_a_partner_manager_cannot_rename_close_or_revoke_on_an_h2_case(bob, nysp, h2_case):
    before = unchanged(h2_case)
    for changes in ({"title": "Renamed by CBP"}, {"status": "closed"}, {"summary": "Rewritten"}):
        with pytest.raises(services.CaseRefused, match=r"H2: only the lead agency \(RCMP\) may change"):
            services.case_update(case=h2_case, by=bob, **changes)
    for agency in (nysp, bob.officer.agency):  # another agency, and its own share
        with pytest.raises(SharingRefused, match=r"H2: only the lead agency \(RCMP\) may revoke"):
            services.case_unshare(case=h2_case, agency=agency, by=bob, purpose=Purpose.OTHER, reason="Done")
    assert unchanged(h2_case) == before
    assert access.level_of(nysp, h2_case) == AccessLevel.VIEW
    assert access.level_of(bob.officer.agency, h2_case) == AccessLevel.MANAGE
    assert not SharingDecision.objects.filter(case=h2_case, action=SharingDecision.Action.REVOKE).exists()


def test_a_partner_manager_still_contributes_to_an_h2_case_and_asks_the_lead(bob, charlie, h2_case):
    assert access.can_control(bob, h2_case) is False
    assert access.can(bob, h2_case, AccessLevel.CONTRIBUTE)
    services.subject_add(by=bob, case=h2_case, kind="vessel", name="Night Hawk")
    ask(h2_case, bob, charlie.officer.agency)
    assert h2_case.subjects.count() == 1 and h2_case.requests.count() == 1


def test_the_lead_changes_and_revokes_on_its_h2_case(alice, nysp, h2_case):
    assert access.can_control(alice, h2_case) is True
    services.case_update(case=h2_case, by=alice, title="Renamed by the lead", status="closed")
    services.case_unshare(case=h2_case, agency=nysp, by=alice, purpose=Purpose.OTHER, reason="Done")
    assert unchanged(h2_case)[:2] == ("Renamed by the lead", "closed")
    assert access.level_of(nysp, h2_case) is None


def test_on_an_h0_case_a_partner_manager_still_controls(alice, bob, case):
    share(case, bob.officer.agency, AccessLevel.MANAGE, by=alice)
    assert access.can_control(bob, case) is True
    services.case_update(case=case, by=bob, status="closed")
    assert unchanged(case)[1] == "closed"


def test_the_api_refuses_a_partner_manager_every_change_of_an_h2_case(alice, bob, charlie, nysp, h2_case):
    from partnerships.tests.test_api import REVOKE, SHARE, api, cases_url, shares_url

    client = api(bob)
    before = unchanged(h2_case)
    for method, url, body in (("patch", cases_url(h2_case), {"title": "Renamed by CBP"}),
                              ("patch", cases_url(h2_case), {"status": "closed"}),
                              ("delete", cases_url(h2_case, "NYSP"), REVOKE),
                              ("delete", cases_url(h2_case, "CBP"), REVOKE),
                              ("post", shares_url(h2_case), SHARE)):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 403, (method, url)
        assert "only the lead agency (RCMP)" in response.json()["detail"]
    assert unchanged(h2_case) == before
    assert access.level_of(nysp, h2_case) == AccessLevel.VIEW
    assert access.level_of(charlie.officer.agency, h2_case) is None
    # charlie's agency holds nothing: the same doors are not there for him.
    outsider = api(charlie)
    assert outsider.patch(cases_url(h2_case), {"title": "x"}, format="json").status_code == 404
    assert outsider.delete(cases_url(h2_case, "NYSP"), REVOKE, format="json").status_code == 404
    # The lead agency's own system still can.
    lead = api(alice)
    assert lead.patch(cases_url(h2_case), {"title": "Renamed by RCMP"}, format="json").status_code == 200
    assert lead.delete(cases_url(h2_case, "NYSP"), REVOKE, format="json").status_code == 204


def test_the_pages_offer_a_partner_manager_only_what_it_may_do_on_an_h2_case(client, alice, bob, charlie, nysp,
                                                                           h2_case):
    edit = reverse("partnerships:case_edit", args=[h2_case.reference])
    sharing = reverse("partnerships:case_sharing", args=[h2_case.reference])
    unshare = reverse("partnerships:case_unshare", args=[h2_case.reference])
    client.force_login(bob)
    detail = client.get(h2_case.get_absolute_url()).content.decode()
    assert edit not in detail and sharing in detail
    assert reverse("partnerships:case_request_share", args=[h2_case.reference]) in detail
    page = client.get(sharing).content.decode()
    assert unshare not in page and 'name="level"' not in page
    assert "only the lead agency (RCMP) shares it" in page
    assert client.get(edit).status_code == 403
    before = unchanged(h2_case)
    assert client.post(edit, {"title": "Renamed by CBP", "status": "closed"}).status_code == 403
    refused = client.post(unshare, {"agency": "NYSP", "purpose": "other", "reason": "Done"})
    assert refused.status_code == 400 and "only the lead agency (RCMP) may revoke" in refused.content.decode()
    assert unchanged(h2_case) == before and access.level_of(nysp, h2_case) == AccessLevel.VIEW

    client.force_login(alice)
    page = client.get(sharing).content.decode()
    assert page.count(f'action="{unshare}"') == 2  # CBP and NYSP, never the lead
    assert edit in client.get(h2_case.get_absolute_url()).content.decode()

    client.force_login(charlie)
    for url in (edit, sharing, h2_case.get_absolute_url()):
        assert client.get(url).status_code == 404
    assert client.post(unshare, {"agency": "NYSP", "purpose": "other", "reason": "Done"}).status_code == 404


def test_a_partner_manager_cannot_move_an_h2_investigations_stage(cast, bob):
    from best import services as best_services
    from best.tests.factories import BestWorld

    world = BestWorld(cast)
    investigation = world.open(handling_code="H2")
    share(investigation.case, bob.officer.agency, AccessLevel.MANAGE, by=world.agent.user)
    with pytest.raises(best_services.BestRefused, match="only the lead agency"):
        best_services.investigation_stage(by=bob, investigation=investigation, stage="closed",
                                          on=investigation.case.opened_at)
    investigation.refresh_from_db()
    assert investigation.stage == "initiated" and investigation.case.status == "open"


# --- H1 -----------------------------------------------------------------------------------------

def test_h1_case_carries_the_caveat_in_page_print_and_export(client, alice, bob):
    case = JointCaseFactory(by=alice, handling_code="H1", title="Evidence sensitive")
    share(case, bob.officer.agency, by=alice)
    client.force_login(bob)
    caveat = "H1: not for use as evidence without the permission of RCMP."
    assert caveat in client.get(case.get_absolute_url()).content.decode()
    printed = client.get(reverse("partnerships:case_print", args=[case.reference])).content.decode()
    assert printed.count(caveat) == 2  # top and foot of the printout
    export = client.get(reverse("partnerships:case_export")).getvalue().decode()
    assert caveat in export and case.reference in export


def test_court_release_is_asked_decided_and_recorded(client, alice, bob):
    case = JointCaseFactory(by=alice, handling_code="H1")
    share(case, bob.officer.agency, by=alice)
    request = services.case_request_file(case=case, kind=CaseRequest.Kind.COURT_RELEASE, by=bob,
                                         purpose=Purpose.MLAT_REQUEST, reason="R. v. Doe, Windsor, file 123")
    services.case_request_decide(request=request, by=alice, approve=True, note="Release approved")
    client.force_login(bob)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Released for court use" in page and "To CBP on" in page


def test_court_release_makes_no_sense_without_a_caveat(bob, case):
    with pytest.raises(SharingRefused, match="no evidence restriction"):
        services.case_request_file(case=case, kind=CaseRequest.Kind.COURT_RELEASE, by=bob,
                                   purpose=Purpose.OTHER, reason="x")


# --- team shares ----------------------------------------------------------------------------------

@pytest.fixture
def team(bob, charlie):
    team = Team.objects.create(name="Detroit BEST", kind=Team.Kind.BEST_UNIT)
    team.member_agencies.set([bob.officer.agency, charlie.officer.agency])
    return team


def test_a_team_share_reaches_every_member_as_one_decision(alice, bob, charlie, team):
    case = JointCaseFactory(by=alice)
    decision = services.case_share(case=case, team=team, level=AccessLevel.CONTRIBUTE, purpose=Purpose.BEST_AGREEMENT,
                                   reason="Unit case", by=alice)
    assert SharingDecision.objects.filter(case=case).count() == 1
    assert set(decision.agencies.all()) == {bob.officer.agency, charlie.officer.agency}
    assert decision.team == team
    assert access.can(bob, case, AccessLevel.CONTRIBUTE) and access.can(charlie, case, AccessLevel.CONTRIBUTE)


def test_a_ca_only_case_never_reaches_a_us_agency_through_a_team(alice, bob, charlie, team):
    case = JointCaseFactory(by=alice, releasability="ca_only")
    with pytest.raises(SharingRefused, match="includes CBP"):
        services.case_share(case=case, team=team, level=AccessLevel.VIEW, purpose=Purpose.OTHER, reason="x", by=alice)
    assert access.level_of(charlie.officer.agency, case) is None  # nothing half-shared
    assert access.level_of(bob.officer.agency, case) is None


def test_team_share_through_the_page(client, alice, charlie, team):
    case = JointCaseFactory(by=alice)
    client.force_login(alice)
    response = client.post(reverse("partnerships:case_sharing", args=[case.reference]), {
        "team": team.pk, "level": "view", "purpose": "best_agreement", "reason": "Unit"})
    assert response.status_code == 302
    assert access.can(charlie, case, AccessLevel.VIEW)


# --- tightening -----------------------------------------------------------------------------------

def test_tightening_to_h2_revokes_shares_a_partner_made_and_tells_them(
    alice, bob, charlie, case, django_capture_on_commit_callbacks
):
    share(case, bob.officer.agency, AccessLevel.MANAGE, by=alice)
    share(case, charlie.officer.agency, AccessLevel.VIEW, by=bob)  # allowed under H0
    with pytest.raises(services.TighteningNeedsConfirmation, match="OPP"):
        services.case_update(case=case, by=alice, handling_code="H2")
    with django_capture_on_commit_callbacks(execute=True):
        services.case_update(case=case, by=alice, handling_code="H2", confirm_revocations=True)
    assert access.level_of(charlie.officer.agency, case) is None
    assert access.level_of(bob.officer.agency, case) == AccessLevel.MANAGE  # the lead's own share stands
    assert Notification.objects.filter(recipient=charlie, kind="case_revoked").exists()
    assert mail.outbox and case.title not in mail.outbox[-1].body


def test_only_the_lead_changes_handling_code_or_releasability(alice, bob, case):
    share(case, bob.officer.agency, AccessLevel.MANAGE, by=alice)
    with pytest.raises(services.CaseRefused, match="Only the lead agency"):
        services.case_update(case=case, by=bob, handling_code="H0", releasability="ca_only")
    services.case_update(case=case, by=bob, title="Renamed by a partner manager")


def test_exports_neutralize_spreadsheet_formulas(client, alice):
    JointCaseFactory(by=alice, title='=HYPERLINK("http://evil.example","click")')
    client.force_login(alice)
    export = client.get(reverse("partnerships:case_export")).getvalue().decode()
    assert "'=HYPERLINK" in export
