"""The briefing book's figures: the programs' own, in a fixed number of queries, and only the cases one may see."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from best.tests.factories import busy_units
from cbcf import briefing
from cbcf.tests.factories import Forum
from ibet.tests.factories import busy_teams
from shiprider.tests.factories import busy_sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(cast):
    return Forum(cast)


def busy_programs(forum, count):
    start, end = briefing.period(forum.meeting)
    zone = ZoneInfo(forum.meeting.time_zone)
    busy_sites(count=count, start=start, end=end)
    busy_teams(count=count, start=datetime.datetime.combine(start, datetime.time(), zone),
               end=datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), zone))
    busy_units(count=count, start=start, end=end, shared_with=forum.cast.bob.officer.agency)


def figures_site_by_site(*, user, meeting):
    """figures() as it was first written: each program's selector per site and month, per team, per unit."""
    from best import selectors as best
    from ibet import selectors as ibet
    from ibet.models import IbetTeam
    from shiprider import selectors as shiprider
    from shiprider.models import Site

    start, end = briefing.period(meeting)
    months = []
    cursor = start
    while cursor <= end:
        months.append((cursor.year, cursor.month))
        cursor = (cursor.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    ship = {"patrols": 0, "hours_on_water": 0, "boardings": 0, "arrests": 0}
    for site in Site.objects.all():
        for year, month in months:
            monthly = shiprider.site_monthly_figures(site=site, year=year, month=month)
            for key in ship:
                ship[key] += monthly[key]
    zone = ZoneInfo(meeting.time_zone)
    start_at = datetime.datetime.combine(start, datetime.time(), zone)
    end_at = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), zone)
    ibet_totals = {"occurrences": 0, "apprehensions": 0}
    for team in IbetTeam.objects.all():
        team_figures = ibet.team_figures(team=team, start=start_at, end=end_at)
        for key in ibet_totals:
            ibet_totals[key] += team_figures[key]
    best_totals = {"cases": 0, "arrests": 0, "charges": 0, "convictions": 0}
    for unit in best.Unit.objects.all():
        report = best.unit_report(user=user, unit=unit, start=start, end=end)
        for key in best_totals:
            best_totals[key] += report[key]
    return {"start": start, "end": end, "shiprider": ship, "ibet": ibet_totals, "best": best_totals}


def test_the_figures_are_the_sum_of_each_sites_months_each_teams_and_each_units_figures(forum):
    busy_programs(forum, 3)
    bob = forum.cast.bob
    figures = briefing.figures(user=bob, meeting=forum.meeting)
    assert figures == figures_site_by_site(user=bob, meeting=forum.meeting)
    assert str(figures["shiprider"]["hours_on_water"]) == str(
        figures_site_by_site(user=bob, meeting=forum.meeting)["shiprider"]["hours_on_water"])
    # Each site has 5 live patrols in the period (in its own time zone), each team 3 occurrences, and each unit
    # one investigation shared with CBP, with 3 arrests, charges and convictions in the period.
    assert figures["shiprider"]["patrols"] == 3 * 5 and figures["ibet"]["occurrences"] == 3 * 3
    assert figures["best"] == {"cases": 3, "arrests": 3 * 3, "charges": 3 * 3, "convictions": 3 * 3}


def test_charlie_counts_no_investigation_that_is_not_shared_with_his_agency(forum):
    busy_programs(forum, 2)
    charlie = forum.cast.charlie
    figures = briefing.figures(user=charlie, meeting=forum.meeting)
    assert figures["best"] == {"cases": 0, "arrests": 0, "charges": 0, "convictions": 0}
    assert figures == figures_site_by_site(user=charlie, meeting=forum.meeting)
    # The team figures carry no case data: they are the same whoever reads them.
    assert figures["shiprider"] == briefing.figures(user=forum.cast.bob, meeting=forum.meeting)["shiprider"]


def test_the_figures_take_as_many_queries_for_five_sites_teams_and_units_as_for_one(forum, django_assert_num_queries):
    def queries():
        reader = get_user_model().objects.get(pk=forum.cast.bob.pk)
        with CaptureQueriesContext(connection) as context:
            briefing.figures(user=reader, meeting=forum.meeting)
        return len(context.captured_queries)

    busy_programs(forum, 1)
    briefing.figures(user=forum.cast.bob, meeting=forum.meeting)  # warm the permission-id cache
    one_each = queries()
    busy_programs(forum, 4)
    assert queries() == one_each
    reader = get_user_model().objects.get(pk=forum.cast.bob.pk)
    with django_assert_num_queries(one_each):
        assert briefing.figures(user=reader, meeting=forum.meeting)["best"]["cases"] == 5
