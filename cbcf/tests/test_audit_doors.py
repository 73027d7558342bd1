"""Forum pages that name joint cases record them, through their door; charlie's read names none of alice's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cbcf import services
from cbcf.tests.factories import Forum
from partnerships import selectors as core_selectors
from partnerships.models import AccessLevel, AuditEvent
from partnerships.tests.factories import share
from partnerships.tests.records import written

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(cast):
    forum = Forum(cast)
    share(cast.case, forum.secretariat.officer.agency, AccessLevel.VIEW, by=cast.alice)  # the secretariat links it
    services.action_add(by=forum.secretariat, meeting=forum.meeting, text="Brief the task force", case=cast.case,
                        owner=cast.alice.officer.agency, due_on=timezone.localdate() + datetime.timedelta(days=30))
    return forum


def who_saw(case):
    return set(core_selectors.case_access_log(case=case).values_list("pk", flat=True))


@pytest.mark.parametrize("query, action, door", [({}, AuditEvent.Action.CASE_LIST, "page"),
                                                 ({"format": "csv"}, AuditEvent.Action.CASE_EXPORT, "export")])
def test_the_action_register_records_the_cases_it_names_through_its_door(client, alice, case, forum, query,
                                                                        action, door):
    client.force_login(alice)
    answer, records = written(lambda: client.get(reverse("cbcf:actions"), query))
    assert case.reference in answer.content.decode()
    assert [(r.action, r.door) for r in records] == [(action, door)]
    assert records[0].pk in who_saw(case)


def test_the_meeting_page_records_the_cases_its_actions_name(client, alice, bob, case, forum):
    client.force_login(alice)
    _page, records = written(lambda: client.get(reverse("cbcf:meeting_detail", args=[forum.meeting.pk])))
    assert [(r.door, r.object_type) for r in records] == [("page", "meeting")] and records[0].pk in who_saw(case)


def test_charlies_action_register_is_recorded_without_alices_case(client, charlie, case, forum):
    client.force_login(charlie)
    answer, records = written(lambda: client.get(reverse("cbcf:actions")))
    assert case.reference not in answer.content.decode()
    assert len(records) == 1 and records[0].pk not in who_saw(case)
