"""Case documents: checked on their content, stored outside the web root, seen exactly by who sees the case."""

import hashlib
import os

import pytest
from django.conf import settings as django_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships import attachments, selectors, services
from partnerships.models import AccessLevel, AuditEvent, CaseDocument
from partnerships.tests import files
from partnerships.tests.factories import share

pytestmark = pytest.mark.django_db
Action, Outcome = AuditEvent.Action, AuditEvent.Outcome


@pytest.fixture(autouse=True)
def attachments_root(settings, tmp_path):
    settings.ATTACHMENTS_ROOT = tmp_path / "attachments"
    return settings.ATTACHMENTS_ROOT


def add_url(case):
    return reverse("partnerships:case_document_add", kwargs={"reference": case.reference})


def download_url(document):
    return reverse("partnerships:case_document_download",
                   kwargs={"reference": document.case.reference, "pk": document.pk})


def post_file(client, case, name, content):
    return client.post(add_url(case), {"document-file": files.upload(name, content)})


def attach(case, by, name="report.pdf", content=files.pdf):
    return services.document_attach(case=case, upload=files.upload(name, content), by=by)


def refused_events():
    return AuditEvent.objects.filter(action=Action.DOCUMENT_REFUSED)


# --- attaching ------------------------------------------------------------------------------------

def test_alice_attaches_a_pdf_kept_with_its_name_type_size_and_hash(client, alice, case, attachments_root):
    content = files.pdf()
    client.force_login(alice)
    response = post_file(client, case, "Surveillance report.pdf", content)
    assert response.status_code == 302
    assert response["Location"].endswith(f"{case.get_absolute_url()}#documents")
    document = CaseDocument.objects.get(case=case)
    assert (document.original_name, document.content_type, document.size, document.sha256) == (
        "Surveillance report.pdf", "application/pdf", len(content), hashlib.sha256(content).hexdigest())
    assert (document.uploaded_by, document.uploaded_by_agency.acronym) == (alice, "RCMP")
    [stored] = files.stored_files(attachments_root)
    assert stored.read_bytes() == content
    event = AuditEvent.objects.get(action=Action.DOCUMENT_UPLOAD)
    assert (event.case, event.object_type, event.object_ref, event.outcome) == (
        case, "case_document", str(document.pk), Outcome.SUCCESS)
    assert event.detail["sha256"] == document.sha256


@pytest.mark.parametrize("name", list(files.ACCEPTED))
def test_each_accepted_type_is_recognized_by_its_content(alice, case, name):
    content, content_type = files.ACCEPTED[name]
    assert attach(case, alice, name, content).content_type == content_type


def test_bob_attaches_once_his_agency_contributes(client, alice, bob, case):
    client.force_login(bob)
    assert post_file(client, case, "report.pdf", files.pdf).status_code == 403  # view level: he sees, not adds
    assert "document-file" not in client.get(case.get_absolute_url()).content.decode()
    share(case, bob.officer.agency, AccessLevel.CONTRIBUTE, by=alice)
    assert post_file(client, case, "report.pdf", files.pdf).status_code == 302
    assert CaseDocument.objects.get().uploaded_by_agency.acronym == "CBP"


def test_the_service_refuses_an_agency_that_does_not_contribute(bob, case, attachments_root):
    with pytest.raises(services.CaseRefused, match="contributes"):
        attach(case, bob)
    assert not CaseDocument.objects.exists()
    assert files.stored_files(attachments_root) == []


def test_charlie_gets_404_on_the_upload_page_and_nothing_is_saved(client, charlie, case, attachments_root):
    client.force_login(charlie)
    assert client.get(add_url(case)).status_code == 404
    assert post_file(client, case, "report.pdf", files.pdf).status_code == 404
    assert not CaseDocument.objects.exists()
    assert files.stored_files(attachments_root) == []


# --- refusing -------------------------------------------------------------------------------------

@pytest.mark.parametrize("refusal", list(files.REFUSED))
def test_a_refused_file_gets_a_clear_message_is_recorded_and_nothing_is_saved(client, alice, case, attachments_root,
                                                                              refusal):
    name, content, reason, words = files.REFUSED[refusal]
    client.force_login(alice)
    response = post_file(client, case, name, content)
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors["file"])
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert not CaseDocument.objects.exists()
    assert files.stored_files(attachments_root) == []
    event = refused_events().get()
    assert (event.case, event.outcome, event.detail["reason"], event.detail["file"]) == (
        case, Outcome.FAILURE, reason, name)


def test_a_file_over_the_limit_is_refused_naming_the_limit_in_mb(client, settings, alice, case, attachments_root):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    client.force_login(alice)
    response = post_file(client, case, "notes.txt", b"a" * (1024 * 1024 + 1))
    assert response.context["form"].errors["file"] == ["The file is larger than the limit of 1 MB."]
    assert "The file is larger than the limit of 1 MB." in response.content.decode()
    assert not CaseDocument.objects.exists()
    assert files.stored_files(attachments_root) == []
    assert refused_events().get().detail["reason"] == "too_large"
    assert post_file(client, case, "notes.txt", b"a" * (1024 * 1024)).status_code == 302  # the limit itself is fine


def test_the_limit_defaults_to_20_mib_and_the_form_says_so(client, alice, case):
    if "ATTACHMENT_MAX_BYTES" not in os.environ:
        assert django_settings.ATTACHMENT_MAX_BYTES == 20 * 1024 * 1024
    client.force_login(alice)
    body = client.get(case.get_absolute_url()).content.decode()
    assert f"at most {attachments.max_megabytes()} MB" in body


def test_a_failed_database_write_removes_the_stored_file(alice, case, attachments_root, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(CaseDocument.objects, "create", broken)
    with pytest.raises(RuntimeError):
        attach(case, alice)
    assert files.stored_files(attachments_root) == []
    assert not AuditEvent.objects.filter(action=Action.DOCUMENT_UPLOAD).exists()


def test_a_failed_audit_record_rolls_the_document_back_and_removes_the_file(alice, case, attachments_root,
                                                                             monkeypatch):
    from partnerships import audit

    real_record = audit.record

    def record(**kwargs):
        if kwargs["action"] == Action.DOCUMENT_UPLOAD:
            raise RuntimeError("audit trail unavailable")
        return real_record(**kwargs)

    monkeypatch.setattr(audit, "record", record)
    with pytest.raises(RuntimeError):
        attach(case, alice)
    assert not CaseDocument.objects.exists()
    assert files.stored_files(attachments_root) == []


@pytest.mark.parametrize(("sent", "kept"), [
    ("../../etc/report.pdf", "report.pdf"),
    ("C:\\Users\\alice\\report.pdf", "report.pdf"),
    ("rep\x00ort\x07\n.pdf", "report.pdf"),
    ("evil\u202efdp.exe.pdf", "evilfdp.exe.pdf"),  # no right-to-left override to disguise the name
    ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
])
def test_the_original_name_is_kept_sanitized(sent, kept):
    assert attachments.clean_name(sent) == kept


# --- storing --------------------------------------------------------------------------------------

def test_the_file_is_stored_under_a_random_name_outside_the_web_root(client, alice, case, attachments_root):
    document = attach(case, alice, name="Surveillance report.pdf")
    [stored] = files.stored_files(attachments_root)
    assert stored.relative_to(attachments_root).as_posix() == document.stored_name
    assert "Surveillance" not in str(stored) and "report" not in str(stored) and not stored.suffix
    assert attach(case, alice, name="Surveillance report.pdf").stored_name != document.stored_name
    web_roots = [django_settings.STATIC_ROOT, *django_settings.STATICFILES_DIRS, django_settings.BASE_DIR / "templates"]
    for root in web_roots:
        assert not stored.resolve().is_relative_to(root.resolve())
    with pytest.raises(NotImplementedError):
        attachments.storage().url(document.stored_name)
    client.force_login(alice)
    for prefix in {f"/{django_settings.STATIC_URL.strip('/')}/", f"/{django_settings.MEDIA_URL.strip('/')}/", "/"}:
        assert client.get(prefix.replace("//", "/") + document.stored_name).status_code == 404


def test_the_default_root_is_outside_the_web_root():
    from portal import settings as portal_settings

    if "ATTACHMENTS_ROOT" not in os.environ:
        assert portal_settings.ATTACHMENTS_ROOT == portal_settings.BASE_DIR / "var" / "attachments"
    for root in [portal_settings.STATIC_ROOT, *portal_settings.STATICFILES_DIRS]:
        assert not portal_settings.ATTACHMENTS_ROOT.is_relative_to(root)


# --- downloading ----------------------------------------------------------------------------------

def test_bob_downloads_it_as_an_attachment_with_safe_headers(client, alice, bob, case):
    content = files.pdf()
    document = attach(case, alice, name="Rapport de surveillance é.pdf", content=content)
    client.force_login(bob)
    response = client.get(download_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Rapport%20de%20surveillance%20%C3%A9.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action=Action.DOCUMENT_DOWNLOAD)
    assert (event.user, event.case, event.object_ref) == (bob, case, str(document.pk))
    assert event in selectors.case_access_log(case=case)  # "who saw my case" shows it


def test_text_is_served_as_utf8_text(client, alice, case):
    document = attach(case, alice, name="vessels.csv", content=files.CSV)
    client.force_login(alice)
    assert client.get(download_url(document))["Content-Type"] == "text/csv; charset=utf-8"


def test_charlie_gets_404_on_the_download_and_no_trace_of_the_document(client, alice, charlie, case):
    document = attach(case, alice, name="Surveillance report.pdf")
    client.force_login(charlie)
    response = client.get(download_url(document))
    assert response.status_code == 404
    assert "Surveillance" not in response.content.decode()
    assert client.get(case.get_absolute_url()).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.DOCUMENT_DOWNLOAD).exists()


def test_a_document_is_404_under_another_case_even_a_visible_one(client, alice, case):
    from partnerships.tests.factories import JointCaseFactory

    document = attach(case, alice)
    other = JointCaseFactory(by=alice)
    client.force_login(alice)
    url = reverse("partnerships:case_document_download", kwargs={"reference": other.reference, "pk": document.pk})
    assert client.get(url).status_code == 404


def test_revoking_the_share_takes_the_documents_away(client, alice, bob, case):
    from partnerships.tests.factories import unshare

    document = attach(case, alice)
    client.force_login(bob)
    assert client.get(download_url(document)).status_code == 200
    unshare(case, bob.officer.agency, by=alice)
    assert client.get(download_url(document)).status_code == 404


def test_a_missing_file_is_a_404_not_a_crash(client, alice, case, attachments_root):
    document = attach(case, alice)
    (attachments_root / document.stored_name).unlink()
    client.force_login(alice)
    assert client.get(download_url(document)).status_code == 404


# --- the case page --------------------------------------------------------------------------------

def test_the_case_page_lists_documents_and_offers_the_form_to_contributors(client, alice, bob, case):
    document = attach(case, alice, name="Surveillance report.pdf")
    client.force_login(alice)
    body = client.get(case.get_absolute_url()).content.decode()
    assert 'id="documents"' in body
    for shown in ("Surveillance report.pdf", "PDF", "RCMP", download_url(document), f'action="{add_url(case)}"',
                  'enctype="multipart/form-data"', 'name="document-file"'):
        assert shown in body
    client.force_login(bob)
    body = client.get(case.get_absolute_url()).content.decode()
    assert download_url(document) in body
    assert f'action="{add_url(case)}"' not in body  # bob's agency views only


def test_the_case_page_query_count_does_not_grow_with_documents(client, alice, case,
                                                                django_assert_max_num_queries):
    from django.db import connection

    attach(case, alice)
    client.force_login(alice)
    client.get(case.get_absolute_url())  # warm the permission-id cache
    with CaptureQueriesContext(connection) as one_document:
        client.get(case.get_absolute_url())
    for index in range(5):
        attach(case, alice, name=f"report-{index}.pdf")
    with django_assert_max_num_queries(len(one_document)):
        client.get(case.get_absolute_url())
