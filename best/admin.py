from django.contrib import admin

from best.models import Membership, Unit


class MembershipInline(admin.TabularInline):
    """Read-only here: the unit's members are managed on the unit's members page (best.services.membership_add),
    where a task force officer's Title 19 designation is checked."""

    model = Membership
    extra = 0
    fields = readonly_fields = ["officer", "role", "starts_on", "ends_on", "designation"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["team", "hsi_office", "established_on", "ibet_in_area"]
    inlines = [MembershipInline]
