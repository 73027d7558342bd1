"""Validation only: the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import AccessLevel, Agency, JointCase


class DateInput(forms.DateInput):
    input_type = "date"


class CaseCreateForm(forms.ModelForm):
    class Meta:
        model = JointCase
        fields = ["title", "summary", "program", "releasability", "handling_code", "opened_at"]
        widgets = {"opened_at": DateInput(), "summary": forms.Textarea(attrs={"rows": 5})}
        error_messages = {"title": {"required": _("Give the case a title.")}}


class CaseEditForm(forms.ModelForm):
    class Meta:
        model = JointCase
        fields = ["title", "summary", "status", "releasability", "handling_code", "closed_at"]
        widgets = {"closed_at": DateInput(), "summary": forms.Textarea(attrs={"rows": 5})}
        error_messages = CaseCreateForm.Meta.error_messages

    def clean(self):
        cleaned = super().clean()
        closed_at = cleaned.get("closed_at")
        if closed_at and self.instance.opened_at and closed_at < self.instance.opened_at:
            self.add_error("closed_at", _("A case cannot close before it opened."))
        return cleaned


class ShareForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), to_field_name="acronym",
        error_messages={"invalid_choice": _("Choose an agency from the list; that one is unknown or not eligible.")},
    )
    level = forms.ChoiceField(label=_("Level"), choices=AccessLevel.choices, initial=AccessLevel.VIEW)
    reason = forms.CharField(
        label=_("Reason (purpose or legal basis)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class UnshareForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.all(), to_field_name="acronym", widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("That agency is unknown.")},
    )
    reason = forms.CharField(label=_("Reason for revoking"), max_length=2000)
