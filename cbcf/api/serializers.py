"""CBCF API: the meetings, agendas and actions the caller sees; the secretariat's corrections."""

from rest_framework import serializers

from cbcf.models import ActionItem, AgendaItem, AgendaVersion, Initiative, Meeting, Subgroup


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
        fields = ["id", "meeting", "number", "state", "items", "changes", "created_at"]
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


class MeetingEditSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    place = serializers.CharField(max_length=200)
    level = serializers.ChoiceField(choices=Meeting.Level.choices)
    subgroup = serializers.PrimaryKeyRelatedField(queryset=Subgroup.objects.all(), required=False, allow_null=True)


class AgendaItemSerializer(serializers.ModelSerializer):
    """An item of a meeting the caller sees; the reason it was deferred or declined only to the secretariat and
    the proposing agency."""

    proposing_agency = serializers.CharField(source="proposing_agency.acronym", read_only=True)
    reason = serializers.SerializerMethodField()
    carried_to = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "proposing_agency", "title_en", "title_fr", "summary_en", "summary_fr", "purpose",
                  "presenter", "minutes", "status", "reason", "decided_at", "order", "decision", "carried_from",
                  "carried_to"]
        read_only_fields = fields

    def get_reason(self, item) -> str | None:
        return item.reason if item.pk in self.context.get("reasons_for", ()) else None

    def get_carried_to(self, item) -> int | None:
        carried = getattr(item, "carried_to", None) if item.pk in self.context.get("reasons_for", ()) else None
        return carried.meeting_id if carried else None


class AgendaItemEditSerializer(serializers.Serializer):
    title_en = serializers.CharField(max_length=200, required=False)
    title_fr = serializers.CharField(max_length=200, required=False)
    summary_en = serializers.CharField(required=False)
    summary_fr = serializers.CharField(required=False)
    purpose = serializers.ChoiceField(choices=AgendaItem.Purpose.choices, required=False)
    presenter = serializers.CharField(max_length=150, required=False)
    minutes = serializers.IntegerField(min_value=1, max_value=240, required=False)
    background = serializers.CharField(required=False, allow_blank=True)
    background_handling = serializers.ChoiceField(choices=AgendaItem._meta.get_field("background_handling").choices,
                                                  required=False)


class CarrySerializer(serializers.Serializer):
    meeting = serializers.IntegerField(min_value=1, help_text="A later meeting of the same series.")

