"""Validation only: the services hold the Framework Agreement's rules."""

from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from shiprider.models import CrewMember


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PatrolForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, empty_label="—")
    vessel = forms.ModelChoiceField(label=_("Vessel"), queryset=None, empty_label="—")
    planned_start = forms.DateTimeField(label=_("Planned start (site's local time)"), widget=DateTimeLocalInput(),
                                        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    planned_end = forms.DateTimeField(label=_("Planned end (site's local time)"), widget=DateTimeLocalInput(),
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


class CrewForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None, required=False, empty_label="—")
    role = forms.ChoiceField(label=_("Role"), choices=CrewMember.Role.choices, initial=CrewMember.Role.CREW)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


CrewFormSet = forms.formset_factory(CrewForm, extra=6, max_num=12)
