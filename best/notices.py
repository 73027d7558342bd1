"""What BEST's notices say (registered with partnerships/notifications.py from BESTConfig.ready): a mutual legal
assistance request with no news. The core shows it only to a reader who may see its case; others get `hidden`."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships import notifications
from partnerships.models import Notification


def describe_mlat_stalled(notification, reader):
    case = notification.case
    return (_("The mutual legal assistance request of %(reference)s — %(title)s has had no news since %(since)s.")
            % {"reference": case.reference, "title": case.title, "lead": case.lead_agency.display_acronym,
               **notification.detail}, case.get_absolute_url())


def register():
    notifications.register(
        Notification.Kind.MLAT_STALLED, describe=describe_mlat_stalled,
        hidden=gettext_lazy("A mutual legal assistance request your agency follows has had no news for 90 days."))
