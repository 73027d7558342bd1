from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agency, Country, JointCase, Officer, Program, StoredFile


def reading_french():
    return (get_language() or "en").startswith("fr")


def in_language(english, french):
    """The reader's language version of a text held in both; the other one when the reader's is missing."""
    if reading_french():
        return french or english
    return english or french


class Marking(models.TextChoices):
    """The security marking of a meeting's most sensitive content, printed on every page of its briefing book."""

    UNCLASSIFIED = "unclassified", _("UNCLASSIFIED")
    PROTECTED_A = "protected_a", _("PROTECTED A")
    PROTECTED_B = "protected_b", _("PROTECTED B")


class Subgroup(models.Model):
    """A CBCF subgroup, co-chaired by one Canadian and one American."""

    name_en = models.CharField(_("name (English)"), max_length=150, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=150)
    canadian_co_chair = models.ForeignKey(Officer, verbose_name=_("Canadian co-chair"), on_delete=models.PROTECT,
                                          related_name="+")
    american_co_chair = models.ForeignKey(Officer, verbose_name=_("American co-chair"), on_delete=models.PROTECT,
                                          related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("subgroup")
        verbose_name_plural = _("subgroups")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_language(self.name_en, self.name_fr)


class Meeting(models.Model):
    """A forum meeting: ministerial, senior officials or a subgroup's, with its agenda."""

    class Level(models.TextChoices):
        MINISTERIAL = "ministerial", _("Ministerial")
        SENIOR = "senior", _("Senior officials")
        SUBGROUP = "subgroup", _("Subgroup")

    class AgendaState(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated")
        FINAL = "final", _("Final")

    # `title` is the English title (the API's `title` since the first version); `title_fr` the French one. Either
    # may be missing: the reader's language version is shown, else the other one, marked (templatetags/bilingual).
    title = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    subgroup = models.ForeignKey(Subgroup, verbose_name=_("subgroup"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200)
    host_country = models.CharField(_("host country"), max_length=2, choices=Country.choices)
    time_zone = models.CharField(_("time zone"), max_length=50, default="America/Toronto")
    agenda_state = models.CharField(_("agenda"), max_length=12, choices=AgendaState.choices,
                                    default=AgendaState.DRAFT)
    agenda_version = models.PositiveIntegerField(_("agenda version"), default=1)
    # The iCalendar SEQUENCE: grows each time participants are told of a change (edit, circulation, final).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    breaks = models.JSONField(default=list, blank=True)  # [{"after": order, "minutes": n, "label": ...}]
    marking = models.CharField(_("security marking"), max_length=12, choices=Marking.choices,
                               default=Marking.UNCLASSIFIED,
                               help_text=_("The marking of the most sensitive content of its briefing book."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return self.title_shown

    @property
    def title_shown(self):
        return in_language(self.title, self.title_fr)


class Participant(models.Model):
    """Someone invited to a meeting: a principal, a recorded delegate, or a member; and whether they came."""

    class Role(models.TextChoices):
        PRINCIPAL = "principal", _("Principal")
        DELEGATE = "delegate", _("Delegate")
        MEMBER = "member", _("Member")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    officer = models.ForeignKey(Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    # Whom a delegate stands in for, a person or a role the secretariat types ("Deputy Commissioner, Federal
    # Policing"), often not a user of the portal: held in both languages like the other forum texts. `delegate_for`
    # is the English one (the API's `delegate_for` since the first version).
    delegate_for = models.CharField(_("stands in for (English)"), max_length=150, blank=True)
    delegate_for_fr = models.CharField(_("stands in for (French)"), max_length=150, blank=True)
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "officer"], name="participant_once")]

    def __str__(self):
        return f"{self.officer} @ {self.meeting}"

    @property
    def delegate_for_shown(self):
        return in_language(self.delegate_for, self.delegate_for_fr)


class Initiative(models.Model):
    """A commitment the forum tracks, in both languages, with its status and progress."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        LATE = "late", _("Late")
        DONE = "done", _("Done")

    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    text_en = models.TextField(_("text (English)"))
    text_fr = models.TextField(_("text (French)"))
    owners = models.ManyToManyField(Agency, verbose_name=_("owner agencies"), related_name="+")
    partnership = models.CharField(_("linked partnership"), max_length=20, blank=True, choices=Program.choices)
    target_date = models.DateField(_("target date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ON_TRACK)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["target_date"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self):
        return self.title

    @property
    def title(self):
        return in_language(self.title_en, self.title_fr)


class InitiativeUpdate(models.Model):
    """A dated progress update of an initiative."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("on"))
    status = models.CharField(_("status"), max_length=10, choices=Initiative.Status.choices)
    note = models.TextField(_("note"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.initiative} {self.on}"


class AgendaItem(models.Model):
    """An item proposed for a meeting's agenda, then accepted, deferred or declined by the secretariat."""

    class Purpose(models.TextChoices):
        DECISION = "decision", _("Decision")
        DISCUSSION = "discussion", _("Discussion")
        INFORMATION = "information", _("Information")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        # an agenda item (un point) is masculine in French
        ACCEPTED = "accepted", pgettext_lazy("agenda item status", "Accepted")
        DEFERRED = "deferred", pgettext_lazy("agenda item status", "Deferred")
        DECLINED = "declined", _("Declined")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    proposing_agency = models.ForeignKey(Agency, verbose_name=_("proposed by"), on_delete=models.PROTECT,
                                         related_name="+")
    subgroup = models.ForeignKey(Subgroup, verbose_name=_("on behalf of subgroup"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    # Every text in both languages, either may be missing (never both of a title or summary: services).
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    # The briefing note of the item in the book: its background, the issue, the recommendation or decision sought.
    context_en = models.TextField(_("background (English)"), blank=True)
    context_fr = models.TextField(_("background (French)"), blank=True)
    issue_en = models.TextField(_("issue (English)"), blank=True)
    issue_fr = models.TextField(_("issue (French)"), blank=True)
    recommendation_en = models.TextField(_("recommendation or decision sought (English)"), blank=True)
    recommendation_fr = models.TextField(_("recommendation or decision sought (French)"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    presenter = models.CharField(_("presenter"), max_length=150)
    minutes = models.PositiveIntegerField(_("minutes needed"))
    background = models.TextField(_("background documents (English)"), blank=True)
    background_fr = models.TextField(_("background documents (French)"), blank=True)
    background_handling = models.CharField(_("handling code of the background"), max_length=2,
                                           choices=JointCase.HandlingCode.choices, default="H0")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)
    decision = models.TextField(_("decision recorded"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    carried_from = models.OneToOneField("self", verbose_name=_("brought from"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="carried_to",
                                        help_text=_("The deferred item of an earlier meeting this one continues."))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title

    @property
    def title(self):
        return in_language(self.title_en, self.title_fr)

    @property
    def summary(self):
        return in_language(self.summary_en, self.summary_fr)

    @property
    def context(self):
        return in_language(self.context_en, self.context_fr)

    @property
    def issue(self):
        return in_language(self.issue_en, self.issue_fr)

    @property
    def recommendation(self):
        return in_language(self.recommendation_en, self.recommendation_fr)


class BackgroundPaper(StoredFile):
    """A background paper attached to an agenda item; seen by those who see the meeting."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="papers")
    # What the paper is, in both languages (either may be missing); its file keeps the name it was sent with.
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)

    class Meta(StoredFile.Meta):
        verbose_name = _("background paper")
        verbose_name_plural = _("background papers")

    @property
    def title(self):
        """The reader's language title, else the other one, else the file's name."""
        return in_language(self.title_en, self.title_fr) or self.original_name

    @property
    def download_url(self):
        from django.urls import reverse

        return reverse("cbcf:paper_download", args=[self.pk])


class AgendaVersion(models.Model):
    """An agenda as it was circulated or made final: kept as it was, with what changed since the last."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=12, choices=Meeting.AgendaState.choices)
    items = models.JSONField()  # [{"id", "title_en", "title_fr", "purpose", "presenter", "minutes", "start"}]
    changes = models.JSONField(default=list)  # vs the previous final version
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number", "state"], name="agenda_version_once")]

    def __str__(self):
        return f"{self.meeting} v{self.number} {self.state}"


class ActionItem(models.Model):
    """Something a meeting asked an agency to do, by a date; carried to the next meetings until done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    text = models.TextField(_("action (English)"), blank=True)  # the API's `text` since the first version
    text_fr = models.TextField(_("action (French)"), blank=True)
    owner = models.ForeignKey(Agency, verbose_name=_("owner agency"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    case = models.ForeignKey(JointCase, verbose_name=_("joint case"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    reminders_sent = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self):
        return self.text_shown[:80]

    @property
    def text_shown(self):
        return in_language(self.text, self.text_fr)


class BriefingBook(models.Model):
    """A meeting's briefing book in one language, built from one agenda version."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="books")
    agenda_version = models.PositiveIntegerField()
    language = models.CharField(max_length=2, choices=[("en", "English"), ("fr", "Français")])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BUILDING)
    html = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.meeting} v{self.agenda_version} {self.language}"


class CalendarKey(models.Model):
    """A participant's personal key to the iCal feed of their meetings (only its hash is kept)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cbcf_calendar")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"cbcf feed of {self.user_id}"
