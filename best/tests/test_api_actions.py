"""The investigation page's forms, opening an investigation and the unit roster through the API (issue 21), with the
page's services, rules and messages. In the BEST world the HSI agent leads the case, alice (RCMP) contributes,
bob's CBP is a unit member the case is not shared with, and charlie's OPP has nothing: 404 and no trace."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from best.models import Charge, Conviction, Investigation, Membership, MlatRequest, Referral, TargetOrganization
from partnerships.models import AccessLevel, AuditEvent, JointCase
from partnerships.tests.factories import share
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def post(user, name, investigation, body, *args):
    return api(user).post(reverse(f"best_api:{name}", args=[investigation.case.reference, *args]), body,
                          format="json")


def recorded_through_api(investigation, record):
    return AuditEvent.objects.filter(door=AuditEvent.Door.API, case=investigation.case, detail__record=record).exists()


# --- opening an investigation --------------------------------------------------------------------

def open_body(world, **extra):
    return {"unit": world.unit.pk, "title": "Sarnia ecstasy labs", "priorities": ["narcotics", "narcotics"],
            "foreign_nexus": "Precursors from Ontario", **extra}


def test_alice_opens_an_investigation_in_her_unit(world):
    response = api(world.cast.alice).post(reverse("best_api:investigation_list"), open_body(world), format="json")
    assert response.status_code == 201, response.content
    investigation = Investigation.objects.get(case__reference=response.json()["reference"])
    assert investigation.case.lead_agency.acronym == "RCMP" and investigation.priorities == ["narcotics"]
    assert recorded_through_api(investigation, "investigation")


def test_an_investigation_without_a_priority_or_foreign_nexus_is_refused_by_field(world):
    response = api(world.cast.alice).post(reverse("best_api:investigation_list"),
                                          open_body(world, foreign_nexus="  ", priorities=[]), format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"foreign_nexus", "priorities"}
    assert not JointCase.objects.filter(program="best").exists()


def test_charlie_cannot_open_one_in_a_unit_he_is_not_in(world):
    response = api(world.cast.charlie).post(reverse("best_api:investigation_list"), open_body(world), format="json")
    assert response.status_code == 400 and response.json()["errors"] == {"unit": ["Unknown unit."]}
    assert not JointCase.objects.filter(program="best").exists()


# --- the investigation's records ---------------------------------------------------------------

def test_alice_records_a_target_its_member_a_charge_and_a_conviction(world, investigation):
    target = post(world.cast.alice, "targets", investigation, {"name": "Silva network", "kind": "smuggling"})
    assert target.status_code == 201, target.content
    linked = post(world.cast.alice, "targets", investigation, {"name": "Windsor crew", "kind": "gang",
                                                               "linked": [target.json()["id"]]})
    assert linked.json()["linked"] == [target.json()["id"]]
    member = post(world.cast.alice, "members", investigation, {"organization": target.json()["id"],
                                                               "person": investigation.person.pk, "role": "Courier"})
    assert member.status_code == 201 and member.json()["person"] == "Marco Silva"
    charge = post(world.cast.alice, "charges", investigation, {
        "person": investigation.person.pk, "court": "E.D. Mich.", "jurisdiction": "Michigan",
        "charged_on": str(TODAY() - datetime.timedelta(days=10)), "counts": 3})
    assert charge.status_code == 201, charge.content
    conviction = post(world.cast.alice, "convictions", investigation, {
        "person": investigation.person.pk, "court": "E.D. Mich.", "convicted_on": str(TODAY()),
        "sentence": "36 months"})
    assert conviction.status_code == 201, conviction.content
    assert Charge.objects.get().recorded_by == world.cast.alice and Conviction.objects.count() == 1
    assert all(recorded_through_api(investigation, record) for record in ("target", "member", "charge", "conviction"))


def test_a_conviction_without_an_earlier_charge_is_refused_with_the_pages_message(world, investigation):
    response = post(world.cast.alice, "convictions", investigation, {
        "person": investigation.person.pk, "court": "E.D. Mich.", "convicted_on": str(TODAY()), "sentence": "x"})
    assert response.status_code == 400
    assert "no earlier indictment or charge" in response.json()["errors"]["non_field_errors"][0]
    assert not Conviction.objects.exists()


def test_a_person_of_another_case_is_refused_by_field(world, investigation):
    other = world.open(title="Another")
    stranger = other.case.subjects.create(kind="person", name="Stranger")
    response = post(world.cast.alice, "charges", investigation, {
        "person": stranger.pk, "court": "c", "jurisdiction": "j", "charged_on": str(TODAY()), "counts": 1})
    assert response.status_code == 400 and "person" in response.json()["errors"]
    assert not Charge.objects.exists()


def test_a_referral_is_recorded_then_decided(world, investigation):
    referred = post(world.cast.alice, "referrals", investigation, {
        "country": "US", "office": "USAO E.D. Mich.", "referred_on": str(TODAY() - datetime.timedelta(days=5))})
    assert referred.status_code == 201, referred.content
    too_early = post(world.cast.alice, "referral_decision", investigation, {
        "status": "accepted", "on": str(TODAY() - datetime.timedelta(days=9))}, referred.json()["id"])
    assert too_early.status_code == 400
    assert "cannot come before the referral" in too_early.json()["errors"]["non_field_errors"][0]
    decided = post(world.cast.alice, "referral_decision", investigation, {"status": "accepted", "on": str(TODAY())},
                   referred.json()["id"])
    assert decided.status_code == 201 and decided.json()["decided_on"] == str(TODAY())
    assert Referral.objects.get().status == "accepted"


def test_an_mlat_request_is_recorded_then_acknowledged(world, investigation):
    sent = post(world.cast.alice, "mlat_requests", investigation, {
        "requesting_country": "US", "asked": "Bank records", "sent_on": str(TODAY() - datetime.timedelta(days=3))})
    assert sent.status_code == 201, sent.content
    news = post(world.cast.alice, "mlat_news", investigation, {"status": "acknowledged", "on": str(TODAY())},
                sent.json()["id"])
    assert news.status_code == 201 and news.json()["acknowledged_on"] == str(TODAY())
    assert MlatRequest.objects.get().status == "acknowledged"


def test_a_referral_of_another_investigation_is_404(world, investigation):
    other = world.open(title="Another")
    referral = Referral.objects.create(investigation=other, country="US", office="USAO", referred_on=TODAY())
    response = post(world.cast.alice, "referral_decision", investigation, {"status": "accepted", "on": str(TODAY())},
                    referral.pk)
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "referred"


def test_the_lead_moves_the_stage_and_alice_contributing_gets_403(world, investigation):
    body = {"stage": "disrupted", "on": str(TODAY()), "note": "Two cells down"}
    assert post(world.cast.alice, "stage", investigation, body).status_code == 403
    response = post(world.agent.user, "stage", investigation, body)
    assert response.status_code == 201, response.content
    assert response.json()["stage"] == "disrupted"
    backwards = post(world.agent.user, "stage", investigation, {"stage": "initiated", "on": str(TODAY())})
    assert backwards.status_code == 400 and "moves forward" in backwards.json()["errors"]["non_field_errors"][0]


def test_bob_viewing_only_gets_403_writing(world, investigation):
    share(investigation.case, world.cast.bob.officer.agency, AccessLevel.VIEW, by=world.agent.user)
    response = post(world.cast.bob, "targets", investigation, {"name": "Silva network", "kind": "smuggling"})
    assert response.status_code == 403
    assert not TargetOrganization.objects.exists()


def test_charlie_gets_404_on_every_action_and_leaves_no_trace(world, investigation):
    referral = Referral.objects.create(investigation=investigation, country="US", office="USAO", referred_on=TODAY())
    calls = [("targets", {"name": "x", "kind": "gang"}, ()), ("stage", {"stage": "disrupted", "on": str(TODAY())}, ()),
             ("referral_decision", {"status": "accepted", "on": str(TODAY())}, (referral.pk,)),
             ("mlat_requests", {"requesting_country": "US", "asked": "x", "sent_on": str(TODAY())}, ())]
    for name, body, args in calls:
        response = post(world.cast.charlie, name, investigation, body, *args)
        assert response.status_code == 404, name
        assert investigation.case.title not in response.content.decode()
    assert not TargetOrganization.objects.exists() and not MlatRequest.objects.exists()
    referral.refresh_from_db()
    assert referral.status == "referred"


# --- the unit's roster -------------------------------------------------------------------------

def test_an_hsi_administrator_adds_bob_and_ends_his_membership(world):
    client = api(world.hsi_admin.user)
    added = client.post(reverse("best_api:unit_memberships", args=[world.unit.pk]), {
        "officer": world.cast.bob.officer.pk, "role": "special_agent", "starts_on": str(TODAY())}, format="json")
    assert added.status_code == 201, added.content
    assert added.json()["agency"] == "CBP"
    ended = client.post(reverse("best_api:membership_end", args=[world.unit.pk, added.json()["id"]]),
                        {"ends_on": str(TODAY() + datetime.timedelta(days=30))}, format="json")
    assert ended.status_code == 200, ended.content
    assert Membership.objects.get(pk=added.json()["id"]).ends_on == TODAY() + datetime.timedelta(days=30)
    assert AuditEvent.objects.filter(door=AuditEvent.Door.API, object_type="unit_membership").count() == 2


def test_a_task_force_officer_without_a_designation_is_refused_with_the_pages_message(world):
    response = api(world.hsi_admin.user).post(reverse("best_api:unit_memberships", args=[world.unit.pk]), {
        "officer": world.cast.bob.officer.pk, "role": "task_force_officer", "starts_on": str(TODAY())},
        format="json")
    assert response.status_code == 400 and response.json()["errors"]["non_field_errors"]
    assert not Membership.objects.filter(officer=world.cast.bob.officer).exists()


def test_alice_a_member_gets_403_and_charlie_404_on_the_roster(world):
    body = {"officer": world.cast.bob.officer.pk, "role": "special_agent", "starts_on": str(TODAY())}
    url = reverse("best_api:unit_memberships", args=[world.unit.pk])
    assert api(world.cast.alice).post(url, body, format="json").status_code == 403
    response = api(world.cast.charlie).post(url, body, format="json")
    assert response.status_code == 404 and "Detroit" not in response.content.decode()
    membership = Membership.objects.get(officer=world.agent)
    end = reverse("best_api:membership_end", args=[world.unit.pk, membership.pk])
    assert api(world.cast.charlie).post(end, {"ends_on": str(TODAY())}, format="json").status_code == 404
    assert not Membership.objects.filter(officer=world.cast.bob.officer).exists()
    membership.refresh_from_db()
    assert membership.ends_on is None
