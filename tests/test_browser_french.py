"""In Chromium, in French: the BEST unit report runs from its date inputs and shows its figures, and the IBET team
chart draws its bars (issue 22: French date inputs stayed empty and the chart's SVG read x="144,0")."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from best import services as best_services
from best.tests.factories import BestWorld
from ibet.tests.factories import make_pacific, record
from partnerships.tests.factories import Cast, share

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast_db(transactional_db):
    return Cast.create()


def test_the_best_unit_report_runs_in_french_from_its_date_inputs(live_server, page, sign_in_as, cast_db):
    best = BestWorld(cast_db)
    investigation = best.open()
    share(investigation.case, cast_db.alice.officer.agency, by=best.agent.user)
    best_services.seizure_record(by=best.agent.user, investigation=investigation, seized_on=timezone.localdate(),
                                 category="currency", quantity=Decimal("48500"), unit="USD")
    sign_in_as(cast_db.alice, language="fr")
    page.goto(f"{live_server.url}/best/units/{best.unit.pk}/report/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    this_year = timezone.localdate().year
    page.get_by_label("Du").fill(f"{this_year}-01-01")
    page.get_by_label("Au").fill(f"{this_year}-12-31")
    page.locator("form.filters button[type=submit]").click()
    # the inputs keep what was asked (an ISO value; a French "01/01/2026" would leave them empty)
    expect(page.get_by_label("Du")).to_have_value(f"{this_year}-01-01")
    expect(page.get_by_role("rowheader", name="Dossiers", exact=True)).to_be_visible()
    # the figure as French readers write it: "48 500 $ US" (no-break spaces, which the accessible name flattens)
    expect(page.get_by_role("row", name=re.compile(r"Saisi\s: Devises"))).to_contain_text(
        re.compile(r"48\s500\s\$\sUS"))


def test_the_ibet_team_chart_draws_bars_in_french(live_server, page, sign_in_as, cast_db):
    team = make_pacific(cast_db)
    for days in (3, 40, 75):
        record(team, cast_db.alice, occurred_at=timezone.now() - datetime.timedelta(days=days))
    sign_in_as(cast_db.alice, language="fr")
    page.goto(f"{live_server.url}/ibet/teams/{team.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    bars = page.locator("svg.chart rect")
    expect(bars.first).to_be_attached()
    widths = [bars.nth(i).evaluate("bar => bar.getBBox().width") for i in range(bars.count())]
    assert widths and all(width > 0 for width in widths), widths
    heights = [bars.nth(i).evaluate("bar => bar.getBBox().height") for i in range(bars.count())]
    assert sum(1 for height in heights if height > 0) >= 1, heights
    for attribute in ("x", "width"):
        assert "," not in (bars.first.get_attribute(attribute) or ""), "dot decimals in the SVG"
