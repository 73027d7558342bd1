from django import forms
from django.utils.translation import gettext_lazy as _

from deconfliction.matching import MAX_RADIUS_M
from deconfliction.models import HitParty, NamedArea, PlannedEvent
from partnerships.forms import DateTimeField


class EventForm(forms.Form):
    """A planned operation: what, when, and where (a named area, or a point and a radius)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=PlannedEvent.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("Seen only by your agency. Other agencies learn only that an operation of "
                                        "yours is near theirs, and whom to call."))
    case = forms.CharField(label=_("Case reference"), max_length=30, required=False,
                           help_text=_("Optional: the case this operation belongs to."))
    starts_at = DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = DateTimeField(label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    area = forms.ModelChoiceField(label=_("Named area"), queryset=NamedArea.objects.all(), required=False,
                                  empty_label=_("— a point and radius instead —"))
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90,
                                help_text=_("Decimal degrees, e.g. 42.2713"))
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180,
                                 help_text=_("Decimal degrees, e.g. -83.1346"))
    radius_m = forms.IntegerField(label=_("Radius (m)"), required=False, min_value=0, max_value=MAX_RADIUS_M)

    def clean(self):
        data = super().clean()
        point = [data.get(name) for name in ("latitude", "longitude", "radius_m")]
        if data.get("area") is None and any(value is None for value in point):
            raise forms.ValidationError(_("Give a named area, or a point (latitude and longitude) and a radius."))
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The operation must end after it starts."))
        return data


class EventCheckForm(EventForm):
    """An operation to check before planning it: when and where only (nothing is recorded but the check)."""

    kind = None
    title = None
    case = None


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=HitParty.Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
