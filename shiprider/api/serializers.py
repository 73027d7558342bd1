"""ShipRider API mapping and validation, on the API's conventions (strict fields, problem details)."""


from rest_framework import serializers

from partnerships.api.serializers import (
    ResultInputSerializer,
    ResultSerializer,
    StrictBooleanField,
    StrictSerializer,
    TextField,
)
from partnerships.models import Country, CrossDesignation
from shiprider.models import Activity, CrewMember, Patrol, RadioChannel, RadioPlan, Site, Vessel, WatersSegment


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


class WatersSerializer(serializers.ModelSerializer):
    directing_officer = serializers.IntegerField(source="directing_officer_id", read_only=True)

    class Meta:
        model = WatersSegment
        fields = ["country", "starts_at", "directing_officer"]
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    directing_officer = serializers.IntegerField(source="directing_officer_id", read_only=True)
    results = ResultSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "kind", "occurred_at", "waters", "latitude", "longitude", "place", "directing_officer",
                  "target_name", "target_registration", "target_flag", "outcome", "results"]
        read_only_fields = fields


class PatrolSerializer(serializers.ModelSerializer):
    site = serializers.IntegerField(source="site_id", read_only=True)
    site_name = serializers.CharField(source="site.name", read_only=True)
    vessel = serializers.CharField(source="vessel.hull_number", read_only=True)
    crew = CrewSerializer(many=True, read_only=True)
    waters = WatersSerializer(many=True, read_only=True)
    activities = ActivitySerializer(many=True, read_only=True)

    class Meta:
        model = Patrol
        fields = ["id", "site", "site_name", "vessel", "planned_start", "planned_end", "actual_start", "actual_end",
                  "status", "notes", "cancel_reason", "cancelled_at", "sequence", "crew", "waters", "activities"]
        read_only_fields = fields


class ActivityCreateSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    occurred_at = serializers.DateTimeField(help_text="ISO 8601 with its offset")
    waters = serializers.ChoiceField(choices=Country.choices)
    directing_officer = serializers.IntegerField(min_value=1, help_text="Officer id of a crew member")
    latitude = serializers.DecimalField(max_digits=8, decimal_places=5, min_value=-90, max_value=90, required=False,
                                        allow_null=True)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=5, min_value=-180, max_value=180,
                                         required=False, allow_null=True)
    place = TextField(max_length=200, required=False, allow_blank=True, default="")
    target_name = TextField(max_length=100, required=False, allow_blank=True, default="")
    target_registration = TextField(max_length=50, required=False, allow_blank=True, default="")
    target_flag = TextField(max_length=50, required=False, allow_blank=True, default="")
    outcome = TextField(required=False, allow_blank=True, default="")
    results = ResultInputSerializer(many=True, required=False, default=list)


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


class PatrolChangeSerializer(StrictSerializer):
    """The whole new plan of a planned patrol: vessel, times, crew and notes (its site stays)."""

    vessel = TextField(max_length=30, help_text="Hull number")
    planned_start = serializers.DateTimeField(help_text="ISO 8601 with its offset")
    planned_end = serializers.DateTimeField(help_text="ISO 8601 with its offset")
    crew = CrewInputSerializer(many=True, allow_empty=False)
    notes = TextField(required=False, allow_blank=True, default="")


class PatrolCancelSerializer(StrictSerializer):
    reason = TextField(max_length=1000, help_text="Why the patrol is cancelled; the crew and partner agencies read it")


class PatrolProgressSerializer(StrictSerializer):
    at = serializers.DateTimeField(required=False, help_text="ISO 8601 with its offset; now when left out")


class WatersCreateSerializer(StrictSerializer):
    country = serializers.ChoiceField(choices=Country.choices, help_text="Whose waters the patrol is in from then")
    starts_at = serializers.DateTimeField(help_text="ISO 8601 with its offset")
    directing_officer = serializers.IntegerField(min_value=1, help_text="Officer id of a crew member")


RADIO_CHANNEL_FIELDS = ["zone_group", "channel_number", "function", "channel_name", "assignment", "rx_frequency",
                        "rx_bandwidth", "rx_tone", "tx_frequency", "tx_bandwidth", "tx_tone", "mode", "remarks"]


class RadioChannelSerializer(StrictSerializer, serializers.ModelSerializer):
    """One row of the ICS 205 channel table (frequencies in MHz)."""

    class Meta:
        model = RadioChannel
        fields = RADIO_CHANNEL_FIELDS


class RadioPlanSerializer(StrictSerializer, serializers.ModelSerializer):
    """The patrol's ICS 205 communications plan; a write replaces it whole, its channel table included."""

    channels = RadioChannelSerializer(many=True, max_length=40)  # none: the service says so, as on the page

    class Meta:
        model = RadioPlan
        fields = ["incident_name", "period_from", "period_to", "prepared_by", "special_instructions", "channels"]
        extra_kwargs = {"period_from": {"help_text": "ISO 8601 with its offset"},
                        "period_to": {"help_text": "ISO 8601 with its offset"}}


class SiteDetailSerializer(SiteSerializer):
    vessels = serializers.SerializerMethodField()

    class Meta(SiteSerializer.Meta):
        fields = [*SiteSerializer.Meta.fields, "vessels"]
        read_only_fields = fields

    def get_vessels(self, site) -> list[dict]:
        from shiprider.selectors import site_vessels

        return VesselSerializer(site_vessels(site=site), many=True).data


class DesignationGrantSerializer(StrictSerializer):
    officer = serializers.IntegerField(min_value=1, help_text="Officer id of a partner agency's active officer")
    kind = serializers.ChoiceField(choices=CrossDesignation.Kind.choices)
    training_course = TextField(max_length=200, required=False, allow_blank=True, default="")
    training_completed_on = serializers.DateField(required=False, allow_null=True, default=None,
                                                  help_text="On or before valid_from")
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()


class DesignationRenewSerializer(StrictSerializer):
    valid_to = serializers.DateField(help_text="The renewal starts the day after the designation ends")
    training_course = TextField(max_length=200, required=False, allow_blank=True, default="",
                                help_text="Recertification course")
    training_completed_on = serializers.DateField(help_text="Recertification, on or before the day the renewal "
                                                            "starts and after the previous training")


class DesignationStatusSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=[CrossDesignation.Status.ACTIVE, CrossDesignation.Status.SUSPENDED,
                                              CrossDesignation.Status.REVOKED],
                                     help_text="active (reinstate), suspended or revoked")
    reason = TextField(max_length=300)


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


class ActivityCaseSerializer(StrictSerializer):
    share_with_partners = StrictBooleanField(
        required=False, default=False,
        help_text="Share the new case at once (contribute) with the partner agencies on the patrol")
