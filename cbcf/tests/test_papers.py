"""Background papers of agenda items: the same checks as case documents (partnerships/attachments.py);
seen by those who see the meeting, attached by the secretariat or the agency that proposed the item."""

import hashlib

import pytest
from django.urls import reverse

from cbcf import services
from cbcf.models import BackgroundPaper
from cbcf.tests.factories import Forum
from partnerships.models import AuditEvent
from partnerships.tests import files

pytestmark = pytest.mark.django_db
Action, Outcome = AuditEvent.Action, AuditEvent.Outcome


@pytest.fixture(autouse=True)
def attachments_root(settings, tmp_path):
    settings.ATTACHMENTS_ROOT = tmp_path / "attachments"
    return settings.ATTACHMENTS_ROOT


@pytest.fixture
def forum(cast):
    """alice and bob are invited; charlie is not."""
    return Forum(cast)


@pytest.fixture
def item(forum):
    return forum.propose(forum.cast.alice, "Fentanyl precursors")


def papers_url(item):
    return reverse("cbcf:item_papers", kwargs={"pk": item.meeting_id, "item_pk": item.pk})


def download_url(paper):
    return reverse("cbcf:paper_download", args=[paper.pk])


def post_file(client, item, name, content):
    return client.post(papers_url(item), {"file": files.upload(name, content)})


def attach(item, by, name="background.pdf", content=files.pdf):
    return services.paper_attach(item=item, upload=files.upload(name, content), by=by)


def test_alice_attaches_a_paper_to_the_item_her_agency_proposed(client, forum, item, attachments_root):
    content = files.pdf()
    client.force_login(forum.cast.alice)
    response = post_file(client, item, "Precursors brief.pdf", content)
    assert response.status_code == 302
    paper = BackgroundPaper.objects.get(item=item)
    assert (paper.original_name, paper.content_type, paper.size, paper.sha256) == (
        "Precursors brief.pdf", "application/pdf", len(content), hashlib.sha256(content).hexdigest())
    assert paper.uploaded_by_agency.acronym == "RCMP"
    [stored] = files.stored_files(attachments_root)
    assert "Precursors" not in str(stored) and stored.read_bytes() == content
    event = AuditEvent.objects.get(action=Action.DOCUMENT_UPLOAD)
    assert (event.object_type, event.object_ref, event.detail["item"]) == ("background_paper", str(paper.pk), item.pk)


def test_the_secretariat_attaches_to_any_item(forum, item):
    assert attach(item, forum.secretariat).uploaded_by_agency.acronym == "PS"


def test_bob_sees_the_meeting_but_gets_404_when_attaching_to_alices_item(client, forum, item, attachments_root):
    client.force_login(forum.cast.bob)
    response = client.get(papers_url(item))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert post_file(client, item, "background.pdf", files.pdf).status_code == 404
    with pytest.raises(services.ForumRefused, match="proposed the item"):
        attach(item, forum.cast.bob)
    assert not BackgroundPaper.objects.exists()
    assert files.stored_files(attachments_root) == []


def test_bob_downloads_a_paper_of_a_meeting_he_is_invited_to(client, forum, item):
    content = files.office("docx")
    paper = attach(item, forum.cast.alice, name="Brief.docx", content=content)
    client.force_login(forum.cast.bob)
    response = client.get(download_url(paper))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == files.ACCEPTED["memo.docx"][1]
    assert response["Content-Disposition"] == 'attachment; filename="Brief.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action=Action.DOCUMENT_DOWNLOAD)
    assert (event.user, event.object_type, event.object_ref) == (forum.cast.bob, "background_paper", str(paper.pk))


def test_charlie_gets_404_on_the_paper_the_item_and_the_upload(client, forum, item, attachments_root):
    paper = attach(item, forum.cast.alice, name="Precursors brief.pdf")
    client.force_login(forum.cast.charlie)
    response = client.get(download_url(paper))
    assert response.status_code == 404
    assert "Precursors" not in response.content.decode()
    assert client.get(papers_url(item)).status_code == 404
    assert post_file(client, item, "background.pdf", files.pdf).status_code == 404
    with pytest.raises(services.ForumRefused):
        attach(item, forum.cast.charlie)
    assert BackgroundPaper.objects.count() == 1
    assert len(files.stored_files(attachments_root)) == 1
    assert not AuditEvent.objects.filter(action=Action.DOCUMENT_DOWNLOAD).exists()


@pytest.mark.parametrize("refusal", ["html named .pdf", "svg with a script", "Windows program renamed .pdf",
                                     "ELF renamed .pdf", "empty", "pdf named .png"])
def test_a_refused_paper_gets_the_same_clear_message_and_is_recorded(client, forum, item, attachments_root, refusal):
    name, content, reason, words = files.REFUSED[refusal]
    client.force_login(forum.cast.alice)
    response = post_file(client, item, name, content)
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors["file"])
    assert not BackgroundPaper.objects.exists()
    assert files.stored_files(attachments_root) == []
    event = AuditEvent.objects.get(action=Action.DOCUMENT_REFUSED)
    assert (event.outcome, event.detail["reason"], event.detail["item"]) == (Outcome.FAILURE, reason, item.pk)


def test_a_paper_over_the_limit_is_refused_naming_the_limit(client, settings, forum, item, attachments_root):
    settings.ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    client.force_login(forum.cast.alice)
    response = post_file(client, item, "notes.txt", b"a" * (2 * 1024 * 1024 + 1))
    assert response.context["form"].errors["file"] == ["The file is larger than the limit of 2 MB."]
    assert not BackgroundPaper.objects.exists()
    assert files.stored_files(attachments_root) == []


def test_the_meeting_page_lists_papers_and_links_the_items_one_may_attach_to(client, forum, item):
    paper = attach(item, forum.cast.alice, name="Precursors brief.pdf")
    client.force_login(forum.cast.alice)
    body = client.get(reverse("cbcf:meeting_detail", args=[item.meeting_id])).content.decode()
    for shown in ("Precursors brief.pdf", "Fentanyl precursors", "RCMP", download_url(paper), papers_url(item)):
        assert shown in body
    client.force_login(forum.cast.bob)
    body = client.get(reverse("cbcf:meeting_detail", args=[item.meeting_id])).content.decode()
    assert download_url(paper) in body
    assert papers_url(item) not in body  # not his agency's item
    client.force_login(forum.cast.alice)
    body = client.get(papers_url(item)).content.decode()
    assert 'enctype="multipart/form-data"' in body and download_url(paper) in body


def test_a_paper_is_titled_in_both_languages_and_the_missing_title_is_shown_marked(client, forum, item):
    client.force_login(forum.cast.alice)
    response = client.post(papers_url(item), {"file": files.upload("brief.pdf", files.pdf()),
                                              "title_en": "", "title_fr": "Évaluation conjointe de la menace"})
    assert response.status_code == 302
    paper = BackgroundPaper.objects.get(item=item)
    assert (paper.title_en, paper.title_fr) == ("", "Évaluation conjointe de la menace")
    french = client.get(papers_url(item), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Évaluation conjointe de la menace<br><small>brief.pdf</small>" in french
    english = client.get(papers_url(item), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ('<span lang="fr">Évaluation conjointe de la menace</span> <span class="other-language">(French)</span>'
            in english)


def test_the_api_takes_a_papers_titles_and_gives_them_back(forum, item):
    from partnerships.tests.test_api import api

    answer = api(forum.cast.alice).post(reverse("cbcf_api:item_papers", args=[item.pk]), {
        "file": files.upload("brief.pdf", files.pdf()), "title_en": "Joint threat assessment",
        "title_fr": "Évaluation conjointe de la menace"}, format="multipart")
    assert answer.status_code == 201, answer.content
    assert (answer.json()["title_en"], answer.json()["title_fr"], answer.json()["name"]) == (
        "Joint threat assessment", "Évaluation conjointe de la menace", "brief.pdf")
