"""FilterSets shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from partnerships import access
from partnerships.models import Agency, AuditEvent, CrossDesignation, JointCase, Program, SharingDecision
from portal.limits import check_date_in_range
from portal.widgets import QuickSelect


class CaseFilterBase(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    # grant_*: the case's columns as its grant carries them, indexed per agency (access.cases_visible_to).
    program = django_filters.ChoiceFilter(label=_("Program"), choices=Program.choices, empty_label=_("All"),
                                          field_name="grant_program", widget=QuickSelect)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=JointCase.Status.choices, empty_label=_("All"),
                                         field_name="grant_status", widget=QuickSelect)
    lead_agency = django_filters.ModelChoiceFilter(
        label=_("Lead agency"), queryset=Agency.objects.all(), to_field_name="acronym", empty_label=_("All"),
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


class CaseFilter(CaseFilterBase):
    """The case list page: the shared filters, plus sorting.

    The lead agency is typed (an acronym), with the agencies offered by a datalist that the page renders once per
    language until an agency changes (templates/partnerships/agency_datalist.html): a select of every agency cost
    the page more than its queries (issue 20)."""

    lead_agency = django_filters.ModelChoiceFilter(
        label=_("Lead agency"), queryset=Agency.objects.all(), to_field_name="acronym",
        widget=forms.TextInput(attrs={"list": "agency-acronyms", "autocomplete": "off", "maxlength": 20}),
        help_text=_("An agency's acronym, e.g. RCMP; leave empty for all."),
        error_messages={"invalid_choice": _("No agency has this acronym: choose one from the list.")},
    )

    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Last updated first"),
        widget=QuickSelect,
        fields=(("grant_updated_at", "updated"), ("reference", "reference"), ("title", "title"),
                ("opened_at", "opened"), ("status", "status")),
        field_labels={
            "grant_updated_at": _("Last updated"), "reference": _("Reference"), "title": _("Title"),
            "opened_at": _("Opened on"), "status": _("Status"),
        },
    )


class CaseApiFilter(CaseFilterBase):
    """The API's case list: the shared filters, plus what a syncing system needs. Order is the cursor's."""

    shared_with = extend_schema_field(OpenApiTypes.STR)(django_filters.ModelChoiceFilter(
        label=_("Shared with (agency acronym)"), queryset=Agency.objects.all(), to_field_name="acronym",
        method="held_by",
    ))
    updated_since = django_filters.IsoDateTimeFilter(
        label=_("Changed after (ISO 8601)"), field_name="grant_updated_at", lookup_expr="gt",
        validators=[check_date_in_range],  # year 9999 in a client's time zone can be year 10000 in UTC
    )

    class Meta(CaseFilterBase.Meta):
        fields = [*CaseFilterBase.Meta.fields, "shared_with", "updated_since"]

    def is_valid(self):
        """A typed parameter given empty is refused (the pages treat empty as "all"; a client meant something)."""
        valid = super().is_valid()
        for name in ("program", "status", "updated_since"):
            if name in self.data and self.data.get(name) == "":
                self.form.add_error(name, _("Give a value, or leave the parameter out."))
                valid = False
        return valid

    def held_by(self, queryset, name, agency):
        return access.held_by(queryset, agency) if agency else queryset


class CaseRemovalFilter(django_filters.FilterSet):
    """The removals feed of the API: `since` is required (a sync asks for what changed after its mark)."""

    since = django_filters.IsoDateTimeFilter(
        label=_("Removed after (ISO 8601)"), field_name="decided_at", lookup_expr="gt", required=True,
        validators=[check_date_in_range],
    )

    class Meta:
        model = SharingDecision
        fields = ["since"]


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
                                      widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                      validators=[check_date_in_range])
    until = django_filters.DateFilter(label=_("To (date)"), field_name="at", lookup_expr="date__lte",
                                      widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                      validators=[check_date_in_range])

    class Meta:
        model = AuditEvent
        fields = ["reference", "username", "agency", "action", "door", "outcome", "since", "until"]


class DesignationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=CrossDesignation.Kind.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CrossDesignation.Status.choices,
                                         empty_label=_("All"))
    agency = django_filters.ModelChoiceFilter(label=_("Officer's agency"), field_name="officer__agency",
                                              queryset=Agency.objects.all(), to_field_name="acronym",
                                              empty_label=_("All"))
    expires_within = django_filters.ChoiceFilter(
        label=_("Expires within"), method="expiring", empty_label=_("Any time"),
        help_text=_("Active designations only: suspended and revoked ones are left out."),
        choices=[("7", _("7 days")), ("30", _("30 days")), ("60", _("60 days")), ("90", _("90 days"))],
    )

    class Meta:
        model = CrossDesignation
        fields = ["kind", "status", "agency", "expires_within"]

    def expiring(self, queryset, name, value):
        from datetime import timedelta

        from django.utils import timezone

        today = timezone.localdate()
        # What will lapse: a suspended, revoked or expired designation is no longer in force, so it does not "expire
        # within" anything (nor does a pending one, not yet in force).
        return queryset.filter(status=CrossDesignation.Status.ACTIVE, valid_to__gte=today,
                               valid_to__lte=today + timedelta(days=int(value)))
