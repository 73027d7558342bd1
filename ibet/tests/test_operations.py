import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ibet import services
from ibet.tests.factories import make_pacific, record
from partnerships.tests.factories import JointCaseFactory, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def pacific(cast):
    return make_pacific(cast)


def test_an_operation_carries_its_paired_names_and_both_countries(pacific):
    alice, bob = pacific.cast.alice, pacific.cast.bob
    case = JointCaseFactory(by=alice, program="ibet")
    operation = services.operation_create(by=alice, team=pacific, us_name="Operation Northern Reach",
                                          canadian_name="Project Coldwater", starts_on=timezone.localdate(),
                                          agencies=[bob.officer.agency], cases=[case])
    assert str(operation) == "Operation Northern Reach / Project Coldwater"
    with pytest.raises(services.IbetRefused, match="both countries"):
        services.operation_create(by=alice, team=pacific, us_name="A", canadian_name="B",
                                  starts_on=timezone.localdate(), agencies=[])


def test_the_case_page_shows_its_ibet_records_and_charlie_none(client, pacific):
    alice, bob, charlie = pacific.cast.alice, pacific.cast.bob, pacific.cast.charlie
    case = JointCaseFactory(by=alice, program="ibet", title="Coldwater")
    occurrence = record(pacific, alice, case=case)
    operation = services.operation_create(by=alice, team=pacific, us_name="Operation Northern Reach",
                                          canadian_name="Project Coldwater", starts_on=timezone.localdate(),
                                          agencies=[bob.officer.agency], cases=[case])
    client.force_login(alice)
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("ibet:occurrence_detail", args=[occurrence.pk]) in page
    assert "Operation Northern Reach" in page
    client.force_login(charlie)
    assert client.get(reverse("ibet:operation_detail", args=[operation.pk])).status_code == 404
    assert client.get(reverse("ibet:operation_list")).context["page"].paginator.count == 0
    # Through a shared case, charlie's agency sees the occurrence the case holds.
    share(case, charlie.officer.agency, by=alice)
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("ibet:occurrence_detail", args=[occurrence.pk]) in page


def test_an_operations_page_shows_only_the_cases_the_viewer_may_see(client, pacific):
    alice, bob = pacific.cast.alice, pacific.cast.bob
    case = JointCaseFactory(by=alice, program="ibet", title="Coldwater")
    operation = services.operation_create(by=alice, team=pacific, us_name="Operation Northern Reach",
                                          canadian_name="Project Coldwater",
                                          starts_on=timezone.localdate() - datetime.timedelta(days=3),
                                          agencies=[bob.officer.agency], cases=[case])
    client.force_login(bob)  # CBP takes part in the operation but the case is not shared with it
    page = client.get(reverse("ibet:operation_detail", args=[operation.pk])).content.decode()
    assert "Project Coldwater" in page and case.reference not in page


def test_the_team_dashboard_shows_figures_and_a_12_month_chart(client, pacific):
    record(pacific, pacific.cast.bob, persons_apprehended=3,
           results=[{"kind": "seizure", "category": "drugs", "quantity": 5, "unit": "kg"}])
    record(pacific, pacific.cast.bob, kind="pedestrian", occurred_at=timezone.now() - datetime.timedelta(days=62))
    client.force_login(pacific.cast.alice)
    response = client.get(reverse("ibet:team_dashboard", args=[pacific.pk]))
    assert response.context["year"]["apprehensions"] >= 3
    assert [count for bar in response.context["bars"] for count in [bar["count"]]][-1] == 1
    assert sum(bar["count"] for bar in response.context["bars"]) == 2
    page = response.content.decode()
    assert "<svg" in page and 'role="img"' in page and "Vehicle incursion" in page and "Drugs" in page
    client.force_login(pacific.cast.charlie)
    assert client.get(reverse("ibet:team_dashboard", args=[pacific.pk])).status_code == 404


def test_period_figures_sum_every_teams_figures_in_as_many_queries_for_five_teams_as_for_one(
        db, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ibet import selectors
    from ibet.models import IbetTeam
    from ibet.tests.factories import busy_teams

    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))
    end = datetime.datetime(2024, 4, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=-4)))
    busy_teams(count=1, start=start, end=end)
    with CaptureQueriesContext(connection) as one_team:
        selectors.period_figures(start=start, end=end)
    busy_teams(count=4, start=start, end=end)
    with django_assert_num_queries(len(one_team.captured_queries)):
        figures = selectors.period_figures(start=start, end=end)
    expected = {"occurrences": 0, "apprehensions": 0}
    for team in IbetTeam.objects.all():
        team_figures = selectors.team_figures(team=team, start=start, end=end)
        for key in expected:
            expected[key] += team_figures[key]
    # Each team has 3 of its 5 occurrences in the period, with 1, 2 and 3 persons plus its number in its batch.
    apprehended = sum(1 + 2 + 3 + 3 * number for number in [0, 0, 1, 2, 3])
    assert figures == expected == {"occurrences": 5 * 3, "apprehensions": apprehended}
