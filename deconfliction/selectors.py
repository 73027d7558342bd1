"""Reads of deconfliction: an agency sees its own side of each hit and its own planned operations only.

A hit's or an operation's case comes through the cases the reader may see: an operation linked to a case
whose share was later revoked shows no case (its `case` is None), not the case's reference."""

from django.db.models import Prefetch

from deconfliction.models import CheckAlert, HitParty, NamedArea, PlannedEvent
from partnerships import access
from partnerships.models import Subject


def hit_parties(*, user):
    """The agency's sides of hits, newest first, with what the page needs in a fixed number of queries."""
    agency = access.agency_of(user)
    if agency is None:
        return HitParty.objects.none()
    return (HitParty.objects.filter(agency=agency)
            .select_related("hit", "subject", "event", "event__area")
            .prefetch_related(Prefetch("hit__parties", queryset=HitParty.objects.only("pk", "hit_id", "agency_id")),
                              Prefetch("subject__case", queryset=access.cases_visible_to(user)),
                              Prefetch("event__case", queryset=access.cases_visible_to(user))))


def open_hit_parties(*, user):
    return hit_parties(user=user).exclude(status=HitParty.Status.CLOSED)


def case_hit_parties(*, case, user):
    """The viewer's agency's hits on this case's subjects and operations (none for another agency)."""
    parties = hit_parties(user=user)
    return parties.filter(subject__case=case) | parties.filter(event__case=case)


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
