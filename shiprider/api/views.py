"""ShipRider endpoints: the same selectors and services as the pages."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response

from partnerships import access as core_access
from partnerships import reads
from partnerships import selectors as core_selectors
from partnerships import services as core_services
from partnerships.api.base import RecordedDetail, RecordedList, agency_required, refusals_answer_400, valid
from partnerships.api.serializers import CaseSerializer
from partnerships.api.views import DirectoryPages, case_response
from partnerships.filters import DesignationFilter
from partnerships.models import Agency, AuditEvent
from shiprider import selectors, services
from shiprider.api.serializers import (
    ActivityCaseSerializer,
    ActivityCreateSerializer,
    ActivitySerializer,
    DesignationGrantSerializer,
    DesignationRenewSerializer,
    DesignationSerializer,
    DesignationStatusSerializer,
    PatrolCancelSerializer,
    PatrolChangeSerializer,
    PatrolCreateSerializer,
    PatrolProgressSerializer,
    PatrolSerializer,
    RadioPlanSerializer,
    SiteDetailSerializer,
    SiteSerializer,
    VesselSerializer,
    WatersCreateSerializer,
)


class SiteList(generics.ListAPIView):
    """Sites the caller's agency is a member of."""

    serializer_class = SiteSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.site_list(user=self.request.user).prefetch_related(
            Prefetch("team__member_agencies", queryset=Agency.objects.order_by("acronym")))


class SiteDetail(RecordedDetail, generics.RetrieveAPIView):
    """A site of the caller's agency, with its member agencies and active vessels (404 for any other)."""

    serializer_class = SiteDetailSerializer
    recorded_as = "shiprider_site"

    def get_queryset(self):
        return selectors.site_details(user=self.request.user)


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


class ActivityCase(generics.GenericAPIView):
    serializer_class = ActivitySerializer

    def get_queryset(self):
        return selectors.patrol_list(user=self.request.user)

    @extend_schema(request=ActivityCaseSerializer, responses={201: CaseSerializer})
    def post(self, request, pk, activity_pk):
        """Open a ShipRider joint case from a logged boarding (a member of the patrol's site), its facts and results
        carried over; with `share_with_partners`, shared at once with the partner agencies on the patrol."""
        patrol = self.get_object()
        activity = selectors.patrol_activities(patrol=patrol).filter(pk=activity_pk).first()
        if activity is None:
            raise Http404
        values = valid(ActivityCaseSerializer, request)
        with refusals_answer_400(services.PatrolRefused):
            case = services.activity_open_case(by=request.user, activity=activity, door=AuditEvent.Door.API,
                                               **values)
        return case_response(request, case, status.HTTP_201_CREATED)


def _crew_and_vessel(request, values):
    """The vessel and crew officers a write names, among those the caller may choose; else field errors."""
    vessel = selectors.vessels_for(user=request.user).filter(hull_number=values["vessel"]).first()
    officers = selectors.crew_candidates(user=request.user).in_bulk([row["officer"] for row in values["crew"]])
    errors = {}
    if vessel is None:
        errors["vessel"] = [_("Unknown vessel.")]
    if any(row["officer"] not in officers for row in values["crew"]):
        errors["crew"] = [_("Unknown officer.")]
    if errors:
        raise serializers.ValidationError(errors)
    return vessel, [(officers[row["officer"]], row["role"]) for row in values["crew"]]


class PatrolDetail(RecordedDetail, generics.RetrieveAPIView):
    """A patrol of the caller's sites; PUT changes a planned one (the page's "Change the patrol")."""

    serializer_class = PatrolSerializer
    recorded_as = "patrol"

    def get_queryset(self):
        return selectors.patrol_list(user=self.request.user)

    @extend_schema(request=PatrolChangeSerializer, responses={200: PatrolSerializer})
    def put(self, request, pk):
        """Change the vessel, times, crew and notes of a planned patrol, under the scheduling rules; the crew
        and the partner agencies are told and the iCal SEQUENCE grows. The body is the whole new plan."""
        patrol = self.get_object()
        agency_required(request.user)
        data = PatrolChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        vessel, crew = _crew_and_vessel(request, values)
        try:
            patrol, warnings = services.patrol_change(
                by=request.user, patrol=patrol, vessel=vessel, planned_start=values["planned_start"],
                planned_end=values["planned_end"], notes=values["notes"], crew=crew, door=AuditEvent.Door.API)
        except services.PatrolRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        body = PatrolSerializer(selectors.patrol_list(user=request.user).get(pk=patrol.pk)).data
        return Response({**body, "warnings": warnings})


class PatrolCancel(generics.GenericAPIView):
    serializer_class = PatrolSerializer

    def get_queryset(self):
        return selectors.patrol_list(user=self.request.user)

    @extend_schema(request=PatrolCancelSerializer, responses={200: PatrolSerializer})
    def post(self, request, pk):
        """Cancel a planned patrol with a reason; the crew and partner agencies are told, and the iCal feeds show
        it cancelled (STATUS:CANCELLED)."""
        patrol = self.get_object()
        data = PatrolCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.patrol_cancel(by=request.user, patrol=patrol, reason=data.validated_data["reason"],
                                   door=AuditEvent.Door.API)
        except services.PatrolRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(PatrolSerializer(selectors.patrol_list(user=request.user).get(pk=patrol.pk)).data)


class PatrolProgress(generics.GenericAPIView):
    """Get a planned patrol underway, or complete one underway (the page's Start and Complete buttons)."""

    serializer_class = PatrolSerializer
    step = "start"

    def get_queryset(self):
        return selectors.patrol_list(user=self.request.user)

    @extend_schema(request=PatrolProgressSerializer, responses={200: PatrolSerializer})
    def post(self, request, pk):
        patrol = self.get_object()
        data = PatrolProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = services.patrol_start if self.step == "start" else services.patrol_complete
        try:
            action(by=request.user, patrol=patrol, at=data.validated_data.get("at"), door=AuditEvent.Door.API)
        except services.PatrolRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(PatrolSerializer(selectors.patrol_list(user=request.user).get(pk=patrol.pk)).data)


class PatrolStart(PatrolProgress):
    """The patrol gets underway (now, or `at`: not in the future, at most two hours before its planned start)."""

    step = "start"


class PatrolComplete(PatrolProgress):
    """The patrol is back (now, or `at`: after it got underway, not in the future)."""

    step = "complete"


class PatrolWaters(generics.GenericAPIView):
    serializer_class = PatrolSerializer

    def get_queryset(self):
        return selectors.patrol_list(user=self.request.user)

    @extend_schema(request=WatersCreateSerializer, responses={201: PatrolSerializer})
    def post(self, request, pk):
        """Record whose waters the patrol is in from a time, and the host country's designated officer on board who
        directs there (the page's rules and messages)."""
        patrol = self.get_object()
        data = WatersCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        director = patrol.crew.filter(officer_id=values.pop("directing_officer")).select_related(
            "officer__agency").first()
        if director is None:
            raise serializers.ValidationError({"directing_officer": [_("Not a member of this patrol's crew.")]})
        try:
            services.waters_segment_add(by=request.user, patrol=patrol, directing_officer=director.officer,
                                        door=AuditEvent.Door.API, **values)
        except services.PatrolRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(PatrolSerializer(selectors.patrol_list(user=request.user).get(pk=patrol.pk)).data,
                        status=status.HTTP_201_CREATED)


class PatrolRadioPlan(generics.GenericAPIView):
    """The patrol's ICS 205 radio communications plan, read and written by the site's members (as on the page)."""

    serializer_class = RadioPlanSerializer

    def get_queryset(self):
        return selectors.patrol_list(user=self.request.user)

    def _plan(self, patrol):
        patrol.refresh_from_db()  # the plan as saved, not a cached one
        plan = getattr(patrol, "radio_plan", None)
        if plan is None:
            raise Http404
        return plan

    @extend_schema(responses={200: RadioPlanSerializer})
    def get(self, request, pk):
        patrol = self.get_object()
        plan = self._plan(patrol)
        reads.team_record_read(user=request.user, door=AuditEvent.Door.API, object_type="radio_plan",
                               object_ref=patrol.pk)
        return Response(RadioPlanSerializer(plan).data)

    @extend_schema(request=RadioPlanSerializer, responses={200: RadioPlanSerializer})
    def put(self, request, pk):
        """Write the plan in full; the page's rules and messages (period ends after it starts, at least one channel,
        frequencies in range)."""
        patrol = self.get_object()
        data = RadioPlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        channels = [dict(channel) for channel in values.pop("channels")]
        try:
            services.radio_plan_save(by=request.user, patrol=patrol, channels=channels, door=AuditEvent.Door.API,
                                     **values)
        except services.PatrolRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(RadioPlanSerializer(self._plan(patrol)).data)


class DesignationList(RecordedList, generics.ListAPIView):
    """The designation register the caller may see (own agency and team partners): active designations first, the
    soonest to expire at the top, then pending, suspended, expired and revoked ones. `expires_within` keeps active
    designations only."""

    serializer_class = DesignationSerializer
    recorded_as = "cross_designation"
    pagination_class = DirectoryPages
    filterset_class = DesignationFilter

    def get_queryset(self):
        return core_selectors.designations_expiring_first(core_selectors.designation_register(user=self.request.user))

    @extend_schema(request=DesignationGrantSerializer, responses={201: DesignationSerializer})
    def post(self, request):
        """Designate a partner agency's officer (the designating authority's administrator, as on the page)."""
        agency = core_access.agency_of(request.user)
        if agency is None or not core_access.can_designate(request.user, agency):
            raise exceptions.PermissionDenied(_("Only an administrator of the designating agency can designate "
                                                "officers."))
        data = DesignationGrantSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        officer = core_selectors.officers_to_designate(user=request.user).filter(pk=values.pop("officer")).first()
        if officer is None:
            raise serializers.ValidationError({"officer": [_("No active officer of a partner agency has this id.")]})
        try:
            designation = core_services.designation_grant(by=request.user, officer=officer, door=AuditEvent.Door.API,
                                                          **values)
        except core_services.OfficerRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(DesignationSerializer(designation).data, status=status.HTTP_201_CREATED)


class DesignationDecision(generics.GenericAPIView):
    """A designation the caller may see, decided by its designating authority's administrator only (403 otherwise)."""

    serializer_class = DesignationSerializer

    def get_queryset(self):
        return core_selectors.designation_register(user=self.request.user)

    def get_object(self):
        designation = super().get_object()
        if not core_access.can_decide_designation(self.request.user, designation):
            raise exceptions.PermissionDenied(_("Only an administrator of the designating authority can change this "
                                                "designation."))
        return designation


class DesignationStatus(DesignationDecision):
    @extend_schema(request=DesignationStatusSerializer, responses={200: DesignationSerializer})
    def post(self, request, pk):
        """Suspend, revoke or reinstate a designation, with the reason; planners of patrols relying on it are told."""
        designation = self.get_object()
        values = valid(DesignationStatusSerializer, request)
        with refusals_answer_400(core_services.OfficerRefused):
            designation = core_services.designation_set_status(by=request.user, designation=designation,
                                                               door=AuditEvent.Door.API, **values)
        return Response(DesignationSerializer(designation).data)


class DesignationRenew(DesignationDecision):
    @extend_schema(request=DesignationRenewSerializer, responses={201: DesignationSerializer})
    def post(self, request, pk):
        """Renew (recertify) an active designation: the renewal starts the day after it ends."""
        designation = self.get_object()
        values = valid(DesignationRenewSerializer, request)
        with refusals_answer_400(core_services.OfficerRefused):
            renewal = core_services.designation_renew(by=request.user, designation=designation,
                                                      door=AuditEvent.Door.API, **values)
        return Response(DesignationSerializer(renewal).data, status=status.HTTP_201_CREATED)
