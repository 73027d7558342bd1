"""What the route sweeps share: a rich case with one of everything, and how to fill each route for it.

tests/test_no_trace_sweep.py requests every route as charlie, who must find no trace of alice's cases;
tests/test_audit_doors_sweep.py requests every route as the owner of what it addresses, who must leave exactly one
audit record of each read, through the right door. Both walk the resolver (portal/tests/routes.py) and fill each
route's parameters from here, so that a new route is swept by both without editing either.

The fixture (`rich`, in tests/conftest.py) builds alice's cases with one of every record that hangs off a case, in
every app, through the services, and gives every text it writes a marker (ZQXMARK and three digits). charlie also
holds what legitimately points at alice's case from his side (his side of two deconfliction hits, a joint operation
and a forum action linked to the case).
"""


import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.admin import ModelAdmin
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from best import services as best_services
from best.models import Membership, MlatRequest, Referral, Unit
from best.tests.factories import BestWorld
from best.views import ACTIONS as BEST_ACTIONS
from cbcf import services as cbcf_services
from cbcf.models import ActionItem, AgendaItem, BackgroundPaper, BriefingBook, Initiative, Meeting
from cbcf.tests.factories import Forum
from deconfliction import services as deconfliction_services
from deconfliction.models import CheckAlert, HitParty, PlannedEvent
from ibet import imports
from ibet import services as ibet_services
from ibet.models import (
    IbetTeam,
    ImportJob,
    IntelligenceReport,
    JmtRepresentative,
    JointOperation,
    Occurrence,
    Region,
)
from ibet.tests.factories import make_pacific
from partnerships import services
from partnerships.models import (
    AccessLevel,
    CaseDocument,
    CaseRequest,
    CrossDesignation,
    JointCase,
    Officer,
    Purpose,
)
from partnerships.tests import files
from partnerships.tests.factories import JointCaseFactory
from portal.tests.routes import fill
from shiprider import services as shiprider_services
from shiprider.models import Activity, Patrol, Site
from shiprider.tests.factories import ShipRiderWorld
from webhooks import services as webhook_services
from webhooks.models import Delivery, Endpoint, EventType

MARK = "ZQXMARK"

# Django's admin refuses whoever is not staff before it reads anything: each of its object patterns is tried with
# this many records of its model (the answer cannot depend on which).
ADMIN_RECORDS_PER_MODEL = 3


# What each integer parameter of the portal's routes addresses. Every record of that model the fixture made is
# tried: an id of another model's record addresses nothing in this table, or the same row as one of these.
ADDRESSES = {
    **dict.fromkeys(["shiprider:patrol_detail", "shiprider:patrol_start", "shiprider:patrol_complete",
                     "shiprider:patrol_waters", "shiprider:radio_plan", "shiprider:radio_plan_print",
                     "shiprider:radio_plan_pdf", "shiprider:patrol_activity", "shiprider_api:patrol_detail",
                     "shiprider_api:patrol_activities"], {"pk": Patrol}),
    **dict.fromkeys(["shiprider:patrol_edit", "shiprider:patrol_cancel", "shiprider_api:patrol_cancel"],
                    {"pk": Patrol}),
    **dict.fromkeys(["shiprider:site_detail", "shiprider_api:site_detail"], {"pk": Site}),
    "ibet:occurrence_edit": {"pk": Occurrence},
    "shiprider:activity_case": {"pk": Patrol, "activity_pk": Activity},
    "ibet:region_detail": {"pk": Region},
    "ibet:team_dashboard": {"pk": IbetTeam},
    "ibet:occurrence_detail": {"pk": Occurrence},
    "ibet_api:occurrence_detail": {"pk": Occurrence},
    "ibet:import_detail": {"pk": ImportJob},
    "ibet:operation_detail": {"pk": JointOperation},
    "ibet:report_detail": {"pk": IntelligenceReport},
    "ibet_api:report_detail": {"pk": IntelligenceReport},
    "ibet_api:report_review": {"pk": IntelligenceReport},
    **dict.fromkeys(["shiprider_api:patrol_start", "shiprider_api:patrol_complete", "shiprider_api:patrol_waters",
                     "shiprider_api:radio_plan"], {"pk": Patrol}),
    "best:unit_report": {"pk": Unit},
    "best:unit_members": {"pk": Unit},
    "best:membership_end": {"pk": Unit, "membership_pk": Membership},
    **dict.fromkeys(["cbcf:meeting_detail", "cbcf:item_propose", "cbcf:item_decide", "cbcf:item_move",
                     "cbcf:meeting_timing", "cbcf:agenda_advance", "cbcf:decision_record", "cbcf:participant_set",
                     "cbcf:action_add", "cbcf:book_build", "cbcf:meeting_ics"], {"pk": Meeting}),
    "cbcf:item_papers": {"pk": Meeting, "item_pk": AgendaItem},
    "cbcf:paper_download": {"pk": BackgroundPaper},
    "cbcf:book_html": {"pk": BriefingBook},
    "cbcf:book_pdf": {"pk": BriefingBook},
    "cbcf:initiative_update": {"pk": Initiative},
    "cbcf:action_status": {"pk": ActionItem},
    **dict.fromkeys(["cbcf:meeting_edit", "cbcf:item_carry", "cbcf:versions_compare", "cbcf_api:meeting_detail"],
                    {"pk": Meeting}),
    "cbcf:item_edit": {"pk": Meeting, "item_pk": AgendaItem},
    **dict.fromkeys(["cbcf_api:item_detail", "cbcf_api:item_carry"], {"pk": AgendaItem}),
    "deconfliction:event_detail": {"pk": PlannedEvent},
    "deconfliction:alert_detail": {"pk": CheckAlert},
    **dict.fromkeys(["deconfliction:hit_detail", "deconfliction:hit_acknowledge", "deconfliction:hit_close"],
                    {"pk": HitParty}),
    "partnerships:case_document_download": {"pk": CaseDocument},
    "partnerships:case_request_decide": {"pk": CaseRequest},
    **dict.fromkeys(["partnerships:agency_officer_edit", "partnerships:agency_officer_set_active",
                     "partnerships:agency_officer_unlock", "partnerships:agency_officer_mfa_reset"],
                    {"pk": Officer}),
    "partnerships:designation_detail": {"pk": CrossDesignation},
    "partnerships:designation_renew": {"pk": CrossDesignation},
    "shiprider_api:designation_status": {"pk": CrossDesignation},
    "shiprider_api:designation_renew": {"pk": CrossDesignation},
    **dict.fromkeys(["webhooks:endpoint_detail", "webhooks:endpoint_rotate", "webhooks:endpoint_set_active",
                     "webhooks:delivery_list", "webhooks_api:endpoint_detail", "webhooks_api:endpoint_rotate",
                     "webhooks_api:delivery_list"], {"pk": Endpoint}),
    **dict.fromkeys(["webhooks:delivery_resend", "webhooks_api:delivery_resend"], {"pk": Delivery}),
    # the API counterparts of the page actions (issue 21)
    "api:case_request_decision": {"pk": CaseRequest},
    "shiprider_api:activity_case": {"pk": Patrol, "activity_pk": Activity},
    **dict.fromkeys(["ibet_api:region_representatives", "ibet_api:region_meetings"], {"pk": Region}),
    "ibet_api:region_representative_replace": {"pk": Region, "representative_pk": JmtRepresentative},
    **dict.fromkeys(["ibet:team_edit", "ibet:team_officers", "ibet_api:team_detail", "ibet_api:team_officers"],
                    {"pk": IbetTeam}),
    **dict.fromkeys(["best_api:unit_memberships", "best_api:unit_status", "best:unit_status"], {"pk": Unit}),
    "best_api:membership_end": {"pk": Unit, "membership_pk": Membership},
    "best_api:referral_decision": {"pk": Referral},
    "best_api:mlat_news": {"pk": MlatRequest},
    **dict.fromkeys(["api-deconfliction-hit-acknowledge", "api-deconfliction-hit-close"], {"pk": HitParty}),
    **dict.fromkeys(["cbcf_api:meeting_items", "cbcf_api:meeting_timing", "cbcf_api:agenda_advance",
                     "cbcf_api:participant_set", "cbcf_api:action_add"], {"pk": Meeting}),
    **dict.fromkeys(["cbcf_api:item_papers", "cbcf_api:item_decide", "cbcf_api:item_move",
                     "cbcf_api:decision_record"], {"pk": AgendaItem}),
    "cbcf_api:initiative_update": {"pk": Initiative},
    "cbcf_api:action_status": {"pk": ActionItem},
}
WEBHOOK_VIEWS = [name for name in ADDRESSES if name.startswith("webhooks")]

HIDDEN, CHARLIES, OTHER, MISSING = "alice's", "charlie's", "other", "missing"
MISSING_ID = 999_999_999


# --- the rich case ----------------------------------------------------------------------------------

class Markers:
    """A unique marker for every text the fixture writes, remembered with what it was written on."""

    def __init__(self):
        self.written_on = {}

    def __call__(self, what):
        marker = f"{MARK}{len(self.written_on) + 1:03d}"
        self.written_on[marker] = what
        return marker


@dataclass
class RichCase:
    """alice's cases and everything hanging off them; what charlie holds that points at them."""

    cast: object
    markers: Markers
    cases: list  # alice's: the cast's IBET case, a BEST investigation's, a ShipRider boarding's
    charlies_case: JointCase
    feed_keys: dict  # app namespace: charlie's own calendar key
    owners: dict  # view name: who may read what the route addresses (alice unless named)
    agency_admin: object  # an administrator of alice's agency (RCMP)
    secretariat: object  # the CBCF secretariat
    bridges: list = field(default_factory=list)  # paths charlie must reach: his side of what points at alice's
    charlies: dict = field(default_factory=dict)  # model: pks of records charlie may see
    mail: list = field(default_factory=list)  # what the fixture's tasks sent

    @property
    def traces(self):
        """What gives alice's cases away besides the markers: their references and titles."""
        return [value for case in self.cases for value in (case.reference, case.title)]


def build(cast, capture):
    """alice's cases, built through the services as the pages would, with the tasks they start run."""
    alice, bob, charlie = cast.alice, cast.bob, cast.charlie
    rcmp, cbp, opp = (user.officer.agency for user in (alice, bob, charlie))
    mark = Markers()
    today = timezone.localdate()
    case = cast.case
    with capture(execute=True):
        # --- partnerships: the case itself, its sharing, subjects, documents ---------------------------
        case = services.case_update(case=case, by=alice, summary=mark("IBET case summary"))
        forum = Forum(cast)
        ship = ShipRiderWorld(cast)
        secretariat_agency = forum.secretariat.officer.agency
        services.case_share(case=case, agency=secretariat_agency, level=AccessLevel.VIEW, by=alice,
                            purpose=Purpose.OTHER, reason=mark("sharing decision reason (PS)"))
        services.subject_add(by=alice, case=case, kind="phone", name="+1 (313) 555-0142",
                             aliases=mark("phone subject aliases"))
        services.subject_add(by=alice, case=case, kind="vessel", name=mark("vessel subject name"),
                             registration=mark("vessel subject registration")[:50],
                             jurisdiction=mark("vessel subject flag"))
        services.document_attach(case=case, by=alice, upload=SimpleUploadedFile(
            f"{mark('document name (text)')}.txt", f"{mark('document content (text)')}\n".encode()))
        services.document_attach(case=case, by=alice, upload=SimpleUploadedFile(
            f"{mark('document name (PDF)')}.pdf", files.pdf(mark("document content (PDF)"))))

        # --- IBET: an occurrence and a report on the case, an operation, the team's other records --------
        pacific = make_pacific(cast)
        ibet_services.occurrence_record(
            by=alice, team=pacific, case=case, occurred_at=timezone.now() - datetime.timedelta(hours=3),
            kind="vessel_incursion", nearest_port=mark("occurrence port"), narrative=mark("occurrence narrative"),
            place=mark("occurrence place"), nationalities=mark("occurrence nationalities"),
            results=[{"kind": "seizure", "category": "drugs", "quantity": Decimal("2"), "unit": "kg",
                      "description": mark("occurrence seizure")}])
        ibet_services.report_enter(by=alice, team=pacific, case=case, subject=mark("report subject"),
                                   text=mark("report text"), reliability="B", credibility="2", handling_code="H0",
                                   releasability="ca_us")
        ibet_services.operation_create(by=alice, team=pacific, us_name=mark("operation US name"),
                                       canadian_name=mark("operation Canadian name"), starts_on=today,
                                       agencies=[cbp], cases=[case])
        ibet_services.jmt_representative_add(by=ship.rcmp_admin.user, region=pacific.region, officer=alice.officer)
        ibet_services.management_meeting_record(by=alice, region=pacific.region, held_on=today,
                                                notes=mark("JMT meeting notes"))
        yesterday = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
        row = [yesterday, "pedestrian", "", "", mark("imported place"), mark("imported port"), "no", "1",
               "", mark("imported narrative"), "", "", "", "", ""]
        header = [headers[0] for headers in imports.COLUMNS.values()]
        ibet_services.occurrence_import_start(by=alice, team=pacific, file=SimpleUploadedFile(
            f"{mark('import file name')}.csv", "\n".join(",".join(line) for line in (header, row)).encode()))

        # --- BEST: an investigation (its own case, H1, shared with CBP) and every record of it ----------
        best = BestWorld(cast)
        investigation = best.open(by=alice, title=mark("BEST case title"), summary=mark("BEST case summary"),
                                  foreign_nexus=mark("BEST foreign nexus"), handling_code="H1")
        best_case = investigation.case
        services.case_share(case=best_case, agency=cbp, level=AccessLevel.VIEW, by=alice,
                            purpose=Purpose.BEST_AGREEMENT, reason=mark("sharing decision reason (CBP)"))
        services.case_request_file(case=best_case, kind=CaseRequest.Kind.COURT_RELEASE, by=bob,
                                   purpose=Purpose.MLAT_REQUEST, reason=mark("court release request reason"))
        person = services.subject_add(by=alice, case=best_case, kind="person", name=mark("person subject name"),
                                      aliases=mark("person subject aliases"))
        target = best_services.target_add(by=alice, investigation=investigation, kind="cartel",
                                          name=mark("target organization"), aliases=mark("target aliases"))
        best_services.member_add(by=alice, organization=target, subject=person, role=mark("member role"))
        best_services.arrest_record(by=alice, investigation=investigation, subject=person, arrested_on=today,
                                    charging_country="US", nationality=mark("arrest nationality"))
        best_services.seizure_record(by=alice, investigation=investigation, seized_on=today, category="firearms",
                                     quantity=4, unit="count", description=mark("BEST seizure"))
        best_services.charge_record(by=alice, investigation=investigation, subject=person, counts=2,
                                    court=mark("charge court"), jurisdiction=mark("charge jurisdiction"),
                                    charged_on=today)
        best_services.conviction_record(by=alice, investigation=investigation, subject=person,
                                        court=mark("conviction court"), convicted_on=today,
                                        sentence=mark("conviction sentence"))
        best_services.referral_record(by=alice, investigation=investigation, country="US",
                                      office=mark("referral office"), referred_on=today)
        best_services.mlat_record(by=alice, investigation=investigation, requesting_country="CA",
                                  asked=mark("MLAT request"), sent_on=today)
        best_services.investigation_stage(by=alice, investigation=investigation, stage="active", on=today,
                                          note=mark("stage note"))

        # --- ShipRider: a patrol with its log and radio plan; its boarding opens the third case ----------
        start, end = ship.window(days_ahead=0)
        start, end = start + datetime.timedelta(minutes=5), end + datetime.timedelta(minutes=5)
        patrol, _warnings = shiprider_services.patrol_schedule(
            by=alice, site=ship.site, vessel=ship.vessel, planned_start=start, planned_end=end, crew=ship.crew(),
            notes=mark("patrol notes"))
        patrol = shiprider_services.patrol_start(by=alice, patrol=patrol)  # the log records what happens on the water
        shiprider_services.waters_segment_add(by=alice, patrol=patrol, country="CA", starts_at=timezone.now(),
                                              directing_officer=ship.rcmp_lead)
        boarding = shiprider_services.activity_log(
            by=alice, patrol=patrol, kind="boarding", occurred_at=timezone.now(),
            waters="CA", directing_officer=ship.rcmp_lead, place=mark("boarding place"),
            target_name=mark("boarded vessel"), target_registration=mark("boarded registration"),
            target_flag=mark("boarded flag"), outcome=mark("boarding outcome"),
            results=[{"kind": "arrest", "category": "persons", "quantity": 1, "unit": "count",
                      "description": mark("boarding arrest")}])
        shipriders_case = shiprider_services.activity_open_case(by=alice, activity=boarding)
        shiprider_services.radio_plan_save(
            by=alice, patrol=patrol, incident_name=mark("radio incident"), period_from=start, period_to=end,
            prepared_by=mark("radio prepared by"), special_instructions=mark("radio instructions"),
            channels=[{"zone_group": mark("radio zone"), "channel_number": "16", "function": mark("radio function"),
                       "channel_name": mark("radio channel name"), "assignment": mark("radio assignment"),
                       "rx_frequency": Decimal("156.80000"), "rx_bandwidth": "N", "rx_tone": "",
                       "tx_frequency": Decimal("156.80000"), "tx_bandwidth": "N", "tx_tone": "", "mode": "A",
                       "remarks": mark("radio remarks")}])

        # --- CBCF: alice's item, paper, the briefing book, an action on the case ------------------------
        item = cbcf_services.item_propose(
            by=alice, meeting=forum.meeting, title_en=mark("agenda item title"), title_fr=mark("agenda item title fr"),
            summary_en=mark("agenda item summary"), summary_fr=mark("agenda item summary fr"),
            purpose="discussion", presenter=mark("agenda item presenter"), minutes=20,
            background=mark("agenda item background"))
        cbcf_services.item_decide(by=forum.secretariat, item=item, status="accepted")
        cbcf_services.decision_record(by=forum.secretariat, item=item, text=mark("forum decision"))
        cbcf_services.paper_attach(item=item, by=alice, upload=SimpleUploadedFile(
            f"{mark('paper name')}.txt", f"{mark('paper content')}\n".encode()))
        cbcf_services.action_add(by=forum.secretariat, meeting=forum.meeting, text=mark("action on the case"),
                                 owner=rcmp, due_on=today + datetime.timedelta(days=30), item=item, case=case)
        cbcf_services.briefing_book_build(by=forum.secretariat, meeting=forum.meeting)
        cbcf_services.agenda_advance(by=forum.secretariat, meeting=forum.meeting, state="circulated")  # a version

        # --- deconfliction: alice's planned raid on the case -------------------------------------------------
        near = {"starts_at": timezone.now() + datetime.timedelta(days=2),
                "ends_at": timezone.now() + datetime.timedelta(days=2, hours=4)}
        deconfliction_services.event_plan(by=alice, case=case, kind="other", title=mark("planned raid"),
                                          latitude=42.2713, longitude=-83.1346, radius_m=100, **near)

        # --- what charlie holds that points at alice's case (no marker: he may read all of it) ------------
        charlies_case = JointCaseFactory(by=charlie, title="Walpole Island smuggling", summary="OPP drug file")
        services.subject_add(by=charlie, case=charlies_case, kind="phone", name="313.555.0142")
        # charlie's check before entering hits alice's subject: her side gets an alert he must not reach
        deconfliction_services.check_only(by=charlie, subject={"kind": "phone", "name": "(313) 555-0142"})
        charlies_event, _parties = deconfliction_services.event_plan(
            by=charlie, kind="other", title="Surveillance", latitude=42.2740, longitude=-83.1300, radius_m=100,
            **near)
        bridge_operation = ibet_services.operation_create(
            by=alice, team=pacific, us_name="Operation Shared Reach", canadian_name="Project Open Water",
            starts_on=today, agencies=[cbp, opp], cases=[case])
        bridge_action = cbcf_services.action_add(by=forum.secretariat, meeting=forum.meeting,
                                                 text="Brief the OPP duty desk", owner=opp,
                                                 due_on=today + datetime.timedelta(days=20), case=case)

    charlies_parties = list(HitParty.objects.filter(agency=opp).values_list("pk", flat=True))
    assert len(charlies_parties) == 2, "charlie's subject and operation each overlap one of alice's"
    feed_keys = {"shiprider": shiprider_services.calendar_feed_issue(user=charlie)}
    rich = RichCase(
        cast=cast, markers=mark, cases=[case, best_case, shipriders_case], charlies_case=charlies_case,
        feed_keys=feed_keys, owners=dict.fromkeys(
            ["partnerships:agency_officer_edit", "partnerships:agency_officer_set_active",
             "partnerships:agency_officer_unlock", "partnerships:agency_officer_mfa_reset"], ship.rcmp_admin.user)
        # HSI's administrators manage the BEST units' members
        | dict.fromkeys(["best:unit_members", "best:membership_end"], best.hsi_admin.user)
        # the secretariat corrects a meeting (issue 21)
        | {"cbcf:meeting_edit": forum.secretariat}
        # RCMP's administrators manage its webhook endpoints
        | dict.fromkeys(WEBHOOK_VIEWS, ship.rcmp_admin.user),
        agency_admin=ship.rcmp_admin.user, secretariat=forum.secretariat,
        charlies={HitParty: set(charlies_parties), PlannedEvent: {charlies_event.pk},
                  JointOperation: {bridge_operation.pk}, ActionItem: {bridge_action.pk},
                  Officer: {charlie.officer.pk}},
        bridges=[f"/ibet/operations/{bridge_operation.pk}/", f"/deconfliction/events/{charlies_event.pk}/",
                 *(f"/deconfliction/hits/{pk}/" for pk in charlies_parties), "/deconfliction/",
                 "/api/v1/deconfliction/hits/", "/cbcf/actions/", "/api/v1/cbcf/actions/", "/notifications/",
                 f"/cases/{charlies_case.reference}/"],
    )
    assert BriefingBook.objects.filter(status=BriefingBook.Status.READY).exists(), "the books were built"
    return rich


# --- what each parameter takes ---------------------------------------------------------------------

def record_candidates(model, rich, limit=None):
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True))[:limit]
    return [(pk, CHARLIES if pk in rich.charlies.get(model, ()) else HIDDEN) for pk in pks], (MISSING_ID, MISSING)


def admin_model(pattern):
    """The model of a ModelAdmin's pattern, through its wrappers."""
    view = pattern.callback
    while view is not None:
        model_admin = getattr(view, "model_admin", None) or getattr(view, "__self__", None)
        if isinstance(model_admin, ModelAdmin):
            return model_admin.model
        view = getattr(view, "__wrapped__", None)
    return None


def candidates(view_name, name, pattern, rich):
    """([(value, whose)], (missing value, MISSING)) for one parameter, or None when nothing says what it takes."""
    charlie = rich.cast.charlie
    if view_name in ADDRESSES and name in ADDRESSES[view_name]:
        return record_candidates(ADDRESSES[view_name][name], rich)
    if view_name.startswith("admin:"):
        if name == "app_label":
            labels = re.search(r"\(\?P<app_label>([^)]*)\)", pattern.pattern.regex.pattern)[1].split("|")
            return [(label, OTHER) for label in labels], ("no_such_app", MISSING)
        if name == "content_type_id":
            return [(ContentType.objects.get_for_model(JointCase).pk, OTHER)], (MISSING_ID, MISSING)
        if name == "url":  # the catch-all, which adds a slash to what the admin would have answered
            return [(f"partnerships/jointcase/{case.pk}/change", HIDDEN) for case in rich.cases], (
                "no/such/page", MISSING)
        model = JointCase if view_name == "admin:view_on_site" else admin_model(pattern)
        if model is not None and name in ("object_id", "id", "pk"):
            return record_candidates(model, rich, limit=ADMIN_RECORDS_PER_MODEL)
        return None
    if name == "reference":
        return ([(case.reference, HIDDEN) for case in rich.cases] + [(rich.charlies_case.reference, CHARLIES)],
                ("IBET-1999-999999", MISSING))
    if name == "acronym":
        return [(acronym, OTHER) for acronym in ("RCMP", "CBP", "OPP")], ("NO-SUCH-AGENCY", MISSING)
    if name == "key":
        return [(rich.feed_keys[view_name.split(":")[0]], CHARLIES)], ("no-such-key", MISSING)
    if name == "action":
        return [(action, OTHER) for action in BEST_ACTIONS], ("no_such_action", MISSING)
    if name == "uidb64":
        return [(urlsafe_base64_encode(force_bytes(uid)), OTHER) for uid in (rich.cast.alice.pk, charlie.pk)], (
            "MA", MISSING)
    if name == "token":
        return [("set-password", OTHER)], ("no-such-token", MISSING)
    return None


def parameter_names(pattern):
    if isinstance(pattern.pattern, RoutePattern):
        return list(pattern.pattern.converters)
    return list(pattern.pattern.regex.groupindex)


# --- query strings: searches, filters and exports ---------------------------------------------------

def queries(view_name, rich):
    """Query strings the route reads, each a search for alice's cases or a filter/export over what it lists."""
    alices = rich.cases
    searches = [MARK, "Detroit River cross", *(case.reference[:-1] for case in alices), "IBET", "BEST", "SHIPRIDER"]
    agencies = ["RCMP", "CBP"]
    site = {"site": str(Patrol.objects.values_list("site_id", flat=True).first())}
    unit = {"start": "2000-01-01", "end": "2100-01-01"}
    return {
        "partnerships:case_list": [{"q": term} for term in searches] + [{"lead_agency": a} for a in agencies]
        + [{"program": "best"}, {"status": "active"}, {"ordering": "title"}],
        "partnerships:case_export": [{"q": term} for term in searches] + [{"lead_agency": "RCMP"}],
        "api:case_list": [{"q": term} for term in searches] + [{"lead_agency": "RCMP"}, {"shared_with": "CBP"},
                                                               {"q": MARK, "format": "csv"}, {"format": "csv"}],
        # the search: the words of alice's titles, her references typed, and every marker written on her records
        "partnerships:search": [{"q": term} for term in [*searches, *rich.markers.written_on]]
        + [{"q": MARK, "kind": "case", "page": "2"}],
        "api:search": [{"q": term} for term in [*searches, *rich.markers.written_on]]
        + [{"q": MARK, "kind": "document", "page_size": "50"}],
        "api:case_removed": [{"since": "2000-01-01T00:00Z"}],  # `since` is required
        "partnerships:designation_list": [{"agency": "RCMP"}, {"kind": "title19"}],
        "shiprider_api:designation_list": [{"agency": "RCMP"}],
        "partnerships:audit_search": [{"reference": case.reference} for case in alices] + [{"format": "csv"}],
        "partnerships:agency_activity": [{"reference": alices[0].reference}, {"format": "csv"}],
        "shiprider:patrol_list": [site],
        "shiprider:calendar": [site, {**site, "view": "week"}],
        "shiprider:figures": [site],
        "shiprider:ical": [site],
        "ibet:occurrence_list": [{"kind": "vessel_incursion"}, {"kind": "pedestrian"}],
        "ibet:import_template": [{"lang": "fr"}],
        "best:unit_report": [{**unit, "format": "csv"}, {**unit, "format": "pdf"}, unit],
        "cbcf:actions": [{"status": "open"}, {"format": "csv"}, {"overdue": "true", "due_after": "2020-01-01"}],
        "deconfliction:event_plan": [{"case": case.reference} for case in alices],
    }.get(view_name, [])


def concrete(prefix, pattern, values):
    """The path of `pattern` (under `prefix`, its includes' part) with its parameters given `values`."""
    return prefix + fill(pattern.pattern, values)


def owner_of(view_name, rich):
    """Who may read what the route addresses: alice unless the fixture names someone else."""
    return rich.owners.get(view_name, rich.cast.alice)


def rich_case(cast, client, settings, tmp_path, capture):
    """The `rich` fixture (tests/conftest.py): alice's cases with everything hanging off them, the mail its tasks
    sent, and charlie's own key to the forum's calendar, issued as the page issues it."""
    settings.ATTACHMENTS_ROOT = tmp_path / "attachments"
    rich = build(cast, capture)
    # RCMP's webhook endpoint (registered as on a developer's machine, where loopback is allowed) and one delivery,
    # which the sweeps' requests (DEBUG off) never send: the address is refused before any connection.
    settings.DEBUG = True
    endpoint, _secret = webhook_services.endpoint_register(by=rich.agency_admin, url="http://127.0.0.1:9/portal",
                                                           event_types=EventType.values)
    settings.DEBUG = False
    with capture(execute=True):
        webhook_services.events_queue(event_type=EventType.CASE_CHANGED, agencies=[endpoint.agency],
                                      case=rich.cases[0], program=rich.cases[0].program, about={"fields": ["title"]})
    rich.mail = list(mail.outbox)
    client.force_login(cast.charlie)
    page = client.post("/cbcf/calendar/").content.decode()
    rich.feed_keys["cbcf"] = re.search(r"/cbcf/calendar/([\w-]+)\.ics", page)[1]
    client.logout()
    return rich
