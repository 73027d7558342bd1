"""The audit trail: every event type recorded once and completely; the chain shows tampering."""

import zoneinfo
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships import audit, services
from partnerships.models import AccessLevel, AuditEvent, CaseRequest, JointCase
from partnerships.tests.factories import PASSWORD, JointCaseFactory, OfficerFactory, UserFactory, share
from portal.tasks import officers_inactive_task
from portal.tests.test_accounts import code_for
from shiprider.tests.factories import ShipRiderWorld
from shiprider.tests.test_views import form as patrol_form

pytestmark = pytest.mark.django_db

UA = "Mozilla/5.0 (audit test)"


def complete(event):
    """A record names who, when, where and what, through which door, with which outcome."""
    assert event.at is not None and event.at.microsecond is not None
    assert event.action in AuditEvent.Action.values
    assert event.door in AuditEvent.Door.values
    assert event.outcome in AuditEvent.Outcome.values
    assert len(event.request_id) == 32 or event.door == AuditEvent.Door.TASK or not event.request_id
    text = str(event.detail).lower()
    assert PASSWORD not in text and "password" not in text and "token" not in text
    return True


def test_every_event_type_is_recorded_once_and_completely(client, cast, alice, bob, charlie, case, settings,
                                                          django_capture_on_commit_callbacks, tmp_path):
    alice.officer.role = "agency_admin"
    alice.officer.save()
    h1 = JointCaseFactory(by=alice, handling_code="H1")
    h2 = JointCaseFactory(by=alice, handling_code="H2")
    share(h1, bob.officer.agency, AccessLevel.VIEW, by=alice)
    share(h2, bob.officer.agency, AccessLevel.MANAGE, by=alice)
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    headers = {"HTTP_USER_AGENT": UA, "HTTP_X_REQUEST_ID": "req-123", "REMOTE_ADDR": "10.9.8.7"}

    sign_in = {"username": "alice", "password": PASSWORD, "acknowledge": "on"}
    client.post(reverse("login"), {**sign_in, "password": "wrong-password"}, **headers)  # sign_in_failed
    client.post(reverse("login"), sign_in, **headers)  # sign_in
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code must not delay the right one below
    client.get(reverse("mfa_enrol"), **headers)
    device = TOTPDevice.objects.get(user=alice)
    client.post(reverse("mfa_enrol"), {"code": code_for(device)}, **headers)  # auth.mfa_enrol
    client.get(reverse("partnerships:case_list"), **headers)  # case.list
    client.get(case.get_absolute_url(), **headers)  # case.view
    client.get(reverse("partnerships:case_export"), {"q": "no-such-case"}, **headers).getvalue()  # case.export
    client.get(reverse("partnerships:case_print", args=[case.reference]), **headers)  # case.print
    client.post(reverse("partnerships:case_create"), {  # case.create
        "title": "Audit me", "program": "ibet", "releasability": "ca_us", "handling_code": "H0",
        "opened_at": "2026-11-01"}, **headers)
    new = JointCase.objects.get(title="Audit me")
    client.post(reverse("partnerships:case_edit", args=[new.reference]), {  # case.update
        "title": "Audit me too", "summary": "", "status": "open", "releasability": "ca_us", "handling_code": "H0"},
        **headers)
    client.post(reverse("partnerships:case_edit", args=[new.reference]), {  # case.update + case.close
        "title": "Audit me too", "summary": "", "status": "closed", "releasability": "ca_us",
        "handling_code": "H0"}, **headers)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partnerships:case_sharing", args=[new.reference]), {  # case.share + notify
            "agency": "OPP", "level": "view", "purpose": "other", "reason": "Audit"}, **headers)
    client.post(reverse("partnerships:case_unshare", args=[new.reference]), {  # case.unshare
        "agency": "OPP", "purpose": "other", "reason": "Audit done"}, **headers)
    client.get(reverse("partnerships:case_access_log", args=[case.reference]), **headers)  # audit.read
    client.post(reverse("partnerships:case_subject_add", args=[case.reference]),  # subject.add
                {"subject-kind": "person", "subject-name": "Jean Tremblay"}, **headers)
    settings.ATTACHMENTS_ROOT = tmp_path
    for content in (b"Vessel sighted", b"<html></html>"):  # document.upload, then document.refused
        client.post(reverse("partnerships:case_document_add", args=[case.reference]),
                    {"document-file": SimpleUploadedFile("notes.txt", content)}, **headers)
    client.get(reverse("partnerships:case_document_download",  # document.download
                       args=[case.reference, case.documents.get().pk]), **headers)
    client.post(reverse("partnerships:agency_officers"), {  # officer.invite
        "username": "newbie", "first_name": "New", "last_name": "Officer", "badge_number": "N-1",
        "email": "newbie@example.org", "preferred_language": "en", "time_zone": "America/Toronto",
        "role": "member"}, **headers)
    newbie = UserFactory._meta.model.objects.get(username="newbie").officer
    client.post(reverse("partnerships:agency_officer_edit", args=[newbie.pk]), {  # officer.update
        "first_name": "New", "last_name": "Officer", "badge_number": "N-1", "email": "newbie@example.org",
        "preferred_language": "en", "time_zone": "America/Toronto", "role": "supervisor"}, **headers)
    client.post(reverse("partnerships:agency_officer_set_active", args=[newbie.pk]),  # officer.deactivate
                {"active": "0", "reason": "Left"}, **headers)
    client.post(reverse("partnerships:agency_officer_set_active", args=[newbie.pk]),  # officer.reactivate
                {"active": "1"}, **headers)
    client.post(reverse("partnerships:agency_tokens"), {  # token.revoke (issued by a command: token.issue)
        "token": services.api_token_issue(user=alice)[0].pk}, **headers)
    client.post(reverse("partnerships:agency_officer_mfa_reset", args=[newbie.pk]), **headers)  # auth.mfa_reset
    client.post(reverse("logout"), **headers)  # sign_out
    for _attempt in range(5):  # auth.lock on the fifth
        client.post(reverse("login"), {"username": "newbie", "password": "wrong", "acknowledge": "on"}, **headers)
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD, "acknowledge": "on"}, **headers)
    client.post(reverse("mfa_verify"), {"code": "000000"}, **headers)  # auth.mfa_failed
    client.post(reverse("mfa_verify"), {"code": code_for(device, steps_ahead=1)}, **headers)  # auth.mfa_verify
    client.post(reverse("partnerships:agency_officer_unlock", args=[newbie.pk]), **headers)  # auth.unlock
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        client.get(reverse("home"), **headers)  # auth.session_expire
    User = UserFactory._meta.model
    idle = OfficerFactory(agency=alice.officer.agency, user__username="idle").user
    User.objects.filter(pk=idle.pk).update(last_login=timezone.now() - timedelta(days=100))
    officers_inactive_task.delay()  # officer.inactive

    client.force_login(charlie)
    client.get(case.get_absolute_url(), **headers)  # case.denied
    client.force_login(bob)
    client.post(reverse("partnerships:case_request_share", args=[h2.reference]), {  # request.file
        "target_agency": "OPP", "level": "view", "purpose": "ibet_mou", "reason": "Joint op"}, **headers)
    request = CaseRequest.objects.get(case=h2)
    client.force_login(alice)
    client.post(reverse("partnerships:case_request_decide", args=[h2.reference, request.pk]),  # request.decide
                {"approve": "no", "note": "Not now"}, **headers)
    world = ShipRiderWorld(cast)  # its setup writes without a request: not counted below
    newcomer = OfficerFactory(agency=alice.officer.agency, user__username="nina")
    client.force_login(world.uscg_admin.user)
    today = timezone.localdate()
    client.post(reverse("partnerships:designation_create"), {  # designation.change
        "officer": newcomer.pk, "kind": "shiprider", "training_course": "FLETC",
        "training_completed_on": str(today - timedelta(days=3)), "valid_from": str(today),
        "valid_to": str(today + timedelta(days=300))}, **headers)
    client.force_login(world.rcmp_lead.user)
    client.post(reverse("shiprider:patrol_schedule"), patrol_form(world, world.crew()), **headers)  # patrol.change
    client.get(reverse("shiprider:patrol_list"), **headers)  # team.list
    from shiprider.models import Patrol

    client.get(reverse("shiprider:patrol_detail", args=[Patrol.objects.latest("pk").pk]), **headers)  # team.view
    from ibet.models import IbetTeam, Region
    from partnerships.models import Team

    ibet_team = Team.objects.create(name="Pacific", kind=Team.Kind.IBET_TEAM)
    ibet_team.member_agencies.set([alice.officer.agency])
    pacific = IbetTeam.objects.create(team=ibet_team, region=Region.objects.create(name="Pacific"), location="Blaine",
                                      time_zone="America/Vancouver")
    client.force_login(alice)
    when = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("ibet:occurrence_create"), {  # team.record
        "team": pacific.pk, "occurred_at": when, "kind": "surveillance", "place": "Zero Avenue",
        "nearest_port": "Blaine", "persons_apprehended": "0", "narrative": "Camera hit"}, **headers)
    from deconfliction import services as deconfliction
    from deconfliction.models import HitParty

    soon = timezone.now() + timedelta(days=2)
    deconfliction.event_plan(by=charlie, kind="other", title="OPP op", latitude=42.27, longitude=-83.13,
                             radius_m=100, starts_at=soon, ends_at=soon + timedelta(hours=3))  # no request: not counted
    zone = zoneinfo.ZoneInfo(alice.officer.time_zone)  # the form reads times in the officer's zone
    here = timezone.localtime(soon, zone).strftime("%Y-%m-%dT%H:%M")
    later = timezone.localtime(soon + timedelta(hours=2), zone).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("deconfliction:event_plan"), {  # deconfliction.event + deconfliction.hit
        "kind": "other", "title": "Raid", "latitude": "42.271", "longitude": "-83.131", "radius_m": "100",
        "starts_at": here, "ends_at": later}, **headers)
    alices_side = HitParty.objects.get(agency=alice.officer.agency)
    client.post(reverse("deconfliction:hit_close", args=[alices_side.pk]),  # deconfliction.close
                {"outcome": "contacted"}, **headers)
    client.post("/api/v1/deconfliction/checks/", {"subject": {"kind": "phone", "name": "+1 313 555 0100"}},
                content_type="application/json", **headers)  # deconfliction.check
    from best.tests.factories import BestWorld

    best = BestWorld(cast)
    investigation = best.open()
    client.force_login(best.agent.user)
    client.post(reverse("best:investigation_action", args=[investigation.case.reference, "target"]),  # case.record
                {"target-name": "Silva organization", "target-kind": "cartel"}, **headers)
    secretariat = OfficerFactory(agency=alice.officer.agency, is_cbcf_secretariat=True, user__username="sec").user
    client.force_login(secretariat)
    client.post(reverse("cbcf:subgroups"), {"name_en": "Firearms", "name_fr": "Armes à feu",  # forum.record
                                            "canadian_co_chair": alice.officer.pk,
                                            "american_co_chair": bob.officer.pk}, **headers)
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    client.post(reverse("admin:partnerships_agency_change", args=[charlie.officer.agency.pk]), {  # admin.action
        "acronym": "OPP", "name_en": "Ontario Provincial Police", "name_fr": "Police provinciale de l'Ontario",
        "country": "CA", "level": "provincial", "jurisdiction": "ON", "is_active": "on"}, **headers)

    # force_login (used above to switch users) signs in without a request: keep this test's requests.
    events = AuditEvent.objects.filter(id__gt=start, detail__client_request_id="req-123") | AuditEvent.objects.filter(
        id__gt=start, action__in=[AuditEvent.Action.NOTIFY, AuditEvent.Action.TOKEN_ISSUE,
                                  AuditEvent.Action.OFFICER_DEACTIVATE_INACTIVE])
    seen = {}
    for event in events:
        seen.setdefault(event.action, []).append(event)
    assert set(seen) == set(AuditEvent.Action.values), set(AuditEvent.Action.values) - set(seen)
    for action, records in seen.items():
        assert all(complete(event) for event in records)
        if action not in (AuditEvent.Action.CASE_UPDATE, AuditEvent.Action.NOTIFY,
                          AuditEvent.Action.SIGN_IN, AuditEvent.Action.SIGN_IN_FAILED,
                          AuditEvent.Action.SIGN_OUT):  # the session expiry signs out too
            assert len(records) == 1, (action, [r.detail for r in records])
        if action not in (AuditEvent.Action.NOTIFY, AuditEvent.Action.TOKEN_ISSUE,
                          AuditEvent.Action.OFFICER_DEACTIVATE_INACTIVE):
            page_event = records[0]
            assert (page_event.ip_address, page_event.user_agent, page_event.detail["client_request_id"]) == (
                "10.9.8.7", UA, "req-123")
            assert len(page_event.request_id) == 32  # the portal's own id, the client's kept beside it
    assert len(seen[AuditEvent.Action.CASE_UPDATE]) == 2
    failed = min(seen[AuditEvent.Action.SIGN_IN_FAILED], key=lambda event: event.pk)
    assert (failed.username, failed.outcome, failed.user) == ("alice", "failure", None)
    denied = seen[AuditEvent.Action.CASE_DENIED][0]
    assert (denied.username, denied.agency, denied.object_ref, denied.outcome) == (
        "charlie", charlie.officer.agency, case.reference, "denied")
    update = min(seen[AuditEvent.Action.CASE_UPDATE], key=lambda event: event.pk)
    assert update.detail["changes"]["title"] == {"old": "Audit me", "new": "Audit me too"}
    listed = seen[AuditEvent.Action.CASE_LIST][0]
    assert case.pk in listed.returned


def test_verify_audit_reports_an_intact_chain(alice, case):
    audit.seal_all()
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "Audit chain intact" in out.getvalue()
    assert f"{AuditEvent.objects.count()} records verified" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_update_and_delete_on_the_audit_tables(alice, case):
    audit.seal_all()
    target = AuditEvent.objects.order_by("id").first()
    for statement in ("UPDATE partnerships_auditevent SET object_ref = 'EDITED' WHERE id = %s",
                      "DELETE FROM partnerships_auditevent WHERE id = %s",
                      "UPDATE partnerships_auditseal SET hash = 'x' WHERE event_id = %s",
                      "DELETE FROM partnerships_auditseal WHERE event_id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [target.pk])
    call_command("verify_audit", stdout=StringIO())


def test_audit_records_never_hold_secrets():
    event = audit.record(action=AuditEvent.Action.ADMIN_ACTION, door=AuditEvent.Door.COMMAND,
                         password="hunter2", api_token="abc", nested={"secret_key": "x", "ok": 1})
    assert event.detail == {"nested": {"ok": 1}}


def test_the_orm_refuses_to_change_or_delete_a_record(alice, case):
    event = AuditEvent.objects.first()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_sign_out_and_sign_in_are_recorded_with_the_request(client, alice):
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD, "acknowledge": "on"}, HTTP_USER_AGENT=UA)
    event = AuditEvent.objects.filter(action="auth.sign_in").get()
    assert (event.user, event.agency.acronym, event.user_agent) == (alice, "RCMP", UA)
    assert event.request_id


def test_responses_carry_the_portals_own_request_id_whatever_the_client_sends(client):
    for sent in ("abc", "a\x00b", "x" * 500):
        assert len(client.get("/healthz", HTTP_X_REQUEST_ID=sent).headers["X-Request-ID"]) == 32
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32


def test_a_nul_or_a_lone_surrogate_from_the_client_is_stored_cleaned(client, alice, case):
    client.force_login(alice)
    client.get("/healthz", HTTP_X_REQUEST_ID="r\x00id", HTTP_USER_AGENT="agent\x00")
    response = client.get(case.get_absolute_url(), HTTP_X_REQUEST_ID="r\x00id", HTTP_USER_AGENT="agent\x00")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action=AuditEvent.Action.CASE_VIEW).last()
    assert (event.detail["client_request_id"], event.user_agent) == ("rid", "agent")
    event = audit.record(action=AuditEvent.Action.CASE_LIST, door=AuditEvent.Door.PAGE, user=alice,
                         query={"q": "a\x00b\ud800", "k\x00": "v"})
    event.refresh_from_db()
    assert event.detail == {"query": {"q": "ab\\ud800", "k": "v"}}


def test_a_record_inserted_without_the_orm_reads_back_as_written_and_hashes_the_same(alice, case):
    other = JointCaseFactory(by=alice, title="Second")
    token = audit._request.set(audit.RequestContext(ip_address="10.1.2.3", user_agent="agent", request_id="r" * 32,
                                                   client_request_id="client-1"))
    try:
        event = audit.record(action=AuditEvent.Action.CASE_LIST, door=AuditEvent.Door.API, user=alice,
                             returned=[other, case], query={"q": "Second", "page": ["1", "2"]})
    finally:
        audit._request.reset(token)
    stored = AuditEvent.objects.get(pk=event.pk)
    fields = [field.attname for field in AuditEvent._meta.concrete_fields]
    assert [getattr(stored, name) for name in fields if name != "returned"] == \
        [getattr(event, name) for name in fields if name != "returned"]
    assert stored.returned == sorted(event.returned) == sorted([case.pk, other.pk])
    assert (stored.agency.acronym, stored.ip_address, stored.detail["client_request_id"]) == ("RCMP", "10.1.2.3",
                                                                                             "client-1")
    assert audit.content_hash(stored, audit.GENESIS) == audit.content_hash(event, audit.GENESIS)
    audit.seal_all()
    assert audit.verify(checkpoints=False)[1] == []


def statements_of(write):
    with CaptureQueriesContext(connection) as queries:
        write()
    return " ".join(query["sql"] for query in queries.captured_queries)


def read_record(alice, case):
    return lambda: audit.record(action=AuditEvent.Action.CASE_LIST, door=AuditEvent.Door.API, user=alice,
                                returned=[case])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_reads_record_of_its_own_commits_without_waiting_for_the_flush_only_when_the_setting_says_so(
        alice, case, settings):
    assert settings.AUDIT_READS_ASYNC_COMMIT is False  # the default: every record waits for its flush
    assert "synchronous_commit" not in statements_of(read_record(alice, case))
    settings.AUDIT_READS_ASYNC_COMMIT = True
    assert "set_config('synchronous_commit', 'off', true)" in statements_of(read_record(alice, case))
    with connection.cursor() as cursor:  # for that transaction only: the connection's next one waits again
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
    audit.seal_all()
    assert audit.verify(checkpoints=False) == (AuditEvent.objects.count(), [])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_change_a_denial_or_a_read_inside_a_callers_transaction_always_waits_for_the_flush(alice, case,
                                                                                             settings):
    settings.AUDIT_READS_ASYNC_COMMIT = True

    def change():
        audit.record(action=AuditEvent.Action.CASE_UPDATE, door=AuditEvent.Door.PAGE, user=alice, case=case)

    def denial():
        audit.record(action=AuditEvent.Action.CASE_VIEW, door=AuditEvent.Door.API, user=alice, case=case,
                     outcome=AuditEvent.Outcome.DENIED)

    def inside_a_transaction():
        with transaction.atomic():
            read_record(alice, case)()

    for write in (change, denial, inside_a_transaction):
        assert "synchronous_commit" not in statements_of(write), write.__name__
    assert AuditEvent.objects.filter(user=alice).count() >= 3
