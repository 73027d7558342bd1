from django.contrib import admin

from deconfliction.models import NamedArea


@admin.register(NamedArea)
class NamedAreaAdmin(admin.ModelAdmin):
    """Named areas are reference data; hits and planned operations hold case data and stay out of the admin."""

    list_display = ["name_en", "name_fr", "latitude", "longitude", "radius_m"]
