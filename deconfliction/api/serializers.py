from django.utils.translation import gettext as _
from rest_framework import serializers

from deconfliction.matching import MAX_RADIUS_M
from deconfliction.models import Hit, HitParty, NamedArea, PlannedEvent
from deconfliction.services import MAX_SUBJECTS_PER_CHECK
from partnerships.api.serializers import StrictSerializer, TextField
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
    """One subject, several subjects (one check, one notice to each agency it hits) or one planned operation to
    check before entering it."""

    subject = SubjectProbeSerializer(required=False)
    subjects = serializers.ListField(child=SubjectProbeSerializer(), required=False, min_length=1,
                                     max_length=MAX_SUBJECTS_PER_CHECK,
                                     help_text=f"Up to {MAX_SUBJECTS_PER_CHECK} subjects checked together; each "
                                               "counts as one check against the hourly limit.")
    event = EventProbeSerializer(required=False)

    def validate(self, data):
        if sum(name in data for name in ("subject", "subjects", "event")) != 1:
            raise serializers.ValidationError(_("Give either a subject, subjects or an event to check."))
        return data


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class PointerSerializer(serializers.Serializer):
    """All one side learns of the other: the agency, whom to call, and, for the side whose work was there first, how
    sure the match is (null for the side that ran the check)."""

    kind = serializers.ChoiceField(choices=Hit.Kind.choices)
    certainty = serializers.ChoiceField(choices=Hit.Certainty.choices, allow_null=True)
    agency = serializers.CharField(source="agency.acronym")
    agency_name = serializers.CharField(source="agency.name")
    contacts = ContactSerializer(many=True)


class CheckPointerSerializer(serializers.Serializer):
    """One agency whose work the check overlaps, and whom to call: never how sure, on what, where or when."""

    kind = serializers.ChoiceField(choices=Hit.Kind.choices)
    agency = serializers.CharField(source="agency.acronym")
    agency_name = serializers.CharField(source="agency.name")
    contacts = ContactSerializer(many=True)
    probes = serializers.ListField(child=serializers.IntegerField(), help_text=(
        "Positions (from 0) of the checked subjects that overlap this agency's work; [0] for a single subject or "
        "an operation."))


class CheckResultSerializer(serializers.Serializer):
    hits = CheckPointerSerializer(many=True, help_text="One entry per agency whose work overlaps, by acronym; "
                                                       "empty when none does.")


class HitPartySerializer(serializers.ModelSerializer):
    """The caller's agency's side of a hit: one of its subjects or operations and one other agency, however many of
    that agency's records matched, with the pointer to the other side. Acknowledging or closing it acts on all."""

    kind = serializers.CharField()
    certainty = serializers.SerializerMethodField()
    found_at = serializers.DateTimeField()
    case = serializers.SerializerMethodField()
    subject = serializers.IntegerField(source="subject_id", allow_null=True)
    event = serializers.IntegerField(source="event_id", allow_null=True)
    other = serializers.SerializerMethodField()

    class Meta:
        model = HitParty
        fields = ["id", "kind", "certainty", "found_at", "case", "subject", "event", "status", "outcome", "other"]

    def get_certainty(self, group) -> str | None:
        """How sure the match is: for the side whose work was there first; null for the side that ran the check."""
        return group.certainty

    def get_case(self, group) -> str | None:
        case = group.case
        return case.reference if case else None

    def get_other(self, group) -> PointerSerializer:
        return PointerSerializer(self.context["pointers"][group.pk]).data


class EventPlanSerializer(EventProbeSerializer):
    """A planned operation to record (the page's form): the probe's when and where, with what and for which case."""

    kind = serializers.ChoiceField(choices=PlannedEvent.Kind.choices)
    title = TextField(max_length=200, help_text="Seen only by the caller's agency")
    case = TextField(max_length=30, required=False, allow_blank=True, default="",
                     help_text="Optional: the reference of a case the caller's agency contributes to")


class PlannedEventSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="name_en", read_only=True, allow_null=True)
    case = serializers.CharField(source="case.reference", read_only=True, allow_null=True, default=None)
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True,
                                     help_text="The other agencies whose work overlaps, and whom to call")

    class Meta:
        model = PlannedEvent
        fields = ["id", "kind", "title", "case", "starts_at", "ends_at", "area", "latitude", "longitude", "radius_m",
                  "warnings"]
        read_only_fields = fields


class HitCloseSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(choices=HitParty.Outcome.choices)
    note = TextField(max_length=2000, required=False, allow_blank=True, default="")
