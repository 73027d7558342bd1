"""Validation only: the services hold the Framework Agreement's rules."""

from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.forms import DateTimeField, DateTimeLocalInput, ResultFields
from partnerships.models import Country
from shiprider.models import Activity, CrewMember, RadioChannel
from shiprider.selectors import crew_officers


class PatrolForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, empty_label="—")
    vessel = forms.ModelChoiceField(label=_("Vessel"), queryset=None, empty_label="—")
    planned_start = DateTimeField(label=_("Planned start (site's local time)"), widget=DateTimeLocalInput(),
                                  input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    planned_end = DateTimeField(label=_("Planned end (site's local time)"), widget=DateTimeLocalInput(),
                                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, sites, vessels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["vessel"].queryset = vessels

    def clean(self):
        cleaned = super().clean()
        site = cleaned.get("site")
        if site:
            # The times are the site's local times, whatever the planner's own time zone.
            zone = ZoneInfo(site.time_zone)
            for name in ("planned_start", "planned_end"):
                if cleaned.get(name):
                    cleaned[name] = cleaned[name].replace(tzinfo=None).replace(tzinfo=zone)
        return cleaned


class PatrolChangeForm(PatrolForm):
    """The same fields as planning, but the site: a patrol stays at its site."""

    def __init__(self, *args, patrol, vessels, **kwargs):
        super().__init__(*args, sites=None, vessels=vessels, **kwargs)
        del self.fields["site"]
        self.patrol = patrol

    def clean(self):
        return _site_local(forms.Form.clean(self), self.patrol.site, "planned_start", "planned_end")


class PatrolCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CrewForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None, required=False, empty_label="—")
    role = forms.ChoiceField(label=_("Role"), choices=CrewMember.Role.choices, initial=CrewMember.Role.CREW)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


# A posted TOTAL_FORMS above absolute_max (99999999999999999999) is refused with the formset's error and makes at most
# max_num + extra rows, not Django's default of max_num + 1,000 (seconds to render).
CrewFormSet = forms.formset_factory(CrewForm, extra=6, max_num=12, absolute_max=12 + 6)


def _site_local(cleaned, site, *names):
    zone = ZoneInfo(site.time_zone)
    for name in names:
        if cleaned.get(name):
            cleaned[name] = cleaned[name].replace(tzinfo=None).replace(tzinfo=zone)
    return cleaned


class WatersForm(forms.Form):
    country = forms.ChoiceField(label=_("Waters of"), choices=Country.choices)
    starts_at = DateTimeField(label=_("From (site's local time)"), widget=DateTimeLocalInput(),
                              input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    directing_officer = forms.ModelChoiceField(label=_("Directing officer"), queryset=None, empty_label="—")

    def __init__(self, *args, patrol, **kwargs):
        super().__init__(*args, **kwargs)
        self.patrol = patrol
        self.fields["directing_officer"].queryset = crew_officers(patrol=patrol)

    def clean(self):
        return _site_local(super().clean(), self.patrol.site, "starts_at")


class ActivityForm(ResultFields):
    kind = forms.ChoiceField(label=_("Activity"), choices=Activity.Kind.choices)
    occurred_at = DateTimeField(label=_("When (site's local time)"), widget=DateTimeLocalInput(),
                                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    waters = forms.ChoiceField(label=_("Waters of"), choices=Country.choices)
    directing_officer = forms.ModelChoiceField(label=_("Directing officer"), queryset=None, empty_label="—")
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=5)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, min_value=-180, max_value=180,
                                   decimal_places=5)
    target_name = forms.CharField(label=_("Target vessel name"), max_length=100, required=False)
    target_registration = forms.CharField(label=_("Registration or hull number"), max_length=50, required=False)
    target_flag = forms.CharField(label=_("Flag"), max_length=50, required=False)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, patrol, **kwargs):
        super().__init__(*args, **kwargs)
        self.patrol = patrol
        self.fields["directing_officer"].queryset = crew_officers(patrol=patrol)

    def clean(self):
        return _site_local(super().clean(), self.patrol.site, "occurred_at")


class OpenCaseForm(forms.Form):
    share_with_partners = forms.BooleanField(label=_("Share it with the partner agency on the patrol"),
                                             required=False)


class RadioPlanForm(forms.Form):
    incident_name = forms.CharField(label=_("Incident name"), max_length=200)
    period_from = DateTimeField(label=_("Operational period from (site's local time)"),
                                widget=DateTimeLocalInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    period_to = DateTimeField(label=_("Operational period to (site's local time)"),
                              widget=DateTimeLocalInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    special_instructions = forms.CharField(label=_("Special instructions"), required=False,
                                           widget=forms.Textarea(attrs={"rows": 3}))
    prepared_by = forms.CharField(label=_("Prepared by (communications unit leader)"), max_length=200)

    def __init__(self, *args, patrol, **kwargs):
        super().__init__(*args, **kwargs)
        self.patrol = patrol

    def clean(self):
        return _site_local(super().clean(), self.patrol.site, "period_from", "period_to")


class RadioChannelForm(forms.ModelForm):
    class Meta:
        model = RadioChannel
        fields = ["zone_group", "channel_number", "function", "channel_name", "assignment", "rx_frequency",
                  "rx_bandwidth", "rx_tone", "tx_frequency", "tx_bandwidth", "tx_tone", "mode", "remarks"]


RadioChannelFormSet = forms.modelformset_factory(RadioChannel, form=RadioChannelForm, extra=8, max_num=40,
                                                 absolute_max=40 + 8, can_delete=False)
