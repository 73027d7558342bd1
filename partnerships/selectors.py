"""Reads of case data. Every query starts from access.cases_visible_to()."""

from django.db.models import Count

from partnerships import access
from partnerships.models import AccessLevel, Agency, JointCase, Program, SharingDecision


def case_list(*, user, level=AccessLevel.VIEW):
    return access.cases_visible_to(user, level).select_related("lead_agency")


def case_counts(*, user):
    """{program: {status: n}} over the cases the user may see, and the total."""
    rows = case_list(user=user).order_by().values("program", "status").annotate(n=Count("pk"))
    counts = {program: dict.fromkeys(JointCase.Status.values, 0) for program in Program.values}
    for row in rows:
        counts[row["program"]][row["status"]] = row["n"]
    return counts


def case_shares(*, case):
    return access.case_shares(case)


def case_sharing_history(*, case):
    return SharingDecision.objects.filter(case=case).select_related("agency", "decided_by__officer__agency")


def agencies_to_share_with(*, case):
    """Active agencies the case could still be shared with under its releasability."""
    held = {agency.pk for agency, _level in access.case_shares(case)}
    agencies = Agency.objects.filter(is_active=True).exclude(pk__in=held)
    if case.releasability != JointCase.Releasability.CA_US:
        agencies = agencies.filter(country="CA" if case.releasability == JointCase.Releasability.CA_ONLY else "US")
    return agencies


def active_agencies():
    return Agency.objects.filter(is_active=True)
