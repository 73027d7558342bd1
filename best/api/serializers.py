"""BEST API mapping and validation, on the API's conventions."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from best.models import Arrest, Charge, Conviction, Investigation, Membership, MlatRequest, Referral, Unit
from partnerships.api.serializers import StrictSerializer, TextField
from partnerships.models import Country, EnforcementResult
from portal import limits


class UnitSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    member_agencies = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = ["id", "name", "hsi_office", "area_of_responsibility", "established_on", "ibet_in_area",
                  "member_agencies"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_member_agencies(self, unit):
        return sorted(agency.acronym for agency in unit.team.member_agencies.all())


class MembershipSerializer(serializers.ModelSerializer):
    officer = serializers.IntegerField(source="officer_id", read_only=True)
    agency = serializers.CharField(source="officer.agency.acronym", read_only=True)
    title19_valid_to = serializers.DateField(source="designation.valid_to", read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = ["unit", "officer", "agency", "role", "starts_on", "ends_on", "title19_valid_to"]
        read_only_fields = fields


class ArrestSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="subject.name", read_only=True)

    class Meta:
        model = Arrest
        fields = ["id", "person", "arrested_on", "charging_country", "nationality"]
        read_only_fields = fields


class ChargeSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="subject.name", read_only=True)

    class Meta:
        model = Charge
        fields = ["id", "person", "court", "jurisdiction", "charged_on", "counts"]
        read_only_fields = fields


class ConvictionSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="subject.name", read_only=True)

    class Meta:
        model = Conviction
        fields = ["id", "person", "court", "convicted_on", "sentence"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    class Meta:
        model = Referral
        fields = ["id", "country", "office", "referred_on", "status", "decided_on"]
        read_only_fields = fields


class MlatSerializer(serializers.ModelSerializer):
    class Meta:
        model = MlatRequest
        fields = ["id", "requesting_country", "asked", "sent_on", "acknowledged_on", "executed_on", "status",
                  "last_news_on"]
        read_only_fields = fields


class InvestigationSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="case.reference", read_only=True)
    title = serializers.CharField(source="case.title", read_only=True)
    unit = serializers.IntegerField(source="unit_id", read_only=True)
    targets = serializers.SerializerMethodField()
    arrests = ArrestSerializer(many=True, read_only=True)
    charges = ChargeSerializer(many=True, read_only=True)
    convictions = ConvictionSerializer(many=True, read_only=True)
    referrals = ReferralSerializer(many=True, read_only=True)
    mlat_requests = MlatSerializer(many=True, read_only=True)

    class Meta:
        model = Investigation
        fields = ["reference", "title", "unit", "priorities", "foreign_nexus", "stage", "targets", "arrests",
                  "charges", "convictions", "referrals", "mlat_requests"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_targets(self, investigation):
        return [{"name": t.name, "aliases": t.aliases, "kind": t.kind,
                 "members": [{"person": m.subject.name, "role": m.role} for m in t.members.all()],
                 "linked": [other.name for other in t.linked.all()]} for t in investigation.targets.all()]


class ArrestCreateSerializer(StrictSerializer):
    person = serializers.IntegerField(min_value=1, help_text="Id of a person subject of the case")
    arrested_on = serializers.DateField()
    charging_country = serializers.ChoiceField(choices=Country.choices)
    nationality = TextField(max_length=50)


class SeizureCreateSerializer(StrictSerializer):
    seized_on = serializers.DateField()
    category = serializers.ChoiceField(choices=[c for c in EnforcementResult.Category.choices if c[0] != "persons"])
    quantity = serializers.DecimalField(max_digits=limits.QUANTITY_MAX_DIGITS,
                                        decimal_places=limits.QUANTITY_DECIMAL_PLACES, min_value=Decimal("0.001"))
    unit = serializers.ChoiceField(choices=EnforcementResult.Unit.choices)
    description = TextField(max_length=300, required=False, allow_blank=True, default="",
                            help_text="What was seized")
