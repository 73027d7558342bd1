"""CBCF endpoints: meetings the caller is invited to, their items and circulated or final agendas, initiatives
and the action register; the secretariat's corrections, with the pages' services, rules and messages."""

from contextlib import contextmanager

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cbcf import selectors, services
from cbcf.api.serializers import (
    ActionAddSerializer,
    ActionItemSerializer,
    ActionStatusSerializer,
    AgendaAdvanceSerializer,
    AgendaItemEditSerializer,
    AgendaItemSerializer,
    AgendaSerializer,
    CarrySerializer,
    DecisionRecordSerializer,
    InitiativeCreateSerializer,
    InitiativeProgressSerializer,
    InitiativeSerializer,
    ItemDecideSerializer,
    ItemMoveSerializer,
    ItemProposeSerializer,
    MeetingCreateSerializer,
    MeetingEditSerializer,
    MeetingSerializer,
    PaperCreateSerializer,
    PaperSerializer,
    ParticipantSerializer,
    ParticipantSetSerializer,
    SubgroupCreateSerializer,
    SubgroupSerializer,
    TimingSerializer,
)
from cbcf.filters import ActionFilter
from cbcf.models import AgendaVersion
from partnerships import access, attachments
from partnerships import selectors as core_selectors
from partnerships.api.base import valid
from partnerships.api.views import DirectoryPages
from partnerships.models import AuditEvent

PK = OpenApiParameter("id", int, OpenApiParameter.PATH)  # drf-spectacular names a path's <pk> "id"


# A secretariat action by anyone who may see what it acts on: 403 with the service's message (who may not see it
# gets 404 first: not theirs looks like not there). Any other refusal is about the action now: 400.
SECRETARIAT_ONLY = OpenApiResponse(description="Only the CBCF secretariat does this")
NOT_ALLOWED = OpenApiResponse(description="Not the caller's to do (the secretariat's, or the owner's or proposer's)")


def _refused(refusal):
    if isinstance(refusal, services.NotAllowed):
        return exceptions.PermissionDenied(str(refusal))
    return serializers.ValidationError({"non_field_errors": [str(refusal)]})


def _secretariat_only(user):
    if not services.is_secretariat(user):
        raise exceptions.PermissionDenied(_("Only the CBCF secretariat does this."))


@contextmanager
def _forum_refusals():
    """A service's refusal in the caller's language: 403 when the action is not theirs, else 400 (the services are
    atomic: nothing of a refused write is kept)."""
    try:
        yield
    except services.ForumRefused as refusal:
        raise _refused(refusal) from refusal


def _reasons_for(user, items):
    """The items whose reason (and where they were brought) the caller may read: the secretariat's, its agency's."""
    return set(selectors.items_editable_by(user=user).filter(pk__in=[item.pk for item in items])
               .values_list("pk", flat=True))


class MeetingList(generics.ListAPIView):
    serializer_class = MeetingSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.meeting_list(user=self.request.user).order_by("-starts_at", "pk")


class AgendaList(generics.ListAPIView):
    """Agendas as circulated or made final, every version kept as it was."""

    serializer_class = AgendaSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return AgendaVersion.objects.filter(meeting__in=selectors.meeting_list(user=self.request.user)).order_by(
            "meeting", "number", "id")


class InitiativeList(generics.ListAPIView):
    serializer_class = InitiativeSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.initiative_list().order_by("target_date", "pk")


class ActionItemList(generics.ListAPIView):
    """The action register, filtered as on the page: status, owner agency, meeting, overdue, due-date range."""

    serializer_class = ActionItemSerializer
    pagination_class = DirectoryPages
    filterset_class = ActionFilter

    def get_queryset(self):
        return selectors.action_register(user=self.request.user).order_by("due_on", "pk")


class MeetingDetail(APIView):
    """One meeting; the secretariat corrects its title, place and level (calendars get a new SEQUENCE)."""

    @extend_schema(parameters=[PK], responses={200: MeetingSerializer})
    def get(self, request, pk):
        return Response(MeetingSerializer(get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)).data)

    @extend_schema(parameters=[PK], request=MeetingEditSerializer,
                   responses={200: MeetingSerializer, 403: SECRETARIAT_ONLY})
    def patch(self, request, pk):
        meeting = get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)
        _secretariat_only(request.user)
        current = {"title": meeting.title, "title_fr": meeting.title_fr, "place": meeting.place,
                   "level": meeting.level, "subgroup": meeting.subgroup_id, "marking": meeting.marking}
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        data = MeetingEditSerializer(data={**current, **request.data})
        data.is_valid(raise_exception=True)
        try:
            meeting = services.meeting_update(by=request.user, meeting=meeting, **data.validated_data)
        except services.ForumRefused as refusal:
            raise _refused(refusal) from refusal
        return Response(MeetingSerializer(meeting).data)


class AgendaItemList(generics.ListAPIView):
    """Every item of the meetings the caller sees; `reason` is given to the secretariat and the proposing agency."""

    serializer_class = AgendaItemSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.agenda_items(user=self.request.user).select_related(
            "proposing_agency", "carried_to").order_by("meeting", "order", "pk")

    def get_serializer(self, *args, **kwargs):
        items = args[0] if args else []
        kwargs.setdefault("context", self.get_serializer_context())
        kwargs["context"]["reasons_for"] = _reasons_for(self.request.user, items)
        return self.serializer_class(*args, **kwargs)


class AgendaItemDetail(APIView):
    """Correct an item: the secretariat at any time, the proposing agency while it is proposed."""

    @extend_schema(parameters=[PK], request=AgendaItemEditSerializer, responses={200: AgendaItemSerializer})
    def patch(self, request, pk):
        item = get_object_or_404(selectors.items_editable_by(user=request.user), pk=pk)
        data = AgendaItemEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            item = services.item_update(by=request.user, item=item, **data.validated_data)
        except services.ForumRefused as refusal:
            raise _refused(refusal) from refusal
        return Response(AgendaItemSerializer(item, context={"reasons_for": {item.pk}}).data)


class AgendaItemCarry(APIView):
    """Bring a deferred item to a later meeting of the same series (the secretariat)."""

    @extend_schema(parameters=[PK], request=CarrySerializer,
                   responses={201: AgendaItemSerializer, 403: SECRETARIAT_ONLY})
    def post(self, request, pk):
        item = get_object_or_404(selectors.items_editable_by(user=request.user), pk=pk)
        _secretariat_only(request.user)
        data = CarrySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = services.later_meetings(item).filter(pk=data.validated_data["meeting"]).first()
        try:
            if meeting is None:
                raise serializers.ValidationError({"meeting": [_("Choose a later meeting of the same series.")]})
            carried = services.item_carry(by=request.user, item=item, meeting=meeting)
        except services.ForumRefused as refusal:
            raise _refused(refusal) from refusal
        return Response(AgendaItemSerializer(carried, context={"reasons_for": {carried.pk}}).data,
                        status=status.HTTP_201_CREATED)


# --- the meeting pages' actions (issue 21: every page action in the API) ------------------------------------------
# The same services, rules and messages as the pages, recorded through door = API. A meeting or item the caller may
# not see is 404; a secretariat action by anyone else is refused with the service's message (403), before its body
# is read, as above.

API = AuditEvent.Door.API


def _meeting(request, pk):
    return get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)


def _secretariat_meeting(request, pk):
    """A meeting the caller sees (404 otherwise) for a secretariat action (403 for anyone else)."""
    meeting = _meeting(request, pk)
    _secretariat_only(request.user)
    return meeting


def _subgroup(values, field="subgroup"):
    if values.get(field) is not None:
        values[field] = selectors.subgroup_list().filter(pk=values[field]).first()
        if values[field] is None:
            raise serializers.ValidationError({field: [_("Unknown subgroup.")]})
    return values


def _item_response(item, status_code=status.HTTP_200_OK):
    return Response(AgendaItemSerializer(item, context={"reasons_for": {item.pk}}).data, status=status_code)


class MeetingListCreate(MeetingList):
    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer, 403: SECRETARIAT_ONLY})
    def post(self, request):
        """Open a meeting (the secretariat), inviting officers as members; open action items of earlier meetings of
        the same series come onto its agenda."""
        _secretariat_only(request.user)
        values = _subgroup(valid(MeetingCreateSerializer, request))
        ids = set(values.pop("participants"))
        officers = list(core_selectors.officer_directory().filter(pk__in=ids))
        if len(officers) != len(ids):
            raise serializers.ValidationError({"participants": [_("No active officer has one of these ids.")]})
        with _forum_refusals():
            meeting = services.meeting_create(by=request.user, participants=[(o, "member") for o in officers],
                                              door=API, **values)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class MeetingItems(APIView):
    @extend_schema(parameters=[PK], request=ItemProposeSerializer, responses={201: AgendaItemSerializer})
    def post(self, request, pk):
        """Propose an item with its briefing note (an agency invited to the meeting, or the secretariat)."""
        meeting = _meeting(request, pk)
        values = _subgroup(valid(ItemProposeSerializer, request))
        with _forum_refusals():
            item = services.item_propose(by=request.user, meeting=meeting, door=API, **values)
        return _item_response(item, status.HTTP_201_CREATED)


class ItemPapers(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(parameters=[PK], request={"multipart/form-data": PaperCreateSerializer},
                   responses={201: PaperSerializer})
    def post(self, request, pk):
        """Attach a background paper (multipart/form-data, field `file`, with its `title_en` and/or `title_fr`):
        the secretariat, or the agency that proposed the item; 404 for anyone else."""
        item = get_object_or_404(selectors.items_editable_by(user=request.user), pk=pk)
        values = valid(PaperCreateSerializer, request)
        try:
            paper = services.paper_attach(item=item, upload=values["file"], by=request.user, door=API,
                                          title_en=values["title_en"], title_fr=values["title_fr"])
        except services.NotAllowed as refusal:
            raise _refused(refusal) from refusal
        except (services.ForumRefused, attachments.AttachmentRefused) as refusal:
            raise serializers.ValidationError({"file": [str(refusal)]}) from refusal
        return Response(PaperSerializer(paper).data, status=status.HTTP_201_CREATED)


class ItemAction(APIView):
    """An item of a meeting the caller sees (404 otherwise), acted on by the secretariat (403 for anyone else): the
    request's body through `body`, then `service`; the answer is the item as it stands after."""

    body = service = None

    def item(self, request, pk):
        return get_object_or_404(selectors.agenda_items(user=request.user), pk=pk)

    def act(self, request, pk):
        item = self.item(request, pk)
        _secretariat_only(request.user)
        values = valid(self.body, request)
        with _forum_refusals():
            self.service(by=request.user, item=item, door=API, **values)
        return _item_response(self.item(request, pk))


def _item_action_schema(body):
    return extend_schema(parameters=[PK], request=body, responses={200: AgendaItemSerializer, 403: SECRETARIAT_ONLY})


class ItemDecide(ItemAction):
    body, service = ItemDecideSerializer, staticmethod(services.item_decide)

    @_item_action_schema(ItemDecideSerializer)
    def post(self, request, pk):
        """Accept, defer or decline a proposed item (the secretariat); deferring or declining needs the reason, which
        the proposer is told. Deciding as it already stands changes nothing and starts no version."""
        return self.act(request, pk)


class ItemMove(ItemAction):
    body, service = ItemMoveSerializer, staticmethod(services.item_move)

    @_item_action_schema(ItemMoveSerializer)
    def post(self, request, pk):
        """Move an accepted item one place up or down the agenda (the secretariat); the first up or the last down
        moves nothing and starts no version."""
        return self.act(request, pk)


class ItemDecision(ItemAction):
    body, service = DecisionRecordSerializer, staticmethod(services.decision_record)

    @_item_action_schema(DecisionRecordSerializer)
    def post(self, request, pk):
        """Record the decision the forum took on the item (the secretariat)."""
        return self.act(request, pk)


class MeetingTiming(APIView):
    @extend_schema(parameters=[PK], request=TimingSerializer,
                   responses={200: MeetingSerializer, 403: SECRETARIAT_ONLY})
    def post(self, request, pk):
        """Set the start time and the breaks (each after an item's number, in minutes); the timetable follows
        (the secretariat). The same timing again changes nothing."""
        meeting = _secretariat_meeting(request, pk)
        values = valid(TimingSerializer, request)
        breaks = [dict(row) for row in values["breaks"]]
        with _forum_refusals():
            meeting = services.meeting_timing(by=request.user, meeting=meeting, starts_at=values["starts_at"],
                                              breaks=breaks, door=API)
        return Response(MeetingSerializer(meeting).data)


class AgendaAdvance(APIView):
    @extend_schema(parameters=[PK], request=AgendaAdvanceSerializer,
                   responses={200: MeetingSerializer, 403: SECRETARIAT_ONLY})
    def post(self, request, pk):
        """Circulate or finalize the agenda (the secretariat): a copy is kept as it stood, and the participants are
        told (in-app, email, updated invitation)."""
        meeting = _secretariat_meeting(request, pk)
        values = valid(AgendaAdvanceSerializer, request)
        with _forum_refusals():
            meeting = services.agenda_advance(by=request.user, meeting=meeting, door=API, **values)
        return Response(MeetingSerializer(meeting).data)


class MeetingParticipants(APIView):
    @extend_schema(parameters=[PK], request=ParticipantSetSerializer,
                   responses={200: ParticipantSerializer, 403: SECRETARIAT_ONLY})
    def post(self, request, pk):
        """Invite an officer, or record their role (a delegate: for whom) and attendance (the secretariat)."""
        meeting = _secretariat_meeting(request, pk)
        values = valid(ParticipantSetSerializer, request)
        values["officer"] = core_selectors.officer_directory().filter(pk=values["officer"]).first()
        if values["officer"] is None:
            raise serializers.ValidationError({"officer": [_("No active officer has this id.")]})
        with _forum_refusals():
            participant = services.participant_set(by=request.user, meeting=meeting, door=API, **values)
        return Response(ParticipantSerializer(participant).data)


class MeetingActions(APIView):
    @extend_schema(parameters=[PK], request=ActionAddSerializer,
                   responses={201: ActionItemSerializer, 403: SECRETARIAT_ONLY})
    def post(self, request, pk):
        """Add an action item, in English and French (one at least), owned by an agency, optionally linked to a
        joint case the caller's agency sees (the secretariat); carried to the next meetings until done."""
        meeting = _secretariat_meeting(request, pk)
        values = valid(ActionAddSerializer, request)
        errors = {}
        values["owner"] = core_selectors.active_agencies().filter(acronym=values["owner"]).first()
        if values["owner"] is None:
            errors["owner"] = [_("Unknown agency.")]
        reference = values.pop("case").strip()
        values["case"] = access.cases_visible_to(request.user).filter(reference=reference).first() \
            if reference else None
        if reference and values["case"] is None:
            errors["case"] = [_("Link a case your agency can see.")]
        if errors:
            raise serializers.ValidationError(errors)
        with _forum_refusals():
            action = services.action_add(by=request.user, meeting=meeting, door=API, **values)
        return Response(ActionItemSerializer(action).data, status=status.HTTP_201_CREATED)


class ActionStatus(APIView):
    @extend_schema(parameters=[PK], request=ActionStatusSerializer,
                   responses={200: ActionItemSerializer, 403: NOT_ALLOWED})
    def post(self, request, pk):
        """Set an action item's status (the secretariat, or the owner agency)."""
        action = get_object_or_404(selectors.action_register(user=request.user), pk=pk)
        values = valid(ActionStatusSerializer, request)
        with _forum_refusals():
            action = services.action_set_status(by=request.user, action=action, door=API, **values)
        return Response(ActionItemSerializer(action).data)


class InitiativeListCreate(InitiativeList):
    @extend_schema(request=InitiativeCreateSerializer, responses={201: InitiativeSerializer, 403: SECRETARIAT_ONLY})
    def post(self, request):
        """Add an initiative the forum tracks, in English and French, with its owner agencies (the secretariat)."""
        _secretariat_only(request.user)
        values = valid(InitiativeCreateSerializer, request)
        acronyms = set(values["owners"])
        values["owners"] = list(core_selectors.active_agencies().filter(acronym__in=acronyms))
        if len(values["owners"]) != len(acronyms):
            raise serializers.ValidationError({"owners": [_("Unknown agency: %(acronyms)s.") % {"acronyms": ", ".join(
                sorted(acronyms - {agency.acronym for agency in values["owners"]}))}]})
        with _forum_refusals():
            initiative = services.initiative_create(by=request.user, door=API, **values)
        return Response(InitiativeSerializer(initiative).data, status=status.HTTP_201_CREATED)


class InitiativeProgress(APIView):
    @extend_schema(parameters=[PK], request=InitiativeProgressSerializer,
                   responses={200: InitiativeSerializer, 403: SECRETARIAT_ONLY})
    def post(self, request, pk):
        """Record progress on an initiative and its status (the secretariat)."""
        initiative = get_object_or_404(selectors.initiative_list(), pk=pk)
        _secretariat_only(request.user)
        values = valid(InitiativeProgressSerializer, request)
        with _forum_refusals():
            initiative = services.initiative_update(by=request.user, initiative=initiative, door=API, **values)
        return Response(InitiativeSerializer(initiative).data)


class SubgroupList(generics.ListAPIView):
    """The forum's subgroups and their co-chairs; POST creates one (the secretariat)."""

    serializer_class = SubgroupSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.subgroup_list().order_by("name_en", "pk")

    @extend_schema(request=SubgroupCreateSerializer, responses={201: SubgroupSerializer, 403: SECRETARIAT_ONLY})
    def post(self, request):
        """A subgroup co-chaired by one Canadian and one American officer."""
        _secretariat_only(request.user)
        values = valid(SubgroupCreateSerializer, request)
        errors = {}
        for field in ("canadian_co_chair", "american_co_chair"):
            values[field] = core_selectors.officer_directory().filter(pk=values[field]).first()
            if values[field] is None:
                errors[field] = [_("No active officer has this id.")]
        if selectors.subgroup_list().filter(name_en__iexact=values["name_en"].strip()).exists():
            errors["name_en"] = [_("A subgroup has this name already.")]
        if errors:
            raise serializers.ValidationError(errors)
        with _forum_refusals():
            subgroup = services.subgroup_create(by=request.user, door=API, **values)
        return Response(SubgroupSerializer(subgroup).data, status=status.HTTP_201_CREATED)
