"""What a delivery says, made when it is sent, from what the receiving agency may see at that moment.

A case the agency no longer holds goes out as `case.not_visible` with its reference only, whatever the event was;
a deconfliction hit is a pointer to the agency's own side of it (its id and address), never how sure the match is
or anything of the other side. The rules of what an agency sees are partnerships/access.py's.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from partnerships import access
from partnerships.models import CaseRequest, JointCase, SharingDecision
from webhooks.models import EventType


class Gone(Exception):
    """What the event was about no longer concerns the agency: nothing is sent."""


# Events raised by a program app are described by that app: it registers `build(about, agency) -> data` for its
# event types from its AppConfig.ready (cbcf: action items), raising Gone when nothing is due to that agency.
_builders = {}


def register(*event_types, build):
    for event_type in event_types:
        _builders[event_type] = build


def absolute(path):
    """The portal's full address of a path, for receivers outside it."""
    return settings.PORTAL_BASE_URL + path



def _case_summary(case, agency):
    return {
        "reference": case.reference, "title": case.title, "program": case.program, "status": case.status,
        "lead_agency": case.lead_agency.acronym, "level": access.level_of(agency, case),
        "releasability": case.releasability, "handling_code": case.handling_code,
        "caveat": access.evidence_caveat(case) or None, "updated_at": case.updated_at.isoformat(),
        "url": absolute(case.get_absolute_url()),
        "api_url": absolute(reverse("api:case_detail", args=[case.reference])),
    }


def visible_case(delivery):
    """The delivery's case if the endpoint's agency holds it now; else None."""
    if delivery.case_id is None:
        return None
    cases = JointCase.objects.filter(pk=delivery.case_id).select_related("lead_agency")
    return access.held_by(cases, delivery.endpoint.agency).first()


def build(delivery):
    """(type, data, case shown or None) for the delivery as the agency may see it now. Gone when nothing is due."""
    agency, about = delivery.endpoint.agency, delivery.about
    with translation.override("en"):  # one language for machines; the portal's pages have both
        if delivery.event_type == EventType.DECONFLICTION_HIT:
            party = about["party"]
            return delivery.event_type, {"hit": {
                "id": party, "url": absolute(reverse("deconfliction:hit_detail", args=[party])),
                "api_url": absolute(reverse("api-deconfliction-hits"))}}, None
        if delivery.event_type in _builders:
            return delivery.event_type, _builders[delivery.event_type](about, agency), None
        case = visible_case(delivery)
        if case is None:
            return EventType.CASE_NOT_VISIBLE, {"case": {"reference": about["reference"]}}, None
        if delivery.event_type == EventType.CASE_NOT_VISIBLE:  # revoked, then shared again before sending
            return delivery.event_type, {"case": {"reference": case.reference}}, None
        data = {"case": _case_summary(case, agency)}
        if delivery.event_type == EventType.CASE_SHARED:
            decision = SharingDecision.objects.filter(pk=about.get("decision")).first()
            data["decision"] = decision and {"action": decision.action, "level": decision.level,
                                             "decided_at": decision.decided_at.isoformat()}
        elif delivery.event_type == EventType.CASE_CHANGED:
            data["fields"] = about.get("fields", [])
        elif delivery.event_type in (EventType.REQUEST_FILED, EventType.REQUEST_DECIDED):
            data["request"] = _request(about["request"], case, agency)
        return delivery.event_type, data, case


def _request(request_id, case, agency):
    request = CaseRequest.objects.select_related("requesting_agency", "target_agency").filter(
        pk=request_id, case=case).first()
    if request is None:
        raise Gone
    url = (reverse("partnerships:case_request_decide", args=[case.reference, request.pk])
           if agency.pk == case.lead_agency_id else case.get_absolute_url())
    return {"id": request.pk, "kind": request.kind, "status": request.status,
            "requesting_agency": request.requesting_agency.acronym,
            "target_agency": request.target_agency.acronym if request.target_agency else None,
            "level": request.level or None, "url": absolute(url)}
