"""CBCF writes: the secretariat's agenda workflow, decisions and actions. Atomic, audited."""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cbcf.models import (
    ActionItem,
    AgendaItem,
    AgendaVersion,
    BriefingBook,
    InitiativeUpdate,
    Meeting,
    Participant,
    Subgroup,
)
from partnerships import access, audit
from partnerships.models import AccessLevel, AuditEvent
from partnerships.signals import action_item_due
from portal import outbox

ACTION_REMINDER_DAYS = (7, -1)  # a week before the due date, and the day after it


class ForumRefused(Exception):
    """A forum write the rules forbid; the message says why."""


def is_secretariat(user):
    officer = access.officer_of(user)
    return bool(officer and officer.is_cbcf_secretariat)


def _secretariat(by):
    if not is_secretariat(by):
        raise ForumRefused(_("Only the CBCF secretariat does this."))


def _record(by, what, ref, **detail):
    audit.record(action=AuditEvent.Action.FORUM_RECORD, door=AuditEvent.Door.PAGE, user=by, object_type=what,
                 object_ref=str(ref), **detail)


@transaction.atomic
def subgroup_create(*, by, name_en, name_fr, canadian_co_chair, american_co_chair):
    """A subgroup is co-chaired by one Canadian and one American."""
    _secretariat(by)
    if canadian_co_chair.agency.country != "CA" or american_co_chair.agency.country != "US":
        raise ForumRefused(_("A subgroup is co-chaired by one Canadian and one American: %(ca)s and %(us)s are not.")
                           % {"ca": canadian_co_chair, "us": american_co_chair})
    subgroup = Subgroup.objects.create(name_en=name_en.strip(), name_fr=name_fr.strip(),
                                       canadian_co_chair=canadian_co_chair, american_co_chair=american_co_chair)
    _record(by, "subgroup", subgroup.pk, name=subgroup.name_en)
    return subgroup


@transaction.atomic
def meeting_create(*, by, title, level, starts_at, place, host_country, time_zone="America/Toronto", subgroup=None,
                   participants=()):
    """Open a meeting; open action items of earlier meetings of the same forum come onto its agenda."""
    _secretariat(by)
    if level == Meeting.Level.SUBGROUP and subgroup is None:
        raise ForumRefused(_("Choose the subgroup that meets."))
    meeting = Meeting.objects.create(title=title.strip(), level=level, subgroup=subgroup, starts_at=starts_at,
                                     place=place.strip(), host_country=host_country, time_zone=time_zone,
                                     created_by=by)
    Participant.objects.bulk_create([Participant(meeting=meeting, officer=officer, role=role)
                                     for officer, role in participants])
    earlier = ActionItem.objects.filter(status=ActionItem.Status.OPEN, meeting__level=level,
                                        meeting__subgroup=subgroup, meeting__starts_at__lt=starts_at)
    officer = access.officer_of(by)
    for action in earlier.select_related("owner"):
        AgendaItem.objects.create(
            meeting=meeting, proposing_agency=action.owner, title_en=f"Follow-up: {action.text[:180]}",
            title_fr=f"Suivi : {action.text[:180]}", summary_en=action.text, summary_fr=action.text,
            purpose=AgendaItem.Purpose.INFORMATION, presenter=action.owner.acronym, minutes=5,
            status=AgendaItem.Status.ACCEPTED, order=1000 + action.pk, proposed_by=by)
    _record(by, "meeting", meeting.pk, title=meeting.title, carried=earlier.count(), by_agency=officer.agency.acronym)
    return meeting


def _agenda_changing(meeting):
    """A final agenda is locked: changing it starts the next version as a draft."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.agenda_state == Meeting.AgendaState.FINAL:
        meeting.agenda_version += 1
        meeting.agenda_state = Meeting.AgendaState.DRAFT
        meeting.save(update_fields=["agenda_version", "agenda_state", "updated_at"])
    return meeting


@transaction.atomic
def item_propose(*, by, meeting, title_en, title_fr, summary_en, summary_fr, purpose, presenter, minutes,
                 background="", background_handling="H0", subgroup=None):
    """An agency (or a subgroup) invited to the meeting proposes an item."""
    agency = access.agency_of(by)
    invited = meeting.participants.filter(officer__agency=agency).exists()
    if agency is None or not (invited or is_secretariat(by)):
        raise ForumRefused(_("Only agencies invited to the meeting propose items."))
    if not 1 <= minutes <= 240:
        raise ForumRefused(_("An item takes from 1 to 240 minutes."))
    item = AgendaItem.objects.create(
        meeting=meeting, proposing_agency=agency, subgroup=subgroup, title_en=title_en.strip(),
        title_fr=title_fr.strip(), summary_en=summary_en.strip(), summary_fr=summary_fr.strip(), purpose=purpose,
        presenter=presenter.strip(), minutes=minutes, background=background.strip(),
        background_handling=background_handling, proposed_by=by)
    _record(by, "agenda_item", item.pk, meeting=meeting.pk, proposed=True)
    return item


@transaction.atomic
def item_decide(*, by, item, status, reason=""):
    """The secretariat accepts, defers or declines an item; deferring or declining needs a reason."""
    _secretariat(by)
    if status not in AgendaItem.Status.values or status == AgendaItem.Status.PROPOSED:
        raise ForumRefused(_("Accept, defer or decline the item."))
    reason = (reason or "").strip()
    if status in (AgendaItem.Status.DEFERRED, AgendaItem.Status.DECLINED) and not reason:
        raise ForumRefused(_("Give the reason for deferring or declining the item."))
    if status == AgendaItem.Status.ACCEPTED:
        reason = ""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.status == status and item.reason == reason:
        return item  # a click that changes nothing (re-accepting an accepted item) starts no new version
    if AgendaItem.Status.ACCEPTED in (item.status, status):
        _agenda_changing(item.meeting)  # only what the agenda shows makes a final agenda the next version
    last = item.meeting.items.filter(status=AgendaItem.Status.ACCEPTED).order_by("-order").first()
    item.status, item.reason, item.decided_at = status, reason, timezone.now()
    if status == AgendaItem.Status.ACCEPTED and item.order == 0:
        item.order = (last.order + 1) if last else 1
    item.save()
    _record(by, "agenda_item", item.pk, status=status, reason=item.reason)
    return item


@transaction.atomic
def item_move(*, by, item, direction):
    """Move an accepted item one place up or down (the agenda's order)."""
    _secretariat(by)
    item = AgendaItem.objects.get(pk=item.pk)
    if item.status != AgendaItem.Status.ACCEPTED:
        # A second member of the secretariat may have deferred or declined it meanwhile (a stale page).
        raise ForumRefused(_("Only an accepted item has a place on the agenda; this one is now: %(status)s.")
                           % {"status": item.get_status_display()})
    accepted = list(item.meeting.items.filter(status=AgendaItem.Status.ACCEPTED).order_by("order", "id"))
    index = accepted.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(accepted):
        return  # the first item up, the last down: nothing moves, and no new version starts
    _agenda_changing(item.meeting)
    accepted[index], accepted[other] = accepted[other], accepted[index]
    for position, each in enumerate(accepted, start=1):
        if each.order != position:
            AgendaItem.objects.filter(pk=each.pk).update(order=position)
    _record(by, "agenda_item", item.pk, moved=direction)


@transaction.atomic
def meeting_timing(*, by, meeting, starts_at, breaks):
    """The start time and the breaks ([{"after": position, "minutes": n}]); the timetable follows."""
    _secretariat(by)
    meeting = Meeting.objects.get(pk=meeting.pk)
    if meeting.starts_at == starts_at and meeting.breaks == breaks:
        return meeting  # nothing changes: no new version
    meeting = _agenda_changing(meeting)
    meeting.starts_at, meeting.breaks = starts_at, breaks
    meeting.sequence += 1
    meeting.save(update_fields=["starts_at", "breaks", "sequence", "updated_at"])
    _record(by, "meeting", meeting.pk, starts_at=starts_at.isoformat(), breaks=breaks)
    return meeting


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


def _snapshot(meeting):
    return [{"id": row["item"].pk, "title_en": row["item"].title_en, "title_fr": row["item"].title_fr,
             "purpose": row["item"].purpose, "presenter": row["item"].presenter, "minutes": row["item"].minutes,
             "start": row["start"].strftime("%H:%M")} for row in timetable(meeting) if row["kind"] == "item"]


def _changes(before, after):
    """What changed between two snapshots, in plain words (kept with the version)."""
    old, new = {row["id"]: row for row in before}, {row["id"]: row for row in after}
    changes = [f"+ {new[i]['title_en']}" for i in new if i not in old]
    changes += [f"- {old[i]['title_en']}" for i in old if i not in new]
    for i in new:
        if i in old:
            for field in ("title_en", "presenter", "minutes", "start", "purpose"):
                if old[i][field] != new[i][field]:
                    changes.append(f"~ {new[i]['title_en']}: {field} {old[i][field]} → {new[i][field]}")
    return changes


def changes_between(before, after):
    """What changed from one kept version to another (the same words as the changes kept with a final version)."""
    return _changes(before, after)


def version_rows(before, after):
    """Two versions' items side by side: [{"left", "right", "changed"}], in the second's order, removed ones last."""
    old = {row["id"]: row for row in before}
    rows = [{"left": old.get(row["id"]), "right": row, "changed": old.get(row["id"]) != row} for row in after]
    kept = {row["id"] for row in after}
    rows += [{"left": row, "right": None, "changed": True} for row in before if row["id"] not in kept]
    return rows


@transaction.atomic
def agenda_advance(*, by, meeting, state):
    """Circulate or finalize the agenda; each keeps a copy as it stood, the final one with its changes."""
    _secretariat(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    order = [Meeting.AgendaState.DRAFT, Meeting.AgendaState.CIRCULATED, Meeting.AgendaState.FINAL]
    if order.index(state) <= order.index(meeting.agenda_state):
        raise ForumRefused(_("The agenda is already %(state)s.") % {"state": meeting.get_agenda_state_display()})
    items = _snapshot(meeting)
    if not items:
        raise ForumRefused(_("Accept at least one item first."))
    previous = meeting.versions.filter(state=Meeting.AgendaState.FINAL).order_by("-number").first()
    changes = _changes(previous.items, items) if previous and state == Meeting.AgendaState.FINAL else []
    AgendaVersion.objects.create(meeting=meeting, number=meeting.agenda_version, state=state, items=items,
                                 changes=changes)
    meeting.agenda_state = state
    meeting.sequence += 1
    meeting.save(update_fields=["agenda_state", "sequence", "updated_at"])
    _record(by, "agenda", meeting.pk, state=state, version=meeting.agenda_version, changes=len(changes))
    _tell_participants(meeting, state=state)
    return meeting


def _tell_participants(meeting, *, state):
    """In-app notice and email to every participant (partnerships/notifications.py); the text is made when read."""
    from cbcf.tasks import agenda_notice_task

    outbox.enqueue(agenda_notice_task, meeting.pk, meeting.agenda_version, state, meeting.sequence)


def agenda_notice(*, meeting_id, version, state, sequence):
    """Tell the participants once per event (a retried task finds the notices made and sends none)."""
    from partnerships import notifications
    from partnerships.models import Notification

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    detail = {"meeting": meeting.pk, "version": version, "state": state, "sequence": sequence}
    told = set(Notification.objects.filter(kind=Notification.Kind.AGENDA_CHANGED, detail=detail)
               .values_list("recipient", flat=True))
    officers = [p.officer for p in meeting.participants.select_related("officer__user")
                if p.officer.user_id not in told]
    return notifications.send_notice(kind=Notification.Kind.AGENDA_CHANGED, officers=officers, detail=detail)


MEETING_FIELDS = ("title", "place", "level", "subgroup")
ITEM_FIELDS = ("title_en", "title_fr", "summary_en", "summary_fr", "purpose", "presenter", "minutes", "background",
               "background_handling", "subgroup")


@transaction.atomic
def meeting_update(*, by, meeting, title, place, level, subgroup=None):
    """The secretariat corrects a meeting's title, place and level; calendars get the change (SEQUENCE)."""
    _secretariat(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    title, place = (title or "").strip(), (place or "").strip()
    if not title or not place:
        raise ForumRefused(_("Give the meeting a title and a place."))
    if level not in Meeting.Level.values:
        raise ForumRefused(_("Choose the level of the meeting."))
    if level == Meeting.Level.SUBGROUP and subgroup is None:
        raise ForumRefused(_("Choose the subgroup that meets."))
    if level != Meeting.Level.SUBGROUP:
        subgroup = None
    new = {"title": title, "place": place, "level": level, "subgroup": subgroup}
    changed = {name: (str(getattr(meeting, name) or ""), str(value or "")) for name, value in new.items()
               if getattr(meeting, name) != value}
    if not changed:
        return meeting
    for name, value in new.items():
        setattr(meeting, name, value)
    meeting.sequence += 1
    meeting.save(update_fields=[*new, "sequence", "updated_at"])
    _record(by, "meeting", meeting.pk, changed=changed)
    return meeting


@transaction.atomic
def item_update(*, by, item, **values):
    """Correct an agenda item: the secretariat at any time, the proposing agency while it is proposed. A change
    to an item on a final agenda starts the next version, as every agenda change does; no change, no version."""
    from cbcf.selectors import items_editable_by

    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if not items_editable_by(user=by).filter(pk=item.pk).exists():
        raise ForumRefused(_("Only the secretariat or the agency that proposed the item edits it."))
    if not is_secretariat(by) and item.status != AgendaItem.Status.PROPOSED:
        raise ForumRefused(_("The secretariat has decided on this item: ask the secretariat to change it."))
    values = {name: (value.strip() if isinstance(value, str) else value) for name, value in values.items()
              if name in ITEM_FIELDS}
    if "minutes" in values and not 1 <= values["minutes"] <= 240:
        raise ForumRefused(_("An item takes from 1 to 240 minutes."))
    changed = {name: (str(getattr(item, name) or ""), str(value or "")) for name, value in values.items()
               if getattr(item, name) != value}
    if not changed:
        return item
    if item.status == AgendaItem.Status.ACCEPTED:
        _agenda_changing(item.meeting)
    for name, value in values.items():
        setattr(item, name, value)
    item.save()
    _record(by, "agenda_item", item.pk, changed=changed)
    return item


@transaction.atomic
def item_carry(*, by, item, meeting):
    """Bring a deferred item to a later meeting of the same series (level and subgroup), as a new proposal there.
    The proposing agency must be invited to that meeting; an item is brought once."""
    _secretariat(by)
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    if item.status != AgendaItem.Status.DEFERRED:
        raise ForumRefused(_("Only a deferred item is brought to a later meeting."))
    if AgendaItem.objects.filter(carried_from=item).exists():
        raise ForumRefused(_("This item was already brought to a later meeting."))
    if meeting not in later_meetings(item):
        raise ForumRefused(_("Choose a later meeting of the same series."))
    carried = AgendaItem.objects.create(
        meeting=meeting, proposing_agency=item.proposing_agency, subgroup=item.subgroup, title_en=item.title_en,
        title_fr=item.title_fr, summary_en=item.summary_en, summary_fr=item.summary_fr, purpose=item.purpose,
        presenter=item.presenter, minutes=item.minutes, background=item.background,
        background_handling=item.background_handling, proposed_by=by, carried_from=item)
    _record(by, "agenda_item", carried.pk, meeting=meeting.pk, carried_from=item.pk)
    return carried


def later_meetings(item):
    """The meetings of the item's series held after its meeting."""
    meeting = item.meeting
    return Meeting.objects.filter(level=meeting.level, subgroup=meeting.subgroup,
                                  starts_at__gt=meeting.starts_at).order_by("starts_at", "pk")


@transaction.atomic
def decision_record(*, by, item, text):
    _secretariat(by)
    item.decision = text.strip()
    item.save(update_fields=["decision"])
    _record(by, "agenda_item", item.pk, decision=True)
    return item


@transaction.atomic
def action_add(*, by, meeting, text, owner, due_on, item=None, case=None):
    _secretariat(by)
    if case is not None and not access.can(by, case, AccessLevel.VIEW):
        raise ForumRefused(_("Link a case your agency can see."))
    action = ActionItem.objects.create(meeting=meeting, item=item, text=text.strip(), owner=owner, due_on=due_on,
                                       case=case)
    _record(by, "action_item", action.pk, owner=owner.acronym, due_on=str(due_on))
    return action


@transaction.atomic
def action_set_status(*, by, action, status):
    officer = access.officer_of(by)
    if not (is_secretariat(by) or (officer and officer.agency_id == action.owner_id)):
        raise ForumRefused(_("Only the secretariat or the owner agency updates this action."))
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    _record(by, "action_item", action.pk, status=status)
    return action


def actions_daily(*, today=None):
    """Celery beat, daily: remind the owner agency a week before the due date and the day after it."""
    from partnerships import notifications
    from partnerships import services as core_services
    from partnerships.models import Notification

    today = today or timezone.localdate()
    told = 0
    for action in ActionItem.objects.filter(status=ActionItem.Status.OPEN).select_related("owner"):
        days_left = (action.due_on - today).days
        due = [d for d in ACTION_REMINDER_DAYS if days_left <= d and d not in action.reminders_sent]
        if not due:
            continue
        with transaction.atomic():  # the reminder, its notice and what listeners write (webhooks) stand together
            ActionItem.objects.filter(pk=action.pk).update(
                reminders_sent=sorted(set(action.reminders_sent) | set(due)))
            notifications.send_notice(kind=Notification.Kind.ACTION_DUE,
                                      officers=core_services.duty_contacts(action.owner),
                                      detail={"action": action.text[:200], "due": action.due_on.isoformat()})
            action_item_due.send(sender=ActionItem, action=action, overdue=days_left < 0)
        told += 1
    return told


@transaction.atomic
def initiative_update(*, by, initiative, status, note, on=None):
    _secretariat(by)
    InitiativeUpdate.objects.create(initiative=initiative, on=on or timezone.localdate(), status=status,
                                    note=note.strip(), recorded_by=by)
    initiative.status = status
    initiative.save(update_fields=["status", "updated_at"])
    _record(by, "initiative", initiative.pk, status=status)
    return initiative


@transaction.atomic
def briefing_book_build(*, by, meeting):
    """Start building the English and French briefing books of the agenda as it stands (Celery)."""
    from cbcf.tasks import build_briefing_book_task

    _secretariat(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    # A rebuild replaces the earlier build of the same agenda version and language: one row each, no duplicates.
    meeting.books.filter(agenda_version=meeting.agenda_version).delete()
    books = [BriefingBook.objects.create(meeting=meeting, agenda_version=meeting.agenda_version, language=language,
                                         built_by=by) for language in ("en", "fr")]
    for book in books:
        outbox.enqueue(build_briefing_book_task, book.pk)
    _record(by, "briefing_book", meeting.pk, version=meeting.agenda_version)
    return books




def paper_attach(*, item, upload, by, door=AuditEvent.Door.PAGE):
    """Attach a background paper to an agenda item: the secretariat, or the agency that proposed the item
    while it may see the meeting. Checked, stored and recorded in one step (partnerships/attachments.py):
    a refused file is recorded and nothing is kept; if the row cannot be written the file is removed."""
    from cbcf.models import BackgroundPaper
    from cbcf.selectors import items_editable_by
    from partnerships import attachments

    if not items_editable_by(user=by).filter(pk=item.pk).exists():
        raise ForumRefused(_("Only the secretariat or the agency that proposed the item attaches papers to it."))
    return attachments.attach(upload=upload, by=by, door=door, object_type="background_paper",
                              item=item.pk, meeting=item.meeting_id,
                              create=lambda **fields: BackgroundPaper.objects.create(item=item, **fields))


@transaction.atomic
def participant_set(*, by, meeting, officer, role, delegate_for="", attended=False):
    """Invite someone, or record their role (principal, delegate for whom) and attendance."""
    _secretariat(by)
    if role == Participant.Role.DELEGATE and not (delegate_for or "").strip():
        raise ForumRefused(_("Say whom the delegate stands in for."))
    participant, _created = Participant.objects.update_or_create(
        meeting=meeting, officer=officer,
        defaults={"role": role, "delegate_for": (delegate_for or "").strip(), "attended": attended})
    _record(by, "participant", participant.pk, meeting=meeting.pk, role=role, attended=attended)
    return participant
