"""The patrol log: waters, boardings directed by the host country's officer, cases from boardings."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships import access
from partnerships import services as services_core
from partnerships.models import AccessLevel, EnforcementResult, JointCase
from partnerships.tests.test_api import api
from shiprider import services
from shiprider.models import Activity, Patrol

pytestmark = pytest.mark.django_db


def site_time(patrol, moment):
    """A moment as the log's form takes it: the site's local time, to the minute."""
    return timezone.localtime(moment, ZoneInfo(patrol.site.time_zone)).strftime("%Y-%m-%dT%H:%M")


def boarding(world, patrol, director, waters="CA", occurred_at=None, target_name="Night Hawk", **extra):
    return services.activity_log(
        by=world.rcmp_lead.user, patrol=patrol, kind="boarding", waters=waters, directing_officer=director,
        occurred_at=occurred_at or timezone.now(), target_name=target_name,
        target_registration="ON 1234 AB", target_flag="Canada", outcome="Cigarettes found",
        results=[{"kind": "seizure", "category": "tobacco", "quantity": 120, "unit": "kg", "description": "cartons"},
                 {"kind": "arrest", "category": "persons", "quantity": 2, "unit": "count", "description": ""}],
        **extra)


def test_a_boarding_in_canadian_waters_directed_by_a_uscg_officer_is_refused(world, underway):
    with pytest.raises(services.PatrolRefused, match=r"In Canadian waters.*BM1 Marcus Reed \(USCG\) cannot"):
        boarding(world, underway, world.uscg_bo)
    assert not Activity.objects.exists() and not EnforcementResult.objects.exists()


def test_a_boarding_directed_by_the_rcmp_officer_is_saved_and_opens_a_case_in_one_step(world, underway):
    activity = boarding(world, underway, world.rcmp_lead)
    assert activity.results.count() == 2
    case = services.activity_open_case(by=world.rcmp_lead.user, activity=activity)
    assert case.program == "shiprider" and case.lead_agency.acronym == "RCMP"
    assert "Night Hawk" in case.title and "Cigarettes found" in case.summary
    assert set(EnforcementResult.objects.values_list("case", flat=True)) == {case.pk}
    with pytest.raises(services.PatrolRefused, match="already has a joint case"):
        services.activity_open_case(by=world.rcmp_lead.user, activity=activity)


def test_in_us_waters_the_uscg_officer_directs(world, underway):
    activity = boarding(world, underway, world.uscg_bo, waters="US")
    assert activity.directing_officer == world.uscg_bo
    with pytest.raises(services.PatrolRefused, match="In United States waters"):
        services.waters_segment_add(by=world.rcmp_lead.user, patrol=underway, country="US",
                                    starts_at=timezone.now(), directing_officer=world.rcmp_lead)
    services.waters_segment_add(by=world.rcmp_lead.user, patrol=underway, country="US",
                                starts_at=timezone.now(), directing_officer=world.uscg_bo)


def test_an_officer_not_on_board_cannot_direct(world, underway):
    from partnerships.tests.factories import OfficerFactory

    ashore = OfficerFactory(agency=world.vessel.owner)
    with pytest.raises(services.PatrolRefused, match="cannot"):
        boarding(world, underway, ashore)


def test_start_and_complete_record_the_actual_times(world, underway):
    patrol = underway
    with pytest.raises(services.PatrolRefused):
        services.patrol_start(by=world.rcmp_lead.user, patrol=patrol)
    with pytest.raises(services.PatrolRefused, match="not in the future"):
        services.patrol_complete(by=world.rcmp_lead.user, patrol=patrol, at=patrol.actual_start
                                 + datetime.timedelta(hours=6))
    services.patrol_complete(by=world.rcmp_lead.user, patrol=patrol, at=timezone.now())
    patrol.refresh_from_db()
    assert patrol.status == "completed" and patrol.actual_start < patrol.actual_end <= timezone.now()


def test_a_patrol_gets_underway_neither_long_before_its_planned_start_nor_in_the_future(world, patrol):
    with pytest.raises(services.PatrolRefused, match="it can get underway from"):
        services.patrol_start(by=world.rcmp_lead.user, patrol=patrol)  # planned three days ahead
    with pytest.raises(services.PatrolRefused, match="not in the future"):
        services.patrol_start(by=world.rcmp_lead.user, patrol=patrol, at=patrol.planned_start)
    patrol.refresh_from_db()
    assert (patrol.status, patrol.actual_start) == ("planned", None)


def test_the_case_link_shows_only_to_agencies_the_case_is_shared_with(client, world, underway):
    patrol = underway
    activity = boarding(world, patrol, world.rcmp_lead)
    case = services.activity_open_case(by=world.rcmp_lead.user, activity=activity)
    client.force_login(world.uscg_bo.user)  # a site member, but the case is RCMP's and not shared
    page = client.get(reverse("shiprider:patrol_detail", args=[patrol.pk])).content.decode()
    assert "Night Hawk" in page and case.reference not in page
    assert not access.can(world.uscg_bo.user, case, AccessLevel.VIEW)
    client.force_login(world.rcmp_cox.user)
    assert case.reference in client.get(reverse("shiprider:patrol_detail", args=[patrol.pk])).content.decode()


def test_logging_a_boarding_through_the_page(client, world, underway):
    patrol = underway
    client.force_login(world.rcmp_lead.user)
    when = site_time(patrol, timezone.now())
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


def test_charlie_cannot_touch_the_log(client, world, underway):
    patrol = underway
    activity = boarding(world, patrol, world.rcmp_lead)
    client.force_login(world.cast.charlie)
    for url in (reverse("shiprider:patrol_activity", args=[patrol.pk]),
                reverse("shiprider:patrol_start", args=[patrol.pk]),
                reverse("shiprider:activity_case", args=[patrol.pk, activity.pk])):
        assert client.post(url, {}).status_code == 404
    assert not JointCase.objects.filter(program="shiprider").exists()


# --- the log records what happened on the patrol ---------------------------------------------------------------

def test_a_boarding_on_a_patrol_that_has_not_got_underway_is_refused(client, world, patrol):
    """The issue's boarding dated 2026-11-01 on a patrol planned for 12-12: before the patrol, not on it."""
    before = patrol.planned_start - datetime.timedelta(days=41)
    with pytest.raises(services.PatrolRefused, match="has not got underway"):
        boarding(world, patrol, world.rcmp_lead, occurred_at=before)
    client.force_login(world.rcmp_lead.user)
    page = client.get(reverse("shiprider:patrol_detail", args=[patrol.pk])).content.decode()
    assert reverse("shiprider:patrol_activity", args=[patrol.pk]) not in page  # no log form to offer yet
    refused = client.post(reverse("shiprider:patrol_activity", args=[patrol.pk]), {
        "activity-kind": "boarding", "activity-occurred_at": site_time(patrol, before), "activity-waters": "CA",
        "activity-directing_officer": world.rcmp_lead.pk})
    assert refused.status_code == 400 and "has not got underway" in refused.content.decode()
    answer = api(world.rcmp_lead.user).post(reverse("shiprider_api:patrol_activities", args=[patrol.pk]), {
        "kind": "boarding", "occurred_at": before.isoformat(), "waters": "CA",
        "directing_officer": world.rcmp_lead.pk}, format="json")
    assert answer.status_code == 400 and "has not got underway" in answer.json()["errors"]["non_field_errors"][0]
    assert not Activity.objects.exists() and not EnforcementResult.objects.exists()


def test_a_boarding_dated_in_the_future_is_refused_by_the_service_the_page_and_the_api(client, world, underway):
    ahead = timezone.now() + datetime.timedelta(days=10)
    with pytest.raises(services.PatrolRefused, match="is in the future"):
        boarding(world, underway, world.rcmp_lead, occurred_at=ahead)
    client.force_login(world.rcmp_lead.user)
    refused = client.post(reverse("shiprider:patrol_activity", args=[underway.pk]), {
        "activity-kind": "boarding", "activity-occurred_at": site_time(underway, ahead), "activity-waters": "CA",
        "activity-directing_officer": world.rcmp_lead.pk})
    assert refused.status_code == 400 and "is in the future: the log records what happened" in \
        refused.content.decode()
    answer = api(world.rcmp_lead.user).post(reverse("shiprider_api:patrol_activities", args=[underway.pk]), {
        "kind": "boarding", "occurred_at": ahead.isoformat(), "waters": "CA",
        "directing_officer": world.rcmp_lead.pk}, format="json")
    assert answer.status_code == 400 and "is in the future" in answer.json()["errors"]["non_field_errors"][0]
    assert not Activity.objects.exists()


def test_an_activity_falls_within_the_patrols_time_on_the_water_give_or_take_a_quarter_hour(world, underway):
    start = underway.actual_start
    with pytest.raises(services.PatrolRefused, match="outside the patrol's time on the water"):
        boarding(world, underway, world.rcmp_lead, occurred_at=start - datetime.timedelta(minutes=16))
    boarding(world, underway, world.rcmp_lead, occurred_at=start - datetime.timedelta(minutes=14))  # to the minute
    with pytest.raises(services.PatrolRefused, match="outside the patrol's time on the water"):
        services.waters_segment_add(by=world.rcmp_lead.user, patrol=underway, country="CA",
                                    starts_at=start - datetime.timedelta(hours=2), directing_officer=world.rcmp_lead)
    services.patrol_complete(by=world.rcmp_lead.user, patrol=underway)
    # A patrol that was on the water from five hours ago to two hours ago, its log written after its return: within
    # its time, accepted; after its end, refused.
    now = timezone.now()
    Patrol.objects.filter(pk=underway.pk).update(actual_start=now - datetime.timedelta(hours=5),
                                                 actual_end=now - datetime.timedelta(hours=2))
    ended = Patrol.objects.get(pk=underway.pk)
    boarding(world, ended, world.rcmp_lead, occurred_at=ended.actual_end - datetime.timedelta(minutes=1))
    with pytest.raises(services.PatrolRefused, match=r"outside the patrol's time on the water \(.* to .*\)"):
        boarding(world, ended, world.rcmp_lead, occurred_at=ended.actual_end + datetime.timedelta(minutes=20))
    assert Activity.objects.count() == 2


def test_a_boarding_directed_by_an_officer_whose_designation_is_suspended_is_refused(client, world, underway):
    services_core.designation_set_status(by=world.uscg_admin.user, designation=world.designations[world.rcmp_lead.pk],
                                         status="suspended", reason="Under review")
    body = {"kind": "boarding", "occurred_at": timezone.now().isoformat(), "waters": "CA",
            "directing_officer": world.rcmp_lead.pk, "target_name": "Night Hawk"}
    answer = api(world.rcmp_lead.user).post(reverse("shiprider_api:patrol_activities", args=[underway.pk]), body,
                                            format="json")
    assert answer.status_code == 400
    assert "Cpl Luc Bouchard (RCMP) holds no active ShipRider designation on" in answer.json()["errors"][
        "non_field_errors"][0]
    client.force_login(world.rcmp_cox.user)
    refused = client.post(reverse("shiprider:patrol_activity", args=[underway.pk]), {
        "activity-kind": "boarding", "activity-occurred_at": site_time(underway, timezone.now()),
        "activity-waters": "CA", "activity-directing_officer": world.rcmp_lead.pk})
    assert refused.status_code == 400 and "they cannot direct" in refused.content.decode()
    with pytest.raises(services.PatrolRefused, match="holds no active ShipRider designation"):
        services.waters_segment_add(by=world.rcmp_cox.user, patrol=underway, country="CA",
                                    starts_at=timezone.now(), directing_officer=world.rcmp_lead)
    assert not Activity.objects.exists()
    # Another designated Canadian officer on board directs instead.
    assert client.post(reverse("shiprider:patrol_activity", args=[underway.pk]), {
        "activity-kind": "boarding", "activity-occurred_at": site_time(underway, timezone.now()),
        "activity-waters": "CA", "activity-directing_officer": world.rcmp_cox.pk}).status_code == 302


def test_the_case_from_a_boarding_carries_its_position_and_is_shared_with_the_partner_on_choice(
        client, world, underway, django_capture_on_commit_callbacks):
    from decimal import Decimal

    from partnerships.models import Notification, SharingDecision

    uscg, cbp = world.uscg, world.cast.bob.officer.agency
    kept = boarding(world, underway, world.rcmp_lead, latitude=Decimal("42.27130"), longitude=Decimal("-83.13460"),
                    place="Fighting Island, east channel")
    shared = boarding(world, underway, world.rcmp_lead, target_name="Sea Ghost")
    client.force_login(world.rcmp_lead.user)
    page = client.get(reverse("shiprider:patrol_detail", args=[underway.pk])).content.decode()
    assert "Share it with USCG, on the patrol (contribute)" in page
    client.post(reverse("shiprider:activity_case", args=[underway.pk, kept.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("shiprider:activity_case", args=[underway.pk, shared.pk]), {"share_with_partners": "on"})
    kept.refresh_from_db()
    shared.refresh_from_db()
    assert "Position: 42.27130, -83.13460; Fighting Island, east channel" in kept.case.summary
    assert access.level_of(uscg, kept.case) is None  # not asked: not shared
    assert access.level_of(uscg, shared.case) == AccessLevel.CONTRIBUTE
    decision = SharingDecision.objects.get(case=shared.case)
    assert (decision.decided_by, decision.purpose, list(decision.agencies.all())) == (
        world.rcmp_lead.user, "shiprider_framework", [uscg])
    assert Notification.objects.filter(recipient=world.uscg_bo.user, kind="case_shared").exists() or \
        Notification.objects.filter(kind="case_shared", case=shared.case).exists()
    # CBP (bob) and OPP (charlie) were not on the patrol: the cases are not theirs.
    for outsider in (world.cast.bob, world.cast.charlie):
        assert access.level_of(outsider.officer.agency, shared.case) is None
        client.force_login(outsider)
        assert client.get(shared.case.get_absolute_url()).status_code == 404
    assert access.level_of(cbp, kept.case) is None
