from django.contrib import admin

from best.models import Membership, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["officer"]
    raw_id_fields = ["designation"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["team", "hsi_office", "established_on", "ibet_in_area"]
    inlines = [MembershipInline]
