from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnerships.models import (
    TIME_ZONE_CHOICES,
    Agency,
    Country,
    CrossDesignation,
    EnforcementResult,
    JointCase,
    Officer,
    Team,
)


class Site(models.Model):
    """A ShipRider site: a partnerships team (its member agencies) on a waterway, in one time zone."""

    team = models.OneToOneField(Team, on_delete=models.PROTECT, related_name="shiprider_site",
                                limit_choices_to={"kind": Team.Kind.SHIPRIDER_SITE})
    waterways = models.CharField(_("waterways"), max_length=300)
    time_zone = models.CharField(_("time zone"), max_length=50, choices=TIME_ZONE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team__name"]
        verbose_name = _("ShipRider site")
        verbose_name_plural = _("ShipRider sites")

    def __str__(self):
        return self.team.name

    @property
    def name(self):
        return self.team.name


class Vessel(models.Model):
    """A patrol vessel of one agency."""

    class Type(models.TextChoices):
        RBM = "rbm", _("45-ft Response Boat-Medium")
        RBS = "rbs", _("25-ft Response Boat-Small")
        RHIB = "rhib", _("Rigid-hull inflatable boat (RHIB)")
        RCMP_PATROL = "rcmp_patrol", _("RCMP patrol vessel")

    owner = models.ForeignKey(Agency, verbose_name=_("owning agency"), on_delete=models.PROTECT,
                              related_name="vessels")
    vessel_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    name = models.CharField(_("name"), max_length=100)
    hull_number = models.CharField(_("hull number"), max_length=30, unique=True)
    home_port = models.CharField(_("home port"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["owner__acronym", "name"]
        verbose_name = _("vessel")
        verbose_name_plural = _("vessels")

    def __str__(self):
        return f"{self.name} ({self.hull_number}, {self.owner.acronym})"


class Patrol(models.Model):
    """An integrated patrol: a vessel of a site with a crew of both countries, for a planned window."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDERWAY = "underway", _("Underway")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="patrols")
    vessel = models.ForeignKey(Vessel, verbose_name=_("vessel"), on_delete=models.PROTECT, related_name="patrols")
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    # Grows with each change of the plan or its cancellation: the iCal SEQUENCE, so calendars take the new version.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-planned_start", "-id"]
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        indexes = [models.Index(fields=["site", "planned_start"]), models.Index(fields=["vessel", "planned_start"])]
        constraints = [models.CheckConstraint(condition=models.Q(planned_end__gt=models.F("planned_start")),
                                              name="patrol_ends_after_it_starts")]

    def __str__(self):
        from zoneinfo import ZoneInfo

        start = self.planned_start.astimezone(ZoneInfo(self.site.time_zone))
        return f"{self.site} — {self.vessel.name} — {start:%Y-%m-%d %H:%M %Z}"


class CrewMember(models.Model):
    """An officer on a patrol, in a role, relying on a ShipRider designation."""

    class Role(models.TextChoices):
        HOST_LEAD = "host_lead", _("Host lead")
        BOARDING_OFFICER = "boarding_officer", _("Boarding officer")
        COXSWAIN = "coxswain", _("Coxswain")
        CREW = "crew", pgettext_lazy("crew role", "Crew")

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="crew")
    officer = models.ForeignKey(Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    designation = models.ForeignKey(CrossDesignation, on_delete=models.PROTECT, related_name="crew_assignments")

    class Meta:
        ordering = ["role", "officer__last_name"]
        verbose_name = _("crew member")
        verbose_name_plural = _("crew members")
        constraints = [models.UniqueConstraint(fields=["patrol", "officer"], name="crew_officer_once_per_patrol")]

    def __str__(self):
        return f"{self.officer} — {self.get_role_display()}"


class WatersSegment(models.Model):
    """Part of a patrol in one country's waters, directed by that country's designated officer."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="waters")
    country = models.CharField(_("waters of"), max_length=2, choices=Country.choices)
    starts_at = models.DateTimeField(_("from"))
    directing_officer = models.ForeignKey(Officer, verbose_name=_("directing officer"), on_delete=models.PROTECT,
                                          related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("waters segment")
        verbose_name_plural = _("waters segments")

    def __str__(self):
        return f"{self.get_country_display()} {self.starts_at:%H:%M}"


class Activity(models.Model):
    """Something the patrol did: a boarding, a search-and-rescue assist, or another activity."""

    class Kind(models.TextChoices):
        BOARDING = "boarding", _("Boarding")
        SAR = "sar", _("Search-and-rescue assist")
        OTHER = "other", _("Other activity")

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("activity"), max_length=10, choices=Kind.choices, default=Kind.BOARDING)
    occurred_at = models.DateTimeField(_("when"))
    waters = models.CharField(_("waters of"), max_length=2, choices=Country.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    directing_officer = models.ForeignKey(Officer, verbose_name=_("directing officer"), on_delete=models.PROTECT,
                                          related_name="+")
    target_name = models.CharField(_("target vessel name"), max_length=100, blank=True)
    target_registration = models.CharField(_("registration or hull number"), max_length=50, blank=True)
    target_flag = models.CharField(_("flag"), max_length=50, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    results = models.ManyToManyField(EnforcementResult, blank=True, related_name="shiprider_activities")
    case = models.ForeignKey(JointCase, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M} {self.target_name}"


class RadioPlan(models.Model):
    """A patrol's Incident Radio Communications Plan (ICS 205)."""

    patrol = models.OneToOneField(Patrol, on_delete=models.CASCADE, related_name="radio_plan")
    incident_name = models.CharField(_("incident name"), max_length=200)
    period_from = models.DateTimeField(_("operational period from"))
    period_to = models.DateTimeField(_("operational period to"))
    special_instructions = models.TextField(_("special instructions"), blank=True)
    prepared_by = models.CharField(_("prepared by (communications unit leader)"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("radio communications plan (ICS 205)")
        verbose_name_plural = _("radio communications plans (ICS 205)")

    def __str__(self):
        return self.incident_name


class RadioChannel(models.Model):
    """One row of the ICS 205 channel table."""

    class Bandwidth(models.TextChoices):
        NARROW = "N", _("Narrow")
        WIDE = "W", _("Wide")

    class Mode(models.TextChoices):
        ANALOG = "A", _("Analog")
        DIGITAL = "D", _("Digital")
        MIXED = "M", _("Mixed")

    plan = models.ForeignKey(RadioPlan, on_delete=models.CASCADE, related_name="channels")
    order = models.PositiveSmallIntegerField(default=0)
    zone_group = models.CharField(_("zone/group"), max_length=30, blank=True)
    channel_number = models.CharField(_("channel number"), max_length=10)
    function = models.CharField(_("function"), max_length=50)
    channel_name = models.CharField(_("channel name/talkgroup"), max_length=50)
    assignment = models.CharField(_("assignment"), max_length=100, blank=True)
    rx_frequency = models.DecimalField(_("RX frequency (MHz)"), max_digits=9, decimal_places=5)
    rx_bandwidth = models.CharField(_("RX N/W"), max_length=1, choices=Bandwidth.choices)
    rx_tone = models.CharField(_("RX tone/NAC"), max_length=20, blank=True)
    tx_frequency = models.DecimalField(_("TX frequency (MHz)"), max_digits=9, decimal_places=5)
    tx_bandwidth = models.CharField(_("TX N/W"), max_length=1, choices=Bandwidth.choices)
    tx_tone = models.CharField(_("TX tone/NAC"), max_length=20, blank=True)
    mode = models.CharField(_("mode"), max_length=1, choices=Mode.choices)
    remarks = models.CharField(_("remarks"), max_length=200, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("radio channel")
        verbose_name_plural = _("radio channels")

    def __str__(self):
        return f"{self.channel_number} {self.channel_name}"


class CalendarFeed(models.Model):
    """An officer's personal key to the iCal feed of their sites' patrols (only its hash is stored)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shiprider_feed")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"feed of {self.user_id}"
