"""Deconfliction: planned operations by place and time, and the pointer-only hits between agencies."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnerships.models import Agency, AuditEvent, JointCase, Subject


class NamedArea(models.Model):
    """A well-known stretch of the border, kept as a circle: its centre and radius."""

    name_en = models.CharField(_("name (English)"), max_length=100, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    radius_m = models.PositiveIntegerField(_("radius (m)"))

    class Meta:
        ordering = ["name_en"]

    def __str__(self):
        return self.name_en

    @property
    def name(self):
        from django.utils.translation import get_language

        return self.name_fr if (get_language() or "").startswith("fr") else self.name_en


class NameKey(models.Model):
    """Each distinct folded name of any subject, once: the trigram search runs over these (half as many rows
    as the subjects' name keys at a million subjects), then looks up the subjects that carry the names found."""

    name = models.CharField(max_length=200, unique=True)

    def __str__(self):
        return self.name


class PlannedEvent(models.Model):
    """An operation an agency plans at a place (point and radius, or a named area) during a time window."""

    class Kind(models.TextChoices):
        PATROL = "patrol", _("ShipRider patrol")
        IBET_OPERATION = "ibet_operation", _("IBET operation")
        BEST_ACTION = "best_action", _("BEST enforcement action")
        OTHER = "other", _("Other planned operation")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(JointCase, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    area = models.ForeignKey(NamedArea, verbose_name=_("named area"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    latitude = models.FloatField(_("latitude"))  # the area's centre when an area is named
    longitude = models.FloatField(_("longitude"))
    radius_m = models.PositiveIntegerField(_("radius (m)"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["latitude", "longitude"]), models.Index(fields=["starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="event_ends_after_start"),
            models.CheckConstraint(condition=models.Q(latitude__gte=-90, latitude__lte=90), name="event_latitude"),
            models.CheckConstraint(condition=models.Q(longitude__gte=-180, longitude__lte=180),
                                   name="event_longitude"),
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"


class Hit(models.Model):
    """Two agencies' subjects or planned operations that may concern the same thing. Each side sees a pointer."""

    class Kind(models.TextChoices):
        SUBJECT = "subject", _("Subject")
        EVENT = "event", _("Planned operation")

    class Certainty(models.TextChoices):
        EXACT = "exact", _("Exact match")
        POSSIBLE = "possible", _("Possible match")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    certainty = models.CharField(max_length=10, choices=Certainty.choices)
    matched_on = models.CharField(max_length=20)  # phone, email, registration, vin, name, place and time
    score = models.FloatField(default=1.0)
    pair_key = models.CharField(max_length=60, unique=True)  # one hit per pair, however often it is checked
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} {self.certainty} {self.pair_key}"


class HitParty(models.Model):
    """One agency's side of a hit: its own subject or operation, and where it stands on the hit."""

    class Status(models.TextChoices):
        # a hit (une concordance) is feminine in French: its own forms of the words
        OPEN = "open", pgettext_lazy("hit status", "Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CLOSED = "closed", pgettext_lazy("hit status", "Closed")

    class Outcome(models.TextChoices):
        CONTACTED = "contacted", _("Contacted")
        NO_CONFLICT = "no_conflict", _("No conflict")
        COORDINATED = "coordinated", _("Coordinated")

    hit = models.ForeignKey(Hit, on_delete=models.CASCADE, related_name="parties")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # This side's entry ran the check that found the hit: it learns that there is an overlap and whom to call,
    # never how sure the match is (that would let a checker probe the other side's subject or operation).
    ran_check = models.BooleanField(default=False)
    subject = models.ForeignKey(Subject, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(PlannedEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    notified_at = models.DateTimeField(null=True, blank=True)  # the notice went out once

    class Meta:
        ordering = ["-hit__created_at", "-id"]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self):
        return f"{self.agency_id} on hit {self.hit_id}: {self.status}"

    @property
    def case(self):
        return self.subject.case if self.subject_id else self.event.case


class CheckAlert(models.Model):
    """What one agency learns when another agency's check before entering overlaps its work: who asked and what
    (the check's audit record), how sure each match is, and which of its own subjects or operations it concerns."""

    record = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="+")  # the check: who, when, what
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")  # the side whose work it hit
    kind = models.CharField(max_length=10, choices=Hit.Kind.choices)
    certainty = models.CharField(max_length=10, choices=Hit.Certainty.choices)  # the surest of its matches
    # [{"probe": position in the check, "certainty", "matched_on", "subject" or "event": this agency's id}]
    matches = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)  # the agency's contacts were told, once

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "-created_at"])]
        constraints = [models.UniqueConstraint(fields=["record", "agency"], name="check_alert_once_per_agency")]

    def __str__(self):
        return f"check {self.record_id} hit {self.agency_id}"
