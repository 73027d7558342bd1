"""Writes of webhooks: endpoints registered by agency administrators, deliveries queued, sent, retried, re-sent.

Deliveries are queued in the transaction of the event (the core's signals, webhooks/receivers.py) and handed to
Celery through the outbox (portal/outbox.py), so a request never waits on a receiver and a delivery is never lost to
a Redis or worker outage. Each attempt makes the payload from what the agency may see then (webhooks/payloads.py),
signs it (webhooks/signing.py) and sends it through webhooks/transport.py. A failed attempt is retried with
exponential backoff for WEBHOOK_RETRY_FOR_SECONDS (a day); a beat task hands due retries to the workers. An endpoint
that has failed for WEBHOOK_DISABLE_AFTER_SECONDS (a day) without a success is disabled and its agency's
administrators are told.
"""

import json
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships import access, audit
from partnerships.models import AuditEvent, Officer, Program
from portal import outbox
from webhooks import payloads, signing, transport
from webhooks.errors import DeliveryError
from webhooks.models import Delivery, Endpoint, EventType

Action, Door = AuditEvent.Action, AuditEvent.Door
MAX_ENDPOINTS_PER_AGENCY = 20
URL_MAX_LENGTH = 500


class WebhookRefused(Exception):
    """Something the rules refuse; the message says why in the user's language."""


# --- endpoints ------------------------------------------------------------------------------------------------

def _administrator_agency(by):
    agency = access.agency_of(by)
    if agency is None or not access.is_agency_admin(by):
        raise WebhookRefused(_("Only an agency administrator manages the webhooks of their agency."))
    return agency


def _own(by, endpoint):
    agency = _administrator_agency(by)
    endpoint = Endpoint.objects.select_for_update().filter(pk=endpoint.pk, agency=agency).first()
    if endpoint is None:
        raise WebhookRefused(_("You can only manage your own agency's webhooks."))
    return endpoint


def check_url(url):
    """The URL, cleaned, if webhooks may be sent to it; else WebhookRefused with the reason."""
    url = (url or "").strip()
    if not url:
        raise WebhookRefused(_("Give the endpoint's URL."))
    if len(url) > URL_MAX_LENGTH:
        raise WebhookRefused(_("The URL is longer than %(max)s characters.") % {"max": URL_MAX_LENGTH})
    try:
        transport.check_url(url)
    except transport.AddressRefused as refusal:
        raise WebhookRefused(str(refusal)) from refusal
    return url


def _check_events(event_types):
    event_types = list(dict.fromkeys(event_types or []))
    if not event_types:
        raise WebhookRefused(_("Choose at least one event."))
    unknown = [str(event) for event in event_types if event not in EventType.values]
    if unknown:
        raise WebhookRefused(_("Unknown events: %(events)s") % {"events": ", ".join(unknown)})
    return event_types


def _check_program(program):
    program = program or ""
    if program and program not in Program.values:
        raise WebhookRefused(_("Unknown program."))
    return program


@transaction.atomic
def endpoint_register(*, by, url, event_types, program="", description="", door=Door.PAGE):
    """Register an endpoint of the administrator's agency. Returns (endpoint, secret): the secret is shown once."""
    agency = _administrator_agency(by)
    url, event_types, program = check_url(url), _check_events(event_types), _check_program(program)
    if Endpoint.objects.filter(agency=agency).count() >= MAX_ENDPOINTS_PER_AGENCY:
        raise WebhookRefused(_("An agency registers at most %(max)s endpoints: edit or disable one instead.")
                             % {"max": MAX_ENDPOINTS_PER_AGENCY})
    secret = signing.new_secret()
    endpoint = Endpoint.objects.create(agency=agency, url=url, event_types=event_types, program=program,
                                       description=(description or "").strip(), secret=secret, created_by=by)
    audit.record(action=Action.ADMIN_ACTION, door=door, user=by, object_type="webhook_endpoint",
                 object_ref=endpoint.pk, change="registered", url=url, events=event_types, program=program)
    return endpoint, secret


ENDPOINT_FIELDS = ("url", "description", "event_types", "program", "is_active")


@transaction.atomic
def endpoint_update(*, by, endpoint, door=Door.PAGE, **changes):
    """Change an endpoint's address, events, program, description, or enable/disable it. Enabling it again
    forgets its failures; the deliveries it gave up on stay as they are (re-send them)."""
    unknown = set(changes) - set(ENDPOINT_FIELDS)
    if unknown:
        raise WebhookRefused(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    endpoint = _own(by, endpoint)
    if "url" in changes:
        changes["url"] = check_url(changes["url"])
    if "event_types" in changes:
        changes["event_types"] = _check_events(changes["event_types"])
    if "program" in changes:
        changes["program"] = _check_program(changes["program"])
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()
    changed = {field: {"old": getattr(endpoint, field), "new": value} for field, value in changes.items()
               if getattr(endpoint, field) != value}
    for field, value in changes.items():
        setattr(endpoint, field, value)
    if changed.get("is_active", {}).get("new") is True:
        endpoint.failing_since = endpoint.disabled_at = None
    endpoint.save()
    if changed:
        audit.record(action=Action.ADMIN_ACTION, door=door, user=by, object_type="webhook_endpoint",
                     object_ref=endpoint.pk, change="changed", changes=changed)
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, by, endpoint, grace_hours, door=Door.PAGE):
    """A new secret, shown once. The previous one keeps signing beside it for `grace_hours` (0 to
    WEBHOOK_SECRET_GRACE_MAX_HOURS), so the receiver can switch without losing a delivery."""
    endpoint = _own(by, endpoint)
    limit = settings.WEBHOOK_SECRET_GRACE_MAX_HOURS
    if not isinstance(grace_hours, int) or isinstance(grace_hours, bool) or not 0 <= grace_hours <= limit:
        raise WebhookRefused(_("The grace period is a whole number of hours from 0 to %(max)s.") % {"max": limit})
    secret = signing.new_secret()
    endpoint.previous_secret = endpoint.secret if grace_hours else ""
    endpoint.previous_secret_until = timezone.now() + timedelta(hours=grace_hours) if grace_hours else None
    endpoint.secret = secret
    endpoint.save()
    audit.record(action=Action.ADMIN_ACTION, door=door, user=by, object_type="webhook_endpoint",
                 object_ref=endpoint.pk, change="secret rotated", grace_hours=grace_hours)
    return secret


# --- deliveries: queued with the event ------------------------------------------------------------------------

def new_message_id():
    return f"msg_{uuid.uuid4().hex}"


def events_queue(*, event_type, agencies, about, case=None, program=""):
    """Queue one delivery to each active endpoint of `agencies` that subscribed to `event_type` (and to
    `program`, if it names one). Called inside the event's transaction: the deliveries stand or fall with it."""
    agency_ids = {getattr(agency, "pk", agency) for agency in agencies}
    if not agency_ids:
        return []
    now = timezone.now()
    queued = []
    for endpoint in Endpoint.objects.filter(agency_id__in=agency_ids, is_active=True).order_by("pk"):
        if event_type not in endpoint.event_types or (endpoint.program and endpoint.program != program):
            continue
        queued.append(Delivery.objects.create(
            endpoint=endpoint, event_type=event_type, message_id=new_message_id(), occurred_at=now, case=case,
            about={**about, **({"reference": case.reference} if case is not None else {})}, next_attempt_at=now))
    for delivery in queued:
        _enqueue(delivery)
    return queued


def _enqueue(delivery):
    outbox.enqueue("webhooks.tasks.deliver_webhook_task", delivery.pk)


@transaction.atomic
def delivery_resend(*, by, delivery, door=Door.PAGE):
    """Send a delivery again, as a new delivery with the same `webhook-id` (a receiver that processed it skips
    it), its payload made afresh when it is sent."""
    endpoint = _own(by, delivery.endpoint)
    if not endpoint.is_active:
        raise WebhookRefused(_("Enable the endpoint before sending to it again."))
    if Delivery.objects.filter(endpoint=endpoint, message_id=delivery.message_id,
                               status=Delivery.Status.PENDING).exists():
        raise WebhookRefused(_("This delivery is already waiting to be sent."))
    now = timezone.now()
    again = Delivery.objects.create(endpoint=endpoint, event_type=delivery.event_type, message_id=delivery.message_id,
                                    occurred_at=delivery.occurred_at, case_id=delivery.case_id, about=delivery.about,
                                    next_attempt_at=now, resend_of=delivery)
    audit.record(action=Action.ADMIN_ACTION, door=door, user=by, object_type="webhook_delivery",
                 object_ref=again.pk, change="re-sent", resend_of=delivery.pk)
    _enqueue(again)
    return again


# --- deliveries: sent -------------------------------------------------------------------------------------------

def next_attempt_at(delivery, now):
    """Exponential backoff from WEBHOOK_RETRY_FIRST_SECONDS, doubling, each wait at most WEBHOOK_RETRY_MAX_SECONDS,
    the last attempt when WEBHOOK_RETRY_FOR_SECONDS have passed since the delivery was queued; then None."""
    give_up_at = delivery.created_at + timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS)
    if now >= give_up_at:
        return None
    wait = min(settings.WEBHOOK_RETRY_FIRST_SECONDS * 2 ** max(delivery.attempts - 1, 0),
               settings.WEBHOOK_RETRY_MAX_SECONDS)
    return min(now + timedelta(seconds=wait), give_up_at)


def delivery_attempt(*, delivery_id):
    """Send a pending delivery that is due, once, and record the outcome. Idempotent: the row is locked while it is
    sent, so a second run of the task (the outbox delivers at least once) finds it sent, or not yet due."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("endpoint__agency").filter(pk=delivery_id, status=Delivery.Status.PENDING).first())
        if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > now):
            return delivery
        endpoint = delivery.endpoint
        if not endpoint.is_active:
            return _give_up(delivery, DeliveryError.ENDPOINT_DISABLED)
        try:
            kind, data, case = payloads.build(delivery)
        except payloads.Gone:
            return _give_up(delivery, DeliveryError.EVENT_GONE)
        body = json.dumps({"type": kind, "timestamp": delivery.occurred_at.isoformat(), "data": data},
                          separators=(",", ":"), ensure_ascii=False)
        headers = signing.headers(endpoint=endpoint, message_id=delivery.message_id, timestamp=now, body=body,
                                  now=now)
        try:
            answer = transport.post(endpoint.url, body.encode(), headers)
        except transport.AddressRefused as refusal:
            answer = transport.Answer(status=None, duration_ms=0, body="", error_code=refusal.code,
                                      error_params=refusal.params)
        succeeded = answer.status is not None and 200 <= answer.status < 300
        delivery.attempts += 1
        delivery.last_attempt_at, delivery.sent_as = now, kind
        delivery.last_status_code, delivery.last_duration_ms = answer.status, answer.duration_ms
        delivery.last_error_code, delivery.last_error_params = answer.error_code, answer.error_params
        if succeeded:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = Delivery.Status.DELIVERED, now, None
        else:
            delivery.next_attempt_at = next_attempt_at(delivery, timezone.now())
            if delivery.next_attempt_at is None:
                delivery.status = Delivery.Status.FAILED
        delivery.save()
        audit.record(action=Action.NOTIFY, door=Door.TASK, agency=endpoint.agency, case=case,
                     object_type="webhook_delivery", object_ref=delivery.pk,
                     outcome=AuditEvent.Outcome.SUCCESS if succeeded else AuditEvent.Outcome.FAILURE,
                     event=kind, endpoint=endpoint.pk, message=delivery.message_id, status_code=answer.status)
        _endpoint_health(endpoint, succeeded=succeeded, now=now)
    return delivery


def _give_up(delivery, code):
    delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
    delivery.last_error_code, delivery.last_error_params = code, {}
    delivery.save(update_fields=["status", "next_attempt_at", "last_error_code", "last_error_params"])
    return delivery


def _endpoint_health(endpoint, *, succeeded, now):
    """A success forgets the endpoint's failures; failing for WEBHOOK_DISABLE_AFTER_SECONDS without one disables it."""
    endpoints = Endpoint.objects.filter(pk=endpoint.pk)
    if succeeded:
        endpoints.filter(failing_since__isnull=False).update(failing_since=None)
        return
    endpoints.filter(failing_since__isnull=True).update(failing_since=now)
    since = endpoints.values_list("failing_since", flat=True).first()
    if since is None or now - since < timedelta(seconds=settings.WEBHOOK_DISABLE_AFTER_SECONDS):
        return
    if endpoints.filter(is_active=True).update(is_active=False, disabled_at=now):
        endpoint_disabled_notify(endpoint=endpoint, since=since)


def endpoint_disabled_notify(*, endpoint, since):
    """Disabled for failing: the deliveries it still had wait no more, and the agency's administrators are told."""
    from partnerships import notifications
    from partnerships.models import Notification

    Delivery.objects.filter(endpoint=endpoint, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.FAILED, next_attempt_at=None, last_error_code=DeliveryError.DISABLED_FOR_FAILING,
        last_error_params={})
    audit.record(action=Action.ADMIN_ACTION, door=Door.TASK, agency=endpoint.agency, object_type="webhook_endpoint",
                 object_ref=endpoint.pk, change="disabled for failing", failing_since=since.isoformat())
    admins = Officer.objects.filter(agency_id=endpoint.agency_id, role=Officer.Role.AGENCY_ADMIN, is_active=True,
                                    user__isnull=False).select_related("user")
    notifications.send_notice(kind=Notification.Kind.WEBHOOK_DISABLED, officers=list(admins), detail={
        "url": endpoint.url, "endpoint": endpoint.pk,
        "link": reverse("webhooks:endpoint_detail", args=[endpoint.pk])})


def deliveries_retry_due(*, now=None, batch=500):
    """Celery beat: hand the deliveries whose next attempt is due to the workers (through the outbox). First
    attempts are left a minute to the message queued with them. Returns how many were handed over."""
    now = now or timezone.now()
    due = list(Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
               .filter(Q(attempts__gt=0) | Q(created_at__lte=now - timedelta(minutes=1)))
               .order_by("next_attempt_at").values_list("pk", flat=True)[:batch])
    with transaction.atomic():
        for pk in due:
            _enqueue(Delivery(pk=pk))
    return len(due)
