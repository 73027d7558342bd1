"""Webhook endpoints and their deliveries, for an agency administrator's token (the pages' services and selectors).
Another agency's endpoint or delivery answers 404, as any endpoint or delivery does to a caller who administers no
agency; the lists refuse such a caller (403)."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from partnerships import access
from partnerships.api.views import DirectoryPages, refused
from partnerships.models import AuditEvent
from portal import limits
from webhooks import selectors, services
from webhooks.api.serializers import (
    DeliverySerializer,
    EndpointChangeSerializer,
    EndpointSerializer,
    EndpointWithSecretSerializer,
    EndpointWriteSerializer,
    RotatedSerializer,
    RotateSerializer,
)

API = AuditEvent.Door.API


def _administrator(user):
    if not access.is_agency_admin(user):
        raise exceptions.PermissionDenied(_("Only an agency administrator manages the webhooks of their agency."))


def _endpoint(request, pk):
    """One endpoint of the caller's agency; anything else (another agency's, or a caller who administers none)
    looks like nothing there: 404."""
    endpoint = selectors.endpoints_of(user=request.user).filter(pk=limits.id_from(str(pk))).first()
    if endpoint is None:
        raise Http404
    return endpoint


class EndpointList(generics.GenericAPIView):
    serializer_class = EndpointSerializer
    pagination_class = DirectoryPages

    @extend_schema(operation_id="webhooks_endpoints_list", summary="The webhook endpoints of the caller's agency")
    def get(self, request):
        _administrator(request.user)
        page = self.paginate_queryset(selectors.endpoints_of(user=request.user).select_related("agency"))
        return self.get_paginated_response(EndpointSerializer(page, many=True).data)

    @extend_schema(summary="Register an endpoint; the answer holds its signing secret, shown this once",
                   request=EndpointWriteSerializer, responses={201: EndpointWithSecretSerializer})
    def post(self, request):
        _administrator(request.user)
        data = EndpointWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            endpoint, secret = services.endpoint_register(by=request.user, door=API, **data.validated_data)
        except services.WebhookRefused as refusal:
            raise refused(refusal) from refusal
        endpoint.secret = secret
        return Response(EndpointWithSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointDetail(APIView):
    @extend_schema(summary="One endpoint of the caller's agency", responses={200: EndpointSerializer})
    def get(self, request, pk):
        return Response(EndpointSerializer(_endpoint(request, pk)).data)

    @extend_schema(summary="Change an endpoint: URL, events, program, description, or disable/enable it",
                   request=EndpointChangeSerializer, responses={200: EndpointSerializer})
    def patch(self, request, pk):
        endpoint = _endpoint(request, pk)
        data = EndpointChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            endpoint = services.endpoint_update(by=request.user, endpoint=endpoint, door=API, **data.validated_data)
        except services.WebhookRefused as refusal:
            raise refused(refusal) from refusal
        return Response(EndpointSerializer(endpoint).data)


class EndpointRotate(APIView):
    @extend_schema(summary="Rotate the signing secret; the answer holds the new one, shown this once",
                   request=RotateSerializer, responses={200: RotatedSerializer})
    def post(self, request, pk):
        endpoint = _endpoint(request, pk)
        data = RotateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            secret = services.endpoint_rotate_secret(by=request.user, endpoint=endpoint, door=API,
                                                     **data.validated_data)
        except services.WebhookRefused as refusal:
            raise refused(refusal) from refusal
        endpoint.refresh_from_db()
        return Response({"secret": secret, "previous_secret_until": endpoint.previous_secret_until})


class DeliveryList(generics.GenericAPIView):
    serializer_class = DeliverySerializer
    pagination_class = DirectoryPages
    extra_query_parameters = ("status",)

    @extend_schema(summary="An endpoint's deliveries, newest first (?status=pending|delivered|failed)")
    def get(self, request, pk):
        endpoint = _endpoint(request, pk)
        wanted = request.query_params.get("status")
        if wanted is not None and wanted not in DeliverySerializer.Meta.model.Status.values:
            raise exceptions.ValidationError({"status": [_("Unknown status.")]})
        page = self.paginate_queryset(selectors.deliveries_of(user=request.user, endpoint=endpoint, status=wanted))
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)


class DeliveryResend(APIView):
    @extend_schema(summary="Send a delivery again (same webhook-id, payload made afresh)", request=None,
                   responses={202: DeliverySerializer})
    def post(self, request, pk):
        delivery = selectors.deliveries_of(user=request.user).filter(pk=limits.id_from(str(pk))).first()
        if delivery is None:
            raise Http404
        try:
            again = services.delivery_resend(by=request.user, delivery=delivery, door=API)
        except services.WebhookRefused as refusal:
            raise refused(refusal) from refusal
        return Response(DeliverySerializer(again).data, status=status.HTTP_202_ACCEPTED)
