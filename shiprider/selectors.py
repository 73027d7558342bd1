"""ShipRider reads. Patrols are team records: visible to the officers of the site's member agencies."""

import datetime
import functools
import operator
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, DurationField, F, IntegerField, Prefetch, Q, Sum, Value, When

from partnerships import access
from partnerships.models import Officer
from shiprider.models import Activity, CrewMember, Patrol, Site, Vessel


def site_list(*, user):
    return Site.objects.filter(team__in=access.teams_of(user)).select_related("team")


def site_details(*, user):
    """The user's sites with their member agencies (for the sites pages)."""
    from partnerships.models import Agency

    return site_list(user=user).prefetch_related(
        Prefetch("team__member_agencies", queryset=Agency.objects.order_by("acronym")))


def site_vessels(*, site):
    """The active vessels of a site's member agencies; the caller fetched the site through site_list."""
    return Vessel.objects.filter(is_active=True, owner__in=site.team.member_agencies.all()).select_related(
        "owner").order_by("owner__acronym", "name")


def patrol_list(*, user):
    crew = CrewMember.objects.select_related("officer__agency", "designation")
    return Patrol.objects.filter(site__in=site_list(user=user)).select_related(
        "site__team", "vessel__owner").prefetch_related(Prefetch("crew", queryset=crew), "waters",
                                                        "activities__results")


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


def patrols_between(*, user, site, start, end):
    """The site's live patrols overlapping [start, end), for the calendar."""
    return patrol_list(user=user).filter(site=site, planned_start__lt=end, planned_end__gt=start).exclude(
        status=Patrol.Status.CANCELLED).order_by("planned_start")


def site_monthly_figures(*, site, year, month):
    """Patrols, hours on water, boardings, arrests and seizures of a site in a month (site's time zone).

    Figures only (no case data); the CBCF briefing book reuses them.
    """
    import datetime
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from django.db.models import Count, Sum

    from partnerships.models import EnforcementResult
    from shiprider.models import Activity

    zone = ZoneInfo(site.time_zone)
    start = datetime.datetime(year, month, 1, tzinfo=zone)
    end = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    patrols = Patrol.objects.filter(site=site, planned_start__gte=start, planned_start__lt=end).exclude(
        status=Patrol.Status.CANCELLED)
    completed = patrols.filter(status=Patrol.Status.COMPLETED, actual_start__isnull=False, actual_end__isnull=False)
    seconds = sum((p.actual_end - p.actual_start).total_seconds()
                  for p in completed.only("actual_start", "actual_end"))
    activities = Activity.objects.filter(patrol__in=patrols)
    results = EnforcementResult.objects.filter(shiprider_activities__in=activities).distinct()
    seizures = {row["category"]: {"count": row["n"], "quantity": row["total"], "unit": row["unit"]}
                for row in results.filter(kind="seizure").values("category", "unit")
                .annotate(n=Count("pk"), total=Sum("quantity")).order_by("category")}
    return {
        "patrols": patrols.count(),
        "completed": completed.count(),
        "hours_on_water": round(Decimal(seconds) / 3600, 1),
        "boardings": activities.filter(kind=Activity.Kind.BOARDING).count(),
        "sar_assists": activities.filter(kind=Activity.Kind.SAR).count(),
        "arrests": int(results.filter(kind="arrest").aggregate(n=Sum("quantity"))["n"] or 0),
        "seizures": seizures,
    }


def period_figures(*, start, end):
    """site_monthly_figures' patrols, hours on water, boardings and arrests summed over every site and month."""
    zones = list(Site.objects.order_by("time_zone").values_list("time_zone", flat=True).distinct())
    if not zones:
        return {"patrols": 0, "hours_on_water": Decimal("0.0"), "boardings": 0, "arrests": 0}
    months = _months(start, end)
    # One bucket per time zone and month: with the site, it names a site's month.
    bounds = [(zone, _month_start(*month, zone), _month_start(*_next_month(*month), zone))
              for zone in zones for month in months]

    def month_of(prefix=""):
        return Case(*[When(Q(**{f"{prefix}site__time_zone": zone, f"{prefix}planned_start__gte": first,
                                f"{prefix}planned_start__lt": after}), then=Value(bucket))
                      for bucket, (zone, first, after) in enumerate(bounds)], output_field=IntegerField())

    # As there: a patrol counts in the month of its site's time zone; hours are rounded per site and month.
    in_period = functools.reduce(operator.or_, (
        Q(site__time_zone=zone, planned_start__gte=_month_start(*months[0], zone),
          planned_start__lt=_month_start(*_next_month(*months[-1]), zone)) for zone in zones))
    patrols = Patrol.objects.filter(in_period).exclude(status=Patrol.Status.CANCELLED)
    completed = Q(status=Patrol.Status.COMPLETED, actual_start__isnull=False, actual_end__isnull=False)
    site_months = patrols.annotate(month=month_of()).values("site", "month").annotate(
        patrols=Count("pk"),
        on_water=Sum(F("actual_end") - F("actual_start"), filter=completed, output_field=DurationField()),
    ).order_by()
    patrol_count, hours = 0, Decimal("0.0")
    for row in site_months:
        patrol_count += row["patrols"]
        seconds = row["on_water"].total_seconds() if row["on_water"] else 0
        hours += round(Decimal(seconds) / 3600, 1)
    # An arrest linked to several activities counts once per site and month, as in site_monthly_figures.
    arrest_links = Activity.results.through.objects.filter(
        activity__patrol__in=patrols, enforcementresult__kind="arrest",
    ).annotate(month=month_of("activity__patrol__")).values(
        "enforcementresult", "enforcementresult__quantity", "activity__patrol__site", "month").distinct()
    arrests = arrest_links.aggregate(n=Sum("enforcementresult__quantity"))["n"]
    return {
        "patrols": patrol_count,
        "hours_on_water": hours,
        "boardings": Activity.objects.filter(patrol__in=patrols, kind=Activity.Kind.BOARDING).count(),
        "arrests": int(arrests or 0),
    }


def _months(start, end):
    """(year, month) of every month from start's to end's."""
    months, month = [], (start.year, start.month)
    while month <= (end.year, end.month):
        months.append(month)
        month = _next_month(*month)
    return months


def _next_month(year, month):
    return year + (month == 12), month % 12 + 1


def _month_start(year, month, zone):
    return datetime.datetime(year, month, 1, tzinfo=ZoneInfo(zone))


def crew_officers(*, patrol):
    """The officers on board a patrol (those who may direct in their country's waters)."""
    return Officer.objects.filter(pk__in=patrol.crew.values("officer")).select_related("agency")
