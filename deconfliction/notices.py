"""What a deconfliction notice says: the pointer, decided when it is read. No case data of the other side."""

from django.urls import reverse

from deconfliction import services
from deconfliction.models import HitParty


def describe_hit(notification):
    party = HitParty.objects.select_related("hit").filter(pk=notification.detail.get("party")).first()
    if party is None:
        from django.utils.translation import gettext as _

        return _("A deconfliction hit of your agency was removed."), None
    return (services.pointer_text(**services.party_pointer(party)),
            reverse("deconfliction:hit_detail", args=[party.pk]))
