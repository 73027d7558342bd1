"""The briefing book built from the demo data, in English and French: a tagged PDF (structure tree, language, title,
bookmarks with the items), the marking and "Page x of N" on every page; the notes, figures and charts in it.
With BOOK_PDF_DIR set, the two PDFs are also written there (to look at them: pdftoppm -png -r 50)."""

import io
import os
import re
import subprocess
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils.html import escape
from pypdf import PdfReader

from cbcf import briefing, services
from cbcf.models import AgendaItem, BriefingBook, Meeting

pytestmark = pytest.mark.django_db

MARKING = "PROTECTED B / PROTÉGÉ B"


@pytest.fixture
def books(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    meeting = Meeting.objects.get(title__startswith="Senior officials")
    secretariat = meeting.created_by
    for item in meeting.items.filter(status=AgendaItem.Status.PROPOSED):
        services.item_decide(by=secretariat, item=item, status=AgendaItem.Status.ACCEPTED)
    services.meeting_update(by=secretariat, meeting=meeting, title=meeting.title, place=meeting.place,
                            level=meeting.level, subgroup=meeting.subgroup, marking="protected_b")
    with django_capture_on_commit_callbacks(execute=True):
        built = services.briefing_book_build(by=secretariat, meeting=meeting)
    for book in built:
        book.refresh_from_db()
        assert book.status == BriefingBook.Status.READY
        if os.environ.get("BOOK_PDF_DIR"):
            Path(os.environ["BOOK_PDF_DIR"], f"book_{book.language}.pdf").write_bytes(bytes(book.pdf))
    return {book.language: book for book in built}


def page_texts(pdf, tmp_path):
    path = tmp_path / "book.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def outline_titles(outline):
    for entry in outline:
        if isinstance(entry, list):
            yield from outline_titles(entry)
        else:
            yield entry.title


BOOKS = {  # language: the title's start, the page footer, the bookmarks of the sections
    "en": ("Briefing book: Senior officials", "Page {page} of {pages}",
           ["Contents", "Participants", "Timetable", "Briefing notes", "Program figures", "Open action items"]),
    "fr": ("Cahier d", "Page {page} de {pages}",
           ["Table des matières", "Participants", "Horaire", "Notes d’information", "Statistiques des programmes",
            "Mesures de suivi en cours"]),
}


def test_both_books_are_tagged_pdfs_with_language_title_bookmarks_marking_and_page_numbers_on_every_page(
        books, tmp_path):
    for language, (title, page_words, sections) in BOOKS.items():
        book = books[language]
        reader = PdfReader(io.BytesIO(bytes(book.pdf)))
        catalog = reader.trailer["/Root"]
        assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
        assert catalog["/Lang"] == language
        assert reader.metadata.title.startswith(title)
        bookmarks = list(outline_titles(reader.outline))
        for section in sections:
            assert any(entry.startswith(section) for entry in bookmarks), (section, bookmarks)
        accepted = Meeting.objects.get(pk=book.meeting_id).items.filter(status=AgendaItem.Status.ACCEPTED)
        item_titles = [item.title_fr if language == "fr" else item.title_en for item in accepted]
        assert item_titles and all(any(item in entry for entry in bookmarks) for item in item_titles), bookmarks
        pages = page_texts(bytes(book.pdf), tmp_path)
        assert len(pages) == len(reader.pages) >= 6
        for number, text in enumerate(pages, start=1):
            assert MARKING in text, (language, number)
            assert page_words.format(page=number, pages=len(pages)) in text, (language, number, text[-200:])


def test_the_book_has_cover_contents_notes_figures_with_charts_and_actions_in_order_and_marks_the_other_language(
        books, tmp_path):
    pages = page_texts(bytes(books["en"].pdf), tmp_path)
    cover, contents = pages[0], pages[1]
    assert "Cross Border Crime Forum" in cover and "Senior officials, winter 2027" in cover and "Ottawa" in cover
    assert "Agenda version 1" in cover and MARKING in cover
    meeting = Meeting.objects.get(pk=books["en"].meeting_id)
    assert meeting.starts_at.astimezone(ZoneInfo(meeting.time_zone)).strftime("%A, %B") in cover  # date in words
    # The contents give each section's page ("Timetable ....... 3"), and that page has it.
    timetable_page = int(re.search(r"Timetable[ .]*(\d+)", contents)[1])
    assert "Timetable Time Item" in pages[timetable_page - 1]
    whole = " ".join(pages)
    order = ["Participants", "Timetable", "Briefing notes", "Purpose", "Proposed by", "Presenter", "Background papers",
             "Program figures", "Previous period", "This period", "Open action items"]
    position = whole.index("Participants Name")
    for word in order[1:]:  # each found after the one before it
        position = whole.index(word, position + 1)
    for heading in ("Summary", "Background", "Issue", "Decision sought", "Recommendation"):  # the demo's notes
        assert f"{heading} " in whole, heading
    french = " ".join(page_texts(bytes(books["fr"].pdf), tmp_path))
    for heading in ("Résumé", "Contexte", "Enjeu", "Décision demandée", "Recommandation", "Hauts fonctionnaires"):
        assert heading in french, heading
    html = books["en"].html
    assert html.count("<svg") == 3 and html.count("<rect") >= 2 * 9  # a chart per program, two bars per figure
    assert "<thead>" in html and "<table><tbody><tr><th" not in html  # every table has its header row in thead

    # The French book reads French, and what exists only in English is shown marked, with its language.
    html = books["fr"].html
    assert '<html lang="fr">' in html and "Suivi : " not in html
    meeting = Meeting.objects.get(pk=books["fr"].meeting_id)
    item = meeting.items.filter(status=AgendaItem.Status.ACCEPTED).first()
    assert item.title_fr in html
    AgendaItem.objects.filter(pk=item.pk).update(title_fr="")
    book = BriefingBook.objects.create(meeting=meeting, agenda_version=meeting.agenda_version, language="fr",
                                       built_by=meeting.created_by)
    briefing.build(book)
    book.refresh_from_db()
    marked = f'<span lang="en">{escape(item.title_en)}</span> <span class="other-language">(en anglais)</span>'
    assert marked in book.html


def test_each_book_names_the_delegates_principal_and_the_background_papers_in_its_own_language(books):
    """Whom a delegate stands in for, the background documents and the papers' titles are held in both languages
    (issue 22): each book reads its own, never the other's."""
    from cbcf.demo import PAPER, PARTICIPANTS

    _name, _role, stands_in_for, stands_in_for_fr = PARTICIPANTS[1]
    paper_en, paper_fr, file_name, _text = PAPER
    english, french = books["en"].html, books["fr"].html
    assert escape(stands_in_for) in english and escape(stands_in_for_fr) not in english
    assert escape(stands_in_for_fr) in french and escape(stands_in_for) not in french
    assert escape(paper_en) in english and escape(paper_fr) in french and escape(paper_en) not in french
    assert file_name in english and file_name in french  # the file keeps the name it was sent with
    item = Meeting.objects.get(pk=books["fr"].meeting_id).items.exclude(background_fr="").get()
    assert escape(item.background_fr) in french and escape(item.background) not in french
    assert "Personne déléguée" in french and "Délégué" not in french
