"""Every action a page offers is in the API (issue 21): each page route that takes a POST has an API counterpart in
PARITY, or a reason in BROWSER_ONLY, or is a known gap in NOT_BUILT_YET. A new page action in none of them fails.

A route takes a POST when its view is a class with a `post` handler, or its source (decorators included) is
`require_POST`, asks `request.method == "POST"` or reads `request.POST`. BEST's investigation page posts each of its
forms to one route with the action in the path: each action (best.views.ACTIONS) counts as a page action."""

import inspect
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from portal.tests.routes import fill

# page route -> (method, API route) doing the same with the same services, rules and messages.
PARITY = {
    "partnerships:case_create": ("post", "api:case_list"),
    "partnerships:case_edit": ("patch", "api:case_detail"),
    "partnerships:case_sharing": ("post", "api:case_shares"),  # an agency or a whole team
    "partnerships:case_unshare": ("delete", "api:case_share_revoke"),
    "partnerships:case_subject_add": ("post", "api:case_subjects"),
    "partnerships:case_document_add": ("post", "api:case_documents"),
    "partnerships:case_request_share": ("post", "api:case_request_share"),
    "partnerships:case_request_court_release": ("post", "api:case_request_court_release"),
    "partnerships:case_request_decide": ("post", "api:case_request_decision"),
    "shiprider:patrol_schedule": ("post", "shiprider_api:patrol_list"),
    "shiprider:patrol_edit": ("put", "shiprider_api:patrol_detail"),
    "shiprider:patrol_cancel": ("post", "shiprider_api:patrol_cancel"),
    "shiprider:patrol_activity": ("post", "shiprider_api:patrol_activities"),
    "shiprider:activity_case": ("post", "shiprider_api:activity_case"),
    "shiprider:patrol_start": ("post", "shiprider_api:patrol_start"),
    "shiprider:patrol_complete": ("post", "shiprider_api:patrol_complete"),
    "shiprider:patrol_waters": ("post", "shiprider_api:patrol_waters"),
    "shiprider:radio_plan": ("put", "shiprider_api:radio_plan"),
    "partnerships:designation_create": ("post", "shiprider_api:designation_list"),
    "partnerships:designation_detail": ("post", "shiprider_api:designation_status"),
    "partnerships:designation_renew": ("post", "shiprider_api:designation_renew"),
    "ibet:occurrence_create": ("post", "ibet_api:occurrence_list"),
    "ibet:occurrence_edit": ("patch", "ibet_api:occurrence_detail"),
    # the region page's forms: a representative named here, replaced at ibet_api:region_representative_replace, a
    # meeting recorded at ibet_api:region_meetings
    "ibet:region_detail": ("post", "ibet_api:region_representatives"),
    "ibet:region_create": ("post", "ibet_api:region_list"),
    "ibet:team_create": ("post", "ibet_api:team_list"),
    "ibet:team_edit": ("put", "ibet_api:team_detail"),
    "ibet:team_officers": ("put", "ibet_api:team_officers"),
    "ibet:report_create": ("post", "ibet_api:report_list"),
    "ibet:report_detail": ("post", "ibet_api:report_review"),
    "ibet:operation_create": ("post", "ibet_api:operation_list"),
    "best:investigation_action:arrest": ("post", "best_api:arrests"),
    "best:investigation_action:seizure": ("post", "best_api:seizures"),
    "best:investigation_create": ("post", "best_api:investigation_list"),
    "best:unit_members": ("post", "best_api:unit_memberships"),
    "best:membership_end": ("post", "best_api:membership_end"),
    "best:unit_status": ("post", "best_api:unit_status"),
    "best:investigation_action:stage": ("post", "best_api:stage"),
    "best:investigation_action:target": ("post", "best_api:targets"),
    "best:investigation_action:member": ("post", "best_api:members"),
    "best:investigation_action:charge": ("post", "best_api:charges"),
    "best:investigation_action:conviction": ("post", "best_api:convictions"),
    "best:investigation_action:referral": ("post", "best_api:referrals"),
    "best:investigation_action:referral_decision": ("post", "best_api:referral_decision"),
    "best:investigation_action:mlat": ("post", "best_api:mlat_requests"),
    "best:investigation_action:mlat_news": ("post", "best_api:mlat_news"),
    "cbcf:meeting_edit": ("patch", "cbcf_api:meeting_detail"),
    "cbcf:item_edit": ("patch", "cbcf_api:item_detail"),
    "cbcf:item_carry": ("post", "cbcf_api:item_carry"),
    "cbcf:meeting_create": ("post", "cbcf_api:meeting_list"),
    "cbcf:item_propose": ("post", "cbcf_api:meeting_items"),
    "cbcf:item_papers": ("post", "cbcf_api:item_papers"),
    "cbcf:item_decide": ("post", "cbcf_api:item_decide"),
    "cbcf:item_move": ("post", "cbcf_api:item_move"),
    "cbcf:meeting_timing": ("post", "cbcf_api:meeting_timing"),
    "cbcf:agenda_advance": ("post", "cbcf_api:agenda_advance"),
    "cbcf:decision_record": ("post", "cbcf_api:decision_record"),
    "cbcf:participant_set": ("post", "cbcf_api:participant_set"),
    "cbcf:action_add": ("post", "cbcf_api:action_add"),
    "cbcf:initiatives": ("post", "cbcf_api:initiative_list"),
    "cbcf:initiative_update": ("post", "cbcf_api:initiative_update"),
    "cbcf:action_status": ("post", "cbcf_api:action_status"),
    "cbcf:subgroups": ("post", "cbcf_api:subgroup_list"),
    "deconfliction:check": ("post", "api-deconfliction-check"),
    "deconfliction:event_plan": ("post", "api-deconfliction-events"),
    "deconfliction:hit_acknowledge": ("post", "api-deconfliction-hit-acknowledge"),
    "deconfliction:hit_close": ("post", "api-deconfliction-hit-close"),
    "webhooks:endpoint_create": ("post", "webhooks_api:endpoint_list"),
    "webhooks:endpoint_detail": ("patch", "webhooks_api:endpoint_detail"),
    "webhooks:endpoint_set_active": ("patch", "webhooks_api:endpoint_detail"),  # `is_active`
    "webhooks:endpoint_rotate": ("post", "webhooks_api:endpoint_rotate"),
    "webhooks:delivery_resend": ("post", "webhooks_api:delivery_resend"),
}

# Page actions that belong to a person in a browser, never to an agency system's token.
_SESSION = "the browser session's own sign-in; an API client authenticates with its token instead"
_ACCOUNTS = ("account administration: an agency administrator signed in with a second factor does it; a token (which "
             "sees what one officer sees) never manages accounts or tokens")
BROWSER_ONLY = {
    "/favicon.ico": "a redirect to the static icon: it answers any method and writes nothing",
    "login": _SESSION,
    "logout": _SESSION,
    "mfa_verify": "second factor of a browser sign-in; " + _SESSION,
    "mfa_enrol": "second factor of a browser sign-in; " + _SESSION,
    "backup_codes_renew": "second factor of a browser sign-in; " + _SESSION,
    "password_change": "the person's password; " + _SESSION,
    "password_reset_confirm": "the person's password, from an emailed link; " + _SESSION,
    "set_language": "the page language; the API follows Accept-Language",
    "shiprider:calendar_feed": "issues the officer's personal iCal link for a calendar application",
    "cbcf:calendar_feed": "issues the participant's personal iCal link for a calendar application",
    "partnerships:notifications_read": "in-app notices belong to the signed-in person; systems get webhooks",
    "partnerships:agency_officers": _ACCOUNTS,
    "partnerships:agency_officer_edit": _ACCOUNTS,
    "partnerships:agency_officer_set_active": _ACCOUNTS,
    "partnerships:agency_officer_unlock": _ACCOUNTS,
    "partnerships:agency_officer_mfa_reset": _ACCOUNTS,
    "partnerships:agency_tokens": _ACCOUNTS,
    "partnerships:agency_token_issue": _ACCOUNTS,
    "ibet:import_start": "a spreadsheet upload with a progress bar; a system posts occurrences one by one",
    "cbcf:book_build": "builds the printable briefing book (PDF) for people to read",
}

# Page actions whose API counterpart is not built yet, each with the reason: none since issue 21 built the last 37.
# A known gap goes here (honestly listed) rather than nowhere; move it to PARITY when its endpoint is built.
NOT_BUILT_YET: dict[str, str] = {}

POSTS = re.compile(r'require_POST|request\.method\s*==\s*"POST"|request\.POST\b|require_http_methods\([^)]*POST')


def _routes(patterns=None, prefix="/", namespace=""):
    """(path, namespaced name, pattern) for every URL pattern, through every include."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, prefix + fill(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + fill(entry.pattern), f"{namespace}{entry.name}" if entry.name else None, entry


def _takes_post(pattern):
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is not None:
        return "post" in view_class.http_method_names and hasattr(view_class, "post")
    return bool(POSTS.search(inspect.getsource(inspect.unwrap(pattern.callback))))


def page_actions():
    """Every page action that takes a POST, by route name (the path when the route has no name)."""
    from best.views import ACTIONS

    actions = set()
    for path, name, pattern in _routes():
        if path.startswith(("/api/", "/admin/")) or not _takes_post(pattern):
            continue
        if name == "best:investigation_action":
            actions |= {f"{name}:{action}" for action in ACTIONS}
        else:
            actions.add(name or path)
    return actions


def api_routes():
    return {name: pattern for path, name, pattern in _routes() if path.startswith("/api/") and name}


def test_every_page_action_has_an_api_counterpart_or_a_reason():
    missing = sorted(page_actions() - set(PARITY) - set(BROWSER_ONLY) - set(NOT_BUILT_YET))
    assert not missing, (f"page actions without an API counterpart: {missing}; add the API endpoint to PARITY, or a "
                         "reason to BROWSER_ONLY")


@pytest.mark.parametrize("page, counterpart", sorted(PARITY.items()))
def test_each_counterpart_is_an_api_route_taking_that_method(page, counterpart):
    method, name = counterpart
    pattern = api_routes().get(name)
    assert pattern is not None, f"{page}: no API route named {name}"
    view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
    assert view is not None and hasattr(view, method), f"{page}: {name} does not take {method.upper()}"


def test_the_tables_name_only_page_actions_that_exist_and_each_once():
    actions = page_actions()
    tables = [set(PARITY), set(BROWSER_ONLY), set(NOT_BUILT_YET)]
    stale = sorted(set().union(*tables) - actions)
    assert not stale, f"entries naming no page action taking a POST: {stale}"
    assert not (tables[0] & tables[1]) and not (tables[0] & tables[2]) and not (tables[1] & tables[2])
    assert all(reason.strip() for reason in [*BROWSER_ONLY.values(), *NOT_BUILT_YET.values()])
