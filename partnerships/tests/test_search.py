"""The search (partnerships/search.py): what it finds, in which order, with which marks; and that charlie's search
never returns, counts or snippets what is alice's, of any kind, document text included."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from partnerships import search, services
from partnerships.models import AuditEvent, CaseDocument
from partnerships.tests import files
from partnerships.tests.factories import JointCaseFactory
from partnerships.tests.records import written
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="language-aware and typo-tolerant search is PostgreSQL's")


def found(user, text, kind=None):
    """{kind: [hit]} of a search as `user`."""
    return {group.kind.name: group.hits for group in search.run(user=user, text=text, kind=kind).groups}


def refs(user, text, kind):
    return [hit.ref for hit in found(user, text, kind)[kind]]


@pytest.fixture
def files_root(settings, tmp_path):
    settings.ATTACHMENTS_ROOT = tmp_path / "attachments"


@pytest.fixture
def zanzibar(cast, files_root, django_capture_on_commit_callbacks):
    """alice's case (shared with bob) holding "Zanzibar" in its title, a subject, and a PDF's text."""
    alice = cast.alice
    case = JointCaseFactory(by=alice, title="Zanzibar precursor of fentanyl",
                            summary="Shipments of \"precursor\" chemicals & pills (5 < 6) through the Zanzibar marina")
    from partnerships.models import AccessLevel
    from partnerships.tests.factories import share

    share(case, cast.bob.officer.agency, AccessLevel.VIEW, by=alice)
    services.subject_add(by=alice, case=case, kind="person", name="Jean-François Tremblay", aliases="Zanzibar Jack")
    services.subject_add(by=alice, case=case, kind="phone", name="+1 (313) 555-0142")
    with django_capture_on_commit_callbacks(execute=True):
        services.document_attach(case=case, by=alice, upload=SimpleUploadedFile(
            "manifest.pdf", files.pdf("Cargo manifest: crates of quetzalcoatl pills")))
    return case


# --- what it finds ------------------------------------------------------------------------------

def test_bob_finds_the_shared_case_by_a_word_of_its_title_and_the_record_lists_it(client, bob, zanzibar):
    client.force_login(bob)
    answer, records = written(lambda: client.get(reverse("partnerships:search"), {"q": "zanzibar"}))
    assert answer.status_code == 200
    hits = found(bob, "zanzibar")
    assert [hit.ref for hit in hits["case"]] == [zanzibar.reference]
    assert len(hits["subject"]) == 1
    [record] = records
    assert record.action == AuditEvent.Action.CASE_LIST and record.door == AuditEvent.Door.PAGE
    assert record.object_type == "search"
    assert record.returned == [zanzibar.pk]
    assert record.detail["shown"]["case"] == [zanzibar.reference]
    assert record.detail["counts"]["case"] == 1


def test_the_text_of_an_attached_pdf_is_read_by_a_task_and_found(bob, zanzibar):
    document = CaseDocument.objects.get(case=zanzibar)
    assert "quetzalcoatl" in document.text
    assert document.text_extracted_at is not None
    hits = found(bob, "quetzalcoatl")
    assert [hit.ref for hit in hits["document"]] == [str(document.pk)]
    assert hits["document"][0].case_id == zanzibar.pk


def test_text_files_are_read_and_other_types_leave_no_text(alice, case, files_root,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        text = services.document_attach(case=case, by=alice, upload=files.upload("notes.txt", files.TEXT))
        image = services.document_attach(case=case, by=alice, upload=files.upload("photo.png", files.image("PNG")))
    text.refresh_from_db()
    image.refresh_from_db()
    assert "Vessel sighted at 02:10" in text.text and "\ufeff" not in text.text
    assert image.text == "" and image.text_extracted_at is not None
    again = services.document_text_extract(document=text)  # a retried task changes nothing
    assert again.text == text.text and again.text_extracted_at == text.text_extracted_at


def test_a_damaged_pdf_leaves_no_text_and_stays_findable_by_its_name(alice, case, files_root,
                                                                     django_capture_on_commit_callbacks):
    broken = files.pdf("whatever")[:40]  # the magic bytes of a PDF, and little else
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_attach(case=case, by=alice, upload=SimpleUploadedFile("ledger.pdf", broken))
    document.refresh_from_db()
    assert document.text == "" and document.text_extracted_at is not None
    assert refs(alice, "ledger", "document") == [str(document.pk)]


def test_a_reference_typed_finds_its_case_first_and_marks_it_exact(alice, case):
    other = JointCaseFactory(by=alice, title=f"Follow-up of {case.reference}", summary="")
    hits = found(alice, case.reference.lower())["case"]
    assert hits[0].ref == case.reference and hits[0].exact
    assert other.reference not in [hit.ref for hit in hits[:1]]


def test_a_phone_written_another_way_finds_its_subject_exactly(bob, zanzibar):
    [hit] = found(bob, "313.555.0142")["subject"]
    assert hit.exact and hit.case_id == zanzibar.pk


def test_a_name_without_its_accents_finds_its_subject_exactly(bob, zanzibar):
    [hit] = found(bob, "jean francois TREMBLAY")["subject"]
    assert hit.exact


@postgresql_only
def test_french_words_find_an_english_title(bob, zanzibar):
    hits = found(bob, "fentanyl précurseur")["case"]
    assert [hit.ref for hit in hits] == [zanzibar.reference]
    assert "<mark>" in hits[0].title


@postgresql_only
def test_a_typo_in_a_name_still_finds_it_marked_as_a_close_match(bob, zanzibar):
    [hit] = found(bob, "Tremblya")["subject"]
    assert hit.close_match and not hit.exact
    [exact] = found(bob, "Tremblay")["subject"]
    assert not exact.close_match


@postgresql_only
def test_words_in_records_charlie_may_not_see_never_push_his_own_close_match_out(alice, charlie):
    """The typo match goes through every indexed term alike enough, not the N most alike: alice's many terms
    that are more like charlie's typo than his own word change nothing in what charlie finds."""
    own = JointCaseFactory(by=charlie, title="Smuggling by Marquardt")
    query = "Marquarte"

    def charlies():
        return [hit.ref for hit in found(charlie, query)["case"]]

    alone = charlies()
    assert alone == [own.reference]
    for suffix in "abcdefghijklmnopqrstuvwxy":
        JointCaseFactory(by=alice, title=f"Convoy of Marquart{suffix}")
    assert charlies() == alone


@postgresql_only
def test_english_and_french_stems_and_accents(alice):
    english = JointCaseFactory(by=alice, title="Smugglers crossing the river at night", summary="")
    french = JointCaseFactory(by=alice, title="Passeurs de cigarettes sur la rivière", summary="")
    assert refs(alice, "smuggler", "case") == [english.reference]
    assert refs(alice, "riviere", "case") == [french.reference]
    assert refs(alice, "passeur", "case") == [french.reference]


@postgresql_only
def test_snippets_mark_the_match_and_escape_everything_else(bob, zanzibar):
    [hit] = found(bob, "marina")["case"]
    assert "<mark>marina</mark>" in hit.snippet
    assert "&lt;" in hit.snippet and "&amp;" in hit.snippet and "&quot;" in hit.snippet
    assert "<" not in hit.snippet.replace("<mark>", "").replace("</mark>", "")


def test_the_results_page_groups_by_kind_and_escapes_the_text(client, bob, zanzibar):
    client.force_login(bob)
    page = client.get(reverse("partnerships:search"), {"q": "zanzibar"}).content.decode()
    assert zanzibar.reference in page and "<mark>" in page
    assert "5 < 6" not in page and "5 &lt; 6" in page
    assert 'id="results-case"' in page and 'id="results-subject"' in page


def test_the_search_page_runs_a_fixed_number_of_queries(client, alice, django_assert_max_num_queries):
    for number in range(12):
        JointCaseFactory(by=alice, title=f"Pelican crossing {number}", summary="pelican")
    client.force_login(alice)
    with django_assert_max_num_queries(60):
        assert client.get(reverse("partnerships:search"), {"q": "pelican"}).status_code == 200
    with django_assert_max_num_queries(60):
        assert client.get(reverse("partnerships:search"), {"q": "pelican", "kind": "case", "page": "1"}
                          ).status_code == 200


def test_one_kind_is_paged_and_counts_stop_at_the_cap(alice, settings, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 4)
    for number in range(7):
        JointCaseFactory(by=alice, title=f"Heron sighting {number}", summary="")
    first = search.run(user=alice, text="heron", kind="case", page=1, page_size=3).groups[0]
    assert len(first.hits) == 3 and first.capped and first.has_next
    second = search.run(user=alice, text="heron", kind="case", page=2, page_size=3).groups[0]
    assert not {hit.ref for hit in first.hits} & {hit.ref for hit in second.hits}


def test_the_overview_counts_no_further_than_it_shows_and_links_to_the_kind(client, alice):
    for number in range(7):
        JointCaseFactory(by=alice, title=f"Egret sighting {number}", summary="")
    overview = search.run(user=alice, text="egret").groups[0]
    assert overview.kind.name == "case" and len(overview.hits) == search.OVERVIEW_SIZE
    assert overview.capped and overview.cap == search.OVERVIEW_SIZE and overview.has_next
    assert search.run(user=alice, text="egret", kind="case").groups[0].count == 7
    client.force_login(alice)
    page = client.get(reverse("partnerships:search"), {"q": "egret"}).content.decode()
    assert "(more than 5)" in page and "kind=case" in page


@postgresql_only
def test_a_word_the_statistics_call_common_finds_the_same_and_charlie_still_nothing(bob, charlie, zanzibar,
                                                                                   monkeypatch):
    """A common word skips reading the matching ids first (a plan's choice): the same results, the same rules."""
    def refs_by_kind(user):
        return {kind: [hit.ref for hit in hits] for kind, hits in found(user, "zanzibar").items()}

    def matches(text):
        terms = search.Terms.parse(text)
        return search.matching_ids(search.kinds(), terms, search._tsqueries(terms)[1])

    usual = refs_by_kind(bob)
    assert usual["case"] == [zanzibar.reference]
    everywhere = {kind.model._meta.db_table: {"zanzibar": 1.0} for kind in search.kinds()}
    monkeypatch.setattr(search, "_lexeme_shares", lambda: everywhere)
    assert all(ids is search.COMMON for ids in matches("zanzibar").values())
    assert refs_by_kind(bob) == usual
    assert search.run(user=charlie, text="zanzibar").hits == []
    assert not any(ids is search.COMMON for ids in matches("zanzibar marina").values())


# --- charlie: no trace ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["zanzibar", "Zanzibr", "quetzalcoatl", "Tremblay", "Tremblya", "313.555.0142",
                                  "fentanyl précurseur", "marina"])
def test_charlie_finds_counts_and_snippets_nothing_of_alices(charlie, zanzibar, text):
    results = search.run(user=charlie, text=text)
    assert {group.kind.name: group.count for group in results.groups} == dict.fromkeys(
        [kind.name for kind in search.kinds()], 0)
    assert results.hits == []


def test_charlie_finds_his_own_case_and_only_his_and_the_record_says_so(client, charlie, zanzibar):
    own = JointCaseFactory(by=charlie, title="Zanzibar smoke shop", summary="Contraband tobacco")
    client.force_login(charlie)
    answer, [record] = written(lambda: client.get(reverse("partnerships:search"), {"q": "zanzibar"}))
    page = answer.content.decode()
    assert own.reference in page
    for trace in (zanzibar.reference, zanzibar.title, "Tremblay", "manifest", "marina"):
        assert trace not in page
    assert record.returned == [own.pk]
    assert record.detail["counts"] == {**dict.fromkeys([kind.name for kind in search.kinds()], 0), "case": 1}


def test_charlies_api_search_returns_nothing_of_alices(charlie, zanzibar):
    answer = api(charlie).get(reverse("api:search"), {"q": "zanzibar"})
    assert answer.status_code == 200
    body = answer.content.decode()
    assert zanzibar.reference not in body and "Tremblay" not in body
    assert all(group["count"] == 0 and group["results"] == [] for group in answer.json()["groups"])


# --- the API --------------------------------------------------------------------------------------

def test_the_api_answers_the_same_search_grouped_and_records_it(bob, zanzibar):
    client = api(bob)
    answer, [record] = written(lambda: client.get(reverse("api:search"), {"q": "zanzibar"}))
    assert answer.status_code == 200
    groups = {group["kind"]: group for group in answer.json()["groups"]}
    assert groups["case"]["count"] == 1 and groups["case"]["results"][0]["ref"] == zanzibar.reference
    assert record.door == AuditEvent.Door.API and record.returned == [zanzibar.pk]
    only = client.get(reverse("api:search"), {"q": "zanzibar", "kind": "case", "page_size": "1"}).json()
    assert [group["kind"] for group in only["groups"]] == ["case"]


@pytest.mark.parametrize("query, field", [
    ({}, "q"), ({"q": " "}, "q"), ({"q": "x", "kind": "nothing"}, "kind"), ({"q": "x", "page": "0"}, "page"),
    ({"q": "x", "page": "abc"}, "page"), ({"q": "x", "page_size": "5"}, "page_size"),
    ({"q": "x", "kind": "case", "page_size": "1000"}, "page_size"), ({"q": "x", "sort": "new"}, "sort"),
    ({"q": "x" * 201}, "q"), ({"q": "x", "page": "999"}, "page"),
])
def test_bad_api_input_is_a_problem_naming_the_parameter_and_records_nothing(bob, query, field):
    client = api(bob)
    answer, records = written(lambda: client.get(reverse("api:search"), query, HTTP_ACCEPT_LANGUAGE="fr"))
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/problem+json")
    assert field in answer.json()["errors"]
    assert records == []


def test_bad_page_input_is_said_in_french_and_finds_nothing(client, bob, zanzibar):
    client.force_login(bob)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("partnerships:search"), {"q": "zanzibar", "page": "999"}).content.decode()
    assert "Indiquez une page" in page
    assert zanzibar.reference not in page

