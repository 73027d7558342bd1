"""French as good as English (issue 22): agencies by their French acronyms, values in words, numbers as people
read them in each language, and machine values (date inputs, the chart's SVG) the same in every language."""

import csv
import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from deconfliction.models import HitParty
from partnerships import words
from partnerships.models import Agency, CrossDesignation, JointCase

pytestmark = pytest.mark.django_db


def in_language(client, user, language):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_a_french_page_names_alices_agency_grc_and_an_english_one_rcmp(client, cast):
    rcmp = cast.alice.officer.agency
    Agency.objects.filter(pk=rcmp.pk).update(acronym_fr="GRC")
    in_language(client, cast.alice, "fr")
    french = client.get(cast.case.get_absolute_url()).content.decode()
    in_language(client, cast.alice, "en")
    english = client.get(cast.case.get_absolute_url()).content.decode()
    assert "GRC" in french and "GRC" not in english
    assert re.search(r">[^<]*\bRCMP\b", english)
    # the acronym stays the key of what machines read: the case list filters by it in both languages
    assert client.get("/cases/", {"lead_agency": "RCMP"}).status_code == 200


def test_an_agency_without_a_french_acronym_keeps_its_own(cast):
    cbp = cast.bob.officer.agency
    with translation.override("fr"):
        assert cbp.display_acronym == cbp.acronym
        cbp.acronym_fr = "SDPF"
        assert cbp.display_acronym == "SDPF"
    with translation.override("en"):
        assert cbp.display_acronym == cbp.acronym


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["49,471,467", "1", "2.5", "US$48,500", "18\u00a0kg", "Currency: CA$1,200 (3)"]),
    ("fr", ["49\u00a0471\u00a0467", "1", "2,5", "48\u00a0500\u00a0$\u00a0US", "18\u00a0kg",
            "Devises\u00a0: 1\u00a0200\u00a0$\u00a0CA (3)"]),
])
def test_numbers_and_quantities_read_as_people_write_them(language, expected):
    with translation.override(language):
        shown = [words.quantity(49471467), words.quantity(Decimal("1.000")), words.quantity(Decimal("2.500")),
                 words.measure(Decimal("48500.000"), "USD"), words.measure(Decimal("18.000"), "kg"),
                 words.seizure_line("currency", Decimal("1200"), "CAD", 3)]
    # Django's French format groups thousands with a no-break space
    assert shown == expected


def test_a_case_change_reads_as_field_names_and_labels_in_each_language():
    with translation.override("en"):
        assert words.field_change(JointCase, "status", "open", "active") == "Status: “Open” → “Active”"
    with translation.override("fr"):
        assert words.field_change(JointCase, "status", "open", "active") == \
            "Statut\u00a0: «\u00a0Ouvert\u00a0» → «\u00a0Actif\u00a0»"


def test_status_words_agree_with_their_noun_in_french():
    with translation.override("fr"):
        assert str(HitParty.Status.OPEN.label) == "Ouverte"
        assert str(JointCase.Status.OPEN.label) == "Ouvert"
        assert str(CrossDesignation.Status.EXPIRED.label) == "Expirée"


def test_an_expired_designation_says_why_in_the_readers_language():
    designation = CrossDesignation(status_reason=CrossDesignation.EXPIRED_REASON)
    with translation.override("fr"):
        assert designation.status_reason_display == "sa période de validité a pris fin"
    assert CrossDesignation(status_reason="Under review").status_reason_display == "Under review"


def test_french_date_inputs_carry_iso_values(client, cast):
    from best.tests.factories import BestWorld

    best = BestWorld(cast)
    in_language(client, cast.alice, "fr")
    page = client.get(f"/best/units/{best.unit.pk}/report/", {"start": "2026-01-01", "end": "2026-03-31"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="2026-01-01"' in html and 'value="2026-03-31"' in html
    assert "01/01/2026" not in html


def test_the_ibet_chart_writes_dot_decimals_in_french(client, cast):
    from ibet.tests.factories import make_pacific

    team = make_pacific(cast)
    in_language(client, cast.alice, "fr")
    html = client.get(f"/ibet/teams/{team.pk}/").content.decode()
    rects = re.findall(r"<rect ([^>]*)>", html)
    assert rects, "the chart draws its bars"
    for rect in rects:
        assert not re.search(r'="[-\d]+,\d', rect), rect
        assert re.search(r'width="\d+\.\d"', rect), rect


def test_a_date_is_never_shown_in_the_inputs_as_a_localized_string():
    from partnerships.forms import DateInput

    with translation.override("fr"):
        assert 'value="2026-01-01"' in DateInput().render("on", datetime.date(2026, 1, 1))


def test_the_french_import_template_writes_words_that_the_import_reads_back():
    from zoneinfo import ZoneInfo

    from django.utils import timezone as tz

    from ibet import imports

    with translation.override("fr"):
        text = imports.template("fr")
        assert "Incursion de véhicule" in text and "Drogues" in text
        assert "vehicle_incursion" not in text and ",drugs," not in text
        values = dict(zip(imports.COLUMNS, next(csv.reader([text.strip().splitlines()[1]])), strict=True))
        clean, errors = imports.check_row(values, ZoneInfo("America/Vancouver"), tz.now())
    assert errors == []
    assert clean["kind"] == "vehicle_incursion" and clean["seizure"]["category"] == "drugs"


def test_the_migration_gives_known_agencies_their_french_acronyms():
    import importlib

    from django.apps import apps as django_apps

    from partnerships.tests.factories import AgencyFactory

    migration = importlib.import_module("partnerships.migrations.0019_agency_acronym_fr")
    cbsa, ohio = AgencyFactory(acronym="CBSA"), AgencyFactory(acronym="OSHP")
    migration.fill_known(django_apps, None)
    cbsa.refresh_from_db(), ohio.refresh_from_db()
    assert (cbsa.acronym_fr, ohio.acronym_fr) == ("ASFC", "")
    with translation.override("fr"):
        assert cbsa.display_acronym == "ASFC" and ohio.display_acronym == "OSHP"


def test_a_final_agendas_change_list_reads_in_the_readers_language(client, cast):
    from cbcf import services as cbcf_services
    from cbcf.tests.factories import Forum

    forum = Forum(cast)
    items = [forum.propose(cast.alice, "Fentanyl precursors"), forum.propose(cast.bob, "Radio interoperability")]
    for item in items:
        cbcf_services.item_decide(by=forum.secretariat, item=item, status="accepted")
    with translation.override("en"):  # the secretariat member who makes it final reads English
        cbcf_services.agenda_advance(by=forum.secretariat, meeting=forum.meeting, state="final")
        cbcf_services.item_decide(by=forum.secretariat, item=items[1], status="deferred", reason="Next meeting")
        cbcf_services.agenda_advance(by=forum.secretariat, meeting=forum.meeting, state="final")
    in_language(client, cast.alice, "fr")
    page = client.get(f"/cbcf/meetings/{forum.meeting.pk}/").content.decode()
    assert "Retiré\u00a0: " in page and "Removed: " not in page
