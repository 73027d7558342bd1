"""The case page's actions through the API (issue 21): subjects, documents, and requests to the lead agency, with the
page's services, rules and messages. charlie (OPP, the case not shared with him) gets 404 and leaves no trace."""

import pytest
from django.urls import reverse

from partnerships import access
from partnerships.models import AccessLevel, AuditEvent, CaseDocument, CaseRequest, JointCase, Subject
from partnerships.tests import files
from partnerships.tests.factories import JointCaseFactory, share
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def attachments_root(settings, tmp_path):
    settings.ATTACHMENTS_ROOT = tmp_path / "attachments"


def url(name, case, *args):
    return reverse(f"api:{name}", args=[case.reference, *args])


# --- subjects -------------------------------------------------------------------------------------

def test_alice_adds_a_subject_and_is_told_who_else_holds_it(cast):
    other = JointCaseFactory(by=cast.charlie, title="OPP file")
    api(cast.charlie).post(url("case_subjects", other), {"kind": "vessel", "name": "Night Heron",
                                                         "registration": "ON-1234"}, format="json")
    response = api(cast.alice).post(url("case_subjects", cast.case), {"kind": "vessel", "name": "Night Heron",
                                                                      "registration": "ON-1234"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Night Heron" and body["kind"] == "vessel"
    assert any("OPP" in warning for warning in body["warnings"])
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SUBJECT_ADD, door=AuditEvent.Door.API,
                                     case=cast.case).exists()


def test_a_bad_phone_is_refused_with_the_pages_message_and_nothing_saved(cast):
    response = api(cast.alice).post(url("case_subjects", cast.case), {"kind": "phone", "name": "call me"},
                                    format="json")
    assert response.status_code == 400
    assert "is not a phone number" in response.json()["errors"]["non_field_errors"][0]
    assert not Subject.objects.filter(case=cast.case).exists()


def test_bob_with_view_only_gets_403_adding_a_subject(cast):
    response = api(cast.bob).post(url("case_subjects", cast.case), {"kind": "person", "name": "J. Doe"},
                                  format="json")
    assert response.status_code == 403
    assert not Subject.objects.exists()


def test_bob_contributing_adds_a_subject(cast):
    share(cast.case, cast.bob.officer.agency, AccessLevel.CONTRIBUTE, by=cast.alice)
    response = api(cast.bob).post(url("case_subjects", cast.case), {"kind": "person", "name": "J. Doe"},
                                  format="json")
    assert response.status_code == 201
    assert Subject.objects.get(case=cast.case).added_by == cast.bob


def test_charlie_gets_404_adding_a_subject_and_leaves_no_trace(cast):
    response = api(cast.charlie).post(url("case_subjects", cast.case), {"kind": "person", "name": "J. Doe"},
                                      format="json")
    assert response.status_code == 404
    assert cast.case.reference not in response.content.decode()
    assert not Subject.objects.exists()


# --- documents ------------------------------------------------------------------------------------

def test_alice_attaches_a_document(cast):
    response = api(cast.alice).post(url("case_documents", cast.case),
                                    {"file": files.upload("report.pdf", files.pdf)}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "report.pdf" and response.json()["agency"] == "RCMP"
    assert CaseDocument.objects.get(case=cast.case).uploaded_by == cast.alice


def test_a_file_of_a_refused_type_answers_400_on_the_file(cast):
    response = api(cast.alice).post(url("case_documents", cast.case),
                                    {"file": files.upload("run.exe", b"MZ\x90\x00binary")}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"]["file"]
    assert not CaseDocument.objects.exists()


def test_bob_with_view_only_cannot_attach_and_charlie_gets_404(cast):
    upload = {"file": files.upload("report.pdf", files.pdf)}
    assert api(cast.bob).post(url("case_documents", cast.case), upload, format="multipart").status_code == 403
    upload = {"file": files.upload("report.pdf", files.pdf)}
    assert api(cast.charlie).post(url("case_documents", cast.case), upload, format="multipart").status_code == 404
    assert not CaseDocument.objects.exists()


# --- requests to the lead agency -----------------------------------------------------------------

@pytest.fixture
def h2_case(cast):
    case = JointCaseFactory(by=cast.alice, handling_code=JointCase.HandlingCode.H2, title="H2 corridor")
    share(case, cast.bob.officer.agency, AccessLevel.MANAGE, by=cast.alice)
    return case


def ask_share(user, case, agency="OPP"):
    return api(user).post(url("case_request_share", case), {
        "target_agency": agency, "level": "view", "purpose": "ibet_mou", "reason": "Joint operation"}, format="json")


def test_bob_asks_and_alice_approves_onward_sharing_of_an_h2_case(cast, h2_case):
    response = ask_share(cast.bob, h2_case)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending" and response.json()["target_agency"] == "OPP"
    assert access.level_of(cast.charlie.officer.agency, h2_case) is None
    decided = api(cast.alice).post(url("case_request_decision", h2_case, response.json()["id"]),
                                   {"approve": True, "note": "Agreed"}, format="json")
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "approved"
    assert access.level_of(cast.charlie.officer.agency, h2_case) == AccessLevel.VIEW


def test_an_unknown_agency_is_refused_with_the_pages_message(cast, h2_case):
    response = ask_share(cast.bob, h2_case, agency="NOPE")
    assert response.status_code == 400
    assert "Choose an agency from the list" in response.json()["errors"]["target_agency"][0]
    assert not CaseRequest.objects.exists()


def test_the_lead_agency_cannot_ask_itself(cast, h2_case):
    assert ask_share(cast.alice, h2_case).status_code == 400
    assert not CaseRequest.objects.exists()


def test_bob_cannot_decide_his_own_request(cast, h2_case):
    filed = ask_share(cast.bob, h2_case).json()
    response = api(cast.bob).post(url("case_request_decision", h2_case, filed["id"]), {"approve": True},
                                  format="json")
    assert response.status_code == 403
    assert CaseRequest.objects.get().status == CaseRequest.Status.PENDING


def test_charlie_gets_404_asking_or_deciding_and_leaves_no_trace(cast, h2_case):
    filed = ask_share(cast.bob, h2_case).json()
    assert ask_share(cast.charlie, h2_case).status_code == 404
    response = api(cast.charlie).post(url("case_request_decision", h2_case, filed["id"]), {"approve": True},
                                      format="json")
    assert response.status_code == 404
    assert CaseRequest.objects.count() == 1 and CaseRequest.objects.get().status == CaseRequest.Status.PENDING


def test_bob_asks_for_court_release_of_an_h1_case_and_alice_declines(cast):
    case = JointCaseFactory(by=cast.alice, handling_code="H1")
    share(case, cast.bob.officer.agency, by=cast.alice)
    response = api(cast.bob).post(url("case_request_court_release", case), {
        "purpose": "mlat_request", "reason": "R. v. Doe, Windsor, file 123"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "court_release"
    decided = api(cast.alice).post(url("case_request_decision", case, response.json()["id"]),
                                   {"approve": False, "note": "Not yet"}, format="json")
    assert decided.json()["status"] == "declined" and decided.json()["decision_note"] == "Not yet"


def test_court_release_of_a_case_without_a_caveat_is_refused(cast):
    response = api(cast.bob).post(url("case_request_court_release", cast.case), {
        "purpose": "other", "reason": "x"}, format="json")
    assert response.status_code == 400
    assert "no evidence restriction" in response.json()["errors"]["non_field_errors"][0]
