"""Backups: `manage.py backup` dumps the test database with a manifest; `restore_drill` proves it restores.

These tests need PostgreSQL and its client tools (pg_dump, pg_restore, createdb, dropdb): they skip
without them locally and fail under CI. They run as transactional tests so that what they write is
committed and pg_dump (another connection) sees it.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection, connections

from conftest import skip_or_fail
from partnerships import audit, services
from partnerships.models import AuditEvent, AuditSeal, CaseDocument
from partnerships.tests import files
from portal import backups

ROOT = Path(__file__).resolve().parent.parent
Action, Door = AuditEvent.Action, AuditEvent.Door
transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tools(transactional_db):
    if connection.vendor != "postgresql":
        skip_or_fail("backups need PostgreSQL: set DATABASE_URL")
    found = backups.Tools.for_alias()
    try:
        for name in ("pg_dump", "pg_restore", "createdb", "dropdb"):
            found.path(name)
    except backups.BackupError as missing:
        skip_or_fail(str(missing))
    return found


@pytest.fixture
def seeded(tools, cast, settings, tmp_path):
    """The cast's case, shared with bob's agency, read by bob, with a document attached by alice."""
    settings.ATTACHMENTS_ROOT = tmp_path / "attachments"
    services.document_attach(case=cast.case, upload=files.upload("report.pdf", files.pdf), by=cast.alice)
    audit.record(action=Action.CASE_VIEW, door=Door.PAGE, user=cast.bob, case=cast.case)
    audit.record(action=Action.CASE_LIST, door=Door.API, user=cast.alice)
    return cast


def drill_databases():
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                       [f"{connection.settings_dict['NAME']}%drill%"])
        return [name for (name,) in cursor.fetchall()]


def run(command, *args, **options):
    out = io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=io.StringIO(), **options)
    except CommandError as error:
        error.output = out.getvalue()
        raise
    return out.getvalue()


def back_up(tmp_path, name="portal.dump", **options):
    dump = tmp_path / "backups" / name
    run("backup", output=dump, **options)
    return dump


def manifest_of(dump):
    return json.loads(backups.manifest_path(dump).read_text())


# --- backup and drill -------------------------------------------------------------------------------

@transactional
def test_backup_writes_a_private_dump_and_a_manifest_of_what_it_holds(seeded, settings, tmp_path):
    settings.BASE_DIR = tmp_path
    output = run("backup")
    [dump] = (tmp_path / "var" / "backups").glob("portal-*.dump")
    assert dump.name.endswith("Z.dump") and str(dump) in output
    manifest = manifest_of(dump)
    assert manifest["database"] == connection.settings_dict["NAME"]
    assert manifest["dump"]["sha256"] == backups.sha256_of(dump)
    assert manifest["tables"]["partnerships_jointcase"] == 1
    assert manifest["tables"]["auth_user"] == 3
    assert manifest["tables"]["partnerships_casedocument"] == 1
    last = AuditSeal.objects.order_by("-position").first()
    assert manifest["audit"] == {"count": AuditEvent.objects.count(), "verified": AuditEvent.objects.count(),
                                 "broken_at": None, "last_hash": last.hash}
    assert manifest["pg_dump_version"].split(".")[0] == str(connection.pg_version // 10000)
    # A dump holds every case: readable by its owner only.
    assert (dump.stat().st_mode & 0o777, backups.manifest_path(dump).stat().st_mode & 0o777) == (0o600, 0o600)
    assert not list(dump.parent.glob("*.partial"))


@transactional
def test_drill_restores_into_a_scratch_database_matches_the_manifest_and_drops_it(seeded, tmp_path):
    dump = back_up(tmp_path)
    output = run("restore_drill", str(dump))
    assert "tables: " in output and "with the same row count" in output
    assert f"audit chain: {AuditEvent.objects.count()} records verified from start to end" in output
    assert "DIFFERENT" not in output
    assert "Restore drill passed" in output
    assert "is dropped" in output
    assert drill_databases() == []


@transactional
def test_drill_reports_a_table_whose_row_count_differs_from_the_manifest(seeded, tmp_path):
    dump = back_up(tmp_path)
    manifest = manifest_of(dump)
    manifest["tables"]["partnerships_jointcase"] = 2
    backups.manifest_path(dump).write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="1 differences from the manifest") as failed:
        run("restore_drill", str(dump))
    assert "DIFFERENT: table partnerships_jointcase: 1 rows, the backup has 2" in failed.value.output
    assert drill_databases() == []


@transactional
def test_drill_comparison_reports_a_changed_audit_record_and_a_chain_cut_short(seeded, tools, tmp_path):
    dump = back_up(tmp_path)
    manifest = manifest_of(dump)
    scratch = backups.scratch_name(manifest["database"])
    backups.create_database(tools, scratch)
    try:
        backups.restore_into(tools, dump, scratch)
        with backups.database_alias(scratch) as alias:
            assert backups.compare(alias, manifest).differences == []
            with connections[alias].cursor() as cursor:
                # The append-only triggers came with the dump; the restoring user owns the tables and may lift them.
                cursor.execute("ALTER TABLE partnerships_auditevent DISABLE TRIGGER partnerships_audit_append_only")
                cursor.execute("ALTER TABLE partnerships_auditseal DISABLE TRIGGER partnerships_audit_seal_append_only")
                # Removing the last record and its seal leaves a chain that verifies: only the manifest shows it
                # (the live trail's checkpoints would too; a restored copy is checked against its manifest).
                cursor.execute("DELETE FROM partnerships_auditseal WHERE position = (SELECT max(position) FROM "
                               "partnerships_auditseal) RETURNING event_id")
                cursor.execute("DELETE FROM partnerships_auditevent WHERE id = %s", [cursor.fetchone()[0]])
            differences = backups.compare(alias, manifest).differences
            count = manifest["audit"]["count"]
            assert f"audit chain: {count - 1} records, the backup has {count}" in differences
            assert any(text.startswith("audit chain: last hash") for text in differences)
            assert f"table partnerships_auditevent: {count - 1} rows, the backup has {count}" in differences
            assert not any("broken" in text for text in differences)

            second = AuditSeal.objects.using(alias).get(position=2).event_id
            with connections[alias].cursor() as cursor:
                cursor.execute("UPDATE partnerships_auditevent SET object_ref = 'nothing to see' WHERE id = %s",
                               [second])
            differences = backups.compare(alias, manifest).differences
            assert (f"audit chain broken at position 2 in the restored copy ({count - 2} records verified)"
                    in differences)
    finally:
        backups.drop_database(tools, scratch)
    assert drill_databases() == []


# --- broken backups and bad arguments ---------------------------------------------------------------

@transactional
def test_truncated_dump_fails_the_drill_clearly(seeded, tmp_path):
    dump = back_up(tmp_path)
    content = dump.read_bytes()
    dump.write_bytes(content[: len(content) // 2])
    with pytest.raises(CommandError, match="is not the file that was backed up.*damaged or truncated"):
        run("restore_drill", str(dump))
    # A manifest that agrees with the damaged file: pg_restore itself refuses it, and the scratch database goes.
    manifest = manifest_of(dump)
    manifest["dump"]["sha256"] = backups.sha256_of(dump)
    backups.manifest_path(dump).write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="Restore drill FAILED: pg_restore failed"):
        run("restore_drill", str(dump))
    assert drill_databases() == []


@transactional
def test_failed_pg_dump_says_why_and_leaves_no_file(seeded, tmp_path, monkeypatch):
    client_env = backups.client_env
    monkeypatch.setattr(backups, "client_env", lambda *args, **kwargs: {**client_env(*args, **kwargs), "PGPORT": "1"})
    with pytest.raises(CommandError, match="Backup FAILED: pg_dump failed .*port 1 failed"):
        back_up(tmp_path)
    assert list((tmp_path / "backups").iterdir()) == []


@transactional
def test_bad_arguments_get_a_clear_error(tools, tmp_path):
    with pytest.raises(CommandError, match="No backup at .*missing.dump"):
        run("restore_drill", str(tmp_path / "missing.dump"))
    stray = tmp_path / "stray.dump"
    stray.write_bytes(b"PGDMP")
    with pytest.raises(CommandError, match="No manifest at .*stray.dump.json"):
        run("restore_drill", str(stray))
    with pytest.raises(CommandError, match="stray.dump already exists"):
        run("backup", output=stray)
    with pytest.raises(CommandError, match="not a database name"):
        run("restore", str(stray), into="portal; DROP DATABASE portal")


SQLITE_SCRIPT = """
import django
from django.core.management import CommandError, call_command
django.setup()
for command in (["backup"], ["restore_drill", "any.dump"], ["restore", "any.dump", "--into", "portal"]):
    try:
        call_command(*command)
    except CommandError as error:
        print(error)
"""


def test_backups_refuse_sqlite():
    """A fresh process without DATABASE_URL runs on SQLite: every command says what to do instead."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run([sys.executable, "-c", SQLITE_SCRIPT], cwd=ROOT, capture_output=True, text=True,
                            env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings"}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Backups need PostgreSQL; on SQLite copy db.sqlite3") == 3


# --- attachments and the real restore ---------------------------------------------------------------

@transactional
def test_attachments_are_archived_restored_and_checked_against_their_rows(seeded, tools, tmp_path):
    dump = back_up(tmp_path, with_attachments=True)
    assert manifest_of(dump)["attachments"]["files"] == 1
    output = run("restore_drill", str(dump))
    assert "attachments: 1 files archived for 1 rows" in output and "Restore drill passed" in output

    target = backups.scratch_name("restore_test")
    backups.create_database(tools, target)
    try:
        unpacked = tmp_path / "restored-attachments"
        output = run("restore", str(dump), into=target, attachments_into=str(unpacked))
        assert "Restore complete" in output
        document = CaseDocument.objects.get()
        assert backups.sha256_of(unpacked / document.stored_name) == document.sha256
        with pytest.raises(CommandError, match=f"The database {target} is not empty"):
            run("restore", str(dump), into=target)
    finally:
        backups.drop_database(tools, target)

    # A file changed on disk since it was attached: the drill names its row.
    (Path(django_settings.ATTACHMENTS_ROOT) / document.stored_name).write_bytes(b"%PDF-1.4 not the same")
    dump = back_up(tmp_path, name="later.dump", with_attachments=True)
    with pytest.raises(CommandError, match="Restore drill FAILED: 1 differences") as failed:
        run("restore_drill", str(dump))
    assert (f"DIFFERENT: attachments: case document #{document.pk}: the file's SHA-256 is not the one recorded"
            in failed.value.output)
