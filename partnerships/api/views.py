"""The REST API: the same selectors, services and FilterSets as the pages, through door = API."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from partnerships import access, audit, selectors, services
from partnerships.access import SharingRefused
from partnerships.api.base import (
    Conflict,
    PreconditionFailed,
    RecordedList,
    agency_required,
    refusals_answer_400,
    valid,
)
from partnerships.api.serializers import (
    AgencySerializer,
    CaseCreateSerializer,
    CaseRemovalSerializer,
    CaseRequestSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    CourtReleaseCreateSerializer,
    DocumentCreateSerializer,
    DocumentSerializer,
    OfficerSerializer,
    RequestDecisionSerializer,
    RevokeSerializer,
    SearchAnswerSerializer,
    ShareCreateSerializer,
    ShareRequestCreateSerializer,
    ShareSerializer,
    SubjectAddedSerializer,
    SubjectCreateSerializer,
    TeamSerializer,
)
from partnerships.filters import CaseApiFilter, CaseRemovalFilter
from partnerships.models import AccessLevel, AuditEvent, CaseRequest

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

    def decode_cursor(self, request):
        """A cursor that is not one of ours (or empty) is a bad request (400), not a missing page or the first."""
        if self.cursor_query_param in request.query_params and not request.query_params[self.cursor_query_param]:
            raise serializers.ValidationError({self.cursor_query_param: [
                _("Give a value, or leave the parameter out.")]})
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as error:
            raise serializers.ValidationError({self.cursor_query_param: [
                _("This cursor is not valid: follow the next link of a page.")]}) from error


class DirectoryPages(StrictPageSize, PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        """`?page=` empty or not a whole number from 1 is refused (400); a page past the last is 404."""
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isdigit() and int(raw) >= 1):
            raise serializers.ValidationError({self.page_query_param: [_("Give a whole number from 1.")]})
        return super().get_page_number(request, paginator)


def etag(case):
    return f'"{case.pk}-{case.updated_at.timestamp():.6f}"'


def etag_header(*codes):
    return OpenApiParameter("ETag", str, OpenApiParameter.HEADER, response=list(codes),
                            description="The case's version: send it back as If-Match (PATCH) or If-None-Match (GET)")


def refused(refusal):
    return serializers.ValidationError({"non_field_errors": [str(refusal)]})


def _case(request, reference, level=AccessLevel.VIEW, control=None):
    return selectors.case_get(user=request.user, reference=reference, level=level, door=API, path=request.path,
                              control=control)


def case_response(request, case, status_code=status.HTTP_200_OK):
    """The case as the caller now sees it, with its ETag (other apps' endpoints that open a case answer with it)."""
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
                   parameters=[etag_header(201)], responses={201: CaseSerializer})
    def post(self, request):
        agency_required(request.user)
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            case = services.case_create(by=request.user, door=API, **serializer.validated_data)
        except services.CaseRefused as refusal:
            raise refused(refusal) from refusal
        response = case_response(request, case, status.HTTP_201_CREATED)
        response["Location"] = response.data["url"]
        return response


class CaseRemovals(generics.ListAPIView):
    """The removals feed: cases the caller's agency no longer holds since a time (see docs/api.md, sync)."""

    serializer_class = CaseRemovalSerializer
    filterset_class = CaseRemovalFilter
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.cases_removed(user=self.request.user)

    @extend_schema(
        summary="References of cases the caller's agency held and no longer holds, revoked after `since`",
        description="Oldest removal first. Only the reference and when: not who decided nor why. A case shared "
                    "with the agency again is not listed (it comes back in the case list, changed).",
        operation_id="cases_removed",
    )
    def get(self, request):
        response = self.list(request)
        audit.record(action=Action.CASE_LIST, door=API, user=request.user, part="removed",
                     query=request.query_params.dict())
        return response


REFERENCE = OpenApiParameter("reference", str, OpenApiParameter.PATH, description="e.g. IBET-2026-000123")

def _matches(header, tag):
    return bool(header) and (header.strip() == "*" or tag in [part.strip().removeprefix("W/")
                                                              for part in header.split(",")])


class CaseDetail(APIView):
    @extend_schema(
        summary="One case (404 when the caller may not see it; 304 when If-None-Match holds its ETag)",
        operation_id="cases_retrieve",
        parameters=[REFERENCE, OpenApiParameter("If-None-Match", str, OpenApiParameter.HEADER, required=False,
                                                description="The ETag of the copy the caller holds"),
                    etag_header(200, 304)],
        responses={200: CaseSerializer, 304: OpenApiResponse(None, description="Not modified since the ETag given")},
    )
    def get(self, request, reference):
        case = _case(request, reference)
        audit.record(action=Action.CASE_VIEW, door=API, user=request.user, case=case)
        if _matches(request.headers.get("If-None-Match"), etag(case)):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag(case)})
        return case_response(request, case)

    @extend_schema(
        summary="Change a case (managers only, the lead agency only on H2 and stricter; If-Match with the ETag to "
                "avoid overwriting a change)",
        request=CaseUpdateSerializer, responses={200: CaseSerializer},
        parameters=[REFERENCE, OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False,
                                                description="The ETag read: 412 if the case changed since"),
                    etag_header(200)],
    )
    def patch(self, request, reference):
        case = _case(request, reference, AccessLevel.MANAGE, control="change")
        if_match = request.headers.get("If-Match")
        if if_match and not _matches(if_match, etag(case)):
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
        return case_response(request, case)


class CaseShares(APIView):
    @extend_schema(summary="Agencies holding the case and their level", parameters=[REFERENCE],
                   responses={200: ShareSerializer(many=True)})
    def get(self, request, reference):
        case = _case(request, reference)
        audit.record(action=Action.CASE_VIEW, door=API, user=request.user, case=case, part="shares")
        return Response([{"agency": a.acronym, "level": str(level)} for a, level in access.case_shares(case)])

    @extend_schema(summary="Share the case with an agency or a whole team, or change its level (managers only, the "
                           "lead agency only on H2 and stricter)",
                   parameters=[REFERENCE], request=ShareCreateSerializer, responses={201: ShareSerializer(many=True)})
    def post(self, request, reference):
        case = _case(request, reference, AccessLevel.MANAGE, control="share")
        serializer = ShareCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.case_share(case=case, by=request.user, door=API, **serializer.validated_data)
        except SharingRefused as refusal:
            raise refused(refusal) from refusal
        shares = [{"agency": a.acronym, "level": str(level)} for a, level in access.case_shares(case)]
        return Response(shares, status=status.HTTP_201_CREATED)


class CaseShareRevoke(APIView):
    @extend_schema(summary="Revoke an agency's access (managers only, the lead agency only on H2 and stricter; "
                           "purpose and reason in the body)",
                   parameters=[REFERENCE, OpenApiParameter("acronym", str, OpenApiParameter.PATH)],
                   request=RevokeSerializer, responses={204: None})
    def delete(self, request, reference, acronym):
        case = _case(request, reference, AccessLevel.MANAGE, control="revoke")
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


class CaseSubjects(APIView):
    @extend_schema(summary="Add a subject to the case (contributors), checked against other agencies' subjects",
                   description="`warnings` names the agencies holding a matching subject to contact, as the page "
                               "does (deconfliction: never what they hold).",
                   parameters=[REFERENCE], request=SubjectCreateSerializer, responses={201: SubjectAddedSerializer})
    def post(self, request, reference):
        from deconfliction import selectors as deconfliction_selectors
        from deconfliction import services as deconfliction

        case = _case(request, reference, AccessLevel.CONTRIBUTE)
        values = valid(SubjectCreateSerializer, request)
        with refusals_answer_400(services.CaseRefused):
            subject = services.subject_add(by=request.user, case=case, door=API, **values)
        subject.warnings = deconfliction.checker_messages(
            deconfliction_selectors.hit_parties(user=request.user).filter(subject=subject))
        return Response(SubjectAddedSerializer(subject).data, status=status.HTTP_201_CREATED)


class CaseDocuments(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(summary="Attach a document to the case (contributors; multipart/form-data, field `file`)",
                   parameters=[REFERENCE], request={"multipart/form-data": DocumentCreateSerializer},
                   responses={201: DocumentSerializer})
    def post(self, request, reference):
        from partnerships import attachments

        case = _case(request, reference, AccessLevel.CONTRIBUTE)
        values = valid(DocumentCreateSerializer, request)
        try:
            document = services.document_attach(case=case, upload=values["file"], by=request.user, door=API)
        except (services.CaseRefused, attachments.AttachmentRefused) as refusal:
            raise serializers.ValidationError({"file": [str(refusal)]}) from refusal
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class CaseRequestNew(APIView):
    """A partner's request to the lead agency about its case (the case page's "Ask the lead agency")."""

    kind = CaseRequest.Kind.SHARE
    request_serializer = ShareRequestCreateSerializer

    def post(self, request, reference):
        case = _case(request, reference)
        values = valid(self.request_serializer, request)
        if "target_agency" in values:
            values["target_agency"] = selectors.agencies_for_request(case=case).filter(
                acronym=values["target_agency"]).first()
            if values["target_agency"] is None:
                raise serializers.ValidationError({"target_agency": [
                    _("Choose an agency from the list; that one is unknown or not eligible.")]})
        with refusals_answer_400(SharingRefused):
            filed = services.case_request_file(case=case, kind=self.kind, by=request.user, door=API, **values)
        return Response(CaseRequestSerializer(filed).data, status=status.HTTP_201_CREATED)


class CaseShareRequestNew(CaseRequestNew):
    @extend_schema(summary="Ask the lead agency to share an H2 case onward (a partner holding it, managing it)",
                   parameters=[REFERENCE], request=ShareRequestCreateSerializer,
                   responses={201: CaseRequestSerializer})
    def post(self, request, reference):
        return super().post(request, reference)


class CaseCourtReleaseNew(CaseRequestNew):
    kind = CaseRequest.Kind.COURT_RELEASE
    request_serializer = CourtReleaseCreateSerializer

    @extend_schema(summary="Ask the lead agency to release an H1 case for use in court (a partner holding it)",
                   parameters=[REFERENCE], request=CourtReleaseCreateSerializer,
                   responses={201: CaseRequestSerializer})
    def post(self, request, reference):
        return super().post(request, reference)


class CaseRequestDecision(APIView):
    @extend_schema(summary="Approve or decline a request about the case (the lead agency only); an approved share "
                           "is made then",
                   parameters=[REFERENCE, OpenApiParameter("id", int, OpenApiParameter.PATH)],
                   request=RequestDecisionSerializer, responses={200: CaseRequestSerializer})
    def post(self, request, reference, pk):
        case = _case(request, reference)
        case_request = selectors.case_requests(case=case, user=request.user).filter(pk=pk).first()
        if case_request is None:
            raise Http404
        if not access.is_lead(request.user, case):
            raise exceptions.PermissionDenied(_("Only the lead agency decides on requests about its case."))
        values = valid(RequestDecisionSerializer, request)
        with refusals_answer_400(SharingRefused):
            services.case_request_decide(request=case_request, by=request.user, door=API, **values)
        return Response(CaseRequestSerializer(selectors.case_requests(case=case, user=request.user).get(pk=pk)).data)


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


class TeamList(generics.ListAPIView):
    """The active teams (ShipRider sites, IBET teams, BEST units) a case may be shared with, whole."""

    serializer_class = TeamSerializer
    pagination_class = DirectoryPages

    def get_queryset(self):
        return selectors.active_teams()


class Search(APIView):
    """The search box of the pages, as JSON (partnerships/search.py)."""

    searches = True  # counted against the search budget (SearchRateThrottle)
    # JSON (and the browsable API): results grouped by kind have no one table to export.
    renderer_classes = [renderer for renderer in api_settings.DEFAULT_RENDERER_CLASSES if renderer.format != "csv"]
    extra_query_parameters = ("q", "kind", "page", "page_size")
    page_size_max = 100

    @extend_schema(
        summary="Search everything the caller may see: cases, subjects, documents, IBET occurrences and reports, "
                "ShipRider patrols and boardings, BEST targets, CBCF agenda items",
        description="Grouped by kind; in each, exact references and keys first, then the newest matches. Words match "
                    "in English or French, accents ignored; a word may also match one like it (a typo), marked "
                    "close_match. `kind` narrows to one kind, paged with `page` and `page_size`.",
        operation_id="search",
        parameters=[
            OpenApiParameter("q", str, required=True, description="A reference, a name, a plate, a phone, words"),
            OpenApiParameter("kind", str, required=False, description="Only this kind (see `kind` in the answer)"),
            OpenApiParameter("page", int, required=False, description="With `kind`: the page, from 1"),
            OpenApiParameter("page_size", int, required=False, description="With `kind`: 1 to 100 (25)"),
        ],
        responses={200: SearchAnswerSerializer},
    )
    def get(self, request):
        from partnerships import search
        from partnerships.forms import SearchForm

        empty = sorted(name for name in ("kind", "page", "page_size")
                       if name in request.query_params and not request.query_params[name].strip())
        if empty:
            raise serializers.ValidationError({name: [_("Give a value, or leave the parameter out.")]
                                               for name in empty})
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        text, kind = form.cleaned_data["q"], form.cleaned_data["kind"] or None
        if not text:
            raise serializers.ValidationError({"q": [_("Give something to search for.")]})
        page_size = self._page_size(request, kind)
        results = search.run(user=request.user, text=text, kind=kind, page=form.cleaned_data["page"],
                             page_size=page_size)
        search.record(user=request.user, door=API, results=results, query=request.query_params.dict())
        return Response({"query": results.terms.text, "groups": [
            {"kind": group.kind.name, "label": str(group.kind.label), "count": group.count, "capped": group.capped,
             "cap": group.cap,
             "page": group.page, "next": self._next(request, group),
             "results": [{"kind": hit.kind, "ref": hit.ref, "title": str(hit.title), "snippet": str(hit.snippet),
                          "about": hit.about, "url": request.build_absolute_uri(hit.url), "exact": hit.exact,
                          "close_match": hit.close_match} for hit in group.hits]}
            for group in results.groups]})

    def _page_size(self, request, kind):
        raw = request.query_params.get("page_size")
        if raw is None:
            return None
        if not kind:
            raise serializers.ValidationError({"page_size": [_("Give a kind to page through.")]})
        if not raw.isdigit() or not 1 <= int(raw) <= self.page_size_max:
            raise serializers.ValidationError({"page_size": [
                _("Give a whole number from 1 to %(max)s.") % {"max": self.page_size_max}]})
        return int(raw)

    @staticmethod
    def _next(request, group):
        if not group.has_next:
            return None
        query = request.query_params.copy()
        if "kind" not in query:  # from the overview: this kind's results from the start
            query["kind"] = group.kind.name
            query.pop("page", None)
        else:
            query["page"] = str(group.page + 1)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
