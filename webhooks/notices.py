"""What the webhooks app's notice says (registered with partnerships/notifications.py from WebhooksConfig.ready):
an endpoint disabled after a day of failures, its address in `detail`."""

from django.utils.translation import gettext as _

from partnerships import notifications
from partnerships.models import Notification


def describe_webhook_disabled(notification, reader):
    return (_("Your agency's webhook endpoint %(url)s failed for a day and was disabled: fix the receiver, then "
              "enable the endpoint again.") % notification.detail, notification.detail.get("link"))


def register():
    notifications.register(Notification.Kind.WEBHOOK_DISABLED, describe=describe_webhook_disabled)
