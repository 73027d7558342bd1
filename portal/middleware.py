import zoneinfo

from django.utils import timezone

from partnerships.access import officer_of


class OfficerTimezoneMiddleware:
    """Show times in the signed-in officer's time zone; everything is stored in UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        officer = officer_of(request.user)
        if officer:
            timezone.activate(zoneinfo.ZoneInfo(officer.time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Nothing a signed-in officer is shown is kept by the browser or a proxy (case data may be on it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
