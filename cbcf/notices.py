"""What a forum notice says, decided when it is read: the meeting's title only to someone who still sees it
(registered with partnerships/notifications.py from CBCFConfig.ready)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cbcf import selectors
from cbcf.models import Meeting
from partnerships import notifications
from partnerships.models import Notification


def describe_action_due(notification, reader):
    return _("Forum action item due on %(due)s: %(action)s") % notification.detail, None


def describe_agenda(notification, reader):
    """Said only while the reader is invited to the meeting."""
    detail = notification.detail
    meeting = selectors.meeting_list(user=reader).filter(pk=detail.get("meeting")).first()
    if meeting is None:
        return _("A forum meeting's agenda changed."), None
    values = {"title": meeting.title_shown, "version": detail.get("version")}
    if detail.get("state") == Meeting.AgendaState.FINAL:
        text = _("The agenda of %(title)s is final (version %(version)s).") % values
    else:
        text = _("The agenda of %(title)s was circulated (version %(version)s).") % values
    return text, reverse("cbcf:meeting_detail", args=[meeting.pk]) + "#versions"


def register():
    notifications.register(Notification.Kind.ACTION_DUE, describe=describe_action_due)
    notifications.register(Notification.Kind.AGENDA_CHANGED, describe=describe_agenda)
