"""ShipRider's kinds in the portal's search (partnerships/search.py): patrols and their boardings (and other logged
activities), team records seen by the officers of the site's member agencies (selectors.site_list)."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from partnerships import search
from shiprider import selectors
from shiprider.models import Activity, Patrol


def _patrol(patrol):
    return {"url": reverse("shiprider:patrol_detail", args=[patrol.pk]),
            "title": f"{patrol.vessel.name} — {formats.date_format(patrol.planned_start.date())}",
            "about": " · ".join([patrol.site.team.name, patrol.get_status_display()])}


def _activity(activity):
    return {"url": reverse("shiprider:patrol_detail", args=[activity.patrol_id]),
            "about": " · ".join([activity.get_kind_display(), formats.date_format(activity.occurred_at.date()),
                                 activity.patrol.site.team.name])}


PATROLS = search.Searchable(
    name="patrol", label=_("ShipRider patrols"), model=Patrol,
    visible=lambda user: Patrol.objects.filter(site__in=selectors.site_list(user=user)),
    columns=("notes",), title=None, snippet="notes", describe=_patrol,
    order=("-planned_start", "-pk"), select_related=("vessel", "site__team"),
)

BOARDINGS = search.Searchable(
    name="boarding", label=_("ShipRider boardings and activities"), model=Activity,
    visible=lambda user: Activity.objects.filter(patrol__site__in=selectors.site_list(user=user)),
    columns=("place", "target_name", "target_registration", "target_flag", "outcome"), title="target_name",
    snippet="outcome", describe=_activity, order=("-occurred_at", "-pk"), select_related=("patrol__site__team",),
)


def register():
    search.register(PATROLS)
    search.register(BOARDINGS)
