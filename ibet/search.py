"""IBET's kinds in the portal's search (partnerships/search.py): occurrences and intelligence reports, each through
its own selector (the team's records, or a case shared with the reader; reports also by releasability and review)."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from ibet import selectors
from ibet.models import IntelligenceReport, Occurrence
from partnerships import search


def _occurrence(occurrence):
    return {"url": reverse("ibet:occurrence_detail", args=[occurrence.pk]),
            "about": " · ".join([occurrence.get_kind_display(), formats.date_format(occurrence.occurred_at.date()),
                                 occurrence.team.team.name])}


def _report(report):
    return {"url": reverse("ibet:report_detail", args=[report.pk]),
            "about": " · ".join([report.source_agency.acronym, f"{report.reliability}{report.credibility}",
                                 report.team.team.name])}


OCCURRENCES = search.Searchable(
    name="occurrence", label=_("IBET occurrences"), model=Occurrence,
    visible=lambda user: selectors.occurrence_list(user=user),
    columns=("place", "nearest_port", "nationalities", "narrative"), title="nearest_port", snippet="narrative",
    describe=_occurrence, order=("-occurred_at", "-pk"), select_related=("team__team",),
)

REPORTS = search.Searchable(
    name="report", label=_("IBET intelligence reports"), model=IntelligenceReport,
    visible=lambda user: selectors.report_list(user=user),
    columns=("subject", "text"), title="subject", snippet="text",
    describe=_report, select_related=("team__team", "source_agency"),
)


def register():
    search.register(OCCURRENCES)
    search.register(REPORTS)
