"""Validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from best.models import Investigation, Membership, MlatRequest, Referral, TargetOrganization, Unit
from partnerships.forms import DateField, DateInput
from partnerships.models import Country, EnforcementResult, JointCase
from portal import limits


class InvestigationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label="—")
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    priorities = forms.MultipleChoiceField(label=_("Priority categories"), choices=Investigation.Priority.choices,
                                           widget=forms.CheckboxSelectMultiple)
    foreign_nexus = forms.CharField(label=_("Foreign nexus"), widget=forms.Textarea(attrs={"rows": 2}))
    releasability = forms.ChoiceField(label=_("Releasability"), choices=JointCase.Releasability.choices)
    handling_code = forms.ChoiceField(label=_("Handling code"), choices=JointCase.HandlingCode.choices)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CaseScopedForm(forms.Form):
    """A form whose person and organization choices are the investigation's own."""

    def __init__(self, *args, investigation, **kwargs):
        super().__init__(*args, **kwargs)
        people = investigation.case.subjects.filter(kind="person")
        for name in ("subject",):
            if name in self.fields:
                self.fields[name].queryset = people
        if "organization" in self.fields:
            self.fields["organization"].queryset = investigation.targets.all()
        if "linked" in self.fields:
            self.fields["linked"].queryset = investigation.targets.all()


class StageForm(CaseScopedForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=Investigation.Stage.choices)
    on = DateField(label=_("On"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class TargetForm(CaseScopedForm):
    name = forms.CharField(label=_("Organization name"), max_length=200)
    aliases = forms.CharField(label=_("Aliases"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=TargetOrganization.Kind.choices)
    linked = forms.ModelMultipleChoiceField(label=_("Linked organizations"), queryset=None, required=False,
                                            widget=forms.CheckboxSelectMultiple)


class MemberForm(CaseScopedForm):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, empty_label="—")
    subject = forms.ModelChoiceField(label=_("Person (a subject of the case)"), queryset=None, empty_label="—")
    role = forms.CharField(label=_("Role in the organization"), max_length=100)


class ArrestForm(CaseScopedForm):
    subject = forms.ModelChoiceField(label=_("Person (a subject of the case)"), queryset=None, empty_label="—")
    arrested_on = DateField(label=_("Arrested on"), widget=DateInput())
    charging_country = forms.ChoiceField(label=_("Charging country"), choices=Country.choices)
    nationality = forms.CharField(label=_("Nationality"), max_length=50)
    confirm_duplicate = forms.BooleanField(
        label=_("I confirm: a second arrest of this person that day"), required=False, widget=forms.HiddenInput)

    def ask_confirmation(self):
        """Offered once the person is found already recorded as arrested that day (services.DuplicateArrest)."""
        self.fields["confirm_duplicate"].widget = forms.CheckboxInput()


class SeizureForm(CaseScopedForm):
    seized_on = DateField(label=_("Seized on"), widget=DateInput())
    category = forms.ChoiceField(label=_("Category"), choices=[c for c in EnforcementResult.Category.choices
                                                               if c[0] != "persons"])
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0.001, max_digits=limits.QUANTITY_MAX_DIGITS,
                                  decimal_places=limits.QUANTITY_DECIMAL_PLACES)
    unit = forms.ChoiceField(label=_("Unit"), choices=EnforcementResult.Unit.choices)
    description = forms.CharField(label=_("What was seized"), max_length=300, required=False)


class ChargeForm(CaseScopedForm):
    subject = forms.ModelChoiceField(label=_("Person (a subject of the case)"), queryset=None, empty_label="—")
    court = forms.CharField(label=_("Court"), max_length=200)
    jurisdiction = forms.CharField(label=_("Jurisdiction"), max_length=100)
    charged_on = DateField(label=_("Charged or indicted on"), widget=DateInput())
    counts = forms.IntegerField(label=_("Counts"), min_value=1, max_value=limits.MAX_COUNT)


class ConvictionForm(CaseScopedForm):
    subject = forms.ModelChoiceField(label=_("Person (a subject of the case)"), queryset=None, empty_label="—")
    court = forms.CharField(label=_("Court"), max_length=200)
    convicted_on = DateField(label=_("Convicted on"), widget=DateInput())
    sentence = forms.CharField(label=_("Sentence"), max_length=300)


class ReferralForm(CaseScopedForm):
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    office = forms.CharField(label=_("Prosecution office"), max_length=200,
                             help_text=_("A US Attorney's Office, or the Public Prosecution Service of Canada"))
    referred_on = DateField(label=_("Referred on"), widget=DateInput())


class ReferralDecisionForm(CaseScopedForm):
    referral = forms.ModelChoiceField(label=_("Referral"), queryset=None, empty_label="—")
    status = forms.ChoiceField(label=_("Decision"), choices=[c for c in Referral.Status.choices if c[0] != "referred"])
    on = DateField(label=_("On"), widget=DateInput())

    def __init__(self, *args, investigation, **kwargs):
        super().__init__(*args, investigation=investigation, **kwargs)
        self.fields["referral"].queryset = investigation.referrals.all()


class MlatForm(CaseScopedForm):
    requesting_country = forms.ChoiceField(label=_("Requesting country"), choices=Country.choices)
    asked = forms.CharField(label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 2}))
    sent_on = DateField(label=_("Sent on"), widget=DateInput())


class MlatNewsForm(CaseScopedForm):
    request = forms.ModelChoiceField(label=_("Request"), queryset=None, empty_label="—")
    status = forms.ChoiceField(label=_("News"), choices=[c for c in MlatRequest.Status.choices if c[0] != "sent"])
    on = DateField(label=_("On"), widget=DateInput())

    def __init__(self, *args, investigation, **kwargs):
        super().__init__(*args, investigation=investigation, **kwargs)
        self.fields["request"].queryset = investigation.mlat_requests.all()


class ReportPeriodForm(forms.Form):
    start = DateField(label=pgettext_lazy("period", "From"), widget=DateInput())
    end = DateField(label=pgettext_lazy("period", "To"), widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError(_("The period must end after it starts."))
        return cleaned


class MembershipForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None, empty_label="—")
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    starts_on = DateField(label=pgettext_lazy("period", "From"), widget=DateInput())
    ends_on = DateField(label=pgettext_lazy("period", "To"), widget=DateInput(), required=False)
    designation = forms.ModelChoiceField(
        label=_("Title 19 designation"), queryset=None, required=False, empty_label="—",
        help_text=_("A task force officer's own, active on the first day; none for the other roles."))

    def __init__(self, *args, officers, designations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["designation"].queryset = designations
        self.fields["designation"].label_from_instance = lambda d: (
            f"{d.officer.first_name} {d.officer.last_name} ({d.officer.agency.display_acronym}): "
            f"{d.valid_from:%Y-%m-%d} – {d.valid_to:%Y-%m-%d}, {d.designating_agency.display_acronym}")


class UnitStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Unit.Status.choices)


class MembershipEndForm(forms.Form):
    ends_on = DateField(label=_("Last day"), widget=DateInput())
