"""Account security: lockout, the second factor, inactive officers. docs/security.md maps each control.

Lockout is written here rather than taken from django-axes: the control is "5 failures within 15 minutes
lock the account until an administrator unlocks it", and axes counts failures without a window.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships import access, audit
from partnerships.models import AuditEvent, Officer
from portal.models import AccountLock, SignInFailure

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
