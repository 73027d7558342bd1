import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from shiprider import services
from shiprider.models import RadioPlan
from shiprider.tests.factories import ShipRiderWorld

pytestmark = pytest.mark.django_db

CHANNELS = [  # zone, number, function, name, rx, tx, mode
    ("MAR", "16", "Distress", "VHF 16", "156.80000", "156.80000", "A"),
    ("MAR", "22A", "Coast Guard liaison", "VHF 22A", "157.10000", "157.10000", "A"),
    ("JOINT", "1", "Command", "SR-CMD", "162.45000", "167.10000", "D"),
    ("JOINT", "2", "Tactical", "SR-TAC1", "162.52500", "167.22500", "D"),
    ("OPP", "3", "Land liaison", "OPP-WIN", "148.37500", "148.37500", "M"),
]


@pytest.fixture
def patrol(cast):
    world = ShipRiderWorld(cast)
    start, end = world.window()
    patrol, _warnings = services.patrol_schedule(by=world.rcmp_lead.user, site=world.site, vessel=world.vessel,
                                                 planned_start=start, planned_end=end, crew=world.crew())
    patrol.world = world
    return patrol


def plan_form(patrol, channels=CHANNELS, **overrides):
    start = timezone.localtime(patrol.planned_start).replace(tzinfo=None)
    data = {"incident_name": "ShipRider Windsor night patrol", "special_instructions": "Report hourly on SR-CMD.",
            "prepared_by": "Cpl Luc Bouchard, COML", "period_from": start.strftime("%Y-%m-%dT%H:%M"),
            "period_to": (start + datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
            "channels-TOTAL_FORMS": str(len(channels) + 2), "channels-INITIAL_FORMS": "0",
            "channels-MIN_NUM_FORMS": "0", "channels-MAX_NUM_FORMS": "40", **overrides}
    for index, (zone, number, function, name, rx, tx, mode) in enumerate(channels):
        data.update({f"channels-{index}-{key}": value for key, value in {
            "zone_group": zone, "channel_number": number, "function": function, "channel_name": name,
            "assignment": "All units", "rx_frequency": rx, "rx_bandwidth": "N", "rx_tone": "", "tx_frequency": tx,
            "tx_bandwidth": "N", "tx_tone": "", "mode": mode, "remarks": f"row {index + 1}"}.items()})
    return data


def test_the_ics205_pdf_holds_every_channel_row(client, patrol):
    client.force_login(patrol.world.rcmp_lead.user)
    response = client.post(reverse("shiprider:radio_plan", args=[patrol.pk]), plan_form(patrol))
    assert response.status_code == 302
    assert RadioPlan.objects.get().channels.count() == 5
    pdf = client.get(reverse("shiprider:radio_plan_pdf", args=[patrol.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "ShipRider Windsor night patrol" in text and "Cpl Luc Bouchard, COML" in text
    for _zone, _number, function, name, rx, tx, _mode in CHANNELS:
        assert name in text and function in text and rx in text and tx in text
    printed = client.get(reverse("shiprider:radio_plan_print", args=[patrol.pk])).content.decode()
    assert all(channel[3] in printed for channel in CHANNELS)


def test_a_long_plan_spreads_over_pages_with_every_row(client, patrol):
    many = [("Z", str(n), f"Function {n}", f"CH-{n:03d}", "156.80000", "156.80000", "A") for n in range(60)]
    client.force_login(patrol.world.rcmp_lead.user)
    data = plan_form(patrol, channels=many[:40])
    client.post(reverse("shiprider:radio_plan", args=[patrol.pk]), data)
    reader = PdfReader(io.BytesIO(client.get(reverse("shiprider:radio_plan_pdf", args=[patrol.pk])).content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert all(f"CH-{n:03d}" in text for n in range(40))


def test_bad_plans_are_refused_and_change_nothing(client, patrol):
    client.force_login(patrol.world.rcmp_lead.user)
    bad_frequency = plan_form(patrol, channels=[("Z", "1", "F", "N", "1.00000", "156.80000", "A")])
    response = client.post(reverse("shiprider:radio_plan", args=[patrol.pk]), bad_frequency)
    assert "Channel row 1: 1.00000 MHz is outside 30-960 MHz." in response.content.decode()
    no_channels = plan_form(patrol, channels=[])
    assert "List at least one channel." in client.post(reverse("shiprider:radio_plan", args=[patrol.pk]),
                                                       no_channels).content.decode()
    assert not RadioPlan.objects.exists()


def test_charlie_cannot_see_or_download_the_plan(client, patrol):
    client.force_login(patrol.world.rcmp_lead.user)
    client.post(reverse("shiprider:radio_plan", args=[patrol.pk]), plan_form(patrol))
    client.force_login(patrol.world.cast.charlie)
    for name in ("radio_plan", "radio_plan_print", "radio_plan_pdf"):
        assert client.get(reverse(f"shiprider:{name}", args=[patrol.pk])).status_code == 404
