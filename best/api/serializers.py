"""BEST API mapping and validation, on the API's conventions."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from best.models import (
    Arrest,
    Charge,
    Conviction,
    Investigation,
    Membership,
    MlatRequest,
    OrganizationMember,
    Referral,
    TargetOrganization,
    Unit,
)
from partnerships.api.serializers import StrictBooleanField, StrictSerializer, TextField
from partnerships.models import Country, EnforcementResult, JointCase
from portal import limits


class UnitSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    member_agencies = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = ["id", "name", "status", "hsi_office", "area_of_responsibility", "established_on", "ibet_in_area",
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
        fields = ["id", "unit", "officer", "agency", "role", "starts_on", "ends_on", "title19_valid_to"]
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
        return [{"id": t.pk, "name": t.name, "aliases": t.aliases, "kind": t.kind,
                 "members": [{"person": m.subject.name, "role": m.role} for m in t.members.all()],
                 "linked": [other.name for other in t.linked.all()]} for t in investigation.targets.all()]


class ArrestCreateSerializer(StrictSerializer):
    person = serializers.IntegerField(min_value=1, help_text="Id of a person subject of the case")
    arrested_on = serializers.DateField()
    charging_country = serializers.ChoiceField(choices=Country.choices)
    nationality = TextField(max_length=50)
    confirm_duplicate = StrictBooleanField(
        required=False, default=False,
        help_text="true to record a second arrest of the person that day (refused with 400 otherwise)")


class SeizureCreateSerializer(StrictSerializer):
    seized_on = serializers.DateField()
    category = serializers.ChoiceField(choices=[c for c in EnforcementResult.Category.choices if c[0] != "persons"])
    quantity = serializers.DecimalField(max_digits=limits.QUANTITY_MAX_DIGITS,
                                        decimal_places=limits.QUANTITY_DECIMAL_PLACES, min_value=Decimal("0.001"))
    unit = serializers.ChoiceField(choices=EnforcementResult.Unit.choices)
    description = TextField(max_length=300, required=False, allow_blank=True, default="",
                            help_text="What was seized")


# The investigation page's forms, one serializer each (the same fields, rules and messages).

class InvestigationCreateSerializer(StrictSerializer):
    unit = serializers.IntegerField(min_value=1, help_text="Id of a unit the caller's agency is a member of")
    title = TextField(max_length=200)
    summary = TextField(required=False, allow_blank=True, default="", max_length=10000)
    priorities = serializers.ListField(child=serializers.ChoiceField(choices=Investigation.Priority.choices),
                                       allow_empty=False)
    foreign_nexus = TextField(max_length=2000)
    releasability = serializers.ChoiceField(choices=JointCase.Releasability.choices, required=False,
                                            default=JointCase.Releasability.CA_US)
    handling_code = serializers.ChoiceField(choices=JointCase.HandlingCode.choices, required=False,
                                            default=JointCase.HandlingCode.H0)


class StageSerializer(StrictSerializer):
    stage = serializers.ChoiceField(choices=Investigation.Stage.choices)
    on = serializers.DateField()
    note = TextField(max_length=300, required=False, allow_blank=True, default="")


class TargetCreateSerializer(StrictSerializer):
    name = TextField(max_length=200)
    aliases = TextField(max_length=300, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=TargetOrganization.Kind.choices)
    linked = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=limits.MAX_ID),
                                   required=False, default=list,
                                   help_text="Ids of the investigation's other target organizations")


class TargetSerializer(serializers.ModelSerializer):
    linked = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = TargetOrganization
        fields = ["id", "name", "aliases", "kind", "linked"]
        read_only_fields = fields


class MemberCreateSerializer(StrictSerializer):
    organization = serializers.IntegerField(min_value=1, help_text="Id of a target organization of the case")
    person = serializers.IntegerField(min_value=1, help_text="Id of a person subject of the case")
    role = TextField(max_length=100, help_text="Role in the organization")


class MemberSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="subject.name", read_only=True)

    class Meta:
        model = OrganizationMember
        fields = ["id", "organization", "person", "role"]
        read_only_fields = fields


class ChargeCreateSerializer(StrictSerializer):
    person = serializers.IntegerField(min_value=1, help_text="Id of a person subject of the case")
    court = TextField(max_length=200)
    jurisdiction = TextField(max_length=100)
    charged_on = serializers.DateField()
    counts = serializers.IntegerField(min_value=1, max_value=limits.MAX_COUNT)


class ConvictionCreateSerializer(StrictSerializer):
    person = serializers.IntegerField(min_value=1, help_text="Id of a person subject of the case")
    court = TextField(max_length=200)
    convicted_on = serializers.DateField()
    sentence = TextField(max_length=300)


class ReferralCreateSerializer(StrictSerializer):
    country = serializers.ChoiceField(choices=Country.choices)
    office = TextField(max_length=200, help_text="A US Attorney's Office, or the Public Prosecution Service of Canada")
    referred_on = serializers.DateField()


class ReferralDecisionSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=[c for c in Referral.Status.choices if c[0] != "referred"])
    on = serializers.DateField()


class MlatCreateSerializer(StrictSerializer):
    requesting_country = serializers.ChoiceField(choices=Country.choices)
    asked = TextField(max_length=5000, help_text="What is asked")
    sent_on = serializers.DateField()


class MlatNewsSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=[c for c in MlatRequest.Status.choices if c[0] != "sent"])
    on = serializers.DateField()


class MembershipCreateSerializer(StrictSerializer):
    officer = serializers.IntegerField(min_value=1, help_text="Id of an active officer of a member agency")
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    designation = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None,
                                           help_text="A task force officer's own active Title 19 designation (id)")


class MembershipEndSerializer(StrictSerializer):
    ends_on = serializers.DateField(help_text="Last day")


class UnitStatusSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=Unit.Status.choices)
