"""Webhook endpoints that agencies register, and the deliveries made to them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agency, JointCase, Program
from webhooks.errors import DeliveryError, sentence


class EventType(models.TextChoices):
    """What an endpoint may subscribe to; each is about the receiving agency's own view of the portal."""

    CASE_SHARED = "case.shared", _("A case is shared with my agency (or its level changes)")
    CASE_CHANGED = "case.changed", _("A case my agency holds changes")
    CASE_NOT_VISIBLE = "case.not_visible", _("A case is no longer visible to my agency")
    DECONFLICTION_HIT = "deconfliction.hit", _("A deconfliction hit concerns my agency")
    REQUEST_FILED = "request.filed", _("A request about a case my agency leads is filed")
    REQUEST_DECIDED = "request.decided", _("A request my agency filed is decided")
    ACTION_DUE = "action_item.due", _("A forum action item my agency owns is due soon")
    ACTION_OVERDUE = "action_item.overdue", _("A forum action item my agency owns is overdue")


class Endpoint(models.Model):
    """An address of an agency's system that is told of events, signed with the endpoint's secret."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("events"), default=list)  # EventType values
    program = models.CharField(_("program"), max_length=20, choices=Program.choices, blank=True)  # blank: all
    # Standard Webhooks secrets ("whsec_" + base64). While a rotated one is in its grace period both sign.
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    failing_since = models.DateTimeField(null=True, blank=True)  # the first failure since the last success
    disabled_at = models.DateTimeField(null=True, blank=True)  # set when the portal disabled it for failing
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency", "created_at", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return f"{self.agency_id}: {self.url}"


class Delivery(models.Model):
    """One event for one endpoint. Its payload is made when it is sent, from what the agency may see then."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.PROTECT, related_name="deliveries")
    event_type = models.CharField(_("event"), max_length=30, choices=EventType.choices)
    # The Standard Webhooks `webhook-id`: the same for every attempt and for a re-send, so receivers can skip repeats.
    message_id = models.CharField(max_length=40, db_index=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    # What the event is about, by id: the payload is read from these when sending (no case data is kept here).
    case = models.ForeignKey(JointCase, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    about = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_as = models.CharField(max_length=30, blank=True)  # the type of the last payload sent (case.not_visible...)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # Why the last attempt failed, as a code and its parameters (webhooks/errors.py): `last_error` says it in the
    # reader's language.
    last_error_code = models.CharField(_("last error"), max_length=30, choices=DeliveryError.choices, blank=True)
    last_error_params = models.JSONField(default=dict, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    resend_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            # The beat task reads only the deliveries waiting for their next attempt, soonest first.
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"), name="webhook_due"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_endpoint_recent"),
        ]

    def __str__(self):
        return f"{self.event_type} {self.message_id} {self.status}"

    @property
    def last_error(self):
        """Why the last attempt failed, in the active language ("" when it did not)."""
        return sentence(self.last_error_code, self.last_error_params)
