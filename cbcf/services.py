"""CBCF writes: the secretariat's agenda workflow, decisions and actions. Atomic, audited."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cbcf.models import (
    ActionItem,
    AgendaItem,
    AgendaVersion,
    BriefingBook,
    Initiative,
    InitiativeUpdate,
    Marking,
    Meeting,
    Participant,
    Subgroup,
    reading_french,
)
from cbcf.selectors import is_secretariat, timetable  # noqa: F401 (reads; views, API and tests call them here too)
from partnerships import access, audit
from partnerships.models import AccessLevel, AuditEvent
from partnerships.signals import action_item_due
from portal import outbox

ACTION_REMINDER_DAYS = (7, -1)  # a week before the due date, and the day after it


class ForumRefused(Exception):
    """A forum write the rules forbid; the message says why."""


class NotAllowed(ForumRefused):
    """The caller may see what it acts on, but this is not theirs to do (the API answers 403, not 400: the action may
    be valid, by someone else)."""


class NotSecretariat(NotAllowed):
    """A secretariat action by someone else."""


def _secretariat(by):
    if not is_secretariat(by):
        raise NotSecretariat(_("Only the CBCF secretariat does this."))


def _record(by, what, ref, *, door=AuditEvent.Door.PAGE, **detail):
    audit.record(action=AuditEvent.Action.FORUM_RECORD, door=door, user=by, object_type=what,
                 object_ref=str(ref), **detail)


@transaction.atomic
def subgroup_create(*, by, name_en, name_fr, canadian_co_chair, american_co_chair, door=AuditEvent.Door.PAGE):
    """A subgroup is co-chaired by one Canadian and one American."""
    _secretariat(by)
    if canadian_co_chair.agency.country != "CA" or american_co_chair.agency.country != "US":
        raise ForumRefused(_("A subgroup is co-chaired by one Canadian and one American: %(ca)s and %(us)s are not.")
                           % {"ca": canadian_co_chair, "us": american_co_chair})
    subgroup = Subgroup.objects.create(name_en=name_en.strip(), name_fr=name_fr.strip(),
                                       canadian_co_chair=canadian_co_chair, american_co_chair=american_co_chair)
    _record(by, "subgroup", subgroup.pk, door=door, name=subgroup.name_en)
    return subgroup


def _one_of(english, french, message):
    """A text users type is held in both languages; one of them at least must be there."""
    if not (english or "").strip() and not (french or "").strip():
        raise ForumRefused(message)


def _titled(english, french):
    _one_of(english, french, _("Give the title in English or in French (or both)."))


def _follow_up(action):
    """The titles of a carried-over action item: each language's words around that language's text only, so that
    a French reader never reads "Suivi : <English text>" (the missing version is shown marked in the other)."""
    english = f"Follow-up: {action.text[:180]}" if action.text.strip() else ""
    french = f"Suivi\u00a0: {action.text_fr[:180]}" if action.text_fr.strip() else ""
    return english, french


@transaction.atomic
def meeting_create(*, by, title, level, starts_at, place, host_country, time_zone="America/Toronto", subgroup=None,
                   participants=(), title_fr="", marking=Marking.UNCLASSIFIED, door=AuditEvent.Door.PAGE):
    """Open a meeting; open action items of earlier meetings of the same forum come onto its agenda."""
    _secretariat(by)
    _titled(title, title_fr)
    marking = marking or Marking.UNCLASSIFIED
    if marking not in Marking.values:
        raise ForumRefused(_("Choose the security marking of the meeting."))
    if level == Meeting.Level.SUBGROUP and subgroup is None:
        raise ForumRefused(_("Choose the subgroup that meets."))
    meeting = Meeting.objects.create(title=(title or "").strip(), title_fr=(title_fr or "").strip(), level=level,
                                     subgroup=subgroup, starts_at=starts_at, place=place.strip(),
                                     host_country=host_country, time_zone=time_zone, marking=marking, created_by=by)
    Participant.objects.bulk_create([Participant(meeting=meeting, officer=officer, role=role)
                                     for officer, role in participants])
    earlier = ActionItem.objects.filter(status=ActionItem.Status.OPEN, meeting__level=level,
                                        meeting__subgroup=subgroup, meeting__starts_at__lt=starts_at)
    officer = access.officer_of(by)
    for action in earlier.select_related("owner"):
        title_en, title_fr = _follow_up(action)
        AgendaItem.objects.create(
            meeting=meeting, proposing_agency=action.owner, title_en=title_en,
            title_fr=title_fr, summary_en=action.text, summary_fr=action.text_fr,
            purpose=AgendaItem.Purpose.INFORMATION, presenter=action.owner.acronym, minutes=5,
            status=AgendaItem.Status.ACCEPTED, order=1000 + action.pk, proposed_by=by)
    _record(by, "meeting", meeting.pk, door=door, title=meeting.title, carried=earlier.count(),
            by_agency=officer.agency.acronym)
    return meeting


def _event_changed(meeting):
    """What participants' calendars show changed (here the end of the meeting): the iCalendar SEQUENCE grows."""
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1, updated_at=timezone.now())


def _agenda_changing(meeting):
    """A final agenda is locked: changing it starts the next version as a draft."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.agenda_state == Meeting.AgendaState.FINAL:
        meeting.agenda_version += 1
        meeting.agenda_state = Meeting.AgendaState.DRAFT
        meeting.save(update_fields=["agenda_version", "agenda_state", "updated_at"])
    return meeting


NOTE_FIELDS = ("context_en", "context_fr", "issue_en", "issue_fr", "recommendation_en", "recommendation_fr",
               "background_fr")  # `background` (English), the first version's, is a parameter of its own


def _item_texts_complete(values):
    """An item has a title and a summary in one language at least; one for decision says the decision sought."""
    _titled(values.get("title_en"), values.get("title_fr"))
    _one_of(values.get("summary_en"), values.get("summary_fr"),
            _("Give the summary in English or in French (or both)."))
    if values.get("purpose") == AgendaItem.Purpose.DECISION:
        _one_of(values.get("recommendation_en"), values.get("recommendation_fr"),
                _("An item for decision says the decision sought (in English or in French)."))


@transaction.atomic
def item_propose(*, by, meeting, title_en, title_fr, summary_en, summary_fr, purpose, presenter, minutes,
                 background="", background_handling="H0", subgroup=None, door=AuditEvent.Door.PAGE, **note):
    """An agency (or a subgroup) invited to the meeting proposes an item, with its briefing note (NOTE_FIELDS:
    background, issue, recommendation or decision sought, each in English and French, all optional but the
    decision sought of an item for decision)."""
    agency = access.agency_of(by)
    invited = meeting.participants.filter(officer__agency=agency).exists()
    if agency is None or not (invited or is_secretariat(by)):
        raise ForumRefused(_("Only agencies invited to the meeting propose items."))
    if not 1 <= minutes <= 240:
        raise ForumRefused(_("An item takes from 1 to 240 minutes."))
    unknown = set(note) - set(NOTE_FIELDS)
    if unknown:
        raise TypeError(f"item_propose() got unexpected keyword arguments {sorted(unknown)}")
    note = {name: (value or "").strip() for name, value in note.items()}
    texts = {"title_en": (title_en or "").strip(), "title_fr": (title_fr or "").strip(),
             "summary_en": (summary_en or "").strip(), "summary_fr": (summary_fr or "").strip()}
    _item_texts_complete({**texts, **note, "purpose": purpose})
    item = AgendaItem.objects.create(
        meeting=meeting, proposing_agency=agency, subgroup=subgroup, **texts, **note, purpose=purpose,
        presenter=presenter.strip(), minutes=minutes, background=background.strip(),
        background_handling=background_handling, proposed_by=by)
    _record(by, "agenda_item", item.pk, door=door, meeting=meeting.pk, proposed=True)
    return item


@transaction.atomic
def item_decide(*, by, item, status, reason="", door=AuditEvent.Door.PAGE):
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
    previous_status = item.status
    item.status, item.reason, item.decided_at = status, reason, timezone.now()
    if status == AgendaItem.Status.ACCEPTED and item.order == 0:
        item.order = (last.order + 1) if last else 1
    item.save()
    if AgendaItem.Status.ACCEPTED in (previous_status, status):
        _event_changed(item.meeting)  # an item on or off the agenda moves the meeting's end (DTEND)
    _record(by, "agenda_item", item.pk, door=door, status=status, reason=item.reason)
    return item


@transaction.atomic
def item_move(*, by, item, direction, door=AuditEvent.Door.PAGE):
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
    _record(by, "agenda_item", item.pk, door=door, moved=direction)


@transaction.atomic
def meeting_timing(*, by, meeting, starts_at, breaks, door=AuditEvent.Door.PAGE):
    """The start time and the breaks ([{"after": position, "minutes": n}]); the timetable follows."""
    _secretariat(by)
    meeting = Meeting.objects.get(pk=meeting.pk)
    if meeting.starts_at == starts_at and meeting.breaks == breaks:
        return meeting  # nothing changes: no new version
    meeting = _agenda_changing(meeting)
    meeting.starts_at, meeting.breaks = starts_at, breaks
    meeting.sequence += 1
    meeting.save(update_fields=["starts_at", "breaks", "sequence", "updated_at"])
    _record(by, "meeting", meeting.pk, door=door, starts_at=starts_at.isoformat(), breaks=breaks)
    return meeting


def _snapshot(meeting):
    return [{"id": row["item"].pk, "title_en": row["item"].title_en, "title_fr": row["item"].title_fr,
             "purpose": row["item"].purpose, "presenter": row["item"].presenter, "minutes": row["item"].minutes,
             "start": row["start"].strftime("%H:%M")} for row in timetable(meeting) if row["kind"] == "item"]


# what a change of an item's snapshot is called, for the reader
SNAPSHOT_FIELDS = {"title_en": gettext_lazy("title"), "presenter": gettext_lazy("presenter"),
                   "minutes": gettext_lazy("minutes"), "start": gettext_lazy("start time"),
                   "purpose": gettext_lazy("purpose")}


def _snapshot_title(row):
    return (row.get("title_fr") or row["title_en"]) if reading_french() else row["title_en"]


def _snapshot_value(field, value):
    if field == "purpose":
        return str(dict(AgendaItem.Purpose.choices).get(value, value))
    return str(value) if value not in (None, "") else "—"


def _changes(before, after):
    """What changed between two snapshots, in plain words in the reader's language (kept with the version)."""
    old, new = {row["id"]: row for row in before}, {row["id"]: row for row in after}
    changes = [_("Added: %(item)s") % {"item": _snapshot_title(new[i])} for i in new if i not in old]
    changes += [_("Removed: %(item)s") % {"item": _snapshot_title(old[i])} for i in old if i not in new]
    for i in new:
        if i in old:
            for field, name in SNAPSHOT_FIELDS.items():
                if old[i][field] != new[i][field]:
                    changes.append(_("%(item)s — %(field)s: %(old)s → %(new)s") % {
                        "item": _snapshot_title(new[i]), "field": name,
                        "old": _snapshot_value(field, old[i][field]), "new": _snapshot_value(field, new[i][field])})
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
def agenda_advance(*, by, meeting, state, door=AuditEvent.Door.PAGE):
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
    _record(by, "agenda", meeting.pk, door=door, state=state, version=meeting.agenda_version, changes=len(changes))
    _tell_participants(meeting, state=state)
    return meeting


def _tell_participants(meeting, *, state):
    """In-app notice and email to every participant (partnerships/notifications.py); the text is made when read."""
    outbox.enqueue("cbcf.tasks.agenda_notice_task", meeting.pk, meeting.agenda_version, state, meeting.sequence)


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


MEETING_FIELDS = ("title", "title_fr", "place", "level", "subgroup", "marking")
ITEM_FIELDS = ("title_en", "title_fr", "summary_en", "summary_fr", "purpose", "presenter", "minutes", "background",
               "background_handling", "subgroup", *NOTE_FIELDS)


@transaction.atomic
def meeting_update(*, by, meeting, title, place, level, subgroup=None, title_fr=None, marking=None,
                   door=AuditEvent.Door.PAGE):
    """The secretariat corrects a meeting's titles, place, level and marking; calendars get the change (SEQUENCE).
    A title_fr or marking not given is left as it is (callers of the first version sent neither)."""
    _secretariat(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    title, place = (title or "").strip(), (place or "").strip()
    title_fr = meeting.title_fr if title_fr is None else title_fr.strip()
    marking = marking or meeting.marking
    if not (title or title_fr) or not place:
        raise ForumRefused(_("Give the meeting a title and a place."))
    if marking not in Marking.values:
        raise ForumRefused(_("Choose the security marking of the meeting."))
    if level not in Meeting.Level.values:
        raise ForumRefused(_("Choose the level of the meeting."))
    if level == Meeting.Level.SUBGROUP and subgroup is None:
        raise ForumRefused(_("Choose the subgroup that meets."))
    if level != Meeting.Level.SUBGROUP:
        subgroup = None
    new = {"title": title, "title_fr": title_fr, "place": place, "level": level, "subgroup": subgroup,
           "marking": marking}
    changed = {name: (str(getattr(meeting, name) or ""), str(value or "")) for name, value in new.items()
               if getattr(meeting, name) != value}
    if not changed:
        return meeting
    for name, value in new.items():
        setattr(meeting, name, value)
    meeting.sequence += 1
    meeting.save(update_fields=[*new, "sequence", "updated_at"])
    _record(by, "meeting", meeting.pk, door=door, changed=changed)
    return meeting


@transaction.atomic
def item_update(*, by, item, door=AuditEvent.Door.PAGE, **values):
    """Correct an agenda item: the secretariat at any time, the proposing agency while it is proposed. A change
    to an item on a final agenda starts the next version, as every agenda change does; no change, no version."""
    from cbcf.selectors import items_editable_by

    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if not items_editable_by(user=by).filter(pk=item.pk).exists():
        raise NotAllowed(_("Only the secretariat or the agency that proposed the item edits it."))
    if not is_secretariat(by) and item.status != AgendaItem.Status.PROPOSED:
        raise ForumRefused(_("The secretariat has decided on this item: ask the secretariat to change it."))
    values = {name: (value.strip() if isinstance(value, str) else value) for name, value in values.items()
              if name in ITEM_FIELDS}
    if "minutes" in values and not 1 <= values["minutes"] <= 240:
        raise ForumRefused(_("An item takes from 1 to 240 minutes."))
    _item_texts_complete({**{name: getattr(item, name) for name in ITEM_FIELDS}, **values})
    changed = {name: (str(getattr(item, name) or ""), str(value or "")) for name, value in values.items()
               if getattr(item, name) != value}
    if not changed:
        return item
    if item.status == AgendaItem.Status.ACCEPTED:
        _agenda_changing(item.meeting)
    for name, value in values.items():
        setattr(item, name, value)
    item.save()
    if item.status == AgendaItem.Status.ACCEPTED and "minutes" in changed:
        _event_changed(item.meeting)  # the meeting's end (DTEND) moves
    _record(by, "agenda_item", item.pk, door=door, changed=changed)
    return item


@transaction.atomic
def item_carry(*, by, item, meeting, door=AuditEvent.Door.PAGE):
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
        **{name: getattr(item, name) for name in NOTE_FIELDS},
        presenter=item.presenter, minutes=item.minutes, background=item.background,
        background_handling=item.background_handling, proposed_by=by, carried_from=item)
    _record(by, "agenda_item", carried.pk, door=door, meeting=meeting.pk, carried_from=item.pk)
    return carried


def later_meetings(item):
    """The meetings of the item's series held after its meeting."""
    meeting = item.meeting
    return Meeting.objects.filter(level=meeting.level, subgroup=meeting.subgroup,
                                  starts_at__gt=meeting.starts_at).order_by("starts_at", "pk")


@transaction.atomic
def decision_record(*, by, item, text, door=AuditEvent.Door.PAGE):
    _secretariat(by)
    item.decision = text.strip()
    item.save(update_fields=["decision"])
    _record(by, "agenda_item", item.pk, door=door, decision=True)
    return item


@transaction.atomic
def action_add(*, by, meeting, text, owner, due_on, item=None, case=None, text_fr="", door=AuditEvent.Door.PAGE):
    """An action item, in English and French (one of them at least); carried to the next meetings until done."""
    _secretariat(by)
    _one_of(text, text_fr, _("Give the action in English or in French (or both)."))
    if case is not None and not access.can(by, case, AccessLevel.VIEW):
        raise ForumRefused(_("Link a case your agency can see."))
    action = ActionItem.objects.create(meeting=meeting, item=item, text=(text or "").strip(),
                                       text_fr=(text_fr or "").strip(), owner=owner, due_on=due_on, case=case)
    _record(by, "action_item", action.pk, door=door, owner=owner.acronym, due_on=str(due_on))
    return action


@transaction.atomic
def action_set_status(*, by, action, status, door=AuditEvent.Door.PAGE):
    officer = access.officer_of(by)
    if not (is_secretariat(by) or (officer and officer.agency_id == action.owner_id)):
        raise NotAllowed(_("Only the secretariat or the owner agency updates this action."))
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    _record(by, "action_item", action.pk, door=door, status=status)
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
                                      detail={"action": (action.text or action.text_fr)[:200],
                                              "due": action.due_on.isoformat()})
            action_item_due.send(sender=ActionItem, action=action, overdue=days_left < 0)
        told += 1
    return told


@transaction.atomic
def initiative_create(*, by, title_en, title_fr, text_en, text_fr, owners, target_date, partnership="",
                      status=Initiative.Status.ON_TRACK, door=AuditEvent.Door.PAGE):
    """The secretariat adds a commitment the forum tracks, in both languages, with its owner agencies."""
    _secretariat(by)
    if not owners:
        raise ForumRefused(_("Name the owner agencies of the initiative."))
    initiative = Initiative.objects.create(title_en=title_en.strip(), title_fr=title_fr.strip(),
                                           text_en=text_en.strip(), text_fr=text_fr.strip(),
                                           partnership=partnership, target_date=target_date, status=status)
    initiative.owners.set(owners)
    _record(by, "initiative", initiative.pk, door=door, owners=sorted(agency.acronym for agency in owners))
    return initiative


@transaction.atomic
def initiative_update(*, by, initiative, status, note, on=None, door=AuditEvent.Door.PAGE):
    _secretariat(by)
    InitiativeUpdate.objects.create(initiative=initiative, on=on or timezone.localdate(), status=status,
                                    note=note.strip(), recorded_by=by)
    initiative.status = status
    initiative.save(update_fields=["status", "updated_at"])
    _record(by, "initiative", initiative.pk, door=door, status=status)
    return initiative


@transaction.atomic
def briefing_book_build(*, by, meeting):
    """Start building the English and French briefing books of the agenda as it stands (Celery)."""

    _secretariat(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    # A rebuild replaces the earlier build of the same agenda version and language: one row each, no duplicates.
    meeting.books.filter(agenda_version=meeting.agenda_version).delete()
    books = [BriefingBook.objects.create(meeting=meeting, agenda_version=meeting.agenda_version, language=language,
                                         built_by=by) for language in ("en", "fr")]
    for book in books:
        outbox.enqueue("cbcf.tasks.build_briefing_book_task", book.pk)
    _record(by, "briefing_book", meeting.pk, version=meeting.agenda_version)
    return books




def paper_attach(*, item, upload, by, title_en="", title_fr="", door=AuditEvent.Door.PAGE):
    """Attach a background paper to an agenda item, with its title in English and/or French (either may be
    missing): the secretariat, or the agency that proposed the item while it may see the meeting. Checked, stored
    and recorded in one step (partnerships/attachments.py): a refused file is recorded and nothing is kept; if the
    row cannot be written the file is removed."""
    from cbcf.models import BackgroundPaper
    from cbcf.selectors import items_editable_by
    from partnerships import attachments

    if not items_editable_by(user=by).filter(pk=item.pk).exists():
        raise NotAllowed(_("Only the secretariat or the agency that proposed the item attaches papers to it."))
    return attachments.attach(upload=upload, by=by, door=door, object_type="background_paper",
                              item=item.pk, meeting=item.meeting_id,
                              create=lambda **fields: BackgroundPaper.objects.create(
                                  item=item, title_en=(title_en or "").strip(), title_fr=(title_fr or "").strip(),
                                  **fields))


@transaction.atomic
def participant_set(*, by, meeting, officer, role, delegate_for="", delegate_for_fr="", attended=False,
                    door=AuditEvent.Door.PAGE):
    """Invite someone, or record their role (principal, delegate for whom: in English and/or French) and
    attendance."""
    _secretariat(by)
    delegate_for, delegate_for_fr = (delegate_for or "").strip(), (delegate_for_fr or "").strip()
    if role == Participant.Role.DELEGATE and not (delegate_for or delegate_for_fr):
        raise ForumRefused(_("Say whom the delegate stands in for."))
    participant, _created = Participant.objects.update_or_create(
        meeting=meeting, officer=officer,
        defaults={"role": role, "delegate_for": delegate_for, "delegate_for_fr": delegate_for_fr,
                  "attended": attended})
    _record(by, "participant", participant.pk, door=door, meeting=meeting.pk, role=role, attended=attended)
    return participant
