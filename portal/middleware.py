import logging
import time
import zoneinfo
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.access import officer_of
from portal.accounts import has_second_factor

logger = logging.getLogger(__name__)

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"


class RefuseNulMiddleware:
    """A NUL character anywhere in the query string or the form data is refused with 400, before any view reads it.

    No field or filter means one, and no column can keep one (PostgreSQL refuses it in text): a NUL that reached a
    filter or an audit record answered 500. Under /api/ the answer is problem details, like the API's other errors.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            message = _("The request contains a character that is not allowed.")
            if request.path.startswith("/api/"):
                from partnerships.api.base import problem_response as api_problem

                return api_problem(400, message)
            from django.template import loader

            return HttpResponseBadRequest(loader.get_template("400.html").render({"message": message}))
        return self.get_response(request)

    def _has_nul(self, request):
        if "\x00" in request.path or _nul_in(request.GET):
            return True
        return request.content_type in self.FORM_TYPES and _nul_in(request.POST)


def _nul_in(query_dict):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists())


class RefuseOversizedBodyMiddleware:
    """A request whose Content-Length is over the largest body accepted (ATTACHMENT_MAX_BYTES and a margin for the
    form around it) answers 413 before a byte of its body is read: a 300 MB upload is refused at once, not after
    it was received in full. Put it before anything that reads request.POST (RefuseNulMiddleware, CSRF).

    The proxy in front refuses the same bodies sooner (nginx `client_max_body_size`, docs/operations.md).
    """

    FORM_MARGIN = 1024 * 1024  # the other fields of the form that carries the largest attachment

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads an unreadable length as no body at all
        if length > settings.ATTACHMENT_MAX_BYTES + self.FORM_MARGIN:
            return _request_too_large(request)
        return self.get_response(request)


def _request_too_large(request):
    from django.http import HttpResponse
    from django.template import loader
    from django.template.defaultfilters import filesizeformat

    message = _("This request is too large: files of up to %(size)s can be attached.") % {
        "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
    if request.path.startswith("/api/"):
        return JsonResponse({"type": "about:blank", "title": _("Content too large"), "status": 413,
                             "detail": message}, status=413, content_type="application/problem+json")
    return HttpResponse(loader.get_template("413.html").render({"message": message}), status=413)


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached (restarting, or out of connections: "sorry, too many clients already")
    answers 503 with Retry-After, with DEBUG on as with it off (portal/views.py server_error answers the same to
    what fails outside a view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            from portal.views import database_unavailable

            logger.warning("Database unavailable: answered 503", exc_info=exception)
            return database_unavailable(request)
        return None


class OfficerTimezoneMiddleware:
    """Show times in the signed-in officer's time zone; everything is stored in UTC. The API answers in UTC
    (`Z`) whoever calls it, with a token or a session (docs/api.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        officer = None if request.path.startswith("/api/") else officer_of(request.user)
        if officer:
            timezone.activate(zoneinfo.ZoneInfo(officer.time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Nothing a signed-in officer is shown is kept by the browser or a proxy (case data may be on it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class SessionLimitsMiddleware:
    """A session ends after 30 minutes without a request and 12 hours after sign-in (CJIS AC-11, AC-12, IA-11).

    The officer signs in again, second factor included. Activity is written to the session at most once a
    minute, so that ordinary pages do not each write the session row.
    """

    TOUCH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SIGNED_IN_AT, now)
            last_seen = request.session.get(LAST_SEEN, started)
            if now - last_seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_MAX_SECONDS:
                return self._end(request, idle=now - last_seen > settings.SESSION_IDLE_SECONDS)
            if now - last_seen > self.TOUCH_EVERY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _end(request, *, idle):
        from partnerships import audit
        from partnerships.models import AuditEvent

        audit.record(action=AuditEvent.Action.SESSION_EXPIRE, door=AuditEvent.Door.PAGE, user=request.user,
                     reason="idle" if idle else "maximum length")
        logout(request)
        message = (_("Your session was locked after 30 minutes without activity. Sign in again.") if idle
                   else _("Your session reached its 12-hour limit. Sign in again."))
        if request.path.startswith("/api/"):
            return problem_response(status=401, title=message)
        messages.info(request, message)
        return redirect_to_login(request.get_full_path())


class SecondFactorRequiredMiddleware:
    """A session signed in with a password alone reaches only the second-factor pages (CJIS IA-2).

    API calls with a token are not sessions and pass; the token is the agency system's credential.
    """

    OPEN_PREFIXES = ("/accounts/mfa/", "/accounts/logout/", "/i18n/", "/healthz", "/readyz", "/favicon.ico")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not self._open(request.path):
            if request.path.startswith("/api/"):
                return problem_response(status=401, title=_("Complete the second factor to use the API."))
            target = "mfa_verify" if has_second_factor(user) else "mfa_enrol"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _open(self, path):
        return path.startswith(self.OPEN_PREFIXES) or path.startswith("/" + settings.STATIC_URL.lstrip("/"))


def problem_response(*, status, title):
    return JsonResponse({"type": "about:blank", "title": str(title), "status": status}, status=status,
                        content_type="application/problem+json")


def on_signed_in(sender, request, user, **kwargs):
    """The 12-hour and 30-minute clocks start at sign-in, whatever the session held before."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[LAST_SEEN] = time.time()
