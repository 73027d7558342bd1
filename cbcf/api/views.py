"""CBCF endpoints, read-only: meetings the caller is invited to, their circulated or final agendas,
initiatives and the action register."""

from rest_framework import generics

from cbcf import selectors
from cbcf.api.serializers import ActionItemSerializer, AgendaSerializer, InitiativeSerializer, MeetingSerializer
from cbcf.models import AgendaVersion
from partnerships.api.views import DirectoryPages


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
    serializer_class = ActionItemSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.action_register(user=self.request.user).order_by("due_on", "pk")
