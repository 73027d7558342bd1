"""Reads of webhooks: an agency administrator's own agency's endpoints and deliveries; nobody else's."""

from partnerships import access
from webhooks.models import Delivery, Endpoint


def endpoints_of(*, user):
    """The endpoints of the user's agency, if the user administers it; none otherwise."""
    agency = access.agency_of(user)
    if agency is None or not access.is_agency_admin(user):
        return Endpoint.objects.none()
    return Endpoint.objects.filter(agency=agency).order_by("created_at", "pk")


def deliveries_of(*, user, endpoint=None, status=None):
    deliveries = Delivery.objects.filter(endpoint__in=endpoints_of(user=user)).select_related("endpoint")
    if endpoint is not None:
        deliveries = deliveries.filter(endpoint=endpoint)
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries.order_by("-created_at", "-pk")
