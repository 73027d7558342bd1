"""Admin for the directory (agencies and officers). Joint cases are deliberately not here:
case data is reached only through the permission-filtered pages and API."""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, ValidationError

from partnerships.models import Agency, CrossDesignation, Officer, Team


class ValidInitialMixin:
    """An add page prefilled from its query string (`?agency=3`) leaves out a related value that cannot be one
    (`?agency=abc`): the autocomplete widget would look it up, and fail."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.is_relation and not _valid_values(field, value if isinstance(value, list) else [value]):
                del initial[name]
        return initial


def _valid_values(field, values):
    try:
        for value in values:
            field.target_field.to_python(value)
    except ValidationError:
        return False
    return True


@admin.register(Agency)
class AgencyAdmin(ValidInitialMixin, admin.ModelAdmin):
    list_display = ["acronym", "acronym_fr", "name_en", "name_fr", "country", "level", "jurisdiction", "parent",
                    "is_active"]
    list_filter = ["country", "level", "is_active"]
    search_fields = ["acronym", "name_en", "name_fr"]
    autocomplete_fields = ["parent"]


@admin.register(Officer)
class OfficerAdmin(ValidInitialMixin, admin.ModelAdmin):
    list_display = ["last_name", "first_name", "rank", "agency", "role", "badge_number", "user", "is_active"]
    list_filter = ["agency__country", "role", "is_active", "is_cbcf_secretariat"]
    search_fields = ["last_name", "first_name", "badge_number", "email", "user__username"]
    autocomplete_fields = ["agency", "user"]
    list_select_related = ["agency", "user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    filter_horizontal = ["member_agencies"]


@admin.register(CrossDesignation)
class CrossDesignationAdmin(ValidInitialMixin, admin.ModelAdmin):
    list_display = ["officer", "kind", "designating_agency", "valid_from", "valid_to", "status"]
    list_filter = ["kind", "status", "designating_agency"]
    search_fields = ["officer__last_name", "officer__badge_number"]
    autocomplete_fields = ["officer"]
    readonly_fields = ["reminders_sent"]
