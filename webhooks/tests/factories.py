from partnerships.models import Officer
from partnerships.tests.factories import OfficerFactory
from webhooks import services
from webhooks.models import EventType


def admin_of(user, username):
    """An administrator of `user`'s agency (the cast's officers are not administrators)."""
    return OfficerFactory(user__username=username, agency=user.officer.agency, role=Officer.Role.AGENCY_ADMIN,
                          first_name="Admin", last_name=user.officer.agency.acronym).user


def register(admin, url, event_types=tuple(EventType.values), program=""):
    """(endpoint, secret) of `admin`'s agency, through the service."""
    return services.endpoint_register(by=admin, url=url, event_types=list(event_types), program=program)
