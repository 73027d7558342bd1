from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from partnerships import words
from partnerships.fields import CaseIdSetField


class Country(models.TextChoices):
    US = "US", _("United States")
    CA = "CA", _("Canada")


class Jurisdiction(models.TextChoices):
    """States and provinces along the border (and the capital regions of the federal partners)."""

    AK = "AK", _("Alaska")
    WA = "WA", _("Washington")
    ID = "ID", _("Idaho")
    MT = "MT", _("Montana")
    ND = "ND", _("North Dakota")
    MN = "MN", _("Minnesota")
    WI = "WI", _("Wisconsin")
    MI = "MI", _("Michigan")
    OH = "OH", _("Ohio")
    PA = "PA", _("Pennsylvania")
    NY = "NY", _("New York")
    VT = "VT", _("Vermont")
    NH = "NH", _("New Hampshire")
    ME = "ME", _("Maine")
    DC = "DC", _("District of Columbia")
    YT = "YT", _("Yukon")
    BC = "BC", _("British Columbia")
    AB = "AB", _("Alberta")
    SK = "SK", _("Saskatchewan")
    MB = "MB", _("Manitoba")
    ON = "ON", _("Ontario")
    QC = "QC", _("Quebec")
    NB = "NB", _("New Brunswick")


class Agency(models.Model):
    """A law enforcement or justice agency of either country; its officers share one auth group."""

    class Level(models.TextChoices):
        FEDERAL = "federal", _("Federal")
        STATE = "state", _("State")
        PROVINCIAL = "provincial", _("Provincial")
        MUNICIPAL = "municipal", _("Municipal")
        TRIBAL = "tribal", _("Tribal / First Nations")

    acronym = models.CharField(_("acronym"), max_length=20, unique=True)
    acronym_fr = models.CharField(_("French acronym"), max_length=20, blank=True,
                                  help_text=_("The agency's official French acronym (GRC for RCMP); blank if the "
                                              "same."))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent agency"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, choices=Jurisdiction.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="agency", editable=False)
    deconfliction_contact = models.CharField(_("deconfliction contact"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return f"{self.display_acronym} — {self.name}"

    def save(self, *args, **kwargs):
        # Every agency owns exactly one auth group: case sharing is stored on it.
        if not self.group_id:
            self.group, _created = Group.objects.get_or_create(name=f"agency:{self.acronym}")
        super().save(*args, **kwargs)

    @property
    def name(self):
        return self.name_fr if (get_language() or "en").startswith("fr") else self.name_en

    @property
    def display_acronym(self):
        """The acronym people read in the active language (GRC in French, RCMP in English); `acronym` stays the key
        of URLs, filters, the API and CSV columns."""
        return self.acronym_fr if self.acronym_fr and (get_language() or "en").startswith("fr") else self.acronym


TIME_ZONE_CHOICES = [(tz, tz) for tz in sorted(available_timezones()) if tz.startswith(("America/", "UTC"))]


class Officer(models.Model):
    """A person working for one agency; a login is a User linked to an Officer."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        SUPERVISOR = "supervisor", _("Supervisor")
        AGENCY_ADMIN = "agency_admin", _("Agency administrator")

    class Language(models.TextChoices):
        EN = "en", _("English")
        FR = "fr", _("French")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("login"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="officer",
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="officers")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    rank = models.CharField(_("rank"), max_length=50, blank=True)
    badge_number = models.CharField(_("badge or employee number"), max_length=50)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    time_zone = models.CharField(_("time zone"), max_length=50, choices=TIME_ZONE_CHOICES, default="America/Toronto")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    is_cbcf_secretariat = models.BooleanField(_("CBCF secretariat"), default=False)
    is_duty_contact = models.BooleanField(
        _("duty contact"), default=False, help_text=_("Told when a case is shared with the agency.")
    )
    is_deconfliction_contact = models.BooleanField(
        _("deconfliction contact"), default=False,
        help_text=_("Named, with their phone, to other agencies when their work overlaps with this agency's."),
    )
    is_auditor = models.BooleanField(
        _("auditor"), default=False, help_text=_("May search the whole audit trail. Set by portal administrators.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency__acronym", "last_name", "first_name"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        constraints = [
            models.UniqueConstraint(fields=["agency", "badge_number"], name="officer_badge_unique_per_agency"),
        ]

    def __str__(self):
        rank = f"{self.rank} " if self.rank else ""
        return f"{rank}{self.first_name} {self.last_name} ({self.agency.acronym})"

    # Saving an officer puts their user in their agency's group (access.on_officer_saved, connected in
    # PartnershipsConfig.ready): group membership is how guardian and access.py know the user's agency.


class Program(models.TextChoices):
    SHIPRIDER = "shiprider", _("ShipRider")
    IBET = "ibet", _("IBET")
    BEST = "best", _("BEST")


class AccessLevel(models.TextChoices):
    """What an agency may do with a case it holds; each level includes the ones before it."""

    VIEW = "view", _("View")
    CONTRIBUTE = "contribute", _("Contribute")
    MANAGE = "manage", _("Manage")


class CaseReferenceCounter(models.Model):
    """The last number handed out per program and year, so that a reference is never reused."""

    program = models.CharField(max_length=20, choices=Program.choices)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "year"], name="case_reference_counter_unique")]

    def __str__(self):
        return f"{self.program}-{self.year}: {self.last_number}"


def _choice_label(choices, value):
    """The label of `value` among `choices` (a TextChoices), or the value itself when it is none of them."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class JointCase(models.Model):
    """A case run by a lead agency and shared, level by level, with partner agencies."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    class Releasability(models.TextChoices):
        CA_US = "ca_us", _("Canada and United States")
        CA_ONLY = "ca_only", _("Canada only")
        US_ONLY = "us_only", _("United States only")

    class HandlingCode(models.TextChoices):
        H0 = "H0", _("H0 — no restriction")
        H1 = "H1", _("H1 — not for use as evidence without the originator's permission")
        H2 = "H2", _("H2 — no onward sharing without the lead agency's approval")
        H3 = "H3", _("H3 — other restrictions apply")

    reference = models.CharField(_("reference"), max_length=30, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    program = models.CharField(_("program"), max_length=20, choices=Program.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    lead_agency = models.ForeignKey(
        Agency, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="led_cases"
    )
    releasability = models.CharField(
        _("releasability"), max_length=10, choices=Releasability.choices, default=Releasability.CA_US
    )
    handling_code = models.CharField(
        _("handling code"), max_length=2, choices=HandlingCode.choices, default=HandlingCode.H0
    )
    opened_at = models.DateField(_("opened on"), default=timezone.localdate)
    closed_at = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("joint case")
        verbose_name_plural = _("joint cases")
        permissions = [
            ("contribute_jointcase", "Can contribute to the joint case"),
            ("manage_jointcase", "Can manage the joint case"),
        ]
        indexes = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["-updated_at", "-id"]),
        ]

    def __str__(self):
        return f"{self.reference} — {self.title}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("partnerships:case_detail", kwargs={"reference": self.reference})

    # The labels by the choices' own lookup: Django's get_FOO_display rebuilds a dict of every choice per call, a
    # sixth of the case list page's rows (issue 20).
    def get_program_display(self):
        return _choice_label(Program, self.program)

    def get_status_display(self):
        return _choice_label(self.Status, self.status)

    def allows_country(self, country):
        """Whether releasability lets the case reach an agency of this country."""
        if self.releasability == self.Releasability.CA_ONLY:
            return country == Country.CA
        if self.releasability == self.Releasability.US_ONLY:
            return country == Country.US
        return True


class JointCaseGroupObjectPermission(GroupObjectPermissionBase):
    """A level granted on one case to one agency's group (guardian's direct foreign-key table)."""

    content_object = models.ForeignKey(JointCase, on_delete=models.CASCADE, related_name="grants")
    # The case's updated_at, program and status, copied by database triggers (migration 0007) whenever the
    # grant is made or the case changes; never written by the portal's code. With the index below, an
    # agency's most recently changed cases are the first entries of one index range (a page of its case list
    # reads 50 entries whatever the number of cases; access.cases_visible_to, docs/benchmarks.md). The copied
    # program and status are also what the agency's counts are kept by (GrantCount).
    case_updated_at = models.DateTimeField(null=True, editable=False)
    case_program = models.CharField(max_length=20, null=True, editable=False)
    case_status = models.CharField(max_length=10, null=True, editable=False)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
        # guardian's unique (group, permission, content_object) serves the per-case checks.
        indexes = [models.Index(fields=["group", "permission", "-case_updated_at", "-content_object"],
                                include=["case_program", "case_status"], name="grant_newest_cases")]


class JointCaseUserObjectPermission(UserObjectPermissionBase):
    """Guardian's per-user table for cases. The portal never grants to users, only to agencies."""

    content_object = models.ForeignKey(JointCase, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class GrantCount(models.Model):
    """A change to how many cases one agency's group holds at one level, by program and status. The agency's count
    is the sum of its rows (its dashboard's counts: access.visible_case_counts).

    Written only by PostgreSQL triggers on the grants (migration 0008), in the transaction that changes them: each
    statement adds one row per count it changes. Rows are only ever inserted, so no write waits for another or
    deadlocks on a count; a periodic task folds each count's rows into one (access.fold_case_counts), so that a
    count is a few rows to sum at any number of cases. Plain columns, not foreign keys: a count must not stand in
    the way of deleting a group. On SQLite (the embedded default) the table stays empty and the counts are read
    from the grants."""

    group_id = models.IntegerField()
    permission_id = models.IntegerField()
    program = models.CharField(max_length=20)
    status = models.CharField(max_length=10)
    n = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["group_id", "permission_id"], include=["program", "status", "n"],
                                name="grant_count_of_group")]

    def __str__(self):
        return f"group {self.group_id}, permission {self.permission_id}, {self.program} {self.status}: {self.n:+d}"


class Team(models.Model):
    """A ShipRider site, an IBET team or a BEST unit: a named group of member agencies."""

    class Kind(models.TextChoices):
        SHIPRIDER_SITE = "shiprider_site", _("ShipRider site")
        IBET_TEAM = "ibet_team", _("IBET team")
        BEST_UNIT = "best_unit", _("BEST unit")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    member_agencies = models.ManyToManyField(Agency, verbose_name=_("member agencies"), related_name="teams")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="team_unique_name_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"


class CrossDesignation(models.Model):
    """An officer's designation by the other country (ShipRider ICMLEO, Title 19 customs), valid
    between two dates while its status is active."""

    class Kind(models.TextChoices):
        SHIPRIDER = "shiprider", _("ShipRider (ICMLEO)")
        TITLE19 = "title19", _("Title 19 customs officer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        # a designation (une désignation) is feminine in French
        ACTIVE = "active", pgettext_lazy("designation status", "Active")
        SUSPENDED = "suspended", pgettext_lazy("designation status", "Suspended")
        REVOKED = "revoked", pgettext_lazy("designation status", "Revoked")
        EXPIRED = "expired", pgettext_lazy("designation status", "Expired")

    officer = models.ForeignKey(Officer, verbose_name=_("officer"), on_delete=models.PROTECT,
                                related_name="designations")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    designating_agency = models.ForeignKey(Agency, verbose_name=_("designating authority"), on_delete=models.PROTECT,
                                           related_name="designations_granted")
    training_course = models.CharField(_("training course"), max_length=200, blank=True)
    training_completed_on = models.DateField(_("training completed on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    status_reason = models.CharField(_("reason for the status"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    renews = models.OneToOneField("self", verbose_name=_("renews"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="renewal", help_text=_("The designation this one succeeds."))
    reminders_sent = models.JSONField(default=list, blank=True, editable=False)  # days before expiry already told
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["valid_to", "officer__last_name"]
        verbose_name = _("cross-designation")
        verbose_name_plural = _("cross-designations")
        indexes = [models.Index(fields=["status", "valid_to"])]
        constraints = [models.CheckConstraint(condition=models.Q(valid_to__gte=models.F("valid_from")),
                                              name="designation_ends_after_it_starts")]

    def __str__(self):
        return f"{self.officer} — {self.get_kind_display()} ({self.valid_from} – {self.valid_to})"

    # reasons the portal itself writes (stored as written, shown in the reader's language)
    EXPIRED_REASON = "valid_to passed"
    PORTAL_REASONS = {EXPIRED_REASON: _("its validity period has ended")}

    @property
    def country(self):
        return self.designating_agency.country

    @property
    def status_reason_display(self):
        """The reason for the status as people read it: the portal's own reasons in the reader's language."""
        return str(self.PORTAL_REASONS.get(self.status_reason, self.status_reason))

    def covers(self, start, end):
        """Active, and valid on every day from start to end (dates in the site's time zone)."""
        return self.status == self.Status.ACTIVE and self.valid_from <= start and end <= self.valid_to

    def in_force_on(self, day):
        """This designation or the renewal of it (following the renewals) that is active on `day`, or None."""
        designation = self
        while designation is not None and designation.valid_to < day:
            designation = CrossDesignation.objects.filter(renews=designation).first()
        return designation if designation is not None and designation.covers(day, day) else None


class Purpose(models.TextChoices):
    """The legal basis or purpose recorded with every sharing decision (28 CFR 23.20(g))."""

    SHIPRIDER_FRAMEWORK = "shiprider_framework", _("ShipRider Framework Agreement")
    IBET_MOU = "ibet_mou", _("IBET memorandum of understanding")
    BEST_AGREEMENT = "best_agreement", _("BEST agreement")
    MLAT_REQUEST = "mlat_request", _("Mutual legal assistance (MLAT) request")
    IMMINENT_THREAT = "imminent_threat", _("Imminent threat to life")
    OTHER = "other", _("Other")


class CaseRequest(models.Model):
    """A partner's request that only the lead agency may grant: onward sharing of an H2 case, or
    release of an H1 case for use in court."""

    class Kind(models.TextChoices):
        SHARE = "share", _("Onward sharing")
        COURT_RELEASE = "court_release", _("Release for use in court")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    case = models.ForeignKey(JointCase, on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requesting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    target_agency = models.ForeignKey(
        Agency, verbose_name=_("agency to share with"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.CharField(_("level"), max_length=12, choices=AccessLevel.choices, blank=True)
    purpose = models.CharField(_("purpose or legal basis"), max_length=30, choices=Purpose.choices)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case_id} ({self.status})"


class SharingDecision(models.Model):
    """A recorded decision to share a case with agencies (one, or a team's members), change their
    level, or revoke it: who, with whom, at which level, why and when."""

    class Action(models.TextChoices):
        SHARE = "share", _("Shared")
        CHANGE = "change", _("Level changed")
        REVOKE = "revoke", _("Revoked")

    case = models.ForeignKey(JointCase, on_delete=models.CASCADE, related_name="sharing_decisions")
    action = models.CharField(max_length=10, choices=Action.choices)
    agencies = models.ManyToManyField(Agency, related_name="+")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=12, choices=AccessLevel.choices, blank=True)
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    reason = models.TextField()
    request = models.ForeignKey(CaseRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_by_agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"{self.case_id} {self.action} {self.level}"


class Notification(models.Model):
    """An in-app notice to one user. Case details are rendered when read, from what the reader may see."""

    class Kind(models.TextChoices):
        CASE_SHARED = "case_shared", _("Case shared with your agency")
        CASE_REVOKED = "case_revoked", _("Access to a case revoked")
        REQUEST_FILED = "request_filed", _("Request awaiting your agency's decision")
        REQUEST_DECIDED = "request_decided", _("Your agency's request was decided")
        DESIGNATION_EXPIRING = "designation_expiring", _("A cross-designation expires soon")
        DESIGNATION_EXPIRED = "designation_expired", _("A cross-designation expired")
        PATROL_AT_RISK = "patrol_at_risk", _("A planned patrol lost a designated officer")
        PATROL_CHANGED = "patrol_changed", _("A patrol you are on or your agency takes part in was changed")
        PATROL_CANCELLED = "patrol_cancelled", _("A patrol you are on or your agency takes part in was cancelled")
        MEETING_OVERDUE = "meeting_overdue", _("A Joint Management Team meeting is overdue")
        REPORT_REVIEW_DUE = "report_review_due", _("An intelligence report is due for review")
        MLAT_STALLED = "mlat_stalled", _("A mutual legal assistance request has had no news for 90 days")
        ACTION_DUE = "action_due", _("A forum action item is due")
        AGENDA_CHANGED = "agenda_changed", _("A forum meeting's agenda was circulated or made final")
        DECONFLICTION_HIT = "deconfliction_hit", _("Possible overlap with another agency's work")
        DECONFLICTION_LIMIT = "deconfliction_limit", _("An officer reached the limit of deconfliction checks")
        WEBHOOK_DISABLED = "webhook_disabled", _("A webhook endpoint of your agency was disabled")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    case = models.ForeignKey(JointCase, null=True, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(CaseRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(SharingDecision, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    designation = models.ForeignKey(CrossDesignation, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+")
    detail = models.JSONField(default=dict, blank=True)  # what a non-case notice needs to say (no case data)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            # One notice per recipient per event: a retried task does not notify twice.
            models.UniqueConstraint(fields=["recipient", "kind", "decision"], name="notification_once_per_decision"),
            models.UniqueConstraint(fields=["recipient", "kind", "request"], name="notification_once_per_request"),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"


class AuditEvent(models.Model):
    """One append-only, hash-chained line of who did or saw what, when, from where, through which
    door and with what outcome. Never holds a password, token or secret."""

    class Door(models.TextChoices):
        PAGE = "page", _("Page")
        API = "api", _("API")
        EXPORT = "export", _("Export")
        PRINT = "print", _("Print")
        TASK = "task", _("Background task")
        ADMIN = "admin", _("Administration")
        COMMAND = "command", _("Command")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        DENIED = "denied", _("Denied")
        FAILURE = "failure", _("Failure")

    class Action(models.TextChoices):
        SIGN_IN = "auth.sign_in", _("Signed in")
        SIGN_IN_FAILED = "auth.sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "auth.sign_out", _("Signed out")
        CASE_VIEW = "case.view", _("Case read")
        CASE_LIST = "case.list", _("Case list or search")
        CASE_EXPORT = "case.export", _("Cases exported")
        CASE_PRINT = "case.print", _("Case printed")
        CASE_CREATE = "case.create", _("Case opened")
        CASE_UPDATE = "case.update", _("Case changed")
        CASE_CLOSE = "case.close", _("Case closed")
        CASE_SHARE = "case.share", _("Case shared")
        CASE_UNSHARE = "case.unshare", _("Share revoked")
        CASE_DENIED = "case.denied", _("Access denied")
        REQUEST_FILE = "request.file", _("Request filed")
        REQUEST_DECIDE = "request.decide", _("Request decided")
        NOTIFY = "case.notify", _("Notification sent")
        ACCESS_LOG_READ = "audit.read", _("Audit trail read")
        OFFICER_INVITE = "officer.invite", _("Officer invited")
        OFFICER_UPDATE = "officer.update", _("Officer changed")
        OFFICER_DEACTIVATE = "officer.deactivate", _("Officer deactivated")
        OFFICER_REACTIVATE = "officer.reactivate", _("Officer reactivated")
        DESIGNATION_CHANGE = "designation.change", _("Cross-designation granted or changed")
        PATROL_CHANGE = "patrol.change", _("Patrol scheduled or changed")
        TEAM_RECORD = "team.record", _("Team record written")
        TEAM_VIEW = "team.view", _("Team record read")
        TEAM_LIST = "team.list", _("Team records listed")
        SUBJECT_ADD = "subject.add", _("Subject added to a case")
        CASE_RECORD = "case.record", _("Case record written")
        FORUM_RECORD = "forum.record", _("Forum record written")
        ADMIN_ACTION = "admin.action", _("Administration action")
        TOKEN_ISSUE = "token.issue", _("API token issued")
        TOKEN_REVOKE = "token.revoke", _("API token revoked")
        MFA_ENROL = "auth.mfa_enrol", _("Second factor enrolled")
        MFA_VERIFY = "auth.mfa_verify", _("Second factor verified")
        MFA_FAILED = "auth.mfa_failed", _("Second factor refused")
        MFA_RESET = "auth.mfa_reset", _("Second factor reset")
        ACCOUNT_LOCK = "auth.lock", _("Account locked")
        ACCOUNT_UNLOCK = "auth.unlock", _("Account unlocked")
        SESSION_EXPIRE = "auth.session_expire", _("Session ended by the time limits")
        OFFICER_DEACTIVATE_INACTIVE = "officer.inactive", _("Officer deactivated after 90 days without use")
        DOCUMENT_UPLOAD = "document.upload", _("Document attached")
        DOCUMENT_DOWNLOAD = "document.download", _("Document downloaded")
        DOCUMENT_REFUSED = "document.refused", _("Document refused")
        DECONFLICTION_CHECK = "deconfliction.check", _("Deconfliction check")
        DECONFLICTION_HIT = "deconfliction.hit", _("Deconfliction hit found")
        DECONFLICTION_CLOSE = "deconfliction.close", _("Deconfliction hit acknowledged or closed")
        EVENT_PLAN = "deconfliction.event", _("Operation planned for deconfliction")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(max_length=150, blank=True)
    # No index of its own on agency or case: the (agency, -at) and (case, -at) indexes serve those lookups, and an
    # index fewer is less work for every record written.
    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    action = models.CharField(max_length=30, choices=Action.choices)
    door = models.CharField(max_length=10, choices=Door.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    object_type = models.CharField(max_length=50, blank=True)
    object_ref = models.CharField(max_length=100, blank=True)
    case = models.ForeignKey(JointCase, null=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    # The ids of the cases a list, search or export showed, in the record itself (so the seal's hash covers
    # them) and found by "who saw my case" through an index (a GIN index on PostgreSQL, migration 0009).
    returned = CaseIdSetField(default=list, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["case", "-at"]),
            models.Index(fields=["agency", "-at"]),
            models.Index(fields=["object_ref"]),
        ]

    def __str__(self):
        return f"#{self.pk} {self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_ref}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


class AuditSeal(models.Model):
    """A record's place in the hash chain, written by the sealer just after the record is committed.

    Requests only insert records and never wait on one another; the sealer (one at a time) chains the
    committed ones in order: `hash` covers the record's content and the hash at the position before."""

    position = models.BigIntegerField(primary_key=True)
    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="seal")
    previous_hash = models.CharField(max_length=64, unique=True)  # two seals never chain off one
    hash = models.CharField(max_length=64, unique=True)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return f"seal {self.position} of record #{self.event_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Audit seals are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit seals are append-only.")


class EnforcementResult(models.Model):
    """An arrest or seizure, recorded once and counted by every partnership (and by the case it feeds)."""

    class Kind(models.TextChoices):
        ARREST = "arrest", _("Arrest")
        SEIZURE = "seizure", _("Seizure")

    class Category(models.TextChoices):
        PERSONS = "persons", _("Persons")
        DRUGS = "drugs", _("Drugs")
        FIREARMS = "firearms", _("Firearms")
        CURRENCY = "currency", _("Currency")
        TOBACCO = "tobacco", _("Tobacco")
        VEHICLE = "vehicle", _("Vehicle")
        VESSEL = "vessel", _("Vessel")
        OTHER = "other", _("Other")

    class Unit(models.TextChoices):
        COUNT = "count", _("count")
        KG = "kg", _("kg")
        CAD = "CAD", _("CAD")
        USD = "USD", _("USD")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=5, choices=Unit.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("when"))
    case = models.ForeignKey(JointCase, null=True, blank=True, on_delete=models.PROTECT, related_name="results")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("enforcement result")
        verbose_name_plural = _("enforcement results")
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="result_quantity_positive")]

    def __str__(self):
        return f"{self.get_kind_display()}: {words.measure(self.quantity, self.unit)} — {self.get_category_display()}"


class Subject(models.Model):
    """A person, organization, vessel, vehicle, phone number, email address or place attached to a case."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANIZATION = "organization", _("Organization")
        VESSEL = "vessel", _("Vessel")
        VEHICLE = "vehicle", _("Vehicle")
        PHONE = "phone", _("Phone number")
        EMAIL = "email", _("Email address")
        PLACE = "place", _("Place")

    case = models.ForeignKey(JointCase, on_delete=models.PROTECT, related_name="subjects")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    name = models.CharField(_("name, number or address"), max_length=200)
    aliases = models.CharField(_("aliases (comma-separated)"), max_length=500, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    registration = models.CharField(_("registration, hull number or plate"), max_length=50, blank=True)
    jurisdiction = models.CharField(_("flag or jurisdiction"), max_length=50, blank=True)
    vin = models.CharField(_("VIN"), max_length=17, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"


class SubjectKey(models.Model):
    """A normalized matching key of a subject (its name, each alias, plate, VIN, phone in E.164...)."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="keys")
    kind = models.CharField(max_length=15)
    key = models.CharField(max_length=200, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "key"])]
        constraints = [models.UniqueConstraint(fields=["subject", "kind", "key"], name="subject_key_unique")]

    def __str__(self):
        return f"{self.kind}:{self.key}"


class ApiToken(models.Model):
    """A key for an agency system. Stored as a SHA-256 hash; sees exactly what its user sees."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("key starts with"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    read_only = models.BooleanField(_("read-only"), default=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user_id})"

    @property
    def is_usable(self):
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StoredFile(models.Model):
    """A file kept by partnerships/attachments.py: checked, stored under a random name, never by its own."""

    # What each accepted type is called (partnerships/attachments.py decides which types are accepted).
    TYPE_LABELS = {
        "application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG",
        DOCX: _("Word (DOCX)"), XLSX: _("Excel (XLSX)"), "text/plain": _("Text"), "text/csv": "CSV",
    }

    original_name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("attached by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_by_agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                                           related_name="+")
    created_at = models.DateTimeField(_("attached on"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.original_name

    @property
    def type_label(self):
        return self.TYPE_LABELS.get(self.content_type, self.content_type)


class CaseDocument(StoredFile):
    """A file attached to a joint case; seen exactly by those who see the case."""

    case = models.ForeignKey(JointCase, on_delete=models.PROTECT, related_name="documents")
    # The text of a PDF or text file, read after upload by a task (services.document_text_extract) for the search;
    # empty for images and office files. At most TEXT_MAX_LENGTH characters.
    text = models.TextField(_("text"), blank=True, editable=False)
    text_extracted_at = models.DateTimeField(null=True, blank=True, editable=False)

    TEXT_MAX_LENGTH = 200_000

    class Meta(StoredFile.Meta):
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")

    @property
    def download_url(self):
        from django.urls import reverse

        return reverse("partnerships:case_document_download", kwargs={"reference": self.case.reference, "pk": self.pk})


class SearchTerm(models.Model):
    """A term of the search index (a stem of some record's text), for typo-tolerant search (partnerships/search.py).

    Written by a PostgreSQL trigger on every searchable table, only ever inserted (a term may be kept twice); read
    through a trigram index to find the terms like a query word. Never shown to anyone: it only widens a query,
    whose matches are then filtered by what the reader may see."""

    term = models.CharField(max_length=60, db_index=True)

    def __str__(self):
        return self.term
