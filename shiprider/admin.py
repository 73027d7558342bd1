from django.contrib import admin

from shiprider.models import Site, Vessel


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["team", "waterways", "time_zone"]


@admin.register(Vessel)
class VesselAdmin(admin.ModelAdmin):
    list_display = ["name", "hull_number", "vessel_type", "owner", "home_port", "is_active"]
    list_filter = ["owner", "vessel_type", "is_active"]
    search_fields = ["name", "hull_number"]
