"""The REST API: the same selectors, services and FilterSets as the pages, through door = API."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from partnerships import access, audit, selectors, services
from partnerships.access import SharingRefused
from partnerships.api.base import Conflict, PreconditionFailed, RecordedList, agency_required
from partnerships.api.serializers import (
    AgencySerializer,
    CaseCreateSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    OfficerSerializer,
    RevokeSerializer,
    ShareCreateSerializer,
    ShareSerializer,
)
from partnerships.filters import CaseApiFilter
from partnerships.models import AccessLevel, AuditEvent

Action, API = AuditEvent.Action, AuditEvent.Door.API


class StrictPageSize:
    """A page_size that is not a whole number from 1 up is refused, not silently replaced."""

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise serializers.ValidationError({self.page_size_query_param: [
                _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters


class CaseCursor(StrictPageSize, CursorPagination):
    """Newest change first; the cursor holds its place while cases change (see docs/api.md)."""

    ordering = access.NEWEST_FIRST
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class DirectoryPages(StrictPageSize, PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


def etag(case):
    return f'"{case.pk}-{case.updated_at.timestamp():.6f}"'


def refused(refusal):
    return serializers.ValidationError({"non_field_errors": [str(refusal)]})


def _case(request, reference, level=AccessLevel.VIEW):
    return selectors.case_get(user=request.user, reference=reference, level=level, door=API, path=request.path)


def _case_response(request, case, status_code=status.HTTP_200_OK):
    case = selectors.case_list(user=request.user).get(pk=case.pk)
    response = Response(CaseSerializer(case, context={"request": request}).data, status=status_code)
    response["ETag"] = etag(case)
    return response


class CaseListCreate(generics.GenericAPIView):
    serializer_class = CaseSerializer
    filterset_class = CaseApiFilter
    pagination_class = CaseCursor

    def get_queryset(self):
        return selectors.case_list(user=self.request.user)

    @extend_schema(summary="Case summaries visible to the caller, newest change first", operation_id="cases_list",
                   responses={200: CaseSerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        shares = access.shares_of_cases(page)
        data = CaseSerializer(page, many=True, context={"request": request, "shares": shares}).data
        audit.record(action=Action.CASE_LIST, door=API, user=request.user, query=request.query_params.dict(),
                     returned=page)
        response = self.get_paginated_response(data)
        if response.data.get("next"):  # CSV has no body field for it
            response["Link"] = f'<{response.data["next"]}>; rel="next"'
        return response

    @extend_schema(summary="Open a case led by the caller's agency", request=CaseCreateSerializer,
                   responses={201: CaseSerializer})
    def post(self, request):
        agency_required(request.user)
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            case = services.case_create(by=request.user, door=API, **serializer.validated_data)
        except services.CaseRefused as refusal:
            raise refused(refusal) from refusal
        response = _case_response(request, case, status.HTTP_201_CREATED)
        response["Location"] = response.data["url"]
        return response


REFERENCE = OpenApiParameter("reference", str, OpenApiParameter.PATH, description="e.g. IBET-2026-000123")


class CaseDetail(APIView):
    @extend_schema(summary="One case (404 when the caller may not see it)", operation_id="cases_retrieve",
                   parameters=[REFERENCE], responses={200: CaseSerializer})
    def get(self, request, reference):
        case = _case(request, reference)
        audit.record(action=Action.CASE_VIEW, door=API, user=request.user, case=case)
        return _case_response(request, case)

    @extend_schema(
        summary="Change a case (managers only; If-Match with the ETag to avoid overwriting a change)",
        request=CaseUpdateSerializer, responses={200: CaseSerializer},
        parameters=[REFERENCE, OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)],
    )
    def patch(self, request, reference):
        case = _case(request, reference, AccessLevel.MANAGE)
        if_match = request.headers.get("If-Match")
        if if_match and if_match != "*" and etag(case) not in [tag.strip() for tag in if_match.split(",")]:
            raise PreconditionFailed()
        serializer = CaseUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        confirm = changes.pop("confirm_revocations", False)
        try:
            case = services.case_update(case=case, by=request.user, door=API, confirm_revocations=confirm,
                                        **changes)
        except services.TighteningNeedsConfirmation as question:
            raise Conflict(str(question), revokes=[agency.acronym for agency in question.agencies]) from question
        except services.CaseRefused as refusal:
            raise refused(refusal) from refusal
        return _case_response(request, case)


class CaseShares(APIView):
    @extend_schema(summary="Agencies holding the case and their level", parameters=[REFERENCE],
                   responses={200: ShareSerializer(many=True)})
    def get(self, request, reference):
        case = _case(request, reference)
        audit.record(action=Action.CASE_VIEW, door=API, user=request.user, case=case, part="shares")
        return Response([{"agency": a.acronym, "level": str(level)} for a, level in access.case_shares(case)])

    @extend_schema(summary="Share the case with an agency, or change its level (managers only)",
                   parameters=[REFERENCE], request=ShareCreateSerializer, responses={201: ShareSerializer(many=True)})
    def post(self, request, reference):
        case = _case(request, reference, AccessLevel.MANAGE)
        serializer = ShareCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.case_share(case=case, by=request.user, door=API, **serializer.validated_data)
        except SharingRefused as refusal:
            raise refused(refusal) from refusal
        shares = [{"agency": a.acronym, "level": str(level)} for a, level in access.case_shares(case)]
        return Response(shares, status=status.HTTP_201_CREATED)


class CaseShareRevoke(APIView):
    @extend_schema(summary="Revoke an agency's access (managers only; purpose and reason in the body)",
                   parameters=[REFERENCE, OpenApiParameter("acronym", str, OpenApiParameter.PATH)],
                   request=RevokeSerializer, responses={204: None})
    def delete(self, request, reference, acronym):
        case = _case(request, reference, AccessLevel.MANAGE)
        agency = selectors.active_agencies().filter(acronym=acronym).first()
        if agency is None:
            raise Http404
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.case_unshare(case=case, agency=agency, by=request.user, door=API, **serializer.validated_data)
        except SharingRefused as refusal:
            raise refused(refusal) from refusal
        return Response(status=status.HTTP_204_NO_CONTENT)


class AgencyList(generics.ListAPIView):
    """The directory of active agencies."""

    serializer_class = AgencySerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.active_agencies().select_related("parent")


class OfficerList(RecordedList, generics.ListAPIView):
    """The directory of active officers: name, agency, rank, contact."""

    serializer_class = OfficerSerializer
    pagination_class = DirectoryPages
    recorded_as = "officer"

    def get_queryset(self):
        return selectors.officer_directory()
