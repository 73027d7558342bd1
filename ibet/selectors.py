"""IBET reads. Occurrences are team records: the team's member agencies see them, and others only
through a joint case shared with them."""

from django.db.models import Q

from ibet import services
from ibet.models import IbetTeam, Occurrence, Region
from partnerships import access
from partnerships.models import Officer


def team_list(*, user):
    return IbetTeam.objects.filter(team__in=access.teams_of(user)).select_related("team", "region")


def region_list(*, user):
    return Region.objects.filter(teams__in=team_list(user=user)).distinct()


def region_governance(*, region):
    """What a region's page and the team list show about its Joint Management Team."""
    last, due, overdue = services.meeting_due(region)
    return {"representatives": region.representatives.select_related("agency", "officer"),
            "missing": services.jmt_missing(region), "last_meeting": last, "due": due, "overdue": overdue,
            "meetings": region.meetings.all()[:10]}


def occurrence_list(*, user):
    cases = access.cases_visible_to(user)
    return Occurrence.objects.filter(Q(team__in=team_list(user=user)) | Q(case__in=cases)).select_related(
        "team__team", "case").prefetch_related("results")


def officers_of_my_agency(*, user):
    agency = access.agency_of(user)
    return Officer.objects.filter(agency=agency, is_active=True) if agency else Officer.objects.none()


def cases_to_link(*, user):
    from partnerships.models import AccessLevel

    return access.cases_visible_to(user, AccessLevel.CONTRIBUTE).filter(program="ibet")
