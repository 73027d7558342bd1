import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import CrossDesignation
from shiprider.models import Patrol
from shiprider.tests.factories import ShipRiderWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return ShipRiderWorld(cast)


def form(world, crew, start=None, hours=8):
    start = start or (timezone.localtime(timezone.now()) + datetime.timedelta(days=3)).replace(tzinfo=None)
    data = {"site": world.site.pk, "vessel": world.vessel.pk, "planned_start": start.strftime("%Y-%m-%dT%H:%M"),
            "planned_end": (start + datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M"), "notes": "",
            "crew-TOTAL_FORMS": "6", "crew-INITIAL_FORMS": "0", "crew-MIN_NUM_FORMS": "0", "crew-MAX_NUM_FORMS": "12"}
    for index in range(6):
        officer, role = crew[index] if index < len(crew) else (None, "crew")
        data[f"crew-{index}-officer"] = officer.pk if officer else ""
        data[f"crew-{index}-role"] = role
    return data


def test_planning_a_patrol_through_the_page(client, world):
    client.force_login(world.rcmp_lead.user)
    response = client.post(reverse("shiprider:patrol_schedule"), form(world, world.crew()))
    patrol = Patrol.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("shiprider:patrol_detail",
                                                                           args=[patrol.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Marcus" in page and "Inkster" in page


def test_times_are_the_sites_local_times(client, world):
    from zoneinfo import ZoneInfo

    officer = world.rcmp_lead
    officer.time_zone = "America/Vancouver"  # the planner is elsewhere: the form still means Windsor time
    officer.save()
    client.force_login(officer.user)
    start = (timezone.now() + datetime.timedelta(days=5)).replace(tzinfo=None, hour=18, minute=0, second=0,
                                                                  microsecond=0)
    client.post(reverse("shiprider:patrol_schedule"), form(world, world.crew(), start=start))
    patrol = Patrol.objects.get()
    assert patrol.planned_start == start.replace(tzinfo=ZoneInfo("America/Toronto"))


def test_a_refused_patrol_says_why_and_saves_nothing(client, world):
    CrossDesignation.objects.filter(officer=world.uscg_bo).update(valid_to=timezone.localdate())
    client.force_login(world.rcmp_lead.user)
    response = client.post(reverse("shiprider:patrol_schedule"), form(world, world.crew()))
    assert "BM1 Marcus Reed (USCG)" in response.content.decode()
    assert not Patrol.objects.exists()


def test_bad_input_gets_a_message(client, world):
    client.force_login(world.rcmp_lead.user)
    data = form(world, world.crew())
    data["planned_start"] = "tomorrow"
    response = client.post(reverse("shiprider:patrol_schedule"), data)
    assert "Enter a valid date/time." in response.content.decode()
    assert not Patrol.objects.exists()


def test_charlie_sees_none_of_the_sites_patrols(client, world):
    client.force_login(world.rcmp_lead.user)
    client.post(reverse("shiprider:patrol_schedule"), form(world, world.crew()))
    patrol = Patrol.objects.get()
    for outsider in (world.cast.charlie, world.cast.bob):
        client.force_login(outsider)
        listing = client.get(reverse("shiprider:patrol_list"))
        assert listing.context["page"].paginator.count == 0
        assert "Inkster" not in listing.content.decode()
        assert client.get(reverse("shiprider:patrol_detail", args=[patrol.pk])).status_code == 404
        assert "Windsor" not in client.get(reverse("shiprider:patrol_schedule")).content.decode()
    client.force_login(world.uscg_bo.user)
    assert client.get(reverse("shiprider:patrol_detail", args=[patrol.pk])).status_code == 200


def test_patrol_list_query_count_is_pinned(client, world, django_assert_max_num_queries):
    from shiprider import services

    for day in range(3, 9):
        start = timezone.now() + datetime.timedelta(days=day)
        services.patrol_schedule(by=world.rcmp_lead.user, site=world.site, vessel=world.vessel, planned_start=start,
                                 planned_end=start + datetime.timedelta(hours=4), crew=world.crew())
    client.force_login(world.rcmp_lead.user)
    with django_assert_max_num_queries(13):  # 12, and the read's audit record
        assert client.get(reverse("shiprider:patrol_list")).context["page"].paginator.count == 6


# --- the designation register --------------------------------------------------------------------

def test_the_register_shows_partners_designations_and_not_outsiders(client, world):
    client.force_login(world.cast.alice)
    names = {d.officer.last_name for d in client.get(reverse("partnerships:designation_list")).context["page"]}
    assert names == {"Bouchard", "McKenzie", "Reed"}
    client.force_login(world.cast.charlie)
    assert client.get(reverse("partnerships:designation_list")).context["page"].paginator.count == 0
    designation = CrossDesignation.objects.first()
    assert client.get(reverse("partnerships:designation_detail", args=[designation.pk])).status_code == 404


def test_the_register_filters_what_expires_soon(client, world):
    CrossDesignation.objects.filter(officer=world.rcmp_cox).update(valid_to=timezone.localdate()
                                                                   + datetime.timedelta(days=20))
    client.force_login(world.cast.alice)
    page = client.get(reverse("partnerships:designation_list"), {"expires_within": "30"}).context["page"]
    assert [d.officer.last_name for d in page] == ["McKenzie"]


def test_the_designating_agency_admin_designates_and_suspends(client, world):
    from partnerships.tests.factories import OfficerFactory

    newcomer = OfficerFactory(agency=world.vessel.owner, first_name="Nina", last_name="Roy")
    client.force_login(world.uscg_admin.user)
    today = timezone.localdate()
    response = client.post(reverse("partnerships:designation_create"), {
        "officer": newcomer.pk, "kind": "shiprider", "training_course": "FLETC",
        "training_completed_on": (today - datetime.timedelta(days=3)).isoformat(),
        "valid_from": today.isoformat(), "valid_to": (today + datetime.timedelta(days=365)).isoformat()})
    assert response.status_code == 302
    designation = CrossDesignation.objects.get(officer=newcomer)
    response = client.post(reverse("partnerships:designation_detail", args=[designation.pk]),
                           {"status": "suspended", "reason": "Under review"})
    designation.refresh_from_db()
    assert (designation.status, designation.status_reason) == ("suspended", "Under review")
    client.force_login(world.cast.alice)  # a member, not the designating agency's administrator
    assert client.post(reverse("partnerships:designation_detail", args=[designation.pk]),
                       {"status": "active", "reason": "x"}).status_code == 403
    assert client.get(reverse("partnerships:designation_create")).status_code == 404


def test_a_us_agency_that_is_not_the_authority_cannot_designate_a_canadian_officer_on_the_page(client, world):
    """The issue's door: an administrator of a United States agency other than USCG (here CBP, bob's agency, which
    works with RCMP in a team) designating an RCMP officer."""
    from partnerships.models import Officer, Team
    from partnerships.tests.factories import OfficerFactory

    rcmp, cbp = world.cast.alice.officer.agency, world.cast.bob.officer.agency
    Team.objects.create(name="Pacific", kind=Team.Kind.IBET_TEAM).member_agencies.set([rcmp, cbp])
    cbp_admin = OfficerFactory(agency=cbp, role=Officer.Role.AGENCY_ADMIN, user__username="cbp.admin").user
    today = timezone.localdate()
    data = {"officer": world.cast.alice.officer.pk, "kind": "shiprider", "training_course": "FLETC",
            "training_completed_on": (today - datetime.timedelta(days=3)).isoformat(),
            "valid_from": today.isoformat(), "valid_to": (today + datetime.timedelta(days=365)).isoformat()}
    client.force_login(cbp_admin)
    refused = client.post(reverse("partnerships:designation_create"), data)
    assert refused.status_code == 200
    assert "USCG designates the officers of RCMP (Canada), so CBP cannot designate Alice Lead." in \
        refused.content.decode()
    assert not CrossDesignation.objects.filter(officer=world.cast.alice.officer).exists()
    client.force_login(world.uscg_admin.user)
    assert client.post(reverse("partnerships:designation_create"), data).status_code == 302
    designation = CrossDesignation.objects.get(officer=world.cast.alice.officer)
    client.force_login(cbp_admin)  # sees it (a team partner's officer), may not change it
    assert client.get(reverse("partnerships:designation_detail", args=[designation.pk])).status_code == 200
    assert client.post(reverse("partnerships:designation_detail", args=[designation.pk]),
                       {"status": "revoked", "reason": "x"}).status_code == 403
    designation.refresh_from_db()
    assert designation.status == "active"


def test_the_authority_renews_a_designation_on_the_page(client, world):
    designation = world.designations[world.uscg_bo.pk]  # by RCMP
    today = timezone.localdate()
    detail = reverse("partnerships:designation_detail", args=[designation.pk])
    renew = reverse("partnerships:designation_renew", args=[designation.pk])
    client.force_login(world.uscg_admin.user)  # an administrator, not of the authority for US officers
    assert renew not in client.get(detail).content.decode()
    assert client.post(renew, {"valid_to": (today + datetime.timedelta(days=900)).isoformat(),
                               "training_completed_on": today.isoformat()}).status_code == 403
    client.force_login(world.cast.charlie)
    assert client.get(renew).status_code == 404
    client.force_login(world.rcmp_admin.user)
    assert renew in client.get(detail).content.decode()
    refused = client.post(renew, {"valid_to": designation.valid_to.isoformat(), "training_completed_on": "x"})
    assert refused.status_code == 200 and "Enter a valid date." in refused.content.decode()
    done = client.post(renew, {"valid_to": (designation.valid_to + datetime.timedelta(days=365)).isoformat(),
                               "training_course": "ShipRider recertification",
                               "training_completed_on": today.isoformat()})
    renewal = CrossDesignation.objects.get(renews=designation)
    assert done["Location"] == reverse("partnerships:designation_detail", args=[renewal.pk])
    assert renewal.valid_from == designation.valid_to + datetime.timedelta(days=1)
    page = client.get(detail).content.decode()
    assert "Renewed by" in page and renew not in page
