"""The counts the grants' triggers keep (models.GrantCount, migration 0008) equal a count of the grants after
every kind of write, from a service to raw SQL, when many transactions share at once, and after their rows are
folded (PostgreSQL)."""

import collections
import threading
import time

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.db.models import Count, Sum
from guardian.shortcuts import assign_perm, remove_perm

from partnerships import access, services, tasks
from partnerships.models import (
    AccessLevel,
    GrantCount,
    JointCase,
    JointCaseGroupObjectPermission,
    Purpose,
    Team,
)
from partnerships.tests.factories import AgencyFactory, JointCaseFactory, share, unshare

HOLD = 0.5  # seconds the team share pauses between its two members


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the counts are kept on PostgreSQL; on SQLite they are read from the grants")


def kept():
    rows = GrantCount.objects.values_list("group_id", "permission_id", "program", "status").annotate(n=Sum("n"))
    return {(group, permission, program, status): n for group, permission, program, status, n in rows if n}


def counted():
    rows = JointCaseGroupObjectPermission.objects.values_list(
        "group_id", "permission_id", "case_program", "case_status").annotate(n=Count("*")).order_by()
    return {(group, permission, program, status): n for group, permission, program, status, n in rows}


def dashboard(user):
    return {(row["program"], row["status"]): row["n"] for row in access.visible_case_counts(user)}


def visible(user):
    return collections.Counter(access.cases_visible_to(user).values_list("program", "status"))


@pytest.mark.django_db
def test_the_counts_follow_every_write_to_the_grants(postgresql, alice, bob, charlie, case):
    bobs, charlies = bob.officer.agency, charlie.officer.agency
    other = JointCaseFactory(by=alice, program="best")
    writes = [
        ("a case opened", lambda: JointCaseFactory(by=alice, program="shiprider")),
        ("a share", lambda: share(other, bobs, AccessLevel.VIEW, by=alice)),
        ("a level raised", lambda: share(other, bobs, AccessLevel.MANAGE, by=alice)),
        ("a level lowered", lambda: share(other, bobs, AccessLevel.CONTRIBUTE, by=alice)),
        ("a status changed by the service", lambda: services.case_update(
            case=other, by=alice, status=JointCase.Status.ACTIVE)),
        ("a title changed (no count moves)", lambda: services.case_update(case=other, by=alice, title="Renamed")),
        ("a bulk update", lambda: JointCase.objects.filter(pk__in=[case.pk, other.pk]).update(
            status=JointCase.Status.CLOSED, program="ibet")),
        ("guardian's assign_perm", lambda: assign_perm("partnerships.view_jointcase", charlies.group, other)),
        ("guardian's remove_perm", lambda: remove_perm("partnerships.view_jointcase", charlies.group, other)),
        ("an unshare", lambda: unshare(other, bobs, by=alice)),
        ("raw SQL", lambda: connection.cursor().execute(
            f"INSERT INTO {JointCaseGroupObjectPermission._meta.db_table} (group_id, permission_id, content_object_id)"
            " VALUES (%s, %s, %s)", [charlies.group_id, access._permission_id(AccessLevel.VIEW), other.pk])),
        ("grants deleted in bulk", lambda: case.grants.filter(group_id=bobs.group_id).delete()),
    ]
    for name, write in writes:
        write()
        assert kept() == counted(), name
        for user in (alice, bob, charlie):
            assert dashboard(user) == visible(user), (name, user.username)
    assert dashboard(charlie) == {("ibet", JointCase.Status.CLOSED): 1}  # the raw grant on `other`, no more


@pytest.mark.django_db
def test_charlie_has_no_counts_for_a_case_not_shared_with_him(postgresql, charlie, case):
    assert not GrantCount.objects.filter(group_id=charlie.officer.agency.group_id).exists()
    assert access.visible_case_counts(charlie) == []


@pytest.mark.django_db
def test_the_dashboard_reads_its_counts_in_one_query(postgresql, django_assert_num_queries, bob, case):
    bob.officer.agency  # noqa: B018 - who is asking is known before the counts are read
    with django_assert_num_queries(1):
        assert dashboard(bob) == {(case.program, case.status): 1}


@pytest.mark.django_db(transaction=True)
def test_many_transactions_sharing_with_one_agency_at_once_lose_no_count(postgresql, alice, bob):
    cases = [JointCaseFactory(by=alice, program="ibet") for _ in range(12)]
    start, failures = threading.Barrier(4), []

    def share_some(some):
        try:
            start.wait(10)
            for one in some:
                with transaction.atomic():  # one decision per case: its lock, its grants, its counts
                    share(one, bob.officer.agency, AccessLevel.VIEW, by=alice)
                    JointCase.objects.filter(pk=one.pk).update(status=JointCase.Status.ACTIVE)
        except Exception as error:  # reported by the test, not lost in the thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=share_some, args=(cases[n::4],)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures
    assert kept() == counted()
    assert dashboard(bob)[("ibet", JointCase.Status.ACTIVE)] == 12


@pytest.mark.django_db(transaction=True)
def test_a_team_share_and_a_status_change_touching_the_same_counts_do_not_deadlock(postgresql, monkeypatch, alice):
    """A team share grants its members one statement each (in acronym order); a status change moves the counts of
    every agency holding its case in one statement (in group order). Were a count a row that both update, the share
    would hold one agency's count while the change held the other's, each waiting for the other (it did, until the
    counts became rows that are only ever inserted)."""
    # Created so that acronym order (AAA, ZZZ) is the reverse of group order (ZZZ's group first).
    zzz, aaa = AgencyFactory(acronym="ZZZ"), AgencyFactory(acronym="AAA")
    assert zzz.group_id < aaa.group_id
    team = Team.objects.create(kind=Team.Kind.IBET_TEAM, name="Both")
    team.member_agencies.set([zzz, aaa])
    changing, shared = (JointCaseFactory(by=alice, program="ibet") for _ in range(2))
    for agency in (zzz, aaa):
        share(changing, agency, AccessLevel.VIEW, by=alice)

    granted_once = threading.Event()
    plain_grant = access.grant

    def slow_grant(case, agency, level):  # the share pauses between its members, holding the first one's count
        plain_grant(case, agency, level)
        granted_once.set()
        time.sleep(HOLD)

    monkeypatch.setattr(access, "grant", slow_grant)
    failures = []

    def team_share():
        try:
            services.case_share(case=shared, team=team, level=AccessLevel.VIEW, purpose=Purpose.OTHER,
                                reason="Joint operation", by=alice, notify=False)
        except Exception as error:  # reported by the test, not lost in the thread
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=team_share)
    thread.start()
    assert granted_once.wait(10)
    try:
        with transaction.atomic():
            JointCase.objects.filter(pk=changing.pk).update(status=JointCase.Status.ACTIVE)
    except OperationalError as error:  # PostgreSQL's deadlock detector chose this side
        failures.append(error)
    thread.join(30)
    assert not failures
    assert kept() == counted()


@pytest.mark.django_db
def test_folding_leaves_one_row_per_count_and_the_same_counts(postgresql, alice, bob, charlie, case):
    other = JointCaseFactory(by=alice, program="best")
    for level in (AccessLevel.VIEW, AccessLevel.MANAGE, AccessLevel.CONTRIBUTE):
        share(other, bob.officer.agency, level, by=alice)
    unshare(other, bob.officer.agency, by=alice)
    before = kept()
    assert GrantCount.objects.count() > len(before)
    assert tasks.case_counts_fold_task.delay().get() > 0
    assert kept() == before == counted()
    assert GrantCount.objects.count() == len(before)  # one row each; a count back to zero leaves none
    assert tasks.case_counts_fold_task.delay().get() == 0  # nothing left to fold
    assert dashboard(bob) == visible(bob) and dashboard(charlie) == {}


@pytest.mark.django_db(transaction=True)
def test_a_share_committed_while_the_counts_are_folded_is_not_lost(postgresql, alice, bob):
    cases = [JointCaseFactory(by=alice, program="ibet") for _ in range(3)]
    share(cases[0], bob.officer.agency, AccessLevel.VIEW, by=alice)
    sharing, shared, failures = threading.Event(), threading.Event(), []

    def share_and_hold():
        try:
            with transaction.atomic():  # written before the fold starts, committed while it runs
                share(cases[1], bob.officer.agency, AccessLevel.VIEW, by=alice)
                sharing.set()
                assert shared.wait(10)
        except Exception as error:  # reported by the test, not lost in the thread
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=share_and_hold)
    thread.start()
    assert sharing.wait(10)
    with transaction.atomic():
        access.fold_case_counts()
        shared.set()
        time.sleep(HOLD)  # the share commits before the fold does
    thread.join(10)
    assert not failures
    share(cases[2], bob.officer.agency, AccessLevel.VIEW, by=alice)
    access.fold_case_counts()
    assert kept() == counted()
    assert dashboard(bob) == visible(bob)
    assert set(cases) <= set(access.cases_visible_to(bob))
