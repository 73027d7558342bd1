"""The search over every kind, on the rich case of the route sweeps (tests/sweep_support.py): alice finds each of her
records by the marker written on it, in its kind; charlie, searching the same markers and alice's references and
titles, is returned, counted and shown nothing of hers, and his record of each search lists nothing of hers."""

import pytest
from django.db import connection
from django.urls import reverse

from partnerships import search
from partnerships.tests.records import written

pytestmark = pytest.mark.django_db

# Which kind each marked text is found in (the marker's description in sweep_support.build).
FOUND_IN = {
    "IBET case summary": "case", "BEST case title": "case", "BEST case summary": "case",
    "phone subject aliases": "subject", "vessel subject name": "subject",
    "document name (text)": "document", "document content (text)": "document",
    "document name (PDF)": "document", "document content (PDF)": "document",
    "occurrence narrative": "occurrence", "occurrence place": "occurrence", "report subject": "report",
    "report text": "report", "patrol notes": "patrol", "boarded vessel": "boarding", "boarding outcome": "boarding",
    "target organization": "target", "target aliases": "target", "agenda item title": "agenda_item",
    "agenda item summary fr": "agenda_item", "forum decision": "agenda_item",
}


def markers(rich):
    return {description: marker for marker, description in rich.markers.written_on.items()}


def test_every_kind_is_registered():
    assert {kind.name for kind in search.kinds()} == set(FOUND_IN.values())


def test_alice_finds_each_of_her_records_in_its_kind(rich):
    by_description = markers(rich)
    for description, kind in FOUND_IN.items():
        results = search.run(user=rich.cast.alice, text=by_description[description], kind=kind)
        assert results.groups[0].count >= 1, f"{description} ({by_description[description]}) not found in {kind}"


def test_charlie_finds_counts_and_snippets_nothing_of_alices_in_any_kind(client, rich, settings):
    settings.RATE_LIMIT_SEARCH = "100000/m"  # a robot's many searches: the limit has its own tests
    charlie = rich.cast.charlie
    client.force_login(charlie)
    words = [*rich.markers.written_on, *rich.traces, "ZQXMARK", "Detroit River", "Fighting Island"]
    if connection.vendor == "postgresql":  # each with a typo, for the close matches
        words += [word[:-1] + "x" for word in rich.traces if " " in word]
    for text in words:
        results = search.run(user=charlie, text=text)
        assert all(group.count == 0 for group in results.groups if group.kind.name != "case"), text
        assert [hit.ref for hit in results.hits if hit.case_id and hit.case_id != rich.charlies_case.pk] == [], text
        answer, [record] = written(lambda text=text: client.get(reverse("partnerships:search"), {"q": text}))
        page = answer.content.decode()
        page = page[page.index("</form>", page.index('id="main"')):]  # the results: the query is echoed above them
        for trace in [*rich.markers.written_on, *(case.reference for case in rich.cases)]:
            assert trace not in page, (text, trace)
        assert set(record.returned) <= {rich.charlies_case.pk}, text
