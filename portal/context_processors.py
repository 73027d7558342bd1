from partnerships.access import officer_of


def officer(request):
    return {"officer": officer_of(request.user) if hasattr(request, "user") else None}
