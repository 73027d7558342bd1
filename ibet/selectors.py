"""IBET reads. Occurrences are team records: the team's member agencies see them, and others only
through a joint case shared with them."""

import datetime

from django.db.models import Q
from django.utils import timezone

from ibet.models import CORE_AGENCIES, MEETING_INTERVAL_DAYS, IbetTeam, Occurrence, Region
from partnerships import access
from partnerships.models import Officer


def team_list(*, user):
    return IbetTeam.objects.filter(team__in=access.teams_of(user)).select_related("team", "region")


def region_list(*, user):
    return Region.objects.filter(teams__in=team_list(user=user)).distinct()


def jmt_missing(region):
    """Core agencies without a representative on the region's JMT."""
    present = set(region.representatives.current().values_list("agency__acronym", flat=True))
    return [acronym for acronym in CORE_AGENCIES if acronym not in present]


def meeting_due(region, today=None):
    """(last meeting date or None, due date, overdue?)"""
    today = today or timezone.localdate()
    last = region.meetings.order_by("-held_on").values_list("held_on", flat=True).first()
    due = (last or region.created_at.date()) + datetime.timedelta(days=MEETING_INTERVAL_DAYS)
    return last, due, today > due


def region_governance(*, region):
    """What a region's page and the team list show about its Joint Management Team."""
    last, due, overdue = meeting_due(region)
    return {"representatives": region.representatives.current().select_related("agency", "officer"),
            "missing": jmt_missing(region), "last_meeting": last, "due": due, "overdue": overdue,
            "meetings": region.meetings.all()[:10]}


def my_agency_representative(*, user, region):
    """The user's agency's serving representative on the region's JMT, or None."""
    agency = access.agency_of(user)
    return region.representatives.current().filter(agency=agency).select_related("officer").first() if agency else None


def occurrence_list(*, user):
    cases = access.cases_visible_to(user)
    return Occurrence.objects.filter(Q(team__in=team_list(user=user)) | Q(case__in=cases)).select_related(
        "team__team", "case").prefetch_related("results")


def occurrences_to_correct(*, user):
    """Occurrences of the user's own teams: the ones their agency may correct (not those seen through a case)."""
    return Occurrence.objects.filter(team__in=team_list(user=user)).select_related("team__team", "case")


def cases_for_occurrence(*, user, occurrence):
    """The cases an occurrence's form offers: those the user may contribute to, and the one it is linked to."""
    from partnerships.models import AccessLevel, JointCase

    cases = cases_to_link(user=user)
    if occurrence.case_id and access.can(user, occurrence.case, AccessLevel.VIEW):
        cases = cases | JointCase.objects.filter(pk=occurrence.case_id)
    return cases.distinct()


def officers_of_my_agency(*, user):
    agency = access.agency_of(user)
    return Officer.objects.filter(agency=agency, is_active=True) if agency else Officer.objects.none()


def cases_to_link(*, user):
    from partnerships.models import AccessLevel

    return access.cases_visible_to(user, AccessLevel.CONTRIBUTE).filter(program="ibet")


def report_list(*, user):
    """Reports the user may see: their teams' (or through a case shared with them), releasable to their
    country, and not past the five-year review, except for the source agency's reviewers, who alone
    see overdue reports and tombstones."""
    from django.utils import timezone

    from ibet.models import IntelligenceReport
    from partnerships.models import JointCase

    officer = access.officer_of(user)
    if officer is None:
        return IntelligenceReport.objects.none()
    own_country_only = (JointCase.Releasability.CA_ONLY if officer.agency.country == "CA"
                        else JointCase.Releasability.US_ONLY)
    reachable = Q(team__in=team_list(user=user)) | Q(case__in=access.cases_visible_to(user))
    current = Q(review_due__gte=timezone.localdate(), purged_at__isnull=True)
    reviewer = Q(source_agency=officer.agency) if officer.role in ("supervisor", "agency_admin") else Q(pk__in=[])
    return IntelligenceReport.objects.filter(
        reachable, current | reviewer,
        releasability__in=[JointCase.Releasability.CA_US, own_country_only],
    ).select_related("team__team", "source_agency", "case")


def import_jobs(*, user):
    from ibet.models import ImportJob

    return ImportJob.objects.filter(team__in=team_list(user=user)).select_related("team__team")


def operation_list(*, user):
    """Operations the user's agency takes part in."""
    from ibet.models import JointOperation

    agency = access.agency_of(user)
    if agency is None:
        return JointOperation.objects.none()
    return JointOperation.objects.filter(agencies=agency).select_related("team__team").prefetch_related("agencies")


def linked_to_case(*, user, case):
    """The IBET records a case holds, as the case page shows them (the user can see the case)."""
    return {
        "occurrences": occurrence_list(user=user).filter(case=case),
        "reports": report_list(user=user).filter(case=case),
        "operations": operation_list(user=user).filter(cases=case),
    }


def visible_cases(*, user, cases):
    return access.cases_visible_to(user).filter(pk__in=[c.pk for c in cases])


def team_figures(*, team, start, end):
    """Apprehensions, seizures by category and occurrences by type of a team in [start, end).

    Figures only (no case data); the CBCF briefing book reuses them.
    """
    from django.db.models import Count, Sum

    from partnerships.models import EnforcementResult

    occurrences = Occurrence.objects.filter(team=team, occurred_at__gte=start, occurred_at__lt=end)
    results = EnforcementResult.objects.filter(ibet_occurrences__in=occurrences, kind="seizure")
    return {
        "occurrences": occurrences.count(),
        "apprehensions": occurrences.aggregate(n=Sum("persons_apprehended"))["n"] or 0,
        "by_type": dict(occurrences.values_list("kind").annotate(n=Count("pk")).order_by("kind")),
        "seizures": {(row["category"], row["unit"]): row["total"] for row in results.values("category", "unit")
                     .annotate(total=Sum("quantity")).order_by("category", "unit")},
    }


def period_figures(*, start, end):
    """team_figures' occurrences and persons apprehended summed over every team, for [start, end)."""
    from django.db.models import Count, Sum

    totals = Occurrence.objects.filter(occurred_at__gte=start, occurred_at__lt=end).aggregate(
        occurrences=Count("pk"), apprehensions=Sum("persons_apprehended"))
    return {"occurrences": totals["occurrences"], "apprehensions": totals["apprehensions"] or 0}


def team_monthly_counts(*, team, months, now):
    """[(first day of month, occurrences)] for the last `months` months, oldest first (team's time zone)."""
    import datetime
    from zoneinfo import ZoneInfo

    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    zone = ZoneInfo(team.time_zone)
    local = now.astimezone(zone)
    firsts = []
    year, month = local.year, local.month
    for _ in range(months):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    firsts.reverse()
    start = datetime.datetime.combine(firsts[0], datetime.time(), zone)
    rows = Occurrence.objects.filter(team=team, occurred_at__gte=start).annotate(
        month=TruncMonth("occurred_at", tzinfo=zone)).values("month").annotate(n=Count("pk"))
    counts = {row["month"].date() if hasattr(row["month"], "date") else row["month"]: row["n"] for row in rows}
    return [(first, counts.get(first, 0)) for first in firsts]


def team_open_cases(*, user, team):
    """Open or active cases the user may see that hold this team's occurrences or reports."""
    from ibet.models import IntelligenceReport

    linked = set(Occurrence.objects.filter(team=team, case__isnull=False).values_list("case", flat=True))
    linked |= set(IntelligenceReport.objects.filter(team=team, case__isnull=False).values_list("case", flat=True))
    return access.cases_visible_to(user).filter(pk__in=linked).exclude(status="closed").select_related("lead_agency")


def region_choices():
    """Every region, for the core agencies' administrators who open teams in them (regions are no case data)."""
    return Region.objects.order_by("name")


def team_members(*, team):
    """A team's member agencies and assigned officers (by agency), for the team page."""
    agencies = list(team.team.member_agencies.order_by("acronym"))
    officers = list(team.officers.filter(is_active=True).select_related("agency").order_by(
        "agency__acronym", "last_name", "first_name"))
    return [(agency, [officer for officer in officers if officer.agency_id == agency.pk]) for agency in agencies]
