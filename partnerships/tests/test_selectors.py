import pytest

from partnerships import selectors
from partnerships.models import JointCase
from partnerships.tests.factories import JointCaseFactory, share

pytestmark = pytest.mark.django_db


def total(counts):
    return sum(sum(by_status.values()) for by_status in counts.values())


@pytest.mark.parametrize("who, expected", [("alice", 1), ("bob", 1), ("charlie", 0)])
def test_counts_match_the_list_for_each_of_the_cast(cast, who, expected):
    user = getattr(cast, who)
    counts = selectors.case_counts(user=user)
    assert total(counts) == selectors.case_list(user=user).count() == expected


def test_counts_are_by_program_and_status(alice, bob):
    JointCaseFactory(by=alice, program="best")
    closed = JointCaseFactory(by=alice, program="best")
    JointCase.objects.filter(pk=closed.pk).update(status=JointCase.Status.CLOSED)
    counts = selectors.case_counts(user=alice)
    assert counts["best"] == {"open": 1, "active": 0, "closed": 1}
    assert counts["ibet"]["open"] == 1
    assert counts["shiprider"] == {"open": 0, "active": 0, "closed": 0}


def test_agencies_to_share_with_follow_releasability(alice, bob, charlie):
    case = JointCaseFactory(by=alice, releasability=JointCase.Releasability.CA_ONLY)
    acronyms = set(selectors.agencies_to_share_with(case=case).values_list("acronym", flat=True))
    assert acronyms == {"OPP"}  # not RCMP (holds it), not CBP (US)


def test_sharing_history_is_newest_first(alice, charlie, case):
    share(case, charlie.officer.agency, by=alice)
    history = list(selectors.case_sharing_history(case=case))
    assert [[a.acronym for a in d.agencies.all()] for d in history] == [["OPP"], ["CBP"]]
