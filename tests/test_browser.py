"""End to end in Chromium: sign in, open a case, switch to French; and axe-core on every page."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnerships.models import JointCase
from partnerships.tests.factories import PASSWORD, Cast, JointCaseFactory
from tests.conftest import watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast_db(transactional_db):
    return Cast.create()


def test_sign_in_open_a_case_and_switch_to_french(live_server, page, cast_db):
    case = cast_db.case
    page.goto(f"{live_server.url}/cases/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/cases/"))
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("I have read the system-use notice and accept its conditions.").check()
    page.get_by_role("button", name="Sign in").click()
    # First sign-in: set up the authenticator from the key shown beside the QR code.
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your second factor")
    expect(page.get_by_role("img", name="QR code to add the portal to an authenticator app")).to_be_visible()
    key = page.locator(".secret-key").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(code_from_key(key))
    page.get_by_role("button", name="Finish setting up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Backup codes")
    expect(page.locator(".backup-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.title)
    expect(page.get_by_role("rowheader", name="Royal Canadian Mounted Police (RCMP) — lead agency")).to_be_visible()

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Tableau de bord")).to_be_visible()
    expect(page.get_by_text("Organisme responsable", exact=True)).to_be_visible()
    expect(page.get_by_text("Gendarmerie royale du Canada (RCMP)", exact=True)).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def code_from_key(key):
    """What an authenticator app shows for the key typed in from the enrolment page."""
    import base64

    from django_otp.oath import TOTP

    return f"{TOTP(base64.b32decode(key)).token():06d}"


def test_a_returning_officer_signs_in_with_a_code_and_a_wrong_one_is_explained(live_server, page, axe, cast_db):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import totp_code

    device = TOTPDevice.objects.create(user=cast_db.bob, name="authenticator", confirmed=True)
    page.goto(f"{live_server.url}/accounts/login/")
    assert axe(page) == []
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()  # the notice is not accepted yet
    expect(page.locator("#id_acknowledge_error")).to_have_text("Accept the system-use notice to sign in.")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("I have read the system-use notice and accept its conditions.").check()
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # bob reads French
    expect(page.get_by_role("heading", level=1)).to_have_text("Deuxième facteur")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator(".field-error")).to_be_visible()
    assert axe(page) == []
    page.wait_for_timeout(1100)  # django-otp makes a wrong code wait 1 s before the next try
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")


def test_charlie_finds_no_trace_of_the_case_in_the_browser(live_server, page, sign_in_as, cast_db):
    sign_in_as(cast_db.charlie)
    page.goto(f"{live_server.url}/cases/?q=Detroit")
    expect(page.get_by_role("table")).to_contain_text("No case matches.")
    response = page.goto(f"{live_server.url}{cast_db.case.get_absolute_url()}")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")


def test_a_search_in_french_finds_an_english_and_a_french_case_and_charlie_finds_neither(live_server, page,
                                                                                          sign_in_as, cast_db):
    english = JointCaseFactory(by=cast_db.alice, title="Cigarettes smuggled across the ice bridge",
                               summary="Contraband tobacco seized near Akwesasne")
    french = JointCaseFactory(by=cast_db.alice, title="Contrebande de cigarettes au pont de glace",
                              summary="Tabac saisi près d'Akwesasne")
    sign_in_as(cast_db.alice, language="fr")
    page.goto(f"{live_server.url}/")
    page.get_by_role("search").first.get_by_role("searchbox").fill("cigarette")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rechercher")
    cases = page.locator("#results-case + ol")
    expect(cases).to_contain_text(english.reference)
    expect(cases).to_contain_text(french.reference)
    expect(cases.locator("mark").first).to_be_visible()
    page.context.clear_cookies()
    sign_in_as(cast_db.charlie, language="fr")
    page.goto(f"{live_server.url}/search/?q=cigarette")
    expect(page.locator("main")).not_to_contain_text(english.reference)
    expect(page.locator("main")).not_to_contain_text(french.reference)
    expect(page.locator("#results-case").locator("..")).to_contain_text("Aucun résultat.")


def test_alice_shares_by_keyboard_and_a_refusal_is_explained(live_server, page, sign_in_as, cast_db):
    alice = cast_db.alice
    ca_only = JointCaseFactory(by=alice, title="Akwesasne corridor", releasability=JointCase.Releasability.CA_ONLY)
    sign_in_as(alice)
    page.goto(f"{live_server.url}/cases/{ca_only.reference}/sharing/")
    options = page.locator("#id_agency option").all_text_contents()
    assert not any("CBP" in option for option in options)  # a US agency is never offered
    page.get_by_label("Agency", exact=True).select_option(label="OPP — Ontario Provincial Police")
    page.get_by_label("Level").select_option("contribute")
    page.get_by_label("Purpose or legal basis").select_option("ibet_mou")
    page.locator("#id_reason").fill("Joint operation in the St. Lawrence")
    page.locator("#id_reason").press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Case shared with OPP")
    expect(page.get_by_role("row", name=re.compile("Ontario Provincial Police"))).to_contain_text("Contribute")


def pages_to_check(cast):
    """Every page of the portal, seen by someone allowed to see it (and charlie's 404)."""
    from partnerships import services
    from partnerships.models import AccessLevel, CaseRequest, Officer, Purpose
    from partnerships.tests.factories import share

    case, alice, bob = cast.case, cast.alice, cast.bob
    alice.officer.role = Officer.Role.AGENCY_ADMIN
    alice.officer.is_auditor = True
    alice.officer.save()
    from django.test import override_settings

    from webhooks import services as webhooks

    with override_settings(DEBUG=True):  # an endpoint on loopback, as a developer registers one
        endpoint, _secret = webhooks.endpoint_register(by=alice, url="http://127.0.0.1:9/hooks",
                                                       event_types=["case.shared"], description="Records system")
    h2 = JointCaseFactory(by=alice, title="H2 case", handling_code="H1")
    h2 = services.case_update(case=h2, by=alice, handling_code="H2")
    share(h2, bob.officer.agency, AccessLevel.MANAGE, by=alice)
    services.api_token_issue(user=alice, name="CBSA case system")
    request = services.case_request_file(case=h2, kind=CaseRequest.Kind.SHARE, by=bob,
                                         target_agency=cast.charlie.officer.agency, level=AccessLevel.VIEW,
                                         purpose=Purpose.IBET_MOU, reason="Joint operation")
    from shiprider import services as shiprider_services
    from shiprider.tests.factories import ShipRiderWorld

    world = ShipRiderWorld(cast)
    start, end = world.window()
    patrol, _warnings = shiprider_services.patrol_schedule(by=world.rcmp_lead.user, site=world.site,
                                                           vessel=world.vessel, planned_start=start,
                                                           planned_end=end, crew=world.crew())
    designation = next(iter(world.designations.values()))
    from ibet import services as ibet_services
    from ibet.models import IbetTeam, Region
    from partnerships.models import Team

    ibet_team = Team.objects.create(name="Pacific", kind=Team.Kind.IBET_TEAM)
    ibet_team.member_agencies.set([alice.officer.agency, bob.officer.agency])
    pacific = IbetTeam.objects.create(team=ibet_team, region=Region.objects.create(name="Pacific"),
                                      location="Blaine", time_zone="America/Vancouver")
    occurrence = ibet_services.occurrence_record(
        by=alice, team=pacific, occurred_at=timezone.now() - datetime.timedelta(hours=1), kind="surveillance",
        nearest_port="Blaine", narrative="Camera hit", place="Zero Avenue")
    report = ibet_services.report_enter(by=alice, team=pacific, subject="Courier network", text="Night staging",
                                        reliability="B", credibility="2", handling_code="H0", releasability="ca_us")
    ibet_services.jmt_representative_add(by=alice, region=pacific.region, officer=alice.officer)  # one to replace
    ibet_services.team_officers_set(by=alice, team=pacific, officers=[alice.officer])
    operation = ibet_services.operation_create(by=alice, team=pacific, us_name="Operation Northern Reach",
                                               canadian_name="Project Coldwater", starts_on=timezone.localdate(),
                                               agencies=[bob.officer.agency])
    from django.core.files.uploadedfile import SimpleUploadedFile

    from best.tests.factories import BestWorld

    best = BestWorld(cast)
    investigation = best.open()
    from cbcf.tests.factories import Forum

    forum = Forum(cast)
    forum.propose(alice, "Fentanyl precursors")

    from deconfliction import services as deconfliction_services
    from partnerships.services import subject_add

    charlies_case = JointCaseFactory(by=cast.charlie, title="Walpole Island")
    subject_add(by=alice, case=case, kind="phone", name="+1 313 555 0142")
    subject_add(by=cast.charlie, case=charlies_case, kind="phone", name="313 555 0142")
    soon = timezone.now() + datetime.timedelta(days=1)
    event, parties = deconfliction_services.event_plan(
        by=alice, case=case, kind="other", title="Raid", latitude=42.27, longitude=-83.13, radius_m=100,
        starts_at=soon, ends_at=soon + datetime.timedelta(hours=4))
    from deconfliction.models import CheckAlert, HitParty

    alices_hit = HitParty.objects.filter(agency=alice.officer.agency).first()
    deconfliction_services.check_only(by=cast.charlie, subject={"kind": "phone", "name": "(313) 555-0142"})
    alices_alert = CheckAlert.objects.get(agency=alice.officer.agency)

    job = ibet_services.occurrence_import_start(by=alice, team=pacific, file=SimpleUploadedFile(
        "bad.csv", b"occurred_at,kind,nearest_port,narrative\n2026-01-01 10:00,smuggling,Blaine,x\n"))
    return [
        (None, "/accounts/login/"),
        (alice, "/designations/"),
        (alice, f"/designations/{designation.pk}/"),
        (world.uscg_admin.user, "/designations/new/"),
        (world.uscg_admin.user, f"/designations/{designation.pk}/"),
        (alice, "/shiprider/patrols/"),
        (alice, "/shiprider/patrols/new/"),
        (alice, f"/shiprider/patrols/{patrol.pk}/"),
        (alice, f"/shiprider/patrols/{patrol.pk}/radio/"),
        (alice, f"/shiprider/calendar/?site={world.site.pk}"),
        (alice, f"/shiprider/calendar/?site={world.site.pk}&view=week"),
        (alice, "/shiprider/figures/"),
        (alice, "/shiprider/calendar/feed/"),
        (alice, "/ibet/"),
        (alice, f"/ibet/regions/{pacific.region_id}/"),
        (alice, "/ibet/regions/new/"),
        (alice, "/ibet/teams/new/"),
        (alice, f"/ibet/teams/{pacific.pk}/edit/"),
        (alice, f"/ibet/teams/{pacific.pk}/officers/"),
        (alice, "/ibet/occurrences/"),
        (alice, "/ibet/occurrences/new/"),
        (alice, f"/ibet/occurrences/{occurrence.pk}/"),
        (alice, f"/ibet/teams/{pacific.pk}/"),
        (alice, "/ibet/reports/"),
        (alice, "/ibet/reports/new/"),
        (alice, f"/ibet/reports/{report.pk}/"),
        (alice, "/ibet/operations/"),
        (alice, "/ibet/operations/new/"),
        (alice, f"/ibet/operations/{operation.pk}/"),
        (alice, "/ibet/import/"),
        (forum.secretariat, "/cbcf/"),
        (forum.secretariat, f"/cbcf/meetings/{forum.meeting.pk}/"),
        (alice, f"/cbcf/meetings/{forum.meeting.pk}/propose/"),
        (forum.secretariat, "/cbcf/meetings/new/"),
        (forum.secretariat, "/cbcf/initiatives/"),
        (forum.secretariat, "/cbcf/actions/"),
        (forum.secretariat, "/cbcf/subgroups/"),
        (alice, "/cbcf/calendar/"),
        (best.agent.user, "/best/"),
        (best.agent.user, "/best/investigations/new/"),
        (best.agent.user, f"/best/investigations/{investigation.case.reference}/"),
        (best.agent.user, f"/best/units/{best.unit.pk}/report/"),
        (best.hsi_admin.user, f"/best/units/{best.unit.pk}/members/"),
        (world.uscg_admin.user, f"/designations/{designation.pk}/renew/"),
        (bob, f"/cases/{h2.reference}/sharing/"),
        (alice, f"/ibet/import/{job.pk}/"),
        (alice, "/"),
        (alice, "/cases/"),
        (alice, "/cases/?lead_agency=NOPE"),
        (alice, case.get_absolute_url()),
        (alice, h2.get_absolute_url()),
        (alice, f"/cases/{case.reference}/print/"),
        (alice, "/cases/new/"),
        (alice, f"/cases/{case.reference}/edit/"),
        (alice, f"/cases/{case.reference}/sharing/"),
        (alice, f"/cases/{case.reference}/access-log/"),
        (alice, f"/cases/{h2.reference}/requests/{request.pk}/"),
        (bob, f"/cases/{h2.reference}/requests/share/"),
        (bob, f"/cases/{h2.reference}/requests/court-release/"),
        (bob, f"/cases/{h2.reference}/sharing/"),
        (bob, "/notifications/"),
        (alice, "/agency/officers/"),
        (alice, f"/agency/officers/{alice.officer.pk}/"),
        (alice, "/agency/activity/"),
        (alice, "/agency/tokens/"),
        (alice, "/agency/webhooks/"),
        (alice, "/agency/webhooks/new/"),
        (alice, f"/agency/webhooks/{endpoint.pk}/"),
        (alice, f"/agency/webhooks/{endpoint.pk}/deliveries/"),
        (alice, "/audit/"),
        (alice, "/deconfliction/"),
        (alice, "/search/?q=Detroit"),
        (alice, "/deconfliction/events/new/"),
        (alice, f"/deconfliction/events/{event.pk}/"),
        (alice, f"/deconfliction/hits/{alices_hit.pk}/"),
        (alice, "/deconfliction/check/"),
        (alice, f"/deconfliction/checks/{alices_alert.pk}/"),
        (alice, "/accounts/security/"),
        (alice, "/accounts/password/"),
        (None, "/accounts/reset/MQ/invalid-token/"),
        (cast.charlie, case.get_absolute_url()),  # the 404 page
    ]


@pytest.mark.parametrize("half", [0, 1])  # two tests per language, which `make test`'s two workers share
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_passes_axe_in_both_languages(live_server, browser, axe, language, half, cast_db):
    findings = {}
    for user, path in pages_to_check(cast_db)[half::2]:
        context = browser.new_context()
        domain = live_server.url.split("//")[1].split(":")[0]
        cookies = [{"name": "django_language", "value": language, "domain": domain, "path": "/"}]
        if user is not None:
            from django.test import Client

            client = Client()
            client.force_login(user)
            cookies.append({"name": "sessionid", "value": client.cookies["sessionid"].value,
                            "domain": domain, "path": "/"})
        context.add_cookies(cookies)
        blocked = watch_csp(context)
        page = context.new_page()
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == (404 if user == cast_db.charlie else 200), path
        assert page.locator("html").get_attribute("lang") == language
        violations = axe(page)
        if violations:
            findings[path] = violations
        if blocked:
            findings[f"{path} (Content-Security-Policy)"] = blocked
        context.close()
    assert findings == {}


def test_the_case_form_reports_errors_accessibly(live_server, page, sign_in_as, axe, cast_db):
    sign_in_as(cast_db.alice)
    page.goto(f"{live_server.url}/cases/new/")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the case a title.")
    assert axe(page) == []


def test_plan_a_patrol_in_the_browser(live_server, page, sign_in_as, cast_db):
    from shiprider.models import Patrol
    from shiprider.tests.factories import ShipRiderWorld

    world = ShipRiderWorld(cast_db)
    sign_in_as(world.rcmp_lead.user)
    page.goto(f"{live_server.url}/shiprider/patrols/")
    page.get_by_role("link", name="Plan a patrol").click()
    page.get_by_role("combobox", name="Site").select_option(label="Windsor / Detroit")
    page.get_by_role("combobox", name="Vessel").select_option(label="Inkster (RCMP-INK, RCMP)")
    start, end = world.window(days_ahead=4)
    page.get_by_label("Planned start (site's local time)").fill(start.strftime("%Y-%m-%dT20:00"))
    page.get_by_label("Planned end (site's local time)").fill(start.strftime("%Y-%m-%dT23:30"))
    for index, (officer, role) in enumerate(world.crew()):
        page.get_by_label(f"Officer {index + 1}", exact=True).select_option(str(officer.pk))
        page.get_by_label(f"Role {index + 1}", exact=True).select_option(role)
    page.get_by_role("button", name="Plan the patrol").click()
    expect(page.get_by_role("status")).to_contain_text("Patrol planned.")
    expect(page.get_by_role("rowheader", name="BM1 Marcus Reed")).to_be_visible()
    assert Patrol.objects.count() == 1


def test_log_a_boarding_and_open_a_case_in_the_browser(live_server, page, sign_in_as, cast_db):
    from shiprider import services as shiprider_services
    from shiprider.tests.factories import ShipRiderWorld

    world = ShipRiderWorld(cast_db)
    start, end = world.window(days_ahead=0)  # planned to leave in five minutes
    patrol, _warnings = shiprider_services.patrol_schedule(by=world.rcmp_lead.user, site=world.site,
                                                           vessel=world.vessel,
                                                           planned_start=start + datetime.timedelta(minutes=5),
                                                           planned_end=end, crew=world.crew())
    sign_in_as(world.rcmp_lead.user)
    page.goto(f"{live_server.url}/shiprider/patrols/{patrol.pk}/")
    page.get_by_role("button", name="Get underway").click()
    page.locator("#id_activity-kind").select_option("boarding")
    # The log records what happened: now, in the site's time.
    page.get_by_label("When (site's local time)").fill(
        timezone.localtime(timezone.now(), ZoneInfo(world.site.time_zone)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_activity-waters").select_option("CA")
    page.locator("#id_activity-directing_officer").select_option(str(world.uscg_bo.pk))
    page.get_by_label("Target vessel name").fill("Night Hawk")
    page.get_by_label("Persons arrested").fill("2")
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_role("alert")).to_contain_text("BM1 Marcus Reed (USCG) cannot")
    page.locator("#id_activity-directing_officer").select_option(str(world.rcmp_lead.pk))
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_role("status")).to_contain_text("Activity logged.")
    page.get_by_role("button", name="Open a joint case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Boarding of Night Hawk")


def test_record_an_occurrence_grade_a_report_and_import_a_csv(live_server, page, sign_in_as, cast_db, tmp_path):
    from ibet.models import ImportJob, IntelligenceReport, Occurrence
    from ibet.tests.factories import make_pacific

    pacific = make_pacific(cast_db)
    sign_in_as(cast_db.alice)
    page.goto(f"{live_server.url}/ibet/occurrences/new/")
    page.get_by_role("combobox", name="Team").select_option(str(pacific.pk))
    page.get_by_label("When (team's local time)").fill("2026-11-01T22:15")
    page.get_by_role("combobox", name="Type").select_option("pedestrian")
    page.get_by_label("Nearest port of entry").fill("Sumas")
    page.get_by_label("Narrative").fill("Three people on foot crossed at Vye Road")
    page.get_by_role("button", name="Record the occurrence").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the position (latitude and longitude) or a place.")
    page.get_by_label("Place").fill("Vye Road")
    page.get_by_role("button", name="Record the occurrence").click()
    expect(page.get_by_role("status")).to_contain_text("Occurrence recorded.")
    assert Occurrence.objects.count() == 1

    page.goto(f"{live_server.url}/ibet/reports/new/")
    page.get_by_role("combobox", name="Team").select_option(str(pacific.pk))
    page.get_by_label("Subject").fill("Courier network at Sumas")
    page.get_by_label("Text").fill("Vehicles staged on Vye Road at night.")
    page.get_by_role("combobox", name="Source reliability").select_option("B")
    page.get_by_role("combobox", name="Information credibility").select_option("2")
    page.get_by_role("button", name="Enter the report").click()
    expect(page.get_by_role("status")).to_contain_text("Report entered.")
    assert IntelligenceReport.objects.get().grading == "B2"

    csv_path = tmp_path / "occurrences.csv"
    csv_path.write_text("occurred_at,kind,place,nearest_port,narrative\n"
                        "2026-11-02 23:40,vehicle_incursion,Zero Avenue,Pacific Highway,Pickup southbound\n")
    page.goto(f"{live_server.url}/ibet/import/")
    page.get_by_role("combobox", name="Team").select_option(str(pacific.pk))
    page.get_by_label("CSV file (UTF-8").set_input_files(str(csv_path))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("status")).to_contain_text("Imported")
    assert ImportJob.objects.get().imported_rows == 1 and Occurrence.objects.count() == 2


def test_open_an_investigation_add_a_target_and_record_a_charge_and_a_conviction(live_server, page, sign_in_as,
                                                                               cast_db):
    from best.models import Conviction
    from best.tests.factories import BestWorld

    world = BestWorld(cast_db)
    sign_in_as(world.agent.user)
    page.goto(f"{live_server.url}/best/investigations/new/")
    page.get_by_role("combobox", name="Unit").select_option(str(world.unit.pk))
    page.get_by_label("Title").fill("Detroit-Windsor fentanyl pipeline")
    page.get_by_label("Narcotics").check()
    page.get_by_label("Foreign nexus").fill("Precursors shipped from Canada")
    page.get_by_role("button", name="Open the investigation").click()
    expect(page.get_by_role("status")).to_contain_text("Investigation BEST-")
    investigation_url = page.url

    page.get_by_text("Add a target organization").click()
    page.locator("#id_target-name").fill("Silva organization")
    page.locator("#id_target-kind").select_option("cartel")
    page.locator("form[action$='/target/'] button").click()
    expect(page.get_by_role("status")).to_contain_text("Target organization added.")

    page.get_by_role("link", name="The joint case (sharing, subjects, history)").click()
    page.get_by_text("Add a subject").click()
    page.locator("#id_subject-kind").select_option("person")
    page.locator("#id_subject-name").fill("Marco Silva")
    page.get_by_role("button", name="Add the subject").click()
    expect(page.get_by_role("status")).to_contain_text("Subject added.")

    page.goto(investigation_url)
    page.get_by_text("Record a conviction").click()
    page.locator("#id_conviction-subject").select_option(label="Person: Marco Silva")
    page.locator("#id_conviction-court").fill("E.D. Mich.")
    page.locator("#id_conviction-convicted_on").fill(timezone.localdate().isoformat())
    page.locator("#id_conviction-sentence").fill("120 months")
    page.locator("form[action$='/conviction/'] button").click()
    expect(page.get_by_role("alert")).to_contain_text("no earlier indictment or charge")
    page.get_by_text("Record an indictment or charge").click()
    page.locator("#id_charge-subject").select_option(label="Person: Marco Silva")
    page.locator("#id_charge-court").fill("E.D. Mich.")
    page.locator("#id_charge-jurisdiction").fill("Michigan")
    page.locator("#id_charge-charged_on").fill((timezone.localdate() - datetime.timedelta(days=3)).isoformat())
    page.locator("#id_charge-counts").fill("3")
    page.locator("form[action$='/charge/'] button").click()
    expect(page.get_by_role("status")).to_contain_text("Charge recorded.")
    page.get_by_text("Record a conviction").click()
    page.locator("#id_conviction-subject").select_option(label="Person: Marco Silva")
    page.locator("#id_conviction-court").fill("E.D. Mich.")
    page.locator("#id_conviction-convicted_on").fill(timezone.localdate().isoformat())
    page.locator("#id_conviction-sentence").fill("120 months")
    page.locator("form[action$='/conviction/'] button").click()
    expect(page.get_by_role("status")).to_contain_text("Conviction recorded.")
    assert Conviction.objects.count() == 1


def test_the_secretariats_path_to_the_briefing_book(live_server, page, sign_in_as, cast_db):
    import io

    from pypdf import PdfReader

    from cbcf.models import BriefingBook
    from cbcf.tests.factories import Forum

    forum = Forum(cast_db)
    for by, title in [(cast_db.alice, "Fentanyl precursors"), (cast_db.bob, "Radio interoperability"),
                      (cast_db.alice, "ShipRider expansion"), (cast_db.bob, "Not ready")]:
        forum.propose(by, title)
    sign_in_as(forum.secretariat, language="en")
    page.goto(f"{live_server.url}/cbcf/meetings/{forum.meeting.pk}/")
    for title, decision in [("Fentanyl precursors", "accepted"), ("Radio interoperability", "accepted"),
                            ("ShipRider expansion", "accepted"), ("Not ready", "declined")]:
        section = page.get_by_role("region", name=title)
        section.get_by_label("Decision").select_option(decision)
        if decision == "declined":
            section.get_by_label("Reason").fill("Not ready for ministers")
        section.get_by_role("button", name="Record").click()
        expect(page.get_by_role("status").first).to_contain_text("Decision recorded.")
    page.get_by_role("button", name="Move up: ShipRider expansion").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("table", name="Timetable")).to_contain_text("2. ShipRider expansion")
    page.get_by_role("button", name="Circulate").click()
    page.get_by_role("button", name="Make final").click()
    expect(page.get_by_text("Version 1, Final")).to_be_visible()
    page.get_by_role("button", name="Build the briefing book (English and French)").click()
    books = BriefingBook.objects.filter(meeting=forum.meeting)
    assert {b.language for b in books} == {"en", "fr"} and all(b.status == "ready" for b in books)
    for book in books:
        with page.expect_download() as download:
            page.get_by_role("link", name="PDF").nth(0 if book.language == "en" else 1).click()
        pdf_bytes = download.value.path().read_bytes()
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
        assert "ShipRider expansion" in " ".join(text.split())


def test_charlie_enters_a_subject_and_sees_only_a_pointer_to_alices_agency(live_server, page, sign_in_as, axe,
                                                                          cast_db):
    from partnerships.services import subject_add

    alice = cast_db.alice
    alice.officer.is_deconfliction_contact, alice.officer.phone = True, "+1 613 555 0101"
    alice.officer.save()
    subject_add(by=alice, case=cast_db.case, kind="person", name="Jean-Francois Tremblay")
    charlies_case = JointCaseFactory(by=cast_db.charlie, title="Walpole Island smuggling")
    sign_in_as(cast_db.charlie)
    page.goto(f"{live_server.url}{charlies_case.get_absolute_url()}")
    page.get_by_text("Add a subject").click()
    page.get_by_label("Kind").select_option("person")
    page.get_by_label("Name, number or address").fill("JEAN FRANÇOIS TREMBLAY")
    page.get_by_role("button", name="Add the subject").click()
    pointer = page.locator(".message.warning")
    expect(pointer).to_contain_text("Possible overlap with a case of RCMP")
    expect(pointer).to_contain_text("Alice Lead, +1 613 555 0101")
    body = page.locator("body").inner_text()
    assert cast_db.case.reference not in body and cast_db.case.title not in body
    expect(page.get_by_role("heading", name="Deconfliction")).to_be_visible()
    assert axe(page) == []
    page.get_by_role("link", name="Deconfliction", exact=True).first.click()
    page.locator("table.data a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deconfliction hit")
    page.get_by_label("Coordinated").check()
    page.get_by_role("button", name="Close", exact=True).click()
    expect(page.locator(".message.success")).to_have_text("Closed.")
    assert axe(page) == []


def test_charlie_checks_before_entering_and_alices_contact_sees_who_asked_what(live_server, page, sign_in_as, axe,
                                                                              cast_db):
    from partnerships.services import subject_add

    alice, case = cast_db.alice, cast_db.case
    alice.officer.is_deconfliction_contact, alice.officer.phone = True, "+1 613 555 0101"
    alice.officer.save()
    subject_add(by=alice, case=case, kind="person", name="Marc Gagnon", date_of_birth=datetime.date(1984, 3, 12))
    sign_in_as(cast_db.charlie)
    page.goto(f"{live_server.url}/deconfliction/")
    page.get_by_role("link", name="Check before entering").click()
    page.get_by_label("Kind").select_option("person")
    page.get_by_label("Name, number or address").fill("Marc Gagnon")
    page.get_by_label("Date of birth").fill("1984-03-11")
    page.get_by_role("button", name="Check the subject").click()
    answer = page.locator("section.answer")
    expect(answer).to_contain_text("Possible overlap with a case of RCMP")
    expect(answer).to_contain_text("Alice Lead, +1 613 555 0101")
    body = page.locator("body").inner_text()
    for trace in (case.reference, case.title, "Possible match", "similar name"):
        assert trace not in body, trace
    assert axe(page) == []

    page.context.clear_cookies()
    sign_in_as(alice)
    page.goto(f"{live_server.url}/notifications/")
    notice = page.get_by_role("link", name=re.compile("OPP — Ontario Provincial Police checked a subject"))
    expect(notice).to_contain_text("(possible match): contact Charlie Outside")
    notice.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check by another agency")
    expect(page.locator("main")).to_contain_text("Charlie Outside (charlie), OPP")
    expect(page.locator("ol.asked")).to_contain_text(
        "Kind: Person; Name, number or address: Marc Gagnon; Date of birth: 1984-03-11")
    expect(page.get_by_role("row", name=re.compile("Possible match"))).to_contain_text(case.reference)
    assert axe(page) == []


def test_a_planner_changes_and_cancels_a_patrol_and_the_crew_sees_it(live_server, page, sign_in_as, cast_db):
    from shiprider import services as shiprider_services
    from shiprider.tests.factories import ShipRiderWorld

    world = ShipRiderWorld(cast_db)
    start, end = world.window(days_ahead=4)
    patrol, _warnings = shiprider_services.patrol_schedule(by=world.rcmp_lead.user, site=world.site,
                                                           vessel=world.vessel, planned_start=start,
                                                           planned_end=end, crew=world.crew())
    sign_in_as(world.rcmp_lead.user)
    page.goto(f"{live_server.url}/shiprider/patrols/{patrol.pk}/")
    page.get_by_role("link", name="Change the crew, vessel or times").click()
    day = start.astimezone(ZoneInfo(world.site.time_zone)).date() + datetime.timedelta(days=1)
    page.get_by_label("Planned start (site's local time)").fill(f"{day.isoformat()}T08:00")
    page.get_by_label("Planned end (site's local time)").fill(f"{day.isoformat()}T12:00")
    page.get_by_label("Officer 2", exact=True).select_option("")  # Sarah McKenzie leaves the crew
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_role("status")).to_contain_text("Patrol changed")
    expect(page.get_by_text(f"{day.isoformat()} 08:00 EST")).to_be_visible()
    page.get_by_label("Reason for cancelling").fill("Ice on the Detroit River")
    page.get_by_role("button", name="Cancel the patrol").click()
    expect(page.get_by_role("status")).to_contain_text("Patrol cancelled")

    # The crew member taken off hears of the change; the boarding officer still on board, of both, in site time.
    changed, cancelled = "was changed (crew, end, start)", "was cancelled: Ice on the Detroit River"
    for officer, told in ((world.rcmp_cox, [changed]), (world.uscg_bo, [changed, cancelled])):
        page.context.clear_cookies()
        sign_in_as(officer.user)
        page.goto(f"{live_server.url}/notifications/")
        for text in told:
            expect(page.get_by_text(text)).to_be_visible()
        expect(page.get_by_text(f"{day.isoformat()} 08:00 EST").first).to_be_visible()
        expect(page.get_by_text("was cancelled")).to_have_count(len(told) - 1)


def test_the_secretariat_edits_a_meeting_circulates_and_a_participant_compares_versions(live_server, page,
                                                                                        sign_in_as, cast_db):
    from cbcf import services
    from cbcf.tests.factories import Forum

    forum = Forum(cast_db)
    items = [forum.propose(cast_db.alice, "Fentanyl precursors"), forum.propose(cast_db.bob, "Radio interoperability")]
    for item in items:
        services.item_decide(by=forum.secretariat, item=item, status="accepted")
    services.agenda_advance(by=forum.secretariat, meeting=forum.meeting, state="final")  # version 1, final
    services.item_decide(by=forum.secretariat, item=items[1], status="deferred", reason="Next meeting")
    sign_in_as(forum.secretariat, language="en")
    page.goto(f"{live_server.url}/cbcf/meetings/{forum.meeting.pk}/")
    page.get_by_role("link", name="Edit the meeting").click()
    page.get_by_label("Title (English)").fill("Senior officials, spring (Gatineau)")
    page.get_by_label("Place").fill("Gatineau")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Senior officials, spring (Gatineau)")
    page.get_by_role("button", name="Circulate").click()
    expect(page.get_by_text("Version 2, Circulated")).to_be_visible()
    page.context.clear_cookies()
    sign_in_as(cast_db.bob, language="en")
    page.goto(f"{live_server.url}/notifications/")
    told = "The agenda of Senior officials, spring (Gatineau) was circulated (version 2)."
    page.get_by_role("link", name=told).click()
    page.get_by_role("link", name="See two versions side by side").click()
    table = page.get_by_role("table", name="Version 1 (Final) and version 2 (Circulated) side by side")
    expect(table).to_contain_text("Radio interoperability")
    expect(table).to_contain_text("(changed)")
    expect(page.get_by_text("Removed: Radio interoperability")).to_be_visible()
