"""IBET API mapping and validation, on the API's conventions."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ibet import selectors as ibet_selectors
from ibet import services
from ibet.models import (
    IbetTeam,
    IntelligenceReport,
    JmtRepresentative,
    JointOperation,
    ManagementMeeting,
    Occurrence,
    Region,
)
from partnerships.api.serializers import ResultInputSerializer, ResultSerializer, StrictSerializer, TextField
from partnerships.models import TIME_ZONE_CHOICES, JointCase
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
        return [rep.agency.acronym for rep in region.representatives.all() if rep.ended_on is None]

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


# A region's Joint Management Team, as the region page names its representatives and records its meetings.

class RepresentativeSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.acronym", read_only=True)
    officer_name = serializers.SerializerMethodField()

    class Meta:
        model = JmtRepresentative
        fields = ["id", "agency", "officer", "officer_name", "started_on", "ended_on"]
        read_only_fields = fields

    def get_officer_name(self, representative) -> str:
        return f"{representative.officer.first_name} {representative.officer.last_name}"


class RepresentativeCreateSerializer(StrictSerializer):
    officer = serializers.IntegerField(min_value=1, help_text="Id of an active officer of the caller's agency (a "
                                                              "core agency), named by its administrator")


class ManagementMeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ManagementMeeting
        fields = ["id", "held_on", "notes"]
        read_only_fields = fields


class ManagementMeetingCreateSerializer(StrictSerializer):
    held_on = serializers.DateField()
    notes = TextField(required=False, allow_blank=True, default="", max_length=5000)


# Regions and teams, managed by the core agencies' administrators (ibet/services.py).

class RegionCreateSerializer(StrictSerializer):
    name = TextField(max_length=100)


class TeamEditSerializer(StrictSerializer):
    region = serializers.IntegerField(min_value=1, help_text="The region's id")
    location = TextField(max_length=200)
    time_zone = serializers.ChoiceField(choices=TIME_ZONE_CHOICES)
    member_agencies = serializers.ListField(child=TextField(max_length=20), allow_empty=False,
                                            help_text="Acronyms of the member agencies (both countries, the "
                                                      "caller's among them)")


class TeamCreateSerializer(TeamEditSerializer):
    name = TextField(max_length=120)


class TeamOfficersSerializer(StrictSerializer):
    officers = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=limits.MAX_ID),
                                     allow_empty=True,
                                     help_text="Ids of the caller's agency's active officers assigned to the team "
                                               "(the whole list: others of the agency are unassigned)")


class TeamDetailSerializer(TeamSerializer):
    """A team with its member agencies and their assigned officers."""

    officers = serializers.SerializerMethodField()

    class Meta(TeamSerializer.Meta):
        fields = [*TeamSerializer.Meta.fields, "officers"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_officers(self, team):
        return [{"id": officer.pk, "name": f"{officer.first_name} {officer.last_name}", "rank": officer.rank,
                 "agency": agency.acronym} for agency, officers in ibet_selectors.team_members(team=team)
                for officer in officers]
