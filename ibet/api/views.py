"""IBET endpoints: the same selectors and services as the pages."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from ibet import selectors, services
from ibet.api.serializers import (
    OccurrenceChangeSerializer,
    OccurrenceCreateSerializer,
    OccurrenceSerializer,
    OperationCreateSerializer,
    OperationSerializer,
    RegionSerializer,
    ReportCreateSerializer,
    ReportReviewSerializer,
    ReportSerializer,
    TeamSerializer,
)
from ibet.filters import OccurrenceFilter
from partnerships import selectors as core_selectors
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
    filterset_class = OccurrenceFilter

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
    """An occurrence the caller may see; PATCH corrects one of the caller's teams' (the page's "Correct")."""

    serializer_class = OccurrenceSerializer
    recorded_as = "occurrence"

    def get_queryset(self):
        return selectors.occurrence_list(user=self.request.user)

    @extend_schema(request=OccurrenceChangeSerializer, responses={200: OccurrenceSerializer})
    def patch(self, request, pk):
        """Correct the facts or case link of an occurrence of the caller's teams; the audit trail keeps the old and
        new values. Seen only through a shared case: 404, as if it were not there."""
        occurrence = generics.get_object_or_404(selectors.occurrences_to_correct(user=request.user), pk=pk)
        data = OccurrenceChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if values.get("case"):
            case = selectors.cases_for_occurrence(user=request.user, occurrence=occurrence).filter(
                reference=values["case"]).first()
            if case is None:
                raise serializers.ValidationError({"case": [_("Link a case your agency can contribute to.")]})
            values["case"] = case
        try:
            occurrence, _changed = services.occurrence_change(by=request.user, occurrence=occurrence, door=API,
                                                              **values)
        except services.IbetRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(OccurrenceSerializer(selectors.occurrence_list(user=request.user).get(pk=pk)).data)


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


class ReportReview(generics.GenericAPIView):
    """The source agency's supervisors review a report: still valid (five more years) or purged. Anyone else gets
    404, as on the page."""

    serializer_class = ReportSerializer

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)

    @extend_schema(request=ReportReviewSerializer, responses={200: ReportSerializer})
    def post(self, request, pk):
        report = self.get_object()
        if not services.is_reviewer(request.user, report):
            raise Http404
        data = ReportReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = services.report_validate if data.validated_data["decision"] == "validate" else services.report_purge
        try:
            report = action(by=request.user, report=report, reason=data.validated_data["reason"], door=API)
        except services.IbetRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(ReportSerializer(report).data)


class OperationList(RecordedList, generics.ListAPIView):
    """Joint operations the caller's agency takes part in."""

    serializer_class = OperationSerializer
    recorded_as = "joint_operation"
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.operation_list(user=self.request.user)

    @extend_schema(request=OperationCreateSerializer, responses={201: OperationSerializer})
    def post(self, request):
        """Open a joint operation under its paired names, with agencies of both countries (the page's rules)."""
        agency_required(request.user)
        data = OperationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        errors = {}
        team = selectors.team_list(user=request.user).filter(pk=values.pop("team")).first()
        if team is None:
            errors["team"] = [_("Unknown team.")]
        acronyms = set(values.pop("agencies"))
        agencies = list(core_selectors.active_agencies().filter(acronym__in=acronyms))
        if len(agencies) != len(acronyms):
            errors["agencies"] = [_("Unknown agency: %(acronyms)s.") % {"acronyms": ", ".join(
                sorted(acronyms - {a.acronym for a in agencies}))}]
        references = set(values.pop("cases"))
        cases = list(selectors.cases_to_link(user=request.user).filter(reference__in=references))
        if len(cases) != len(references):
            errors["cases"] = [_("Link a case your agency can contribute to.")]
        if errors:
            raise serializers.ValidationError(errors)
        try:
            operation = services.operation_create(by=request.user, team=team, agencies=agencies, cases=cases,
                                                  door=API, **values)
        except services.IbetRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(OperationSerializer(operation).data, status=status.HTTP_201_CREATED)
