"""Seizures in a BEST investigation through the API, with the page's Title 19 rule and messages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import AccessLevel, AuditEvent, CrossDesignation, EnforcementResult
from partnerships.tests.factories import share
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


def body(**extra):
    return {"seized_on": str(timezone.localdate()), "category": "drugs", "quantity": "12.5", "unit": "kg",
            "description": "cocaine", **extra}


def url(investigation):
    return reverse("best_api:seizures", args=[investigation.case.reference])


def test_a_contributor_records_a_seizure_and_a_lapsed_task_force_officer_may_not(world, investigation):
    client = api(world.cast.alice)
    saved = client.post(url(investigation), body(), format="json")
    assert saved.status_code == 201, saved.content
    assert saved.json() == {"kind": "seizure", "category": "drugs", "quantity": "12.500", "unit": "kg",
                            "description": "cocaine"}
    assert AuditEvent.objects.filter(door=AuditEvent.Door.API, detail__record="seizure").exists()
    CrossDesignation.objects.filter(pk=world.designation.pk).update(
        valid_to=timezone.localdate() - datetime.timedelta(days=1))
    refused = client.post(url(investigation), body(), format="json")
    assert refused.status_code == 400
    assert "Title 19 designation is not active" in refused.json()["errors"]["non_field_errors"][0]
    assert EnforcementResult.objects.filter(case=investigation.case, kind="seizure").count() == 1


def test_charlie_gets_404_and_a_viewer_gets_no_seizure_in(world, investigation):
    assert api(world.cast.charlie).post(url(investigation), body(), format="json").status_code == 404
    share(investigation.case, world.cast.bob.officer.agency, AccessLevel.VIEW, by=world.agent.user)
    assert api(world.cast.bob).post(url(investigation), body(), format="json").status_code in (403, 404)
    assert not EnforcementResult.objects.filter(case=investigation.case).exists()


def test_bad_input_is_refused_by_name(world, investigation):
    client = api(world.cast.alice)
    refused = client.post(url(investigation), body(category="persons", quantity="0", unit="tons"), format="json")
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"category", "quantity", "unit"}
    unknown = client.post(url(investigation), body(colour="red"), format="json")
    assert unknown.json()["errors"] == {"colour": ["Unknown field."]}
    assert not EnforcementResult.objects.filter(case=investigation.case).exists()
