"""Mapping and validation only. Unknown fields and fields a caller may not set are refused by name."""

from decimal import Decimal

from django.core.validators import MaxValueValidator
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from partnerships import access
from partnerships.models import (
    AccessLevel,
    Agency,
    EnforcementResult,
    JointCase,
    Officer,
    Purpose,
    Subject,
    Team,
)
from portal import limits


class StrictSerializer(serializers.Serializer):
    """Refuses any field it does not take, instead of ignoring it.

    Every write of the API goes through one of these, so this is where the API takes the portal's limits
    (portal/limits.py): dates in range, and whole numbers no larger than a column holds (a field may set a
    smaller maximum of its own)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if field.read_only:
                continue
            if isinstance(field, (serializers.DateField, serializers.DateTimeField)):
                field.validators.append(limits.check_date_in_range)
            elif isinstance(field, serializers.IntegerField) and field.max_value is None:
                field.max_value = limits.MAX_ID
                field.validators.append(MaxValueValidator(
                    limits.MAX_ID, message=field.error_messages["max_value"].format(max_value=limits.MAX_ID)))
        return fields

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data.keys()) - writable)
            if unknown:
                known = set(self.fields) | {"reference", "lead_agency", "created_at", "updated_at", "opened_at",
                                            "shared_with", "url", "caveat"}
                raise serializers.ValidationError({
                    name: [_("This field cannot be set.") if name in known else _("Unknown field.")]
                    for name in unknown
                })
            from partnerships.api.base import refuse_naive_datetimes  # base imports the services

            refuse_naive_datetimes(data, [name for name, field in self.fields.items()
                                          if isinstance(field, serializers.DateTimeField) and not field.read_only])
        return super().to_internal_value(data)


class TextField(serializers.CharField):
    """A string, and only a string: 42 or true are refused rather than turned into text."""

    default_error_messages = {"invalid": _lazy("Give text here.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """true or false, nothing else."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class AgencySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    jurisdiction = serializers.CharField(read_only=True, help_text="State or province code, or empty")

    class Meta:
        model = Agency
        fields = ["acronym", "name", "name_en", "name_fr", "country", "level", "jurisdiction", "parent"]
        read_only_fields = fields

    parent = serializers.SlugRelatedField(slug_field="acronym", read_only=True, allow_null=True,
                                          help_text="Acronym of the parent agency (HSI under ICE), or null")


class AgencyBriefSerializer(serializers.Serializer):
    acronym = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField()


class ShareSerializer(serializers.Serializer):
    agency = serializers.CharField(help_text="Agency acronym")
    level = serializers.ChoiceField(choices=AccessLevel.choices)


class CaseSerializer(serializers.ModelSerializer):
    """A case summary, as agency systems receive it."""

    lead_agency = AgencyBriefSerializer(read_only=True)
    shared_with = serializers.SerializerMethodField()
    caveat = serializers.SerializerMethodField(help_text="The handling caveat (H1 and stricter), or empty.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = JointCase
        fields = ["reference", "title", "summary", "program", "status", "lead_agency", "shared_with",
                  "releasability", "handling_code", "caveat", "opened_at", "closed_at", "updated_at", "url"]
        read_only_fields = fields

    @extend_schema_field(ShareSerializer(many=True))
    def get_shared_with(self, case):
        shares = self.context["shares"].get(case.pk, []) if "shares" in self.context else access.case_shares(case)
        return [{"agency": agency.acronym, "level": str(level)} for agency, level in shares]

    def get_caveat(self, case) -> str:
        return access.evidence_caveat(case)

    def get_url(self, case) -> str:
        path = reverse("api:case_detail", kwargs={"reference": case.reference})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


TITLE_ERRORS = {"blank": _lazy("Give the case a title."), "required": _lazy("Give the case a title.")}


class CaseCreateSerializer(StrictSerializer):
    title = TextField(max_length=200, error_messages=TITLE_ERRORS)
    summary = TextField(required=False, allow_blank=True, default="")
    program = serializers.ChoiceField(choices=JointCase._meta.get_field("program").choices)
    releasability = serializers.ChoiceField(choices=JointCase.Releasability.choices, required=False,
                                            default=JointCase.Releasability.CA_US)
    handling_code = serializers.ChoiceField(choices=JointCase.HandlingCode.choices, required=False,
                                            default=JointCase.HandlingCode.H0)

    def validate_title(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("Give the case a title."))
        return value.strip()


class CaseUpdateSerializer(StrictSerializer):
    title = TextField(max_length=200, required=False, error_messages=TITLE_ERRORS)
    summary = TextField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=JointCase.Status.choices, required=False)
    releasability = serializers.ChoiceField(choices=JointCase.Releasability.choices, required=False)
    handling_code = serializers.ChoiceField(choices=JointCase.HandlingCode.choices, required=False)
    closed_at = serializers.DateField(required=False, allow_null=True)
    confirm_revocations = StrictBooleanField(
        required=False, default=False,
        help_text="Set to true to confirm a tightening that revokes shares (answered 409 otherwise).",
    )

    validate_title = CaseCreateSerializer.validate_title


class ShareCreateSerializer(StrictSerializer):
    """An agency (acronym) or a whole team (its id in GET /api/v1/teams/), as the sharing page offers."""

    agency = serializers.SlugRelatedField(slug_field="acronym", queryset=Agency.objects.filter(is_active=True),
                                          required=False)
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.filter(is_active=True), required=False,
        help_text="A team's id (GET /api/v1/teams/): every member agency but the lead",
        error_messages={"does_not_exist": _lazy("Choose a team from the list."),
                        "incorrect_type": _lazy("Give a team's id.")})
    level = serializers.ChoiceField(choices=AccessLevel.choices)
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    reason = TextField(max_length=2000)

    def validate(self, attrs):
        if bool(attrs.get("agency")) == bool(attrs.get("team")):
            raise serializers.ValidationError(_("Choose either an agency or a team."))
        return attrs


@extend_schema_serializer(component_name="SharingTeam")  # ibet has its own Team
class TeamSerializer(serializers.ModelSerializer):
    member_agencies = serializers.SlugRelatedField(slug_field="acronym", many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "kind", "member_agencies"]
        read_only_fields = fields


class CaseRemovalSerializer(serializers.Serializer):
    reference = serializers.CharField(source="case__reference", read_only=True)
    removed_at = serializers.DateTimeField(read_only=True, help_text="When the caller's agency last lost it")


class RevokeSerializer(StrictSerializer):
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    reason = TextField(max_length=2000)


class OfficerSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="acronym", read_only=True)

    class Meta:
        model = Officer
        fields = ["id", "first_name", "last_name", "rank", "agency", "email", "phone"]
        read_only_fields = fields


# Shared enforcement results (arrests, seizures), as every partnership records them.

class ResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnforcementResult
        fields = ["kind", "category", "quantity", "unit", "description"]
        read_only_fields = fields


class ResultInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=EnforcementResult.Kind.choices)
    category = serializers.ChoiceField(choices=EnforcementResult.Category.choices)
    quantity = serializers.DecimalField(max_digits=limits.QUANTITY_MAX_DIGITS,
                                        decimal_places=limits.QUANTITY_DECIMAL_PLACES, min_value=Decimal("0.001"))
    unit = serializers.ChoiceField(choices=EnforcementResult.Unit.choices)
    description = TextField(max_length=300, required=False, allow_blank=True, default="")


# The search (partnerships/search.py): what one result and one kind's page of results look like.

class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="case, subject, document, occurrence, report, patrol, boarding, target, "
                                           "agenda_item")
    ref = serializers.CharField(help_text="The record's reference (a case) or id")
    title = serializers.CharField(help_text="HTML: escaped text, the matched words in <mark>")
    snippet = serializers.CharField(help_text="HTML, as the title: the passage that matched (may be empty)")
    about = serializers.CharField(help_text="A line about the record (plain text)")
    url = serializers.CharField(help_text="The record's page in the portal")
    exact = serializers.BooleanField(help_text="Found by its reference or a normalized key (phone, plate, email, "
                                               "name): shown first")
    close_match = serializers.BooleanField(help_text="Found only through a word like one typed (a typo, the other "
                                                     "language's spelling)")


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Results of this kind, up to cap + 1 (capped: more than cap)")
    capped = serializers.BooleanField()
    cap = serializers.IntegerField(help_text="How far this kind is counted: 5 in the overview (as many as it shows), "
                                             "1,000 with `kind`")
    page = serializers.IntegerField()
    next = serializers.CharField(allow_null=True, help_text="This kind's next page")
    results = SearchHitSerializer(many=True)


class SearchAnswerSerializer(serializers.Serializer):
    query = serializers.CharField()
    groups = SearchGroupSerializer(many=True)


# A case's subjects, documents and requests to its lead agency, as the case page adds them.

class SubjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subject
        fields = ["id", "kind", "name", "aliases", "date_of_birth", "registration", "jurisdiction", "vin",
                  "created_at"]
        read_only_fields = fields


class SubjectCreateSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Subject.Kind.choices)
    name = TextField(max_length=200, help_text="Name, number or address")
    aliases = TextField(max_length=500, required=False, allow_blank=True, default="",
                        help_text="Aliases, comma-separated")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    registration = TextField(max_length=50, required=False, allow_blank=True, default="",
                             help_text="Registration, hull number or plate")
    jurisdiction = TextField(max_length=50, required=False, allow_blank=True, default="",
                             help_text="Flag or jurisdiction")
    vin = TextField(max_length=17, required=False, allow_blank=True, default="")


class SubjectAddedSerializer(SubjectSerializer):
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True,
                                     help_text="Deconfliction: other agencies holding a matching subject, to contact")

    class Meta(SubjectSerializer.Meta):
        fields = [*SubjectSerializer.Meta.fields, "warnings"]
        read_only_fields = fields


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    sha256 = serializers.CharField(read_only=True)
    agency = serializers.CharField(source="uploaded_by_agency.acronym", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class DocumentCreateSerializer(StrictSerializer):
    file = serializers.FileField(allow_empty_file=True, help_text="The file (multipart/form-data); the types and "
                                                                  "size the page accepts")


class CaseRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    requesting_agency = serializers.CharField(source="requesting_agency.acronym", read_only=True)
    target_agency = serializers.CharField(source="target_agency.acronym", read_only=True, allow_null=True,
                                          default=None)
    level = serializers.CharField(read_only=True)
    purpose = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decision_note = serializers.CharField(read_only=True)


class ShareRequestCreateSerializer(StrictSerializer):
    target_agency = TextField(max_length=20, help_text="Acronym of the agency the case should be shared with")
    level = serializers.ChoiceField(choices=AccessLevel.choices)
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    reason = TextField(max_length=2000)


class CourtReleaseCreateSerializer(StrictSerializer):
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    reason = TextField(max_length=2000, help_text="Proceedings (court, file number) and what will be used")


class RequestDecisionSerializer(StrictSerializer):
    approve = StrictBooleanField()
    note = TextField(max_length=2000, required=False, allow_blank=True, default="")
