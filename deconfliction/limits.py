"""How many checks before entering an officer, and an API token, may make in an hour (DECONFLICTION_CHECKS_PER_HOUR).

A check that overlaps nothing still tells the checker something, so every check counts, hit or not: without a limit
a token could walk a date of birth, a time or a place to the day, minute or metre. Each subject or operation checked
counts once. Counters are fixed hourly windows in the default cache (Redis in production), as the portal's other
limits (portal/ratelimits.py); if the cache cannot be reached the check goes ahead rather than take deconfliction
down, and the warning is logged.
"""

import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


class LimitReached(Exception):  # noqa: N818 - named for what it says, as DRF's Throttled
    """The officer or the token has made its checks for this hour."""

    def __init__(self, *, retry_after, officer_told):
        super().__init__(retry_after)
        self.retry_after = retry_after
        self.officer_told = officer_told  # True the first time this window: the agency administrators are told


@dataclass(frozen=True)
class Window:
    start: int  # epoch seconds

    @property
    def seconds_left(self):
        return max(1, math.ceil(self.start + WINDOW_SECONDS - time.time()))


def current_window():
    now = time.time()
    return Window(start=int(now // WINDOW_SECONDS) * WINDOW_SECONDS)


def per_hour():
    return settings.DECONFLICTION_CHECKS_PER_HOUR


def take(*, officer, token=None, checks=1):
    """Count `checks` against the officer's hourly budget and the token's (when asked through one). Over either,
    nothing is counted and LimitReached says when to try again; the first refusal of an officer in a window says
    so (`officer_told`), for the agency administrators to be told once."""
    window = current_window()
    counters = [f"deconfliction-checks:officer:{officer.pk}:{window.start}"]
    if token is not None:
        counters.append(f"deconfliction-checks:token:{token.pk}:{window.start}")
    taken = []
    try:
        for key in counters:
            taken.append(key)
            if _count(key, checks) > per_hour():
                for counted in taken:  # a refused check is not one made
                    cache.decr(counted, checks)
                told = cache.add(f"deconfliction-checks:told:{officer.pk}:{window.start}", 1,
                                 timeout=WINDOW_SECONDS + 60)
                raise LimitReached(retry_after=window.seconds_left, officer_told=told)
    except (RedisError, OSError):
        logger.warning("Deconfliction checks not counted: the cache cannot be reached", exc_info=True)


def _count(key, checks):
    """Add `checks` to the counter (atomic in Redis) and return the new value; a new window starts at 0."""
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        return cache.incr(key, checks)
    except ValueError:  # the counter expired between the two calls
        cache.set(key, checks, timeout=WINDOW_SECONDS + 60)
        return checks
