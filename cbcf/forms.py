"""Validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cbcf.models import ActionItem, AgendaItem, Initiative, Marking, Meeting, Participant, Subgroup
from partnerships.forms import (
    AttachmentForm,
    DateField,
    DateInput,
    DateTimeField,
    DateTimeLocalInput,
    in_range_formfield,
)
from partnerships.models import TIME_ZONE_CHOICES, Agency, Officer


class SubgroupForm(forms.ModelForm):
    class Meta:
        model = Subgroup
        fields = ["name_en", "name_fr", "canadian_co_chair", "american_co_chair"]


class Bilingual:
    """Texts held in both languages: one of each pair at least (the reader of the other sees it, marked)."""

    pairs = ()

    def clean(self):
        cleaned = super().clean()
        for english, french, message in self.pairs:
            if english in cleaned and french in cleaned and not (cleaned[english] or "").strip() \
                    and not (cleaned[french] or "").strip():
                self.add_error(english, message)
        return cleaned


TITLE_PAIR = ("title", "title_fr", _("Give the title in English or in French (or both)."))


class MeetingForm(Bilingual, forms.Form):
    pairs = (TITLE_PAIR,)

    title = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200, required=False)

    field_order = ["title_en", "title_fr", "file"]
    marking = forms.ChoiceField(label=_("Security marking"), choices=Marking.choices, initial=Marking.UNCLASSIFIED,
                                required=False,
                                help_text=_("The marking of the most sensitive content of its briefing book."))
    level = forms.ChoiceField(label=_("Level"), choices=Meeting.Level.choices)
    subgroup = forms.ModelChoiceField(label=_("Subgroup"), queryset=Subgroup.objects.all(), required=False,
                                      empty_label="—")
    starts_at = DateTimeField(label=_("Starts at (local time of the place)"), widget=DateTimeLocalInput(),
                              input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("Place"), max_length=200)
    time_zone = forms.ChoiceField(label=_("Time zone of the place"), choices=TIME_ZONE_CHOICES,
                                  initial="America/Toronto")
    host_country = forms.ChoiceField(label=_("Host country"), choices=Meeting._meta.get_field("host_country").choices)
    participants = forms.ModelMultipleChoiceField(label=_("Invited (principals, delegates, members)"),
                                                  queryset=Officer.objects.filter(is_active=True).select_related(
                                                      "agency"), widget=forms.SelectMultiple(attrs={"size": 8}))


class MeetingEditForm(Bilingual, forms.Form):
    pairs = (TITLE_PAIR,)

    title = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200, required=False)

    field_order = ["title_en", "title_fr", "file"]
    marking = forms.ChoiceField(label=_("Security marking"), choices=Marking.choices, required=False,
                                help_text=_("The marking of the most sensitive content of its briefing book."))
    place = forms.CharField(label=_("Place"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Meeting.Level.choices)
    subgroup = forms.ModelChoiceField(label=_("Subgroup"), queryset=Subgroup.objects.all(), required=False,
                                      empty_label="—", help_text=_("For a subgroup's meeting."))


class CarryForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Later meeting"), queryset=Meeting.objects.none(), empty_label="—",
                                     error_messages={"invalid_choice": _("Choose a later meeting of the same "
                                                                         "series.")})

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class ItemForm(Bilingual, forms.ModelForm):
    """The proposal and its briefing note, each text in English and French (one of a title or summary at least)."""

    pairs = (("title_en", "title_fr", _("Give the title in English or in French (or both).")),
             ("summary_en", "summary_fr", _("Give the summary in English or in French (or both).")))

    class Meta:
        model = AgendaItem
        fields = ["title_en", "title_fr", "summary_en", "summary_fr", "purpose", "presenter", "minutes",
                  "context_en", "context_fr", "issue_en", "issue_fr", "recommendation_en", "recommendation_fr",
                  "background", "background_fr", "background_handling", "subgroup"]
        widgets = {**{name: forms.Textarea(attrs={"rows": 3}) for name in (
            "summary_en", "summary_fr", "context_en", "context_fr", "issue_en", "issue_fr", "recommendation_en",
            "recommendation_fr")}, "background": forms.Textarea(attrs={"rows": 2}),
                   "background_fr": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"recommendation_en": _("Required for an item for decision (in one language at least)."),
                      "background": _("Papers and references; attach the files under Background papers.")}


class DecideForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"), choices=[
        (AgendaItem.Status.ACCEPTED, _("Accept")), (AgendaItem.Status.DEFERRED, _("Defer")),
        (AgendaItem.Status.DECLINED, _("Decline"))])
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class TimingForm(forms.Form):
    starts_at = DateTimeField(label=_("Starts at (local time of the place)"), widget=DateTimeLocalInput(),
                              input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    breaks = forms.CharField(label=_("Breaks"), required=False, help_text=_(
        "One per line: the item number it follows and its minutes, e.g. 2:15"), widget=forms.Textarea(
        attrs={"rows": 2}))

    def clean_breaks(self):
        breaks = []
        for number, line in enumerate(self.cleaned_data["breaks"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                after, minutes = (int(part) for part in line.split(":"))
                if after < 1 or not 1 <= minutes <= 240:
                    raise ValueError
            except ValueError as error:
                raise forms.ValidationError(_("Line %(line)s is not like 2:15.") % {"line": number}) from error
            breaks.append({"after": after, "minutes": minutes})
        return breaks


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(Bilingual, forms.Form):
    pairs = (("text", "text_fr", _("Give the action in English or in French (or both).")),)

    text = forms.CharField(label=_("Action (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    text_fr = forms.CharField(label=_("Action (French)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner = forms.ModelChoiceField(label=_("Owner agency"), queryset=Agency.objects.filter(is_active=True),
                                   to_field_name="acronym", empty_label="—")
    due_on = DateField(label=_("Due on"), widget=DateInput())
    case = forms.ModelChoiceField(label=_("Joint case (optional)"), queryset=None, required=False, empty_label="—",
                                  to_field_name="reference")

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["title_en", "title_fr", "text_en", "text_fr", "owners", "partnership", "target_date", "status"]
        formfield_callback = in_range_formfield
        widgets = {"target_date": DateInput(), "text_en": forms.Textarea(attrs={"rows": 3}),
                   "text_fr": forms.Textarea(attrs={"rows": 3})}


class InitiativeUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Initiative.Status.choices)
    note = forms.CharField(label=_("Progress"), max_length=1000)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class ParticipantForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=Officer.objects.filter(is_active=True)
                                     .select_related("agency"), empty_label="—")
    role = forms.ChoiceField(label=_("Role"), choices=Participant.Role.choices)
    delegate_for = forms.CharField(label=_("Stands in for (English)"), max_length=150, required=False,
                                   help_text=_("For a delegate: the person or role they replace, in English, French "
                                               "or both."))
    delegate_for_fr = forms.CharField(label=_("Stands in for (French)"), max_length=150, required=False)
    attended = forms.BooleanField(label=_("Attended"), required=False)


class PaperForm(AttachmentForm):
    """A background paper: its file and its title in English and/or French."""

    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200, required=False)

    field_order = ["title_en", "title_fr", "file"]
