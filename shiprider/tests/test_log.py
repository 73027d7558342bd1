"""The patrol log: waters, boardings directed by the host country's officer, cases from boardings."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships import access
from partnerships.models import AccessLevel, EnforcementResult, JointCase
from shiprider import services
from shiprider.models import Activity

pytestmark = pytest.mark.django_db


def boarding(world, patrol, director, waters="CA", **extra):
    return services.activity_log(
        by=world.rcmp_lead.user, patrol=patrol, kind="boarding", waters=waters, directing_officer=director,
        occurred_at=patrol.planned_start + datetime.timedelta(hours=1), target_name="Night Hawk",
        target_registration="ON 1234 AB", target_flag="Canada", outcome="Cigarettes found",
        results=[{"kind": "seizure", "category": "tobacco", "quantity": 120, "unit": "kg", "description": "cartons"},
                 {"kind": "arrest", "category": "persons", "quantity": 2, "unit": "count", "description": ""}],
        **extra)


def test_a_boarding_in_canadian_waters_directed_by_a_uscg_officer_is_refused(world, patrol):
    with pytest.raises(services.PatrolRefused, match=r"In Canada waters.*BM1 Marcus Reed \(USCG\) cannot"):
        boarding(world, patrol, world.uscg_bo)
    assert not Activity.objects.exists() and not EnforcementResult.objects.exists()


def test_a_boarding_directed_by_the_rcmp_officer_is_saved_and_opens_a_case_in_one_step(world, patrol):
    activity = boarding(world, patrol, world.rcmp_lead)
    assert activity.results.count() == 2
    case = services.activity_open_case(by=world.rcmp_lead.user, activity=activity)
    assert case.program == "shiprider" and case.lead_agency.acronym == "RCMP"
    assert "Night Hawk" in case.title and "Cigarettes found" in case.summary
    assert set(EnforcementResult.objects.values_list("case", flat=True)) == {case.pk}
    with pytest.raises(services.PatrolRefused, match="already has a joint case"):
        services.activity_open_case(by=world.rcmp_lead.user, activity=activity)


def test_in_us_waters_the_uscg_officer_directs(world, patrol):
    activity = boarding(world, patrol, world.uscg_bo, waters="US")
    assert activity.directing_officer == world.uscg_bo
    with pytest.raises(services.PatrolRefused):
        services.waters_segment_add(by=world.rcmp_lead.user, patrol=patrol, country="US",
                                    starts_at=timezone.now(), directing_officer=world.rcmp_lead)


def test_an_officer_not_on_board_cannot_direct(world, patrol):
    from partnerships.tests.factories import OfficerFactory

    ashore = OfficerFactory(agency=world.vessel.owner)
    with pytest.raises(services.PatrolRefused, match="cannot"):
        boarding(world, patrol, ashore)


def test_start_and_complete_record_the_actual_times(world, patrol):
    services.patrol_start(by=world.rcmp_lead.user, patrol=patrol)
    patrol.refresh_from_db()
    with pytest.raises(services.PatrolRefused):
        services.patrol_start(by=world.rcmp_lead.user, patrol=patrol)
    services.patrol_complete(by=world.rcmp_lead.user, patrol=patrol, at=patrol.actual_start
                             + datetime.timedelta(hours=6))
    patrol.refresh_from_db()
    assert (patrol.status, (patrol.actual_end - patrol.actual_start).seconds) == ("completed", 6 * 3600)


def test_the_case_link_shows_only_to_agencies_the_case_is_shared_with(client, world, patrol):
    activity = boarding(world, patrol, world.rcmp_lead)
    case = services.activity_open_case(by=world.rcmp_lead.user, activity=activity)
    client.force_login(world.uscg_bo.user)  # a site member, but the case is RCMP's and not shared
    page = client.get(reverse("shiprider:patrol_detail", args=[patrol.pk])).content.decode()
    assert "Night Hawk" in page and case.reference not in page
    assert not access.can(world.uscg_bo.user, case, AccessLevel.VIEW)
    client.force_login(world.rcmp_cox.user)
    assert case.reference in client.get(reverse("shiprider:patrol_detail", args=[patrol.pk])).content.decode()


def test_logging_a_boarding_through_the_page(client, world, patrol):
    client.force_login(world.rcmp_lead.user)
    when = (timezone.localtime(patrol.planned_start) + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    form = {f"activity-{key}": value for key, value in {
        "kind": "boarding", "occurred_at": when, "waters": "CA", "directing_officer": world.uscg_bo.pk,
        "target_name": "Night Hawk", "persons_arrested": "1", "seizure_category": "currency",
        "seizure_quantity": "25000", "seizure_unit": "USD"}.items()}
    refused = client.post(reverse("shiprider:patrol_activity", args=[patrol.pk]), form)
    assert refused.status_code == 400 and "BM1 Marcus Reed (USCG) cannot" in refused.content.decode()
    bad = client.post(reverse("shiprider:patrol_activity", args=[patrol.pk]),
                      {**form, "activity-directing_officer": world.rcmp_lead.pk, "activity-seizure_unit": ""})
    assert "Give the quantity and unit of the seizure." in bad.content.decode()
    assert not Activity.objects.exists()
    saved = client.post(reverse("shiprider:patrol_activity", args=[patrol.pk]),
                        {**form, "activity-directing_officer": world.rcmp_lead.pk})
    assert saved.status_code == 302
    activity = Activity.objects.get()
    opened = client.post(reverse("shiprider:activity_case", args=[patrol.pk, activity.pk]))
    case = JointCase.objects.get(program="shiprider")
    assert opened["Location"] == case.get_absolute_url()


def test_charlie_cannot_touch_the_log(client, world, patrol):
    activity = boarding(world, patrol, world.rcmp_lead)
    client.force_login(world.cast.charlie)
    for url in (reverse("shiprider:patrol_activity", args=[patrol.pk]),
                reverse("shiprider:patrol_start", args=[patrol.pk]),
                reverse("shiprider:activity_case", args=[patrol.pk, activity.pk])):
        assert client.post(url, {}).status_code == 404
    assert not JointCase.objects.filter(program="shiprider").exists()
