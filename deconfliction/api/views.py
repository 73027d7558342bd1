"""Deconfliction endpoints: check before entering (pointers only), and the caller's agency's hits."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from deconfliction import selectors, services
from deconfliction.api.serializers import (
    CheckResultSerializer,
    CheckSerializer,
    EventPlanSerializer,
    HitCloseSerializer,
    HitPartySerializer,
    PlannedEventSerializer,
)
from partnerships import reads
from partnerships import selectors as case_selectors
from partnerships.api.base import agency_required, refusals_answer_400, valid
from partnerships.api.views import DirectoryPages
from partnerships.models import AccessLevel, ApiToken, AuditEvent

API = AuditEvent.Door.API


class CheckView(APIView):
    """Check subjects or a planned operation against every agency's, before entering them. Nothing is entered.
    The answer names only the other agencies whose work overlaps and whom to call: never how sure, on what, where
    or when. Those agencies are told who checked and what was asked; the audit record keeps the question. Checks
    are limited per officer and per token (DECONFLICTION_CHECKS_PER_HOUR, each subject counting once): over the
    limit, 429 with Retry-After."""

    posts_read_only = True  # a question, not a write: read-only tokens may ask it

    @extend_schema(request=CheckSerializer, responses={
        200: CheckResultSerializer, 429: OpenApiResponse(description="Too many checks this hour: try again after "
                                                                     "Retry-After seconds.")})
    def post(self, request):
        agency_required(request.user)
        data = CheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asked = data.validated_data
        token = request.auth if isinstance(request.auth, ApiToken) else None
        try:
            hits = services.check_only(by=request.user, subject=asked.get("subject"), subjects=asked.get("subjects"),
                                       event=asked.get("event"), token=token)
        except services.CheckLimited as refusal:
            raise exceptions.Throttled(wait=refusal.retry_after, detail=str(refusal)) from refusal
        except services.DeconflictionRefused as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from refusal
        return Response(CheckResultSerializer({"hits": hits}).data)


class HitList(generics.ListAPIView):
    """The caller's agency's hits, newest first: one per (subject or operation of its own, other agency), however many
    of the other agency's records matched."""

    serializer_class = HitPartySerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.hit_groups(user=self.request.user)

    def list(self, request, *args, **kwargs):
        agency_required(request.user)
        groups = services.hit_groups_of(self.paginate_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "pointers": services.pointers_for(groups)}
        reads.team_list_read(user=request.user, door=AuditEvent.Door.API, object_type="deconfliction_hit",
                             query=request.query_params.dict(),
                             returned=list(dict.fromkeys(group.case for group in groups if group.case)))
        return self.get_paginated_response(HitPartySerializer(groups, many=True, context=context).data)


class EventPlan(APIView):
    @extend_schema(request=EventPlanSerializer, responses={201: PlannedEventSerializer})
    def post(self, request):
        """Record an operation the caller's agency plans (the page's "Plan an operation"), checked against every
        other agency's: `warnings` names those whose work overlaps and whom to call, nothing more."""
        agency_required(request.user)
        values = valid(EventPlanSerializer, request)
        reference = values.pop("case").strip()
        case = None
        if reference:
            case = case_selectors.case_list(user=request.user, level=AccessLevel.CONTRIBUTE).filter(
                reference=reference).first()
            if case is None:
                raise serializers.ValidationError({"case": [_("No case of yours has this reference.")]})
        with refusals_answer_400(services.DeconflictionRefused):
            event, parties = services.event_plan(by=request.user, case=case, door=API, **values)
        event.warnings = services.checker_messages(parties)
        return Response(PlannedEventSerializer(event).data, status=201)


class HitAction(generics.GenericAPIView):
    """The caller's agency's side of a hit (404 for any other)."""

    serializer_class = HitPartySerializer

    def get_queryset(self):
        return selectors.hit_parties(user=self.request.user)

    def answer(self, party):
        group = services.hit_group(self.get_queryset().get(pk=party.pk))
        context = {**self.get_serializer_context(), "pointers": services.pointers_for([group])}
        return Response(HitPartySerializer(group, context=context).data)


class HitAcknowledge(HitAction):
    @extend_schema(request=None, responses={200: HitPartySerializer})
    def post(self, request, pk):
        """Acknowledge the agency's side of a hit (seen, being looked at): every open side of its group."""
        party = self.get_object()
        with refusals_answer_400(services.DeconflictionRefused):
            services.hit_acknowledge(party=party, by=request.user, door=API)
        return self.answer(party)


class HitClose(HitAction):
    @extend_schema(request=HitCloseSerializer, responses={200: HitPartySerializer})
    def post(self, request, pk):
        """Close the agency's side of a hit, saying how it was settled: every side of its group not closed yet."""
        party = self.get_object()
        values = valid(HitCloseSerializer, request)
        with refusals_answer_400(services.DeconflictionRefused):
            services.hit_close(party=party, by=request.user, door=API, **values)
        return self.answer(party)
