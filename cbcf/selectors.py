"""CBCF reads: the secretariat sees every meeting; a participant sees the meetings they are invited to."""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Q

from cbcf.models import ActionItem, AgendaItem, BackgroundPaper, Initiative, Meeting, Subgroup
from partnerships import access


def is_secretariat(user):
    officer = access.officer_of(user)
    return bool(officer and officer.is_cbcf_secretariat)


def timetable(meeting):
    """[{"kind": "item"|"break", "start", "end", "item"|"minutes"}] from the start time, in the meeting's zone."""
    zone = ZoneInfo(meeting.time_zone)
    clock = meeting.starts_at.astimezone(zone)
    breaks = {entry["after"]: entry["minutes"] for entry in meeting.breaks}
    rows = []
    accepted = meeting.items.filter(status=AgendaItem.Status.ACCEPTED).order_by("order", "id")
    for position, item in enumerate(accepted, start=1):
        end = clock + datetime.timedelta(minutes=item.minutes)
        rows.append({"kind": "item", "position": position, "start": clock, "end": end, "item": item})
        clock = end
        if breaks.get(position):
            end = clock + datetime.timedelta(minutes=breaks[position])
            rows.append({"kind": "break", "start": clock, "end": end, "minutes": breaks[position]})
            clock = end
    return rows


def meeting_list(*, user):
    if is_secretariat(user):
        return Meeting.objects.select_related("subgroup")
    officer = access.officer_of(user)
    if officer is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(participants__officer=officer).select_related("subgroup").distinct()


def action_register(*, user):
    """The secretariat sees every action; others those of their meetings or owned by their agency."""
    actions = ActionItem.objects.select_related("owner", "meeting", "case")
    if is_secretariat(user):
        return actions
    agency = access.agency_of(user)
    if agency is None:
        return actions.none()
    return actions.filter(Q(meeting__in=meeting_list(user=user)) | Q(owner=agency)).distinct()


def book_actions(*, meeting):
    """The open action items a meeting's briefing book lists: those of the meetings of the same series (the same
    level and subgroup, as meeting_create carries actions over) held up to this one that every agency taking part
    in it was invited to, so that no reader of the book sees an action of a meeting their agency was not at."""
    agencies = set(meeting.participants.values_list("officer__agency", flat=True))
    meetings = Meeting.objects.filter(level=meeting.level, subgroup=meeting.subgroup,
                                      starts_at__lte=meeting.starts_at)
    if agencies:
        meetings = meetings.annotate(invited=Count("participants__officer__agency", distinct=True, filter=Q(
            participants__officer__agency__in=agencies))).filter(invited=len(agencies))
    return ActionItem.objects.filter(status=ActionItem.Status.OPEN).filter(
        Q(meeting=meeting) | Q(meeting__in=meetings.values("pk"))).select_related("owner", "meeting") \
        .order_by("due_on", "pk")


def initiative_list():
    return Initiative.objects.prefetch_related("owners", "updates")


def subgroup_list():
    return Subgroup.objects.select_related("canadian_co_chair__agency", "american_co_chair__agency")


def visible_case_ids(*, user, actions):
    return set(access.cases_visible_to(user).filter(pk__in=[a.case_id for a in actions if a.case_id])
               .values_list("pk", flat=True))


def agenda_items(*, user):
    """Every agenda item (proposed, accepted or set aside) of the meetings the user may see."""
    return AgendaItem.objects.filter(meeting__in=meeting_list(user=user).values("pk"))


def items_editable_by(*, user):
    """The items the user may add to: the secretariat any visible item; others their own agency's proposals
    (the rule of action_set_status: the secretariat or the owner agency)."""
    items = agenda_items(user=user)
    if is_secretariat(user):
        return items
    agency = access.agency_of(user)
    return items.filter(proposing_agency=agency) if agency else items.none()


def papers_visible_to(*, user):
    """Background papers follow their meeting: seen by the secretariat and the meeting's participants."""
    return BackgroundPaper.objects.filter(item__meeting__in=meeting_list(user=user).values("pk")) \
        .select_related("item", "uploaded_by_agency")
