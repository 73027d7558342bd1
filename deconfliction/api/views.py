"""Deconfliction endpoints: check before entering (pointers only), and the caller's agency's hits."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from deconfliction import selectors, services
from deconfliction.api.serializers import CheckResultSerializer, CheckSerializer, HitPartySerializer
from partnerships import reads
from partnerships.api.base import agency_required
from partnerships.api.views import DirectoryPages
from partnerships.models import AuditEvent


class CheckView(APIView):
    """Check a subject or a planned operation against every agency's, before entering it. Nothing is kept
    but the audit record; the answer names only the other agencies and whom to call."""

    posts_read_only = True  # a question, not a write: read-only tokens may ask it

    @extend_schema(request=CheckSerializer, responses={200: CheckResultSerializer})
    def post(self, request):
        agency_required(request.user)
        data = CheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            hits = services.check_only(by=request.user, subject=data.validated_data.get("subject"),
                                       event=data.validated_data.get("event"))
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
