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
from partnerships.api.base import agency_required
from partnerships.api.views import DirectoryPages
from partnerships.models import Agency


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


class OccurrenceListCreate(generics.ListAPIView):
    """Occurrences the caller may see (its teams', or through a case shared with it); POST records one."""

    serializer_class = OccurrenceSerializer
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
            occurrence = services.occurrence_record(by=request.user, team=team, **values)
        except services.IbetRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(OccurrenceSerializer(occurrence).data, status=status.HTTP_201_CREATED)


class OccurrenceDetail(generics.RetrieveAPIView):
    serializer_class = OccurrenceSerializer

    def get_queryset(self):
        return selectors.occurrence_list(user=self.request.user)


class ReportListCreate(generics.ListAPIView):
    """Intelligence reports under the review rule: past review, only the source agency's reviewers see them."""

    serializer_class = ReportSerializer
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
            report = services.report_enter(by=request.user, team=team, **values)
        except services.IbetRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportDetail(generics.RetrieveAPIView):
    serializer_class = ReportSerializer

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)


class OperationList(generics.ListAPIView):
    """Joint operations the caller's agency takes part in."""

    serializer_class = OperationSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.operation_list(user=self.request.user)
