import re

import pytest
from django.core import mail

from partnerships import access, notifications, services
from partnerships.access import SharingRefused
from partnerships.models import AccessLevel, AuditEvent, JointCase, Notification, SharingDecision
from partnerships.tests.factories import AgencyFactory, JointCaseFactory, OfficerFactory, UserFactory, share, unshare

pytestmark = pytest.mark.django_db


def test_case_create_gives_a_program_year_reference(alice):
    first = JointCaseFactory(by=alice, program="best")
    second = JointCaseFactory(by=alice, program="best")
    assert re.fullmatch(r"BEST-\d{4}-000001", first.reference)
    assert second.reference == first.reference.replace("000001", "000002")


def test_references_are_never_reused(alice):
    first = JointCaseFactory(by=alice)
    JointCase.objects.filter(pk=first.pk).update(reference="GONE")  # as if the row had been removed
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
    assert list(decision.agencies.all()) == [charlie.officer.agency]
    assert decision.reason == "Joint investigation (test)"
    assert access.can(charlie, case, AccessLevel.CONTRIBUTE)
    event = AuditEvent.objects.filter(case=case, action="case.share").first()
    assert event.detail["agencies"] == {"OPP": {"old": None, "new": "contribute"}}
    assert event.detail["purpose"] == "ibet_mou"


def test_changing_a_level_is_recorded_as_a_change(alice, bob, case):
    decision = share(case, bob.officer.agency, AccessLevel.MANAGE, by=alice)
    assert decision.action == SharingDecision.Action.CHANGE
    assert access.level_of(bob.officer.agency, case) == AccessLevel.MANAGE


def test_share_without_a_reason_is_refused_and_changes_nothing(alice, charlie, case):
    with pytest.raises(SharingRefused, match="reason"):
        services.case_share(case=case, agency=charlie.officer.agency, level=AccessLevel.VIEW, by=alice,
                            purpose="ibet_mou", reason="  ")
    assert not access.can(charlie, case, AccessLevel.VIEW)
    assert not SharingDecision.objects.filter(agencies=charlie.officer.agency).exists()


def test_sharing_a_ca_only_case_with_a_us_agency_changes_nothing(alice):
    case = JointCaseFactory(by=alice, releasability=JointCase.Releasability.CA_ONLY)
    cbp = AgencyFactory(acronym="CBP")
    before = (SharingDecision.objects.count(), AuditEvent.objects.count())
    with pytest.raises(SharingRefused, match="Canada only"):
        share(case, cbp, by=alice)
    assert access.level_of(cbp, case) is None
    assert (SharingDecision.objects.count(), AuditEvent.objects.count()) == before


def test_case_unshare_revokes_and_records(alice, bob, case):
    decision = unshare(case, bob.officer.agency, by=alice)
    assert decision.action == SharingDecision.Action.REVOKE
    assert not access.can(bob, case, AccessLevel.VIEW)


def test_the_lead_agency_cannot_be_revoked(alice, case):
    with pytest.raises(SharingRefused, match="lead agency"):
        unshare(case, alice.officer.agency, by=alice)
    assert access.can(alice, case, AccessLevel.MANAGE)


def test_bob_at_view_level_cannot_unshare(bob, case):
    with pytest.raises(SharingRefused):
        unshare(case, bob.officer.agency, by=bob)


def test_case_update_refuses_releasability_that_would_shut_out_a_partner(alice, case):
    with pytest.raises(services.CaseRefused, match="CBP"):
        services.case_update(case=case, by=alice, releasability=JointCase.Releasability.CA_ONLY)
    case.refresh_from_db()
    assert case.releasability == JointCase.Releasability.CA_US


def test_case_update_closing_sets_the_closed_date(alice, case):
    case = services.case_update(case=case, by=alice, status=JointCase.Status.CLOSED)
    assert case.closed_at is not None
    event = AuditEvent.objects.get(case=case, action="case.update")
    assert sorted(event.detail["changes"]) == ["closed_at", "status"]
    assert event.detail["changes"]["status"] == {"old": "open", "new": "closed"}
    assert AuditEvent.objects.filter(case=case, action="case.close").count() == 1


def test_bob_at_view_level_cannot_edit(bob, case):
    with pytest.raises(services.CaseRefused):
        services.case_update(case=case, by=bob, title="Renamed")


def test_sharing_tells_the_duty_contacts_in_their_language(
    alice, bob, charlie, case, django_capture_on_commit_callbacks
):
    OfficerFactory(agency=charlie.officer.agency, user__username="charlie2", preferred_language="fr",
                   is_duty_contact=True)
    OfficerFactory(agency=charlie.officer.agency, user__username="charlie3")  # not a duty contact
    with django_capture_on_commit_callbacks(execute=True):
        share(case, charlie.officer.agency, AccessLevel.VIEW, by=alice)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["charlie2@example.org", "charlie@example.org"]
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert by_recipient["charlie@example.org"].subject.endswith("Case shared with your agency")
    assert "Dossier partagé avec votre organisme" in by_recipient["charlie2@example.org"].subject
    assert case.reference in by_recipient["charlie@example.org"].body
    assert case.title in by_recipient["charlie2@example.org"].body
    assert Notification.objects.filter(kind="case_shared", case=case).count() == 2
    assert not Notification.objects.filter(recipient=bob).exists()


def test_a_notice_sent_after_the_share_was_revoked_tells_nothing(alice, charlie, case):
    decision = share(case, charlie.officer.agency, AccessLevel.VIEW, by=alice)
    unshare(case, charlie.officer.agency, by=alice)
    services.sharing_decision_notify(decision=decision)
    assert len(mail.outbox) == 1
    assert case.reference not in mail.outbox[0].body
    assert case.title not in mail.outbox[0].body


def test_a_revocation_notice_names_no_case(alice, bob, case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        unshare(case, bob.officer.agency, by=alice)
    notification = Notification.objects.get(recipient=bob, kind="case_revoked")
    text, url = notifications.describe(notification, bob)
    assert case.reference not in text and case.title not in text and url is None
    assert case.reference not in mail.outbox[0].body


def test_a_retried_notification_task_notifies_once(alice, charlie, case):
    decision = share(case, charlie.officer.agency, AccessLevel.VIEW, by=alice)
    services.sharing_decision_notify(decision=decision)
    services.sharing_decision_notify(decision=decision)
    assert Notification.objects.filter(recipient=charlie).count() == 1
    assert len(mail.outbox) == 1


def test_an_email_that_fails_is_sent_with_its_notice_when_the_task_retries(alice, charlie, case, monkeypatch):
    decision = share(case, charlie.officer.agency, AccessLevel.VIEW, by=alice)

    def mail_server_down(*args, **kwargs):
        raise ConnectionRefusedError("the mail server cannot be reached")

    monkeypatch.setattr(notifications, "send_mail", mail_server_down)
    with pytest.raises(ConnectionRefusedError):  # an OSError: the task retries (autoretry_for)
        services.sharing_decision_notify(decision=decision)
    assert not Notification.objects.filter(recipient=charlie).exists()
    monkeypatch.undo()
    services.sharing_decision_notify(decision=decision)
    assert Notification.objects.filter(recipient=charlie).count() == 1
    assert [message.to for message in mail.outbox] == [["charlie@example.org"]]


def test_a_notification_task_tries_again_when_the_database_fails_for_a_moment(alice, charlie, case, monkeypatch):
    from django.db import OperationalError

    from partnerships.tasks import notify_sharing_decision_task

    decision = share(case, charlie.officer.agency, AccessLevel.VIEW, by=alice)
    notify, calls = services.sharing_decision_notify, []

    def database_restarting_once(*, decision):
        calls.append(decision.pk)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return notify(decision=decision)

    monkeypatch.setattr(services, "sharing_decision_notify", database_restarting_once)
    result = notify_sharing_decision_task.apply(args=[decision.pk], throw=False)  # retried at once when eager
    assert result.successful()
    assert calls == [decision.pk, decision.pk]
    assert Notification.objects.filter(recipient=charlie).count() == 1 and len(mail.outbox) == 1


def test_audit_events_are_append_only(alice, case):
    event = AuditEvent.objects.filter(case=case).first()
    event.action = "tampered"
    with pytest.raises(ValueError):
        event.save()
