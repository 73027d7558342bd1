"""The core's signals (partnerships/signals.py), turned into queued deliveries. Connected in WebhooksConfig.ready:
the core does not know this app. Each runs inside the transaction of the event."""

from partnerships import signals
from partnerships.models import CaseRequest
from webhooks.models import EventType
from webhooks.services import events_queue


def on_case_shared(sender, *, case, agencies, decision, **kwargs):
    events_queue(event_type=EventType.CASE_SHARED, agencies=agencies, case=case, program=case.program,
                 about={"decision": decision.pk})


def on_case_revoked(sender, *, case, agencies, decision, **kwargs):
    events_queue(event_type=EventType.CASE_NOT_VISIBLE, agencies=agencies, case=case, program=case.program,
                 about={"decision": decision.pk})


def on_case_changed(sender, *, case, fields, **kwargs):
    from partnerships import access

    holders = [agency for agency, _level in access.case_shares(case)]
    events_queue(event_type=EventType.CASE_CHANGED, agencies=holders, case=case, program=case.program,
                 about={"fields": list(fields)})


def on_case_request_changed(sender, *, request, **kwargs):
    case = request.case
    if request.status == CaseRequest.Status.PENDING:
        event_type, agencies = EventType.REQUEST_FILED, [case.lead_agency_id]
    else:
        event_type, agencies = EventType.REQUEST_DECIDED, [request.requesting_agency_id]
    events_queue(event_type=event_type, agencies=agencies, case=case, program=case.program,
                 about={"request": request.pk})


def on_deconfliction_hit(sender, *, hit, parties, **kwargs):
    for party in parties:  # each side learns of its own side only: a pointer
        case = party.subject.case if party.subject_id else party.event.case if party.event_id else None
        events_queue(event_type=EventType.DECONFLICTION_HIT, agencies=[party.agency_id],
                     program=case.program if case else "", about={"party": party.pk})


def on_action_item_due(sender, *, action, overdue, **kwargs):
    events_queue(event_type=EventType.ACTION_OVERDUE if overdue else EventType.ACTION_DUE,
                 agencies=[action.owner_id], about={"action": action.pk})


def connect():
    for signal, receiver in [
        (signals.case_shared, on_case_shared), (signals.case_revoked, on_case_revoked),
        (signals.case_changed, on_case_changed), (signals.case_request_changed, on_case_request_changed),
        (signals.deconfliction_hit, on_deconfliction_hit), (signals.action_item_due, on_action_item_due),
    ]:
        signal.connect(receiver, dispatch_uid=f"webhooks.{receiver.__name__}")
