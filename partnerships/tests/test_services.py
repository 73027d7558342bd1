import re

import pytest
from django.core import mail

from partnerships import access, services
from partnerships.access import SharingRefused
from partnerships.models import AccessLevel, AuditEvent, JointCase, SharingDecision
from partnerships.tests.factories import AgencyFactory, JointCaseFactory, OfficerFactory, UserFactory, share

pytestmark = pytest.mark.django_db


def test_case_create_gives_a_program_year_reference(alice):
    first = JointCaseFactory(by=alice, program="best")
    second = JointCaseFactory(by=alice, program="best")
    assert re.fullmatch(r"BEST-\d{4}-000001", first.reference)
    assert second.reference == first.reference.replace("000001", "000002")


def test_references_are_never_reused(alice):
    first = JointCaseFactory(by=alice)
    AuditEvent.objects.filter(case=first).delete()
    JointCase.objects.filter(pk=first.pk).delete()
    assert JointCaseFactory(by=alice).reference != first.reference


def test_case_create_is_led_by_the_creators_agency_and_audited(alice):
    case = JointCaseFactory(by=alice)
    assert case.lead_agency == alice.officer.agency
    assert case.created_by == alice
    assert AuditEvent.objects.filter(case=case, action="case.create", user=alice).exists()


def test_user_without_an_officer_cannot_open_a_case():
    with pytest.raises(services.CaseRefused):
        JointCaseFactory(by=UserFactory(username="nobody"))


def test_case_led_by_a_canadian_agency_cannot_be_us_only(alice):
    with pytest.raises(services.CaseRefused, match="other country only"):
        JointCaseFactory(by=alice, releasability=JointCase.Releasability.US_ONLY)
    assert JointCase.objects.count() == 1  # the cast's case only


def test_case_share_records_the_decision_and_audits_it(alice, charlie, case):
    decision = share(case, charlie.officer.agency, AccessLevel.CONTRIBUTE, by=alice)
    assert decision.action == SharingDecision.Action.SHARE
    assert decision.decided_by == alice
    assert decision.reason == "Joint investigation (test)"
    assert access.can(charlie, case, AccessLevel.CONTRIBUTE)
    assert AuditEvent.objects.filter(case=case, action="case.share", detail__agency="OPP").exists()


def test_changing_a_level_is_recorded_as_a_change(alice, bob, case):
    decision = share(case, bob.officer.agency, AccessLevel.MANAGE, by=alice)
    assert decision.action == SharingDecision.Action.CHANGE
    assert access.level_of(bob.officer.agency, case) == AccessLevel.MANAGE


def test_share_without_a_reason_is_refused_and_changes_nothing(alice, charlie, case):
    with pytest.raises(SharingRefused, match="reason"):
        services.case_share(case=case, agency=charlie.officer.agency, level=AccessLevel.VIEW, by=alice, reason="  ")
    assert not access.can(charlie, case, AccessLevel.VIEW)
    assert not SharingDecision.objects.filter(agency=charlie.officer.agency).exists()


def test_sharing_a_ca_only_case_with_a_us_agency_changes_nothing(alice):
    case = JointCaseFactory(by=alice, releasability=JointCase.Releasability.CA_ONLY)
    cbp = AgencyFactory(acronym="CBP")
    before = (SharingDecision.objects.count(), AuditEvent.objects.count())
    with pytest.raises(SharingRefused, match="Canada only"):
        share(case, cbp, by=alice)
    assert access.level_of(cbp, case) is None
    assert (SharingDecision.objects.count(), AuditEvent.objects.count()) == before


def test_case_unshare_revokes_and_records(alice, bob, case):
    decision = services.case_unshare(case=case, agency=bob.officer.agency, by=alice, reason="Operation over")
    assert decision.action == SharingDecision.Action.REVOKE
    assert not access.can(bob, case, AccessLevel.VIEW)


def test_the_lead_agency_cannot_be_revoked(alice, case):
    with pytest.raises(SharingRefused, match="lead agency"):
        services.case_unshare(case=case, agency=alice.officer.agency, by=alice, reason="no")
    assert access.can(alice, case, AccessLevel.MANAGE)


def test_bob_at_view_level_cannot_unshare(bob, case):
    with pytest.raises(SharingRefused):
        services.case_unshare(case=case, agency=bob.officer.agency, by=bob, reason="leaving")


def test_case_update_refuses_releasability_that_would_shut_out_a_partner(alice, case):
    with pytest.raises(services.CaseRefused, match="CBP"):
        services.case_update(case=case, by=alice, releasability=JointCase.Releasability.CA_ONLY)
    case.refresh_from_db()
    assert case.releasability == JointCase.Releasability.CA_US


def test_case_update_closing_sets_the_closed_date(alice, case):
    case = services.case_update(case=case, by=alice, status=JointCase.Status.CLOSED)
    assert case.closed_at is not None
    event = AuditEvent.objects.get(case=case, action="case.update")
    assert event.detail["fields"] == ["closed_at", "status"]


def test_bob_at_view_level_cannot_edit(bob, case):
    with pytest.raises(services.CaseRefused):
        services.case_update(case=case, by=bob, title="Renamed")


def test_sharing_emails_the_partner_agency_in_each_officers_language(
    alice, bob, charlie, case, django_capture_on_commit_callbacks
):
    OfficerFactory(agency=charlie.officer.agency, user__username="charlie2", preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        share(case, charlie.officer.agency, AccessLevel.VIEW, by=alice)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["charlie2@example.org", "charlie@example.org"]
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["charlie@example.org"].startswith("Case shared with your agency")
    assert subjects["charlie2@example.org"].startswith("Dossier partagé avec votre organisme")
    assert all(bob.email not in message.to for message in mail.outbox)


def test_a_share_revoked_before_the_notice_is_sent_tells_nothing(alice, charlie, case):
    decision = share(case, charlie.officer.agency, AccessLevel.VIEW, by=alice)
    services.case_unshare(case=case, agency=charlie.officer.agency, by=alice, reason="Mistake")
    assert services.sharing_decision_notify(decision=decision) == 0
    assert mail.outbox == []


def test_audit_events_are_append_only(alice, case):
    event = AuditEvent.objects.filter(case=case).first()
    event.action = "tampered"
    with pytest.raises(ValueError):
        event.save()
