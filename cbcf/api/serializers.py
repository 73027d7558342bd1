"""CBCF API: the meetings, agendas and actions the caller sees; the secretariat's corrections."""

from rest_framework import serializers

from cbcf.models import ActionItem, AgendaItem, AgendaVersion, Initiative, Meeting, Participant, Subgroup
from partnerships.api.serializers import StrictBooleanField, StrictSerializer, TextField
from partnerships.models import TIME_ZONE_CHOICES, Country, Program
from portal import limits

NOTE_FIELDS = ["context_en", "context_fr", "issue_en", "issue_fr", "recommendation_en", "recommendation_fr"]


class MeetingSerializer(serializers.ModelSerializer):
    """`title` is the English title (as since the first version), `title_fr` the French one; either may be empty.
    `marking` is the security marking printed on the briefing book."""

    subgroup = serializers.CharField(source="subgroup.name_en", read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = ["id", "title", "title_fr", "level", "subgroup", "starts_at", "place", "host_country",
                  "agenda_state", "agenda_version", "marking"]
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
    """`text` is the action in English (as since the first version), `text_fr` in French; either may be empty."""

    owner = serializers.CharField(source="owner.acronym", read_only=True)

    class Meta:
        model = ActionItem
        fields = ["id", "meeting", "text", "text_fr", "owner", "due_on", "status"]
        read_only_fields = fields


class MeetingEditSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True, help_text="The English title.")
    title_fr = serializers.CharField(max_length=200, allow_blank=True, required=False, help_text="The French title.")
    marking = serializers.ChoiceField(choices=Meeting._meta.get_field("marking").choices, required=False)
    place = serializers.CharField(max_length=200)
    level = serializers.ChoiceField(choices=Meeting.Level.choices)
    subgroup = serializers.PrimaryKeyRelatedField(queryset=Subgroup.objects.all(), required=False, allow_null=True)


class AgendaItemSerializer(serializers.ModelSerializer):
    """An item of a meeting the caller sees, with its briefing note (context = background, issue, recommendation or
    decision sought; each text in English and French, either may be empty); the reason it was deferred or declined
    only to the secretariat and the proposing agency."""

    proposing_agency = serializers.CharField(source="proposing_agency.acronym", read_only=True)
    reason = serializers.SerializerMethodField()
    carried_to = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "proposing_agency", "title_en", "title_fr", "summary_en", "summary_fr", "purpose",
                  "presenter", "minutes", "status", "reason", "decided_at", "order", "decision", "carried_from",
                  "carried_to", *NOTE_FIELDS]
        read_only_fields = fields

    def get_reason(self, item) -> str | None:
        return item.reason if item.pk in self.context.get("reasons_for", ()) else None

    def get_carried_to(self, item) -> int | None:
        carried = getattr(item, "carried_to", None) if item.pk in self.context.get("reasons_for", ()) else None
        return carried.meeting_id if carried else None


class AgendaItemEditSerializer(serializers.Serializer):
    """Either language of a title or summary may be empty, not both (the service says so)."""

    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title_fr = serializers.CharField(max_length=200, required=False, allow_blank=True)
    summary_en = serializers.CharField(required=False, allow_blank=True)
    summary_fr = serializers.CharField(required=False, allow_blank=True)
    context_en = serializers.CharField(required=False, allow_blank=True, help_text="The background (briefing note).")
    context_fr = serializers.CharField(required=False, allow_blank=True)
    issue_en = serializers.CharField(required=False, allow_blank=True)
    issue_fr = serializers.CharField(required=False, allow_blank=True)
    recommendation_en = serializers.CharField(required=False, allow_blank=True,
                                              help_text="The recommendation or decision sought; required (in one "
                                                        "language) for an item for decision.")
    recommendation_fr = serializers.CharField(required=False, allow_blank=True)
    purpose = serializers.ChoiceField(choices=AgendaItem.Purpose.choices, required=False)
    presenter = serializers.CharField(max_length=150, required=False)
    minutes = serializers.IntegerField(min_value=1, max_value=240, required=False)
    background = serializers.CharField(required=False, allow_blank=True, help_text="Background documents, in English")
    background_fr = serializers.CharField(required=False, allow_blank=True, help_text="Background documents, in French")
    background_handling = serializers.ChoiceField(choices=AgendaItem._meta.get_field("background_handling").choices,
                                                  required=False)


class CarrySerializer(serializers.Serializer):
    meeting = serializers.IntegerField(min_value=1, help_text="A later meeting of the same series.")



# The meeting pages' forms, one write serializer each (issue 21: every page action in the API). Texts held in both
# languages need one of each pair at least: the services say so, in the caller's language.


class MeetingCreateSerializer(StrictSerializer):
    title = TextField(max_length=200, required=False, allow_blank=True, default="", help_text="The English title")
    title_fr = TextField(max_length=200, required=False, allow_blank=True, default="", help_text="The French title")
    marking = serializers.ChoiceField(choices=Meeting._meta.get_field("marking").choices, required=False,
                                      default=Meeting._meta.get_field("marking").default)
    level = serializers.ChoiceField(choices=Meeting.Level.choices)
    subgroup = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None,
                                        help_text="The subgroup that meets (id), for a subgroup meeting")
    starts_at = serializers.DateTimeField(help_text="With its UTC offset")
    place = TextField(max_length=200)
    time_zone = serializers.ChoiceField(choices=TIME_ZONE_CHOICES, required=False, default="America/Toronto",
                                        help_text="The time zone of the place")
    host_country = serializers.ChoiceField(choices=Country.choices)
    participants = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=limits.MAX_ID),
                                         allow_empty=False,
                                         help_text="Ids of the active officers invited (as members)")


class ItemProposeSerializer(StrictSerializer):
    title_en = TextField(max_length=200, required=False, allow_blank=True, default="")
    title_fr = TextField(max_length=200, required=False, allow_blank=True, default="")
    summary_en = TextField(required=False, allow_blank=True, default="", max_length=10000)
    summary_fr = TextField(required=False, allow_blank=True, default="", max_length=10000)
    context_en = TextField(required=False, allow_blank=True, default="", max_length=10000,
                           help_text="The background (briefing note)")
    context_fr = TextField(required=False, allow_blank=True, default="", max_length=10000)
    issue_en = TextField(required=False, allow_blank=True, default="", max_length=10000)
    issue_fr = TextField(required=False, allow_blank=True, default="", max_length=10000)
    recommendation_en = TextField(required=False, allow_blank=True, default="", max_length=10000,
                                  help_text="The recommendation or decision sought; required (in one language) for "
                                            "an item for decision")
    recommendation_fr = TextField(required=False, allow_blank=True, default="", max_length=10000)
    purpose = serializers.ChoiceField(choices=AgendaItem.Purpose.choices)
    presenter = TextField(max_length=150)
    minutes = serializers.IntegerField(min_value=1, max_value=240)
    background = TextField(required=False, allow_blank=True, default="", max_length=10000,
                           help_text="Background documents, in English")
    background_fr = TextField(required=False, allow_blank=True, default="", max_length=10000,
                              help_text="Background documents, in French")
    background_handling = serializers.ChoiceField(choices=AgendaItem._meta.get_field("background_handling").choices,
                                                  required=False, default="H0")
    subgroup = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None,
                                        help_text="On behalf of this subgroup (id)")


class PaperSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    item = serializers.IntegerField(source="item_id", read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    title_en = serializers.CharField(read_only=True)
    title_fr = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    agency = serializers.CharField(source="uploaded_by_agency.acronym", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class PaperCreateSerializer(StrictSerializer):
    file = serializers.FileField(allow_empty_file=True, help_text="The paper (multipart/form-data); the types and "
                                                                  "size the page accepts")
    title_en = TextField(max_length=200, required=False, allow_blank=True, default="",
                         help_text="What the paper is, in English")
    title_fr = TextField(max_length=200, required=False, allow_blank=True, default="",
                         help_text="What the paper is, in French")


class ItemDecideSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=[AgendaItem.Status.ACCEPTED, AgendaItem.Status.DEFERRED,
                                              AgendaItem.Status.DECLINED])
    reason = TextField(max_length=300, required=False, allow_blank=True, default="",
                       help_text="Why it is deferred or declined (required then); told to the proposer")


class ItemMoveSerializer(StrictSerializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


class BreakSerializer(StrictSerializer):
    after = serializers.IntegerField(min_value=1, max_value=1000, help_text="The item number it follows")
    minutes = serializers.IntegerField(min_value=1, max_value=240)


class TimingSerializer(StrictSerializer):
    starts_at = serializers.DateTimeField(help_text="With its UTC offset")
    breaks = BreakSerializer(many=True, required=False, default=list)


class AgendaAdvanceSerializer(StrictSerializer):
    state = serializers.ChoiceField(choices=[Meeting.AgendaState.CIRCULATED, Meeting.AgendaState.FINAL])


class DecisionRecordSerializer(StrictSerializer):
    text = TextField(max_length=10000, help_text="The decision the forum took on the item")


class ParticipantSetSerializer(StrictSerializer):
    officer = serializers.IntegerField(min_value=1, help_text="Id of an active officer")
    role = serializers.ChoiceField(choices=Participant.Role.choices)
    delegate_for = TextField(max_length=150, required=False, allow_blank=True, default="",
                             help_text="Whom a delegate stands in for, in English (a delegate needs this or "
                                       "delegate_for_fr, or both)")
    delegate_for_fr = TextField(max_length=150, required=False, allow_blank=True, default="",
                                help_text="Whom a delegate stands in for, in French")
    attended = StrictBooleanField(required=False, default=False)


class ParticipantSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="officer.agency.acronym", read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "meeting", "officer", "agency", "role", "delegate_for", "delegate_for_fr", "attended"]
        read_only_fields = fields


class ActionAddSerializer(StrictSerializer):
    text = TextField(required=False, allow_blank=True, default="", max_length=5000, help_text="In English")
    text_fr = TextField(required=False, allow_blank=True, default="", max_length=5000, help_text="In French")
    owner = TextField(max_length=20, help_text="The owner agency's acronym")
    due_on = serializers.DateField()
    case = TextField(max_length=30, required=False, allow_blank=True, default="",
                     help_text="Optional: the reference of a joint case the caller's agency sees")


class ActionStatusSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=ActionItem.Status.choices)


class InitiativeCreateSerializer(StrictSerializer):
    title_en = TextField(max_length=200)
    title_fr = TextField(max_length=200)
    text_en = TextField(max_length=10000)
    text_fr = TextField(max_length=10000)
    owners = serializers.ListField(child=TextField(max_length=20), allow_empty=False,
                                   help_text="The owner agencies' acronyms")
    partnership = serializers.ChoiceField(choices=Program.choices, required=False, allow_blank=True, default="")
    target_date = serializers.DateField()
    status = serializers.ChoiceField(choices=Initiative.Status.choices, required=False,
                                     default=Initiative.Status.ON_TRACK)


class InitiativeProgressSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=Initiative.Status.choices)
    note = TextField(max_length=1000, help_text="The progress made")


class SubgroupSerializer(serializers.ModelSerializer):
    canadian_co_chair = serializers.IntegerField(source="canadian_co_chair_id", read_only=True)
    american_co_chair = serializers.IntegerField(source="american_co_chair_id", read_only=True)

    class Meta:
        model = Subgroup
        fields = ["id", "name_en", "name_fr", "canadian_co_chair", "american_co_chair"]
        read_only_fields = fields


class SubgroupCreateSerializer(StrictSerializer):
    name_en = TextField(max_length=150)
    name_fr = TextField(max_length=150)
    canadian_co_chair = serializers.IntegerField(min_value=1, help_text="Id of an active officer of a Canadian "
                                                                        "agency")
    american_co_chair = serializers.IntegerField(min_value=1, help_text="Id of an active officer of an American "
                                                                        "agency")
