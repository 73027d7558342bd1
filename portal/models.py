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


class OutboxMessage(models.Model):
    """A Celery task written in the same transaction as the change it follows, kept until Redis has it
    (portal/outbox.py): a task is never lost to a Redis outage, only delayed."""

    task = models.CharField(max_length=200)  # the registered task name, e.g. partnerships.tasks.notify_request_task
    args = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)  # handed to the broker; null while pending
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The relay reads only the pending rows, oldest first; sent rows are pruned by sent_at.
            models.Index(fields=["created_at", "id"], condition=models.Q(sent_at__isnull=True), name="outbox_pending"),
            models.Index(fields=["sent_at"], name="outbox_sent"),
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)} {'sent' if self.sent_at else 'pending'}"


class SignInAddress(models.Model):
    """An address a login has signed in from: a sign-in from another one is emailed to the officer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ip_address = models.GenericIPAddressField()
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "ip_address"], name="sign_in_address_once")]

    def __str__(self):
        return f"{self.user_id} {self.ip_address}"
