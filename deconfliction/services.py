"""Writes of deconfliction: planning an operation, recording hits, acknowledging and closing them.

Every hit is told to both sides as a pointer: the other agency and its deconfliction contacts, never
the other side's case, subject or place.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from deconfliction import limits, matching, selectors
from deconfliction.models import CheckAlert, Hit, HitParty, NameKey, PlannedEvent
from partnerships import access, audit, signals, subjects
from partnerships.models import AccessLevel, Agency, AuditEvent, Officer, Subject

Action, Door = AuditEvent.Action, AuditEvent.Door


class DeconflictionRefused(Exception):
    """Something the rules refuse; the message says why in the user's language."""


class CheckLimited(DeconflictionRefused):
    """The officer or the token has made its checks for this hour; `retry_after` is in seconds."""

    def __init__(self, message, *, retry_after):
        super().__init__(message)
        self.retry_after = retry_after


# What a match was found on, for the side whose work it hit (the checker never learns it).
MATCHED_ON = {"phone": gettext_lazy("phone number"), "email": gettext_lazy("email address"),
              "registration": gettext_lazy("registration, hull number or plate"), "vin": gettext_lazy("VIN"),
              "name": gettext_lazy("name or alias"), "place and time": gettext_lazy("place and time")}
MAX_SUBJECTS_PER_CHECK = 10


# --- the check ----------------------------------------------------------------------------------

def subject_check(*, subject, by, door=Door.PAGE, notify=True):
    """Check a subject just added to a case against every other agency's; record each hit and tell each side once
    (one notice per agency for the whole check). `notify=False` (the demo) records the hits and tells nobody."""
    NameKey.objects.bulk_create([NameKey(name=key.key) for key in subject.keys.all() if key.kind == "name"],
                                ignore_conflicts=True)
    matches = matching.subject_matches(agency=subject.case.lead_agency, subject_kind=subject.kind,
                                       keys=[(key.kind, key.key) for key in subject.keys.all()],
                                       date_of_birth=subject.date_of_birth)
    found_at = timezone.now()
    found = [_record(kind=Hit.Kind.SUBJECT, ours={"subject": subject}, agency=subject.case.lead_agency,
                     match=match, found_at=found_at) for match in matches]
    return _parties_told(found, by=by, door=door, notify=notify)


def _parties_told(found, *, by, door, notify):
    """[(party, other party, new hit)] of one check -> the checking side's parties. The new hits are recorded and told
    once per other agency (one audit record, one delivery to the checking side's systems, however many of that
    agency's records matched: the count is the other agency's), and to both sides after commit, in one task."""
    new = [(party, other) for party, other, is_new in found if is_new]
    by_agency = {}
    for party, other in new:
        by_agency.setdefault(other.agency_id, []).append((party, other))
    agencies = Agency.objects.in_bulk([*by_agency, *(party.agency_id for party, _other in new[:1])])
    for agency_id, pairs in by_agency.items():
        first = pairs[0][0]
        audit.record(action=Action.DECONFLICTION_HIT, door=door, user=by, object_type="deconfliction_hit",
                     object_ref=first.hit_id, agencies=[agencies[first.agency_id].acronym, agencies[agency_id].acronym],
                     hits=[{"id": party.hit_id, "certainty": party.hit.certainty, "matched_on": party.hit.matched_on}
                           for party, _other in pairs])
        for position, (party, other) in enumerate(pairs):
            told = [party, other] if position == 0 else [other]
            signals.deconfliction_hit.send(sender=Hit, hit=party.hit, parties=told)
    if new and notify:
        _notify_on_commit([party.hit_id for party, _other in new])
    return [party for party, _other, _new in found]


@transaction.atomic
def event_plan(*, by, kind, title, starts_at, ends_at, latitude=None, longitude=None, radius_m=None, area=None,
               case=None, door=Door.PAGE, notify=True):
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
    found_at = timezone.now()
    found = [_record(kind=Hit.Kind.EVENT, ours={"event": event}, agency=agency, match=match, found_at=found_at)
             for match in matches]
    return event, _parties_told(found, by=by, door=door, notify=notify)


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


def check_only(*, by, subject=None, subjects=None, event=None, door=Door.API, token=None):
    """Check subjects (at most MAX_SUBJECTS_PER_CHECK) or an operation before entering them. Nothing is entered.

    The checker learns, per other agency, only that something of theirs overlaps and whom to call: no degree, no
    distance, no time, and one answer per agency however many of its records matched and on what, so that the
    answer cannot be used to walk a date of birth, a start time or a place. The other side learns everything:
    each agency whose work the check hit gets an alert (what was asked, by whom, how sure each match is, on which
    of its records) and its deconfliction contacts are told once, in one notice for the whole check. The check's
    audit record keeps what was asked. Every check counts against the officer's and the token's hourly budget
    (limits.take), hit or not; over it, CheckLimited, recorded as a denied check."""
    agency, officer = access.agency_of(by), access.officer_of(by)
    if agency is None or officer is None:
        raise DeconflictionRefused(_("Only an officer of an active agency can check."))
    if subject is not None:
        subjects = [subject]
    if bool(subjects) == (event is not None):
        raise DeconflictionRefused(_("Give either subjects or an operation to check."))
    if subjects:
        if len(subjects) > MAX_SUBJECTS_PER_CHECK:
            raise DeconflictionRefused(_("Check at most %(count)s subjects at a time.")
                                       % {"count": MAX_SUBJECTS_PER_CHECK})
        kind, probes = Hit.Kind.SUBJECT, [_subject_probe(fields) for fields in subjects]
    else:
        kind, probes = Hit.Kind.EVENT, [_event_probe(event)]
    asked = [probe["asked"] for probe in probes]
    who = {"api_client": token.pk} if token is not None else {}
    try:
        limits.take(officer=officer, token=token, checks=len(probes))
    except limits.LimitReached as limit:
        with transaction.atomic():
            audit.record(action=Action.DECONFLICTION_CHECK, door=door, user=by, outcome=AuditEvent.Outcome.DENIED,
                         object_type="deconfliction_check", checked=kind, asked=asked, refused="hourly limit",
                         per_hour=limits.per_hour(), **who)
            if limit.officer_told:
                _enqueue("check_limit_notify_task", officer.pk, limits.current_window().start)
        minutes = -(-limit.retry_after // 60)
        raise CheckLimited(ngettext(
            "You have made %(count)s deconfliction checks in the last hour, the most allowed. Try again in "
            "%(minutes)s minute, or call the other agency's duty desk.",
            "You have made %(count)s deconfliction checks in the last hour, the most allowed. Try again in "
            "%(minutes)s minutes, or call the other agency's duty desk.", minutes)
            % {"count": limits.per_hour(), "minutes": minutes}, retry_after=limit.retry_after) from limit
    found = {}  # other agency id: [(probe position, match)]
    for position, probe in enumerate(probes):
        for match in probe["matches"](agency):
            found.setdefault(match.agency_id, []).append((position, match))
    with transaction.atomic():
        record = audit.record(action=Action.DECONFLICTION_CHECK, door=door, user=by,
                              object_type="deconfliction_check", checked=kind, asked=asked, overlaps=len(found),
                              **who)
        CheckAlert.objects.bulk_create([_alert(record, kind, agency_id, pairs) for agency_id, pairs in found.items()])
        if found:
            _enqueue("check_notify_task", record.pk)
    answer = [{"kind": kind, "certainty": None, "agency_id": agency_id,
               "probes": sorted({position for position, _match in pairs})} for agency_id, pairs in found.items()]
    return sorted(_with_agencies(answer), key=lambda pointer: pointer["agency"].acronym)


def _subject_probe(fields):
    """A subject to check: its keys, what was asked (for the record), and how to look for it."""
    kind, name = fields.get("kind"), (fields.get("name") or "").strip()
    if kind not in Subject.Kind.values:
        raise DeconflictionRefused(_("Choose the kind of subject."))
    if not name:
        raise DeconflictionRefused(_("Give the subject's name, number or address."))
    if kind == Subject.Kind.PHONE and subjects.phone(name) is None:
        raise DeconflictionRefused(_("%(value)s is not a phone number.") % {"value": name})
    if kind == Subject.Kind.EMAIL:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(name)
        except ValidationError as error:
            raise DeconflictionRefused(_("%(value)s is not an email address.") % {"value": name}) from error
    text = {field: (fields.get(field) or "").strip() for field in ("aliases", "registration", "jurisdiction", "vin")}
    probe = Subject(kind=kind, name=name, aliases=text["aliases"], registration=text["registration"], vin=text["vin"])
    keys, born = subjects.keys_of(probe), fields.get("date_of_birth")
    asked = {"kind": kind, "name": name, **{field: value for field, value in text.items() if value}}
    if born:
        asked["date_of_birth"] = born.isoformat()
    return {"asked": asked, "matches": lambda agency: matching.subject_matches(
        agency=agency, subject_kind=kind, keys=keys, date_of_birth=born)}


def _event_probe(event):
    area = event.get("area")
    latitude, longitude, radius_m = _place(latitude=event.get("latitude"), longitude=event.get("longitude"),
                                           radius_m=event.get("radius_m"), area=area)
    starts_at, ends_at = event.get("starts_at"), event.get("ends_at")
    if starts_at is None or ends_at is None:
        raise DeconflictionRefused(_("Give the operation's start and end."))
    if ends_at <= starts_at:
        raise DeconflictionRefused(_("The operation must end after it starts."))
    where = {"area": area.name_en} if area is not None else {
        "latitude": latitude, "longitude": longitude, "radius_m": radius_m}
    asked = {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(), **where}
    return {"asked": asked, "matches": lambda agency: matching.event_matches(
        agency=agency, latitude=latitude, longitude=longitude, radius_m=radius_m, starts_at=starts_at,
        ends_at=ends_at)}


def _alert(record, kind, agency_id, pairs):
    """One alert for the agency whose work the check hit: every match, with the surest as the alert's."""
    matches = [{"probe": position, "certainty": match.certainty, "matched_on": match.matched_on,
                **({"subject": match.subject_id} if match.subject_id else {"event": match.event_id})}
               for position, match in pairs]
    surest = Hit.Certainty.EXACT if any(m["certainty"] == Hit.Certainty.EXACT for m in matches) \
        else Hit.Certainty.POSSIBLE
    return CheckAlert(record=record, agency_id=agency_id, kind=kind, certainty=surest, matches=matches)


def _enqueue(task_name, *args):
    """A task of deconfliction.tasks after commit, through the outbox (never lost if Redis is down)."""
    from portal.outbox import enqueue

    enqueue(f"deconfliction.tasks.{task_name}", *args)


def _record(*, kind, ours, agency, match, found_at):
    """One hit per pair: both sides' parties -> (ours, theirs, new). The hits one check finds share one found time
    (their order and spread in time would otherwise say how many records of the other side matched)."""
    our_id = (ours.get("subject") or ours.get("event")).pk
    theirs = {"subject_id": match.subject_id} if kind == Hit.Kind.SUBJECT else {"event_id": match.event_id}
    their_id = match.subject_id or match.event_id
    pair_key = f"{kind}:{min(our_id, their_id)}:{max(our_id, their_id)}"
    try:
        with transaction.atomic():
            hit = Hit.objects.create(kind=kind, certainty=match.certainty, matched_on=match.matched_on,
                                     score=round(match.score, 3), pair_key=pair_key, created_at=found_at)
            party = HitParty.objects.create(hit=hit, agency=agency, ran_check=True, **ours)
            other = HitParty.objects.create(hit=hit, agency_id=match.agency_id, **theirs)
    except IntegrityError:  # this pair was found before: keep the first hit
        return HitParty.objects.select_related("hit").get(hit__pair_key=pair_key, agency=agency), None, False
    return party, other, True


def _notify_on_commit(hit_ids):
    _enqueue("notify_hits_task", hit_ids)


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


def _with_agencies(items):
    """Each {"agency_id": ..., ...} with its agency and whom to call there. Two queries, however many there are."""
    agency_ids = {item["agency_id"] for item in items}
    agencies, contacts = Agency.objects.in_bulk(agency_ids), contacts_by_agency(agency_ids)
    return [{**{key: value for key, value in item.items() if key != "agency_id"},
             "agency": agencies[item["agency_id"]],
             "contacts": [_contact(o) for o in contacts[item["agency_id"]]]} for item in items]


def pointers(found):
    """[(kind, certainty or None, agency id)] -> the pointers: what one side may know of the other (agency, whom to
    call, and, for the side whose work was there first, how sure the match is) and nothing else."""
    return _with_agencies([{"kind": kind, "certainty": certainty, "agency_id": agency_id}
                           for kind, certainty, agency_id in found])


def pointers_for(parties):
    """{id: pointer to the other side} for a page of parties or hit groups. The side that ran the check learns no
    degree."""
    found = [(party.hit.kind, None if party.ran_check else party.hit.certainty, other_agency_of(party))
             if isinstance(party, HitParty) else (party.kind, party.certainty, party.other_agency)
             for party in parties]
    return dict(zip([party.pk for party in parties], pointers(found), strict=True))


def _contacts_text(contacts):
    return "; ".join(f"{c['name']}, {c['phone'] or c['email'] or '—'}" for c in contacts) or _("its duty desk")


def pointer_text(*, agency, kind, certainty, contacts, **_more):
    """The pointer in words. Without a certainty (the checker's side) it says the same whatever matched."""
    values = {"agency": f"{agency.display_acronym} — {agency.name}", "contacts": _contacts_text(contacts)}
    if kind == Hit.Kind.EVENT:
        return _("Possible overlap with an operation of %(agency)s: contact %(contacts)s.") % values
    if certainty == Hit.Certainty.POSSIBLE:
        return _("Possible overlap (similar name, perhaps another person) with a case of %(agency)s: contact "
                 "%(contacts)s.") % values
    return _("Possible overlap with a case of %(agency)s: contact %(contacts)s.") % values


def checker_messages(parties):
    """What the officer who just entered something is told: each other agency once, however many of its
    records matched (the count would say more than "overlap, contact ..."), by acronym (the order of the matches
    would say more too)."""
    parties = list(parties)
    pointers = pointers_for(parties)
    ordered = sorted(parties, key=lambda party: (pointers[party.pk]["agency"].acronym, party.pk))
    return list(dict.fromkeys(pointer_text(**pointers[party.pk]) for party in ordered))


def other_party(party):
    return next(p for p in party.hit.parties.all() if p.pk != party.pk)


def other_agency_of(party):
    """The agency on the other side: annotated by selectors.hit_parties, else from the hit's parties."""
    other = getattr(party, "other_agency", None)
    return other if other is not None else other_party(party).agency_id


def party_pointer(party):
    return pointers_for([party])[party.pk]


@dataclass
class HitGroup:
    """What an agency sees of its hits: one of its subjects or operations and one other agency, however many of that
    agency's records matched. Its id is its first side's; its status the least advanced of its sides; how sure it is,
    for the side whose work was there first: exact if any of those matches is, none if a side ran the check and none
    of the others is exact (the checker learns no degree)."""

    party: HitParty  # one of the sides (from selectors.hit_parties: its own subject or operation, with its case)
    members: list  # all the sides, oldest first

    @cached_property
    def pk(self):
        return self.members[0].pk

    id = property(lambda self: self.pk)
    hit = property(lambda self: self.members[0].hit)
    subject = property(lambda self: self.party.subject)
    event = property(lambda self: self.party.event)
    subject_id = property(lambda self: self.party.subject_id)
    event_id = property(lambda self: self.party.event_id)
    other_agency = property(lambda self: self.party.other_agency)
    kind = property(lambda self: self.hit.kind)
    found_at = property(lambda self: self.hit.created_at)

    @property
    def case(self):
        return self.party.case

    @cached_property
    def status(self):
        statuses = {member.status for member in self.members}
        return next(status for status in HitParty.Status.values if status in statuses)

    @cached_property
    def last_closed(self):
        closed = [m for m in self.members if m.status == HitParty.Status.CLOSED]
        return max(closed, key=lambda m: (m.closed_at, m.pk)) if self.status == HitParty.Status.CLOSED else None

    outcome = property(lambda self: self.last_closed.outcome if self.last_closed else "")
    note = property(lambda self: self.last_closed.note if self.last_closed else "")

    def get_status_display(self):
        return HitParty.Status(self.status).label

    def get_outcome_display(self):
        return HitParty.Outcome(self.outcome).label if self.outcome else ""

    @cached_property
    def certainty(self):
        seen = [m.hit.certainty for m in self.members if not m.ran_check]
        if Hit.Certainty.EXACT in seen:
            return Hit.Certainty.EXACT
        return None if len(seen) < len(self.members) else Hit.Certainty.POSSIBLE

    def get_certainty_display(self):
        return Hit.Certainty(self.certainty).label if self.certainty else ""


def hit_groups_of(parties):
    """A page of groups (selectors.hit_groups, each its first side) -> [HitGroup], in one query for all the sides."""
    parties = list(parties)
    members = selectors.group_members(parties=parties)
    return [HitGroup(party=party, members=members[selectors.group_key(party)]) for party in parties]


def hit_group(party):
    """The group of one side (from selectors.hit_parties)."""
    return hit_groups_of([party])[0]


def hit_rows(parties):
    """[(HitGroup, pointer text)] for a page of groups: the other side as agency and contacts only."""
    groups = hit_groups_of(parties)
    pointers = pointers_for(groups)
    return [(group, pointer_text(**pointers[group.pk])) for group in groups]


def group_pointer(group):
    return pointers_for([group])[group.pk]


@transaction.atomic
def hits_notify(*, hit_ids):
    """Tell each side of the hits one check found, once: one notice per agency for all of them, to whoever entered
    its side and to its deconfliction contacts. A retried task tells nobody twice."""
    from partnerships import notifications
    from partnerships.models import Notification

    parties = list(HitParty.objects.select_for_update().filter(hit_id__in=hit_ids, notified_at__isnull=True)
                   .order_by("pk"))
    by_agency = {}
    for party in parties:
        by_agency.setdefault(party.agency_id, []).append(party)
    contacts = contacts_by_agency(list(by_agency))
    for agency_id, group in by_agency.items():
        officers = {o.pk: o for o in contacts[agency_id]}
        for party in group:
            entered_by = party.subject.added_by if party.subject_id else party.event.created_by
            officer = access.officer_of(entered_by) if entered_by else None
            if officer is not None and officer.agency_id == agency_id:
                officers[officer.pk] = officer
        notifications.send_notice(kind=Notification.Kind.DECONFLICTION_HIT, officers=list(officers.values()),
                                  detail={"parties": [party.pk for party in group]})
    HitParty.objects.filter(pk__in=[party.pk for party in parties]).update(notified_at=timezone.now())


def hit_notify(*, hit):
    hits_notify(hit_ids=[hit.pk])


# --- telling the side a check before entering hit -------------------------------------------------------

@transaction.atomic
def check_notify(*, record_id):
    """Tell each agency whose work a check hit, once: one notice to its deconfliction contacts for the whole check
    (a check of three subjects that hit four records is one notice each). A retried task tells nobody twice."""
    from partnerships import notifications
    from partnerships.models import Notification

    for alert in CheckAlert.objects.select_for_update().filter(record_id=record_id, notified_at__isnull=True):
        notifications.send_notice(kind=Notification.Kind.DECONFLICTION_HIT,
                                  officers=contacts_by_agency([alert.agency_id])[alert.agency_id],
                                  detail={"alert": alert.pk})
        alert.notified_at = timezone.now()
        alert.save(update_fields=["notified_at"])


def alert_pointers(alerts):
    """[(alert, pointer)]: who checked, for the agency whose work it hit: the agency, the officer who asked, then its
    deconfliction contacts. One query for the contacts, however many alerts."""
    alerts = list(alerts)
    contacts = contacts_by_agency({alert.record.agency_id for alert in alerts if alert.record.agency_id})
    pointers = []
    for alert in alerts:
        record = alert.record
        checker = getattr(record.user, "officer", None) if record.user_id else None
        officers = [checker] if checker is not None and checker.is_active else []
        officers += [o for o in contacts.get(record.agency_id, []) if o not in officers]
        pointers.append((alert, {"agency": record.agency, "kind": alert.kind, "certainty": alert.certainty,
                                 "contacts": [_contact(o) for o in officers]}))
    return pointers


def alert_pointer(alert):
    return alert_pointers([alert])[0][1]


def alert_text(*, agency, kind, certainty, contacts):
    values = {"agency": f"{agency.display_acronym} — {agency.name}" if agency else "—",
              "certainty": str(Hit.Certainty(certainty).label).lower(), "contacts": _contacts_text(contacts)}
    if kind == Hit.Kind.EVENT:
        return _("%(agency)s checked an operation that overlaps one of yours (%(certainty)s): contact "
                 "%(contacts)s.") % values
    return _("%(agency)s checked a subject that overlaps one of your cases (%(certainty)s): contact "
             "%(contacts)s.") % values


@transaction.atomic
def check_limit_notify(*, officer_id, window_start):
    """Tell the officer's agency administrators, once per officer and hour, that the officer reached the limit."""
    from partnerships import notifications
    from partnerships.models import Notification

    officer = Officer.objects.select_for_update().filter(pk=officer_id).first()
    if officer is None:
        return
    told = set(Notification.objects.filter(kind=Notification.Kind.DECONFLICTION_LIMIT, detail__officer=officer.pk,
                                           detail__window=window_start).values_list("recipient_id", flat=True))
    admins = Officer.objects.filter(agency_id=officer.agency_id, role=Officer.Role.AGENCY_ADMIN, is_active=True,
                                    user__isnull=False).exclude(user_id__in=told).select_related("user")
    if admins:
        notifications.send_notice(kind=Notification.Kind.DECONFLICTION_LIMIT, officers=list(admins),
                                  detail={"officer": officer.pk, "window": window_start,
                                          "limit": limits.per_hour()})


# --- the workflow -------------------------------------------------------------------------------------

def _own_group(party, by):
    """The sides of the party's group, locked, oldest first; refused unless they are the user's agency's."""
    agency = access.agency_of(by)
    if agency is None or party.agency_id != agency.pk:
        raise DeconflictionRefused(_("Only the agency concerned can act on its side of a hit."))
    return list(selectors.group_of(party=party).select_for_update(of=("self",)).order_by("pk"))


@transaction.atomic
def hit_acknowledge(*, party, by, door=Door.PAGE):
    """Acknowledge the agency's side of a hit: every open side of its group (one row of its hits), in one record."""
    members = [m for m in _own_group(party, by) if m.status == HitParty.Status.OPEN]
    if not members:
        raise DeconflictionRefused(_("This hit was already acknowledged."))
    now = timezone.now()
    HitParty.objects.filter(pk__in=[m.pk for m in members]).update(
        status=HitParty.Status.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=by)
    audit.record(action=Action.DECONFLICTION_CLOSE, door=door, user=by, object_type="deconfliction_hit",
                 object_ref=members[0].hit_id, status=HitParty.Status.ACKNOWLEDGED,
                 hits=[m.hit_id for m in members])
    party.refresh_from_db()
    return party


@transaction.atomic
def hit_close(*, party, by, outcome, note="", door=Door.PAGE):
    """Close the agency's side of a hit: every side of its group not closed yet (one row of its hits), in one
    record, saying how it was settled."""
    members = [m for m in _own_group(party, by) if m.status != HitParty.Status.CLOSED]
    if not members:
        raise DeconflictionRefused(_("This hit is closed already."))
    if outcome not in HitParty.Outcome.values:
        raise DeconflictionRefused(_("Say how it was settled: contacted, no conflict or coordinated."))
    now = timezone.now()
    for member in members:
        if member.acknowledged_at is None:
            member.acknowledged_at, member.acknowledged_by = now, by
        member.status, member.outcome, member.note = HitParty.Status.CLOSED, outcome, note.strip()
        member.closed_at, member.closed_by = now, by
    HitParty.objects.bulk_update(members, ["acknowledged_at", "acknowledged_by", "status", "outcome", "note",
                                           "closed_at", "closed_by"])
    audit.record(action=Action.DECONFLICTION_CLOSE, door=door, user=by, object_type="deconfliction_hit",
                 object_ref=members[0].hit_id, status=HitParty.Status.CLOSED, settled_as=outcome,
                 hits=[m.hit_id for m in members])
    party.refresh_from_db()
    return party
