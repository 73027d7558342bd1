"""Deconfliction endpoints: check before entering (pointers only), and the caller's agency's hits."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from deconfliction import selectors, services
from deconfliction.api.serializers import CheckResultSerializer, CheckSerializer, HitPartySerializer
from partnerships import reads
from partnerships.api.base import agency_required
from partnerships.api.views import DirectoryPages
from partnerships.models import ApiToken, AuditEvent


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
    """The caller's agency's sides of hits, newest first."""

    serializer_class = HitPartySerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.hit_parties(user=self.request.user)

    def list(self, request, *args, **kwargs):
        agency_required(request.user)
        page = self.paginate_queryset(self.get_queryset())
        context = {**self.get_serializer_context(), "pointers": services.pointers_for(page)}
        reads.team_list_read(user=request.user, door=AuditEvent.Door.API, object_type="deconfliction_hit",
                             query=request.query_params.dict())
        return self.get_paginated_response(HitPartySerializer(page, many=True, context=context).data)
