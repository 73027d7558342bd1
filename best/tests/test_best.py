import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from best import selectors, services
from best.models import Arrest, Conviction
from partnerships import services as core_services
from partnerships.models import CrossDesignation
from partnerships.tests.factories import share

pytestmark = pytest.mark.django_db


def today(days=0):
    return timezone.localdate() + datetime.timedelta(days=days)


def test_a_task_force_officer_with_a_lapsed_title_19_designation_cannot_record_an_arrest(world, investigation):
    alice = world.cast.alice
    services.arrest_record(by=alice, investigation=investigation, subject=investigation.person,
                           arrested_on=today(), charging_country="US", nationality="Canadian")
    CrossDesignation.objects.filter(pk=world.designation.pk).update(status="suspended")
    with pytest.raises(services.BestRefused, match="Title 19 designation is not active"):
        services.arrest_record(by=alice, investigation=investigation, subject=investigation.person,
                               arrested_on=today(), charging_country="US", nationality="Canadian")
    with pytest.raises(services.BestRefused, match="Title 19 designation is not active"):
        services.seizure_record(by=alice, investigation=investigation, seized_on=today(), category="drugs",
                                quantity=2, unit="kg")
    assert Arrest.objects.count() == 1


def test_a_conviction_without_an_earlier_charge_against_that_person_is_refused(world, investigation):
    agent = world.agent.user
    with pytest.raises(services.BestRefused, match="no earlier indictment or charge"):
        services.conviction_record(by=agent, investigation=investigation, subject=investigation.person,
                                   court="E.D. Mich.", convicted_on=today(), sentence="120 months")
    services.charge_record(by=agent, investigation=investigation, subject=investigation.person, court="E.D. Mich.",
                           jurisdiction="Michigan", charged_on=today(-30), counts=3)
    other = core_services.subject_add(by=agent, case=investigation.case, kind="person", name="Ana Ruiz")
    with pytest.raises(services.BestRefused):
        services.conviction_record(by=agent, investigation=investigation, subject=other, court="E.D. Mich.",
                                   convicted_on=today(), sentence="60 months")
    services.conviction_record(by=agent, investigation=investigation, subject=investigation.person,
                               court="E.D. Mich.", convicted_on=today(), sentence="120 months")
    assert Conviction.objects.count() == 1


def test_the_unit_report_counts_only_the_cases_the_reader_may_see(world, investigation):
    agent, bob, charlie = world.agent.user, world.cast.bob, world.cast.charlie
    services.arrest_record(by=agent, investigation=investigation, subject=investigation.person,
                           arrested_on=today(), charging_country="US", nationality="Canadian")
    hidden = world.open(title="Not shared with CBP")
    hidden_person = core_services.subject_add(by=agent, case=hidden.case, kind="person", name="Hidden Person")
    services.arrest_record(by=agent, investigation=hidden, subject=hidden_person, arrested_on=today(),
                           charging_country="US", nationality="US")
    share(investigation.case, bob.officer.agency, by=agent)
    period = {"start": today(-365), "end": today()}
    assert selectors.unit_report(user=agent, unit=world.unit, **period)["arrests"] == 2
    bobs = selectors.unit_report(user=bob, unit=world.unit, **period)
    assert (bobs["cases"], bobs["arrests"]) == (1, 1)
    charlies = selectors.unit_report(user=charlie, unit=world.unit, **period)
    assert (charlies["cases"], charlies["arrests"]) == (0, 0)


def test_the_lifecycle_moves_forward_with_dates_and_deciders(world, investigation):
    agent = world.agent.user
    services.investigation_stage(by=agent, investigation=investigation, stage="active", on=today())
    with pytest.raises(services.BestRefused, match="moves forward"):
        services.investigation_stage(by=agent, investigation=investigation, stage="initiated", on=today())
    services.investigation_stage(by=agent, investigation=investigation, stage="dismantled", on=today(), note="Done")
    investigation.case.refresh_from_db()
    assert investigation.case.status == "active"
    assert [s.stage for s in investigation.stages.all()] == ["initiated", "active", "dismantled"]


def test_priorities_and_foreign_nexus_are_required(world):
    with pytest.raises(services.BestRefused, match="priority"):
        world.open(priorities=[])
    with pytest.raises(services.BestRefused, match="foreign nexus"):
        world.open(foreign_nexus=" ")


def test_an_mlat_request_without_news_for_90_days_is_flagged_and_its_owner_reminded(world, investigation):
    from partnerships.models import Notification

    request = services.mlat_record(by=world.agent.user, investigation=investigation, requesting_country="US",
                                   asked="Bank records, TD account", sent_on=today(-91))
    assert list(services.mlat_stalled()) == [request]
    assert services.mlat_stalled_daily() == 1 and services.mlat_stalled_daily() == 0
    assert Notification.objects.filter(recipient=world.agent.user, kind="mlat_stalled").count() == 1
    services.mlat_update(by=world.agent.user, request=request, status="acknowledged", on=today())
    assert list(services.mlat_stalled()) == []


def test_pages_record_a_charge_and_a_conviction_and_charlie_sees_nothing(client, world, investigation):
    client.force_login(world.agent.user)
    url = reverse("best:investigation_action", args=[investigation.case.reference, "conviction"])
    refused = client.post(url, {"conviction-subject": investigation.person.pk, "conviction-court": "E.D. Mich.",
                                "conviction-convicted_on": str(today()), "conviction-sentence": "10 years"})
    assert refused.status_code == 400 and "no earlier indictment or charge" in refused.content.decode()
    client.post(reverse("best:investigation_action", args=[investigation.case.reference, "charge"]),
                {"charge-subject": investigation.person.pk, "charge-court": "E.D. Mich.",
                 "charge-jurisdiction": "Michigan", "charge-charged_on": str(today(-1)), "charge-counts": "2"})
    assert client.post(url, {"conviction-subject": investigation.person.pk, "conviction-court": "E.D. Mich.",
                             "conviction-convicted_on": str(today()),
                             "conviction-sentence": "10 years"}).status_code == 302
    report = client.get(reverse("best:unit_report", args=[world.unit.pk]),
                        {"start": str(today(-10)), "end": str(today()), "format": "pdf"})
    assert report["Content-Type"] == "application/pdf"
    client.force_login(world.cast.charlie)
    assert client.get(reverse("best:investigation_detail", args=[investigation.case.reference])).status_code == 404
    assert client.get(reverse("best:unit_report", args=[world.unit.pk])).status_code == 404
    assert client.post(url, {}).status_code == 404


def test_the_api_refuses_an_arrest_by_a_lapsed_task_force_officer(world, investigation):
    from partnerships.tests.test_api import api

    url = reverse("best_api:arrests", args=[investigation.case.reference])
    body = {"person": investigation.person.pk, "arrested_on": str(today()), "charging_country": "US",
            "nationality": "Canadian"}
    client = api(world.cast.alice)
    assert client.post(url, body, format="json").status_code == 201
    CrossDesignation.objects.filter(pk=world.designation.pk).update(valid_to=today(-1))
    refused = client.post(url, body, format="json")
    assert refused.status_code == 400
    assert "Title 19 designation is not active" in refused.json()["errors"]["non_field_errors"][0]
    detail = client.get(reverse("best_api:investigation_detail", args=[investigation.case.reference])).json()
    assert len(detail["arrests"]) == 1
    charlie = api(world.cast.charlie)
    assert charlie.get(reverse("best_api:investigation_list")).json()["results"] == []
    assert charlie.post(url, body, format="json").status_code == 404


def test_a_referral_gets_the_prosecutors_decision(client, world, investigation):
    from best.models import Referral

    referral = services.referral_record(by=world.agent.user, investigation=investigation, country="US",
                                        office="U.S. Attorney's Office, Eastern District of Michigan",
                                        referred_on=today(-5))
    client.force_login(world.agent.user)
    response = client.post(reverse("best:investigation_action", args=[investigation.case.reference,
                                                                       "referral_decision"]),
                           {"referral_decision-referral": referral.pk, "referral_decision-status": "accepted",
                            "referral_decision-on": str(today())})
    assert response.status_code == 302
    assert Referral.objects.get().status == "accepted"
    with pytest.raises(services.BestRefused):
        services.referral_decide(by=world.agent.user, referral=referral, status="declined", on=today(-10))


def test_period_figures_are_the_programs_totals_whoever_leads_the_cases_in_a_fixed_number_of_queries(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from best.models import Unit
    from best.tests.factories import busy_units

    start, end = datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)
    busy_units(count=1, start=start, end=end, shared_with=cast.bob.officer.agency)

    def queries():
        with CaptureQueriesContext(connection) as context:
            selectors.period_figures(start=start, end=end)
        return len(context.captured_queries)

    one_unit = queries()
    busy_units(count=4, start=start, end=end, shared_with=cast.bob.officer.agency)
    assert queries() == one_unit
    # The lead agency's unit reports, which see every one of its investigations, add up to the program's totals.
    lead = Unit.objects.first().investigations.first().case.created_by
    expected = {"cases": 0, "arrests": 0, "charges": 0, "convictions": 0}
    for unit in Unit.objects.all():
        report = selectors.unit_report(user=lead, unit=unit, start=start, end=end)
        for key in expected:
            expected[key] += report[key]
    # Each unit's two investigations, shared or not, count: 3 of each one's 5 dates are in the period.
    assert selectors.period_figures(start=start, end=end) == expected == {
        "cases": 10, "arrests": 10 * 3, "charges": 10 * 3, "convictions": 10 * 3}


def test_a_case_the_reader_sees_that_is_not_a_best_investigation_answers_404(client, world):
    from partnerships.tests.test_api import api

    ibet_case = world.cast.case  # alice's IBET case, not an investigation
    client.force_login(world.cast.alice)
    assert client.get(reverse("best:investigation_detail", args=[ibet_case.reference])).status_code == 404
    assert api(world.cast.alice).get(
        reverse("best_api:investigation_detail", args=[ibet_case.reference])).status_code == 404
