"""Correcting an occurrence, several seizures on the form, the occurrence filters (issue 21); charlie sees nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ibet import services
from ibet.models import IbetTeam, Occurrence, Region
from ibet.tests.factories import make_pacific, record
from partnerships.models import AuditEvent, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def pacific(cast):
    return make_pacific(cast)


@pytest.fixture
def prairie(cast):
    """A second team of alice's agency, in another region."""
    team = Team.objects.create(name="Prairie (Emerson)", kind=Team.Kind.IBET_TEAM)
    team.member_agencies.set([cast.alice.officer.agency])
    return IbetTeam.objects.create(team=team, region=Region.objects.create(name="Prairie"), location="Emerson, MB",
                                   time_zone="America/Winnipeg")


def test_correcting_an_occurrence_on_the_page_audits_old_and_new_values(client, pacific):
    occurrence = record(pacific, pacific.cast.alice, persons_apprehended=2)
    client.force_login(pacific.cast.bob)
    page = client.get(reverse("ibet:occurrence_detail", args=[occurrence.pk])).content.decode()
    assert reverse("ibet:occurrence_edit", args=[occurrence.pk]) in page
    form = client.get(reverse("ibet:occurrence_edit", args=[occurrence.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["occurred_at"] = data["occurred_at"].strftime("%Y-%m-%dT%H:%M")
    data.pop("at_port")
    response = client.post(reverse("ibet:occurrence_edit", args=[occurrence.pk]),
                           {**data, "persons_apprehended": "3", "narrative": "Three on foot."})
    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert (occurrence.persons_apprehended, occurrence.narrative) == (3, "Three on foot.")
    event = AuditEvent.objects.filter(object_type="occurrence", detail__change="edit").get()
    assert event.detail["old"] == {"persons_apprehended": 2, "narrative": "Vehicle crossed the ditch at Zero Avenue."}
    assert event.detail["new"] == {"persons_apprehended": 3, "narrative": "Three on foot."}
    # The same values again: nothing recorded.
    client.post(reverse("ibet:occurrence_edit", args=[occurrence.pk]),
                {**data, "persons_apprehended": "3", "narrative": "Three on foot."})
    assert AuditEvent.objects.filter(object_type="occurrence", detail__change="edit").count() == 1


def test_a_correction_follows_the_recording_rules(client, pacific):
    occurrence = record(pacific, pacific.cast.alice)
    with pytest.raises(services.IbetRefused, match="once it has happened"):
        services.occurrence_change(by=pacific.cast.alice, occurrence=occurrence,
                                   occurred_at=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(services.IbetRefused, match="Give the position"):
        services.occurrence_change(by=pacific.cast.alice, occurrence=occurrence, place="")
    occurrence.refresh_from_db()
    assert occurrence.place == "Zero Avenue"


def test_the_api_corrects_with_the_same_rules(client, pacific):
    occurrence = record(pacific, pacific.cast.alice)
    client.force_login(pacific.cast.bob)
    url = reverse("ibet_api:occurrence_detail", args=[occurrence.pk])
    response = client.patch(url, {"kind": "pedestrian"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["kind"] == "pedestrian"
    refused = client.patch(url, {"place": ""}, content_type="application/json")
    assert refused.status_code == 400 and "Give the position" in str(refused.json())
    assert client.patch(url, {"team": 1}, content_type="application/json").status_code == 400
    assert AuditEvent.objects.filter(object_type="occurrence", detail__change="edit",
                                     door=AuditEvent.Door.API).count() == 1


def test_charlie_cannot_see_or_correct_an_occurrence_of_a_team_he_is_not_on(client, pacific):
    occurrence = record(pacific, pacific.cast.alice)
    client.force_login(pacific.cast.charlie)
    assert client.get(reverse("ibet:occurrence_edit", args=[occurrence.pk])).status_code == 404
    assert client.post(reverse("ibet:occurrence_edit", args=[occurrence.pk]), {"narrative": "x"}).status_code == 404
    assert client.patch(reverse("ibet_api:occurrence_detail", args=[occurrence.pk]), {"kind": "pedestrian"},
                        content_type="application/json").status_code == 404
    page = client.get(reverse("ibet:occurrence_list"), {"team": pacific.pk}).content.decode()
    assert "Pacific" not in page
    api = client.get(reverse("ibet_api:occurrence_list"), {"team": pacific.pk})
    assert api.status_code == 400 or api.json()["results"] == []
    occurrence.refresh_from_db()
    assert occurrence.kind == "vehicle_incursion"


def test_several_seizures_on_the_form(client, pacific):
    client.force_login(pacific.cast.alice)
    when = (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    rows = {"seizures-TOTAL_FORMS": "3", "seizures-INITIAL_FORMS": "0",
            "seizures-0-category": "drugs", "seizures-0-quantity": "12.5", "seizures-0-unit": "kg",
            "seizures-0-description": "Cocaine", "seizures-1-category": "currency", "seizures-1-quantity": "25000",
            "seizures-1-unit": "USD", "seizures-2-category": ""}
    form = {"team": pacific.pk, "occurred_at": when, "kind": "interdiction", "place": "Sumas Prairie",
            "nearest_port": "Sumas", "persons_apprehended": "1", "persons_arrested": "1", "narrative": "Backpacks"}
    bad = client.post(reverse("ibet:occurrence_create"), {**form, **rows, "seizures-1-unit": ""})
    assert "Give the quantity and unit of the seizure." in bad.content.decode() and not Occurrence.objects.exists()
    assert client.post(reverse("ibet:occurrence_create"), {**form, **rows}).status_code == 302
    results = Occurrence.objects.get().results.all()
    assert sorted((r.kind, r.category) for r in results) == [("arrest", "persons"), ("seizure", "currency"),
                                                            ("seizure", "drugs")]


def test_the_list_filters_by_team_region_and_dates_in_the_page_and_the_api(client, pacific, prairie):
    old = record(pacific, pacific.cast.alice, occurred_at=timezone.now() - datetime.timedelta(days=40))
    new = record(prairie, pacific.cast.alice, kind="pedestrian")
    client.force_login(pacific.cast.alice)

    def page(**query):
        return list(client.get(reverse("ibet:occurrence_list"), query).context["page"])

    def api(**query):
        return [row["id"] for row in client.get(reverse("ibet_api:occurrence_list"), query).json()["results"]]

    assert page(team=pacific.pk) == [old] and api(team=pacific.pk) == [old.pk]
    assert page(region=prairie.region.pk) == [new] and api(region=prairie.region.pk) == [new.pk]
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    assert page(occurred_from=since) == [new] and api(occurred_from=since) == [new.pk]
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert page(occurred_to=until) == [old] and api(occurred_to=until) == [old.pk]
    response = client.get(reverse("ibet:occurrence_list"), {"occurred_from": since, "occurred_to": until})
    assert "The end of the range comes after its start." in response.content.decode()
    assert list(response.context["page"]) == []


def test_a_csv_saved_by_french_excel_imports(client, pacific, django_capture_on_commit_callbacks):
    """Semicolons, Windows-1252 (é of "Prairie Sumas été"), French headers; saving is part of the progress."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ibet import imports
    from ibet.models import ImportJob

    header = ";".join(headers[1] for headers in imports.COLUMNS.values())
    row = ";".join(["2026-11-02 23:40", "vehicle_incursion", "49.00211", "-122.75612", "Prairie Sumas, côté été",
                    "Pacific Highway", "no", "2", "CA, US", "Camionnette passée par le fossé", "1", "drugs", "18",
                    "kg", "cannabis"])
    data = f"{header}\r\n{row}\r\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    client.force_login(pacific.cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ibet:import_start"), {"team": pacific.pk, "file": SimpleUploadedFile(
            "excel.csv", data, content_type="text/csv")})
    job = ImportJob.objects.get()
    assert (job.status, job.imported_rows, job.percent) == ("done", 1, 100)
    occurrence = Occurrence.objects.get()
    assert occurrence.place == "Prairie Sumas, côté été" and occurrence.narrative == "Camionnette passée par le fossé"
    assert ImportJob(status="saving", total_rows=10, checked_rows=10).percent == 50
    assert ImportJob(status="checking", total_rows=10, checked_rows=5).percent == 25
    assert imports.decode(b"\x81\x8d") is None  # bytes Windows-1252 does not define
