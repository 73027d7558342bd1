"""What a webhook delivery about a forum action item says (registered with webhooks/payloads.py from
CBCFConfig.ready): told only to the agency that owns the action, made when it is sent."""

from django.urls import reverse
from django.utils import timezone

from cbcf.models import ActionItem
from webhooks import payloads
from webhooks.models import EventType


def action_item(about, agency):
    action = ActionItem.objects.filter(pk=about["action"], owner=agency).first()
    if action is None:
        raise payloads.Gone
    return {"action_item": {
        "id": action.pk, "text": action.text, "due_on": action.due_on.isoformat(), "status": action.status,
        "overdue": action.status == ActionItem.Status.OPEN and action.due_on < timezone.localdate(),
        "url": payloads.absolute(reverse("cbcf:actions"))}}


def register():
    payloads.register(EventType.ACTION_DUE, EventType.ACTION_OVERDUE, build=action_item)
