from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """Username, password and the system-use notice acknowledged (CJIS AC-8).

    One message for a wrong name, a wrong password and a locked account: the page never tells whether an
    account exists or is locked.
    """

    acknowledge = forms.BooleanField(
        label=_("I have read the system-use notice and accept its conditions."),
        error_messages={"required": _("Accept the system-use notice to sign in.")},
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is not right, or the account is locked. After 5 failed attempts in "
            "15 minutes an account stays locked until an administrator of its agency unlocks it."
        ),
    }

    field_order = ["username", "password", "acknowledge"]

    def clean(self):
        if not self.cleaned_data.get("acknowledge"):
            return self.cleaned_data  # the field's own error says what is missing; no password is tried
        return super().clean()


class SecondFactorForm(forms.Form):
    """A code from the authenticator app, or one of the backup codes."""

    code = forms.CharField(
        label=_("Code"), max_length=20, strip=True,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"), max_length=10, strip=True,
        help_text=_("After adding the account, type the 6-digit code the app shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class _NewPasswordErrorsUnderItsField:
    """What is wrong with a new password shows under "New password", where it was typed, not under the
    confirmation (Django puts it there)."""

    def validate_password_for_user(self, user, *_field_name, **kwargs):
        # Django's forms pass the field's name by position (PasswordChangeForm.clean: "new_password2").
        kwargs["password_field_name"] = "new_password1"
        super().validate_password_for_user(user, **kwargs)


class PasswordChangeForm(_NewPasswordErrorsUnderItsField, auth_forms.PasswordChangeForm):
    """The officer's own password change."""


class SetPasswordForm(_NewPasswordErrorsUnderItsField, auth_forms.SetPasswordForm):
    """A new officer's first password (the invitation) and a reset."""
