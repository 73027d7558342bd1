import collections
import datetime

import pytest
from django.contrib.auth.models import Group, Permission

from partnerships import access
from partnerships.models import AccessLevel, JointCase
from partnerships.tests.factories import AgencyFactory, JointCaseFactory, OfficerFactory, UserFactory, share

pytestmark = pytest.mark.django_db


def visible(user, level=AccessLevel.VIEW):
    return set(access.cases_visible_to(user, level).values_list("reference", flat=True))


def test_alice_manages_the_case_her_agency_leads(alice, case):
    assert visible(alice, AccessLevel.MANAGE) == {case.reference}


def test_bob_sees_the_shared_case_at_view_level_only(bob, case):
    assert visible(bob) == {case.reference}
    assert visible(bob, AccessLevel.CONTRIBUTE) == set()
    assert visible(bob, AccessLevel.MANAGE) == set()


def test_charlie_sees_nothing(charlie, case):
    assert visible(charlie) == set()
    assert not access.can(charlie, case, AccessLevel.VIEW)


def test_levels_are_cumulative(alice, bob, case):
    share(case, bob.officer.agency, AccessLevel.CONTRIBUTE, by=alice)
    assert visible(bob, AccessLevel.CONTRIBUTE) == {case.reference}
    assert visible(bob) == {case.reference}
    assert access.level_of(bob.officer.agency, case) == AccessLevel.CONTRIBUTE


def test_every_officer_of_a_partner_agency_sees_the_case(bob, case):
    colleague = OfficerFactory(agency=bob.officer.agency).user
    assert visible(colleague) == {case.reference}


def test_model_wide_permissions_grant_nothing(charlie, case):
    """Agency groups never hold model-wide permissions, and no lookup would honour one if they did."""
    group = charlie.officer.agency.group
    group.permissions.add(*Permission.objects.filter(codename__endswith="_jointcase"))
    assert visible(charlie) == set()


def test_superuser_without_an_officer_sees_no_case(case):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert visible(admin) == set()


def test_inactive_officer_or_user_sees_nothing(bob, case):
    bob.officer.is_active = False
    bob.officer.save()
    assert visible(bob) == set()
    bob.officer.is_active = True
    bob.officer.save()
    bob.is_active = False
    bob.save()
    assert visible(bob) == set()


def test_inactive_agency_sees_nothing(bob, case):
    agency = bob.officer.agency
    agency.is_active = False
    agency.save()
    bob.refresh_from_db()
    assert visible(bob) == set()


def test_moving_an_officer_to_another_agency_moves_their_access(bob, charlie, case):
    officer = bob.officer
    officer.agency = charlie.officer.agency
    officer.save()
    assert visible(bob) == set()
    assert list(bob.groups.all()) == [charlie.officer.agency.group]


def test_agency_gets_its_own_group():
    agency = AgencyFactory(acronym="WPS")
    assert agency.group.name == "agency:WPS"
    assert Group.objects.get(agency=agency) == agency.group


def test_case_shares_lists_lead_first_with_levels(alice, bob, case):
    assert access.case_shares(case) == [
        (alice.officer.agency, AccessLevel.MANAGE),
        (bob.officer.agency, AccessLevel.VIEW),
    ]


def test_check_share_refuses_a_ca_only_case_to_a_us_agency(alice, bob):
    case = JointCaseFactory(by=alice, releasability=JointCase.Releasability.CA_ONLY)
    with pytest.raises(access.SharingRefused, match="cannot be shared with CBP"):
        access.check_share(case=case, agency=bob.officer.agency, level=AccessLevel.VIEW, by=alice)


def test_check_share_refuses_a_partner_who_only_views(bob, charlie, case):
    with pytest.raises(access.SharingRefused, match="Only an agency that manages"):
        access.check_share(case=case, agency=charlie.officer.agency, level=AccessLevel.VIEW, by=bob)


def test_h2_case_is_shared_only_by_the_lead_agency(alice, bob, charlie):
    case = JointCaseFactory(by=alice, handling_code=JointCase.HandlingCode.H2)
    share(case, bob.officer.agency, AccessLevel.MANAGE, by=alice)
    with pytest.raises(access.SharingRefused, match="only the lead agency"):
        access.check_share(case=case, agency=charlie.officer.agency, level=AccessLevel.VIEW, by=bob)


def test_visible_queryset_is_one_join_with_the_agencys_grants(alice, case, django_assert_num_queries):
    JointCaseFactory(by=alice)
    queryset = access.cases_visible_to(alice)
    sql = str(queryset.query).upper()
    assert "INNER JOIN \"PARTNERSHIPS_JOINTCASEGROUPOBJECTPERMISSION\"" in sql
    assert " IN (SELECT" not in sql
    with django_assert_num_queries(1):
        cases = list(queryset)
    # The lead agency holds three levels of each case, but the join is with one level's grants: once each.
    assert len(cases) == len({c.pk for c in cases}) == 2
    assert queryset.count() == 2


def copies(case):
    return set(case.grants.values_list("case_updated_at", "case_program", "case_status"))


def values_of(case):
    case.refresh_from_db()
    return {(case.updated_at, case.program, case.status)}


def test_a_grant_carries_its_cases_values_from_the_start(alice, bob, case):
    assert copies(case) == values_of(case)
    assert case.grants.filter(group=bob.officer.agency.group).exists()


def test_a_change_to_the_case_reaches_every_grant(alice, bob, case):
    case.title, case.status = "Renamed", JointCase.Status.ACTIVE
    case.save()
    assert copies(case) == values_of(case)
    later = case.updated_at + datetime.timedelta(hours=1)
    # bulk writes, outside the portal's services
    JointCase.objects.filter(pk=case.pk).update(updated_at=later, program="best")
    assert copies(case) == values_of(case) == {(later, "best", JointCase.Status.ACTIVE)}
    JointCase.objects.filter(pk=case.pk).update(status=JointCase.Status.CLOSED)
    assert copies(case) == values_of(case) == {(later, "best", JointCase.Status.CLOSED)}


def test_a_grant_written_with_other_values_is_corrected(alice, case):
    case.grants.update(case_updated_at=case.created_at - datetime.timedelta(days=30), case_program="ibet",
                       case_status=JointCase.Status.CLOSED)
    assert copies(case) == values_of(case)


def test_counts_come_from_the_grants_and_follow_the_cases(alice, bob, charlie, case):
    other = JointCaseFactory(by=alice, program="best")
    share(other, bob.officer.agency, AccessLevel.VIEW, by=alice)
    expected = collections.Counter((c.program, c.status) for c in JointCase.objects.filter(pk__in=[case.pk, other.pk]))
    assert {(r["program"], r["status"]): r["n"] for r in access.visible_case_counts(bob)} == expected
    JointCase.objects.filter(pk=other.pk).update(status=JointCase.Status.CLOSED)
    counted = {(r["program"], r["status"]): r["n"] for r in access.visible_case_counts(bob)}
    assert counted.get(("best", JointCase.Status.CLOSED)) == 1
    assert access.visible_case_counts(charlie) == []


def test_bob_sees_the_most_recently_changed_case_first(alice, bob, case):
    newer = JointCaseFactory(by=alice)
    share(newer, bob.officer.agency, AccessLevel.VIEW, by=alice)
    assert list(access.cases_visible_to(bob))[0] == newer
    case.title = "Changed again"
    case.save()
    assert [c.pk for c in access.cases_visible_to(bob)] == [case.pk, newer.pk]
    assert [c.pk for c in access.cases_visible_to(alice)] == [case.pk, newer.pk]


def test_a_lower_level_takes_away_the_higher_ones_and_a_higher_one_adds_them(alice, bob, case):
    agency = bob.officer.agency
    access.grant(case, agency, AccessLevel.MANAGE)
    assert visible(bob, AccessLevel.MANAGE) == {case.reference}
    access.grant(case, agency, AccessLevel.VIEW)
    assert access.level_of(agency, case) == AccessLevel.VIEW
    assert case.grants.filter(group=agency.group).count() == 1
    access.grant(case, agency, AccessLevel.CONTRIBUTE)
    assert access.level_of(agency, case) == AccessLevel.CONTRIBUTE
    assert visible(bob, AccessLevel.CONTRIBUTE) == {case.reference}
    assert visible(bob, AccessLevel.MANAGE) == set()


def test_granting_is_two_statements_whatever_the_level(alice, bob, case, django_assert_num_queries):
    for level in (AccessLevel.MANAGE, AccessLevel.VIEW, AccessLevel.CONTRIBUTE, AccessLevel.CONTRIBUTE):
        with django_assert_num_queries(2):
            access.grant(case, bob.officer.agency, level)
    assert access.level_of(bob.officer.agency, case) == AccessLevel.CONTRIBUTE
