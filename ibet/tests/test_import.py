"""CSV import: all rows or none, the bad rows named, 10,000 rows in seconds, progress shown."""

import csv
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ibet import imports, services
from ibet.models import ImportJob, Occurrence
from ibet.tests.factories import make_pacific
from partnerships.models import EnforcementResult

pytestmark = pytest.mark.django_db

ROW = ["2026-11-02 23:40", "vehicle_incursion", "49.00211", "-122.75612", "Zero Avenue", "Pacific Highway", "no",
       "2", "CA, US", "Pickup crossed the ditch", "1", "drugs", "18", "kg", "cannabis"]


@pytest.fixture
def pacific(cast):
    return make_pacific(cast)


def csv_file(rows, language="en", name="occurrences.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([headers[1 if language == "fr" else 0] for headers in imports.COLUMNS.values()])
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def upload(client, team, file, capture):
    with capture(execute=True):
        return client.post(reverse("ibet:import_start"), {"team": team.pk, "file": file})


def test_one_bad_row_among_1000_saves_nothing_and_is_named(client, pacific, django_capture_on_commit_callbacks):
    rows = [list(ROW) for _ in range(1000)]
    rows[636][1] = "smuggling"  # file row 638 (after the header)
    client.force_login(pacific.cast.alice)
    response = upload(client, pacific, csv_file(rows), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("ibet:import_detail", args=[job.pk])
    assert job.status == "refused" and job.errors[0]["row"] == 638 and len(job.errors) == 1
    assert "kind: smuggling is not one of" in job.errors[0]["errors"][0]
    assert not Occurrence.objects.exists() and not EnforcementResult.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "638" in page and "Refused: nothing was saved" in page


def test_a_clean_10000_row_file_imports_in_seconds(client, pacific, django_capture_on_commit_callbacks):
    client.force_login(pacific.cast.bob)
    started = time.monotonic()
    upload(client, pacific, csv_file([list(ROW) for _ in range(10_000)]), django_capture_on_commit_callbacks)
    elapsed = time.monotonic() - started
    job = ImportJob.objects.get()
    assert (job.status, job.imported_rows, job.checked_rows, job.percent) == ("done", 10_000, 10_000, 100)
    assert Occurrence.objects.filter(team=pacific).count() == 10_000
    assert EnforcementResult.objects.count() == 20_000
    assert elapsed < 30, elapsed  # seconds, not minutes, even on a busy 2-core machine


def test_french_headers_are_understood(client, pacific, django_capture_on_commit_callbacks):
    client.force_login(pacific.cast.bob)
    upload(client, pacific, csv_file([list(ROW)], language="fr"), django_capture_on_commit_callbacks)
    assert ImportJob.objects.get().status == "done"


@pytest.mark.parametrize("header, message", [
    (["occurred_at", "kind", "narrative"], "Missing column: nearest_port"),
    (["occurred_at", "kind", "nearest_port", "narrative", "colour"], "Unknown column: colour"),
])
def test_bad_headers_are_refused(client, pacific, header, message, django_capture_on_commit_callbacks):
    file = SimpleUploadedFile("x.csv", (",".join(header) + "\n").encode(), content_type="text/csv")
    client.force_login(pacific.cast.alice)
    upload(client, pacific, file, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == "refused" and message in job.errors[0]["errors"]


def test_a_progress_page_refreshes_while_checking(client, pacific):
    client.force_login(pacific.cast.bob)
    job = services.occurrence_import_start(by=pacific.cast.bob, team=pacific, file=csv_file([list(ROW)]))
    page = client.get(reverse("ibet:import_detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "Waiting" in page


def test_charlie_cannot_import_or_see_an_import(client, pacific, django_capture_on_commit_callbacks):
    client.force_login(pacific.cast.bob)
    upload(client, pacific, csv_file([list(ROW)]), django_capture_on_commit_callbacks)
    client.force_login(pacific.cast.charlie)
    assert client.get(reverse("ibet:import_detail", args=[ImportJob.objects.get().pk])).status_code == 404
    response = client.post(reverse("ibet:import_start"), {"team": pacific.pk, "file": csv_file([list(ROW)])})
    assert "Select a valid choice" in response.content.decode()
    assert ImportJob.objects.count() == 1


def test_the_reasons_are_in_the_uploaders_language(client, pacific, django_capture_on_commit_callbacks):
    rows = [list(ROW)]
    rows[0][6] = "maybe"
    client.force_login(pacific.cast.bob)  # Bob reads French
    upload(client, pacific, csv_file(rows), django_capture_on_commit_callbacks)
    assert ImportJob.objects.get().errors == [{"row": 2, "errors": ["at_port doit être oui ou non (yes/no)."]}]


def test_an_import_run_twice_saves_its_rows_once(pacific, django_capture_on_commit_callbacks):
    """Tasks are delivered at least once (portal/outbox.py): a second run, even one that started before the
    first finished, changes nothing."""
    with django_capture_on_commit_callbacks() as enqueued:
        services.occurrence_import_start(by=pacific.cast.bob, team=pacific, file=csv_file([list(ROW)] * 3))
    second_run = ImportJob.objects.get()  # loaded while the job was waiting, with its file
    enqueued[0]()  # the first run
    assert (ImportJob.objects.get().status, Occurrence.objects.count()) == ("done", 3)
    imports.run(second_run)
    job = ImportJob.objects.get()
    assert (job.status, job.imported_rows, job.checked_rows, Occurrence.objects.count()) == ("done", 3, 3, 3)
