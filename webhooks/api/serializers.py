from rest_framework import serializers

from partnerships.api.serializers import StrictSerializer
from partnerships.models import Program
from webhooks.models import Delivery, Endpoint, EventType
from webhooks.services import URL_MAX_LENGTH


class EndpointSerializer(serializers.ModelSerializer):
    """An endpoint of the caller's agency. Its secret is never read back: it is in the answer that makes it only."""

    event_types = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices))
    agency = serializers.CharField(source="agency.acronym")

    class Meta:
        model = Endpoint
        fields = ["id", "agency", "url", "description", "event_types", "program", "is_active", "failing_since",
                  "disabled_at", "previous_secret_until", "created_at", "updated_at"]
        read_only_fields = fields


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.CharField(help_text="The signing secret (whsec_…), in this answer only: keep it now.")

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class EndpointWriteSerializer(StrictSerializer):
    url = serializers.CharField(max_length=URL_MAX_LENGTH, help_text="https:// only; private networks are refused.")
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    event_types = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices), min_length=1,
                                        max_length=len(EventType.choices))
    program = serializers.ChoiceField(choices=Program.choices, required=False, allow_blank=True,
                                      help_text="Only events about cases of this program; blank for all.")


class EndpointChangeSerializer(EndpointWriteSerializer):
    is_active = serializers.BooleanField(required=False, help_text="false disables it; true enables it again.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class RotateSerializer(StrictSerializer):
    grace_hours = serializers.IntegerField(min_value=0, max_value=168, default=24, help_text=(
        "How long the previous secret keeps signing beside the new one (hours, 0 to 168)."))


class RotatedSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new signing secret, in this answer only.")
    previous_secret_until = serializers.DateTimeField(allow_null=True)


class DeliverySerializer(serializers.ModelSerializer):
    endpoint = serializers.IntegerField(source="endpoint_id")
    resend_of = serializers.IntegerField(source="resend_of_id", allow_null=True)
    last_error = serializers.CharField(help_text="Why the last attempt failed, in the language of the request "
                                                 "(Accept-Language); empty when it did not fail")
    last_error_params = serializers.JSONField(help_text="The technical part of the failure, by name: `status` (the "
                                                        "HTTP status), `detail` (an exception's class and message), "
                                                        "`host`, `addresses`")

    class Meta:
        model = Delivery
        fields = ["id", "endpoint", "event_type", "message_id", "sent_as", "status", "attempts", "next_attempt_at",
                  "last_attempt_at", "last_status_code", "last_duration_ms", "last_error", "last_error_code",
                  "last_error_params", "delivered_at",
                  "resend_of", "created_at"]
        read_only_fields = fields
