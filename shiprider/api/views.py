"""ShipRider endpoints: the same selectors and services as the pages."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from partnerships import selectors as core_selectors
from partnerships.api.base import RecordedDetail, RecordedList, agency_required
from partnerships.api.views import DirectoryPages
from partnerships.filters import DesignationFilter
from partnerships.models import Agency, AuditEvent
from shiprider import selectors, services
from shiprider.api.serializers import (
    ActivityCreateSerializer,
    ActivitySerializer,
    DesignationSerializer,
    PatrolCreateSerializer,
    PatrolSerializer,
    SiteSerializer,
    VesselSerializer,
)


class SiteList(generics.ListAPIView):
    """Sites the caller's agency is a member of."""

    serializer_class = SiteSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.site_list(user=self.request.user).prefetch_related(
            Prefetch("team__member_agencies", queryset=Agency.objects.order_by("acronym")))


class VesselList(generics.ListAPIView):
    """Vessels of the agencies of the caller's sites."""

    serializer_class = VesselSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.vessels_for(user=self.request.user).order_by("hull_number")


class PatrolListCreate(RecordedList, generics.ListAPIView):
    """Patrols of the caller's sites (team records), newest first; POST plans one."""

    serializer_class = PatrolSerializer
    recorded_as = "patrol"
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.patrol_list(user=self.request.user)

    @extend_schema(request=PatrolCreateSerializer, responses={201: PatrolSerializer})
    def post(self, request):
        agency_required(request.user)
        data = PatrolCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        site = selectors.site_list(user=request.user).filter(pk=values["site"]).first()
        vessel = selectors.vessels_for(user=request.user).filter(hull_number=values["vessel"]).first()
        officers = selectors.crew_candidates(user=request.user).in_bulk([row["officer"] for row in values["crew"]])
        errors = {}
        if site is None:
            errors["site"] = [_("Unknown site.")]
        if vessel is None:
            errors["vessel"] = [_("Unknown vessel.")]
        if any(row["officer"] not in officers for row in values["crew"]):
            errors["crew"] = [_("Unknown officer.")]
        if errors:
            raise serializers.ValidationError(errors)
        try:
            patrol, warnings = services.patrol_schedule(
                by=request.user, site=site, vessel=vessel, planned_start=values["planned_start"],
                planned_end=values["planned_end"], notes=values["notes"], door=AuditEvent.Door.API,
                crew=[(officers[row["officer"]], row["role"]) for row in values["crew"]])
        except services.PatrolRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        body = PatrolSerializer(selectors.patrol_list(user=request.user).get(pk=patrol.pk)).data
        return Response({**body, "warnings": warnings}, status=status.HTTP_201_CREATED)


class PatrolActivities(generics.GenericAPIView):
    serializer_class = ActivitySerializer

    def get_queryset(self):
        return selectors.patrol_list(user=self.request.user)

    @extend_schema(request=ActivityCreateSerializer, responses={201: ActivitySerializer})
    def post(self, request, pk):
        """Log a boarding or other activity; the host country's officer on board directs in its waters."""
        patrol = self.get_object()
        data = ActivityCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        director = patrol.crew.filter(officer_id=values.pop("directing_officer")).select_related(
            "officer__agency").first()
        if director is None:
            raise serializers.ValidationError({"directing_officer": [_("Not a member of this patrol's crew.")]})
        try:
            activity = services.activity_log(by=request.user, patrol=patrol, directing_officer=director.officer,
                                             door=AuditEvent.Door.API, **values)
        except services.PatrolRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class PatrolDetail(RecordedDetail, generics.RetrieveAPIView):
    serializer_class = PatrolSerializer
    recorded_as = "patrol"

    def get_queryset(self):
        return selectors.patrol_list(user=self.request.user)


class DesignationList(RecordedList, generics.ListAPIView):
    """The designation register the caller may see (own agency and team partners)."""

    serializer_class = DesignationSerializer
    recorded_as = "cross_designation"
    pagination_class = DirectoryPages
    filterset_class = DesignationFilter

    def get_queryset(self):
        return core_selectors.designation_register(user=self.request.user).order_by("valid_to", "pk")
