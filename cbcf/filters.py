"""The action register's filters, shared by the page and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cbcf.models import ActionItem
from partnerships.models import Agency
from portal.limits import check_date_in_range


def _meetings(request):
    from cbcf import selectors
    from cbcf.models import Meeting

    if request is None:
        return Meeting.objects.none()  # no caller, no meeting to choose
    return selectors.meeting_list(user=request.user).order_by("-starts_at", "pk")


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActionItem.Status.choices, empty_label=_("All"))
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner agency"), queryset=Agency.objects.all(), to_field_name="acronym", empty_label=_("All"),
        error_messages={"invalid_choice": _("No agency has this acronym: choose one from the list.")})
    # Only the meetings the caller sees are choices: another meeting's number is refused as one that does not exist.
    meeting = django_filters.ModelChoiceFilter(
        label=_("Meeting"), queryset=_meetings, empty_label=_("All"),
        error_messages={"invalid_choice": _("Choose one of your meetings.")})
    overdue = django_filters.ChoiceFilter(label=_("Overdue (open, past its due date)"), method="filter_overdue",
                                          choices=[("true", _("Yes")), ("false", _("No"))], empty_label=_("All"))
    due_after = django_filters.DateFilter(label=_("Due from"), field_name="due_on", lookup_expr="gte",
                                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                          validators=[check_date_in_range])
    due_before = django_filters.DateFilter(label=_("Due until"), field_name="due_on", lookup_expr="lte",
                                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                           validators=[check_date_in_range])

    class Meta:
        model = ActionItem
        fields = ["status", "owner", "meeting", "overdue", "due_after", "due_before"]

    def filter_overdue(self, queryset, name, value):
        late = Q(status=ActionItem.Status.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(late) if value == "true" else queryset.exclude(late)

    def is_valid(self):
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        if valid and data.get("due_after") and data.get("due_before") and data["due_after"] > data["due_before"]:
            self.form.add_error("due_before", _("The end of the range comes before its start."))
            return False
        return valid
