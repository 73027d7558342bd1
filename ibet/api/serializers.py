"""IBET API mapping and validation, on the API's conventions."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ibet import services
from ibet.models import IbetTeam, IntelligenceReport, JointOperation, Occurrence, Region
from partnerships.api.serializers import ResultInputSerializer, ResultSerializer, StrictSerializer, TextField
from partnerships.models import JointCase
from portal import limits


class RegionSerializer(serializers.ModelSerializer):
    representatives = serializers.SerializerMethodField()
    missing_core_agencies = serializers.SerializerMethodField()
    next_meeting_due = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = ["id", "name", "representatives", "missing_core_agencies", "next_meeting_due"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_representatives(self, region):
        return [rep.agency.acronym for rep in region.representatives.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing_core_agencies(self, region):
        return services.jmt_missing(region)

    @extend_schema_field(serializers.DateField())
    def get_next_meeting_due(self, region):
        return services.meeting_due(region)[1]


class TeamSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    region = serializers.CharField(source="region.name", read_only=True)
    member_agencies = serializers.SerializerMethodField()

    class Meta:
        model = IbetTeam
        fields = ["id", "name", "region", "location", "time_zone", "member_agencies"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_member_agencies(self, team):
        return sorted(agency.acronym for agency in team.team.member_agencies.all())


class OccurrenceSerializer(serializers.ModelSerializer):
    team = serializers.IntegerField(source="team_id", read_only=True)
    results = ResultSerializer(many=True, read_only=True)

    class Meta:
        model = Occurrence
        fields = ["id", "team", "occurred_at", "kind", "latitude", "longitude", "place", "nearest_port", "at_port",
                  "persons_apprehended", "nationalities", "narrative", "results"]
        read_only_fields = fields


class OccurrenceCreateSerializer(StrictSerializer):
    team = serializers.IntegerField(min_value=1)
    occurred_at = serializers.DateTimeField(help_text="ISO 8601 with its offset")
    kind = serializers.ChoiceField(choices=Occurrence.Kind.choices)
    latitude = serializers.DecimalField(max_digits=8, decimal_places=5, min_value=-90, max_value=90, required=False,
                                        allow_null=True)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=5, min_value=-180, max_value=180,
                                         required=False, allow_null=True)
    place = TextField(max_length=200, required=False, allow_blank=True, default="")
    nearest_port = TextField(max_length=100)
    at_port = serializers.BooleanField(required=False, default=False)
    persons_apprehended = serializers.IntegerField(min_value=0, max_value=limits.MAX_COUNT, required=False, default=0)
    nationalities = TextField(max_length=200, required=False, allow_blank=True, default="")
    narrative = TextField()
    results = ResultInputSerializer(many=True, required=False, default=list)


class OccurrenceChangeSerializer(StrictSerializer):
    """The fields to correct (PATCH: any of them); the team and the results stay."""

    occurred_at = serializers.DateTimeField(required=False, help_text="ISO 8601 with its offset")
    kind = serializers.ChoiceField(choices=Occurrence.Kind.choices, required=False)
    latitude = serializers.DecimalField(max_digits=8, decimal_places=5, min_value=-90, max_value=90, required=False,
                                        allow_null=True)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=5, min_value=-180, max_value=180,
                                         required=False, allow_null=True)
    place = TextField(max_length=200, required=False, allow_blank=True)
    nearest_port = TextField(max_length=100, required=False)
    at_port = serializers.BooleanField(required=False)
    persons_apprehended = serializers.IntegerField(min_value=0, max_value=limits.MAX_COUNT, required=False)
    nationalities = TextField(max_length=200, required=False, allow_blank=True)
    narrative = TextField(required=False)
    case = TextField(max_length=40, required=False, allow_null=True,
                     help_text="Reference of a joint case to link (one the caller's agency contributes to), or null")


class ReportSerializer(serializers.ModelSerializer):
    team = serializers.IntegerField(source="team_id", read_only=True)
    source_agency = serializers.CharField(source="source_agency.acronym", read_only=True)

    class Meta:
        model = IntelligenceReport
        fields = ["id", "team", "source_agency", "subject", "text", "reliability", "credibility", "handling_code",
                  "releasability", "review_due", "validated_at", "purged_at"]
        read_only_fields = fields


class ReportCreateSerializer(StrictSerializer):
    team = serializers.IntegerField(min_value=1)
    subject = TextField(max_length=200)
    text = TextField()
    reliability = serializers.ChoiceField(choices=IntelligenceReport.Reliability.choices)
    credibility = serializers.ChoiceField(choices=IntelligenceReport.Credibility.choices)
    handling_code = serializers.ChoiceField(choices=JointCase.HandlingCode.choices, required=False, default="H0")
    releasability = serializers.ChoiceField(choices=JointCase.Releasability.choices, required=False,
                                            default="ca_us")


class OperationSerializer(serializers.ModelSerializer):
    team = serializers.IntegerField(source="team_id", read_only=True)
    agencies = serializers.SlugRelatedField(slug_field="acronym", many=True, read_only=True)

    class Meta:
        model = JointOperation
        fields = ["id", "team", "us_name", "canadian_name", "starts_on", "ends_on", "agencies"]
        read_only_fields = fields


class ReportReviewSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=["validate", "purge"],
                                       help_text="validate: still valid, five more years; purge: subject and text go")
    reason = TextField(max_length=300)


class OperationCreateSerializer(StrictSerializer):
    team = serializers.IntegerField(min_value=1, help_text="An IBET team id of the caller's agency")
    us_name = TextField(max_length=100, help_text="US name (Operation)")
    canadian_name = TextField(max_length=100, help_text="Canadian name (Project)")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    agencies = serializers.ListField(child=TextField(max_length=20), allow_empty=False,
                                     help_text="Acronyms of the participating agencies (the caller's is added)")
    cases = serializers.ListField(child=TextField(max_length=30), required=False, default=list,
                                  help_text="References of cases the caller's agency can contribute to")
