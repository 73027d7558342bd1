from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ibet import imports, selectors, services
from ibet.filters import OccurrenceFilter
from ibet.forms import (
    ImportForm,
    MeetingForm,
    OccurrenceChangeForm,
    OccurrenceForm,
    OperationForm,
    RegionForm,
    ReportForm,
    RepresentativeForm,
    ReviewForm,
    SeizureFormSet,
    TeamEditForm,
    TeamForm,
    TeamOfficersForm,
)
from ibet.models import Occurrence
from partnerships import access, reads
from partnerships import selectors as core_selectors
from partnerships.models import AccessLevel, AuditEvent, EnforcementResult
from portal.decorators import officer_required
from portal.ratelimits import limit_export

PAGE = AuditEvent.Door.PAGE


@officer_required
def team_list(request):
    teams = selectors.team_list(user=request.user)
    regions = {team.region for team in teams}
    governance = {region.pk: selectors.region_governance(region=region) for region in regions}
    return render(request, "ibet/team_list.html", {"rows": [(team, governance[team.region_id]) for team in teams],
                                                   "can_manage": services.can_manage_ibet(request.user)})


@login_required
def region_detail(request, pk):
    region = get_object_or_404(selectors.region_list(user=request.user), pk=pk)
    if request.method == "GET":  # a POST records what it writes
        reads.team_record_read(user=request.user, door=PAGE, object_type="ibet_region", object_ref=region.pk)
    officers = selectors.officers_of_my_agency(user=request.user)
    representative_form = RepresentativeForm(officers=officers)
    mine = selectors.my_agency_representative(user=request.user, region=region)
    replace_form = RepresentativeForm(officers=officers.exclude(pk=mine.officer_id) if mine else officers,
                                      prefix="replace")
    meeting_form = MeetingForm()
    if request.method == "POST":
        try:
            if request.POST.get("form") == "replace":
                if mine is None:  # replaced meanwhile, from another page or the API
                    raise services.IbetRefused(_("This representative was already replaced."))
                replace_form = RepresentativeForm(request.POST, officers=officers, prefix="replace")
                if replace_form.is_valid():
                    services.jmt_representative_replace(by=request.user, representative=mine,
                                                        **replace_form.cleaned_data)
                    messages.success(request, _("Representative replaced."))
                    return redirect("ibet:region_detail", pk=region.pk)
            elif request.POST.get("form") == "representative":
                representative_form = RepresentativeForm(
                    request.POST, officers=selectors.officers_of_my_agency(user=request.user))
                if representative_form.is_valid():
                    services.jmt_representative_add(by=request.user, region=region, **representative_form.cleaned_data)
                    messages.success(request, _("Representative named."))
                    return redirect("ibet:region_detail", pk=region.pk)
            else:
                meeting_form = MeetingForm(request.POST)
                if meeting_form.is_valid():
                    services.management_meeting_record(by=request.user, region=region, **meeting_form.cleaned_data)
                    messages.success(request, _("Meeting recorded."))
                    return redirect("ibet:region_detail", pk=region.pk)
        except services.IbetRefused as refusal:
            messages.error(request, str(refusal))
    return render(request, "ibet/region_detail.html", {
        "region": region, "governance": selectors.region_governance(region=region),
        "representative_form": representative_form, "meeting_form": meeting_form,
        "is_agency_admin": access.is_agency_admin(request.user), "mine": mine, "replace_form": replace_form,
    })


@officer_required
def occurrence_list(request):
    filterset = OccurrenceFilter(request.GET, queryset=selectors.occurrence_list(user=request.user),
                                 user=request.user)
    occurrences = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(occurrences, 25).get_page(request.GET.get("page"))
    reads.team_list_read(user=request.user, door=PAGE, object_type="occurrence", query=request.GET.dict())
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "ibet/occurrence_list.html", {"page": page, "filter": filterset,
                                                         "query": query.urlencode()})


@login_required
def occurrence_detail(request, pk):
    occurrence = get_object_or_404(selectors.occurrence_list(user=request.user), pk=pk)
    case_visible = bool(occurrence.case_id) and access.can(request.user, occurrence.case, AccessLevel.VIEW)
    reads.team_record_read(user=request.user, door=PAGE, object_type="occurrence", object_ref=occurrence.pk,
                           case=occurrence.case if case_visible else None)
    return render(request, "ibet/occurrence_detail.html", {
        "occurrence": occurrence, "case_visible": case_visible,
        "can_correct": selectors.occurrences_to_correct(user=request.user).filter(pk=occurrence.pk).exists()})


@officer_required
def occurrence_create(request):
    form = OccurrenceForm(request.POST or None, teams=selectors.team_list(user=request.user),
                          cases=selectors.cases_to_link(user=request.user))
    # A post without the seizure rows (a client of the form before it had them) records no seizure.
    posted_rows = request.method == "POST" and "seizures-TOTAL_FORMS" in request.POST
    seizures = SeizureFormSet(request.POST if posted_rows else None, prefix="seizures")
    if request.method == "POST" and form.is_valid() and (not posted_rows or seizures.is_valid()):
        values, results = form.facts_and_results()
        if posted_rows:
            results += [result for result in (row.result() for row in seizures) if result]
        try:
            occurrence = services.occurrence_record(by=request.user, results=results, **values)
        except services.IbetRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Occurrence recorded."))
            return redirect("ibet:occurrence_detail", pk=occurrence.pk)
    return render(request, "ibet/occurrence_form.html", {"form": form, "seizures": seizures},
                  status=400 if request.method == "POST" else 200)


@login_required
def occurrence_edit(request, pk):
    """Correct an occurrence of one's own team (its facts and case link); the audit trail keeps old and new."""
    occurrence = get_object_or_404(selectors.occurrences_to_correct(user=request.user), pk=pk)
    zone = ZoneInfo(occurrence.team.time_zone)
    case_visible = bool(occurrence.case_id) and access.can(request.user, occurrence.case, AccessLevel.VIEW)
    if request.method == "GET":  # a POST records what it changes
        reads.team_record_read(user=request.user, door=PAGE, object_type="occurrence", object_ref=occurrence.pk,
                               case=occurrence.case if case_visible else None)
    initial = {name: getattr(occurrence, name) for name in services.OCCURRENCE_FIELDS if name != "case"}
    initial["occurred_at"] = occurrence.occurred_at.astimezone(zone).replace(tzinfo=None)
    initial["case"] = occurrence.case.reference if case_visible else None
    form = OccurrenceChangeForm(request.POST or None, occurrence=occurrence, initial=initial,
                                cases=selectors.cases_for_occurrence(user=request.user, occurrence=occurrence))
    if occurrence.case_id and not case_visible:
        del form.fields["case"]  # a link to a case the user may not see stays as it is, unseen
    if request.method == "POST" and form.is_valid():
        values, _results = form.facts_and_results()
        if values.get("occurred_at") == occurrence.occurred_at.replace(second=0, microsecond=0):
            del values["occurred_at"]  # the form shows minutes: the same minute is no correction
        try:
            _occurrence, changed = services.occurrence_change(by=request.user, occurrence=occurrence, **values)
        except services.IbetRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Occurrence corrected.") if changed else _("Nothing was changed."))
            return redirect("ibet:occurrence_detail", pk=occurrence.pk)
    return render(request, "ibet/occurrence_form.html", {"form": form, "occurrence": occurrence},
                  status=400 if request.method == "POST" else 200)


# --- intelligence reports -------------------------------------------------------------------------

@officer_required
def report_list(request):
    page = Paginator(selectors.report_list(user=request.user), 25).get_page(request.GET.get("page"))
    reads.team_list_read(user=request.user, door=PAGE, object_type="intelligence_report", query=request.GET.dict())
    return render(request, "ibet/report_list.html", {"page": page, "today": timezone.localdate()})


@officer_required
def report_create(request):
    form = ReportForm(request.POST or None, teams=selectors.team_list(user=request.user),
                      cases=selectors.cases_to_link(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_enter(by=request.user, **form.cleaned_data)
        except services.IbetRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Report entered."))
            return redirect("ibet:report_detail", pk=report.pk)
    return render(request, "ibet/report_form.html", {"form": form})


@login_required
def report_detail(request, pk):
    report = get_object_or_404(selectors.report_list(user=request.user), pk=pk)
    reviewer = services.is_reviewer(request.user, report)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not reviewer:
            raise Http404
        if form.is_valid():
            action = services.report_validate if form.cleaned_data["decision"] == "validate" else services.report_purge
            try:
                action(by=request.user, report=report, reason=form.cleaned_data["reason"])
            except services.IbetRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Review recorded."))
                return redirect("ibet:report_detail", pk=report.pk)
    case_visible = bool(report.case_id) and access.can(request.user, report.case, AccessLevel.VIEW)
    if request.method == "GET":  # a POST records its review
        reads.team_record_read(user=request.user, door=PAGE, object_type="intelligence_report", object_ref=report.pk,
                               case=report.case if case_visible else None)
    return render(request, "ibet/report_detail.html", {
        "report": report, "reviewer": reviewer, "form": form, "case_visible": case_visible,
        "overdue": report.review_due < timezone.localdate(),
    })


# --- bulk import ----------------------------------------------------------------------------------

@officer_required
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None, teams=selectors.team_list(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            job = services.occurrence_import_start(by=request.user, **form.cleaned_data)
        except services.IbetRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("ibet:import_detail", pk=job.pk)
    return render(request, "ibet/import_form.html", {"form": form})


@login_required
def import_detail(request, pk):
    job = get_object_or_404(selectors.import_jobs(user=request.user), pk=pk)
    reads.team_record_read(user=request.user, door=PAGE, object_type="occurrence_import", object_ref=job.pk)
    return render(request, "ibet/import_detail.html", {"job": job})


@login_required
@limit_export()
def import_template(request):
    language = "fr" if request.GET.get("lang") == "fr" else "en"
    response = HttpResponse(imports.template(language), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ibet-occurrences-{language}.csv"'
    return response


# --- joint operations -----------------------------------------------------------------------------

@officer_required
def operation_list(request):
    page = Paginator(selectors.operation_list(user=request.user), 25).get_page(request.GET.get("page"))
    reads.team_list_read(user=request.user, door=PAGE, object_type="joint_operation", query=request.GET.dict())
    return render(request, "ibet/operation_list.html", {"page": page})


@officer_required
def operation_create(request):
    form = OperationForm(request.POST or None, teams=selectors.team_list(user=request.user),
                         agencies=core_selectors.active_agencies(), cases=selectors.cases_to_link(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            operation = services.operation_create(by=request.user, **form.cleaned_data)
        except services.IbetRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Operation opened."))
            return redirect("ibet:operation_detail", pk=operation.pk)
    return render(request, "ibet/operation_form.html", {"form": form})


@login_required
def operation_detail(request, pk):
    operation = get_object_or_404(selectors.operation_list(user=request.user), pk=pk)
    cases = list(selectors.visible_cases(user=request.user, cases=operation.cases.all()))
    reads.team_record_read(user=request.user, door=PAGE, object_type="joint_operation", object_ref=operation.pk,
                           returned=cases)
    return render(request, "ibet/operation_detail.html", {"operation": operation, "cases": cases})


# --- the team's dashboard -------------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 720, 220, 30


@login_required
def team_dashboard(request, pk):
    team = get_object_or_404(selectors.team_list(user=request.user), pk=pk)
    now = timezone.now()
    zone = ZoneInfo(team.time_zone)
    local = now.astimezone(zone)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    year_start = month_start.replace(month=1)
    months = selectors.team_monthly_counts(team=team, months=12, now=now)
    top = max([count for _first, count in months] + [1])
    step = (CHART_WIDTH - 2 * CHART_PAD) / len(months)
    bars = [{"x": CHART_PAD + index * step + 4, "width": step - 8,
             "height": (CHART_HEIGHT - 2 * CHART_PAD) * count / top,
             "y": CHART_HEIGHT - CHART_PAD - (CHART_HEIGHT - 2 * CHART_PAD) * count / top,
             "label_x": CHART_PAD + index * step + step / 2, "month": first, "count": count}
            for index, (first, count) in enumerate(months)]
    governance = selectors.region_governance(region=team.region)
    members = selectors.team_members(team=team)
    open_cases = list(selectors.team_open_cases(user=request.user, team=team))
    reads.team_record_read(user=request.user, door=PAGE, object_type="ibet_team", object_ref=team.pk,
                           returned=open_cases)
    month = selectors.team_figures(team=team, start=month_start, end=now)
    year = selectors.team_figures(team=team, start=year_start, end=now)
    type_rows = [(Occurrence.Kind(kind).label, month["by_type"].get(kind, 0), count)
                 for kind, count in year["by_type"].items()]
    seizure_rows = [(EnforcementResult.Category(category).label, unit, month["seizures"].get((category, unit), 0),
                     total) for (category, unit), total in year["seizures"].items()]
    return render(request, "ibet/team_dashboard.html", {
        "type_rows": type_rows, "seizure_rows": seizure_rows,
        "team": team, "governance": governance, "members": members,
        "can_change": services.can_change_team(request.user, team),
        "can_assign": services.can_assign_officers(request.user, team),
        "recent": selectors.occurrence_list(user=request.user).filter(team=team)[:10],
        "open_cases": open_cases,
        "overdue_reports": selectors.report_list(user=request.user).filter(
            team=team, purged_at__isnull=True, review_due__lt=local.date()),
        "month": month, "year": year,
        "month_start": month_start, "bars": bars, "chart": {"width": CHART_WIDTH, "height": CHART_HEIGHT,
                                                           "base": CHART_HEIGHT - CHART_PAD, "top": top},
    })


# --- regions and teams ------------------------------------------------------------------------------------------

def _team_form(form_class, data=None, **kwargs):
    return form_class(data, regions=selectors.region_choices(), agencies=core_selectors.active_agencies(), **kwargs)


@officer_required
def region_create(request):
    if not services.can_manage_ibet(request.user):
        raise PermissionDenied
    form = RegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            region = services.region_create(by=request.user, **form.cleaned_data)
        except services.IbetRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Region %(name)s opened.") % {"name": region.name})
            return redirect("ibet:team_create")
    return render(request, "ibet/manage_form.html", {"form": form, "title": _("Open a region"),
                                                     "button": _("Open the region")})


@officer_required
def team_create(request):
    if not services.can_manage_ibet(request.user):
        raise PermissionDenied
    form = _team_form(TeamForm, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(by=request.user, **form.cleaned_data)
        except services.IbetRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Team %(name)s opened.") % {"name": team.name})
            return redirect("ibet:team_dashboard", pk=team.pk)
    return render(request, "ibet/manage_form.html", {"form": form, "title": _("Open an IBET team"),
                                                     "button": _("Open the team")})


@officer_required
def team_edit(request, pk):
    team = get_object_or_404(selectors.team_list(user=request.user), pk=pk)
    if not services.can_change_team(request.user, team):
        raise PermissionDenied
    initial = {"region": team.region, "location": team.location, "time_zone": team.time_zone,
               "member_agencies": list(team.team.member_agencies.all())}
    form = _team_form(TeamEditForm, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(by=request.user, team=team, **form.cleaned_data)
        except services.IbetRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Team saved."))
            return redirect("ibet:team_dashboard", pk=team.pk)
    return render(request, "ibet/manage_form.html", {"form": form, "team": team, "button": _("Save"),
                                                     "title": _("Change %(team)s") % {"team": team.name}})


@officer_required
def team_officers(request, pk):
    team = get_object_or_404(selectors.team_list(user=request.user), pk=pk)
    if not services.can_assign_officers(request.user, team):
        raise PermissionDenied
    officers = selectors.officers_of_my_agency(user=request.user)
    form = TeamOfficersForm(request.POST or None, officers=officers,
                            initial={"officers": list(team.officers.filter(pk__in=officers))})
    if request.method == "POST" and form.is_valid():
        try:
            services.team_officers_set(by=request.user, team=team, **form.cleaned_data)
        except services.IbetRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Officers assigned."))
            return redirect("ibet:team_dashboard", pk=team.pk)
    return render(request, "ibet/manage_form.html", {"form": form, "team": team, "button": _("Save"),
                                                     "title": _("Officers of my agency on %(team)s")
                                                     % {"team": team.name}})
