import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ibet.models import Occurrence
from ibet.tests.factories import make_pacific, record
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def pacific(cast):
    return make_pacific(cast)


def body(team, **extra):
    return {"team": team.pk, "occurred_at": (timezone.now() - datetime.timedelta(days=1)).isoformat(),
            "kind": "interdiction", "place": "Sumas Prairie", "nearest_port": "Sumas", "narrative": "Load on foot",
            "persons_apprehended": 2, "results": [{"kind": "seizure", "category": "drugs", "quantity": "9.5",
                                                   "unit": "kg", "description": "methamphetamine"}], **extra}


def test_a_member_records_and_reads_occurrences_through_the_api(pacific):
    client = api(pacific.cast.bob)
    created = client.post(reverse("ibet_api:occurrence_list"), body(pacific), format="json")
    assert created.status_code == 201 and created.json()["results"][0]["quantity"] == "9.500"
    assert [o["id"] for o in client.get(reverse("ibet_api:occurrence_list")).json()["results"]] == [
        created.json()["id"]]
    regions = client.get(reverse("ibet_api:region_list")).json()["results"]
    assert regions[0]["missing_core_agencies"] == ["RCMP", "CBSA", "CBP", "HSI", "USCG"]
    assert client.get(reverse("ibet_api:team_list")).json()["results"][0]["member_agencies"] == ["CBP", "RCMP"]


def test_bad_occurrences_are_refused_and_nothing_saved(pacific):
    client = api(pacific.cast.bob)
    no_place = client.post(reverse("ibet_api:occurrence_list"), body(pacific, place=""), format="json")
    assert no_place.status_code == 400 and "position" in no_place.json()["errors"]["non_field_errors"][0]
    future = client.post(reverse("ibet_api:occurrence_list"),
                         body(pacific, occurred_at=(timezone.now() + datetime.timedelta(days=1)).isoformat()),
                         format="json")
    assert future.status_code == 400
    assert not Occurrence.objects.exists()


def test_charlie_sees_no_occurrence_and_cannot_record_one(pacific):
    occurrence = record(pacific, pacific.cast.alice)
    client = api(pacific.cast.charlie)
    for name in ("region_list", "team_list", "occurrence_list"):
        assert client.get(reverse(f"ibet_api:{name}")).json()["results"] == []
    assert client.get(reverse("ibet_api:occurrence_detail", args=[occurrence.pk])).status_code == 404
    refused = client.post(reverse("ibet_api:occurrence_list"), body(pacific), format="json")
    assert refused.status_code == 400 and refused.json()["errors"] == {"team": ["Unknown team."]}


def test_reports_through_the_api_follow_the_review_rule(pacific):
    from ibet.models import IntelligenceReport

    client = api(pacific.cast.alice)
    created = client.post(reverse("ibet_api:report_list"), {
        "team": pacific.pk, "subject": "Courier network", "text": "Vehicles staged at night",
        "reliability": "B", "credibility": "2"}, format="json")
    assert created.status_code == 201
    report_id = created.json()["id"]
    assert api(pacific.cast.bob).get(reverse("ibet_api:report_detail", args=[report_id])).status_code == 200
    IntelligenceReport.objects.filter(pk=report_id).update(review_due=timezone.localdate() - datetime.timedelta(1))
    for user in (pacific.cast.alice, pacific.cast.bob, pacific.cast.charlie):
        assert api(user).get(reverse("ibet_api:report_list")).json()["count"] == 0
    ungraded = client.post(reverse("ibet_api:report_list"), {"team": pacific.pk, "subject": "S", "text": "T"},
                           format="json")
    assert set(ungraded.json()["errors"]) == {"reliability", "credibility"}
