from partnerships import notifications
from partnerships.access import officer_of


def officer(request):
    """The signed-in officer and their unread notices, for the header of every page."""
    current = officer_of(request.user) if hasattr(request, "user") else None
    return {
        "officer": current,
        "unread_notifications": notifications.unread_count(request.user) if current else 0,
    }
