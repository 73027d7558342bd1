"""Everything read is audited, through the door it came in: every GET of the pages and of the API that shows case
data or team records writes exactly one audit record, with door `api` under /api/, `export` for a CSV or calendar
export, `print` for a print view or a PDF, and `page` otherwise.

The sweep walks the resolver (portal/tests/routes.py) and fills each route's parameters from the rich case that the
no-trace sweep uses (tests/sweep_support.py), so a new route is swept without editing this file. It requests each
route as the owner of what it addresses (alice for her cases and her teams' records, her agency's administrator for
its officers, an auditor for the whole trail), with the query strings the route reads (searches, filters, CSV and
PDF formats), and counts the records each request wrote.

A route that reads no case or team data is named in NO_RECORD with the reason, and must write no record. Any other
route that answers 200 without exactly one record through the expected door fails the sweep, and so does a route
that never answers its owner 200 (its parameters addressed nothing real) unless it only takes POST.
"""

import itertools
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import resolve

from partnerships.models import AuditEvent
from partnerships.tests.factories import OfficerFactory
from partnerships.tests.records import written
from portal.tests.routes import fill, url_patterns
from tests.sweep_support import CHARLIES, candidates, concrete, owner_of, parameter_names, queries

pytestmark = pytest.mark.django_db

Door = AuditEvent.Door

FORUM = ("forum records (meetings, agendas, initiatives, action items), circulated to the forum's participants: "
         "no case data, no team record")
BLANK_FORM = "a blank form: its choices are what the user may pick from, no record is shown"

# Routes that read no case or team data (view name: why). Each must write no record.
NO_RECORD = {
    "partnerships.api.base.api_not_found": "an /api/ path no route takes: a 404 problem, nothing read",
    # the portal itself, and one's own account
    "healthz": "health check: is the process up",
    "readyz": "readiness check: database, cache and migrations, no data",
    "django.views.generic.base.RedirectView": "/favicon.ico: a redirect to the static icon",
    "login": "the sign-in form (a signed-in officer is sent on); signing in is recorded as auth.sign_in",
    "logout": "POST only; signing out is recorded as auth.sign_out",
    "mfa_verify": "the second factor's form; its outcome is recorded (auth.mfa_verify, auth.mfa_failed)",
    "mfa_enrol": "enrolling one's own second factor; recorded when done (auth.mfa_enrol)",
    "account_security": "one's own account: password and second factor",
    "backup_codes_renew": "one's own backup codes",
    "password_change": "one's own password form",
    "set_language": "switches the language of the interface",
    "password_reset_confirm": "the choose-a-password form of an invitation or reset link",
    "password_reset_complete": "says that the password is set",
    # the API's description and its directories: reference data, no record of what anyone did
    "api:schema": "the OpenAPI description of the API",
    "api:docs": "Swagger UI, which reads the schema",
    "api:agency_list": "the directory of agencies (names, country, level)",
    "api:team_list": "the active teams a case may be shared with, whole, and their member agencies: the teams "
                     "themselves",
    "shiprider_api:site_list": "the caller's ShipRider sites (name, waterways, member agencies): the teams themselves",
    "shiprider_api:vessel_list": "the vessels of the caller's sites' agencies: reference data",
    "ibet_api:region_list": "IBET regions and their Joint Management Team's state (which agencies sit on it, when "
                            "it must next meet): no meeting notes, no officer",
    "ibet_api:team_list": "the caller's IBET teams and their member agencies: the teams themselves",
    "best_api:unit_list": "the caller's BEST units and their member agencies: the teams themselves",
    "cbcf_api:meeting_list": FORUM,
    "cbcf_api:agenda_list": FORUM,
    "cbcf_api:initiative_list": FORUM,
    "cbcf_api:action_list": FORUM + " (the API gives no action item's case)",
    "cbcf_api:meeting_detail": FORUM + ": one meeting; its correction is recorded as a forum record",
    "cbcf_api:item_list": FORUM + ": agenda items, the reasons only to the secretariat and the proposer",
    "cbcf_api:subgroup_list": FORUM + ": the subgroups and their co-chairs, as on the subgroups page",
    # pages
    "ibet:team_list": "the user's IBET teams and their Joint Management Team's state: the teams themselves (a "
                      "region's page, with its meetings' notes and representatives, is recorded)",
    "ibet:import_start": BLANK_FORM,
    "ibet:region_create": BLANK_FORM + " (a core agency's administrator opens a region)",
    "ibet:team_create": BLANK_FORM + " (a core agency's administrator opens a team)",
    "ibet:team_edit": "a team's name, region and member agencies in a form, for an administrator of a core member "
                      "agency: the team itself (its page, which lists its officers, is recorded)",
    "ibet:team_officers": "the administrator's own agency's officers to assign to a team: no other agency's record",
    "ibet:import_template": "the import's blank CSV template: column names only",
    "ibet:occurrence_create": BLANK_FORM + " (the cases to link are the agency's own to contribute to; choosing is "
                                           "not reading: the case list records them)",
    "ibet:report_create": BLANK_FORM + " (the cases to link, as for an occurrence)",
    "ibet:operation_create": BLANK_FORM + " (the cases to link, as for an occurrence)",
    "shiprider:patrol_schedule": BLANK_FORM + " (sites, vessels, crew)",
    "shiprider:calendar_feed": "issues the officer's calendar key; the feed it opens is recorded (shiprider:ical)",
    "best:investigation_create": BLANK_FORM + " (the user's units)",
    "cbcf:home": FORUM,
    "cbcf:meeting_create": BLANK_FORM,
    "cbcf:item_propose": BLANK_FORM,
    "cbcf:meeting_edit": FORUM + ": the meeting's title, place and level in a form (the secretariat)",
    "cbcf:item_edit": FORUM + ": an agenda item in a form",
    "cbcf:versions_compare": FORUM + ": two agenda versions side by side",
    "cbcf:item_papers": FORUM + "; downloading a paper is recorded (cbcf:paper_download)",
    "cbcf:meeting_ics": FORUM + ": a meeting's invitation",
    "cbcf:book_html": "the briefing book as built (cbcf/briefing.py): forum records and figures that name no case",
    "cbcf:book_pdf": "the briefing book as built, as PDF: forum records and figures that name no case",
    "cbcf:calendar_feed": "issues the officer's key to the forum's calendar",
    "cbcf:feed": FORUM + ": the meetings' calendar",
    "cbcf:initiatives": FORUM,
    "cbcf:subgroups": FORUM,
    "deconfliction:event_plan": BLANK_FORM + " (filled from the query string with what the user typed)",
    "deconfliction:check": BLANK_FORM + " (a check before entering; the check itself is recorded)",
    "partnerships:case_create": BLANK_FORM,
    "partnerships:designation_create": BLANK_FORM + " (the partner agencies' officers, by name)",
    "partnerships:agency_tokens": "the agency's API tokens (prefix, owner, dates): issuing and revoking are recorded",
    "webhooks:endpoint_list": "the agency's webhook endpoints (address, events): no case data; changes are recorded",
    "webhooks:endpoint_create": BLANK_FORM,
    "webhooks:endpoint_detail": "a webhook endpoint and its deliveries (event type, status, code): no case data; each "
                                "delivery that carried a case is recorded when sent (case.notify, door task)",
    "webhooks:delivery_list": "a webhook endpoint's deliveries (event type, status, code): no case data",
    "webhooks_api:endpoint_list": "the agency's webhook endpoints (address, events): no case data",
    "webhooks_api:endpoint_detail": "a webhook endpoint (address, events): no case data",
    "webhooks_api:delivery_list": "a webhook endpoint's deliveries (event type, status, code): no case data",
}
# Whole namespaces that read no case or team data (not requested).
NO_RECORD_NAMESPACES = {
    "admin": "Django's administration: staff only, for reference data (agencies, officers, teams, sites, vessels, "
             "units, regions, named areas); no case is registered there. Its changes are recorded (door admin)",
}

# Routes the sweep found reading case or team data when it was written (2026-12): only ever raise it.
READ_ROUTES_AT_LEAST = 62


def expected_door(path, query):
    """The door a read comes in by: the API, an export (CSV, calendar), a print (print view, PDF), or a page."""
    asked = (query or {}).get("format")
    if path.startswith("/api/"):
        return Door.API
    if asked == "csv" or path.endswith((".csv", ".ics")):
        return Door.EXPORT
    if asked == "pdf" or path.endswith((".pdf", "/print/")):
        return Door.PRINT
    return Door.PAGE


def exempt(view_name):
    return view_name in NO_RECORD or view_name.split(":")[0] in NO_RECORD_NAMESPACES


def judge(view_name, path, query, status, written):
    """What is wrong with one answer: a list of sentences, empty when right. `written` is the (action, door) of
    every audit record the request wrote."""
    if status != 200:
        return []
    full = f"{path}?{urlencode(query)}" if query else path
    if exempt(view_name):
        return [f"GET {full} ({view_name}) is in NO_RECORD but wrote {written}: take it out of the table"] if (
            written) else []
    door = expected_door(path, query)
    if len(written) != 1:
        return [f"GET {full} ({view_name}) wrote {len(written)} audit records {written}: a read of case or team data "
                f"writes exactly one (door {door}), or the route goes in NO_RECORD with the reason"]
    if written[0][1] != door:
        return [f"GET {full} ({view_name}) wrote its record {written[0]} through door {written[0][1]}, not {door}"]
    return []


@dataclass
class DoorSweep:
    rich: object
    owners: dict
    clients: dict = field(default_factory=dict)
    requests: int = 0
    answered: dict = field(default_factory=dict)  # view name: statuses of its paths, with their query strings
    failures: list = field(default_factory=list)
    unmapped: list = field(default_factory=list)

    def owner(self, view_name):
        return self.owners.get(view_name) or owner_of(view_name, self.rich)

    def client(self, view_name):
        owner = self.owner(view_name)
        if owner.pk not in self.clients:
            self.clients[owner.pk] = Client(raise_request_exception=False)
            self.clients[owner.pk].force_login(owner)
        return self.clients[owner.pk]

    def get(self, view_name, path, query=None):
        client = self.client(view_name)  # signing the owner in is recorded: before the count starts
        response, records = written(lambda: client.get(f"{path}?{urlencode(query)}" if query else path))
        self.requests += 1
        self.failures += judge(view_name, path, query, response.status_code,
                               [(record.action, record.door) for record in records])
        if response.status_code >= 500:
            self.failures.append(f"GET {path} {query or ''} ({view_name}) as {self.owner(view_name)}: "
                                 f"{response.status_code}")
        # with or without its query string: a search answers 400 to no question at all (api:search), 200 to one
        self.answered.setdefault(view_name, []).append(response.status_code)
        return response

    def route(self, path, pattern):
        view_name = resolve(path).view_name
        names = parameter_names(pattern)
        asked = queries(view_name, self.rich)
        if view_name.split(":")[0].endswith("api") and not asked:
            asked = [{"format": "csv"}]  # every list of the API is also an export (a detail answers it too)
        if not names:
            for query in [None, *asked]:
                self.get(view_name, path, query)
            return
        options = []
        for name in names:
            found = candidates(view_name, name, pattern, self.rich)
            if found is None:
                self.unmapped.append(f"{path} ({view_name}): say what <{name}> addresses in tests/sweep_support.py")
                return
            # the owner's records first, charlie's last (a feed key is only ever charlie's); with no record at all
            # (a seeded table that a transactional test emptied), one that does not exist: a POST-only route answers
            # 405 still, and a read answers 404, which unread() names
            existing, missing = found
            options.append(sorted(existing, key=lambda candidate: candidate[1] == CHARLIES) or [missing])
        prefix = path.removesuffix(fill(pattern.pattern))
        for combination in itertools.product(*options):
            address = concrete(prefix, pattern, dict(zip(names, (value for value, _whose in combination),
                                                         strict=True)))
            if resolve(address).func is not pattern.callback:
                continue  # the no-trace sweep names it
            status = self.get(view_name, address).status_code
            if status == 200:
                for query in asked:
                    self.get(view_name, address, query)
            if status in (200, 405):  # one read is enough; 405 comes before any read, for every record alike
                return
        self.answered.setdefault(view_name, [])  # nothing reached it: unread() names it

    def unread(self):
        """Routes that never answered their owner 200, except those that only take POST and those in NO_RECORD."""
        return [f"{view_name}: {self.owner(view_name).username} got {sorted(set(statuses))}"
                for view_name, statuses in self.answered.items()
                if 200 not in statuses and set(statuses) != {405} and not exempt(view_name)]


@pytest.fixture
def owners(rich):
    """The owner of each route that is not alice's: her agency's administrator, an auditor, the secretariat."""
    auditor = OfficerFactory(agency=rich.cast.alice.officer.agency, is_auditor=True, user__username="auditor").user
    return {
        **dict.fromkeys(["partnerships:agency_officers", "partnerships:agency_activity",
                         "partnerships:agency_tokens"], rich.agency_admin),
        "partnerships:designation_create": rich.agency_admin,
        "partnerships:designation_renew": rich.agency_admin,  # the authority for the US officers' designations
        "partnerships:audit_search": auditor,
        "cbcf:meeting_create": rich.secretariat,
    }


def test_every_read_of_case_or_team_data_writes_one_record_through_its_door(rich, owners, settings):
    # The sweep is a robot by design; the search and export limits have their own tests and would answer 429 here.
    settings.RATE_LIMIT_SEARCH = settings.RATE_LIMIT_EXPORT = "100000/m"
    sweep = DoorSweep(rich=rich, owners=owners)
    for path, pattern in url_patterns():
        if resolve(path).view_name.split(":")[0] not in NO_RECORD_NAMESPACES:
            sweep.route(path, pattern)

    assert not sweep.unmapped, "\n".join(sweep.unmapped)
    assert not sweep.failures, f"{len(sweep.failures)} reads not audited as they should be:\n" + "\n".join(
        sweep.failures)
    unread = sweep.unread()
    assert not unread, "the sweep read nothing on these routes (fill their parameters or name their owner):\n" + \
        "\n".join(unread)
    judged = [view_name for view_name, statuses in sweep.answered.items() if 200 in statuses and
              not exempt(view_name)]
    assert len(judged) >= READ_ROUTES_AT_LEAST, (len(judged), sorted(judged))


def test_the_checker_flags_a_read_with_no_record_two_records_or_the_wrong_door():
    new_route = "tests:not_in_any_table"
    assert judge(new_route, "/reports/", None, 200, []), "a new route that writes no record fails"
    assert judge(new_route, "/reports/", None, 200, [("case.list", "page"), ("case.list", "page")])
    assert judge(new_route, "/reports/", {"format": "csv"}, 200, [("case.list", "page")]), "an export is door export"
    assert judge(new_route, "/api/v1/reports/", None, 200, [("case.list", "page")]), "the API is door api"
    assert judge(new_route, "/reports/1/print/", None, 200, [("case.view", "page")]), "a print view is door print"
    assert not judge(new_route, "/reports/", None, 200, [("case.list", "page")])
    assert not judge(new_route, "/api/v1/reports/", {"format": "csv"}, 200, [("case.list", "api")])
    assert not judge(new_route, "/reports/", None, 404, []), "only what was shown is judged"
    assert judge("healthz", "/healthz", None, 200, [("case.list", "page")]), "NO_RECORD must stay true"
    assert not judge("healthz", "/healthz", None, 200, [])
    alice = SimpleNamespace(username="alice")
    sweep = DoorSweep(rich=SimpleNamespace(owners={}, cast=SimpleNamespace(alice=alice)), owners={}, answered={
        new_route: [404], "tests:unreached": [], "tests:post_only": [405], "healthz": [404], "tests:read": [404, 200]})
    assert [line.split(":")[1] for line in sweep.unread()] == ["not_in_any_table", "unreached"]


def test_nothing_in_no_record_is_stale():
    names = {resolve(path).view_name for path, _pattern in url_patterns()}
    assert set(NO_RECORD) <= names, set(NO_RECORD) - names
    assert set(NO_RECORD_NAMESPACES) <= {name.split(":")[0] for name in names if ":" in name}
    assert all(reason.strip() for reason in [*NO_RECORD.values(), *NO_RECORD_NAMESPACES.values()])
