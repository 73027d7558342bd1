import datetime

import pytest
from django.core import mail
from django.utils import timezone

from partnerships import services as core_services
from partnerships.models import AuditEvent, CrossDesignation, Notification
from partnerships.tests.factories import OfficerFactory
from shiprider import services
from shiprider.models import Patrol
from shiprider.tests.factories import ShipRiderWorld, designate

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return ShipRiderWorld(cast)


def schedule(world, crew=None, vessel=None, days_ahead=3, hours=8, by=None):
    start, end = world.window(days_ahead, hours)
    return services.patrol_schedule(by=by or world.rcmp_lead.user, site=world.site, vessel=vessel or world.vessel,
                                    planned_start=start, planned_end=end, crew=crew or world.crew())


def test_a_patrol_with_both_countries_and_active_designations_is_planned(world):
    patrol, warnings = schedule(world)
    assert patrol.crew.count() == 3
    assert warnings == []  # 2 hosts to 1 visitor is within the usual range
    assert AuditEvent.objects.filter(action="patrol.change", object_ref=str(patrol.pk)).exists()


def test_an_officer_whose_designation_expires_mid_patrol_is_refused_by_name(world):
    designation = world.designations[world.uscg_bo.pk]
    CrossDesignation.objects.filter(pk=designation.pk).update(valid_to=timezone.localdate()
                                                              + datetime.timedelta(days=3))
    with pytest.raises(services.PatrolRefused, match=r"designation of BM1 Marcus Reed \(USCG\) ends on"):
        schedule(world, days_ahead=3, hours=30)
    assert not Patrol.objects.exists()


def test_a_crew_without_a_us_officer_is_refused(world):
    with pytest.raises(services.PatrolRefused, match="no officer of the United States"):
        schedule(world, crew=[(world.rcmp_lead, "host_lead"), (world.rcmp_cox, "crew")])
    assert not Patrol.objects.exists()


def test_an_undesignated_officer_is_refused(world):
    newcomer = OfficerFactory(agency=world.uscg, first_name="New", last_name="Comer")
    with pytest.raises(services.PatrolRefused, match="New Comer .USCG. holds no active ShipRider designation"):
        schedule(world, crew=[*world.crew(), (newcomer, "crew")])


def test_an_officer_or_vessel_cannot_be_on_two_overlapping_patrols(world):
    schedule(world)
    with pytest.raises(services.PatrolRefused, match="Inkster is already on a patrol"):
        schedule(world)
    other = OfficerFactory(agency=world.uscg, user__username="other")
    designate(other, world.rcmp_admin.user)
    with pytest.raises(services.PatrolRefused, match="Luc Bouchard .RCMP. is already on a patrol"):
        schedule(world, vessel=world.us_vessel, crew=[(other, "host_lead"), (world.rcmp_lead, "crew")])
    assert Patrol.objects.count() == 1


def test_the_host_lead_is_of_the_vessels_country(world):
    with pytest.raises(services.PatrolRefused, match="exactly one host lead"):
        schedule(world, crew=[(world.rcmp_lead, "crew"), (world.uscg_bo, "host_lead")])


def test_charlie_cannot_plan_at_a_site_his_agency_is_not_member_of(world):
    with pytest.raises(services.PatrolRefused, match="member agencies plan"):
        schedule(world, by=world.cast.charlie)


def test_a_lopsided_crew_gets_a_warning_not_a_refusal(world):
    more = [OfficerFactory(agency=world.uscg, user__username=f"us{n}") for n in range(2)]
    for officer in more:
        designate(officer, world.rcmp_admin.user)
    patrol, warnings = schedule(world, crew=[*world.crew(), *[(o, "crew") for o in more]])
    assert warnings == ["The crew has 2 host officers to 3 visitors; the usual is 3 or 4 to 1."]
    assert patrol.pk


# --- designations ---------------------------------------------------------------------------------

def test_only_the_other_country_designates_for_shiprider(world):
    with pytest.raises(core_services.OfficerRefused, match="given by the other country"):
        designate(OfficerFactory(agency=world.vessel.owner), world.rcmp_admin.user)


def hsi_admin(world):
    """An administrator of HSI: a United States agency, but not the authority that designates Canadian officers."""
    from partnerships.models import Officer
    from partnerships.tests.factories import AgencyFactory

    hsi = AgencyFactory(acronym="HSI", name_en="Homeland Security Investigations", country="US")
    return OfficerFactory(agency=hsi, role=Officer.Role.AGENCY_ADMIN, user__username="hsi.sac").user


def test_a_shiprider_designation_of_a_canadian_officer_is_given_by_uscg_only(world):
    """The issue's hsi.agent designating an RCMP officer: the countries differ, but HSI is not the authority."""
    rcmp_officer = OfficerFactory(agency=world.vessel.owner, first_name="Nina", last_name="Roy")
    for by in (hsi_admin(world), world.rcmp_admin.user):
        with pytest.raises(core_services.OfficerRefused, match=r"USCG designates the officers of RCMP \(Canada\)"):
            designate(rcmp_officer, by)
    with pytest.raises(core_services.OfficerRefused, match="Only an administrator"):
        designate(rcmp_officer, world.uscg_bo.user)  # of the authority, but not its administrator
    assert not CrossDesignation.objects.filter(officer=rcmp_officer).exists()
    assert designate(rcmp_officer, world.uscg_admin.user).designating_agency == world.uscg
    us_officer = OfficerFactory(agency=world.uscg)
    with pytest.raises(core_services.OfficerRefused, match=r"RCMP designates the officers of USCG \(United States\)"):
        designate(us_officer, world.uscg_admin.user)
    assert designate(us_officer, world.rcmp_admin.user).designating_agency == world.rcmp_admin.agency


def test_the_designating_authorities_are_the_deployments_to_name(world, settings):
    settings.SHIPRIDER_DESIGNATING_AUTHORITIES = {"US": "RCMP", "CA": "HSI"}
    admin = hsi_admin(world)
    rcmp_officer = OfficerFactory(agency=world.vessel.owner)
    with pytest.raises(core_services.OfficerRefused, match="HSI designates the officers of RCMP"):
        designate(rcmp_officer, world.uscg_admin.user)
    assert designate(rcmp_officer, admin).designating_agency.acronym == "HSI"
    settings.SHIPRIDER_DESIGNATING_AUTHORITIES = {"US": "RCMP"}
    with pytest.raises(core_services.OfficerRefused,
                       match=r"No designating authority is named for the ShipRider officers of RCMP \(Canada\)"):
        designate(OfficerFactory(agency=world.vessel.owner), admin)


def test_only_the_authority_suspends_revokes_or_reinstates(world):
    designation = world.designations[world.rcmp_lead.pk]  # by USCG
    hsi = hsi_admin(world)
    for by in (hsi, world.rcmp_admin.user, world.cast.alice):
        for status in ("suspended", "revoked", "active"):
            with pytest.raises(core_services.OfficerRefused, match="designating authority"):
                core_services.designation_set_status(by=by, designation=designation, status=status, reason="x")
    designation.refresh_from_db()
    assert designation.status == "active"
    # A designation some other agency gave before the rule (as HSI did) is the authority's to revoke, not HSI's.
    stray = CrossDesignation.objects.create(
        officer=world.rcmp_cox, kind="shiprider", designating_agency=hsi.officer.agency, status="active",
        valid_from=timezone.localdate() + datetime.timedelta(days=400),
        valid_to=timezone.localdate() + datetime.timedelta(days=500))
    with pytest.raises(core_services.OfficerRefused, match="designating authority"):
        core_services.designation_set_status(by=hsi, designation=stray, status="suspended", reason="x")
    core_services.designation_set_status(by=world.uscg_admin.user, designation=stray, status="revoked",
                                         reason="Not given by the designating authority")
    stray.refresh_from_db()
    assert stray.status == "revoked"


def test_a_renewal_before_expiry_starts_when_the_designation_ends(world):
    designation = world.designations[world.uscg_bo.pk]
    today = timezone.localdate()
    CrossDesignation.objects.filter(pk=designation.pk).update(valid_to=today + datetime.timedelta(days=10))
    designation.refresh_from_db()
    with pytest.raises(core_services.OfficerRefused, match="already holds this designation.*renew it"):
        core_services.designation_grant(by=world.rcmp_admin.user, officer=world.uscg_bo, kind="shiprider",
                                        training_completed_on=today, valid_from=today,
                                        valid_to=today + datetime.timedelta(days=365))
    with pytest.raises(core_services.OfficerRefused, match="designating authority"):
        core_services.designation_renew(by=world.uscg_admin.user, designation=designation,
                                        valid_to=today + datetime.timedelta(days=375), training_completed_on=today)
    with pytest.raises(core_services.OfficerRefused, match="after the previous training"):
        core_services.designation_renew(by=world.rcmp_admin.user, designation=designation,
                                        valid_to=today + datetime.timedelta(days=375),
                                        training_completed_on=designation.training_completed_on)
    renewal = core_services.designation_renew(by=world.rcmp_admin.user, designation=designation,
                                              valid_to=today + datetime.timedelta(days=375),
                                              training_completed_on=today, training_course="Recertification")
    assert (renewal.renews, renewal.valid_from, renewal.status) == (
        designation, designation.valid_to + datetime.timedelta(days=1), "active")
    with pytest.raises(core_services.OfficerRefused, match="already been renewed"):
        core_services.designation_renew(by=world.rcmp_admin.user, designation=designation,
                                        valid_to=today + datetime.timedelta(days=400), training_completed_on=today)
    assert CrossDesignation.objects.filter(officer=world.uscg_bo).count() == 2


def test_consecutive_designations_cover_a_patrol_spanning_the_change(world, django_capture_on_commit_callbacks):
    designation = world.designations[world.uscg_bo.pk]
    today = timezone.localdate()
    CrossDesignation.objects.filter(pk=designation.pk).update(valid_to=today + datetime.timedelta(days=3))
    designation.refresh_from_db()
    with pytest.raises(services.PatrolRefused, match="Marcus Reed .USCG. ends on"):
        schedule(world, days_ahead=3, hours=30)
    renewal = core_services.designation_renew(by=world.rcmp_admin.user, designation=designation,
                                              valid_to=today + datetime.timedelta(days=300),
                                              training_completed_on=today)
    patrol, _warnings = schedule(world, days_ahead=3, hours=30)
    assert patrol.crew.get(officer=world.uscg_bo).designation == designation  # the one in force as it leaves
    # The renewal suspended: the planner of the patrol that relies on it (for its second day) hears of it.
    with django_capture_on_commit_callbacks(execute=True):
        core_services.designation_set_status(by=world.rcmp_admin.user, designation=renewal, status="suspended",
                                             reason="Under review")
    assert Notification.objects.filter(recipient=world.rcmp_lead.user, kind="patrol_at_risk").count() == 1


def test_designation_needs_training_first(world):
    today = timezone.localdate()
    with pytest.raises(core_services.OfficerRefused, match="training"):
        core_services.designation_grant(by=world.uscg_admin.user, officer=OfficerFactory(agency=world.vessel.owner),
                                        kind="shiprider", valid_from=today, valid_to=today, training_completed_on=None)


def test_an_expired_designation_turns_expired_by_itself_and_the_planners_hear(world,
                                                                              django_capture_on_commit_callbacks):
    patrol, _warnings = schedule(world, days_ahead=10)
    designation = world.designations[world.uscg_bo.pk]
    CrossDesignation.objects.filter(pk=designation.pk).update(valid_to=timezone.localdate())
    # The clock moves to the day after it ended: the beat task's run of that day.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    result = core_services.designations_daily(today=tomorrow)
    designation.refresh_from_db()
    assert designation.status == CrossDesignation.Status.EXPIRED
    assert result["expired"] == 1
    assert Notification.objects.filter(recipient=world.uscg_bo.user, kind="designation_expired").exists()
    planner_notice = Notification.objects.get(recipient=world.rcmp_lead.user, kind="patrol_at_risk")
    assert planner_notice.detail["url"].endswith(f"/shiprider/patrols/{patrol.pk}/")
    assert core_services.designations_daily(today=tomorrow)["expired"] == 0  # idempotent


def test_reminders_go_out_60_30_and_7_days_ahead_once_each(world):
    designation = world.designations[world.rcmp_cox.pk]
    today = timezone.localdate()
    CrossDesignation.objects.filter(pk=designation.pk).update(valid_to=today + datetime.timedelta(days=61),
                                                              reminders_sent=[])
    sent = []
    for day in range(0, 62):
        core_services.designations_daily(today=today + datetime.timedelta(days=day))
        notices = Notification.objects.filter(designation=designation, kind="designation_expiring",
                                              recipient=world.rcmp_cox.user)
        sent.append(notices.count())
    assert sent[0] == 0 and sent[1] == 1 and sent[31] == 2 and sent[54] == 3 and sent[-1] == 3
    assert any("expires on" in m.body for m in mail.outbox)


def test_the_beat_task_expires_designations_on_a_frozen_clock(world, django_capture_on_commit_callbacks):
    import time_machine

    from partnerships.tasks import designations_daily_task

    patrol, _warnings = schedule(world, days_ahead=10)
    designation = world.designations[world.uscg_bo.pk]
    CrossDesignation.objects.filter(pk=designation.pk).update(valid_to=timezone.localdate()
                                                              + datetime.timedelta(days=5))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6), tick=False):
        designations_daily_task.delay()
    designation.refresh_from_db()
    assert designation.status == CrossDesignation.Status.EXPIRED
    assert Notification.objects.filter(recipient=world.rcmp_lead.user, kind="patrol_at_risk").count() == 1
