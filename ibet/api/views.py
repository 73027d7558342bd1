"""IBET endpoints: the same selectors and services as the pages."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response

from ibet import selectors, services
from ibet.api.serializers import (
    ManagementMeetingCreateSerializer,
    ManagementMeetingSerializer,
    OccurrenceChangeSerializer,
    OccurrenceCreateSerializer,
    OccurrenceSerializer,
    OperationCreateSerializer,
    OperationSerializer,
    RegionCreateSerializer,
    RegionSerializer,
    ReportCreateSerializer,
    ReportReviewSerializer,
    ReportSerializer,
    RepresentativeCreateSerializer,
    RepresentativeSerializer,
    TeamCreateSerializer,
    TeamDetailSerializer,
    TeamEditSerializer,
    TeamOfficersSerializer,
    TeamSerializer,
)
from ibet.filters import OccurrenceFilter
from partnerships import selectors as core_selectors
from partnerships.api.base import RecordedDetail, RecordedList, agency_required, refusals_answer_400, valid
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

    @extend_schema(request=RegionCreateSerializer, responses={201: RegionSerializer})
    def post(self, request):
        """Open a region (an administrator of a core IBET agency)."""
        values = valid(RegionCreateSerializer, request)
        with refusals_answer_400(services.IbetRefused):
            region = services.region_create(by=request.user, door=API, **values)
        return Response(RegionSerializer(region).data, status=status.HTTP_201_CREATED)


class RegionAction(generics.GenericAPIView):
    """A region of the caller's IBET teams (404 for any other)."""

    serializer_class = RegionSerializer

    def get_queryset(self):
        return selectors.region_list(user=self.request.user)


class RegionRepresentatives(RegionAction):
    @extend_schema(request=RepresentativeCreateSerializer, responses={201: RepresentativeSerializer})
    def post(self, request, pk):
        """Name the caller's core agency's one representative on the region's Joint Management Team (an
        administrator of that agency, as on the region page)."""
        region = self.get_object()
        values = valid(RepresentativeCreateSerializer, request)
        officer = selectors.officers_of_my_agency(user=request.user).filter(pk=values["officer"]).first()
        if officer is None:
            raise serializers.ValidationError({"officer": [_("No active officer of your agency has this id.")]})
        with refusals_answer_400(services.IbetRefused):
            representative = services.jmt_representative_add(by=request.user, region=region, officer=officer,
                                                             door=API)
        return Response(RepresentativeSerializer(representative).data, status=status.HTTP_201_CREATED)


class RegionRepresentativeReplace(RegionAction):
    @extend_schema(parameters=[OpenApiParameter("representative_pk", int, OpenApiParameter.PATH)],
                   request=RepresentativeCreateSerializer, responses={201: RepresentativeSerializer})
    def post(self, request, pk, representative_pk):
        """Replace the caller's agency's serving representative with another of its active officers (an
        administrator of that agency): the serving one ends today, the new one starts today."""
        region = self.get_object()
        representative = region.representatives.current().filter(pk=representative_pk).first()
        if representative is None:
            raise Http404
        values = valid(RepresentativeCreateSerializer, request)
        officer = selectors.officers_of_my_agency(user=request.user).filter(pk=values["officer"]).first()
        if officer is None:
            raise serializers.ValidationError({"officer": [_("No active officer of your agency has this id.")]})
        with refusals_answer_400(services.IbetRefused):
            successor = services.jmt_representative_replace(by=request.user, representative=representative,
                                                            officer=officer, door=API)
        return Response(RepresentativeSerializer(successor).data, status=status.HTTP_201_CREATED)


class RegionMeetings(RegionAction):
    @extend_schema(request=ManagementMeetingCreateSerializer, responses={201: ManagementMeetingSerializer})
    def post(self, request, pk):
        """Record that the region's Joint Management Team met (one of its representatives, once it was held)."""
        region = self.get_object()
        values = valid(ManagementMeetingCreateSerializer, request)
        with refusals_answer_400(services.IbetRefused):
            meeting = services.management_meeting_record(by=request.user, region=region, door=API, **values)
        return Response(ManagementMeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class TeamList(generics.ListAPIView):
    """The IBET teams the caller's agency is a member of."""

    serializer_class = TeamSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.team_list(user=self.request.user).prefetch_related(
            Prefetch("team__member_agencies", queryset=Agency.objects.all()))

    @extend_schema(request=TeamCreateSerializer, responses={201: TeamDetailSerializer})
    def post(self, request):
        """Open an IBET team in a region, with its member agencies of both countries, the caller's among them (an
        administrator of a core IBET agency)."""
        values = _team_values(request, TeamCreateSerializer)
        with refusals_answer_400(services.IbetRefused):
            team = services.team_create(by=request.user, door=API, **values)
        return Response(TeamDetailSerializer(team).data, status=status.HTTP_201_CREATED)


def _team_values(request, serializer_class):
    values = valid(serializer_class, request)
    errors = {}
    values["region"] = selectors.region_choices().filter(pk=values["region"]).first()
    if values["region"] is None:
        errors["region"] = [_("Unknown region.")]
    acronyms = set(values["member_agencies"])
    values["member_agencies"] = list(core_selectors.active_agencies().filter(acronym__in=acronyms))
    if len(values["member_agencies"]) != len(acronyms):
        errors["member_agencies"] = [_("Unknown agency: %(acronyms)s.") % {"acronyms": ", ".join(
            sorted(acronyms - {a.acronym for a in values["member_agencies"]}))}]
    if errors:
        raise serializers.ValidationError(errors)
    return values


class TeamDetail(RecordedDetail, generics.RetrieveAPIView):
    """A team of the caller's agency with its member agencies and assigned officers (404 for any other); PUT
    changes its region, location, time zone and members (an administrator of one of its core agencies)."""

    serializer_class = TeamDetailSerializer
    recorded_as = "ibet_team"

    def get_queryset(self):
        return selectors.team_list(user=self.request.user)

    @extend_schema(request=TeamEditSerializer, responses={200: TeamDetailSerializer})
    def put(self, request, pk):
        team = self.get_object()
        if not services.can_change_team(request.user, team):
            raise exceptions.PermissionDenied(_("Only an administrator of a core agency of the team changes it."))
        values = _team_values(request, TeamEditSerializer)
        with refusals_answer_400(services.IbetRefused):
            team = services.team_update(by=request.user, team=team, door=API, **values)
        return Response(TeamDetailSerializer(self.get_queryset().get(pk=pk)).data)


class TeamOfficers(generics.GenericAPIView):
    serializer_class = TeamDetailSerializer

    def get_queryset(self):
        return selectors.team_list(user=self.request.user)

    @extend_schema(request=TeamOfficersSerializer, responses={200: TeamDetailSerializer})
    def put(self, request, pk):
        """Set which of the caller's agency's active officers are assigned to the team (an administrator of a member
        agency); the other agencies' assignments stay."""
        team = self.get_object()
        if not services.can_assign_officers(request.user, team):
            raise exceptions.PermissionDenied(_("Only an administrator of a member agency assigns its officers to the "
                                                "team."))
        ids = set(valid(TeamOfficersSerializer, request)["officers"])
        officers = list(selectors.officers_of_my_agency(user=request.user).filter(pk__in=ids))
        if len(officers) != len(ids):
            raise serializers.ValidationError({"officers": [_("No active officer of your agency has this id.")]})
        with refusals_answer_400(services.IbetRefused):
            services.team_officers_set(by=request.user, team=team, officers=officers, door=API)
        return Response(TeamDetailSerializer(self.get_queryset().get(pk=pk)).data)


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
