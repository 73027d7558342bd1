"""Validation only."""

from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from ibet.models import IntelligenceReport, Occurrence
from partnerships.forms import DateField, DateTimeField, DateTimeLocalInput, ResultFields
from partnerships.models import TIME_ZONE_CHOICES, EnforcementResult, JointCase
from portal import limits


class RepresentativeForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None, empty_label="—")

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class MeetingForm(forms.Form):
    held_on = DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class OccurrenceForm(ResultFields):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, empty_label="—")
    occurred_at = DateTimeField(label=_("When (team's local time)"), widget=DateTimeLocalInput(),
                                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    kind = forms.ChoiceField(label=_("Type"), choices=Occurrence.Kind.choices)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=5)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, min_value=-180, max_value=180,
                                   decimal_places=5)
    nearest_port = forms.CharField(label=_("Nearest port of entry"), max_length=100)
    at_port = forms.BooleanField(label=_("At the port of entry itself (the port's business)"), required=False)
    persons_apprehended = forms.IntegerField(label=_("Persons apprehended"), min_value=0, max_value=limits.MAX_COUNT,
                                             initial=0)
    nationalities = forms.CharField(label=_("Nationalities"), max_length=200, required=False)
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 4}))
    case = forms.ModelChoiceField(label=_("Joint case (optional)"), queryset=None, required=False, empty_label="—",
                                  to_field_name="reference")

    def __init__(self, *args, teams, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["case"].queryset = cases
        # The seizures are rows of SeizureFormSet (several per occurrence); the arrests stay here.
        for name in ("seizure_category", "seizure_quantity", "seizure_unit", "seizure_description"):
            del self.fields[name]

    def zone(self, cleaned):
        return ZoneInfo(cleaned["team"].time_zone) if cleaned.get("team") else None

    def clean(self):
        cleaned = super().clean()
        zone = self.zone(cleaned)
        if zone and cleaned.get("occurred_at"):
            cleaned["occurred_at"] = cleaned["occurred_at"].replace(tzinfo=None).replace(tzinfo=zone)
        if not cleaned.get("place") and (cleaned.get("latitude") is None or cleaned.get("longitude") is None):
            raise forms.ValidationError(_("Give the position (latitude and longitude) or a place."))
        return cleaned


class OccurrenceChangeForm(OccurrenceForm):
    """An occurrence's facts and case link, corrected; its team and its results stay."""

    def __init__(self, *args, occurrence, cases, **kwargs):
        super().__init__(*args, teams=None, cases=cases, **kwargs)
        self.occurrence = occurrence
        for name in ("team", "persons_arrested"):
            del self.fields[name]

    def zone(self, cleaned):
        return ZoneInfo(self.occurrence.team.time_zone)


class SeizureForm(forms.Form):
    category = forms.ChoiceField(label=_("Seizure"), required=False, choices=[
        ("", "—"), *[c for c in EnforcementResult.Category.choices if c[0] != "persons"]])
    quantity = forms.DecimalField(label=_("Quantity seized"), required=False, min_value=0.001,
                                  max_digits=limits.QUANTITY_MAX_DIGITS, decimal_places=limits.QUANTITY_DECIMAL_PLACES)
    unit = forms.ChoiceField(label=_("Unit"), required=False, choices=[("", "—"), *EnforcementResult.Unit.choices])
    description = forms.CharField(label=_("What was seized"), max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("category") and not (cleaned.get("quantity") and cleaned.get("unit")):
            raise forms.ValidationError(_("Give the quantity and unit of the seizure."))
        if not cleaned.get("category") and (cleaned.get("quantity") or cleaned.get("description")):
            raise forms.ValidationError(_("Choose what kind of seizure this is."))
        return cleaned

    def result(self):
        """The shared enforcement result this row records, or None for an empty row."""
        row = self.cleaned_data
        if not row.get("category"):
            return None
        return {"kind": "seizure", "category": row["category"], "quantity": row["quantity"], "unit": row["unit"],
                "description": row.get("description", "")}


# At most 20 seizures per occurrence; a posted TOTAL_FORMS above absolute_max is refused with the formset's error.
SeizureFormSet = forms.formset_factory(SeizureForm, extra=3, max_num=20, absolute_max=20 + 3)



class ReportForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, empty_label="—")
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    reliability = forms.ChoiceField(label=_("Source reliability"), choices=[("", "—"),
                                                                            *IntelligenceReport.Reliability.choices])
    credibility = forms.ChoiceField(label=_("Information credibility"),
                                    choices=[("", "—"), *IntelligenceReport.Credibility.choices])
    handling_code = forms.ChoiceField(label=_("Handling code"), choices=JointCase.HandlingCode.choices)
    releasability = forms.ChoiceField(label=_("Releasability"), choices=JointCase.Releasability.choices)
    case = forms.ModelChoiceField(label=_("Joint case (optional)"), queryset=None, required=False, empty_label="—",
                                  to_field_name="reference")

    def __init__(self, *args, teams, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["case"].queryset = cases


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("validate", _("Still valid: keep it five more years")), ("purge", _("Purge it"))])
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ImportForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, empty_label="—")
    file = forms.FileField(label=_("CSV file (UTF-8 or Windows-1252, commas or semicolons)"))

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class OperationForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, empty_label="—")
    us_name = forms.CharField(label=_("US name (Operation)"), max_length=100)
    canadian_name = forms.CharField(label=_("Canadian name (Project)"), max_length=100)
    starts_on = DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DateField(label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    agencies = forms.ModelMultipleChoiceField(label=_("Participating agencies"), queryset=None,
                                              widget=forms.CheckboxSelectMultiple, to_field_name="acronym")
    cases = forms.ModelMultipleChoiceField(label=_("Linked cases"), queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple, to_field_name="reference")

    def __init__(self, *args, teams, agencies, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["agencies"].queryset = agencies
        self.fields["cases"].queryset = cases


# Regions and teams (ibet/services.py: the core agencies' administrators manage them).

class RegionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)


class TeamEditForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, empty_label="—")
    location = forms.CharField(label=_("Location"), max_length=200)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES, initial="America/Toronto")
    member_agencies = forms.ModelMultipleChoiceField(
        label=_("Member agencies"), queryset=None, widget=forms.CheckboxSelectMultiple,
        help_text=_("Agencies of both countries, yours among them."))

    def __init__(self, *args, regions, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["member_agencies"].queryset = agencies


class TeamForm(TeamEditForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    field_order = ["name", "region", "location", "time_zone", "member_agencies"]


class TeamOfficersForm(forms.Form):
    officers = forms.ModelMultipleChoiceField(label=_("Officers of my agency assigned to the team"), queryset=None,
                                              required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers
