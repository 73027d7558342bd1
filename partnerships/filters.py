"""FilterSets shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agency, AuditEvent, JointCase, Program


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    program = django_filters.ChoiceFilter(label=_("Program"), choices=Program.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=JointCase.Status.choices, empty_label=_("All"))
    lead_agency = django_filters.ModelChoiceFilter(
        label=_("Lead agency"), queryset=Agency.objects.all(), to_field_name="acronym", empty_label=_("All"),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Last updated first"),
        fields=(("updated_at", "updated"), ("reference", "reference"), ("title", "title"),
                ("opened_at", "opened"), ("status", "status")),
        field_labels={
            "updated_at": _("Last updated"), "reference": _("Reference"), "title": _("Title"),
            "opened_at": _("Opened on"), "status": _("Status"),
        },
    )

    class Meta:
        model = JointCase
        fields = ["q", "program", "status", "lead_agency"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(summary__icontains=value)
        )


class AuditFilter(django_filters.FilterSet):
    """For "who saw my case", an agency's activity and the auditors' search: same fields everywhere."""

    reference = django_filters.CharFilter(label=_("Reference"), field_name="object_ref", lookup_expr="iexact")
    username = django_filters.CharFilter(label=_("Username"), field_name="username", lookup_expr="iexact")
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency"), queryset=Agency.objects.all(), to_field_name="acronym", empty_label=_("All"),
    )
    action = django_filters.ChoiceFilter(label=_("Event"), choices=AuditEvent.Action.choices, empty_label=_("All"))
    door = django_filters.ChoiceFilter(label=_("Door"), choices=AuditEvent.Door.choices, empty_label=_("All"))
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=AuditEvent.Outcome.choices, empty_label=_("All"))
    since = django_filters.DateFilter(label=_("From (date)"), field_name="at", lookup_expr="date__gte",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    until = django_filters.DateFilter(label=_("To (date)"), field_name="at", lookup_expr="date__lte",
                                      widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = AuditEvent
        fields = ["reference", "username", "agency", "action", "door", "outcome", "since", "until"]
