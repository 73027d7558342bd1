from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnerships.models import Country, CrossDesignation, EnforcementResult, JointCase, Officer, Subject, Team


class Unit(models.Model):
    """A BEST unit: a partnerships team (its member agencies), led by an HSI office; planned until it works."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("BEST unit", "Planned")
        ACTIVE = "active", pgettext_lazy("BEST unit", "Active")

    team = models.OneToOneField(Team, on_delete=models.PROTECT, related_name="best_unit",
                                limit_choices_to={"kind": Team.Kind.BEST_UNIT})
    hsi_office = models.CharField(_("leading HSI office"), max_length=100)
    area_of_responsibility = models.CharField(_("area of responsibility"), max_length=300)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    ibet_in_area = models.BooleanField(_("an IBET works the same area"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team__name"]
        verbose_name = _("BEST unit")
        verbose_name_plural = _("BEST units")

    def __str__(self):
        return self.team.name

    @property
    def name(self):
        return self.team.name


class Membership(models.Model):
    """An officer's place on a unit; a task force officer serves under a Title 19 designation."""

    class Role(models.TextChoices):
        SPECIAL_AGENT = "special_agent", _("HSI special agent")
        TASK_FORCE_OFFICER = "task_force_officer", _("Task force officer")
        GROUP_SUPERVISOR = "group_supervisor", _("Group supervisor")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    officer = models.ForeignKey(Officer, verbose_name=_("officer"), on_delete=models.PROTECT,
                                related_name="best_memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    designation = models.ForeignKey(CrossDesignation, verbose_name=_("Title 19 designation"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "officer__last_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.officer} — {self.get_role_display()}"


class Investigation(models.Model):
    """The BEST side of a joint case: its unit, priorities, foreign nexus and lifecycle."""

    class Priority(models.TextChoices):
        NATIONAL_SECURITY = "national_security", _("National security")
        HUMAN_SMUGGLING = "human_smuggling", _("Human smuggling")
        HUMAN_TRAFFICKING = "human_trafficking", _("Human trafficking")
        CONTRABAND = "contraband", _("Contraband")
        MONEY_LAUNDERING = "money_laundering", _("Money laundering")
        BULK_CASH = "bulk_cash", _("Bulk cash")
        GANGS = "gangs", _("Transnational gangs")
        FIREARMS = "firearms", _("Firearms")
        NARCOTICS = "narcotics", _("Narcotics")

    class Stage(models.TextChoices):
        INITIATED = "initiated", _("Initiated")
        # an investigation (une enquête) is feminine in French
        ACTIVE = "active", pgettext_lazy("investigation stage", "Active")
        DISRUPTED = "disrupted", _("Disrupted")
        DISMANTLED = "dismantled", _("Dismantled")
        CLOSED = "closed", pgettext_lazy("investigation stage", "Closed")

    case = models.OneToOneField(JointCase, on_delete=models.PROTECT, related_name="best_investigation")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="investigations")
    priorities = models.JSONField(_("priority categories"), default=list)
    foreign_nexus = models.TextField(_("foreign nexus"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.INITIATED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("BEST investigation")
        verbose_name_plural = _("BEST investigations")

    def __str__(self):
        return str(self.case)


class StageChange(models.Model):
    """A step of an investigation's lifecycle: when, who decided, why."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=12, choices=Investigation.Stage.choices)
    on = models.DateField(_("on"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.stage} {self.on}"


class TargetOrganization(models.Model):
    """A criminal organization an investigation targets."""

    class Kind(models.TextChoices):
        CARTEL = "cartel", _("Cartel or drug trafficking organization")
        GANG = "gang", _("Gang")
        SMUGGLING = "smuggling", _("Smuggling network")
        LAUNDERING = "laundering", _("Money laundering network")
        OTHER = "other", _("Other")

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("name"), max_length=200)
    aliases = models.CharField(_("aliases"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    linked = models.ManyToManyField("self", verbose_name=_("linked organizations"), blank=True, symmetrical=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("target organization")
        verbose_name_plural = _("target organizations")

    def __str__(self):
        return self.name


class OrganizationMember(models.Model):
    """A known member of a target organization: a person subject of the case, with a role."""

    organization = models.ForeignKey(TargetOrganization, on_delete=models.CASCADE, related_name="members")
    subject = models.ForeignKey(Subject, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "subject"], name="member_once")]

    def __str__(self):
        return f"{self.subject.name} ({self.role})"


class Arrest(models.Model):
    """An arrest in an investigation, by a member of the unit."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="arrests")
    subject = models.ForeignKey(Subject, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    arrested_on = models.DateField(_("arrested on"))
    charging_country = models.CharField(_("charging country"), max_length=2, choices=Country.choices)
    nationality = models.CharField(_("nationality"), max_length=50)
    result = models.OneToOneField(EnforcementResult, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["arrested_on", "id"]

    def __str__(self):
        return f"{self.subject.name} {self.arrested_on}"


class Charge(models.Model):
    """An indictment or charge against a person of the investigation."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="charges")
    subject = models.ForeignKey(Subject, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    court = models.CharField(_("court"), max_length=200)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=100)
    charged_on = models.DateField(_("charged or indicted on"))
    counts = models.PositiveIntegerField(_("counts"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["charged_on", "id"]

    def __str__(self):
        return f"{self.subject.name} {self.charged_on}"


class Conviction(models.Model):
    """A conviction; it rests on an earlier charge against the same person in the same investigation."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="convictions")
    subject = models.ForeignKey(Subject, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="convictions")
    court = models.CharField(_("court"), max_length=200)
    convicted_on = models.DateField(_("convicted on"))
    sentence = models.CharField(_("sentence"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["convicted_on", "id"]

    def __str__(self):
        return f"{self.subject.name} {self.convicted_on}"


class Referral(models.Model):
    """A referral to prosecutors: a US Attorney's Office or the Public Prosecution Service of Canada."""

    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="referrals")
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    office = models.CharField(_("prosecution office"), max_length=200)
    referred_on = models.DateField(_("referred on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REFERRED)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["referred_on", "id"]

    def __str__(self):
        return f"{self.office} {self.referred_on}"


class MlatRequest(models.Model):
    """A mutual legal assistance request between the central authorities (US DOJ OIA, Canada's IAG)."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        EXECUTED = "executed", _("Executed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="mlat_requests")
    requesting_country = models.CharField(_("requesting country"), max_length=2, choices=Country.choices)
    asked = models.TextField(_("what is asked"))
    sent_on = models.DateField(_("sent on"))
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SENT)
    last_news_on = models.DateField(_("last news on"))
    reminded_on = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self):
        return f"{self.requesting_country} {self.sent_on}"

    @property
    def requested_country(self):
        return Country.US if self.requesting_country == Country.CA else Country.CA

    def get_requested_country_display(self):
        return Country(self.requested_country).label
