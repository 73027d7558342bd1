from django.contrib import admin

from webhooks.models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    """Read-only: agencies' administrators manage their endpoints on their own pages. The secrets are not shown."""

    list_display = ["agency", "url", "is_active", "failing_since", "created_at"]
    list_filter = ["is_active", "agency"]
    fields = ["agency", "url", "description", "event_types", "program", "is_active", "failing_since", "disabled_at",
              "created_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["message_id", "endpoint", "event_type", "status", "attempts", "last_status_code", "created_at"]
    list_filter = ["status", "event_type"]
    fields = ["endpoint", "event_type", "message_id", "status", "attempts", "next_attempt_at", "last_attempt_at",
              "sent_as", "last_status_code", "last_duration_ms", "last_error_code", "last_error", "delivered_at",
              "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
