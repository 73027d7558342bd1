"""Reads of deconfliction: an agency sees its own side of each hit and its own planned operations only.

A hit's or an operation's case comes through the cases the reader may see: an operation linked to a case
whose share was later revoked shows no case (its `case` is None), not the case's reference."""

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery

from deconfliction.models import CheckAlert, HitParty, NamedArea, PlannedEvent
from partnerships import access
from partnerships.models import Subject


def hit_parties(*, user):
    """The agency's sides of hits, each with `other_agency` (the id of the agency on the other side), with what the
    page needs in a fixed number of queries. Pages and the API show them grouped: see hit_groups."""
    agency = access.agency_of(user)
    if agency is None:
        return _with_other_agency(HitParty.objects.none())
    return (_with_other_agency(HitParty.objects.filter(agency=agency))
            .select_related("hit", "subject", "event", "event__area")
            .prefetch_related(Prefetch("subject__case", queryset=access.cases_visible_to(user)),
                              Prefetch("event__case", queryset=access.cases_visible_to(user))))


def _with_other_agency(parties):
    other_side = HitParty.objects.filter(hit=OuterRef("hit")).exclude(agency=OuterRef("agency"))
    return parties.annotate(other_agency=Subquery(other_side.values("agency_id")[:1]),
                            other_acronym=Subquery(other_side.values("agency__acronym")[:1]))


def _same_group():
    """The outer party's group: its agency's sides on the same own subject or operation with the same other agency."""
    return HitParty.objects.filter(
        Q(subject__isnull=False, subject=OuterRef("subject")) | Q(event__isnull=False, event=OuterRef("event")),
        agency=OuterRef("agency"), hit__parties__agency=OuterRef("other_agency"))


def hit_groups(*, user):
    """The agency's hits as it sees them: one row per (its own subject or operation, other agency), however many of
    the other agency's records matched (the number of rows would tell the other agency's count). Each row is the
    group's first side (its id opens the group); newest first, the groups one check found in the order of the
    other agencies' acronyms (one found time per check), so that neither count nor order depends on the other side.
    """
    return (hit_parties(user=user).filter(~Exists(_same_group().filter(pk__lt=OuterRef("pk"))))
            .order_by("-hit__created_at", "other_acronym", "-pk"))


def open_hit_groups(*, user):
    """The groups with a side not closed yet."""
    return hit_groups(user=user).filter(Exists(_same_group().exclude(status=HitParty.Status.CLOSED)))


def case_hit_groups(*, case, user):
    """The viewer's agency's hits on this case's subjects and operations (none for another agency)."""
    return hit_groups(user=user).filter(Q(subject__case=case) | Q(event__case=case))


def group_members(*, parties):
    """{(subject id, event id, other agency id): the group's sides, oldest first} for the groups of these parties
    (one agency's, from hit_parties), in one query."""
    parties = list(parties)
    if not parties:
        return {}
    own = Q(subject_id__in={p.subject_id for p in parties if p.subject_id}) | Q(
        event_id__in={p.event_id for p in parties if p.event_id})
    members = {}
    for member in (_with_other_agency(HitParty.objects.filter(own, agency_id=parties[0].agency_id))
                   .select_related("hit").order_by("pk")):
        members.setdefault(group_key(member), []).append(member)
    return members


def group_key(party):
    """What makes a group: the party's own subject or operation and the agency on the other side."""
    return party.subject_id, party.event_id, party.other_agency


def group_of(*, party):
    """The sides of the party's group (for a workflow step on all of them)."""
    other_side = HitParty.objects.filter(hit_id=party.hit_id).exclude(agency_id=party.agency_id)
    own = {"subject_id": party.subject_id} if party.subject_id else {"event_id": party.event_id}
    return HitParty.objects.filter(agency_id=party.agency_id, **own,
                                   hit__parties__agency_id=Subquery(other_side.values("agency_id")[:1]))


def planned_events(*, user):
    agency = access.agency_of(user)
    if agency is None:
        return PlannedEvent.objects.none()
    return (PlannedEvent.objects.filter(agency=agency).select_related("area", "created_by")
            .prefetch_related(Prefetch("case", queryset=access.cases_visible_to(user))))


def named_areas():
    return NamedArea.objects.all()


def check_alerts(*, user):
    """Checks before entering by other agencies that hit the user's agency's work, newest first, with who asked."""
    agency = access.agency_of(user)
    if agency is None:
        return CheckAlert.objects.none()
    return CheckAlert.objects.filter(agency=agency).select_related("record__agency", "record__user__officer")


def alert_matches(*, alert, user):
    """The alert's matches as a reader of the agency whose work was hit sees them: which probe of the check, how
    sure, on what, and which of its own subjects (with their case, when the reader may see it) or operations."""
    subject_ids = [match["subject"] for match in alert.matches if "subject" in match]
    event_ids = [match["event"] for match in alert.matches if "event" in match]
    subjects = Subject.objects.filter(pk__in=subject_ids, case__lead_agency=alert.agency_id).prefetch_related(
        Prefetch("case", queryset=access.cases_visible_to(user))).in_bulk() if subject_ids else {}
    events = planned_events(user=user).filter(pk__in=event_ids).in_bulk() if event_ids else {}
    return [{**match, "probe": match["probe"] + 1, "subject": subjects.get(match.get("subject")),
             "event": events.get(match.get("event"))} for match in alert.matches]
