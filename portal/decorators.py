import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404

from partnerships.access import agency_of


def officer_required(view):
    """Signed in as an active officer of an active agency; anyone else finds nothing here."""

    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if agency_of(request.user) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
