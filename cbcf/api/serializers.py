"""CBCF API: read-only for REST clients."""

from rest_framework import serializers

from cbcf.models import ActionItem, AgendaVersion, Initiative, Meeting


class MeetingSerializer(serializers.ModelSerializer):
    subgroup = serializers.CharField(source="subgroup.name_en", read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = ["id", "title", "level", "subgroup", "starts_at", "place", "host_country", "agenda_state",
                  "agenda_version"]
        read_only_fields = fields


class AgendaSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaVersion
        fields = ["meeting", "number", "state", "items", "changes", "created_at"]
        read_only_fields = fields


class InitiativeSerializer(serializers.ModelSerializer):
    owners = serializers.SlugRelatedField(slug_field="acronym", many=True, read_only=True)

    class Meta:
        model = Initiative
        fields = ["id", "title_en", "title_fr", "text_en", "text_fr", "owners", "partnership", "target_date",
                  "status"]
        read_only_fields = fields


class ActionItemSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.acronym", read_only=True)

    class Meta:
        model = ActionItem
        fields = ["id", "meeting", "text", "owner", "due_on", "status"]
        read_only_fields = fields
