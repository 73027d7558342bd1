"""What IBET's notices say (registered with partnerships/notifications.py from IBETConfig.ready): a Joint
Management Team meeting overdue, an intelligence report due for review. No case data."""

from django.urls import reverse
from django.utils.translation import gettext as _

from partnerships import notifications
from partnerships.models import Notification


def describe_meeting_overdue(notification, reader):
    return _("The Joint Management Team of %(region)s was due to meet by %(due)s.") % notification.detail, None


def describe_report_review_due(notification, reader):
    return (_("Intelligence report #%(report)s was due for review on %(due)s: validate or purge it.")
            % notification.detail, reverse("ibet:report_detail", args=[notification.detail["report"]]))


def register():
    notifications.register(Notification.Kind.MEETING_OVERDUE, describe=describe_meeting_overdue)
    notifications.register(Notification.Kind.REPORT_REVIEW_DUE, describe=describe_report_review_due)
