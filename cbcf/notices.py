"""What a forum notice says, decided when it is read: the meeting's title only to someone who still sees it."""

from django.urls import reverse
from django.utils.translation import gettext as _


def describe_agenda(notification, reader):
    from cbcf import selectors
    from cbcf.models import Meeting

    detail = notification.detail
    meeting = selectors.meeting_list(user=reader).filter(pk=detail.get("meeting")).first()
    if meeting is None:
        return _("A forum meeting's agenda changed."), None
    values = {"title": meeting.title, "version": detail.get("version")}
    if detail.get("state") == Meeting.AgendaState.FINAL:
        text = _("The agenda of %(title)s is final (version %(version)s).") % values
    else:
        text = _("The agenda of %(title)s was circulated (version %(version)s).") % values
    return text, reverse("cbcf:meeting_detail", args=[meeting.pk]) + "#versions"
