"""Bad input to the IBET pages, API and CSV import is answered with a clear message, never a 500, and saves
nothing; an import that fails says so."""

import pytest
from django.urls import reverse

from ibet import imports, services
from ibet.models import ImportJob, Occurrence
from ibet.tasks import import_occurrences_task
from ibet.tests.factories import make_pacific
from ibet.tests.test_api import body
from ibet.tests.test_import import ROW, csv_file, upload
from partnerships.models import EnforcementResult
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def pacific(cast):
    return make_pacific(cast)


# --- a NUL in a filter (fault 2) --------------------------------------------------------------------------------

def test_a_nul_in_the_occurrence_filter_is_refused_with_400(client, pacific):
    client.force_login(pacific.cast.alice)
    response = client.get("/ibet/occurrences/?kind=a%00b")
    assert response.status_code == 400
    assert "The request contains a character that is not allowed." in response.content.decode()


# --- numbers too large for their columns (fault 6) ---------------------------------------------------------------

@pytest.mark.parametrize(("column", "value", "message"), [
    (7, HUGE, "persons_apprehended must be a whole number from 0 to 100000."),
    (10, HUGE, "arrests must be a whole number from 0 to 100000."),
    (7, "²", "persons_apprehended must be a whole number from 0 to 100000."),
    (12, "1e20", "seizure_quantity must be a number above 0 and below 100000000000."),
    (12, "Infinity", "seizure_quantity must be a number above 0 and below 100000000000."),
    (12, "0.0001", "seizure_quantity must be a number above 0 and below 100000000000."),
])
def test_an_import_row_with_a_number_too_large_for_its_column_is_refused_with_a_message(
        client, pacific, column, value, message, django_capture_on_commit_callbacks):
    row = list(ROW)
    row[column] = value
    client.force_login(pacific.cast.alice)
    upload(client, pacific, csv_file([list(ROW), row]), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert (job.status, job.errors) == ("refused", [{"row": 3, "errors": [message]}])
    assert not Occurrence.objects.exists() and not EnforcementResult.objects.exists()
    assert message in client.get(reverse("ibet:import_detail", args=[job.pk])).content.decode()


def test_an_import_job_that_fails_says_so_and_saves_nothing(client, pacific, monkeypatch):
    """What a worker does with a job whose run fails for a reason nobody foresaw: the job says it failed (it stayed
    "Checking rows — 1 of 1" for ever)."""
    def failing_save(job, cleaned):
        Occurrence.objects.create(team=job.team, occurred_at=cleaned[0]["occurred_at"], kind="interdiction",
                                  nearest_port="Sumas", narrative="half-saved")
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(imports, "_save", imports.transaction.atomic(failing_save))
    job = ImportJob.objects.create(team=pacific, uploaded_by=pacific.cast.alice, file_name="occurrences.csv",
                                   content=csv_file([list(ROW)]).read().decode())
    import_occurrences_task(job.pk)  # as a worker runs it
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None
    assert not Occurrence.objects.exists()
    client.force_login(pacific.cast.alice)
    page = client.get(reverse("ibet:import_detail", args=[job.pk])).content.decode()
    assert "Failed: nothing was saved" in page and "stopped on an error of the portal" in page
    assert 'http-equiv="refresh"' not in page


def test_an_import_that_the_database_interrupts_is_left_to_run_again(pacific, monkeypatch):
    from django.db import OperationalError

    def unreachable(job, cleaned):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(imports, "_save", unreachable)
    job = services.occurrence_import_start(by=pacific.cast.alice, team=pacific, file=csv_file([list(ROW)]))
    with pytest.raises(OperationalError):
        imports.run(ImportJob.objects.get(pk=job.pk))
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.SAVING  # the task's retry runs it again


def test_the_api_refuses_persons_apprehended_too_large_and_saves_nothing(pacific):
    response = api(pacific.cast.alice).post(reverse("ibet_api:occurrence_list"),
                                            body(pacific, persons_apprehended=int(HUGE)), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"persons_apprehended": ["Ensure this value is less than or equal to 100000."]}
    assert not Occurrence.objects.exists()


def test_the_occurrence_form_refuses_persons_apprehended_too_large_and_saves_nothing(client, pacific):
    client.force_login(pacific.cast.alice)
    response = client.post(reverse("ibet:occurrence_create"), {
        "team": pacific.pk, "occurred_at": "2026-01-02T10:00", "kind": "interdiction", "place": "Sumas Prairie",
        "nearest_port": "Sumas", "persons_apprehended": HUGE, "narrative": "Load on foot"})
    assert "Ensure this value is less than or equal to 100000." in response.content.decode()
    assert not Occurrence.objects.exists()
