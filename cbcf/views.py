import csv
import datetime
import hashlib
import secrets
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Alarm, Calendar, Event

from cbcf import forms, selectors, services
from cbcf.filters import ActionFilter
from cbcf.models import AgendaItem, BriefingBook, CalendarKey, Initiative, Meeting
from partnerships import access, attachments, audit
from partnerships.models import AuditEvent
from portal import limits
from portal.decorators import officer_required
from portal.ratelimits import limit_export, per_feed_key

Action, Door = AuditEvent.Action, AuditEvent.Door


def _secretariat_only(request):
    if not services.is_secretariat(request.user):
        raise Http404


def _meeting(request, pk):
    return get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)


@officer_required
def home(request):
    return render(request, "cbcf/home.html", {
        "meetings": selectors.meeting_list(user=request.user), "secretariat": services.is_secretariat(request.user)})


@officer_required
def meeting_create(request):
    _secretariat_only(request)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        participants = [(officer, "member") for officer in values.pop("participants")]
        values["starts_at"] = values["starts_at"].replace(tzinfo=None).replace(tzinfo=ZoneInfo(values["time_zone"]))
        try:
            meeting = services.meeting_create(by=request.user, participants=participants, **values)
        except services.ForumRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("cbcf:meeting_detail", pk=meeting.pk)
    return render(request, "cbcf/form.html", {"form": form, "title": _("New meeting"), "button": _("Create")})


@officer_required
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    secretariat = services.is_secretariat(request.user)
    actions = list(meeting.actions.select_related("owner", "case"))
    visible_cases = selectors.visible_case_ids(user=request.user, actions=actions)
    # Forum records are the forum's; the joint cases its action items name are case data, recorded as a list.
    audit.record(action=Action.CASE_LIST, door=Door.PAGE, user=request.user, object_type="meeting",
                 object_ref=meeting.pk, returned=_cases_named(actions, visible_cases))
    local = meeting.starts_at.astimezone(ZoneInfo(meeting.time_zone)).replace(tzinfo=None)
    versions = list(meeting.versions.all())
    last_final = None
    for previous, version in zip([None, *versions], versions, strict=False):
        version.previous_pk = previous.pk if previous else None
        if version.state == Meeting.AgendaState.FINAL:
            # the change list kept with a final version, in the reader's language rather than its writer's
            if last_final is not None and version.changes:
                version.changes = services.changes_between(last_final.items, version.items)
            last_final = version
    return render(request, "cbcf/meeting_detail.html", {
        "meeting": meeting, "secretariat": secretariat, "rows": services.timetable(meeting),
        "proposed": meeting.items.filter(status=AgendaItem.Status.PROPOSED),
        # Why an item was deferred or declined: the secretariat sees every reason, an agency those of its proposals.
        "set_aside": selectors.items_editable_by(user=request.user).filter(meeting=meeting, status__in=[
            AgendaItem.Status.DEFERRED, AgendaItem.Status.DECLINED]).select_related("carried_to__meeting"),
        "later_meetings": services.later_meetings(AgendaItem(meeting=meeting)) if secretariat else [],
        "versions": versions, "books": meeting.books.all(),
        "building": meeting.books.filter(status=BriefingBook.Status.BUILDING).exists(),
        "actions": actions, "visible_cases": visible_cases,
        "decide_form": forms.DecideForm(), "decision_form": forms.DecisionForm(),
        "participants": meeting.participants.select_related("officer__agency"),
        "participant_form": forms.ParticipantForm(),
        "timing_form": forms.TimingForm(initial={"starts_at": local, "breaks": "\n".join(
            f"{b['after']}:{b['minutes']}" for b in meeting.breaks)}),
        "action_form": forms.ActionForm(cases=access.cases_visible_to(request.user)) if secretariat else None,
        "papers": selectors.papers_visible_to(user=request.user).filter(item__meeting=meeting),
        "editable_items": selectors.items_editable_by(user=request.user).filter(meeting=meeting),
    })


@officer_required
def meeting_edit(request, pk):
    """The secretariat corrects the title, place and level; calendars are updated (SEQUENCE)."""
    _secretariat_only(request)
    meeting = _meeting(request, pk)
    form = forms.MeetingEditForm(request.POST or None, initial={
        "title": meeting.title, "title_fr": meeting.title_fr, "place": meeting.place, "level": meeting.level,
        "subgroup": meeting.subgroup, "marking": meeting.marking})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(by=request.user, meeting=meeting, **form.cleaned_data)
        except services.ForumRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("cbcf:meeting_detail", pk=meeting.pk)
    return render(request, "cbcf/form.html", {"form": form, "title": _("Edit the meeting"), "button": _("Save"),
                                              "meeting": meeting})


@officer_required
def item_edit(request, pk, item_pk):
    """The secretariat, or the proposing agency while the item is proposed, corrects an item."""
    meeting = _meeting(request, pk)
    item = get_object_or_404(selectors.items_editable_by(user=request.user).filter(meeting=meeting), pk=item_pk)
    form = forms.ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(by=request.user, item=item, **form.cleaned_data)
        except services.ForumRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Item saved."))
            return redirect("cbcf:meeting_detail", pk=meeting.pk)
    return render(request, "cbcf/form.html", {"form": form, "title": _("Edit the item"), "button": _("Save"),
                                              "meeting": meeting})


@officer_required
@require_POST
def item_carry(request, pk):
    """Bring a deferred item to a later meeting of the same series."""
    _secretariat_only(request)
    meeting = _meeting(request, pk)
    item = _item(meeting, request)
    form = forms.CarryForm(request.POST, meetings=services.later_meetings(item))
    if form.is_valid():
        try:
            carried = services.item_carry(by=request.user, item=item, meeting=form.cleaned_data["meeting"])
        except services.ForumRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Item brought to %(meeting)s.") % {"meeting": carried.meeting.title_shown})
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(reverse("cbcf:meeting_detail", args=[meeting.pk]) + "#set-aside")


@officer_required
def versions_compare(request, pk):
    """Two versions of the agenda side by side, with what changed from the first to the second."""
    meeting = _meeting(request, pk)
    versions = list(meeting.versions.all())
    if not versions:
        raise Http404
    by_id = {version.pk: version for version in versions}
    left = by_id.get(limits.id_from(request.GET.get("a")) if request.GET.get("a") else None)
    right = by_id.get(limits.id_from(request.GET.get("b")) if request.GET.get("b") else None)
    if left is None or right is None:
        left, right = (versions[-2], versions[-1]) if len(versions) > 1 else (versions[0], versions[0])
    rows = services.version_rows(left.items, right.items)
    return render(request, "cbcf/versions.html", {
        "meeting": meeting, "versions": versions, "left": left, "right": right, "rows": rows,
        "changes": services.changes_between(left.items, right.items)})


@officer_required
def item_propose(request, pk):
    meeting = _meeting(request, pk)
    form = forms.ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_propose(by=request.user, meeting=meeting, **form.cleaned_data)
        except services.ForumRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Item proposed."))
            return redirect("cbcf:meeting_detail", pk=meeting.pk)
    return render(request, "cbcf/form.html", {"form": form, "title": _("Propose an item"), "button": _("Propose"),
                                              "meeting": meeting})


@officer_required
def item_papers(request, pk, item_pk):
    """An item's background papers; those who may edit the item attach more here (others: 404 on POST)."""
    meeting = _meeting(request, pk)
    item = get_object_or_404(selectors.agenda_items(user=request.user).filter(meeting=meeting), pk=item_pk)
    may_attach = selectors.items_editable_by(user=request.user).filter(pk=item.pk).exists()
    if request.method == "POST" and not may_attach:
        raise Http404
    form = forms.PaperForm(request.POST or None, request.FILES or None) if may_attach else None
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_attach(item=item, upload=form.cleaned_data["file"], by=request.user,
                                  title_en=form.cleaned_data["title_en"], title_fr=form.cleaned_data["title_fr"])
        except (services.ForumRefused, attachments.AttachmentRefused) as refusal:
            form.add_error("file", str(refusal))
        else:
            messages.success(request, _("Background paper attached."))
            return redirect("cbcf:item_papers", pk=meeting.pk, item_pk=item.pk)
    return render(request, "cbcf/item_papers.html", {
        "meeting": meeting, "item": item, "form": form,
        "papers": selectors.papers_visible_to(user=request.user).filter(item=item)})


@officer_required
def paper_download(request, pk):
    paper = get_object_or_404(selectors.papers_visible_to(user=request.user), pk=pk)
    return attachments.download(paper, by=request.user, door=AuditEvent.Door.PAGE, object_type="background_paper",
                                item=paper.item_id, meeting=paper.item.meeting_id)


def _post(request, pk, form_class, action, success, **form_kwargs):
    """Run a secretariat action from the meeting page and come back to it."""
    meeting = _meeting(request, pk)
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            action(meeting, form.cleaned_data)
        except services.ForumRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, success)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("cbcf:meeting_detail", pk=meeting.pk)


def _item(meeting, request):
    return get_object_or_404(meeting.items, pk=limits.id_from(request.POST.get("item")))


@officer_required
@require_POST
def item_decide(request, pk):
    return _post(request, pk, forms.DecideForm, lambda m, data: services.item_decide(
        by=request.user, item=_item(m, request), **data), _("Decision recorded."))


@officer_required
@require_POST
def item_move(request, pk):
    meeting = _meeting(request, pk)
    try:
        services.item_move(by=request.user, item=_item(meeting, request),
                           direction="up" if request.POST.get("direction") == "up" else "down")
    except services.ForumRefused as refusal:
        messages.error(request, str(refusal))
    return redirect(reverse("cbcf:meeting_detail", args=[meeting.pk]) + "#agenda")


@officer_required
@require_POST
def meeting_timing(request, pk):
    def apply(meeting, data):
        starts_at = data["starts_at"].replace(tzinfo=None).replace(tzinfo=ZoneInfo(meeting.time_zone))
        services.meeting_timing(by=request.user, meeting=meeting, starts_at=starts_at, breaks=data["breaks"])
    return _post(request, pk, forms.TimingForm, apply, _("Timetable updated."))


@officer_required
@require_POST
def agenda_advance(request, pk):
    meeting = _meeting(request, pk)
    try:
        services.agenda_advance(by=request.user, meeting=meeting, state=request.POST.get("state", ""))
    except (services.ForumRefused, ValueError) as refusal:
        messages.error(request, str(refusal))
    return redirect("cbcf:meeting_detail", pk=meeting.pk)


@officer_required
@require_POST
def participant_set(request, pk):
    return _post(request, pk, forms.ParticipantForm, lambda m, data: services.participant_set(
        by=request.user, meeting=m, **data), _("Participant saved."))


@officer_required
@require_POST
def decision_record(request, pk):
    return _post(request, pk, forms.DecisionForm, lambda m, data: services.decision_record(
        by=request.user, item=_item(m, request), **data), _("Decision recorded."))


@officer_required
@require_POST
def action_add(request, pk):
    return _post(request, pk, forms.ActionForm, lambda m, data: services.action_add(
        by=request.user, meeting=m, **data), _("Action item added."), cases=access.cases_visible_to(request.user))


@officer_required
@require_POST
def book_build(request, pk):
    meeting = _meeting(request, pk)
    try:
        services.briefing_book_build(by=request.user, meeting=meeting)
    except services.ForumRefused as refusal:
        messages.error(request, str(refusal))
    return redirect(reverse("cbcf:meeting_detail", args=[meeting.pk]) + "#books")


def _book(request, pk):
    book = get_object_or_404(BriefingBook, pk=pk, status=BriefingBook.Status.READY)
    _meeting(request, book.meeting_id)
    return book


@officer_required
def book_html(request, pk):
    return HttpResponse(_book(request, pk).html)


@officer_required
@limit_export()
def book_pdf(request, pk):
    book = _book(request, pk)
    response = HttpResponse(bytes(book.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (f'attachment; filename="briefing-book-{book.meeting_id}-'
                                       f'v{book.agenda_version}-{book.language}.pdf"')
    return response


def _event(meeting):
    """The meeting in the place's time zone (TZID, with its VTIMEZONE: _calendar) and its SEQUENCE."""
    zone = ZoneInfo(meeting.time_zone)
    event = Event()
    event.add("uid", f"cbcf-meeting-{meeting.pk}@border-partnerships-portal")
    event.add("summary", meeting.title_shown)
    event.add("location", meeting.place)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    rows = services.timetable(meeting)
    event.add("dtend", (rows[-1]["end"] if rows else meeting.starts_at + datetime.timedelta(hours=2)).astimezone(zone))
    event.add("dtstamp", meeting.updated_at)
    event.add("sequence", meeting.sequence)  # grows with each change participants are told of
    for before in (datetime.timedelta(days=1), datetime.timedelta(hours=1)):
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", meeting.title_shown)
        alarm.add("trigger", -before)
        event.add_component(alarm)
    return event


def _calendar(meetings):
    calendar = Calendar()
    calendar.add("prodid", "-//Border Partnerships Portal//CBCF//EN")
    calendar.add("version", "2.0")
    starts = []
    for meeting in meetings:
        calendar.add_component(_event(meeting))
        starts.append(meeting.starts_at.date())
    if starts:  # VTIMEZONE for each TZID, its rules written for the years the events fall in
        calendar.add_missing_timezones(first_date=min(starts).replace(month=1, day=1),
                                       last_date=max(starts).replace(month=12, day=31) + datetime.timedelta(days=1))
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


@officer_required
@limit_export()
def meeting_ics(request, pk):
    response = _calendar([_meeting(request, pk)])
    response["Content-Disposition"] = f'attachment; filename="cbcf-meeting-{pk}.ics"'
    return response


@officer_required
def calendar_feed(request):
    url = None
    if request.method == "POST":
        key = secrets.token_urlsafe(24)
        CalendarKey.objects.update_or_create(user=request.user, defaults={
            "key_hash": hashlib.sha256(key.encode()).hexdigest()})
        url = request.build_absolute_uri(reverse("cbcf:feed", args=[key]))
    return render(request, "cbcf/calendar_feed.html", {"feed_url": url})


@limit_export(key=per_feed_key)
def feed(request, key):
    entry = CalendarKey.objects.select_related("user").filter(
        key_hash=hashlib.sha256(key.encode()).hexdigest()).first()
    if entry is None or not entry.user.is_active:
        raise Http404
    return _calendar(selectors.meeting_list(user=entry.user)[:200])


@officer_required
def initiative_list(request):
    secretariat = services.is_secretariat(request.user)
    form = forms.InitiativeForm(request.POST or None) if secretariat else None
    if request.method == "POST" and secretariat and form.is_valid():
        try:
            services.initiative_create(by=request.user, **form.cleaned_data)
        except services.ForumRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Initiative added."))
            return redirect("cbcf:initiatives")
    return render(request, "cbcf/initiatives.html", {
        "initiatives": selectors.initiative_list(), "form": form, "secretariat": secretariat,
        "update_form": forms.InitiativeUpdateForm()})


@officer_required
@require_POST
def initiative_update(request, pk):
    initiative = get_object_or_404(Initiative, pk=pk)
    form = forms.InitiativeUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_update(by=request.user, initiative=initiative, **form.cleaned_data)
        except services.ForumRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Progress recorded."))
    return redirect("cbcf:initiatives")


@officer_required
@limit_export("csv")
def action_register(request):
    query = request.GET.copy()
    query.pop("format", None)
    actions_filter = ActionFilter(query, queryset=selectors.action_register(user=request.user), request=request)
    actions = list(actions_filter.qs) if actions_filter.is_valid() else []
    visible = selectors.visible_case_ids(user=request.user, actions=actions)
    export = request.GET.get("format") == "csv"
    audit.record(action=Action.CASE_EXPORT if export else Action.CASE_LIST, door=Door.EXPORT if export else Door.PAGE,
                 user=request.user, object_type="action_item", query=request.GET.dict(),
                 returned=_cases_named(actions, visible))
    if export:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="cbcf-actions.csv"'
        writer = csv.writer(response)
        writer.writerow([_("Action"), _("Owner"), _("Due"), _("Status"), _("Meeting"), _("Joint case")])
        for action in actions:
            writer.writerow([action.text_shown, action.owner.acronym, action.due_on, action.get_status_display(),
                             action.meeting.title_shown, action.case.reference if action.case_id in visible else ""])
        return response
    return render(request, "cbcf/actions.html", {"actions": actions, "visible_cases": visible,
                                                 "filter": actions_filter, "today": timezone.localdate(),
                                                 "statuses": forms.ActionStatusForm.base_fields["status"].choices})


def _cases_named(actions, visible_case_ids):
    return list({action.case_id: action.case for action in actions if action.case_id in visible_case_ids}.values())


@officer_required
@require_POST
def action_status(request, pk):
    action = get_object_or_404(selectors.action_register(user=request.user), pk=pk)
    form = forms.ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_set_status(by=request.user, action=action, **form.cleaned_data)
        except services.ForumRefused as refusal:
            messages.error(request, str(refusal))
    return redirect("cbcf:actions")


@officer_required
def subgroup_list(request):
    secretariat = services.is_secretariat(request.user)
    form = forms.SubgroupForm(request.POST or None) if secretariat else None
    if request.method == "POST" and secretariat and form.is_valid():
        try:
            services.subgroup_create(by=request.user, **form.cleaned_data)
        except services.ForumRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Subgroup created."))
            return redirect("cbcf:subgroups")
    return render(request, "cbcf/subgroups.html", {"subgroups": selectors.subgroup_list(), "form": form})
