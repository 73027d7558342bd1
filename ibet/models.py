from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError

from partnerships.models import TIME_ZONE_CHOICES, Agency, EnforcementResult, JointCase, Officer, Team

# The five core agencies of every IBET region's Joint Management Team.
CORE_AGENCIES = ("RCMP", "CBSA", "CBP", "HSI", "USCG")
# Management meetings are due every six weeks.
MEETING_INTERVAL_DAYS = 42
# Rows saved so far by an import in its saving phase, told through the cache by ibet/imports.py.
IMPORT_SAVING_KEY = "ibet-import-saved:{pk}"


class Region(models.Model):
    """An IBET region (Pacific, Prairie, St. Lawrence...), governed by a Joint Management Team."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("IBET region")
        verbose_name_plural = _("IBET regions")

    def __str__(self):
        return self.name


class IbetTeam(models.Model):
    """An IBET team: a partnerships team (its member agencies) of a region, at a location."""

    team = models.OneToOneField(Team, on_delete=models.PROTECT, related_name="ibet_team",
                                limit_choices_to={"kind": Team.Kind.IBET_TEAM})
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="teams")
    location = models.CharField(_("location"), max_length=200)
    time_zone = models.CharField(_("time zone"), max_length=50, choices=TIME_ZONE_CHOICES)
    officers = models.ManyToManyField(Officer, verbose_name=_("assigned officers"), blank=True,
                                      related_name="ibet_teams")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team__name"]
        verbose_name = _("IBET team")
        verbose_name_plural = _("IBET teams")

    def __str__(self):
        return self.team.name

    @property
    def name(self):
        return self.team.name


class RepresentativeQuerySet(models.QuerySet):
    def current(self):
        """The representatives serving now: a replaced one has ended."""
        return self.filter(ended_on__isnull=True)


class JmtRepresentative(models.Model):
    """A core agency's representative on a region's Joint Management Team, from a day until replaced (one at a time
    per agency; the replaced ones are kept, ended)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="representatives")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        ordering = ["agency__acronym", "-started_on", "-pk"]
        verbose_name = _("Joint Management Team representative")
        verbose_name_plural = _("Joint Management Team representatives")
        constraints = [models.UniqueConstraint(fields=["region", "agency"], condition=models.Q(ended_on__isnull=True),
                                               name="one_jmt_rep_per_agency")]

    def __str__(self):
        return f"{self.region}: {self.agency.acronym}"


class ManagementMeeting(models.Model):
    """A meeting of a region's Joint Management Team."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("management meeting")
        verbose_name_plural = _("management meetings")

    def __str__(self):
        return f"{self.region} {self.held_on}"


class Occurrence(models.Model):
    """Something an IBET team met between the ports of entry; a team record."""

    class Kind(models.TextChoices):
        APPREHENSION = "apprehension", _("Apprehension")
        INTERDICTION = "interdiction", _("Interdiction")
        VEHICLE_INCURSION = "vehicle_incursion", _("Vehicle incursion")
        VESSEL_INCURSION = "vessel_incursion", _("Vessel incursion")
        PEDESTRIAN = "pedestrian", _("Pedestrian crossing")
        SURVEILLANCE = "surveillance", _("Surveillance")

    team = models.ForeignKey(IbetTeam, verbose_name=_("team"), on_delete=models.PROTECT, related_name="occurrences")
    occurred_at = models.DateTimeField(_("when"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    nearest_port = models.CharField(_("nearest port of entry"), max_length=100)
    at_port = models.BooleanField(_("at the port of entry itself (the port's business)"), default=False)
    persons_apprehended = models.PositiveIntegerField(_("persons apprehended"), default=0)
    nationalities = models.CharField(_("nationalities"), max_length=200, blank=True)
    narrative = models.TextField(_("narrative"))
    results = models.ManyToManyField(EnforcementResult, blank=True, related_name="ibet_occurrences")
    case = models.ForeignKey(JointCase, verbose_name=_("joint case"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        indexes = [models.Index(fields=["team", "-occurred_at"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
            name="occurrence_latitude_range")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d} {self.team}"


class IntelligenceReport(models.Model):
    """A graded intelligence report (Admiralty scale), reviewed every five years (28 CFR 23.20(h))."""

    class Reliability(models.TextChoices):
        A = "A", _("A — completely reliable")
        B = "B", _("B — usually reliable")
        C = "C", _("C — fairly reliable")
        D = "D", _("D — not usually reliable")
        E = "E", _("E — unreliable")
        F = "F", _("F — reliability cannot be judged")

    class Credibility(models.TextChoices):
        ONE = "1", _("1 — confirmed by other sources")
        TWO = "2", _("2 — probably true")
        THREE = "3", _("3 — possibly true")
        FOUR = "4", _("4 — doubtful")
        FIVE = "5", _("5 — improbable")
        SIX = "6", _("6 — truth cannot be judged")

    team = models.ForeignKey(IbetTeam, verbose_name=_("team"), on_delete=models.PROTECT, related_name="reports")
    source_agency = models.ForeignKey(Agency, verbose_name=_("source agency"), on_delete=models.PROTECT,
                                      related_name="+")
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))
    reliability = models.CharField(_("source reliability"), max_length=1, choices=Reliability.choices)
    credibility = models.CharField(_("information credibility"), max_length=1, choices=Credibility.choices)
    handling_code = models.CharField(_("handling code"), max_length=2, choices=JointCase.HandlingCode.choices,
                                     default=JointCase.HandlingCode.H0)
    releasability = models.CharField(_("releasability"), max_length=10, choices=JointCase.Releasability.choices,
                                     default=JointCase.Releasability.CA_US)
    case = models.ForeignKey(JointCase, verbose_name=_("joint case"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    review_due = models.DateField(_("review due"))
    validated_at = models.DateTimeField(_("last validated"), null=True, blank=True)
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    validation_reason = models.CharField(_("reason for validation"), max_length=300, blank=True)
    purged_at = models.DateTimeField(_("purged"), null=True, blank=True)
    purged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("intelligence report")
        verbose_name_plural = _("intelligence reports")
        indexes = [models.Index(fields=["review_due"])]

    def __str__(self):
        return f"#{self.pk} {self.reliability}{self.credibility}"

    @property
    def grading(self):
        return f"{self.reliability}{self.credibility}"


class ImportJob(models.Model):
    """A CSV of occurrences being checked and imported: all rows or none."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CHECKING = "checking", _("Checking rows")
        SAVING = "saving", _("Saving rows")
        REFUSED = "refused", _("Refused: nothing was saved")
        FAILED = "failed", _("Failed: nothing was saved")
        DONE = "done", _("Imported")

    team = models.ForeignKey(IbetTeam, verbose_name=_("team"), on_delete=models.PROTECT, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    content = models.TextField()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    checked_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("occurrence import")
        verbose_name_plural = _("occurrence imports")

    def __str__(self):
        return f"{self.file_name} ({self.status})"

    @property
    def saved_rows(self):
        """Rows written so far: while saving (one transaction, unseen until it commits) as the import tells it
        through the cache (ibet/imports.py); all of them once done."""
        if self.status == self.Status.DONE:
            return self.imported_rows
        return self.saving_progress() if self.status == self.Status.SAVING else 0

    def saving_progress(self):
        """Rows saved so far in the saving phase (0 when unknown)."""
        try:
            return int(cache.get(IMPORT_SAVING_KEY.format(pk=self.pk)) or 0)
        except (RedisError, OSError, TypeError, ValueError):
            return 0

    @property
    def percent(self):
        """Checking the rows is the first half of the work, saving them the second."""
        if self.status == self.Status.DONE:
            return 100
        if self.status == self.Status.SAVING:
            return 50 + int(50 * min(self.saved_rows, self.total_rows) / self.total_rows) if self.total_rows else 50
        return int(50 * self.checked_rows / self.total_rows) if self.total_rows else 0


class JointOperation(models.Model):
    """A joint operation, known by its paired names: the US "Operation" and the Canadian "Project"."""

    team = models.ForeignKey(IbetTeam, verbose_name=_("team"), on_delete=models.PROTECT, related_name="operations")
    us_name = models.CharField(_("US name (Operation)"), max_length=100)
    canadian_name = models.CharField(_("Canadian name (Project)"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    agencies = models.ManyToManyField(Agency, verbose_name=_("participating agencies"), related_name="+")
    cases = models.ManyToManyField(JointCase, verbose_name=_("linked cases"), blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("joint operation")
        verbose_name_plural = _("joint operations")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__isnull=True)
                                              | models.Q(ends_on__gte=models.F("starts_on")),
                                              name="operation_ends_after_it_starts")]

    def __str__(self):
        return f"{self.us_name} / {self.canadian_name}"
