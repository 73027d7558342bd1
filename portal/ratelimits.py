"""Anti-automation limits on searches and exports (OWASP ASVS 4.0.3 V11.1.4): one budget of searches and
one of exports per signed-in user, shared by every page of the kind, at RATE_LIMIT_SEARCH and RATE_LIMIT_EXPORT.

Over a budget a page answers 429 with Retry-After and templates/429.html. The API counts the same kinds at the
same rates, per token, with the DRF throttles in partnerships/api/base.py. Counters live in the default cache
(Redis in production) through django-ratelimit; if the cache cannot be reached the limit lets requests through
rather than take the pages down.

    @login_required
    @limit_search("q")             # counted only when ?q= is given: plain browsing is not a search
    def case_list(request): ...

    @login_required
    @limit_export("csv")           # counted only for ?format=csv; limit_export() counts every request
    def action_register(request): ...
"""

import functools
import logging
import math

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

SEARCH, EXPORT, SIGN_IN = "search", "export", "sign_in"
RATE_SETTINGS = {SEARCH: "RATE_LIMIT_SEARCH", EXPORT: "RATE_LIMIT_EXPORT", SIGN_IN: "RATE_LIMIT_SIGN_IN"}


def rate_of(kind):
    """The rate in force for `kind` ("60/m"), read at each request so that a changed setting applies at once."""
    return getattr(settings, RATE_SETTINGS[kind])


def per_feed_key(group, request):
    """Calendar feeds are fetched by calendar programs without a session: their budget is the feed key's."""
    return "feed:" + request.resolver_match.kwargs["key"]


def limit_search(*parameters):
    """Count the request against the user's searches when it fills any of `parameters` (a file asked for
    with ?format= is an export, counted by limit_export instead)."""

    def searches(request):
        return not request.GET.get("format") and any(request.GET.get(name, "").strip() for name in parameters)

    return _limit(SEARCH, applies=searches, key="user")


def limit_export(*formats, key="user"):
    """Count the request against the user's exports: every request, or with `formats` only ?format=one of them."""

    def exports(request):
        return not formats or request.GET.get("format") in formats

    return _limit(EXPORT, applies=exports, key=key)


def limit_sign_in():
    """Count sign-in attempts per address, on top of the per-account lockout (portal/accounts.py)."""
    return _limit(SIGN_IN, applies=lambda request: request.method == "POST", key="ip")


def _limit(kind, *, applies, key):
    group = f"portal.{kind}"

    def rate(group, request):
        return rate_of(kind) if applies(request) else None  # None: this request is not counted

    def decorator(view):
        @functools.wraps(view)
        def limited(request, *args, **kwargs):
            try:
                usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
            except (RedisError, OSError):
                logger.warning("Rate limit not checked: the cache cannot be reached", exc_info=True)
                usage = None
            if usage and usage["should_limit"]:
                logger.warning("Rate limit: too many %s requests from %s on %s", kind,
                               {"user": f"user {request.user.pk}", "ip": "one address"}.get(key, "a feed key"),
                               request.path)
                return too_many_requests(request, kind=kind, retry_after=usage["time_left"])
            return view(request, *args, **kwargs)

        return limited

    return decorator


def too_many_requests(request, exception=None, *, kind=None, retry_after=60):
    """The 429 page. Also usable as RATELIMIT_VIEW (django-ratelimit's middleware calls it with the exception)."""
    retry_after = max(1, int(retry_after))
    response = render(request, "429.html", {"kind": kind, "minutes": math.ceil(retry_after / 60)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
