"""Sign-in security: failed attempts and locked accounts (CJIS AC-7)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInFailure(models.Model):
    """One failed sign-in or second-factor attempt, by the (folded) username that was tried."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True)

    class Meta:
        indexes = [models.Index(fields=["username", "at"], name="signin_failure_recent")]

    def __str__(self):
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class AccountLock(models.Model):
    """A login locked after too many failures, until an agency administrator unlocks it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lock")
    locked_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason"), max_length=200)

    def __str__(self):
        return f"{self.user_id} locked {self.locked_at:%Y-%m-%d %H:%M}"
