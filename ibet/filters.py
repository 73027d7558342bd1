"""The occurrence list's filters, shared by the page and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ibet.models import IbetTeam, Occurrence, Region
from portal.limits import check_date_in_range


class OccurrenceFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("occurred_from"), cleaned.get("occurred_to")
        if start and end and end < start:
            self.add_error("occurred_to", _("The end of the range comes after its start."))
        return cleaned


class OccurrenceFilter(django_filters.FilterSet):
    """Type, team, region and a date range (the day of the occurrence in the portal's time zone). The teams and
    regions offered are the user's own; any other is refused as not a valid choice, like one that does not exist."""

    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Occurrence.Kind.choices, empty_label=_("All"))
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=IbetTeam.objects.none(), empty_label=_("All"))
    region = django_filters.ModelChoiceFilter(label=_("Region"), field_name="team__region",
                                              queryset=Region.objects.none(), empty_label=_("All"))
    occurred_from = django_filters.DateFilter(
        label=pgettext_lazy("period", "From"), field_name="occurred_at", lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), validators=[check_date_in_range])
    occurred_to = django_filters.DateFilter(
        label=pgettext_lazy("period", "To"), field_name="occurred_at", lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), validators=[check_date_in_range])

    class Meta:
        model = Occurrence
        fields = ["kind", "team", "region", "occurred_from", "occurred_to"]
        form = OccurrenceFilterForm

    def __init__(self, *args, user=None, **kwargs):
        from ibet import selectors

        super().__init__(*args, **kwargs)
        user = user or self.request.user  # the API's filter backend passes the request
        self.filters["team"].queryset = selectors.team_list(user=user)
        self.filters["region"].queryset = selectors.region_list(user=user)
