"""Validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cbcf.models import ActionItem, AgendaItem, Initiative, Meeting, Participant, Subgroup
from partnerships.forms import DateField, DateInput, DateTimeField, DateTimeLocalInput, in_range_formfield
from partnerships.models import TIME_ZONE_CHOICES, Agency, Officer


class SubgroupForm(forms.ModelForm):
    class Meta:
        model = Subgroup
        fields = ["name_en", "name_fr", "canadian_co_chair", "american_co_chair"]


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
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


class MeetingEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
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


class ItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title_en", "title_fr", "summary_en", "summary_fr", "purpose", "presenter", "minutes",
                  "background", "background_handling", "subgroup"]
        widgets = {"summary_en": forms.Textarea(attrs={"rows": 3}), "summary_fr": forms.Textarea(attrs={"rows": 3}),
                   "background": forms.Textarea(attrs={"rows": 2})}


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


class ActionForm(forms.Form):
    text = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
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
    delegate_for = forms.CharField(label=_("Delegate for"), max_length=150, required=False)
    attended = forms.BooleanField(label=_("Attended"), required=False)
