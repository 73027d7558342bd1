from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import Program
from webhooks.models import Delivery, EventType
from webhooks.services import URL_MAX_LENGTH


class EndpointForm(forms.Form):
    url = forms.CharField(label=_("URL"), max_length=URL_MAX_LENGTH, help_text=_(
        "An https:// address of your agency's system. Addresses of private networks are refused."))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(label=_("Events"), choices=EventType.choices,
                                            widget=forms.CheckboxSelectMultiple)
    program = forms.ChoiceField(label=_("Program"), choices=[("", _("All programs")), *Program.choices],
                                required=False, help_text=_("Only events about cases of this program."))


GRACE_CHOICES = [
    (0, _("None: the old secret stops signing at once")),
    (1, _("1 hour")),
    (24, _("24 hours")),
    (168, _("7 days")),
]


class RotateForm(forms.Form):
    grace_hours = forms.TypedChoiceField(label=_("The old secret keeps signing for"), choices=GRACE_CHOICES,
                                         coerce=int, initial=24)


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *Delivery.Status.choices],
                               required=False)
