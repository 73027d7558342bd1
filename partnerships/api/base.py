"""What every endpoint of the API shares: token authentication, the portal's permission rule,
per-token rate limits, RFC 9457 problem details, and a CSV renderer for lists."""

import contextlib
import csv
import io
import logging
import time

import django_filters
from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from redis.exceptions import RedisError
from rest_framework import authentication, exceptions, permissions, renderers, throttling
from rest_framework.negotiation import DefaultContentNegotiation

from partnerships import access, reads, services
from partnerships.api import parsers
from partnerships.models import AuditEvent
from portal import ratelimits


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`. Expired, revoked or unknown keys are refused alike."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token as: Authorization: Token <key>."))
        token = services.api_token_authenticate(header[1])
        if token is None:
            count_bad_token(request)
            raise exceptions.AuthenticationFailed(_("This token is unknown, expired or revoked."))
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


def count_bad_token(request):
    """Invalid tokens per client address (REMOTE_ADDR, as set by portal/proxies.py): past API_BAD_TOKEN_RATE
    ("20/m") the address's further invalid tokens answer 429 with Retry-After instead of 401. A valid token is
    never refused for them (agency systems behind one address are not locked out by a misconfigured neighbour).
    A cache that cannot be reached lets the request through, as the other limits do."""
    count, seconds = throttling.SimpleRateThrottle.parse_rate(None, settings.API_BAD_TOKEN_RATE)
    address = request.META.get("REMOTE_ADDR") or "unknown"
    key = f"api-bad-token:{address}"
    now = time.time()
    try:
        window = cache.get(key)
        if window is None or window[0] <= now:
            window = (now + seconds, 0)
        window = (window[0], window[1] + 1)
        cache.set(key, window, timeout=int(window[0] - now) + 1)
    except (RedisError, OSError):
        logger.warning("Invalid API tokens not counted: the cache cannot be reached", exc_info=True)
        return
    if window[1] > count:
        raise exceptions.Throttled(wait=max(1, int(window[0] - now + 0.999)),
                                   detail=_("Too many invalid tokens from this address."))


# Query parameters every API view takes besides its filters and pager.
COMMON_QUERY_PARAMETERS = {"format"}


def refuse_unknown_query_parameters(request, view):
    """A query parameter the view does not take is refused by name (400), not ignored: `?search=x` on a list
    with no such filter would otherwise answer the whole list as if it were the search's result.

    Known: `format`, the view's FilterSet's filters, its pager's parameters, and `extra_query_parameters`.
    Views of other packages (the schema and its documentation) are left to their own rules."""
    if type(view).__module__.split(".")[0] not in PORTAL_APPS:
        return
    known = set(COMMON_QUERY_PARAMETERS) | set(getattr(view, "extra_query_parameters", ()))
    filterset = getattr(view, "filterset_class", None)
    if filterset is not None:
        known |= set(filterset.base_filters)
    paginator = getattr(view, "paginator", None)
    for attribute in ("page_query_param", "page_size_query_param", "cursor_query_param"):
        if getattr(paginator, attribute, None):
            known.add(getattr(paginator, attribute))
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise exceptions.ValidationError({name: [_("Unknown query parameter.")] for name in unknown})


PORTAL_APPS = {"partnerships", "shiprider", "ibet", "best", "cbcf", "deconfliction", "webhooks", "portal"}


def refuse_naive_datetimes(values, fields):
    """A date-time without an offset (`2026-05-01T18:00`) is refused: read as UTC it would move an 18:00 patrol
    to 13:00 EST. `fields` maps names to whether each is a date-time."""
    errors = {}
    for name in fields:
        value = values.get(name) if hasattr(values, "get") else None
        if isinstance(value, str) and value.strip():
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                continue  # the field's own check says what is wrong
            if parsed is not None and parsed.tzinfo is None:
                errors[name] = [_("Give the time with its UTC offset, e.g. 2026-05-01T18:00-04:00 or "
                                  "2026-05-01T22:00Z.")]
    if errors:
        raise exceptions.ValidationError(errors)


class PortalPermission(permissions.BasePermission):
    """Signed in as an active officer; a read-only token never writes. Case rules are the services'.

    A view whose POST only asks a question (`posts_read_only = True`, e.g. a deconfliction check) is open to
    read-only tokens too."""

    message = _("This token is read-only.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        refuse_unknown_query_parameters(request, view)  # checked here: every view, once the caller is known
        read_only = getattr(request.auth, "read_only", False)
        asks_only = request.method == "POST" and getattr(view, "posts_read_only", False)
        return not (read_only and request.method not in permissions.SAFE_METHODS and not asks_only)


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """One budget per token (or per signed-in user for the browsable API)."""

    scope = "api"

    def get_cache_key(self, request, view):
        if getattr(request.auth, "pk", None):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        # As the pages' limits (portal/ratelimits.py): a cache that cannot be reached lets the request through
        # rather than take the API down with it.
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError):
            logger.warning("API rate limit not checked: the cache cannot be reached", exc_info=True)
            return True


class KindRateThrottle(TokenRateThrottle):
    """A second budget per token for the requests of one kind, at the pages' rate (portal/ratelimits.py)."""

    def __init__(self):  # the rate is read at each request, never inherited from TokenRateThrottle
        self.rate = ratelimits.rate_of(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def allow_request(self, request, view):
        return not self.counts(request, view) or super().allow_request(request, view)


class SearchRateThrottle(KindRateThrottle):
    """Requests that search: the view's FilterSet has the free-text `q` (or the view is the search, `searches`) and
    the request fills it."""

    scope = ratelimits.SEARCH

    def counts(self, request, view):
        filters = getattr(getattr(view, "filterset_class", None), "base_filters", {})
        searches = "q" in filters or getattr(view, "searches", False)
        return searches and bool(request.query_params.get("q", "").strip())


class ExportRateThrottle(KindRateThrottle):
    """Requests answered as CSV (?format=csv, or Accept: text/csv)."""

    scope = ratelimits.EXPORT

    def counts(self, request, view):
        return getattr(getattr(request, "accepted_renderer", None), "format", None) == CSVRenderer.format


PROBLEM_TITLES = {  # in the caller's language (Accept-Language), as `detail` is
    400: gettext_lazy("Bad request"), 401: gettext_lazy("Not authenticated"), 403: gettext_lazy("Forbidden"),
    404: gettext_lazy("Not found"), 405: gettext_lazy("Method not allowed"), 406: gettext_lazy("Not acceptable"),
    409: gettext_lazy("Conflict"), 412: gettext_lazy("Precondition failed"),
    415: gettext_lazy("Unsupported media type"), 429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Internal server error"), 503: gettext_lazy("Service unavailable"),
}


def problem_title(status):
    return str(PROBLEM_TITLES.get(status, gettext_lazy("Error")))

SERVER_ERROR_DETAIL = gettext_lazy("The server could not complete the request. The error has been recorded.")

logger = logging.getLogger(__name__)


def problem_exception_handler(exc, context):
    """Errors as RFC 9457 problem details, with `errors` by field for validation failures."""
    from rest_framework.views import exception_handler  # not at import: DRF's settings import this module

    response = exception_handler(exc, context)
    if response is None:
        # Not an API error but a fault: DRF re-raises it, Django logs it, and handler500 answers with a
        # problem that says nothing of it (portal/views.py server_error).
        return None
    data = response.data
    problem = {
        "type": "about:blank",
        "title": problem_title(response.status_code),
        "status": response.status_code,
    }
    if isinstance(exc, exceptions.ValidationError):
        problem["detail"] = _("The request is not valid; see errors.")
        problem["errors"] = flatten_errors(data if isinstance(data, dict) else {"non_field_errors": data})
    elif response.status_code >= 500:
        # A server-side APIException may carry internal text: log it, tell the client nothing of it.
        logger.error("API error %s: %s", response.status_code, exc, exc_info=exc)
        problem["detail"] = str(SERVER_ERROR_DETAIL)
    elif isinstance(exc, Http404):
        problem["detail"] = _("Not found.")  # Django's text names the model ("No JointCase matches ...")
    elif isinstance(data, dict) and "detail" in data:
        problem["detail"] = str(data["detail"])
    else:
        problem["detail"] = str(data)
    extra = getattr(exc, "problem_extra", None)
    if extra:
        problem.update(extra)
    response.data = problem
    # A problem is JSON whatever format was asked for (?format=csv, the browsable API).
    request = context.get("request")
    if request is not None:
        request.accepted_renderer = parsers.JSONRenderer()  # escapes text UTF-8 cannot encode
        request.accepted_media_type = "application/problem+json"
    response.content_type = "application/problem+json"
    return response


def flatten_errors(errors, prefix=""):
    """{"crew": [{"role": ["..."]}]} becomes {"crew.0.role": ["..."]}: one list of messages per field path."""
    flat = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            flat.update(flatten_errors(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(errors, list) and any(isinstance(item, (dict, list)) for item in errors):
        for index, item in enumerate(errors):
            if item:
                flat.update(flatten_errors(item, f"{prefix}.{index}"))
    else:
        flat[prefix or "non_field_errors"] = [str(item) for item in (errors if isinstance(errors, list) else [errors])]
    return flat


def problem_not_found(request):
    """A 404 under /api/ that no view answered (a path that matches no route) is a problem too."""
    return problem_response(404, _("Not found."))


def api_not_found(request):
    """The last route under /api/: a path no API route takes. Without a trailing slash, and one with it exists,
    the client is sent there (as CommonMiddleware's APPEND_SLASH would, which this route would otherwise stop)."""
    from django.http import HttpResponsePermanentRedirect
    from django.urls import Resolver404, resolve

    if settings.APPEND_SLASH and not request.path_info.endswith("/") and request.method in ("GET", "HEAD"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    return problem_not_found(request)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: under /api/ (a session-cookie POST to a path no API route takes), a 403 problem like the
    one DRF's SessionAuthentication gives; elsewhere Django's page."""
    from django.views.csrf import csrf_failure as django_csrf_failure

    if request.path.startswith("/api/"):
        return problem_response(403, _("CSRF Failed: %(reason)s") % {"reason": reason})
    return django_csrf_failure(request, reason)


def problem_server_error(request):
    """A 500 under /api/: the status and a fixed sentence, never the exception."""
    return problem_response(500, str(SERVER_ERROR_DETAIL))


def problem_bad_request(request):
    """A 400 that no view answered (a suspicious request that Django refused) under /api/."""
    return problem_response(400, _("The request is not valid."))


def problem_response(status, detail):
    from django.http import JsonResponse

    return JsonResponse({"type": "about:blank", "title": problem_title(status), "status": status,
                         "detail": detail}, status=status, content_type="application/problem+json")


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "Conflict."

    def __init__(self, detail, **extra):
        super().__init__(detail)
        self.problem_extra = extra


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = gettext_lazy("The case changed since you read it: fetch it again and retry with its new ETag.")


class CSVRenderer(renderers.BaseRenderer):
    """`?format=csv` on lists: one row per item, nested values flattened."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get("results", data) if isinstance(data, dict) else data
        if isinstance(data, dict) and "results" not in data:
            rows = [data]  # an error, or a single object
        fieldnames = list(rows[0].keys()) if rows else _columns_of((renderer_context or {}).get("view"))
        if not fieldnames:
            return ""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fieldnames)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _flat(value) for key, value in row.items()})
        return buffer.getvalue()


def _columns_of(view):
    """The header row of an empty list: the names of its serializer's fields."""
    get_serializer = getattr(view, "get_serializer", None)
    if get_serializer is None:
        return []
    try:
        return list(get_serializer().fields)
    except Exception:  # noqa: BLE001 - a serializer that needs more than the view gives: no header rather than a 500
        logger.warning("No CSV header for %s", type(view).__name__, exc_info=True)
        return []


def _flat(value):
    if isinstance(value, dict):
        return value.get("acronym") or ";".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        return ";".join(_flat(item) if not isinstance(item, dict) else
                        ":".join(str(v) for v in item.values()) for item in value)
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@contextlib.contextmanager
def refusals_answer_400(*refusals):
    """A service's refusal answers 400 with its message, in the caller's language, under `non_field_errors` (where
    the page shows it above its form). The services are atomic: nothing of a refused write is kept."""
    try:
        yield
    except refusals as refusal:
        raise exceptions.ValidationError({"non_field_errors": [str(refusal)]}) from refusal


def valid(serializer_class, request, **kwargs):
    """The request's body through a write serializer: its validated values, or 400 with the errors by field."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def agency_required(user):
    if access.agency_of(user) is None:
        raise exceptions.PermissionDenied(_("Only an officer of an active agency can do this."))


class StrictFilterBackend(DjangoFilterBackend):
    """A filter given with no value is refused, not taken as "no filter": `?status=` names no status."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            refuse_naive_datetimes(request.query_params, [
                name for name, flt in filterset.filters.items() if isinstance(flt, django_filters.DateTimeFilter)])
            empty = sorted(name for name in filterset.filters
                           if name in request.query_params and not request.query_params.get(name, "").strip())
            if empty:
                raise exceptions.ValidationError({name: [_("Give a value, or leave the parameter out.")]
                                                  for name in empty})
        return filterset


class StrictContentNegotiation(DefaultContentNegotiation):
    """`?format=` with no value is refused rather than ignored; a format that is named wins over the Accept header
    (`?format=csv` from a client that always sends `Accept: application/json` is still CSV)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if "format" in request.query_params and not request.query_params["format"].strip():
            raise exceptions.ValidationError({"format": [_("Give a value, or leave the parameter out.")]})
        named = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if named:
            chosen = self.filter_renderers(renderers, named)  # 404 when no renderer has that format
            return chosen[0], chosen[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


class RecordedList:
    """A list endpoint of team records that records each read, through door = API: what kind of records
    (`recorded_as`) and the query. A list of cases records them as the case list does (override `record_read`,
    which gets the page of rows shown)."""

    recorded_as = ""

    def paginate_queryset(self, queryset):
        self.shown = super().paginate_queryset(queryset)
        return self.shown

    def record_read(self, request, shown):
        reads.team_list_read(user=request.user, door=AuditEvent.Door.API, object_type=self.recorded_as,
                             query=request.query_params.dict())

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self.record_read(request, getattr(self, "shown", None) or ())
        return response


class RecordedDetail:
    """A detail endpoint of a team record that records each read, through door = API."""

    recorded_as = ""

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        reads.team_record_read(user=request.user, door=AuditEvent.Door.API, object_type=self.recorded_as,
                               object_ref=kwargs[self.lookup_url_kwarg or self.lookup_field])
        return response
