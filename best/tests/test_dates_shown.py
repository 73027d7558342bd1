"""Issue 21, BEST: the prosecutors' decision date and the MLAT acknowledged and executed dates are shown on the
investigation page (the API gives them as decided_on, acknowledged_on and executed_on); charlie gets 404."""

import datetime

import pytest
from django.urls import reverse

from best import services
from partnerships.tests.test_api import api

pytestmark = pytest.mark.django_db


def test_decision_acknowledgement_and_execution_dates_are_shown_in_both_languages(client, world, investigation):
    by = world.agent.user
    day = datetime.date(2026, 3, 2)
    referral = services.referral_record(by=by, investigation=investigation, country="US", office="SDNY",
                                        referred_on=day)
    services.referral_decide(by=by, referral=referral, status="accepted", on=day + datetime.timedelta(days=5))
    request = services.mlat_record(by=by, investigation=investigation, requesting_country="US", asked="Bank records",
                                   sent_on=day)
    services.mlat_update(by=by, request=request, status="acknowledged", on=day + datetime.timedelta(days=10))
    services.mlat_update(by=by, request=request, status="executed", on=day + datetime.timedelta(days=40))
    url = reverse("best:investigation_detail", args=[investigation.case.reference])
    client.force_login(world.cast.alice)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "decided on 2026-03-07" in page
    assert "acknowledged on 2026-03-12" in page and "executed on 2026-04-11" in page
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "décision le 2026-03-07" in page and "accusé de réception le 2026-03-12" in page
    data = api(world.cast.alice).get(reverse("best_api:investigation_detail",
                                             args=[investigation.case.reference])).json()
    assert data["referrals"][0]["decided_on"] == "2026-03-07"
    assert (data["mlat_requests"][0]["acknowledged_on"], data["mlat_requests"][0]["executed_on"]) == (
        "2026-03-12", "2026-04-11")
    client.force_login(world.cast.charlie)
    assert client.get(url).status_code == 404
