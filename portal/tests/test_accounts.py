"""Sign-in security through the real pages: notice, password, lockout, second factor, session limits."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships.models import AuditEvent, Officer
from partnerships.tests.factories import PASSWORD, OfficerFactory
from portal import accounts
from portal.models import AccountLock
from portal.tasks import officers_inactive_task

Action = AuditEvent.Action
LOCKED_OR_WRONG = "The username or password is not right, or the account is locked."


def code_for(device, *, at=None, steps_ahead=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = (at or time.time()) + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password, "acknowledge": "on"})


def enrol(client, user):
    client.get(reverse("mfa_enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("mfa_enrol"), {"code": code_for(device), "next": "/cases/"})
    device.refresh_from_db()
    return response, device


@pytest.fixture
def admin(cast):
    return OfficerFactory(user__username="rcmp.admin", agency=cast.alice.officer.agency,
                          role=Officer.Role.AGENCY_ADMIN).user


# --- the system-use notice ------------------------------------------------------------------------------

def test_the_sign_in_page_shows_the_notice_in_both_languages(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "System-use notice" in page and "may be monitored, recorded and audited" in page
    assert '<details class="notice" lang="fr">' in page
    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get(reverse("login")).content.decode()
    assert '<html lang="fr">' in french and '<details class="notice" lang="en">' in french


def test_without_accepting_the_notice_nobody_signs_in_and_nothing_is_counted(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert "Accept the system-use notice to sign in." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).exists()


# --- the second factor ------------------------------------------------------------------------------

def test_a_password_only_session_reaches_no_page_with_data(client, alice, case):
    assert sign_in(client, "alice").status_code == 302
    for path in ["/", "/cases/", case.get_absolute_url(), "/ibet/", "/agency/officers/", "/accounts/security/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("mfa_enrol")), path
    api = client.get("/api/v1/cases/")
    assert api.status_code == 401 and api["Content-Type"] == "application/problem+json"
    assert case.reference not in api.content.decode()


def test_first_sign_in_enrols_by_qr_code_and_gives_backup_codes(client, alice):
    sign_in(client, "alice")
    page = client.get(reverse("mfa_enrol") + "?next=/cases/").content.decode()
    assert "<svg" in page and "QR code to add the portal" in page
    response, device = enrol(client, alice)
    assert device.confirmed
    codes = StaticToken.objects.filter(device__user=alice).values_list("token", flat=True)
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    assert client.get("/cases/").status_code == 200
    assert AuditEvent.objects.filter(action=Action.MFA_ENROL, user=alice).count() == 1


def test_a_used_code_is_refused_a_second_time(client, alice):
    sign_in(client, "alice")
    _, device = enrol(client, alice)
    used = code_for(device)
    client.post(reverse("logout"))
    sign_in(client, "alice")
    response = client.post(reverse("mfa_verify"), {"code": used})
    assert "was used already" in response.content.decode()
    assert client.get("/cases/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.MFA_FAILED, user=alice).count() == 1


def test_the_next_code_signs_in_and_the_session_id_changes(client, alice):
    sign_in(client, "alice")
    _, device = enrol(client, alice)
    client.post(reverse("logout"))
    sign_in(client, "alice")
    password_only = client.cookies["sessionid"].value
    response = client.post(reverse("mfa_verify"), {"code": code_for(device, steps_ahead=1), "next": "/cases/"})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.cookies["sessionid"].value != password_only
    assert client.get("/cases/").status_code == 200


def test_a_backup_code_works_once(client, alice):
    sign_in(client, "alice")
    enrol(client, alice)
    code = StaticToken.objects.filter(device__user=alice).first().token
    client.post(reverse("logout"))
    sign_in(client, "alice")
    assert client.post(reverse("mfa_verify"), {"code": code.upper()}).status_code == 302
    assert client.get("/cases/").status_code == 200
    client.post(reverse("logout"))
    sign_in(client, "alice")
    assert client.post(reverse("mfa_verify"), {"code": code}).status_code == 200
    assert client.get("/cases/").status_code == 302
    assert accounts.backup_codes_left(alice) == 9


def test_the_agency_administrator_resets_a_second_factor_and_it_is_audited(client, alice, charlie, admin):
    TOTPDevice.objects.create(user=alice, name="authenticator", confirmed=True)
    officer = alice.officer
    alices_browser = Client()
    alices_browser.force_login(alice)
    assert alices_browser.get("/cases/").status_code == 200
    client.force_login(charlie)  # another agency's officer finds nothing to reset
    assert client.post(reverse("partnerships:agency_officer_mfa_reset", args=[officer.pk])).status_code == 404
    client.force_login(admin)
    page = client.get(reverse("partnerships:agency_officer_edit", args=[officer.pk])).content.decode()
    assert "Reset the second factor" in page
    client.post(reverse("partnerships:agency_officer_mfa_reset", args=[officer.pk]))
    assert not TOTPDevice.objects.filter(user=alice).exists()
    event = AuditEvent.objects.get(action=Action.MFA_RESET)
    assert event.user == admin and event.object_ref == "alice" and event.detail["sessions_ended"] == 1
    # The session open before the reset is gone: a new authenticator needs the password first.
    assert alices_browser.get("/cases/")["Location"].startswith(reverse("login"))
    other = Client()
    sign_in(other, "alice")
    assert other.get("/cases/")["Location"].startswith(reverse("mfa_enrol"))


# --- lockout ------------------------------------------------------------------------------------

def test_five_failures_within_15_minutes_lock_until_an_administrator_unlocks(client, alice, admin):
    for _ in range(5):
        sign_in(client, "alice", "wrong-password-123")
    assert AccountLock.objects.filter(user=alice).exists()
    locked = sign_in(client, "alice")  # the right password now changes nothing
    assert locked.status_code == 200 and "_auth_user_id" not in client.session
    nobody = sign_in(Client(), "no-such-officer", "wrong-password-123")
    # The same answer for a locked account, a wrong password and an account that does not exist.
    assert LOCKED_OR_WRONG in locked.content.decode() and LOCKED_OR_WRONG in nobody.content.decode()
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_LOCK, object_ref="alice").count() == 1

    client.force_login(admin)
    page = client.get(reverse("partnerships:agency_officer_edit", args=[alice.officer.pk])).content.decode()
    assert "This login is locked" in page
    client.post(reverse("partnerships:agency_officer_unlock", args=[alice.officer.pk]))
    assert not AccountLock.objects.filter(user=alice).exists()
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_UNLOCK, user=admin, object_ref="alice").exists()
    again = Client()
    assert sign_in(again, "alice").status_code == 302


def test_failures_spread_over_more_than_15_minutes_do_not_lock(client, alice):
    start = timezone.now()
    for minute in (0, 4, 8, 12, 16, 20):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            sign_in(client, "alice", "wrong-password-123")
    assert not AccountLock.objects.filter(user=alice).exists()


def test_wrong_second_factor_codes_count_towards_the_lock(client, alice):
    TOTPDevice.objects.create(user=alice, name="authenticator", confirmed=True)
    sign_in(client, "alice")
    for _ in range(5):
        client.post(reverse("mfa_verify"), {"code": "000000"})
    assert AccountLock.objects.filter(user=alice).exists()
    assert "_auth_user_id" not in client.session


def test_sign_in_attempts_from_one_address_are_rate_limited(client, alice, settings):
    settings.RATE_LIMIT_SIGN_IN = "3/h"  # an hour's window: a minute's could turn over mid-test
    for _ in range(3):
        assert sign_in(client, "nobody", "wrong-password-123").status_code == 200
    response = sign_in(client, "alice")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


# --- passwords --------------------------------------------------------------------------------------

@pytest.mark.parametrize("password, reason", [
    ("short-phrase", None),  # 12 characters, no composition rule: accepted
    ("eleven-char", "This password is too short. It must contain at least 12 characters."),
    ("password1234", "This password is too common."),
    ("a" * 64 + "-passphrase-of-many-words", None),
    ("x" * 129, "This password is too long: at most 128 characters."),
])
def test_passwords_follow_length_and_breach_rules_without_composition_rules(client, alice, password, reason):
    client.force_login(alice)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": password, "new_password2": password})
    alice.refresh_from_db()
    if reason is None:
        assert response.status_code == 302 and alice.check_password(password)
    else:
        assert reason in response.content.decode() and alice.check_password(PASSWORD)


# --- sessions ---------------------------------------------------------------------------------------

def test_a_session_idle_for_30_minutes_is_locked_and_needs_a_new_sign_in(client, alice):
    client.force_login(alice)
    assert client.get("/cases/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.get("/cases/")
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert client.get("/cases/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.SESSION_EXPIRE, user=alice).exists()


def test_activity_keeps_a_session_but_not_past_12_hours(client, alice):
    client.force_login(alice)
    start = timezone.now()
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert client.get("/cases/").status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=12, minutes=5)):
        assert client.get("/cases/").status_code == 302


def test_a_session_cookie_replayed_after_sign_out_is_refused(client, alice):
    client.force_login(alice)
    cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    replay = Client()
    replay.cookies["sessionid"] = cookie
    assert replay.get("/cases/").status_code == 302
    assert replay.get("/api/v1/cases/").status_code in (401, 403)


def test_a_deactivated_officers_sessions_and_tokens_die_at_once(client, alice, bob, admin):
    from partnerships.services import api_token_issue

    _, key = api_token_issue(user=alice)
    client.force_login(alice)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/cases/").status_code == 200
    admin_client = Client()
    admin_client.force_login(admin)
    admin_client.post(reverse("partnerships:agency_officer_set_active", args=[alice.officer.pk]),
                      {"active": "0", "reason": "Left the agency"})
    assert client.get("/cases/").status_code == 302
    assert api.get("/api/v1/cases/").status_code == 401


def test_officers_unused_for_90_days_are_deactivated_by_the_nightly_task(alice, bob, charlie):
    now = timezone.now()
    User = get_user_model()
    User.objects.filter(pk=alice.pk).update(last_login=now - timedelta(days=91))
    User.objects.filter(pk=bob.pk).update(last_login=now - timedelta(days=10))
    User.objects.filter(pk=charlie.pk).update(last_login=None, date_joined=now - timedelta(days=120))
    assert officers_inactive_task.delay().get() == 2
    assert [u.is_active for u in User.objects.filter(pk__in=[alice.pk, bob.pk, charlie.pk]).order_by("username")] \
        == [False, True, False]
    assert set(AuditEvent.objects.filter(action=Action.OFFICER_DEACTIVATE_INACTIVE)
               .values_list("object_ref", flat=True)) == {"alice", "charlie"}


def test_demo_code_prints_a_working_code_for_demo_accounts_only_and_only_in_debug(client, settings, db):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from partnerships import demo

    demo.load()
    sign_in(client, "rcmp.analyst", demo.DEMO_PASSWORD)
    client.get(reverse("mfa_enrol"))
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_code", "rcmp.analyst", stdout=out)
    code = out.getvalue().split()[1]
    assert client.post(reverse("mfa_enrol"), {"code": code}).status_code == 200
    assert client.get("/cases/").status_code == 200
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_code", "alice")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo_code", "rcmp.analyst")


def test_the_administration_has_no_sign_in_form_of_its_own(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 302


# --- production realities (issue 19) ------------------------------------------------------------------

@pytest.mark.parametrize("password, reason", [
    ("123456789012", "This password is an alphabetical or numerical sequence"),
    ("aaaaaaaaaaaa", "This password repeats the same characters"),
    ("qwertyuiopas", "This password follows a row of the keyboard"),
])
def test_repeated_sequence_and_keyboard_passwords_are_refused_under_the_new_password(client, alice, password,
                                                                                      reason):
    client.force_login(alice)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": password, "new_password2": password})
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert reason in " ".join(response.context["form"].errors["new_password1"])
    assert "new_password2" not in response.context["form"].errors


def test_a_guessable_password_is_refused_on_the_reset_page_too(client, alice):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse("password_reset_confirm", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(alice.pk)),
                                                     "token": default_token_generator.make_token(alice)})
    form_page = client.get(path, follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "qwertyuiopas",
                                                             "new_password2": "qwertyuiopas"})
    assert "row of the keyboard" in " ".join(response.context["form"].errors["new_password1"])
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(client, alice, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client.force_login(alice)
    too_long = str(1024 + 2 * 1024 * 1024)

    class Unreadable:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    page = client.generic("POST", "/cases/", b"", content_type="multipart/form-data; boundary=x",
                          CONTENT_LENGTH=too_long, HTTP_ACCEPT_LANGUAGE="fr", **{"wsgi.input": Unreadable()})
    assert page.status_code == 413 and "trop volumineuse" in page.content.decode()
    api = client.generic("POST", "/api/v1/cases/", b"", content_type="application/json",
                         CONTENT_LENGTH=too_long, **{"wsgi.input": Unreadable()})
    assert api.status_code == 413 and api["Content-Type"] == "application/problem+json"
    assert api.json()["status"] == 413


def test_a_right_code_just_after_a_wrong_one_says_to_wait_for_the_next_code(client, alice):
    sign_in(client, "alice")
    _, device = enrol(client, alice)
    client.post(reverse("logout"))
    sign_in(client, "alice")
    client.post(reverse("mfa_verify"), {"code": "000000"})
    response = client.post(reverse("mfa_verify"), {"code": code_for(device, steps_ahead=1)})
    assert "Wait for the next code from the app and type it." in response.content.decode()
    later = timezone.now() + timedelta(seconds=65)
    with time_machine.travel(later, tick=False):
        response = client.post(reverse("mfa_verify"), {"code": code_for(device, at=later.timestamp()),
                                                       "next": "/cases/"})
    assert response.status_code == 302 and response["Location"] == "/cases/"


def test_the_officer_is_emailed_of_a_lockout_in_their_language(client, alice, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    alice.officer.preferred_language = "fr"
    alice.officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            sign_in(client, "alice", "wrong-password-123")
    assert [message.to for message in mailoutbox] == [[alice.officer.email]]
    assert "verrouillé" in mailoutbox[0].subject


def test_the_officer_is_emailed_of_a_second_factor_reset(client, alice, admin, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    TOTPDevice.objects.create(user=alice, name="authenticator", confirmed=True)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partnerships:agency_officer_mfa_reset", args=[alice.officer.pk]))
    assert [message.to for message in mailoutbox] == [[alice.officer.email]]
    assert "second factor was reset" in mailoutbox[0].subject


def test_a_sign_in_from_a_new_address_or_device_is_emailed_and_a_known_one_is_not(
        alice, mailoutbox, django_capture_on_commit_callbacks):
    firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
    usual = Client(REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT=firefox)
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(usual, "alice")  # the first sign-in: nothing to compare with
        usual.post(reverse("logout"))
        sign_in(usual, "alice")  # same browser, same address
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(Client(REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT=firefox), "alice")  # a new browser
        usual.post(reverse("logout"))
        usual.defaults["REMOTE_ADDR"] = "203.0.113.9"
        sign_in(usual, "alice")  # the known browser from a new address
    assert len(mailoutbox) == 2 and all(message.to == [alice.officer.email] for message in mailoutbox)
    assert "203.0.113.9" in mailoutbox[1].body and "Firefox on Windows" in mailoutbox[1].body
