"""Site-wide pages: the dashboard, sign in and out with the second factor, health and readiness checks."""

import sys
from base64 import b32encode
from urllib.parse import urlencode

import redis
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from partnerships import access, audit, selectors
from partnerships.models import AuditEvent
from portal import accounts
from portal.forms import EnrolForm, SecondFactorForm, SignInForm
from portal.ratelimits import limit_sign_in

RECENT_CASES = 5


@login_required
def home(request):
    counts = selectors.case_counts(user=request.user)
    recent_cases = list(selectors.case_list(user=request.user)[:RECENT_CASES])
    audit.record(action=AuditEvent.Action.CASE_LIST, door=AuditEvent.Door.PAGE, user=request.user,
                 page="dashboard", returned=recent_cases)
    return render(request, "portal/home.html", {
        "agency": access.agency_of(request.user),
        "recent_cases": recent_cases,
        "awaiting": selectors.requests_awaiting(user=request.user),
        "counts": counts,
        "total": sum(sum(by_status.values()) for by_status in counts.values()),
    })


@method_decorator(limit_sign_in(), name="post")
class SignInView(auth_views.LoginView):
    """The system-use notice, username and password; then the second factor, then the officer's language."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        device = accounts.sign_in_origin_check(request=self.request, user=form.get_user())
        response.set_cookie(accounts.DEVICE_COOKIE, device, max_age=accounts.DEVICE_COOKIE_AGE, httponly=True,
                            secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")
        officer = access.officer_of(form.get_user())
        if officer:
            translation.activate(officer.preferred_language)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, officer.preferred_language,
                secure=settings.LANGUAGE_COOKIE_SECURE, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


def admin_sign_in(request, extra_context=None):
    """The administration's sign-in is the portal's: same notice, lockout and second factor."""
    return redirect_to_login(_next(request))


class SignOutView(auth_views.LogoutView):
    """Sign-out deletes the session on the server: its cookie is worth nothing afterwards."""


def _next(request):
    """Where to go after the second factor: a path on this site, else the dashboard.

    Only a path (starting with one slash): `redirect()` takes anything else for a view name, and "abc" or "a:b"
    failed after the code was used up."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(view_name, request):
    return f"{reverse(view_name)}?{urlencode({'next': _next(request)})}"


def _verified(request, device):
    """The second factor passed: a new session id for the stronger session (ASVS 7.2.4)."""
    request.session.cycle_key()
    otp_login(request, device)


@login_required
def mfa_verify(request):
    """The second factor at sign-in: a code from the authenticator app or a backup code, each used once."""
    if request.user.is_verified():
        return redirect(_next(request))
    if not accounts.has_second_factor(request.user):
        return redirect(_with_next("mfa_enrol", request))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = accounts.second_factor_throttled(request.user)
        device = accounts.second_factor_verify(user=request.user, token=form.cleaned_data["code"],
                                               ip_address=request.META.get("REMOTE_ADDR"))
        if device is not None:
            _verified(request, device)
            return redirect(_next(request))
        if accounts.is_locked(request.user):
            logout(request)
            messages.error(request, _("Too many wrong codes: the account is locked until an administrator of "
                                      "your agency unlocks it."))
            return redirect("login")
        if throttled:
            form.add_error("code", _("A wrong code was typed a moment ago, so this one could not be checked. Wait "
                                     "for the next code from the app and type it."))
        else:
            form.add_error("code", _("This code is not right or was used already. Wait for the next code from "
                                     "the app, or use a backup code."))
    return render(request, "portal/mfa_verify.html", {"form": form, "next": _next(request)})


@login_required
def mfa_enrol(request):
    """First sign-in: add the portal to an authenticator app by QR code or key, confirm with a code."""
    if accounts.has_second_factor(request.user):
        return redirect(_with_next("mfa_verify", request))
    device = accounts.enrolment_device(request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed, codes = accounts.mfa_enrol(user=request.user, token=form.cleaned_data["code"])
        if confirmed is not None:
            _verified(request, confirmed)
            return render(request, "portal/mfa_backup_codes.html", {"codes": codes, "next": _next(request),
                                                                     "first_time": True})
        form.add_error("code", _("This code is not right. Check the time on your phone and type the code the "
                                 "app shows now."))
    key = b32encode(device.bin_key).decode()
    qr_code = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=_("QR code to add the portal to an authenticator app"))
    # Sound (bandit's B308/B703 are false positives): segno's SVG holds path data and the title above, which
    # segno escapes; no text from the user reaches it.
    qr_code = mark_safe(qr_code)  # noqa: S308  # nosec B308 B703
    return render(request, "portal/mfa_enrol.html", {
        "form": form, "next": _next(request), "qr_code": qr_code,
        "key_groups": [key[i:i + 4] for i in range(0, len(key), 4)],
    })


@login_required
def account_security(request):
    """The officer's own sign-in settings: backup codes left, new backup codes, password change."""
    return render(request, "portal/account_security.html",
                  {"backup_codes_left": accounts.backup_codes_left(request.user)})


@login_required
@require_POST
def backup_codes_renew(request):
    codes = accounts.backup_codes_issue(user=request.user)
    return render(request, "portal/mfa_backup_codes.html", {"codes": codes, "next": reverse("account_security")})


@never_cache
def healthz(request):
    """The process lives and answers; what it depends on is /readyz's business."""
    return HttpResponse("ok\n", content_type="text/plain")


def _readiness_problems():
    """What stops this process from serving now: the database, Redis, unapplied migrations."""
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means not ready
        return ["database unavailable"]  # migrations cannot be read without it
    try:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            problems.append("migrations pending")
    except Exception:  # noqa: BLE001
        problems.append("migrations unreadable")
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1).ping()
        except Exception:  # noqa: BLE001 - any Redis failure means not ready
            problems.append("redis unavailable")
    return problems


@never_cache
def readyz(request):
    """Ready to serve: 200, or 503 naming each dependency that is missing."""
    problems = _readiness_problems()
    if problems:
        return HttpResponse("".join(f"{problem}\n" for problem in problems), status=503,
                            content_type="text/plain")
    return HttpResponse("ready\n", content_type="text/plain")


def page_not_found(request, exception=None):
    """The 404 page, or problem details under /api/."""
    from django.views.defaults import page_not_found as default_page_not_found

    from partnerships.api.base import problem_not_found

    if request.path.startswith("/api/"):
        return problem_not_found(request)
    return default_page_not_found(request, exception)


DATABASE_RETRY_AFTER = 5  # seconds: a restarting PostgreSQL is back within a few (docs/operations.md)


def server_error(request):
    """The 500 page, or problem details under /api/; neither says anything of the fault.

    A database that cannot be reached (restarting, failing over) is not the portal's fault but a pause:
    503 with Retry-After, so that agency systems and browsers try again instead of giving up.
    """
    from django.views.defaults import server_error as default_server_error

    from partnerships.api.base import problem_server_error

    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable(request)
    if request.path.startswith("/api/"):
        return problem_server_error(request)
    try:  # the portal's own request id, for the user to quote (never anything of the fault)
        from django.http import HttpResponseServerError
        from django.template import loader

        return HttpResponseServerError(loader.get_template("500.html").render(
            {"request_id": getattr(request, "request_id", "")}))
    except Exception:  # noqa: BLE001 - the error page must not fail: Django's own then  # nosec B110
        return default_server_error(request)


def database_unavailable(request):
    """503 with Retry-After: problem details under /api/, the plain page otherwise (it needs no database)."""
    from partnerships.api.base import problem_response

    message = _("The portal cannot reach its database just now. Try again in a few seconds.")
    if request.path.startswith("/api/"):
        response = problem_response(503, message)
    else:
        response = HttpResponse(loader.get_template("503.html").render({"message": message}), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def bad_request(request, exception=None):
    """The 400 page, or problem details under /api/. A request refused for what it asks (`RequestRefused`) says
    why; anything else Django refused says nothing of it."""
    from django.http import HttpResponseBadRequest

    from partnerships.api.base import problem_bad_request, problem_response

    message = str(exception) if isinstance(exception, RequestRefused) else None
    if request.path.startswith("/api/"):
        return problem_response(400, message) if message else problem_bad_request(request)
    return HttpResponseBadRequest(loader.get_template("400.html").render({"message": message}))


class RequestRefused(BadRequest):
    """Raise it with a sentence for the user (in their language) to answer 400 with it: for what a page reads
    from the query string itself, outside a form."""
