"""The grants' copy of their case's values stays right when a grant and a change of its case race (PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from partnerships import access
from partnerships.models import AccessLevel, JointCase

pytestmark = pytest.mark.django_db(transaction=True)

HOLD = 0.5  # seconds the first transaction keeps its lock: the second must wait for it, not miss it


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one transaction write at a time: nothing can race")


def in_thread_holding(work):
    """Run `work` in a transaction of another connection, keep it open HOLD seconds, then commit."""
    holding, failures = threading.Event(), []

    def run():
        try:
            with transaction.atomic():
                work()
                holding.set()
                time.sleep(HOLD)
        except Exception as error:  # reported by the test, not lost in the thread
            failures.append(error)
            holding.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    assert holding.wait(10)
    return thread, failures


def copies(case, agency):
    return set(case.grants.filter(group_id=agency.group_id).values_list(
        "case_updated_at", "case_program", "case_status"))


def values_of(case):
    case.refresh_from_db()
    return case.updated_at, case.program, case.status


def test_a_grant_made_while_its_case_changes_waits_and_copies_the_change(postgresql, alice, charlie, case):
    thread, failures = in_thread_holding(
        lambda: JointCase.objects.filter(pk=case.pk).update(status=JointCase.Status.CLOSED))
    started = time.monotonic()
    access.grant(case, charlie.officer.agency, AccessLevel.VIEW)  # waits for the change to commit
    thread.join()
    assert not failures
    assert time.monotonic() - started >= HOLD * 0.8
    assert copies(case, charlie.officer.agency) == {values_of(case)}
    assert values_of(case)[2] == JointCase.Status.CLOSED


def test_a_case_changed_while_a_grant_is_made_reaches_the_new_grant(postgresql, alice, charlie, case):
    thread, failures = in_thread_holding(lambda: access.grant(case, charlie.officer.agency, AccessLevel.VIEW))
    JointCase.objects.filter(pk=case.pk).update(status=JointCase.Status.ACTIVE)  # waits for the grant to commit
    thread.join()
    assert not failures
    assert copies(case, charlie.officer.agency) == {values_of(case)}
    assert values_of(case)[2] == JointCase.Status.ACTIVE


def test_two_sharing_decisions_on_one_case_wait_for_each_other_and_both_hold(postgresql, alice, bob, charlie, case):
    from partnerships.tests.factories import share, unshare

    thread, failures = in_thread_holding(lambda: unshare(case, bob.officer.agency, by=alice))
    started = time.monotonic()
    share(case, charlie.officer.agency, AccessLevel.VIEW, by=alice)  # waits for the revocation to commit
    thread.join()
    assert not failures
    assert time.monotonic() - started >= HOLD * 0.8
    assert access.level_of(bob.officer.agency, case) is None
    assert access.level_of(charlie.officer.agency, case) == AccessLevel.VIEW
    assert copies(case, alice.officer.agency) | copies(case, charlie.officer.agency) == {values_of(case)}
