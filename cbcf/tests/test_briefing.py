"""The briefing book's figures: the programs' own totals, in a fixed number of queries, with small counts hidden;
its action items only from meetings its readers were invited to."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
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
    """`user` reads the unit reports: the lead agency's officer sees every investigation."""
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


def hsi_reader():
    from best.models import Investigation

    return Investigation.objects.select_related("case__created_by").first().case.created_by


def test_the_figures_are_the_sum_of_each_sites_months_each_teams_and_each_units_figures(forum):
    busy_programs(forum, 3)
    figures = briefing.figures(meeting=forum.meeting)
    assert figures == figures_site_by_site(user=hsi_reader(), meeting=forum.meeting)
    assert str(figures["shiprider"]["hours_on_water"]) == str(
        figures_site_by_site(user=hsi_reader(), meeting=forum.meeting)["shiprider"]["hours_on_water"])
    # Each site has 5 live patrols in the period (in its own time zone), each team 3 occurrences, and each unit
    # two investigations (one shared with CBP, one not), each with 3 arrests, charges and convictions in the period.
    assert figures["shiprider"]["patrols"] == 3 * 5 and figures["ibet"]["occurrences"] == 3 * 3
    assert figures["best"] == {"cases": 6, "arrests": 6 * 3, "charges": 6 * 3, "convictions": 6 * 3}


def test_the_book_counts_the_whole_program_not_only_what_the_secretariat_may_see(forum):
    """The book said 0 BEST arrests where HSI's unit report showed 4 (issue 18): it counted the secretariat's cases."""
    busy_programs(forum, 2)
    secretariat = forum.secretariat
    from best import selectors as best

    start, end = briefing.period(forum.meeting)
    unit_reports = [best.unit_report(user=hsi_reader(), unit=unit, start=start, end=end)
                    for unit in best.Unit.objects.all()]
    assert sum(report["arrests"] for report in unit_reports) == 12
    assert briefing.figures(meeting=forum.meeting)["best"]["arrests"] == 12
    assert best.investigation_list(user=secretariat).count() == 0  # it sees none of them, and the book counts them


def test_counts_under_five_are_printed_as_fewer_than_five_and_zero_and_larger_counts_as_they_are():
    from django.utils import translation

    with translation.override("en"):
        assert [briefing.shown(n) for n in (0, 1, 4, 5, 12)] == ["0", "fewer than 5", "fewer than 5", "5", "12"]
    with translation.override("fr"):
        assert briefing.shown(3) == "moins de 5"


def test_the_figures_take_as_many_queries_for_five_sites_teams_and_units_as_for_one(forum, django_assert_num_queries):
    def queries():
        with CaptureQueriesContext(connection) as context:
            briefing.figures(meeting=forum.meeting)
        return len(context.captured_queries)

    busy_programs(forum, 1)
    one_each = queries()
    busy_programs(forum, 4)
    assert queries() == one_each
    with django_assert_num_queries(one_each):
        assert briefing.figures(meeting=forum.meeting)["best"]["cases"] == 10


def test_the_book_lists_open_actions_only_from_meetings_of_its_series_every_reader_was_invited_to(forum):
    from cbcf import selectors, services
    from cbcf.models import Subgroup

    alice, bob = forum.cast.alice.officer, forum.cast.bob.officer
    earlier = forum.meeting.starts_at - datetime.timedelta(days=200)

    def meeting(title, participants, subgroup=None, starts_at=earlier):
        return services.meeting_create(by=forum.secretariat, title=title, level="senior", place="Ottawa",
                                       host_country="CA", starts_at=starts_at, subgroup=subgroup,
                                       participants=[(officer, "member") for officer in participants])

    def action(at, text):
        return services.action_add(by=forum.secretariat, meeting=at, text=text, owner=alice.agency,
                                   due_on=datetime.date.today() + datetime.timedelta(days=30))

    both = action(meeting("Both invited", [alice, bob]), "Both agencies were there")
    action(meeting("Alice only", [alice]), "Only alice's agency was there")
    subgroup = Subgroup.objects.create(name_en="Firearms", name_fr="Armes à feu", canadian_co_chair=alice,
                                       american_co_chair=bob)
    action(meeting("Subgroup", [alice, bob], subgroup=subgroup), "Another series")
    action(meeting("Later", [alice, bob], starts_at=forum.meeting.starts_at + datetime.timedelta(days=30)),
           "A later meeting")
    own = action(forum.meeting, "This meeting's own")
    assert set(selectors.book_actions(meeting=forum.meeting)) == {own, both}
    book = SimpleNamespace(meeting=forum.meeting, language="en", agenda_version=1)
    assert set(briefing.content(book)["actions"]) == {own, both}


def test_dates_in_words_give_the_first_of_a_month_its_french_ordinal():
    from django.utils import translation

    first, fifth = datetime.date(2026, 12, 1), datetime.date(2026, 12, 5)
    noon_on_the_first = datetime.datetime(2026, 10, 1, 12, 0, tzinfo=ZoneInfo("America/Toronto"))
    with translation.override("fr"):
        assert briefing.written_date(first) == "1er décembre 2026"
        assert briefing.written_date(fifth) == "5 décembre 2026"
        assert briefing.date_in_words(first) == "mardi 1er décembre 2026"
        assert briefing.written_date(noon_on_the_first, "DATETIME_FORMAT").startswith("1er octobre 2026")
    with translation.override("en"):
        assert briefing.written_date(first) == "Dec. 1, 2026"
        assert briefing.date_in_words(first) == "Tuesday, December 1, 2026"
