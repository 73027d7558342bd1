from django.contrib import admin

from ibet.models import IbetTeam, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(IbetTeam)
class IbetTeamAdmin(admin.ModelAdmin):
    list_display = ["team", "region", "location", "time_zone"]
    list_filter = ["region"]
    filter_horizontal = ["officers"]
