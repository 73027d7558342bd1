"""Task force officers serve under their own Title 19 designation, for at most two years at a time; the unit's members
are managed on a page by the administrators of HSI, which leads every unit. The cast: alice (RCMP) is a task force
officer of the Detroit unit under her own designation; bob's agency (CBP) is a member agency; charlie's (OPP) is not."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from best import services
from best.models import Arrest, Membership
from partnerships import services as core_services
from partnerships.models import AuditEvent, CrossDesignation, Officer
from partnerships.tests.factories import OfficerFactory
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


def today(days=0):
    return timezone.localdate() + datetime.timedelta(days=days)


def members_url(world):
    return reverse("best:unit_members", args=[world.unit.pk])


def add_form(officer, role="task_force_officer", designation=None, starts_on=None):
    return {"member-officer": officer.pk, "member-role": role, "member-starts_on": str(starts_on or today()),
            "member-ends_on": "", "member-designation": designation.pk if designation else ""}


def title19(world, officer, *, valid_from, valid_to):
    return core_services.designation_grant(
        by=world.hsi_admin.user, officer=officer, kind="title19", training_course="TFO course",
        training_completed_on=valid_from - datetime.timedelta(days=5), valid_from=valid_from, valid_to=valid_to)


# --- the designation must be the officer's own, active, and two years at most --------------------------------

def test_a_task_force_officer_cannot_join_under_another_officers_designation(client, world):
    """The issue's opp.detective accepted with the RCMP officer's designation: here bob (CBP) with alice's."""
    bob = world.cast.bob.officer
    with pytest.raises(services.BestRefused, match="not Bob Partner's own"):
        services.membership_add(by=world.hsi_admin.user, unit=world.unit, officer=bob, role="task_force_officer",
                                starts_on=today(), designation=world.designation)
    client.force_login(world.hsi_admin.user)
    refused = client.post(members_url(world), add_form(bob, designation=world.designation))
    assert refused.status_code == 400 and "This Title 19 designation is not Bob Partner&#x27;s own" in \
        refused.content.decode()
    assert not Membership.objects.filter(officer=bob).exists()


def test_a_task_force_officer_needs_a_designation_active_on_the_first_day(world):
    bob = world.cast.bob.officer
    designation = title19(world, bob, valid_from=today(30), valid_to=today(400))
    with pytest.raises(services.BestRefused, match="not active on"):
        services.membership_add(by=world.hsi_admin.user, unit=world.unit, officer=bob, role="task_force_officer",
                                starts_on=today(), designation=designation)
    with pytest.raises(services.BestRefused, match="serves under a Title 19 designation"):
        services.membership_add(by=world.hsi_admin.user, unit=world.unit, officer=bob, role="task_force_officer",
                                starts_on=today(30))
    with pytest.raises(services.BestRefused, match="Only a task force officer serves under"):
        services.membership_add(by=world.hsi_admin.user, unit=world.unit, officer=bob, role="special_agent",
                                starts_on=today(30), designation=designation)
    services.membership_add(by=world.hsi_admin.user, unit=world.unit, officer=bob, role="task_force_officer",
                            starts_on=today(30), designation=designation)
    assert Membership.objects.filter(officer=bob).count() == 1


def test_a_title19_designation_lasts_two_years_at_most(client, world):
    """The issue's designation from 2026-01-05 to 2031-12-31: refused when granted, by the service and the page."""
    bob = world.cast.bob.officer
    with pytest.raises(core_services.OfficerRefused, match="at most two years: this one may run to 2028-01-04"):
        title19(world, bob, valid_from=datetime.date(2026, 1, 5), valid_to=datetime.date(2031, 12, 31))
    client.force_login(world.hsi_admin.user)  # HSI works with CBP in the unit: bob is in its register
    refused = client.post(reverse("partnerships:designation_create"), {
        "officer": bob.pk, "kind": "title19", "training_course": "TFO", "training_completed_on": str(today(-10)),
        "valid_from": str(today()), "valid_to": str(today(365 * 3))})
    assert refused.status_code == 200 and "A Title 19 designation lasts at most two years" in \
        refused.content.decode()
    assert not CrossDesignation.objects.filter(officer=bob).exists()
    assert title19(world, bob, valid_from=datetime.date(2026, 1, 5), valid_to=datetime.date(2028, 1, 4))


def test_a_designation_longer_than_two_years_recorded_before_the_rule_is_not_accepted(world, investigation):
    """Such a designation, attached to a membership in the Django admin as before: refused for a new membership, and
    its holder records no arrest until it is recertified."""
    bob, cbp_user = world.cast.bob.officer, world.cast.bob
    long = CrossDesignation.objects.create(officer=bob, kind="title19", designating_agency=world.hsi, status="active",
                                           valid_from=today(-30), valid_to=today(365 * 5))
    with pytest.raises(services.BestRefused, match="longer than two years"):
        services.membership_add(by=world.hsi_admin.user, unit=world.unit, officer=bob, role="task_force_officer",
                                starts_on=today(), designation=long)
    Membership.objects.create(unit=world.unit, officer=bob, role="task_force_officer", starts_on=today(-30),
                              designation=long)
    from partnerships.models import AccessLevel
    from partnerships.tests.factories import share

    share(investigation.case, bob.agency, AccessLevel.CONTRIBUTE, by=world.agent.user)
    with pytest.raises(services.BestRefused, match="longer than two years"):
        services.arrest_record(by=cbp_user, investigation=investigation, subject=investigation.person,
                               arrested_on=today(), charging_country="US", nationality="Canadian")
    assert not Arrest.objects.exists()


def test_an_arrest_under_another_officers_designation_is_refused_by_the_service_and_the_api(world, investigation):
    """A membership recorded (in the Django admin, before this check) with alice's designation for bob."""
    from partnerships.models import AccessLevel
    from partnerships.tests.factories import share

    bob = world.cast.bob
    Membership.objects.create(unit=world.unit, officer=bob.officer, role="task_force_officer", starts_on=today(-10),
                              designation=world.designation)
    share(investigation.case, bob.officer.agency, AccessLevel.CONTRIBUTE, by=world.agent.user)
    with pytest.raises(services.BestRefused, match="not Bob Partner's own"):
        services.seizure_record(by=bob, investigation=investigation, seized_on=today(), category="drugs",
                                quantity=2, unit="kg")
    url = reverse("best_api:arrests", args=[investigation.case.reference])
    body = {"person": investigation.person.pk, "arrested_on": str(today()), "charging_country": "US",
            "nationality": "Canadian"}
    refused = api(bob).post(url, body, format="json")
    assert refused.status_code == 400 and "not Bob Partner's own" in refused.json()["errors"]["non_field_errors"][0]
    assert api(world.cast.alice).post(url, body, format="json").status_code == 201  # alice's own designation
    assert api(world.cast.charlie).post(url, body, format="json").status_code == 404
    assert Arrest.objects.count() == 1


def test_recertification_renews_a_task_force_officers_designation(world, investigation):
    alice = world.cast.alice
    CrossDesignation.objects.filter(pk=world.designation.pk).update(valid_to=today(5))
    world.designation.refresh_from_db()
    core_services.designation_renew(by=world.hsi_admin.user, designation=world.designation,
                                    valid_to=today(5 + 700), training_completed_on=today())
    # Past the first designation's end, the renewal (starting the day after) is the one in force.
    services.arrest_record(by=alice, investigation=investigation, subject=investigation.person,
                           arrested_on=today(10), charging_country="US", nationality="Canadian")
    with pytest.raises(core_services.OfficerRefused, match="at most two years"):
        core_services.designation_renew(by=world.hsi_admin.user, designation=world.designation.renewal,
                                        valid_to=today(5 + 700 + 800), training_completed_on=today(1))
    assert Arrest.objects.count() == 1


# --- the members page ----------------------------------------------------------------------------------------

def test_hsi_administrators_manage_the_units_members_on_a_page(client, world):
    bob = world.cast.bob.officer
    client.force_login(world.hsi_admin.user)
    page = client.get(members_url(world)).content.decode()
    assert "Add a member" in page and "Alice" in page
    added = client.post(members_url(world), add_form(bob, role="special_agent"))
    assert added.status_code == 302
    membership = Membership.objects.get(officer=bob)
    assert (membership.role, membership.starts_on, membership.designation) == ("special_agent", today(), None)
    assert AuditEvent.objects.filter(action="team.record", object_type="unit_membership",
                                     object_ref=str(membership.pk)).exists()
    twice = client.post(members_url(world), add_form(bob, role="special_agent"))
    assert twice.status_code == 400 and "already a member of Detroit BEST" in twice.content.decode()
    end = reverse("best:membership_end", args=[world.unit.pk, membership.pk])
    early = client.post(end, {f"end-{membership.pk}-ends_on": str(today(-1))})
    assert early.status_code == 400 and "cannot end before it starts" in early.content.decode()
    assert client.post(end, {f"end-{membership.pk}-ends_on": str(today(30))}).status_code == 302
    membership.refresh_from_db()
    assert membership.ends_on == today(30)


def test_other_members_see_the_roster_but_only_hsi_administrators_change_it(client, world):
    bob = world.cast.bob.officer
    membership = Membership.objects.get(officer=world.cast.alice.officer)
    end = reverse("best:membership_end", args=[world.unit.pk, membership.pk])
    rcmp_admin = OfficerFactory(agency=world.cast.alice.officer.agency, role=Officer.Role.AGENCY_ADMIN).user
    for reader in (world.cast.alice, world.agent.user, rcmp_admin):  # a member; an HSI agent; another admin
        client.force_login(reader)
        page = client.get(members_url(world))
        assert page.status_code == 200 and "Lead" in page.content.decode()
        assert "Add a member" not in page.content.decode() and end not in page.content.decode()
        assert client.post(members_url(world), add_form(bob, role="special_agent")).status_code == 403
        assert client.post(end, {f"end-{membership.pk}-ends_on": str(today())}).status_code == 403
    client.force_login(world.cast.charlie)  # OPP is not a member agency: the unit is not there for him
    assert client.get(members_url(world)).status_code == 404
    assert client.post(members_url(world), add_form(bob, role="special_agent")).status_code == 404
    assert client.post(end, {f"end-{membership.pk}-ends_on": str(today())}).status_code == 404
    assert not Membership.objects.filter(officer=bob).exists()
    membership.refresh_from_db()
    assert membership.ends_on is None
    with pytest.raises(services.BestRefused, match="Only an administrator of HSI"):
        services.membership_add(by=rcmp_admin, unit=world.unit, officer=bob, role="special_agent", starts_on=today())
