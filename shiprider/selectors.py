"""ShipRider reads. Patrols are team records: visible to the officers of the site's member agencies."""

from django.db.models import Prefetch

from partnerships import access
from partnerships.models import Officer
from shiprider.models import CrewMember, Patrol, Site, Vessel


def site_list(*, user):
    return Site.objects.filter(team__in=access.teams_of(user)).select_related("team")


def patrol_list(*, user):
    crew = CrewMember.objects.select_related("officer__agency")
    return Patrol.objects.filter(site__in=site_list(user=user)).select_related(
        "site__team", "vessel__owner").prefetch_related(Prefetch("crew", queryset=crew))


def vessels_for(*, user):
    return Vessel.objects.filter(is_active=True, owner__teams__in=_site_teams(user)).distinct() \
        .select_related("owner")


def crew_candidates(*, user):
    return Officer.objects.filter(is_active=True, agency__teams__in=_site_teams(user)).distinct() \
        .select_related("agency").order_by("agency__acronym", "last_name")


def _site_teams(user):
    return access.teams_of(user).filter(shiprider_site__isnull=False)


def patrol_activities(*, patrol):
    """A patrol's log; the caller has fetched the patrol through patrol_list (the team's rule)."""
    return patrol.activities.select_related("directing_officer__agency", "case").prefetch_related("results")
