"""Notice kinds are described by the app that raises them (partnerships.notifications.register, from each app's
notices.py); the core still decides what a reader is told about a case."""

import pytest

from partnerships import notifications
from partnerships.models import Notification

pytestmark = pytest.mark.django_db

CORE_KINDS = {"case_shared", "case_revoked", "request_filed", "request_decided", "designation_expiring",
              "designation_expired"}


def test_every_notice_kind_has_a_describer_in_the_core_or_in_the_app_that_raises_it():
    registered = set(notifications._describers)
    assert registered | CORE_KINDS == set(Notification.Kind.values)
    assert not registered & CORE_KINDS
    assert notifications._describers["mlat_stalled"][0].__module__ == "best.notices"
    assert notifications._describers["patrol_at_risk"][0].__module__ == "shiprider.notices"
    assert notifications._describers["deconfliction_hit"][0].__module__ == "deconfliction.notices"


def test_a_kind_is_described_once():
    with pytest.raises(ValueError, match="described twice"):
        notifications.register(Notification.Kind.MLAT_STALLED, describe=lambda notification, reader: ("", None))


def test_charlie_is_told_the_hidden_text_and_the_program_never_sees_his_notice_about_alices_case(
        alice, bob, charlie, case):
    """The core checks the case before the program's describer runs: a reader who may not see it gets the kind's
    hidden text, naming no case; alice and bob (who see the case) get the program's text with its reference."""
    notice = Notification.objects.create(recipient=charlie, kind=Notification.Kind.MLAT_STALLED, case=case,
                                         detail={"since": "2026-01-02"})
    text, url = notifications.describe(notice, charlie)
    assert text == "A mutual legal assistance request your agency follows has had no news for 90 days."
    assert url is None and case.reference not in text and case.title not in text
    for reader in (alice, bob):
        text, url = notifications.describe(notice, reader)
        assert text == (f"The mutual legal assistance request of {case.reference} — {case.title} has had no news "
                        "since 2026-01-02.")
        assert url == case.get_absolute_url()


def test_a_notice_of_a_kind_no_app_describes_shows_its_label_only(alice, case, monkeypatch):
    monkeypatch.delitem(notifications._describers, "mlat_stalled")
    notice = Notification.objects.create(recipient=alice, kind=Notification.Kind.MLAT_STALLED, case=case,
                                         detail={"since": "2026-01-02"})
    assert notifications.describe(notice, alice) == (
        "A mutual legal assistance request has had no news for 90 days", None)
