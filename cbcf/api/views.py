"""CBCF endpoints: meetings the caller is invited to, their items and circulated or final agendas, initiatives
and the action register; the secretariat's corrections, with the pages' services, rules and messages."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cbcf import selectors, services
from cbcf.api.serializers import (
    ActionItemSerializer,
    AgendaItemEditSerializer,
    AgendaItemSerializer,
    AgendaSerializer,
    CarrySerializer,
    InitiativeSerializer,
    MeetingEditSerializer,
    MeetingSerializer,
)
from cbcf.filters import ActionFilter
from cbcf.models import AgendaVersion
from partnerships.api.views import DirectoryPages

PK = OpenApiParameter("pk", int, OpenApiParameter.PATH)


def _refused(refusal):
    return serializers.ValidationError({"non_field_errors": [str(refusal)]})


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

    @extend_schema(parameters=[PK], request=MeetingEditSerializer, responses={200: MeetingSerializer})
    def patch(self, request, pk):
        meeting = get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)
        if not services.is_secretariat(request.user):
            raise serializers.ValidationError({"non_field_errors": [_("Only the CBCF secretariat does this.")]})
        current = {"title": meeting.title, "place": meeting.place, "level": meeting.level,
                   "subgroup": meeting.subgroup_id}
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

    @extend_schema(parameters=[PK], request=CarrySerializer, responses={201: AgendaItemSerializer})
    def post(self, request, pk):
        item = get_object_or_404(selectors.items_editable_by(user=request.user), pk=pk)
        data = CarrySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = services.later_meetings(item).filter(pk=data.validated_data["meeting"]).first()
        try:
            if not services.is_secretariat(request.user):
                raise services.ForumRefused(_("Only the CBCF secretariat does this."))
            if meeting is None:
                raise serializers.ValidationError({"meeting": [_("Choose a later meeting of the same series.")]})
            carried = services.item_carry(by=request.user, item=item, meeting=meeting)
        except services.ForumRefused as refusal:
            raise _refused(refusal) from refusal
        return Response(AgendaItemSerializer(carried, context={"reasons_for": {carried.pk}}).data,
                        status=status.HTTP_201_CREATED)
