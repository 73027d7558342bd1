import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from best import forms, selectors, services
from best.pdf import unit_report_pdf
from partnerships import access, audit, reads, words
from partnerships.models import AccessLevel, AuditEvent, EnforcementResult
from portal.decorators import officer_required
from portal.ratelimits import limit_export

Action, Door = AuditEvent.Action, AuditEvent.Door

# action: (form, service, success message)
ACTIONS = {
    "stage": (forms.StageForm, services.investigation_stage, gettext_lazy("Stage recorded.")),
    "target": (forms.TargetForm, services.target_add, gettext_lazy("Target organization added.")),
    "member": (forms.MemberForm, services.member_add, gettext_lazy("Member added.")),
    "arrest": (forms.ArrestForm, services.arrest_record, gettext_lazy("Arrest recorded.")),
    "seizure": (forms.SeizureForm, services.seizure_record, gettext_lazy("Seizure recorded.")),
    "charge": (forms.ChargeForm, services.charge_record, gettext_lazy("Charge recorded.")),
    "conviction": (forms.ConvictionForm, services.conviction_record, gettext_lazy("Conviction recorded.")),
    "referral": (forms.ReferralForm, services.referral_record, gettext_lazy("Referral recorded.")),
    "referral_decision": (forms.ReferralDecisionForm, services.referral_decide, gettext_lazy("Decision recorded.")),
    "mlat": (forms.MlatForm, services.mlat_record, gettext_lazy("Request recorded.")),
    "mlat_news": (forms.MlatNewsForm, services.mlat_update, gettext_lazy("News recorded.")),
}


@officer_required
def home(request):
    investigations = list(selectors.investigation_list(user=request.user).order_by("-case__updated_at")[:50])
    audit.record(action=Action.CASE_LIST, door=Door.PAGE, user=request.user, part="best", query=request.GET.dict(),
                 returned=[investigation.case for investigation in investigations])
    return render(request, "best/home.html", {
        "units": selectors.unit_list(user=request.user), "investigations": investigations,
    })


@officer_required
def investigation_create(request):
    form = forms.InvestigationForm(request.POST or None, units=selectors.unit_list(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            investigation = services.investigation_open(by=request.user, **form.cleaned_data)
        except services.BestRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Investigation %(reference)s opened.") % {
                "reference": investigation.case.reference})
            return redirect("best:investigation_detail", reference=investigation.case.reference)
    return render(request, "best/investigation_form.html", {"form": form})


def _roster_visible(user, investigation):
    return selectors.unit_list(user=user).filter(pk=investigation.unit_id).exists()


def _render_investigation(request, investigation, bound=None, status=200):
    can_contribute = access.can(request.user, investigation.case, AccessLevel.CONTRIBUTE)
    # The unit's roster is a team record: shown to its member agencies' officers only (a partner the case is shared
    # with from outside the unit sees the case, not who serves on the unit).
    roster = None
    if _roster_visible(request.user, investigation):  # recorded with the page's read (investigation_detail)
        roster = selectors.unit_roster_on(unit=investigation.unit, day=timezone.localdate())
    action_forms = {name: form_class(investigation=investigation, prefix=name)
                    for name, (form_class, _service, _message) in ACTIONS.items()}
    if bound:
        action_forms[bound[0]] = bound[1]
    return render(request, "best/investigation_detail.html", {
        "investigation": investigation, "case": investigation.case, "forms": action_forms,
        "can_contribute": can_contribute,
        "can_manage": access.can_control(request.user, investigation.case),
        "stalled": set(services.mlat_stalled().filter(investigation=investigation).values_list("pk", flat=True)),
        "roster": roster,
        "definitions": DEFINITIONS,
    }, status=status)


DEFINITIONS = [
    (gettext_lazy("Disrupted"), gettext_lazy("The organization's operations were impeded.")),
    (gettext_lazy("Dismantled"),
     gettext_lazy("Its leadership, network and financial base were destroyed so that it cannot re-form.")),
]


@login_required
def investigation_detail(request, reference):
    investigation = selectors.investigation_get(user=request.user, reference=reference, path=request.path)
    roster_shown = _roster_visible(request.user, investigation)
    # one record of the page: the case, and the unit whose roster it showed (a team record) when it did
    audit.record(action=Action.CASE_VIEW, door=Door.PAGE, user=request.user, case=investigation.case, part="best",
                 **({"roster_of_unit": investigation.unit_id} if roster_shown else {}))
    return _render_investigation(request, investigation)


@login_required
@require_POST
def investigation_action(request, reference, action):
    if action not in ACTIONS:
        raise Http404
    form_class, service, message = ACTIONS[action]
    level = AccessLevel.MANAGE if action == "stage" else AccessLevel.CONTRIBUTE
    investigation = selectors.investigation_get(user=request.user, reference=reference, level=level,
                                                path=request.path)
    form = form_class(request.POST, investigation=investigation, prefix=action)
    if form.is_valid():
        values = dict(form.cleaned_data)
        try:
            if "organization" in values or "referral" in values or "request" in values:
                service(by=request.user, **values)  # the chosen record carries its investigation
            else:
                service(by=request.user, investigation=investigation, **values)
        except services.BestRefused as refusal:
            form.add_error(None, str(refusal))
            if isinstance(refusal, services.DuplicateArrest):
                form.ask_confirmation()
        else:
            messages.success(request, message)
            return redirect("best:investigation_detail", reference=reference)
    return _render_investigation(request, investigation, bound=(action, form), status=400)


# --- unit members -----------------------------------------------------------------------------------

def _membership_form(unit, data=None):
    return forms.MembershipForm(data, prefix="member", officers=selectors.unit_officers(unit=unit),
                                designations=selectors.unit_title19_designations(unit=unit))


def _render_members(request, unit, form, end_errors=(), status=200, status_form=None):
    can_manage = services.can_manage_members(request.user, unit)
    return render(request, "best/unit_members.html", {
        "unit": unit, "memberships": selectors.unit_memberships(unit=unit), "can_manage": can_manage,
        "status_form": (status_form or forms.UnitStatusForm(initial={"status": unit.status})) if can_manage else None,
        "form": form if can_manage else None, "end_errors": end_errors, "today": timezone.localdate(),
    }, status=status)


@officer_required
def unit_members(request, pk):
    """A unit's roster, for its member agencies; its leading agency's administrators add and end memberships."""
    unit = get_object_or_404(selectors.unit_list(user=request.user), pk=pk)
    if request.method == "GET":  # a POST records what it writes
        reads.team_list_read(user=request.user, door=Door.PAGE, object_type="unit_membership",
                             query=request.GET.dict(), unit=unit.pk)
        return _render_members(request, unit, _membership_form(unit))
    if not services.can_manage_members(request.user, unit):
        raise PermissionDenied
    form = _membership_form(unit, request.POST)
    if form.is_valid():
        try:
            membership = services.membership_add(by=request.user, unit=unit, **form.cleaned_data)
        except services.BestRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("%(name)s added to %(unit)s.") % {
                "name": f"{membership.officer.first_name} {membership.officer.last_name}", "unit": unit.name})
            return redirect("best:unit_members", pk=unit.pk)
    return _render_members(request, unit, form, status=400)


@officer_required
@require_POST
def membership_end(request, pk, membership_pk):
    unit = get_object_or_404(selectors.unit_list(user=request.user), pk=pk)
    membership = get_object_or_404(selectors.unit_memberships(unit=unit), pk=membership_pk)
    if not services.can_manage_members(request.user, unit):
        raise PermissionDenied
    form = forms.MembershipEndForm(request.POST, prefix=f"end-{membership.pk}")
    if form.is_valid():
        try:
            services.membership_end(by=request.user, membership=membership, **form.cleaned_data)
        except services.BestRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Membership ended."))
            return redirect("best:unit_members", pk=unit.pk)
    errors = [error for errors in form.errors.values() for error in errors]
    return _render_members(request, unit, _membership_form(unit), end_errors=errors, status=400)


@officer_required
@require_POST
def unit_status(request, pk):
    """Mark the unit planned or active (its leading agency's administrators)."""
    unit = get_object_or_404(selectors.unit_list(user=request.user), pk=pk)
    if not services.can_manage_members(request.user, unit):
        raise PermissionDenied
    form = forms.UnitStatusForm(request.POST)
    if form.is_valid():
        try:
            services.unit_set_status(by=request.user, unit=unit, **form.cleaned_data)
        except services.BestRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Status saved."))
            return redirect("best:unit_members", pk=unit.pk)
    return _render_members(request, unit, _membership_form(unit), status=400, status_form=form)


# The report's figures count the cases the reader may see: read as a list of them, through the door of its format.
UNIT_REPORT_READS = {"csv": (Action.CASE_EXPORT, Door.EXPORT), "pdf": (Action.CASE_PRINT, Door.PRINT)}


@login_required
@limit_export("csv", "pdf")
def unit_report(request, pk):
    unit = get_object_or_404(selectors.unit_list(user=request.user), pk=pk)
    today = timezone.localdate()
    form = forms.ReportPeriodForm(request.GET or {"start": today.replace(month=1, day=1), "end": today})
    report = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        report = selectors.unit_report(user=request.user, unit=unit, start=start, end=end)
        action, door = UNIT_REPORT_READS.get(request.GET.get("format"), (Action.CASE_LIST, Door.PAGE))
        audit.record(action=action, door=door, user=request.user, object_type="best_unit", object_ref=unit.pk,
                     part="unit_report", query=request.GET.dict())
        if request.GET.get("format") == "csv":
            return _report_csv(unit, start, end, report)
        if request.GET.get("format") == "pdf":
            response = HttpResponse(unit_report_pdf(unit, start, end, report), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="best-{unit.pk}-{start}-{end}.pdf"'
            return response
    return render(request, "best/unit_report.html", {"unit": unit, "form": form, "report": report,
                                                     "query": request.GET.urlencode()})


def _report_csv(unit, start, end, report):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="best-{unit.pk}-{start}-{end}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Unit"), unit.name, pgettext("period", "From"), start, pgettext("period", "To"), end])
    for label, key in selectors.REPORT_ROWS:
        writer.writerow([label, report[key]])
    for seizure in report["seizures"]:
        # the labels people read; the total as a machine number (a dot, no grouping) for spreadsheets
        writer.writerow([_("Seized"), words.label(EnforcementResult.Category, seizure["category"]),
                         words.label(EnforcementResult.Unit, seizure["unit"]), seizure["count"],
                         format(seizure["total"].normalize(), "f")])
    return response


