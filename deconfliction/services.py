"""Writes of deconfliction: planning an operation, recording hits, acknowledging and closing them.

Every hit is told to both sides as a pointer: the other agency and its deconfliction contacts, never
the other side's case, subject or place.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deconfliction import matching
from deconfliction.models import Hit, HitParty, NameKey, PlannedEvent
from partnerships import access, audit, subjects
from partnerships.models import AccessLevel, Agency, AuditEvent, Officer, Subject

Action, Door = AuditEvent.Action, AuditEvent.Door


class DeconflictionRefused(Exception):
    """Something the rules refuse; the message says why in the user's language."""


# --- the check ----------------------------------------------------------------------------------

def subject_check(*, subject, by, door=Door.PAGE):
    """Check a subject just added to a case against every other agency's; record and tell each hit."""
    NameKey.objects.bulk_create([NameKey(name=key.key) for key in subject.keys.all() if key.kind == "name"],
                                ignore_conflicts=True)
    matches = matching.subject_matches(agency=subject.case.lead_agency, subject_kind=subject.kind,
                                       keys=[(key.kind, key.key) for key in subject.keys.all()],
                                       date_of_birth=subject.date_of_birth)
    return [_record(kind=Hit.Kind.SUBJECT, ours={"subject": subject}, agency=subject.case.lead_agency,
                    match=match, by=by, door=door) for match in matches]


@transaction.atomic
def event_plan(*, by, kind, title, starts_at, ends_at, latitude=None, longitude=None, radius_m=None, area=None,
               case=None, door=Door.PAGE):
    """Record an operation the officer's agency plans, check it against every other agency's, record hits."""
    agency = access.agency_of(by)
    if agency is None:
        raise DeconflictionRefused(_("Only an officer of an active agency can plan an operation."))
    if case is not None and not access.can(by, case, AccessLevel.CONTRIBUTE):
        raise DeconflictionRefused(_("Only an agency that contributes to this case can plan operations for it."))
    latitude, longitude, radius_m = _place(latitude=latitude, longitude=longitude, radius_m=radius_m, area=area)
    if ends_at <= starts_at:
        raise DeconflictionRefused(_("The operation must end after it starts."))
    event = PlannedEvent.objects.create(agency=agency, case=case, kind=kind, title=title.strip(), area=area,
                                        latitude=latitude, longitude=longitude, radius_m=radius_m,
                                        starts_at=starts_at, ends_at=ends_at, created_by=by)
    audit.record(action=Action.EVENT_PLAN, door=door, user=by, case=case, object_type="planned_event",
                 object_ref=event.pk, kind=kind)
    matches = matching.event_matches(agency=agency, latitude=latitude, longitude=longitude, radius_m=radius_m,
                                     starts_at=starts_at, ends_at=ends_at, exclude=event)
    parties = [_record(kind=Hit.Kind.EVENT, ours={"event": event}, agency=agency, match=match, by=by, door=door)
               for match in matches]
    return event, parties


def _place(*, latitude, longitude, radius_m, area):
    if area is not None:
        return area.latitude, area.longitude, area.radius_m
    if latitude is None or longitude is None or radius_m is None:
        raise DeconflictionRefused(_("Give a named area, or a point (latitude and longitude) and a radius."))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise DeconflictionRefused(_("Latitude is between -90 and 90, longitude between -180 and 180."))
    if not 0 <= radius_m <= matching.MAX_RADIUS_M:
        raise DeconflictionRefused(_("The radius is between 0 and %(max)s m.") % {"max": matching.MAX_RADIUS_M})
    return latitude, longitude, radius_m


def check_only(*, by, subject=None, event=None, door=Door.API):
    """Check a subject or an operation before entering it: pointers only, nothing recorded but the audit."""
    agency = access.agency_of(by)
    if agency is None:
        raise DeconflictionRefused(_("Only an officer of an active agency can check."))
    if subject is not None:
        probe = Subject(kind=subject["kind"], name=subject.get("name", ""), aliases=subject.get("aliases", ""),
                        registration=subject.get("registration", ""), vin=subject.get("vin", ""))
        matches = matching.subject_matches(agency=agency, subject_kind=probe.kind, keys=subjects.keys_of(probe),
                                           date_of_birth=subject.get("date_of_birth"))
    else:
        latitude, longitude, radius_m = _place(latitude=event.get("latitude"), longitude=event.get("longitude"),
                                               radius_m=event.get("radius_m"), area=event.get("area"))
        if event["ends_at"] <= event["starts_at"]:
            raise DeconflictionRefused(_("The operation must end after it starts."))
        matches = matching.event_matches(agency=agency, latitude=latitude, longitude=longitude, radius_m=radius_m,
                                         starts_at=event["starts_at"], ends_at=event["ends_at"])
    audit.record(action=Action.DECONFLICTION_CHECK, door=door, user=by, object_type="deconfliction_check",
                 checked="subject" if subject is not None else "event", hits=len(matches))
    kind = Hit.Kind.SUBJECT if subject is not None else Hit.Kind.EVENT
    return pointers([(kind, match.certainty, match.agency_id) for match in matches])


def _record(*, kind, ours, agency, match, by, door):
    """One hit per pair: both sides' parties, audited, and a notice to both after commit."""
    our_id = (ours.get("subject") or ours.get("event")).pk
    theirs = {"subject_id": match.subject_id} if kind == Hit.Kind.SUBJECT else {"event_id": match.event_id}
    their_id = match.subject_id or match.event_id
    pair_key = f"{kind}:{min(our_id, their_id)}:{max(our_id, their_id)}"
    try:
        with transaction.atomic():
            hit = Hit.objects.create(kind=kind, certainty=match.certainty, matched_on=match.matched_on,
                                     score=round(match.score, 3), pair_key=pair_key)
            party = HitParty.objects.create(hit=hit, agency=agency, **ours)
            HitParty.objects.create(hit=hit, agency_id=match.agency_id, **theirs)
    except IntegrityError:  # this pair was found before: keep the first hit
        return HitParty.objects.select_related("hit").get(hit__pair_key=pair_key, agency=agency)
    audit.record(action=Action.DECONFLICTION_HIT, door=door, user=by, object_type="deconfliction_hit",
                 object_ref=hit.pk, certainty=hit.certainty, matched_on=hit.matched_on,
                 agencies=[agency.acronym, Agency.objects.get(pk=match.agency_id).acronym])
    _notify_on_commit(hit)
    return party


def _notify_on_commit(hit):
    from deconfliction.tasks import notify_hit_task

    try:
        from portal.outbox import enqueue
    except ImportError:  # before the outbox exists
        notify_hit_task.delay_on_commit(hit.pk)
    else:
        enqueue(notify_hit_task, hit.pk)


# --- telling both sides -------------------------------------------------------------------------------

def contacts_by_agency(agency_ids):
    """Who to call about an overlap, per agency: its deconfliction contacts, else its duty contacts. One query."""
    officers = (Officer.objects.filter(agency_id__in=agency_ids, is_active=True)
                .filter(Q(is_deconfliction_contact=True) | Q(is_duty_contact=True)).order_by("last_name", "first_name"))
    grouped = {agency_id: [] for agency_id in agency_ids}
    for officer in officers:
        grouped[officer.agency_id].append(officer)
    return {agency_id: [o for o in group if o.is_deconfliction_contact] or group
            for agency_id, group in grouped.items()}


def contacts_of(agency):
    return contacts_by_agency([agency.pk])[agency.pk]


def _contact(officer):
    return {"name": f"{officer.rank + ' ' if officer.rank else ''}{officer.first_name} {officer.last_name}",
            "phone": officer.phone, "email": officer.email}


def pointers(found):
    """[(kind, certainty, agency id)] -> the pointers: what one side may know of the other (agency, whom to
    call, how sure the match is) and nothing else. Two queries, however many there are."""
    agency_ids = {agency_id for _kind, _certainty, agency_id in found}
    agencies, contacts = Agency.objects.in_bulk(agency_ids), contacts_by_agency(agency_ids)
    return [{"kind": kind, "certainty": certainty, "agency": agencies[agency_id],
             "contacts": [_contact(o) for o in contacts[agency_id]]} for kind, certainty, agency_id in found]


def pointers_for(parties):
    """{party id: pointer to the other side} for a page of parties."""
    found = [(party.hit.kind, party.hit.certainty, other_party(party).agency_id) for party in parties]
    return dict(zip([party.pk for party in parties], pointers(found), strict=True))


def pointer_text(*, agency, kind, certainty, contacts):
    values = {"agency": f"{agency.acronym} — {agency.name}",
              "contacts": "; ".join(f"{c['name']}, {c['phone'] or c['email'] or '—'}" for c in contacts)
              or _("its duty desk")}
    if kind == Hit.Kind.EVENT:
        return _("Possible overlap with an operation of %(agency)s: contact %(contacts)s.") % values
    if certainty == Hit.Certainty.EXACT:
        return _("Possible overlap with a case of %(agency)s: contact %(contacts)s.") % values
    return _("Possible overlap (similar name, perhaps another person) with a case of %(agency)s: contact "
             "%(contacts)s.") % values


def pointer_texts(parties):
    """[(party, pointer text)] for a page: the other side as agency and contacts only."""
    parties = list(parties)
    pointers = pointers_for(parties)
    return [(party, pointer_text(**pointers[party.pk])) for party in parties]


def other_party(party):
    return next(p for p in party.hit.parties.all() if p.pk != party.pk)


def party_pointer(party):
    return pointers_for([party])[party.pk]


@transaction.atomic
def hit_notify(*, hit):
    """Tell each side once (a retried task tells nobody twice): who entered it, and the agency's contacts."""
    from partnerships import notifications
    from partnerships.models import Notification

    for party in HitParty.objects.select_for_update().filter(hit=hit, notified_at__isnull=True):
        entered_by = party.subject.added_by if party.subject_id else party.event.created_by
        officers = {o.pk: o for o in contacts_of(party.agency)}
        officer = access.officer_of(entered_by) if entered_by else None
        if officer is not None and officer.agency_id == party.agency_id:
            officers[officer.pk] = officer
        notifications.send_notice(kind=Notification.Kind.DECONFLICTION_HIT, officers=list(officers.values()),
                                  detail={"party": party.pk})
        party.notified_at = timezone.now()
        party.save(update_fields=["notified_at"])


# --- the workflow -------------------------------------------------------------------------------------

@transaction.atomic
def hit_acknowledge(*, party, by):
    party = _own(party, by)
    if party.status != HitParty.Status.OPEN:
        raise DeconflictionRefused(_("This hit was already acknowledged."))
    party.status, party.acknowledged_at, party.acknowledged_by = HitParty.Status.ACKNOWLEDGED, timezone.now(), by
    party.save()
    audit.record(action=Action.DECONFLICTION_CLOSE, door=Door.PAGE, user=by, object_type="deconfliction_hit",
                 object_ref=party.hit_id, status=party.status)
    return party


@transaction.atomic
def hit_close(*, party, by, outcome, note=""):
    party = _own(party, by)
    if party.status == HitParty.Status.CLOSED:
        raise DeconflictionRefused(_("This hit is closed already."))
    if outcome not in HitParty.Outcome.values:
        raise DeconflictionRefused(_("Say how it was settled: contacted, no conflict or coordinated."))
    now = timezone.now()
    if party.acknowledged_at is None:
        party.acknowledged_at, party.acknowledged_by = now, by
    party.status, party.outcome, party.note = HitParty.Status.CLOSED, outcome, note.strip()
    party.closed_at, party.closed_by = now, by
    party.save()
    audit.record(action=Action.DECONFLICTION_CLOSE, door=Door.PAGE, user=by, object_type="deconfliction_hit",
                 object_ref=party.hit_id, status=party.status, settled_as=outcome)
    return party


def _own(party, by):
    agency = access.agency_of(by)
    party = HitParty.objects.select_for_update().get(pk=party.pk)
    if agency is None or party.agency_id != agency.pk:
        raise DeconflictionRefused(_("Only the agency concerned can act on its side of a hit."))
    return party
