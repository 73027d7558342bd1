"""BEST endpoints: the same selectors and services as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from best import selectors, services
from best.api.serializers import (
    ArrestCreateSerializer,
    ArrestSerializer,
    InvestigationSerializer,
    MembershipSerializer,
    SeizureCreateSerializer,
    UnitSerializer,
)
from best.models import Membership
from partnerships import audit
from partnerships.api.base import RecordedList
from partnerships.api.serializers import ResultSerializer
from partnerships.api.views import DirectoryPages
from partnerships.models import AccessLevel, AuditEvent

API = AuditEvent.Door.API

REFERENCE = OpenApiParameter("reference", str, OpenApiParameter.PATH)
DETAIL = ["unit__team", "case__lead_agency", "targets__members__subject", "targets__linked", "arrests__subject",
          "charges__subject", "convictions__subject", "referrals", "mlat_requests"]


class UnitList(generics.ListAPIView):
    serializer_class = UnitSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.unit_list(user=self.request.user).prefetch_related("team__member_agencies")


class MembershipList(RecordedList, generics.ListAPIView):
    """The rosters of the caller's units: officers, their role and Title 19 designation."""

    serializer_class = MembershipSerializer
    pagination_class = DirectoryPages
    recorded_as = "unit_membership"

    def get_queryset(self):
        return Membership.objects.filter(unit__in=selectors.unit_list(user=self.request.user)).select_related(
            "officer__agency", "designation").order_by("unit", "officer__last_name", "pk")


class InvestigationList(RecordedList, generics.ListAPIView):
    """Investigations of the cases the caller may see, with targets, results, referrals and MLAT requests."""

    serializer_class = InvestigationSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.investigation_list(user=self.request.user).prefetch_related(
            *[name for name in DETAIL if name not in ("unit__team", "case__lead_agency")]).order_by("pk")

    def record_read(self, request, shown):
        # A list of cases: recorded as the case list is, naming the cases it showed.
        audit.record(action=AuditEvent.Action.CASE_LIST, door=API, user=request.user, part="best",
                     query=request.query_params.dict(), returned=[investigation.case for investigation in shown])


class InvestigationDetail(APIView):
    @extend_schema(parameters=[REFERENCE], responses={200: InvestigationSerializer})
    def get(self, request, reference):
        investigation = selectors.investigation_get(user=request.user, reference=reference, door=API,
                                                    path=request.path)
        audit.record(action=AuditEvent.Action.CASE_VIEW, door=API, user=request.user, case=investigation.case,
                     part="best")
        return Response(InvestigationSerializer(investigation).data)


class InvestigationSeizures(APIView):
    @extend_schema(parameters=[REFERENCE], request=SeizureCreateSerializer, responses={201: ResultSerializer})
    def post(self, request, reference):
        """Record a seizure in the case; a task force officer only while their Title 19 designation is active."""
        investigation = selectors.investigation_get(user=request.user, reference=reference,
                                                    level=AccessLevel.CONTRIBUTE, door=API, path=request.path)
        data = SeizureCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            seizure = services.seizure_record(by=request.user, investigation=investigation, door=API,
                                              **data.validated_data)
        except services.BestRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(ResultSerializer(seizure).data, status=status.HTTP_201_CREATED)


class InvestigationArrests(APIView):
    @extend_schema(parameters=[REFERENCE], request=ArrestCreateSerializer, responses={201: ArrestSerializer})
    def post(self, request, reference):
        """Record an arrest; a task force officer only while their Title 19 designation is active."""
        investigation = selectors.investigation_get(user=request.user, reference=reference,
                                                    level=AccessLevel.CONTRIBUTE, door=API, path=request.path)
        data = ArrestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = selectors.case_people(investigation=investigation).filter(pk=values.pop("person")).first()
        if person is None:
            raise serializers.ValidationError({"person": [_("Choose a person who is a subject of this case.")]})
        try:
            arrest = services.arrest_record(by=request.user, investigation=investigation, subject=person, door=API,
                                            **values)
        except services.BestRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(ArrestSerializer(arrest).data, status=status.HTTP_201_CREATED)


