"""ShipRider API mapping and validation, on the API's conventions (strict fields, problem details)."""

from rest_framework import serializers

from partnerships.api.serializers import StrictSerializer, TextField
from partnerships.models import CrossDesignation
from shiprider.models import CrewMember, Patrol, Site, Vessel


class SiteSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    member_agencies = serializers.SerializerMethodField()
    is_active = serializers.BooleanField(source="team.is_active", read_only=True)

    class Meta:
        model = Site
        fields = ["id", "name", "waterways", "time_zone", "member_agencies", "is_active"]
        read_only_fields = fields

    def get_member_agencies(self, site) -> list[str]:
        return [agency.acronym for agency in site.team.member_agencies.all()]


class VesselSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="acronym", read_only=True)

    class Meta:
        model = Vessel
        fields = ["hull_number", "name", "vessel_type", "owner", "home_port"]
        read_only_fields = fields


class CrewSerializer(serializers.ModelSerializer):
    officer = serializers.IntegerField(source="officer_id", read_only=True)
    name = serializers.SerializerMethodField()
    agency = serializers.CharField(source="officer.agency.acronym", read_only=True)
    designation_valid_to = serializers.DateField(source="designation.valid_to", read_only=True)

    class Meta:
        model = CrewMember
        fields = ["officer", "name", "agency", "role", "designation_valid_to"]
        read_only_fields = fields

    def get_name(self, member) -> str:
        return f"{member.officer.first_name} {member.officer.last_name}"


class PatrolSerializer(serializers.ModelSerializer):
    site = serializers.IntegerField(source="site_id", read_only=True)
    site_name = serializers.CharField(source="site.name", read_only=True)
    vessel = serializers.CharField(source="vessel.hull_number", read_only=True)
    crew = CrewSerializer(many=True, read_only=True)

    class Meta:
        model = Patrol
        fields = ["id", "site", "site_name", "vessel", "planned_start", "planned_end", "status", "notes", "crew"]
        read_only_fields = fields


class CrewInputSerializer(StrictSerializer):
    officer = serializers.IntegerField(min_value=1, help_text="Officer id, from /api/v1/officers/")
    role = serializers.ChoiceField(choices=CrewMember.Role.choices)


class PatrolCreateSerializer(StrictSerializer):
    site = serializers.IntegerField(min_value=1)
    vessel = TextField(max_length=30, help_text="Hull number")
    planned_start = serializers.DateTimeField(help_text="ISO 8601 with its offset")
    planned_end = serializers.DateTimeField(help_text="ISO 8601 with its offset")
    crew = CrewInputSerializer(many=True, allow_empty=False)
    notes = TextField(required=False, allow_blank=True, default="")


class DesignationSerializer(serializers.ModelSerializer):
    officer = serializers.IntegerField(source="officer_id", read_only=True)
    officer_name = serializers.SerializerMethodField()
    agency = serializers.CharField(source="officer.agency.acronym", read_only=True)
    designating_agency = serializers.CharField(source="designating_agency.acronym", read_only=True)

    class Meta:
        model = CrossDesignation
        fields = ["id", "officer", "officer_name", "agency", "kind", "designating_agency", "valid_from", "valid_to",
                  "status"]
        read_only_fields = fields

    def get_officer_name(self, designation) -> str:
        return f"{designation.officer.first_name} {designation.officer.last_name}"
