import calendar
import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from partnerships import access, reads
from partnerships import selectors as case_selectors
from partnerships.models import AuditEvent
from portal import limits
from portal.decorators import officer_required
from portal.ratelimits import limit_export, per_feed_key
from portal.views import RequestRefused
from shiprider import selectors, services
from shiprider.forms import (
    ActivityForm,
    CrewFormSet,
    OpenCaseForm,
    PatrolCancelForm,
    PatrolChangeForm,
    PatrolForm,
    RadioChannelFormSet,
    RadioPlanForm,
    WatersForm,
)
from shiprider.models import Patrol, RadioChannel
from shiprider.pdf import ics205_pdf

Door = AuditEvent.Door


@officer_required
def patrol_list(request):
    patrols = selectors.patrol_list(user=request.user)
    site = request.GET.get("site")
    if limits.id_from(site):
        patrols = patrols.filter(site_id=limits.id_from(site))
    page = Paginator(patrols, 25).get_page(request.GET.get("page"))
    reads.team_list_read(user=request.user, door=Door.PAGE, object_type="patrol", query=request.GET.dict())
    return render(request, "shiprider/patrol_list.html",
                  {"page": page, "sites": selectors.site_list(user=request.user), "site": site})


@login_required
def patrol_detail(request, pk):
    patrol = get_object_or_404(selectors.patrol_list(user=request.user), pk=pk)
    reads.team_record_read(user=request.user, door=Door.PAGE, object_type="patrol", object_ref=patrol.pk)
    return _render_patrol(request, patrol, WatersForm(patrol=patrol, prefix="waters"),
                          ActivityForm(patrol=patrol, prefix="activity"))


def _render_patrol(request, patrol, waters_form, activity_form, status=200):
    activities = list(selectors.patrol_activities(patrol=patrol))
    # A case opened from a boarding shows only to agencies it is shared with: the log is the team's,
    # the case is not.
    visible_cases = set(case_selectors.case_list(user=request.user).filter(
        pk__in=[a.case_id for a in activities if a.case_id]).values_list("pk", flat=True))
    agency = access.agency_of(request.user)
    return render(request, "shiprider/patrol_detail.html", {
        "patrol": patrol, "waters_form": waters_form, "activity_form": activity_form,
        "activities": [(activity, activity.case_id in visible_cases) for activity in activities],
        "waters": patrol.waters.select_related("directing_officer__agency"),
        # The log takes entries once the patrol got underway (services.activity_log).
        "log_open": patrol.status in (Patrol.Status.UNDERWAY, Patrol.Status.COMPLETED),
        "partners": (", ".join(a.display_acronym for a in services.patrol_partner_agencies(patrol, agency))
                     if agency else ""),
    }, status=status)


@login_required
@require_POST
def patrol_progress(request, pk, step):
    patrol = get_object_or_404(selectors.patrol_list(user=request.user), pk=pk)
    action = services.patrol_start if step == "start" else services.patrol_complete
    try:
        action(by=request.user, patrol=patrol)
    except services.PatrolRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("shiprider:patrol_detail", pk=patrol.pk)


@login_required
@require_POST
def patrol_waters(request, pk):
    patrol = get_object_or_404(selectors.patrol_list(user=request.user), pk=pk)
    form = WatersForm(request.POST, patrol=patrol, prefix="waters")
    if form.is_valid():
        try:
            services.waters_segment_add(by=request.user, patrol=patrol, **form.cleaned_data)
        except services.PatrolRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Waters recorded."))
            return redirect("shiprider:patrol_detail", pk=patrol.pk)
    return _render_patrol(request, patrol, form, ActivityForm(patrol=patrol, prefix="activity"), status=400)


@login_required
@require_POST
def patrol_activity(request, pk):
    patrol = get_object_or_404(selectors.patrol_list(user=request.user), pk=pk)
    form = ActivityForm(request.POST, patrol=patrol, prefix="activity")
    if form.is_valid():
        facts, results = form.facts_and_results()
        try:
            services.activity_log(by=request.user, patrol=patrol, results=results, **facts)
        except services.PatrolRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Activity logged."))
            return redirect("shiprider:patrol_detail", pk=patrol.pk)
    return _render_patrol(request, patrol, WatersForm(patrol=patrol, prefix="waters"), form, status=400)


@login_required
@require_POST
def activity_case(request, pk, activity_pk):
    patrol = get_object_or_404(selectors.patrol_list(user=request.user), pk=pk)
    activity = get_object_or_404(selectors.patrol_activities(patrol=patrol), pk=activity_pk)
    form = OpenCaseForm(request.POST)
    share = form.is_valid() and form.cleaned_data["share_with_partners"]
    try:
        case = services.activity_open_case(by=request.user, activity=activity, share_with_partners=share)
    except services.PatrolRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("shiprider:patrol_detail", pk=patrol.pk)
    messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
    return redirect(case)


@officer_required
def patrol_schedule(request):
    form = PatrolForm(request.POST or None, sites=selectors.site_list(user=request.user).filter(team__is_active=True),
                      vessels=selectors.vessels_for(user=request.user))
    crew_forms = CrewFormSet(request.POST or None, prefix="crew",
                             form_kwargs={"officers": selectors.crew_candidates(user=request.user)})
    if request.method == "POST" and form.is_valid() and crew_forms.is_valid():
        crew = [(row["officer"], row["role"]) for row in crew_forms.cleaned_data if row.get("officer")]
        try:
            patrol, warnings = services.patrol_schedule(by=request.user, crew=crew, **form.cleaned_data)
        except services.PatrolRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Patrol planned."))
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("shiprider:patrol_detail", pk=patrol.pk)
    return render(request, "shiprider/patrol_form.html", {"form": form, "crew_forms": crew_forms})


@login_required
def patrol_edit(request, pk):
    """Change a planned patrol's vessel, times, crew and notes (the scheduling rules apply)."""
    patrol = get_object_or_404(selectors.patrol_list(user=request.user), pk=pk)
    if request.method == "GET":  # a POST records what it changes
        reads.team_record_read(user=request.user, door=Door.PAGE, object_type="patrol", object_ref=patrol.pk)
    zone = ZoneInfo(patrol.site.time_zone)
    initial = {"vessel": patrol.vessel, "notes": patrol.notes,
               "planned_start": patrol.planned_start.astimezone(zone).replace(tzinfo=None),
               "planned_end": patrol.planned_end.astimezone(zone).replace(tzinfo=None)}
    form = PatrolChangeForm(request.POST or None, patrol=patrol, initial=initial,
                            vessels=selectors.vessels_for(user=request.user))
    crew_forms = CrewFormSet(request.POST or None, prefix="crew",
                             initial=[{"officer": m.officer, "role": m.role} for m in patrol.crew.all()],
                             form_kwargs={"officers": selectors.crew_candidates(user=request.user)})
    if request.method == "POST" and form.is_valid() and crew_forms.is_valid():
        crew = [(row["officer"], row["role"]) for row in crew_forms.cleaned_data if row.get("officer")]
        try:
            patrol, warnings = services.patrol_change(by=request.user, patrol=patrol, crew=crew, **form.cleaned_data)
        except services.PatrolRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Patrol changed; its crew and partner agencies are told."))
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("shiprider:patrol_detail", pk=patrol.pk)
    return render(request, "shiprider/patrol_form.html", {"form": form, "crew_forms": crew_forms, "patrol": patrol},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def patrol_cancel(request, pk):
    patrol = get_object_or_404(selectors.patrol_list(user=request.user), pk=pk)
    form = PatrolCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for cancelling the patrol."))
        return redirect("shiprider:patrol_detail", pk=patrol.pk)
    try:
        services.patrol_cancel(by=request.user, patrol=patrol, reason=form.cleaned_data["reason"])
    except services.PatrolRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Patrol cancelled; its crew and partner agencies are told."))
    return redirect("shiprider:patrol_detail", pk=patrol.pk)


@officer_required
def site_list(request):
    """The sites of the user's agency, with member agencies, waterways, time zone and vessels."""
    sites = selectors.site_details(user=request.user)
    reads.team_list_read(user=request.user, door=Door.PAGE, object_type="shiprider_site", query=request.GET.dict())
    return render(request, "shiprider/site_list.html", {"sites": sites})


@login_required
def site_detail(request, pk):
    site = get_object_or_404(selectors.site_details(user=request.user), pk=pk)
    reads.team_record_read(user=request.user, door=Door.PAGE, object_type="shiprider_site", object_ref=site.pk)
    return render(request, "shiprider/site_detail.html", {
        "site": site, "vessels": selectors.site_vessels(site=site),
        "upcoming": selectors.patrol_list(user=request.user).filter(
            site=site, planned_end__gte=timezone.now()).order_by("planned_start")[:20]})


# --- the radio communications plan (ICS 205) ------------------------------------------------------

def _plan(patrol):
    return getattr(patrol, "radio_plan", None)


@login_required
def radio_plan(request, pk):
    patrol = get_object_or_404(selectors.patrol_list(user=request.user), pk=pk)
    plan = _plan(patrol)
    if request.method == "GET":  # a POST records what it saves
        reads.team_record_read(user=request.user, door=Door.PAGE, object_type="radio_plan", object_ref=patrol.pk)
    initial = {}
    if plan:
        zone = ZoneInfo(patrol.site.time_zone)
        initial = {"incident_name": plan.incident_name, "special_instructions": plan.special_instructions,
                   "prepared_by": plan.prepared_by,
                   "period_from": plan.period_from.astimezone(zone).replace(tzinfo=None),
                   "period_to": plan.period_to.astimezone(zone).replace(tzinfo=None)}
    else:
        initial = {"incident_name": f"ShipRider — {patrol.site.name} — {patrol.planned_start:%Y-%m-%d}"}
    form = RadioPlanForm(request.POST or None, patrol=patrol, initial=initial)
    channels = RadioChannelFormSet(request.POST or None, prefix="channels",
                                   queryset=plan.channels.all() if plan else RadioChannel.objects.none())
    if request.method == "POST" and form.is_valid() and channels.is_valid():
        rows = [{k: v for k, v in row.items() if k not in ("id",)} for row in channels.cleaned_data if row]
        try:
            services.radio_plan_save(by=request.user, patrol=patrol, channels=rows, **form.cleaned_data)
        except services.PatrolRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Radio plan saved."))
            return redirect("shiprider:radio_plan_print", pk=patrol.pk)
    return render(request, "shiprider/radio_plan_form.html", {"patrol": patrol, "form": form, "channels": channels})


@login_required
def radio_plan_print(request, pk):
    patrol = get_object_or_404(selectors.patrol_list(user=request.user), pk=pk)
    plan = _plan(patrol)
    if plan is None:
        raise Http404
    reads.team_record_read(user=request.user, door=Door.PRINT, object_type="radio_plan", object_ref=patrol.pk)
    return render(request, "shiprider/radio_plan_print.html", {"patrol": patrol, "plan": plan})


@login_required
@limit_export()
def radio_plan_pdf(request, pk):
    patrol = get_object_or_404(selectors.patrol_list(user=request.user), pk=pk)
    plan = _plan(patrol)
    if plan is None:
        raise Http404
    reads.team_record_read(user=request.user, door=Door.PRINT, object_type="radio_plan", object_ref=patrol.pk,
                           format="pdf")
    response = HttpResponse(ics205_pdf(plan), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ics205-patrol-{patrol.pk}.pdf"'
    return response


# --- planning views -------------------------------------------------------------------------------

def _chosen_site(request):
    sites = selectors.site_list(user=request.user)
    chosen = limits.id_from(request.GET.get("site"))
    site = sites.filter(pk=chosen).first() if chosen else sites.first()
    return sites, site


def _asked(request, name, parse, refusal):
    """The day (or month) a planning page is asked for: today's without one or with one that is no date, and 400
    for a date outside the portal's range (the grid around year 1 or 9999 stepped out of Python's dates)."""
    try:
        value = parse(request.GET.get(name, "").strip())
    except ValueError:
        return timezone.localdate()
    if not limits.in_range(value):
        raise RequestRefused(refusal)
    return value


def _first_of_month(text):
    year, month = (int(part) for part in text.split("-"))
    return datetime.date(year, month, 1)


@officer_required
def patrol_calendar(request):
    """A site's patrols by month or by week, in the site's time zone."""
    sites, site = _chosen_site(request)
    view = "week" if request.GET.get("view") == "week" else "month"
    day = _asked(request, "date", datetime.date.fromisoformat, _(
        "Give the date as YYYY-MM-DD, between %(earliest)s and %(latest)s.") % {
        "earliest": limits.EARLIEST_DATE.isoformat(), "latest": limits.LATEST_DATE.isoformat()})
    if view == "month":
        first = day.replace(day=1)
        weeks = calendar.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month)
        previous, following = (first - datetime.timedelta(days=1)).replace(day=1), weeks[-1][-1] + datetime.timedelta(1)
    else:
        first = day - datetime.timedelta(days=(day.weekday() + 1) % 7)  # Sunday
        weeks = [[first + datetime.timedelta(days=n) for n in range(7)]]
        previous, following = first - datetime.timedelta(days=7), first + datetime.timedelta(days=7)
    days = {}
    if site:
        zone = ZoneInfo(site.time_zone)
        start = datetime.datetime.combine(weeks[0][0], datetime.time(), zone)
        end = datetime.datetime.combine(weeks[-1][-1] + datetime.timedelta(days=1), datetime.time(), zone)
        for patrol in selectors.patrols_between(user=request.user, site=site, start=start, end=end):
            days.setdefault(patrol.planned_start.astimezone(zone).date(), []).append(patrol)
    reads.team_list_read(user=request.user, door=Door.PAGE, object_type="patrol", query=request.GET.dict(),
                         page="calendar")
    return render(request, "shiprider/calendar.html", {
        "sites": sites, "site": site, "view": view, "day": day, "previous": previous, "following": following,
        "weeks": [[(date, days.get(date, [])) for date in week] for week in weeks], "month": first,
    })


@officer_required
def site_figures(request):
    """Monthly figures per site (patrols, hours on water, boardings, arrests, seizures)."""
    sites, _site = _chosen_site(request)
    first = _asked(request, "month", _first_of_month, _(
        "Give the month as YYYY-MM, between %(earliest)s and %(latest)s.") % {
        "earliest": f"{limits.EARLIEST_DATE:%Y-%m}", "latest": f"{limits.LATEST_DATE:%Y-%m}"})
    year, month = first.year, first.month
    rows = [(site, selectors.site_monthly_figures(site=site, year=year, month=month)) for site in sites]
    reads.team_list_read(user=request.user, door=Door.PAGE, object_type="patrol", query=request.GET.dict(),
                         page="figures")
    return render(request, "shiprider/figures.html",
                  {"rows": rows, "month": datetime.date(year, month, 1)})


@officer_required
def calendar_feed(request):
    """Issue (or reissue) the officer's personal iCal key."""
    key = None
    if request.method == "POST":
        key = services.calendar_feed_issue(user=request.user)
    return render(request, "shiprider/calendar_feed.html", {
        "feed_url": request.build_absolute_uri(reverse("shiprider:ical", args=[key])) if key else None,
        "sites": selectors.site_list(user=request.user),
    })


@limit_export(key=per_feed_key)
def ical(request, key):
    """The iCal feed of the key owner's sites' patrols (or one site's, with ?site=)."""
    user = services.calendar_feed_user(key)
    if user is None:
        raise Http404
    # Cancelled patrols stay in the feed (STATUS:CANCELLED), so that calendars remove them.
    patrols = selectors.patrol_list(user=user).filter(planned_end__gte=timezone.now() - datetime.timedelta(days=30))
    site = limits.id_from(request.GET.get("site"))
    if site:
        patrols = patrols.filter(site_id=site)
    # Read by a calendar application with the key: recorded as its owner's export.
    reads.team_list_read(user=user, door=Door.EXPORT, object_type="patrol", query=request.GET.dict(), page="ical")
    feed = Calendar()
    feed.add("prodid", "-//Border Partnerships Portal//ShipRider patrols//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", "ShipRider")
    starts = []
    for patrol in patrols[:500]:
        zone = ZoneInfo(patrol.site.time_zone)  # the site's local time (TZID), its VTIMEZONE added below
        starts.append(patrol.planned_start.date())
        event = Event()
        event.add("uid", f"shiprider-patrol-{patrol.pk}@border-partnerships-portal")
        event.add("dtstamp", patrol.updated_at)
        event.add("dtstart", patrol.planned_start.astimezone(zone))
        event.add("dtend", patrol.planned_end.astimezone(zone))
        event.add("summary", f"ShipRider: {patrol.site.name} — {patrol.vessel.name}")
        event.add("location", patrol.site.waterways)
        event.add("description", ", ".join(f"{m.officer.first_name} {m.officer.last_name} ({m.get_role_display()})"
                                           for m in patrol.crew.all()))
        event.add("sequence", patrol.sequence)
        if patrol.status == Patrol.Status.CANCELLED:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED" if patrol.status != "planned" else "TENTATIVE")
        feed.add_component(event)
    if starts:
        feed.add_missing_timezones(first_date=min(starts).replace(month=1, day=1),
                                   last_date=max(starts).replace(month=12, day=31) + datetime.timedelta(days=2))
    return HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
