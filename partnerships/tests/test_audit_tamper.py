"""The audit trail against a rogue administrator: what the runtime role is refused, and what verify_audit reports
when the owner changes, removes or truncates records, once a checkpoint exists outside the database."""

import json
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships import audit, selectors
from partnerships.models import AuditEvent, AuditSeal
from partnerships.tests.factories import JointCaseFactory, share, unshare
from portal import db_roles

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="roles and triggers: PostgreSQL")
RUNTIME_ROLE = "portal_runtime_test"


def as_owner(sql, params=()):
    """A statement as the table owner could run it, the append-only triggers switched off first (the test's
    transaction is rolled back after it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE partnerships_auditevent DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE partnerships_auditseal DISABLE TRIGGER USER")
        cursor.execute(sql, params)


def verify_fails(match):
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("verify_audit", stdout=StringIO(), stderr=(err := StringIO()))
    assert match in err.getvalue(), err.getvalue()
    return err.getvalue()


@pytest.fixture
def trail(alice, bob, case, client):
    """Activity by the cast (a case read, a list that returned the case), sealed and checkpointed."""
    client.force_login(bob)
    client.get(case.get_absolute_url())
    client.get(reverse("partnerships:case_list"))
    entry = audit.checkpoint()
    assert entry["position"] == AuditEvent.objects.count() > 3
    return entry


def test_an_intact_trail_verifies_with_its_checkpoints(trail):
    out = StringIO()
    call_command("verify_audit", "--checkpoint", stdout=out)
    assert "Audit chain intact" in out.getvalue() and f"position {trail['position']}" in out.getvalue()


def test_truncating_the_trail_is_reported_by_position_even_after_new_activity(trail, alice, case):
    if connection.vendor == "postgresql":
        as_owner("TRUNCATE partnerships_auditseal, partnerships_auditevent CASCADE")  # with what refers to them
    else:
        as_owner("DELETE FROM partnerships_auditseal")
        as_owner("DELETE FROM partnerships_auditevent")
    verify_fails(f"names position {trail['position']}, which no longer exists")
    audit.record(action=AuditEvent.Action.CASE_VIEW, door=AuditEvent.Door.PAGE, user=alice, case=case)
    audit.seal_all()
    verify_fails(f"names position {trail['position']}, which no longer exists")


def test_deleting_the_newest_records_is_reported(trail):
    newest = AuditSeal.objects.order_by("-position")[:2]
    positions = [seal.position for seal in newest]
    events = [seal.event_id for seal in newest]
    as_owner("DELETE FROM partnerships_auditseal WHERE position = ANY(%s)" if connection.vendor == "postgresql"
             else f"DELETE FROM partnerships_auditseal WHERE position IN ({positions[0]}, {positions[1]})",  # noqa: S608
             [positions] if connection.vendor == "postgresql" else [])
    AuditEvent.objects.filter(pk__in=events)._raw_delete(AuditEvent.objects.db)
    verify_fails(f"names position {trail['position']}, which no longer exists")


def test_changing_any_record_is_reported_with_its_position(trail):
    seal = AuditSeal.objects.order_by("position")[1]
    as_owner("UPDATE partnerships_auditevent SET object_ref = 'EDITED' WHERE id = %s", [seal.event_id])
    verify_fails(f"record #{seal.event_id} at position {seal.position} was changed")


def test_removing_a_record_from_the_middle_is_reported(trail):
    seal = AuditSeal.objects.order_by("position")[1]
    as_owner("DELETE FROM partnerships_auditseal WHERE position = %s", [seal.position])
    AuditEvent.objects.filter(pk=seal.event_id)._raw_delete(AuditEvent.objects.db)
    verify_fails(f"positions {seal.position} to {seal.position} are missing")


def test_rewriting_who_saw_my_case_is_reported(trail, case):
    listed = AuditEvent.objects.get(action=AuditEvent.Action.CASE_LIST)
    assert case.pk in listed.returned
    assert listed in selectors.case_access_log(case=case)
    as_owner("UPDATE partnerships_auditevent SET returned = %s WHERE id = %s",
             [[] if connection.vendor == "postgresql" else "[]", listed.pk])
    assert listed not in selectors.case_access_log(case=case)
    verify_fails(f"record #{listed.pk} at position {listed.seal.position} was changed")


def test_a_checkpoint_written_without_the_key_is_reported(trail, settings):
    forged = {**trail, "position": 1, "hash": "0" * 64, "signature": "f" * 64}
    with open(settings.AUDIT_CHECKPOINT_DIR / audit.CHECKPOINT_FILE, "a") as sink:
        sink.write(json.dumps(forged) + "\n")
    verify_fails("is not signed with the checkpoint key")


def test_records_left_unsealed_too_long_are_reported(alice, case, settings):
    audit.seal_all()
    audit.record(action=AuditEvent.Action.CASE_VIEW, door=AuditEvent.Door.PAGE, user=alice, case=case)
    call_command("verify_audit", stdout=StringIO())  # just written: the sealer has time yet
    settings.AUDIT_SEAL_MAX_DELAY = 0
    late = AuditEvent.objects.order_by("-id").first()
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=StringIO(), stderr=(err := StringIO()))
    assert "1 records written before" in err.getvalue() and f"#{late.pk}" in err.getvalue()
    audit.seal()
    call_command("verify_audit", stdout=StringIO())


def test_the_sealer_seals_records_committed_out_of_id_order(alice, case):
    first = audit.record(action=AuditEvent.Action.CASE_VIEW, door=AuditEvent.Door.PAGE, user=alice, case=case)
    audit.seal()
    second = audit.record(action=AuditEvent.Action.CASE_VIEW, door=AuditEvent.Door.PAGE, user=alice, case=case)
    audit.seal()
    assert first.seal.position < AuditSeal.objects.get(event=second).position
    verified, problems = audit.verify()
    assert problems == [] and verified == AuditEvent.objects.count()


def test_writing_a_record_takes_no_lock_and_computes_no_hash(alice, case):
    with CaptureQueriesContext(connection) as queries:
        audit.record(action=AuditEvent.Action.CASE_VIEW, door=AuditEvent.Door.PAGE, user=alice, case=case)
    statements = " ".join(query["sql"] for query in queries.captured_queries).lower()
    assert "advisory" not in statements and "auditseal" not in statements


def test_who_saw_my_case_finds_the_reads_and_lists_of_the_case_only(alice, bob, charlie, case, client):
    other = JointCaseFactory(by=charlie)
    client.force_login(bob)
    client.get(case.get_absolute_url())
    client.get(reverse("partnerships:case_list"))
    client.force_login(charlie)
    client.get(other.get_absolute_url())
    log = list(selectors.case_access_log(case=case))
    assert {event.username for event in log} >= {"bob"} and "charlie" not in {event.username for event in log}
    assert any(event.action == AuditEvent.Action.CASE_LIST for event in log)


# --- the runtime role --------------------------------------------------------------------------------

@contextmanager
def runtime_cursor():
    settings_dict = connection.settings_dict
    runtime = psycopg2.connect(dbname=settings_dict["NAME"], user=RUNTIME_ROLE, host=settings_dict["HOST"] or None,
                               port=settings_dict["PORT"] or None)
    runtime.autocommit = True
    try:
        with runtime.cursor() as cursor:
            yield cursor
    finally:
        runtime.close()


@contextmanager
def django_as_runtime_role():
    saved = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = RUNTIME_ROLE
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["USER"] = saved


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_runtime_role_may_read_and_append_but_nothing_else_on_the_audit_tables(alice, case):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [RUNTIME_ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {RUNTIME_ROLE} LOGIN")
    db_roles.grant_runtime_privileges(RUNTIME_ROLE)
    audit.seal_all()
    forbidden = []
    for table in db_roles.APPEND_ONLY_TABLES:
        forbidden += [f"TRUNCATE {table}", f"TRUNCATE {table} CASCADE", f"DELETE FROM {table}",
                      f"UPDATE {table} SET {'object_ref' if 'event' in table else 'hash'} = 'x'",
                      f"ALTER TABLE {table} DISABLE TRIGGER ALL", f"ALTER TABLE {table} DISABLE TRIGGER USER",
                      f"ALTER TABLE {table} ADD COLUMN x int", f"DROP TABLE {table} CASCADE",
                      f"CREATE TRIGGER t BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION "
                      "partnerships_audit_append_only()"]
    with runtime_cursor() as cursor:
        for statement in forbidden:
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cursor.execute(statement)
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cursor.execute("SET session_replication_role = replica")  # would skip every trigger: superuser only
        cursor.execute("SELECT count(*) FROM partnerships_auditevent")
        assert cursor.fetchone()[0] == AuditEvent.objects.count()
    # The portal itself works as the runtime role: it reads cases, writes records and seals them.
    with django_as_runtime_role():
        with transaction.atomic():
            audit.record(action=AuditEvent.Action.CASE_VIEW, door=AuditEvent.Door.PAGE, user=alice, case=case)
            audit.record(action=AuditEvent.Action.CASE_LIST, door=AuditEvent.Door.API, user=alice, returned=[case])
        assert selectors.case_list(user=alice).filter(pk=case.pk).exists()
        assert audit.seal() == 2  # and merges the index's pending list, through the owner's function
        verified, problems = audit.verify()
        assert problems == [] and verified == AuditEvent.objects.count()
    assert pending_index_pages() == 0


def pending_index_pages():
    """Merge the pending list of the index on returned cases as the superuser: the number of pages it held."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('partnerships_auditevent_returned_gin')")
        return cursor.fetchone()[0]


@postgresql_only
def test_a_request_only_appends_to_the_index_pending_list_and_the_sealer_merges_it(alice, case):
    def listed():
        return audit.record(action=AuditEvent.Action.CASE_LIST, door=AuditEvent.Door.API, user=alice,
                            returned=[case])

    audit.seal_all()
    pending_index_pages()
    listed()
    assert pending_index_pages() == 1  # the record's ids waited in the pending list, not in the index
    first, second = listed(), listed()
    assert audit.seal() == 3 and pending_index_pages() == 0
    assert {first.pk, second.pk} <= {event.pk for event in selectors.case_access_log(case=case)}


def test_a_record_older_than_the_delay_is_not_reported_once_sealed(alice, case, settings):
    audit.record(action=AuditEvent.Action.CASE_VIEW, door=AuditEvent.Door.PAGE, user=alice, case=case)
    audit.seal_all()
    settings.AUDIT_SEAL_MAX_DELAY = 0
    assert audit.verify(unsealed_after=0)[1] == []
    assert timezone.now() - AuditEvent.objects.first().at < timedelta(minutes=1)


def test_without_a_sealer_process_each_commit_seals_its_records(alice, case, settings,
                                                                django_capture_on_commit_callbacks):
    settings.AUDIT_SEAL_ON_COMMIT = True  # the embedded default (no Redis): nothing else would seal
    with django_capture_on_commit_callbacks(execute=True):
        event = audit.record(action=AuditEvent.Action.CASE_VIEW, door=AuditEvent.Door.PAGE, user=alice, case=case)
    assert AuditSeal.objects.filter(event=event).exists()


def test_the_export_records_every_case_before_the_first_case_leaves_with_the_requests_context(client, alice, bob,
                                                                                             case, settings):
    other = JointCaseFactory(by=alice, title="Second")
    client.force_login(alice)
    response = client.get(reverse("partnerships:case_export"), HTTP_USER_AGENT="exporter", HTTP_ACCEPT_LANGUAGE="fr",
                          REMOTE_ADDR="10.1.2.3")
    lines = iter(response.streaming_content)
    header = next(lines).decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CASE_EXPORT).exists()  # the header names no case
    first_cases = next(lines).decode()  # the rows leave a chunk at a time: here both, the newest first
    event = AuditEvent.objects.get(action=AuditEvent.Action.CASE_EXPORT)
    assert set(event.returned) == {case.pk, other.pk}
    assert (event.ip_address, event.user_agent, len(event.request_id)) == ("10.1.2.3", "exporter", 32)
    assert header.startswith("Référence") and header.count("\r\n") == 1
    assert first_cases.index(other.reference) < first_cases.index(case.reference)
    assert list(lines) == []


def test_the_export_sends_only_cases_its_record_names_and_the_reader_still_sees(client, cast, case, monkeypatch):
    """Between the record and the rows, alice shares a third case with bob and stops sharing a second: bob's file
    has neither (the new one is not in the record; the other is no longer his to see), and charlie's nothing."""
    partner = cast.bob.officer.agency
    second, third = JointCaseFactory(by=cast.alice, title="Second"), JointCaseFactory(by=cast.alice, title="Third")
    share(second, partner, by=cast.alice)
    recorded = audit.record

    def record_then_change_sharing(**fields):
        monkeypatch.setattr(audit, "record", recorded)
        event = recorded(**fields)
        share(third, partner, by=cast.alice)
        unshare(second, partner, by=cast.alice)
        return event

    client.force_login(cast.bob)
    monkeypatch.setattr(audit, "record", record_then_change_sharing)
    body = b"".join(client.get(reverse("partnerships:case_export")).streaming_content).decode()
    assert set(AuditEvent.objects.get(action=AuditEvent.Action.CASE_EXPORT).returned) == {case.pk, second.pk}
    assert case.reference in body and second.reference not in body and third.reference not in body
    client.force_login(cast.charlie)
    body = b"".join(client.get(reverse("partnerships:case_export")).streaming_content).decode()
    assert body.count("\r\n") == 1 and case.reference not in body


def test_the_sealers_quick_rounds_leave_a_late_record_to_the_round_that_looks_for_stragglers(alice, case):
    def record(**fields):  # bulk_create: an id of the test's choosing (save() refuses a record with an id)
        [event] = AuditEvent.objects.bulk_create([AuditEvent(action=AuditEvent.Action.CASE_VIEW,
                                                             door=AuditEvent.Door.PAGE, user=alice, case=case,
                                                             **fields)])
        return event

    audit.seal_all()
    first = record()
    record(pk=first.pk + 10)  # committed first, with the later id
    assert audit.seal() == 2
    late = record(pk=first.pk + 5)  # a transaction that took its id earlier commits now
    assert audit.seal(stragglers=False) == 0
    assert audit.seal(stragglers=True) == 1
    assert AuditSeal.objects.filter(event=late).exists()
    assert audit.verify()[1] == []
