"""Validation only: the services decide what is allowed."""

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerships.models import (
    AccessLevel,
    Agency,
    CrossDesignation,
    EnforcementResult,
    JointCase,
    Officer,
    Purpose,
    Subject,
    Team,
)
from portal import limits
from portal.widgets import QuickSelect


class DateInput(forms.DateInput):
    """A date picker: its value is ISO (2026-01-01) in every language, or the browser shows it empty."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


# Every form takes dates through these two (ModelForms through in_range_formfield): a date outside the portal's
# range (portal/limits.py) is refused under its field. tests/test_input_limits.py keeps it so.

class DateField(forms.DateField):
    default_validators = [limits.check_date_in_range]


class DateTimeField(forms.DateTimeField):
    default_validators = [limits.check_date_in_range]


def in_range_formfield(model_field, **kwargs):
    """A ModelForm's `Meta.formfield_callback`: its date fields are the portal's, in range, too."""
    if isinstance(model_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateTimeField)
    elif isinstance(model_field, models.DateField):
        kwargs.setdefault("form_class", DateField)
    return model_field.formfield(**kwargs)


class CaseCreateForm(forms.ModelForm):
    class Meta:
        model = JointCase
        fields = ["title", "summary", "program", "releasability", "handling_code", "opened_at"]
        formfield_callback = in_range_formfield
        widgets = {"opened_at": DateInput(), "summary": forms.Textarea(attrs={"rows": 5})}
        error_messages = {"title": {"required": _("Give the case a title.")}}


class CaseEditForm(forms.ModelForm):
    confirm_revocations = forms.BooleanField(
        label=_("I confirm: revoke the shares that the tightened case no longer allows"), required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = JointCase
        fields = ["title", "summary", "status", "releasability", "handling_code", "closed_at"]
        formfield_callback = in_range_formfield
        widgets = {"closed_at": DateInput(), "summary": forms.Textarea(attrs={"rows": 5})}
        error_messages = CaseCreateForm.Meta.error_messages

    def __init__(self, *args, lead, **kwargs):
        super().__init__(*args, **kwargs)
        if not lead:
            for name in ("releasability", "handling_code"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Only the lead agency can change this.")

    def ask_confirmation(self):
        self.fields["confirm_revocations"].widget = forms.CheckboxInput()

    def clean(self):
        cleaned = super().clean()
        closed_at = cleaned.get("closed_at")
        if closed_at and self.instance.opened_at and closed_at < self.instance.opened_at:
            self.add_error("closed_at", _("A case cannot close before it opened."))
        return cleaned


class PurposeFields(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose or legal basis"), choices=[("", "—")] + Purpose.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ShareForm(PurposeFields):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), to_field_name="acronym", required=False, empty_label="—",
        error_messages={"invalid_choice": _("Choose an agency from the list; that one is unknown or not eligible.")},
    )
    team = forms.ModelChoiceField(
        label=_("or a whole team (each member agency)"), queryset=Team.objects.none(), required=False, empty_label="—",
        error_messages={"invalid_choice": _("Choose a team from the list.")},
    )
    level = forms.ChoiceField(label=_("Level"), choices=AccessLevel.choices, initial=AccessLevel.VIEW)
    field_order = ["agency", "team", "level", "purpose", "reason"]

    def __init__(self, *args, agencies, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["team"].queryset = teams

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("agency")) == bool(cleaned.get("team")):
            raise forms.ValidationError(_("Choose either an agency or a team."))
        return cleaned


class UnshareForm(PurposeFields):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.all(), to_field_name="acronym", widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("That agency is unknown.")},
    )
    reason = forms.CharField(label=_("Reason for revoking"), max_length=2000)


class ShareRequestForm(PurposeFields):
    target_agency = forms.ModelChoiceField(
        label=_("Agency to share with"), queryset=Agency.objects.none(), to_field_name="acronym", empty_label="—",
        error_messages={"invalid_choice": _("Choose an agency from the list; that one is unknown or not eligible.")},
    )
    level = forms.ChoiceField(label=_("Level"), choices=AccessLevel.choices, initial=AccessLevel.VIEW)
    field_order = ["target_agency", "level", "purpose", "reason"]

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_agency"].queryset = agencies


class CourtReleaseForm(PurposeFields):
    reason = forms.CharField(
        label=_("Proceedings (court, file number) and what will be used"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"), choices=[("yes", _("Approve")), ("no", _("Decline"))],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class OfficerForm(forms.ModelForm):
    class Meta:
        model = Officer
        fields = ["first_name", "last_name", "rank", "badge_number", "email", "phone", "preferred_language",
                  "time_zone", "role", "is_duty_contact", "is_deconfliction_contact"]


class OfficerInviteForm(OfficerForm):
    username = forms.CharField(label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()])
    field_order = ["username"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        if not email:
            raise forms.ValidationError(_("An invitation needs an email address."))
        return email


class DeactivateForm(forms.Form):
    reason = forms.CharField(label=_("Reason for deactivating"), max_length=500)


class ApiTokenIssueForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("Officer (the token sees what this officer sees)"), queryset=Officer.objects.none(), empty_label="—",
        error_messages={"invalid_choice": _("Choose an officer of your agency from the list.")},
    )
    name = forms.CharField(label=_("What it is for"), max_length=100, required=False,
                           help_text=_("e.g. the agency system's name."))
    read_only = forms.BooleanField(label=_("Read-only (it may not write)"), required=False, initial=True)
    days = forms.IntegerField(label=_("Expires after (days)"), min_value=1, max_value=3650, required=False,
                              help_text=_("Leave empty for a token that does not expire."))

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class DesignationForm(forms.ModelForm):
    class Meta:
        model = CrossDesignation
        fields = ["officer", "kind", "training_course", "training_completed_on", "valid_from", "valid_to"]
        formfield_callback = in_range_formfield
        widgets = {"training_completed_on": DateInput(), "valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].empty_label = "—"


class DesignationRenewForm(forms.Form):
    valid_to = DateField(label=_("Valid to"), widget=DateInput())
    training_course = forms.CharField(label=_("Recertification course"), max_length=200, required=False)
    training_completed_on = DateField(label=_("Recertification completed on"), widget=DateInput(),
                                      help_text=_("On or before the day the renewal starts."))


class DesignationStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[
        (CrossDesignation.Status.SUSPENDED, _("Suspend")), (CrossDesignation.Status.REVOKED, _("Revoke")),
        (CrossDesignation.Status.ACTIVE, _("Reinstate"))])
    reason = forms.CharField(label=_("Reason"), max_length=300)


class SubjectForm(forms.ModelForm):
    class Meta:
        model = Subject
        fields = ["kind", "name", "aliases", "date_of_birth", "registration", "jurisdiction", "vin"]
        formfield_callback = in_range_formfield
        widgets = {"date_of_birth": DateInput()}


RESULT_FIELDS = ["persons_arrested", "seizure_category", "seizure_quantity", "seizure_unit", "seizure_description"]


class ResultFields(forms.Form):
    """Arrests and one seizure, as a form records them: they become shared enforcement results."""

    persons_arrested = forms.IntegerField(label=_("Persons arrested"), min_value=0, max_value=limits.MAX_COUNT,
                                          required=False)
    seizure_category = forms.ChoiceField(label=_("Seizure"), required=False, choices=[
        ("", "—"), *[c for c in EnforcementResult.Category.choices if c[0] != "persons"]])
    seizure_quantity = forms.DecimalField(label=_("Quantity seized"), required=False, min_value=0.001,
                                          max_digits=limits.QUANTITY_MAX_DIGITS,
                                          decimal_places=limits.QUANTITY_DECIMAL_PLACES)
    seizure_unit = forms.ChoiceField(label=_("Unit"), required=False,
                                     choices=[("", "—"), *EnforcementResult.Unit.choices])
    seizure_description = forms.CharField(label=_("What was seized"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([name for name in self.fields if name not in RESULT_FIELDS] + RESULT_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("seizure_category") and not (cleaned.get("seizure_quantity") and cleaned.get("seizure_unit")):
            raise forms.ValidationError(_("Give the quantity and unit of the seizure."))
        return cleaned

    def facts_and_results(self):
        """(the other cleaned fields, [result dicts]) for the services."""
        data = dict(self.cleaned_data)
        values = {name: data.pop(name, None) for name in RESULT_FIELDS}
        results = []
        if values["persons_arrested"]:
            results.append({"kind": "arrest", "category": "persons", "quantity": values["persons_arrested"],
                            "unit": "count"})
        if values["seizure_category"]:
            results.append({"kind": "seizure", "category": values["seizure_category"],
                            "quantity": values["seizure_quantity"], "unit": values["seizure_unit"],
                            "description": values["seizure_description"]})
        return data, results


class AttachmentForm(forms.Form):
    """One file to attach (a case document or a background paper). The rules that decide whether the
    file is accepted live in partnerships/attachments.py, applied by the services."""

    file = forms.FileField(label=_("File"), allow_empty_file=True)  # an empty file is refused, and recorded, there

    def __init__(self, *args, **kwargs):
        from partnerships import attachments

        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s; at most %(limit)s MB.") % {
            "types": attachments.accepted_types_text(), "limit": attachments.max_megabytes()}
        self.fields["file"].widget.attrs["accept"] = attachments.ACCEPT


class SearchForm(forms.Form):
    """The search box, and which kind and page of results (the page and the API alike)."""

    q = forms.CharField(label=_("Search"), required=False, strip=True, max_length=200,
                        help_text=_("A reference, a name, a plate, a phone, a vessel or words, in English or French."))
    kind = forms.ChoiceField(label=_("Only"), required=False, widget=QuickSelect)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=limits.MAX_ID)

    def __init__(self, *args, **kwargs):
        from partnerships import search

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything")), *((kind.name, kind.label) for kind in search.kinds())]

    def clean_page(self):
        from partnerships import search
        from portal.pagination import COUNT_CAP

        page = self.cleaned_data.get("page") or 1
        last = COUNT_CAP // search.PAGE_SIZE + 1
        if page > last:
            raise forms.ValidationError(_("Give a page from 1 to %(last)s: narrow the search to go further.")
                                        % {"last": last})
        return page
