"""What a deconfliction notice says: the pointer, decided when it is read. No case data of the other side.
Registered with partnerships/notifications.py from DeconflictionConfig.ready."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from deconfliction import services
from deconfliction.models import CheckAlert, HitParty
from partnerships import access, notifications
from partnerships.models import Notification, Officer


def describe_hit(notification, reader):
    """The pointer, for a reader of the agency whose side it is; anyone else learns nothing from it.

    A notice is about the hits one check found (`parties`, one agency's sides; `party` in notices written before
    they were grouped), or about another agency's check before entering that hit the agency's work (`alert`)."""
    agency = access.agency_of(reader)
    detail = notification.detail
    removed = _("A deconfliction hit of your agency was removed."), None
    if agency is None:
        return removed
    if "alert" in detail:
        alert = CheckAlert.objects.select_related("record__agency", "record__user__officer").filter(
            pk=detail["alert"], agency=agency).first()
        if alert is None:
            return removed
        return (services.alert_text(**services.alert_pointer(alert)),
                reverse("deconfliction:alert_detail", args=[alert.pk]))
    ids = detail.get("parties") or [detail.get("party")]
    parties = list(HitParty.objects.select_related("hit").prefetch_related("hit__parties")
                   .filter(pk__in=[pk for pk in ids if pk], agency=agency).order_by("pk"))
    if not parties:
        return removed
    text = " ".join(services.checker_messages(parties))
    # One row of the agency's hits (its subject or operation, one other agency) opens it, however many of the other
    # agency's records it groups: the address must not say how many there are.
    groups = {(party.subject_id, party.event_id, services.other_agency_of(party)) for party in parties}
    if len(groups) == 1:
        return text, reverse("deconfliction:hit_detail", args=[parties[0].pk])
    return text, reverse("deconfliction:home")


def describe_limit(notification, reader):
    """For an administrator of the officer's agency: who reached the hourly limit of checks, and where to look."""
    detail = notification.detail
    officer = Officer.objects.filter(pk=detail.get("officer"), agency=access.agency_of(reader)).first()
    if officer is None or not access.is_agency_admin(reader):
        return _("An officer of your agency reached the limit of deconfliction checks."), None
    text = _("%(name)s made %(limit)s deconfliction checks within an hour, the most allowed; further checks are "
             "refused until the hour is over. Their checks, with what was asked, are in your agency's activity.") % {
        "name": f"{officer.first_name} {officer.last_name}", "limit": detail.get("limit")}
    username = officer.user.get_username() if officer.user_id else ""
    return text, reverse("partnerships:agency_activity") + "?" + urlencode({"username": username})


def register():
    notifications.register(Notification.Kind.DECONFLICTION_HIT, describe=describe_hit)
    notifications.register(Notification.Kind.DECONFLICTION_LIMIT, describe=describe_limit)
