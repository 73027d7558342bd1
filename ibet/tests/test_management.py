"""IBET governance in pages and API (issue 21): a JMT representative is replaced (the serving one ends, the new one
starts, both kept, audited); the core agencies' administrators open regions and teams and change them; each member
agency's administrator assigns its officers; the team page shows member agencies and assigned officers. charlie
(OPP, no IBET team) finds nothing and changes nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ibet import services
from ibet.models import IbetTeam, JmtRepresentative, Region
from ibet.tests.factories import make_pacific
from partnerships.models import AuditEvent, Officer, Team
from partnerships.tests.factories import AgencyFactory, OfficerFactory
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def pacific(cast):
    return make_pacific(cast)


@pytest.fixture
def rcmp_admin(cast):
    return OfficerFactory(agency=cast.alice.officer.agency, role=Officer.Role.AGENCY_ADMIN,
                          user__username="rcmp.admin").user


@pytest.fixture
def alice_represents(pacific, rcmp_admin, cast):
    return services.jmt_representative_add(by=rcmp_admin, region=pacific.region, officer=cast.alice.officer)


# --- replacing a representative -------------------------------------------------------------------

def test_the_rcmp_administrator_replaces_alice_on_the_page(client, cast, pacific, rcmp_admin, alice_represents):
    successor = OfficerFactory(agency=cast.alice.officer.agency, first_name="Paul", last_name="Next")
    client.force_login(rcmp_admin)
    url = reverse("ibet:region_detail", args=[pacific.region.pk])
    assert "Replace my agency" in client.get(url).content.decode()
    response = client.post(url, {"form": "replace", "replace-officer": successor.pk})
    assert response.status_code == 302
    alice_represents.refresh_from_db()
    assert alice_represents.ended_on == timezone.localdate()
    current = JmtRepresentative.objects.current().get(region=pacific.region)
    assert current.officer == successor and current.started_on == timezone.localdate()
    event = AuditEvent.objects.filter(object_type="jmt_representative").latest("pk")
    assert event.detail["officer"] == {"old": cast.alice.officer.pk, "new": successor.pk}
    page = client.get(url).content.decode()
    assert "Paul Next (since" in page and "Alice Lead (since" not in page  # the serving one only
    assert services.jmt_missing(pacific.region) == ["CBSA", "CBP", "HSI", "USCG"]


def test_only_the_successor_records_meetings_now(cast, pacific, rcmp_admin, alice_represents):
    successor = OfficerFactory(agency=cast.alice.officer.agency)
    services.jmt_representative_replace(by=rcmp_admin, representative=alice_represents, officer=successor)
    with pytest.raises(services.IbetRefused, match="Only a representative"):
        services.management_meeting_record(by=cast.alice, region=pacific.region, held_on=timezone.localdate())
    services.management_meeting_record(by=successor.user, region=pacific.region, held_on=timezone.localdate())


def test_a_replacement_through_the_api_and_its_refusals(cast, pacific, rcmp_admin, alice_represents):
    url = reverse("ibet_api:region_representative_replace", args=[pacific.region.pk, alice_represents.pk])
    same = api(rcmp_admin).post(url, {"officer": cast.alice.officer.pk}, format="json")
    assert same.status_code == 400 and "already represents RCMP" in same.json()["errors"]["non_field_errors"][0]
    successor = OfficerFactory(agency=cast.alice.officer.agency)
    assert api(cast.alice).post(url, {"officer": successor.pk}, format="json").status_code == 400  # no admin
    response = api(rcmp_admin).post(url, {"officer": successor.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["officer"] == successor.pk and response.json()["ended_on"] is None
    again = api(rcmp_admin).post(url, {"officer": successor.pk}, format="json")
    assert again.status_code == 404  # alice's term has ended: not a serving representative
    assert JmtRepresentative.objects.filter(region=pacific.region).count() == 2
    assert AuditEvent.objects.filter(object_type="jmt_representative", door=AuditEvent.Door.API).count() == 1


def test_charlie_gets_404_replacing_in_a_region_he_has_no_team_in(cast, pacific, alice_represents):
    opp_admin = OfficerFactory(agency=cast.charlie.officer.agency, role=Officer.Role.AGENCY_ADMIN).user
    url = reverse("ibet_api:region_representative_replace", args=[pacific.region.pk, alice_represents.pk])
    response = api(opp_admin).post(url, {"officer": cast.charlie.officer.pk}, format="json")
    assert response.status_code == 404 and "Pacific" not in response.content.decode()
    assert JmtRepresentative.objects.current().get().officer == cast.alice.officer


# --- regions and teams ---------------------------------------------------------------------------

def team_body(cast, region, **extra):
    return {"name": "Champlain", "region": region.pk, "location": "Lacolle, QC / Champlain, NY",
            "time_zone": "America/Toronto", "member_agencies": ["RCMP", "CBP"], **extra}


def test_an_rcmp_administrator_opens_a_region_and_a_team_on_pages(client, cast, rcmp_admin):
    client.force_login(rcmp_admin)
    assert "Open a region" in client.get(reverse("ibet:team_list")).content.decode()
    assert client.post(reverse("ibet:region_create"), {"name": "St. Lawrence"}).status_code == 302
    region = Region.objects.get(name="St. Lawrence")
    data = {**team_body(cast, region), "member_agencies": [cast.alice.officer.agency.pk, cast.bob.officer.agency.pk]}
    response = client.post(reverse("ibet:team_create"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    team = IbetTeam.objects.get(team__name="Champlain")
    assert {a.acronym for a in team.team.member_agencies.all()} == {"RCMP", "CBP"}
    assert team.team.kind == Team.Kind.IBET_TEAM
    assert AuditEvent.objects.filter(object_type__in=["ibet_region", "ibet_team"]).count() == 2


def test_a_team_of_one_country_is_refused_and_nothing_saved(cast, rcmp_admin):
    region = services.region_create(by=rcmp_admin, name="Atlantic")
    response = api(rcmp_admin).post(reverse("ibet_api:team_list"),
                                    team_body(cast, region, member_agencies=["RCMP", "OPP"]), format="json")
    assert response.status_code == 400
    assert "both countries" in response.json()["errors"]["non_field_errors"][0]
    assert not IbetTeam.objects.exists() and not Team.objects.filter(name="Champlain").exists()


def test_officers_and_other_agencies_may_not_manage_regions(client, cast):
    client.force_login(cast.alice)
    assert client.get(reverse("ibet:region_create")).status_code == 403
    opp_admin = OfficerFactory(agency=cast.charlie.officer.agency, role=Officer.Role.AGENCY_ADMIN).user
    response = api(opp_admin).post(reverse("ibet_api:region_list"), {"name": "Mine"}, format="json")
    assert response.status_code == 400 and "core IBET agency" in response.json()["errors"]["non_field_errors"][0]
    assert not Region.objects.exists()


def test_the_team_is_changed_and_officers_assigned_through_the_api(cast, pacific, rcmp_admin):
    cbsa = AgencyFactory(acronym="CBSA", country="CA")
    url = reverse("ibet_api:team_detail", args=[pacific.pk])
    body = {"region": pacific.region.pk, "location": "Blaine / Surrey", "time_zone": "America/Vancouver",
            "member_agencies": ["RCMP", "CBP", "CBSA"]}
    assert api(cast.alice).put(url, body, format="json").status_code == 403
    changed = api(rcmp_admin).put(url, body, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["member_agencies"] == ["CBP", "CBSA", "RCMP"] and cbsa.pk
    event = AuditEvent.objects.filter(object_type="ibet_team").latest("pk")
    assert event.detail["changed"]["location"] == {"old": "Blaine, WA / Chilliwack, BC", "new": "Blaine / Surrey"}
    officers = reverse("ibet_api:team_officers", args=[pacific.pk])
    assigned = api(rcmp_admin).put(officers, {"officers": [cast.alice.officer.pk]}, format="json")
    assert assigned.status_code == 200, assigned.content
    assert [row["name"] for row in assigned.json()["officers"]] == ["Alice Lead"]
    foreign = api(rcmp_admin).put(officers, {"officers": [cast.bob.officer.pk]}, format="json")
    assert foreign.status_code == 400 and "officers" in foreign.json()["errors"]


def test_the_team_page_shows_member_agencies_and_assigned_officers(client, cast, pacific, rcmp_admin):
    services.team_officers_set(by=rcmp_admin, team=pacific, officers=[cast.alice.officer])
    client.force_login(cast.bob)
    page = client.get(reverse("ibet:team_dashboard", args=[pacific.pk])).content.decode()
    assert "Member agencies and assigned officers" in page and "Alice Lead" in page and "CBP" in page
    assert reverse("ibet:team_edit", args=[pacific.pk]) not in page


def test_charlie_finds_no_team_to_change_or_staff(client, cast, pacific):
    opp_admin = OfficerFactory(agency=cast.charlie.officer.agency, role=Officer.Role.AGENCY_ADMIN).user
    client.force_login(opp_admin)
    for name in ("ibet:team_edit", "ibet:team_officers", "ibet:team_dashboard"):
        assert client.get(reverse(name, args=[pacific.pk])).status_code == 404, name
    response = api(opp_admin).put(reverse("ibet_api:team_officers", args=[pacific.pk]),
                                  {"officers": [cast.charlie.officer.pk]}, format="json")
    assert response.status_code == 404 and "Pacific" not in response.content.decode()
    assert not pacific.officers.exists()
