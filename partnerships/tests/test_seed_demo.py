from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from partnerships import selectors
from partnerships.models import AuditEvent, JointCase, Officer, SharingDecision
from partnerships.tests.test_selectors import total

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())


def snapshot():
    return [model.objects.count() for model in (JointCase, Officer, SharingDecision, AuditEvent)]


def test_seed_demo_twice_changes_nothing(demo, settings):
    before = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == before


def test_seed_demo_emails_nobody(settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("seed_demo", stdout=StringIO())
    assert callbacks == []
    assert mailoutbox == []


def test_seed_demo_refuses_without_debug_unless_forced(settings, django_user_model):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not django_user_model.objects.exists()
    call_command("seed_demo", "--force", stdout=StringIO())
    assert django_user_model.objects.filter(username="rcmp.analyst").exists()


def test_demo_has_the_required_agencies_and_accounts(demo, django_user_model):
    from partnerships.models import Agency

    acronyms = set(Agency.objects.values_list("acronym", flat=True))
    assert {"RCMP", "CBSA", "PS", "JUS", "OPP", "WPS", "NRPS", "AMPS", "USCG", "CBP", "ICE", "HSI", "DHS", "DOJ",
            "MSP", "NYSP", "WSP"} <= acronyms
    assert Agency.objects.get(acronym="HSI").parent.acronym == "ICE"
    assert Agency.objects.get(acronym="ICE").parent.acronym == "DHS"
    for username, agency in [("rcmp.analyst", "RCMP"), ("cbsa.officer", "CBSA"), ("opp.detective", "OPP"),
                             ("uscg.officer", "USCG"), ("cbp.agent", "CBP"), ("hsi.agent", "HSI"),
                             ("cbcf.secretariat", "PS")]:
        user = django_user_model.objects.get(username=username)
        assert user.check_password("portal-demo-2026")
        assert user.officer.agency.acronym == agency
    assert django_user_model.objects.get(username="portal.admin").is_superuser
    assert JointCase.objects.count() >= 24
    assert set(JointCase.objects.values_list("program", flat=True)) == {"shiprider", "ibet", "best"}


def test_each_demo_user_sees_only_cases_led_by_or_shared_with_their_agency(demo, django_user_model):
    seen = {}
    for username in ("rcmp.analyst", "hsi.agent", "cbp.agent", "opp.detective"):
        user = django_user_model.objects.get(username=username)
        agency = user.officer.agency
        cases = selectors.case_list(user=user)
        for case in cases:
            holders = {a for a, _level in selectors.case_shares(case=case)}
            assert agency in holders, f"{username} sees {case.reference} not shared with {agency.acronym}"
        expected = {c.reference for c in JointCase.objects.all()
                    if agency in {a for a, _level in selectors.case_shares(case=c)}}
        seen[username] = {c.reference for c in cases}
        assert seen[username] == expected
        assert total(selectors.case_counts(user=user)) == len(expected)
    assert seen["rcmp.analyst"] != seen["hsi.agent"]
    assert all(seen.values())


def test_the_demo_shows_a_deconfliction_hit_to_each_side_with_whom_to_call(demo, client, django_user_model):
    from django.urls import reverse

    from deconfliction.models import HitParty, PlannedEvent
    from partnerships.models import Notification

    assert PlannedEvent.objects.count() == 2
    others = {"rcmp.analyst": ("CBP", "+1 313 555 0177"), "cbp.agent": ("RCMP", "+1 613 555 0148")}
    for username, (other, phone) in others.items():
        user = django_user_model.objects.get(username=username)
        assert user.officer.is_deconfliction_contact
        parties = HitParty.objects.filter(agency=user.officer.agency)
        assert {party.hit.kind for party in parties} == {"subject", "event"}
        client.force_login(user)
        page = client.get(reverse("deconfliction:home")).content.decode()
        assert f"with a case of {other}" in page and f"with an operation of {other}" in page and phone in page
        notice = Notification.objects.get(recipient=user, kind=Notification.Kind.DECONFLICTION_HIT, read_at=None)
        assert other in client.get(reverse("partnerships:notifications")).content.decode()
        assert notice.detail["parties"] == sorted(parties.values_list("pk", flat=True))


def test_the_demo_has_signed_in_designating_authorities_and_a_task_force_officer(demo, django_user_model):
    from best.models import Membership
    from partnerships import access
    from partnerships.models import CrossDesignation

    for username, designates in (("rcmp.admin", "USCG"), ("uscg.admin", "RCMP")):
        user = django_user_model.objects.get(username=username)
        assert user.check_password("portal-demo-2026")
        designations = CrossDesignation.objects.filter(kind="shiprider", officer__agency__acronym=designates)
        assert designations and all(access.can_decide_designation(user, d) for d in designations)
    tfo = Membership.objects.get(officer__user__username="opp.detective", role="task_force_officer")
    assert tfo.designation.officer == tfo.officer and tfo.designation.kind == "title19"
