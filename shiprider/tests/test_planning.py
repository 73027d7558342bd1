"""Calendar, monthly figures and the iCal feed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from shiprider import selectors, services
from shiprider.models import Patrol
from shiprider.tests.factories import ShipRiderWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    world = ShipRiderWorld(cast)
    start, end = world.window()
    world.patrol, _warnings = services.patrol_schedule(by=world.rcmp_lead.user, site=world.site,
                                                       vessel=world.vessel, planned_start=start, planned_end=end,
                                                       crew=world.crew())
    return world


def feed_key(client, user):
    client.force_login(user)
    url = client.post(reverse("shiprider:calendar_feed")).context["feed_url"]
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_the_calendar_shows_the_sites_patrols_by_month_and_week(client, world):
    client.force_login(world.rcmp_cox.user)
    day = timezone.localtime(world.patrol.planned_start, datetime.UTC).date().isoformat()
    for view in ("month", "week"):
        page = client.get(reverse("shiprider:calendar"), {"site": world.site.pk, "view": view, "date": day})
        assert reverse("shiprider:patrol_detail", args=[world.patrol.pk]) in page.content.decode()
    assert client.get(reverse("shiprider:calendar"), {"date": "not-a-date"}).status_code == 200


def test_charlie_has_no_site_and_no_patrol_in_the_calendar(client, world):
    client.force_login(world.cast.charlie)
    page = client.get(reverse("shiprider:calendar"), {"site": world.site.pk}).content.decode()
    assert "Inkster" not in page and "not a member of any ShipRider site" in page


def test_monthly_figures_count_patrols_hours_boardings_arrests_and_seizures(world):
    world.patrol.delete()  # planned three days ahead: perhaps next month
    patrol = world.underway()
    services.activity_log(by=world.rcmp_lead.user, patrol=patrol, kind="boarding", waters="CA",
                          directing_officer=world.rcmp_lead, occurred_at=timezone.now(), target_name="X",
                          results=[{"kind": "arrest", "category": "persons", "quantity": 2, "unit": "count"},
                                   {"kind": "seizure", "category": "currency", "quantity": 25000, "unit": "USD"}])
    patrol = services.patrol_complete(by=world.rcmp_lead.user, patrol=patrol)
    # Seven and a half hours on the water, as if it had left then (the log checks its times against the clock).
    Patrol.objects.filter(pk=patrol.pk).update(actual_start=patrol.actual_end
                                               - datetime.timedelta(hours=7, minutes=30))
    local = patrol.planned_start.astimezone(datetime.timezone(datetime.timedelta(hours=-5)))
    figures = selectors.site_monthly_figures(site=world.site, year=local.year, month=local.month)
    assert (figures["patrols"], figures["completed"], float(figures["hours_on_water"])) == (1, 1, 7.5)
    assert (figures["boardings"], figures["arrests"]) == (1, 2)
    assert figures["seizures"]["currency"]["quantity"] == 25000


def test_the_ical_feed_parses_and_follows_the_officers_view(client, world):
    key = feed_key(client, world.rcmp_cox.user)
    client.logout()
    response = client.get(reverse("shiprider:ical", args=[key]))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"shiprider-patrol-{world.patrol.pk}@border-partnerships-portal"]
    assert events[0].decoded("dtstart") == world.patrol.planned_start.replace(microsecond=0)
    charlie_key = feed_key(client, world.cast.charlie)
    assert Calendar.from_ical(client.get(reverse("shiprider:ical", args=[charlie_key])).content).walk("VEVENT") == []


def test_a_new_key_stops_the_old_one_and_a_bad_key_is_404(client, world):
    old = feed_key(client, world.rcmp_cox.user)
    feed_key(client, world.rcmp_cox.user)
    assert client.get(reverse("shiprider:ical", args=[old])).status_code == 404
    assert client.get(reverse("shiprider:ical", args=["nope"])).status_code == 404


def test_period_figures_sum_the_monthly_figures_of_every_site_in_its_own_time_zone(db):
    from shiprider.tests.factories import busy_sites

    start, end = datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)
    sites = busy_sites(count=3, start=start, end=end)
    months = [(2024, 1), (2024, 2), (2024, 3)]
    expected = {"patrols": 0, "hours_on_water": 0, "boardings": 0, "arrests": 0}
    for site in sites:
        for year, month in months:
            monthly = selectors.site_monthly_figures(site=site, year=year, month=month)
            for key in expected:
                expected[key] += monthly[key]
    figures = selectors.period_figures(start=start, end=end)
    assert figures == expected
    # Per site: 4 completed patrols and 1 planned in the period; 1 boarding on each of those 5 and on none of
    # the cancelled one; arrests (1 + site number) on 10 activities, 5 across two months (counted in each), 7 once.
    assert (figures["patrols"], figures["boardings"]) == (3 * 5, 3 * 5)
    assert figures["arrests"] == sum(10 * (1 + number) + 2 * 5 + 7 for number in range(3))
    assert str(figures["hours_on_water"]) == str(expected["hours_on_water"])


def test_period_figures_take_as_many_queries_for_five_sites_as_for_one(db, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shiprider.tests.factories import busy_sites

    start, end = datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)
    busy_sites(count=1, start=start, end=end)
    with CaptureQueriesContext(connection) as one_site:
        selectors.period_figures(start=start, end=end)
    busy_sites(count=4, start=start, end=end)
    with django_assert_num_queries(len(one_site.captured_queries)):
        assert selectors.period_figures(start=start, end=end)["patrols"] == 5 * 5
