"""BEST endpoints: the same selectors and services as the pages."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from best import selectors, services
from best.api.serializers import (
    ArrestCreateSerializer,
    ArrestSerializer,
    ChargeCreateSerializer,
    ChargeSerializer,
    ConvictionCreateSerializer,
    ConvictionSerializer,
    InvestigationCreateSerializer,
    InvestigationSerializer,
    MemberCreateSerializer,
    MemberSerializer,
    MembershipCreateSerializer,
    MembershipEndSerializer,
    MembershipSerializer,
    MlatCreateSerializer,
    MlatNewsSerializer,
    MlatSerializer,
    ReferralCreateSerializer,
    ReferralDecisionSerializer,
    ReferralSerializer,
    SeizureCreateSerializer,
    StageSerializer,
    TargetCreateSerializer,
    TargetSerializer,
    UnitSerializer,
    UnitStatusSerializer,
)
from best.models import Membership
from partnerships import audit
from partnerships.api.base import RecordedList, agency_required, refusals_answer_400, valid
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

    @extend_schema(request=InvestigationCreateSerializer, responses={201: InvestigationSerializer})
    def post(self, request):
        """Open a BEST joint case with its investigation, in a unit of the caller's agency (the page's rules)."""
        agency_required(request.user)
        values = valid(InvestigationCreateSerializer, request)
        values["unit"] = selectors.unit_list(user=request.user).filter(pk=values["unit"]).first()
        if values["unit"] is None:
            raise serializers.ValidationError({"unit": [_("Unknown unit.")]})
        values["priorities"] = list(dict.fromkeys(values["priorities"]))
        with refusals_answer_400(services.BestRefused):
            investigation = services.investigation_open(by=request.user, door=API, **values)
        return Response(InvestigationSerializer(investigation).data, status=status.HTTP_201_CREATED)


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




class InvestigationAction(APIView):
    """One of the investigation page's forms: the investigation at the level the page asks (404 when the case is not
    visible, 403 without the level), the ids of the case's own records resolved, the page's service and messages."""

    level = AccessLevel.CONTRIBUTE
    request_serializer = None
    response_serializer = None
    service_name = ""

    def values(self, investigation, values, **kwargs):
        """The service's arguments: ids in the body (and path) become the investigation's own records."""
        return {"investigation": investigation, **values}

    def post(self, request, reference, **kwargs):
        investigation = selectors.investigation_get(user=request.user, reference=reference, level=self.level,
                                                    door=API, path=request.path)
        values = self.values(investigation, valid(self.request_serializer, request), **kwargs)
        with refusals_answer_400(services.BestRefused):
            record = getattr(services, self.service_name)(by=request.user, door=API, **values)
        return Response(self.response_serializer(record).data, status=status.HTTP_201_CREATED)


def _own(queryset, pk, field, message):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise serializers.ValidationError({field: [message]})
    return found


def _person(investigation, values):
    values["subject"] = _own(selectors.case_people(investigation=investigation), values.pop("person"), "person",
                             _("Choose a person who is a subject of this case."))
    return values


def _case_record(queryset, pk):
    """A referral or MLAT request named in the path: the investigation's own, or 404."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@extend_schema(parameters=[REFERENCE], request=StageSerializer, responses={201: InvestigationSerializer})
class InvestigationStage(InvestigationAction):
    """Move the investigation forward (managers; on H2 and stricter, the lead agency); the case's status follows."""

    level = AccessLevel.MANAGE
    request_serializer, response_serializer, service_name = StageSerializer, InvestigationSerializer, \
        "investigation_stage"


@extend_schema(parameters=[REFERENCE], request=TargetCreateSerializer, responses={201: TargetSerializer})
class InvestigationTargets(InvestigationAction):
    """Add a target organization, linked to others of the investigation."""

    request_serializer, response_serializer, service_name = TargetCreateSerializer, TargetSerializer, "target_add"

    def values(self, investigation, values, **kwargs):
        linked = set(values["linked"])
        values["linked"] = list(investigation.targets.filter(pk__in=linked))
        if len(values["linked"]) != len(linked):
            raise serializers.ValidationError({"linked": [_("Choose organizations this investigation targets.")]})
        return {"investigation": investigation, **values}


@extend_schema(parameters=[REFERENCE], request=MemberCreateSerializer, responses={201: MemberSerializer})
class InvestigationMembers(InvestigationAction):
    """Name a person subject of the case as a known member of a target organization."""

    request_serializer, response_serializer, service_name = MemberCreateSerializer, MemberSerializer, "member_add"

    def values(self, investigation, values, **kwargs):
        values["organization"] = _own(investigation.targets.all(), values["organization"], "organization",
                                      _("Choose organizations this investigation targets."))
        return _person(investigation, values)


@extend_schema(parameters=[REFERENCE], request=ChargeCreateSerializer, responses={201: ChargeSerializer})
class InvestigationCharges(InvestigationAction):
    """Record an indictment or charge against a person subject of the case."""

    request_serializer, response_serializer, service_name = ChargeCreateSerializer, ChargeSerializer, "charge_record"

    def values(self, investigation, values, **kwargs):
        return {"investigation": investigation, **_person(investigation, values)}


@extend_schema(parameters=[REFERENCE], request=ConvictionCreateSerializer, responses={201: ConvictionSerializer})
class InvestigationConvictions(InvestigationAction):
    """Record a conviction (after an indictment or charge of the same person in the case)."""

    request_serializer, response_serializer, service_name = ConvictionCreateSerializer, ConvictionSerializer, \
        "conviction_record"

    def values(self, investigation, values, **kwargs):
        return {"investigation": investigation, **_person(investigation, values)}


@extend_schema(parameters=[REFERENCE], request=ReferralCreateSerializer, responses={201: ReferralSerializer})
class InvestigationReferrals(InvestigationAction):
    """Record a prosecution referral."""

    request_serializer, response_serializer, service_name = ReferralCreateSerializer, ReferralSerializer, \
        "referral_record"


@extend_schema(parameters=[REFERENCE, OpenApiParameter("id", int, OpenApiParameter.PATH)],
               request=ReferralDecisionSerializer, responses={201: ReferralSerializer})
class InvestigationReferralDecision(InvestigationAction):
    """The prosecutors accepted or declined the referral, on a date."""

    request_serializer, response_serializer, service_name = ReferralDecisionSerializer, ReferralSerializer, \
        "referral_decide"

    def values(self, investigation, values, pk):
        return {"referral": _case_record(investigation.referrals.all(), pk), **values}


@extend_schema(parameters=[REFERENCE], request=MlatCreateSerializer, responses={201: MlatSerializer})
class InvestigationMlat(InvestigationAction):
    """Record a mutual legal assistance (MLAT) request sent."""

    request_serializer, response_serializer, service_name = MlatCreateSerializer, MlatSerializer, "mlat_record"


@extend_schema(parameters=[REFERENCE, OpenApiParameter("id", int, OpenApiParameter.PATH)],
               request=MlatNewsSerializer, responses={201: MlatSerializer})
class InvestigationMlatNews(InvestigationAction):
    """News on an MLAT request: acknowledged, executed or withdrawn, on a date."""

    request_serializer, response_serializer, service_name = MlatNewsSerializer, MlatSerializer, "mlat_update"

    def values(self, investigation, values, pk):
        return {"request": _case_record(investigation.mlat_requests.all(), pk), **values}


class UnitMemberships(generics.GenericAPIView):
    """A unit of the caller's agency (404 for any other); its leading agency's administrators manage its roster."""

    serializer_class = MembershipSerializer

    def get_queryset(self):
        return selectors.unit_list(user=self.request.user)

    def get_object(self):
        unit = super().get_object()
        if not services.can_manage_members(self.request.user, unit):
            raise exceptions.PermissionDenied(_("Only an administrator of the agency leading the unit manages its "
                                                "members."))
        return unit


class UnitStatus(UnitMemberships):
    serializer_class = UnitSerializer

    @extend_schema(request=UnitStatusSerializer, responses={200: UnitSerializer})
    def post(self, request, pk):
        """Mark the unit planned (not yet at work: no investigation opens in it) or active (its leading agency's
        administrators)."""
        unit = self.get_object()
        values = valid(UnitStatusSerializer, request)
        with refusals_answer_400(services.BestRefused):
            unit = services.unit_set_status(by=request.user, unit=unit, door=API, **values)
        return Response(UnitSerializer(selectors.unit_list(user=request.user).prefetch_related(
            "team__member_agencies").get(pk=unit.pk)).data)


class UnitMembershipAdd(UnitMemberships):
    @extend_schema(request=MembershipCreateSerializer, responses={201: MembershipSerializer})
    def post(self, request, pk):
        """Put an officer of a member agency on the unit; a task force officer under their own Title 19
        designation, active on the first day."""
        unit = self.get_object()
        values = valid(MembershipCreateSerializer, request)
        values["officer"] = _own(selectors.unit_officers(unit=unit), values["officer"], "officer",
                                 _("No active officer of the unit's member agencies has this id."))
        if values["designation"] is not None:
            values["designation"] = _own(selectors.unit_title19_designations(unit=unit), values["designation"],
                                         "designation", _("No active Title 19 designation of the unit's member "
                                                          "agencies has this id."))
        with refusals_answer_400(services.BestRefused):
            membership = services.membership_add(by=request.user, unit=unit, door=API, **values)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class UnitMembershipEnd(UnitMemberships):
    @extend_schema(parameters=[OpenApiParameter("membership_pk", int, OpenApiParameter.PATH)],
                   request=MembershipEndSerializer, responses={200: MembershipSerializer})
    def post(self, request, pk, membership_pk):
        """End a membership on a date (not before it started); the record stays."""
        unit = self.get_object()
        membership = _case_record(selectors.unit_memberships(unit=unit), membership_pk)
        values = valid(MembershipEndSerializer, request)
        with refusals_answer_400(services.BestRefused):
            membership = services.membership_end(by=request.user, membership=membership, door=API, **values)
        return Response(MembershipSerializer(membership).data)
