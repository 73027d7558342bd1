"""Planted secrets (a password, an API token, a TOTP key) never reach the logs or the audit trail."""

import base64
import json
import logging
from io import StringIO

from django.core import serializers
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships.models import AuditEvent
from portal.tests.test_accounts import code_for

PLANTED_PASSWORD = "planted-Pa55phrase-7f3e9c"
PLANTED_TOTP_KEY = "5ec2e7a1d9b04c8f6a3e1b2d4c6f8a0e9d7b5c3a"  # hex, as django-otp stores it


def test_planted_secrets_appear_in_no_log_and_no_audit_record(alice, bob, case, caplog, settings):
    settings.DEBUG = False
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below must not delay the right one
    caplog.set_level(logging.DEBUG)  # everything any logger says, at every level
    planted_key_b32 = base64.b32encode(bytes.fromhex(PLANTED_TOTP_KEY)).decode()
    alice.set_password(PLANTED_PASSWORD)
    alice.save()

    browser = Client()
    # A wrong attempt that carries the password as the username, then the right one.
    browser.post(reverse("login"), {"username": PLANTED_PASSWORD, "password": PLANTED_PASSWORD, "acknowledge": "on"})
    browser.post(reverse("login"), {"username": "alice", "password": PLANTED_PASSWORD + "x", "acknowledge": "on"})
    browser.post(reverse("login"), {"username": "alice", "password": PLANTED_PASSWORD, "acknowledge": "on"})
    browser.get(reverse("mfa_enrol"))
    TOTPDevice.objects.filter(user=alice, confirmed=False).update(key=PLANTED_TOTP_KEY)
    device = TOTPDevice.objects.get(user=alice)
    browser.post(reverse("mfa_enrol"), {"code": "000000"})
    browser.post(reverse("mfa_enrol"), {"code": code_for(device)})
    browser.get(case.get_absolute_url())
    browser.post(reverse("password_change"), {"old_password": PLANTED_PASSWORD, "new_password1": "short",
                                              "new_password2": "short"})

    out = StringIO()
    call_command("issue_api_token", "bob", stdout=out)
    token = next(word for word in out.getvalue().split() if word.startswith("bpp_"))
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    api.get("/api/v1/cases/")
    api.get(f"/api/v1/cases/{case.reference}/")
    Client(HTTP_AUTHORIZATION=f"Token {token}x").get("/api/v1/cases/")  # a wrong token, logged as refused
    Client(HTTP_AUTHORIZATION=f"Token {PLANTED_PASSWORD}").get("/api/v1/cases/")

    records = json.dumps(json.loads(serializers.serialize("json", AuditEvent.objects.all())))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MFA_ENROL).exists()  # the flows did run
    assert AuditEvent.objects.filter(door=AuditEvent.Door.API, user=bob).exists()
    logs = caplog.text + "\n".join(str(record.args) for record in caplog.records)
    for secret in (PLANTED_PASSWORD, token, token[len("bpp_"):], PLANTED_TOTP_KEY, planted_key_b32):
        assert secret not in logs
        assert secret not in records
