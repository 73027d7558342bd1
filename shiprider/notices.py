"""What ShipRider's notices say (registered with partnerships/notifications.py from ShipRiderConfig.ready): a
patrol's change or cancellation, and a patrol that relied on a designation no longer active. No case data."""

from django.utils.translation import gettext as _

from partnerships import notifications
from partnerships.models import Notification


def describe_patrol(notification, reader):
    """A patrol's change or cancellation (written by shiprider.services)."""
    values = dict(notification.detail)
    if notification.kind == Notification.Kind.PATROL_CANCELLED:
        return (_("The patrol %(patrol)s of %(start)s to %(end)s was cancelled: %(reason)s") % values,
                values.get("url"))
    names = {"vessel": _("vessel"), "start": _("start"), "end": _("end"), "crew": _("crew"), "notes": _("notes")}
    values["changed"] = ", ".join(str(names.get(name, name)) for name in values.get("changed", []))
    return (_("The patrol %(patrol)s was changed (%(changed)s): it is now planned from %(start)s to %(end)s.")
            % values, values.get("url"))


def describe_patrol_at_risk(notification, reader):
    """A planned patrol whose crew relied on a cross-designation that lapsed."""
    values = notifications.designation_values(notification)
    return (_("Patrol %(patrol)s relied on the %(kind)s designation of %(name)s, which is no longer active: "
              "change its crew.") % values, notification.detail.get("url"))


def register():
    notifications.register(Notification.Kind.PATROL_CHANGED, Notification.Kind.PATROL_CANCELLED,
                           describe=describe_patrol)
    notifications.register(Notification.Kind.PATROL_AT_RISK, describe=describe_patrol_at_risk)
