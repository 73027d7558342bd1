from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deconfliction import selectors, services
from deconfliction.forms import CloseForm, EventCheckForm, EventForm
from partnerships import access, reads
from partnerships import selectors as case_selectors
from partnerships.forms import SubjectForm
from partnerships.models import AccessLevel, AuditEvent, Officer
from portal.decorators import officer_required

PAGE = AuditEvent.Door.PAGE


@officer_required
def home(request):
    """The agency's open hits (a supervisor's overview) and its planned operations."""
    officer = access.officer_of(request.user)
    events = list(selectors.planned_events(user=request.user).order_by("-starts_at")[:50])
    open_hits = services.hit_rows(selectors.open_hit_groups(user=request.user)[:100])
    shown = [event.case for event in events] + [group.case for group, _text in open_hits]
    reads.team_list_read(user=request.user, door=PAGE, object_type="deconfliction_hit", query=request.GET.dict(),
                         page="deconfliction", returned=list(dict.fromkeys(case for case in shown if case)))
    return render(request, "deconfliction/home.html", {
        "open_hits": open_hits,
        "alerts": [(alert, services.alert_text(**pointer))
                   for alert, pointer in services.alert_pointers(selectors.check_alerts(user=request.user)[:20])],
        "events": events,
        "is_supervisor": officer.role in (Officer.Role.SUPERVISOR, Officer.Role.AGENCY_ADMIN),
    })


@officer_required
def event_plan(request):
    prefill = {name: request.GET.get(name) for name in ("kind", "case", "title", "starts_at", "ends_at")}
    form = EventForm(request.POST or None, initial={k: v for k, v in prefill.items() if v})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reference = data.pop("case")
        case = None
        if reference:
            case = case_selectors.case_list(user=request.user, level=AccessLevel.CONTRIBUTE).filter(
                reference=reference.strip()).first()
            if case is None:
                form.add_error("case", _("No case of yours has this reference."))
        if form.is_valid():
            try:
                event, parties = services.event_plan(by=request.user, case=case, **data)
            except services.DeconflictionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                _tell(request, parties)
                return redirect("deconfliction:event_detail", pk=event.pk)
    return render(request, "deconfliction/event_form.html", {"form": form})


def _tell(request, parties):
    if not parties:
        messages.success(request, _("Recorded. No other agency's work overlaps with it."))
    for text in services.checker_messages(parties):
        messages.warning(request, text)


@officer_required
def check(request):
    """Check a subject or an operation before entering it: the answer names only the agencies and whom to call."""
    what = request.POST.get("what") if request.method == "POST" else None
    forms = {"subject": SubjectForm(request.POST if what == "subject" else None, prefix="subject"),
             "event": EventCheckForm(request.POST if what == "event" else None, prefix="event")}
    form, answer, status, retry_after = forms.get(what), None, 200, None
    if form is not None and form.is_valid():
        try:
            answer = services.check_only(by=request.user, door=PAGE, **{what: form.cleaned_data})
        except services.CheckLimited as refusal:
            form.add_error(None, str(refusal))
            status, retry_after = 429, refusal.retry_after
        except services.DeconflictionRefused as refusal:
            form.add_error(None, str(refusal))
    response = render(request, "deconfliction/check.html", {
        **{f"{name}_form": value for name, value in forms.items()}, "checked": what if answer is not None else None,
        "pointers": [(pointer, services.pointer_text(**pointer)) for pointer in answer or ()]}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@officer_required
def alert_detail(request, pk):
    """Another agency's check before entering that hit this agency's work: who asked what, and how sure each match."""
    alert = get_object_or_404(selectors.check_alerts(user=request.user), pk=pk)
    matches = selectors.alert_matches(alert=alert, user=request.user)
    cases = list(dict.fromkeys(m["subject"].case for m in matches if m["subject"] and m["subject"].case))
    reads.team_record_read(user=request.user, door=PAGE, object_type="deconfliction_check", object_ref=alert.pk,
                           returned=cases)
    pointer = services.alert_pointer(alert)
    return render(request, "deconfliction/alert_detail.html", {
        "alert": alert, "record": alert.record, "matches": matches, "text": services.alert_text(**pointer),
        "contacts": pointer["contacts"]})


@officer_required
def event_detail(request, pk):
    event = get_object_or_404(selectors.planned_events(user=request.user), pk=pk)
    hits = services.hit_rows(selectors.hit_groups(user=request.user).filter(event=event))
    reads.team_record_read(user=request.user, door=PAGE, object_type="planned_event", object_ref=event.pk,
                           case=event.case)
    return render(request, "deconfliction/event_detail.html", {"event": event, "hits": hits})


@officer_required
def hit_detail(request, pk):
    """One row of the agency's hits: its subject or operation and the other agency, whichever of the group's sides
    the address names (a notice names one)."""
    group = services.hit_group(get_object_or_404(selectors.hit_parties(user=request.user), pk=pk))
    pointer = services.group_pointer(group)
    reads.team_record_read(user=request.user, door=PAGE, object_type="deconfliction_hit", object_ref=group.pk,
                           case=group.subject.case if group.subject else None)
    return render(request, "deconfliction/hit_detail.html", {
        "group": group, "pointer": services.pointer_text(**pointer), "contacts": pointer["contacts"],
        "close_form": CloseForm(),
    })


@officer_required
@require_POST
def hit_acknowledge(request, pk):
    party = get_object_or_404(selectors.hit_parties(user=request.user), pk=pk)
    try:
        services.hit_acknowledge(party=party, by=request.user)
    except services.DeconflictionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Acknowledged."))
    return redirect("deconfliction:hit_detail", pk=party.pk)


@officer_required
@require_POST
def hit_close(request, pk):
    party = get_object_or_404(selectors.hit_parties(user=request.user), pk=pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how it was settled: contacted, no conflict or coordinated."))
        return redirect("deconfliction:hit_detail", pk=party.pk)
    try:
        services.hit_close(party=party, by=request.user, **form.cleaned_data)
    except services.DeconflictionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Closed."))
    return redirect("deconfliction:hit_detail", pk=party.pk)
