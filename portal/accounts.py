"""Account security: lockout, the second factor, inactive officers. docs/security.md maps each control.

Lockout is written here rather than taken from django-axes: the control is "5 failures within 15 minutes
lock the account until an administrator unlocks it", and axes counts failures without a window.
"""

import uuid
import zoneinfo
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships import access, audit
from partnerships.models import AuditEvent, Officer
from portal.models import AccountLock, SignInAddress, SignInFailure

Action, Door, Outcome = AuditEvent.Action, AuditEvent.Door, AuditEvent.Outcome

FAILURE_LIMIT = 5
FAILURE_WINDOW = timedelta(minutes=15)
BACKUP_CODE_COUNT = 10
INACTIVE_AFTER = timedelta(days=90)


class AccountRefused(Exception):
    """An account action that is not allowed; the message says why, in the user's language."""


# --- lockout (CJIS AC-7) ---------------------------------------------------------------------------

def is_locked(user):
    return AccountLock.objects.filter(user=user).exists()


@transaction.atomic
def sign_in_failed(*, username, ip_address=None):
    """Count one failed password or second-factor attempt; the fifth within 15 minutes locks the account.

    Names that match no account are counted the same way, so the answers never tell them apart.
    """
    username = (username or "")[:150]
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        username = "?" + audit.name_digest(username)  # perhaps a password typed in the wrong field
    now = timezone.now()
    SignInFailure.objects.create(username=username, at=now, ip_address=ip_address)
    recent = SignInFailure.objects.filter(username=username, at__gte=now - FAILURE_WINDOW).count()
    if recent < FAILURE_LIMIT:
        return False
    if user is None or AccountLock.objects.filter(user=user).exists():
        return user is not None
    AccountLock.objects.create(user=user, locked_at=now, reason=f"{recent} failed attempts within 15 minutes")
    security_notice_enqueue(user=user, kind=NOTICE_LOCKED)
    audit.record(action=Action.ACCOUNT_LOCK, door=Door.PAGE, outcome=Outcome.DENIED, username=username,
                 agency=access.agency_of(user), object_type="user", object_ref=username, failures=recent)
    return True


def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    """Django's user_login_failed: every password failure counts, whichever form it came through."""
    ip_address = request.META.get("REMOTE_ADDR") if request is not None else None
    sign_in_failed(username=str(credentials.get("username", "")), ip_address=ip_address)


@transaction.atomic
def account_unlock(*, by, officer):
    """An agency administrator unlocks one of their officers' logins."""
    _administered(by, officer)
    AccountLock.objects.filter(user=officer.user).delete()
    SignInFailure.objects.filter(username=officer.user.username).delete()
    audit.record(action=Action.ACCOUNT_UNLOCK, door=Door.PAGE, user=by, object_type="officer",
                 object_ref=officer.user.username)


def sign_in_failures_prune(*, now=None):
    """Failures older than the window count for nothing; keep a day of them for investigation."""
    now = now or timezone.now()
    return SignInFailure.objects.filter(at__lt=now - timedelta(days=1)).delete()[0]


# --- the second factor (CJIS IA-2, ASVS 6.5) -------------------------------------------------------

def has_second_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def enrolment_device(user):
    """The authenticator being enrolled: one unconfirmed TOTP device, kept until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def mfa_enrol(*, user, token):
    """Confirm the authenticator with a first code; return (device, backup codes) or (None, None)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_compact(token)):
        return None, None
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = backup_codes_issue(user=user)
    audit.record(action=Action.MFA_ENROL, door=Door.PAGE, user=user, object_type="user",
                 object_ref=user.get_username())
    return device, codes


@transaction.atomic
def backup_codes_issue(*, user):
    """Ten new one-time backup codes; the old ones stop working. Shown once, stored by Django-OTP."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_throttled(user):
    """True while django-otp makes the authenticator wait after a wrong code (1 s, then 2, 4, ...): a code typed
    then is refused unchecked, even the right one, and the officer is told to wait for the next code."""
    return any(not device.verify_is_allowed()[0]
               for device in TOTPDevice.objects.filter(user=user, confirmed=True))


def second_factor_verify(*, user, token, ip_address=None):
    """The device that accepts this code (a used code never does), or None, counted as a failure."""
    device = match_token(user, _compact(token)) if token else None
    if device is None:
        audit.record(action=Action.MFA_FAILED, door=Door.PAGE, outcome=Outcome.FAILURE, user=user,
                     object_type="user", object_ref=user.get_username())
        sign_in_failed(username=user.get_username(), ip_address=ip_address)
        return None
    audit.record(action=Action.MFA_VERIFY, door=Door.PAGE, user=user, object_type="user",
                 object_ref=user.get_username(), method="backup code" if isinstance(device, StaticDevice)
                 else "authenticator")
    return device


@transaction.atomic
def mfa_reset(*, by, officer):
    """An agency administrator removes an officer's authenticator and backup codes: they enrol again."""
    _administered(by, officer)
    if officer.user_id == by.pk:
        raise AccountRefused(_("Another administrator of your agency must reset your own second factor."))
    TOTPDevice.objects.filter(user=officer.user).delete()
    StaticDevice.objects.filter(user=officer.user).delete()
    ended = sessions_end(user=officer.user)
    audit.record(action=Action.MFA_RESET, door=Door.PAGE, user=by, object_type="officer",
                 object_ref=officer.user.username, sessions_ended=ended)
    security_notice_enqueue(user=officer.user, kind=NOTICE_MFA_RESET)


def sessions_end(*, user):
    """End every session of a user on the server: after a reset the new authenticator is set up after a new
    sign-in with the password, never from a session that was open before (a stolen cookie, say)."""
    from django.contrib.sessions.models import Session

    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _compact(token):
    return "".join((token or "").split()).lower()


def _administered(by, officer):
    if officer.user is None or not access.officers_administered_by(by).filter(pk=officer.pk).exists():
        raise AccountRefused(_("You can only administer officers of your own agency."))


# --- telling the officer (ASVS 2.2.3, 2.5.5) ---------------------------------------------------------------
#
# The officer is emailed, in their language, when their login is locked, when an administrator resets their
# second factor, and when their password signs in from a new address or a new device. Emails go through the
# outbox (sent after the commit, never lost to a Redis outage); each carries an id, so that a second delivery
# of the task sends nothing (the id is kept in the shared cache for a week).

NOTICE_LOCKED, NOTICE_MFA_RESET, NOTICE_NEW_SIGN_IN = "locked", "mfa_reset", "new_sign_in"
# A device is a browser that signed in before: it carries this signed cookie naming the logins that signed in
# with it (no server-side record). Clearing cookies makes the next sign-in a new device, which is emailed.
DEVICE_COOKIE = "portal_device"
DEVICE_COOKIE_SALT = "portal.accounts.device"
DEVICE_COOKIE_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
DEVICE_COOKIE_USERS = 20
NOTICE_SENT_KEEP = 7 * 24 * 3600


def security_notice_enqueue(*, user, kind, **detail):
    from portal import outbox

    outbox.enqueue("portal.tasks.security_notice_task", user.pk, kind,
                   {**detail, "at": timezone.now().isoformat(), "id": uuid.uuid4().hex})


def security_notice_send(*, user_id, kind, detail):
    """Email the officer one security notice in their language and time zone; True when an email left."""
    from django.core.cache import cache

    officer = Officer.objects.filter(user_id=user_id).select_related("user").first()
    if officer is None or not officer.email or not cache.add(f"security-notice:{detail['id']}", 1,
                                                             NOTICE_SENT_KEEP):
        return False
    with translation.override(officer.preferred_language):
        at = datetime.fromisoformat(detail["at"]).astimezone(zoneinfo.ZoneInfo(officer.time_zone))
        values = {"time": f"{at:%Y-%m-%d %H:%M} {at.tzname()}", **detail}
        if kind == NOTICE_LOCKED:
            subject = _("Your portal account was locked")
            text = _("Your account was locked at %(time)s after 5 failed sign-in attempts within 15 minutes. An "
                     "administrator of your agency can unlock it. If these attempts were not yours, tell your "
                     "agency's security officer.") % values
        elif kind == NOTICE_MFA_RESET:
            subject = _("Your second factor was reset")
            text = _("An administrator of your agency reset your second factor at %(time)s: at your next "
                     "sign-in you will set up your authenticator app again. If you did not ask for this, tell "
                     "your agency's security officer.") % values
        else:
            subject = _("New sign-in to your portal account")
            text = _("Your password was used to sign in at %(time)s from a new address or device (address "
                     "%(address)s, browser: %(browser)s). If this was you, there is nothing to do. If it was "
                     "not, change your password and tell your agency's security officer.") % values
        body = "\n\n".join([_("Hello %(name)s,") % {"name": officer.first_name}, text,
                             _("Border Partnerships Portal")])
        subject = _("Border Partnerships Portal: %(kind)s") % {"kind": subject}
    send_mail(subject, body, None, [officer.email])
    return True


def sign_in_origin_check(*, request, user):
    """After the password: remember the address; tell the officer of a sign-in from a new address or device.

    The very first sign-in of a login has nothing to compare with and is not emailed. Returns the value of the
    device cookie to set on the response."""
    ip_address = request.META.get("REMOTE_ADDR") or None
    known_before = SignInAddress.objects.filter(user=user).exists()
    new_address = False
    if ip_address:
        now = timezone.now()
        updated = SignInAddress.objects.filter(user=user, ip_address=ip_address).update(last_seen=now)
        if not updated:
            SignInAddress.objects.get_or_create(user=user, ip_address=ip_address)
            new_address = True
    users = _device_users(request)
    if known_before and (new_address or user.pk not in users):
        security_notice_enqueue(user=user, kind=NOTICE_NEW_SIGN_IN, address=ip_address or "?",
                                browser=_browser(request.headers.get("User-Agent", "")))
    users = [user.pk, *(pk for pk in users if pk != user.pk)][:DEVICE_COOKIE_USERS]
    return signing.dumps(users, salt=DEVICE_COOKIE_SALT)


def sign_in_addresses_prune(*, now=None):
    """Addresses unused for a year are forgotten: a sign-in from one again is emailed."""
    now = now or timezone.now()
    return SignInAddress.objects.filter(last_seen__lt=now - timedelta(days=365)).delete()[0]


def _device_users(request):
    try:
        users = signing.loads(request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_COOKIE_SALT)
    except signing.BadSignature:
        return []
    return [pk for pk in users if isinstance(pk, int)] if isinstance(users, list) else []


BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
            ("Safari/", "Safari"))
SYSTEMS = (("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"),
           ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def _browser(user_agent):
    """"Firefox on Windows": enough for an officer to recognize their own browser, no more of the header."""
    browser = next((name for marker, name in BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in SYSTEMS if marker in user_agent), None)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("unknown")


# --- inactive officers (CJIS AC-2(3)) -----------------------------------------------------------------

@transaction.atomic
def officers_deactivate_inactive(*, now=None):
    """Deactivate officers whose login has not been used for 90 days (never used: 90 days after joining)."""
    now = now or timezone.now()
    cutoff = now - INACTIVE_AFTER
    idle = (Officer.objects.select_for_update().select_related("user")
            .filter(is_active=True, user__is_active=True)
            .exclude(user__last_login__gte=cutoff)
            .exclude(user__last_login__isnull=True, user__date_joined__gte=cutoff))
    count = 0
    for officer in idle:
        officer.is_active = False
        officer.save(update_fields=["is_active", "updated_at"])
        officer.user.is_active = False
        officer.user.save(update_fields=["is_active"])
        last = officer.user.last_login
        audit.record(action=Action.OFFICER_DEACTIVATE_INACTIVE, door=Door.TASK, agency=officer.agency,
                     object_type="officer", object_ref=officer.user.username,
                     last_sign_in=last.isoformat() if last else None)
        count += 1
    return count
