"""IBET endpoints: the same selectors and services as the pages."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from ibet import selectors, services
from ibet.api.serializers import (
    OccurrenceCreateSerializer,
    OccurrenceSerializer,
    OperationSerializer,
    RegionSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    TeamSerializer,
)
from partnerships.api.base import RecordedDetail, RecordedList, agency_required
from partnerships.api.views import DirectoryPages
from partnerships.models import Agency, AuditEvent

API = AuditEvent.Door.API


class RegionList(generics.ListAPIView):
    """Regions of the caller's IBET teams, with their Joint Management Team's state."""

    serializer_class = RegionSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.region_list(user=self.request.user).prefetch_related("representatives__agency") \
            .order_by("name")


class TeamList(generics.ListAPIView):
    """The IBET teams the caller's agency is a member of."""

    serializer_class = TeamSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.team_list(user=self.request.user).prefetch_related(
            Prefetch("team__member_agencies", queryset=Agency.objects.all()))


class OccurrenceListCreate(RecordedList, generics.ListAPIView):
    """Occurrences the caller may see (its teams', or through a case shared with it); POST records one."""

    serializer_class = OccurrenceSerializer
    recorded_as = "occurrence"
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.occurrence_list(user=self.request.user)

    @extend_schema(request=OccurrenceCreateSerializer, responses={201: OccurrenceSerializer})
    def post(self, request):
        agency_required(request.user)
        data = OccurrenceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        team = selectors.team_list(user=request.user).filter(pk=values.pop("team")).first()
        if team is None:
            raise serializers.ValidationError({"team": [_("Unknown team.")]})
        if not values["place"] and (values.get("latitude") is None or values.get("longitude") is None):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give the position (latitude and longitude) or a place.")]})
        try:
            occurrence = services.occurrence_record(by=request.user, team=team, door=API, **values)
        except services.IbetRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(OccurrenceSerializer(occurrence).data, status=status.HTTP_201_CREATED)


class OccurrenceDetail(RecordedDetail, generics.RetrieveAPIView):
    serializer_class = OccurrenceSerializer
    recorded_as = "occurrence"

    def get_queryset(self):
        return selectors.occurrence_list(user=self.request.user)


class ReportListCreate(RecordedList, generics.ListAPIView):
    """Intelligence reports under the review rule: past review, only the source agency's reviewers see them."""

    serializer_class = ReportSerializer
    recorded_as = "intelligence_report"
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)

    @extend_schema(request=ReportCreateSerializer, responses={201: ReportSerializer})
    def post(self, request):
        agency_required(request.user)
        data = ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        team = selectors.team_list(user=request.user).filter(pk=values.pop("team")).first()
        if team is None:
            raise serializers.ValidationError({"team": [_("Unknown team.")]})
        try:
            report = services.report_enter(by=request.user, team=team, door=API, **values)
        except services.IbetRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportDetail(RecordedDetail, generics.RetrieveAPIView):
    serializer_class = ReportSerializer
    recorded_as = "intelligence_report"

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)


class OperationList(RecordedList, generics.ListAPIView):
    """Joint operations the caller's agency takes part in."""

    serializer_class = OperationSerializer
    recorded_as = "joint_operation"
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.operation_list(user=self.request.user)
