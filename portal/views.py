"""Site-wide pages: the dashboard, sign in and out, the health and readiness checks."""

import redis
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache

from partnerships import access, audit, selectors
from partnerships.models import AuditEvent

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


class SignInView(auth_views.LoginView):
    """Sign in, then switch the interface to the officer's preferred language."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        officer = access.officer_of(form.get_user())
        if officer:
            translation.activate(officer.preferred_language)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, officer.preferred_language,
                secure=settings.LANGUAGE_COOKIE_SECURE, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class SignOutView(auth_views.LogoutView):
    pass


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
