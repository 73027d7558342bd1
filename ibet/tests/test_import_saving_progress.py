"""The import's progress moves while its rows are saved too (issue 21), not only while they are checked: the saving
transaction tells how many rows it wrote through the cache, batch by batch, and the page shows it."""

import pytest
from django.core.cache import cache
from redis.exceptions import RedisError

from ibet import imports
from ibet.models import ImportJob, Occurrence
from ibet.tests.test_import import ROW, csv_file, pacific, upload  # noqa: F401 (pacific is a fixture)

pytestmark = pytest.mark.django_db


def test_the_percent_climbs_from_half_to_whole_while_the_rows_are_saved(client, pacific, monkeypatch,  # noqa: F811
                                                                        django_capture_on_commit_callbacks):
    monkeypatch.setattr(imports, "SAVE_BATCH", 3)
    seen = []
    told = imports._saved

    def watch(job, rows):
        told(job, rows)
        job = ImportJob.objects.get(pk=job.pk)
        seen.append((job.status, job.saved_rows, job.percent))

    monkeypatch.setattr(imports, "_saved", watch)
    client.force_login(pacific.cast.bob)
    upload(client, pacific, csv_file([list(ROW) for _ in range(10)]), django_capture_on_commit_callbacks)
    assert seen == [("saving", 3, 65), ("saving", 6, 80), ("saving", 9, 95), ("saving", 10, 100)]
    job = ImportJob.objects.get()
    assert (job.status, job.percent, Occurrence.objects.count()) == ("done", 100, 10)


def test_the_saving_page_says_how_many_rows_are_saved(client, pacific):  # noqa: F811
    job = ImportJob.objects.create(team=pacific, uploaded_by=pacific.cast.bob, file_name="big.csv", content="x",
                                   status=ImportJob.Status.SAVING, total_rows=4000, checked_rows=4000)
    cache.set(imports.SAVING_KEY.format(pk=job.pk), 1000)
    client.force_login(pacific.cast.bob)
    page = client.get(f"/ibet/import/{job.pk}/").content.decode()
    assert "1000 of 4000 rows saved" in page and 'value="62"' in page


def test_an_unreachable_cache_leaves_the_saving_half_way_and_the_import_whole(client, pacific, monkeypatch,  # noqa: F811
                                                                              django_capture_on_commit_callbacks):
    def down(*args, **kwargs):
        raise RedisError("down")

    monkeypatch.setattr(imports.cache, "set", down)
    monkeypatch.setattr(imports.cache, "get", down)
    job = ImportJob(status=ImportJob.Status.SAVING, total_rows=10, checked_rows=10, pk=1)
    assert (job.saved_rows, job.percent) == (0, 50)
    client.force_login(pacific.cast.bob)
    upload(client, pacific, csv_file([list(ROW) for _ in range(5)]), django_capture_on_commit_callbacks)
    assert ImportJob.objects.get().status == "done" and Occurrence.objects.count() == 5
