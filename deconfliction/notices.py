"""What a deconfliction notice says: the pointer, decided when it is read. No case data of the other side."""

from django.urls import reverse
from django.utils.translation import gettext as _

from deconfliction import services
from deconfliction.models import HitParty
from partnerships import access


def describe_hit(notification, reader):
    """The pointer, for a reader of the agency whose side it is; anyone else learns nothing from it."""
    agency = access.agency_of(reader)
    party = HitParty.objects.select_related("hit").filter(pk=notification.detail.get("party"),
                                                          agency=agency).first() if agency else None
    if party is None:
        return _("A deconfliction hit of your agency was removed."), None
    return (services.pointer_text(**services.party_pointer(party)),
            reverse("deconfliction:hit_detail", args=[party.pk]))
