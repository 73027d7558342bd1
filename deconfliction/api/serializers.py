from django.utils.translation import gettext as _
from rest_framework import serializers

from deconfliction.matching import MAX_RADIUS_M
from deconfliction.models import Hit, HitParty, NamedArea
from partnerships.api.serializers import StrictSerializer
from partnerships.models import Subject


class SubjectProbeSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Subject.Kind.choices)
    name = serializers.CharField(max_length=200)
    aliases = serializers.CharField(max_length=500, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    registration = serializers.CharField(max_length=50, required=False, allow_blank=True)
    jurisdiction = serializers.CharField(max_length=50, required=False, allow_blank=True)
    vin = serializers.CharField(max_length=17, required=False, allow_blank=True)


class EventProbeSerializer(StrictSerializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    area = serializers.SlugRelatedField(slug_field="name_en", queryset=NamedArea.objects.all(), required=False,
                                        help_text="A named area (its English name), instead of a point and radius.")
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False)
    radius_m = serializers.IntegerField(min_value=0, max_value=MAX_RADIUS_M, required=False)

    def validate(self, data):
        if "area" not in data and any(name not in data for name in ("latitude", "longitude", "radius_m")):
            raise serializers.ValidationError(_("Give a named area, or a point (latitude and longitude) and a radius."))
        if data["ends_at"] <= data["starts_at"]:
            raise serializers.ValidationError({"ends_at": [_("The operation must end after it starts.")]})
        return data


class CheckSerializer(StrictSerializer):
    """One subject or one planned operation to check before entering it."""

    subject = SubjectProbeSerializer(required=False)
    event = EventProbeSerializer(required=False)

    def validate(self, data):
        if ("subject" in data) == ("event" in data):
            raise serializers.ValidationError(_("Give either a subject or an event to check."))
        return data


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class PointerSerializer(serializers.Serializer):
    """All one side learns of the other: the agency, whom to call, and how sure the match is."""

    kind = serializers.ChoiceField(choices=Hit.Kind.choices)
    certainty = serializers.ChoiceField(choices=Hit.Certainty.choices)
    agency = serializers.CharField(source="agency.acronym")
    agency_name = serializers.CharField(source="agency.name")
    contacts = ContactSerializer(many=True)


class CheckResultSerializer(serializers.Serializer):
    hits = PointerSerializer(many=True)


class HitPartySerializer(serializers.ModelSerializer):
    """The caller's agency's side of a hit, with the pointer to the other side."""

    kind = serializers.CharField(source="hit.kind")
    certainty = serializers.CharField(source="hit.certainty")
    found_at = serializers.DateTimeField(source="hit.created_at")
    case = serializers.SerializerMethodField()
    subject = serializers.IntegerField(source="subject_id", allow_null=True)
    event = serializers.IntegerField(source="event_id", allow_null=True)
    other = serializers.SerializerMethodField()

    class Meta:
        model = HitParty
        fields = ["id", "kind", "certainty", "found_at", "case", "subject", "event", "status", "outcome", "other"]

    def get_case(self, party) -> str | None:
        case = party.case
        return case.reference if case else None

    def get_other(self, party) -> PointerSerializer:
        return PointerSerializer(self.context["pointers"][party.pk]).data
