"""The audit trail: append-only, hash-chained, and told where each request came from.

Every record carries the SHA-256 of its own content and of the record before it, so changing or
removing any record breaks the chain from there on (`manage.py verify_audit` finds where). On
PostgreSQL a trigger also refuses UPDATE and DELETE on the table (migration 0002).
"""

import contextvars
import hashlib
import hmac
import ipaddress
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from partnerships.models import AuditEvent

GENESIS = "0" * 64
SECRET_WORDS = ("password", "token", "secret", "key", "credential")
# Any constant: the advisory lock that serializes appends to the chain on PostgreSQL.
CHAIN_LOCK = 72011997


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    user_agent: str = ""
    request_id: str = ""


_request = contextvars.ContextVar("audit_request", default=RequestContext())  # noqa: B039 (frozen)


class AuditContextMiddleware:
    """Remember where the request came from for every record written while serving it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = (request.headers.get("X-Request-ID") or "")[:64] or uuid.uuid4().hex
        token = _request.set(RequestContext(
            ip_address=_normal_ip(request.META.get("REMOTE_ADDR")),
            user_agent=(request.headers.get("User-Agent") or "").replace("\x00", "")[:300],
            request_id=request_id,
        ))
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        response["X-Request-ID"] = request_id
        return response


def _normal_ip(value):
    """The form PostgreSQL's inet gives back, so that the hash survives a round trip."""
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return None


def _clean(detail):
    """Drop anything that looks like a secret, whatever the caller passed."""
    if isinstance(detail, dict):
        return {
            key: _clean(value) for key, value in detail.items()
            if not any(word in str(key).lower() for word in SECRET_WORDS)
        }
    if isinstance(detail, (list, tuple)):
        return [_clean(value) for value in detail]
    if isinstance(detail, (str, int, bool)) or detail is None:
        return detail
    return str(detail)


def content_hash(event, previous_hash):
    payload = {
        "at": event.at.isoformat(timespec="microseconds"),
        "user": event.user_id, "username": event.username, "agency": event.agency_id,
        "action": event.action, "door": event.door, "outcome": event.outcome,
        "object_type": event.object_type, "object_ref": event.object_ref, "case": event.case_id,
        "ip_address": event.ip_address, "user_agent": event.user_agent, "request_id": event.request_id,
        "detail": event.detail,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{previous_hash}{canonical}".encode()).hexdigest()


def record(*, action, door, user=None, case=None, agency=None, object_type="", object_ref="",
           outcome=AuditEvent.Outcome.SUCCESS, returned=(), **detail):
    """Append one record to the chain. Inside a caller's transaction it stands or falls with it.

    `returned` is the cases a list, search or export showed: named in the record and linked to it.
    """
    from partnerships.access import agency_of  # access imports models only; avoid a cycle at import

    context = _request.get()
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if case is not None:
        object_type, object_ref = object_type or "case", object_ref or case.reference
    event = AuditEvent(
        action=action, door=door, outcome=outcome,
        user=user if signed_in else None,
        username=(user.get_username() if signed_in else detail.pop("username", ""))[:150],
        agency=agency or (agency_of(user) if signed_in else None),
        case=case, object_type=object_type, object_ref=str(object_ref)[:100],
        ip_address=context.ip_address, user_agent=context.user_agent, request_id=context.request_id,
        detail=_clean({**detail, "returned": [c.reference for c in returned]} if returned else detail),
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        event.previous_hash = previous
        event.hash = content_hash(event, previous)
        event.save()
        if returned:
            event.returned_cases.add(*returned)
    return event


def verify(using=None):
    """Walk the chain from the start: (number verified, first broken record or None).

    `using` names another database alias: the restore drill verifies a restored copy (portal/backups.py).
    """
    previous, count = GENESIS, 0
    for event in AuditEvent.objects.using(using).order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous or content_hash(event, previous) != event.hash:
            return count, event
        previous, count = event.hash, count + 1
    return count, None


# --- events Django raises itself (connected in apps.py) ---------------------------------------------

def on_sign_in(sender, request, user, **kwargs):
    record(action=AuditEvent.Action.SIGN_IN, door=AuditEvent.Door.PAGE, user=user)


def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    # Never the password (Django masks it), and a name only when it is an account's: people type their
    # password into the username field, and that must not land in the trail. Other names are kept as a
    # keyed digest, so that repeated tries of one name can still be told apart.
    tried = str(credentials.get("username", ""))[:150]
    if get_user_model().objects.filter(username=tried).exists():
        record(action=AuditEvent.Action.SIGN_IN_FAILED, door=AuditEvent.Door.PAGE,
               outcome=AuditEvent.Outcome.FAILURE, username=tried)
    else:
        record(action=AuditEvent.Action.SIGN_IN_FAILED, door=AuditEvent.Door.PAGE,
               outcome=AuditEvent.Outcome.FAILURE, unknown_name_digest=name_digest(tried))


def name_digest(name):
    """A keyed digest of a name that is not an account's: comparable, not readable."""
    return hmac.new(settings.SECRET_KEY.encode(), name.encode(), hashlib.sha256).hexdigest()[:16]


def on_sign_out(sender, request, user, **kwargs):
    if user is not None:
        record(action=AuditEvent.Action.SIGN_OUT, door=AuditEvent.Door.PAGE, user=user)


def on_admin_log_entry(sender, instance, created, **kwargs):
    if created:
        record(action=AuditEvent.Action.ADMIN_ACTION, door=AuditEvent.Door.ADMIN, user=instance.user,
               object_type=instance.content_type.model if instance.content_type else "",
               object_ref=instance.object_repr, flag=instance.get_action_flag_display(),
               change=instance.get_change_message())
