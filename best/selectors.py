"""BEST reads. Investigations are cases: every read starts from the visible set of cases."""

from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from best.models import Arrest, Charge, Conviction, Investigation, Membership, Unit
from partnerships import access
from partnerships import selectors as core_selectors
from partnerships.models import AuditEvent, EnforcementResult


def unit_list(*, user):
    """Units the user's agency is a member of."""
    return Unit.objects.filter(team__in=access.teams_of(user)).select_related("team")


def unit_memberships(*, unit):
    """A unit's roster (a team record: for its member agencies), current and past, by last name."""
    return Membership.objects.filter(unit=unit).select_related("officer__agency", "designation").order_by(
        "officer__last_name", "officer__first_name", "-starts_on", "pk")


def unit_roster_on(*, unit, day):
    """Who serves on the unit on `day` (a team record: for its member agencies), by last name."""
    return unit_memberships(unit=unit).filter(starts_on__lte=day).exclude(ends_on__lt=day)


def unit_officers(*, unit):
    """Active officers of the unit's member agencies, who may join it."""
    from partnerships.models import Officer

    return Officer.objects.filter(agency__in=unit.team.member_agencies.all(), is_active=True).select_related(
        "agency").order_by("agency__acronym", "last_name", "first_name")


def unit_title19_designations(*, unit):
    """Active Title 19 designations of the officers of the unit's member agencies, to choose a task force officer's
    from (the service checks it is theirs)."""
    from partnerships.models import CrossDesignation

    return CrossDesignation.objects.filter(
        kind=CrossDesignation.Kind.TITLE19, status=CrossDesignation.Status.ACTIVE,
        officer__agency__in=unit.team.member_agencies.all()).select_related(
        "officer__agency", "designating_agency").order_by("officer__last_name", "valid_from")


def investigation_list(*, user):
    return Investigation.objects.filter(case__in=access.cases_visible_to(user)).select_related(
        "case__lead_agency", "unit__team")


def investigation_get(*, user, reference, level="view", door=AuditEvent.Door.PAGE, path=""):
    """The investigation of a case the user may see; a visible case that is not a BEST investigation is a 404.
    A denial is recorded through `door` (a page, or the API), as case_get does."""
    case = core_selectors.case_get(user=user, reference=reference, level=level, door=door, path=path)
    return get_object_or_404(Investigation.objects.select_related("case__lead_agency", "unit__team"), case=case)


def case_people(*, investigation):
    return investigation.case.subjects.filter(kind="person")


# The unit report's figures, in the order the page, the CSV and the PDF show them: (label, key in unit_report).
REPORT_ROWS = [
    (gettext_lazy("Cases"), "cases"),
    (gettext_lazy("Cases opened"), "opened"),
    (gettext_lazy("Disrupted"), "disrupted"),
    (gettext_lazy("Dismantled"), "dismantled"),
    (gettext_lazy("Arrests"), "arrests"),
    (gettext_lazy("Indictments and charges"), "charges"),
    (gettext_lazy("Convictions"), "convictions"),
]


def unit_report(*, user, unit, start, end):
    """A unit's figures for [start, end], counting only the cases the reader may see."""
    investigations = investigation_list(user=user).filter(unit=unit)
    cases = investigations.values("case")
    stages = investigations.filter(stages__on__gte=start, stages__on__lte=end).values("stages__stage").annotate(
        n=Count("pk", distinct=True))
    by_stage = {row["stages__stage"]: row["n"] for row in stages}
    seizures = EnforcementResult.objects.filter(case__in=cases, kind="seizure", occurred_at__date__gte=start,
                                                occurred_at__date__lte=end).values("category", "unit").annotate(
        count=Count("pk"), total=Sum("quantity")).order_by("category", "unit")
    return {
        "cases": investigations.count(),
        "opened": by_stage.get("initiated", 0),
        "disrupted": by_stage.get("disrupted", 0),
        "dismantled": by_stage.get("dismantled", 0),
        "arrests": investigations.aggregate(n=Count("arrests", filter=Q(
            arrests__arrested_on__gte=start, arrests__arrested_on__lte=end)))["n"],
        "charges": investigations.aggregate(n=Count("charges", filter=Q(
            charges__charged_on__gte=start, charges__charged_on__lte=end)))["n"],
        "convictions": investigations.aggregate(n=Count("convictions", filter=Q(
            convictions__convicted_on__gte=start, convictions__convicted_on__lte=end)))["n"],
        "seizures": list(seizures),
    }


def period_figures(*, start, end):
    """The program's totals for [start, end], over every investigation whoever leads it: counts, never a case.

    The briefing book reports the program as a whole to ministers, not only the cases the secretariat's agency
    may see (issue 18); it shows small counts as "fewer than" (cbcf/briefing.py)."""
    return {
        "cases": Investigation.objects.count(),  # as unit_report counts them: every investigation, whatever its dates
        "arrests": Arrest.objects.filter(arrested_on__gte=start, arrested_on__lte=end).count(),
        "charges": Charge.objects.filter(charged_on__gte=start, charged_on__lte=end).count(),
        "convictions": Conviction.objects.filter(convicted_on__gte=start, convicted_on__lte=end).count(),
    }
