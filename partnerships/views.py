import contextlib
import contextvars
import csv
import io
import itertools
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from redis.exceptions import RedisError

from deconfliction import selectors as deconfliction_selectors
from deconfliction import services as deconfliction
from partnerships import access, attachments, audit, case_sections, notifications, reads, search, selectors, services
from partnerships.access import SharingRefused
from partnerships.filters import AuditFilter, CaseFilter, DesignationFilter
from partnerships.forms import (
    ApiTokenIssueForm,
    AttachmentForm,
    CaseCreateForm,
    CaseEditForm,
    CourtReleaseForm,
    DeactivateForm,
    DecideForm,
    DesignationForm,
    DesignationRenewForm,
    DesignationStatusForm,
    OfficerForm,
    OfficerInviteForm,
    SearchForm,
    ShareForm,
    ShareRequestForm,
    SubjectForm,
    UnshareForm,
)
from partnerships.models import AccessLevel, Agency, AuditEvent, CaseRequest, JointCase
from portal import accounts, limits
from portal.pagination import CappedPaginator
from portal.ratelimits import limit_export, limit_search

PAGE_SIZE = 25
Action, Door = AuditEvent.Action, AuditEvent.Door


def _case_or_404(request, reference, level=AccessLevel.VIEW, control=None):
    return selectors.case_get(user=request.user, reference=reference, level=level, path=request.path,
                              control=control)


def _record_case_page(request, case, part):
    """A page of the case besides its detail (a form filled from it, its sharing, a request): read when shown by
    a GET; a POST records what it writes."""
    if request.method == "GET":
        audit.record(action=Action.CASE_VIEW, door=Door.PAGE, user=request.user, case=case, part=part)


def _filtered_cases(request):
    filterset = CaseFilter(request.GET, queryset=selectors.case_rows(user=request.user))
    return filterset, (filterset.qs if filterset.is_valid() else filterset.queryset.none())


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query


def _cell(value):
    """Neutralize spreadsheet formulas (CSV injection): a cell never starts with = + - @."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(filename, header, rows, caveat=""):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    if caveat:
        writer.writerow([caveat])
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return response


# --- cases ----------------------------------------------------------------------------------------

@login_required
@limit_search("q")
def case_list(request):
    if request.GET.keys() - {"page"}:
        filterset, cases = _filtered_cases(request)
        fields = _case_filter_fields(filterset.form)
    else:
        # The list as it opens (most requests): no filter to apply, and a form the same for every reader in a
        # language, kept rendered (_rendered_once): the form cost the page more than its queries (issue 20).
        cases = selectors.case_rows(user=request.user)
        fields = _rendered_once(selectors.CASE_FILTER_FORM_KEY.format(language=translation.get_language()),
                                lambda: _case_filter_fields(CaseFilter(request.GET).form))
    page = CappedPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record(action=Action.CASE_LIST, door=Door.PAGE, user=request.user, query=request.GET.dict(),
                 returned=list(page))
    return render(request, "partnerships/case_list.html",
                  {"page": page, "query": _query_without_page(request).urlencode(), "filter_fields": fields})


def _case_filter_fields(form):
    """The filter form's fields with the lead agency box's list of every agency, which is rendered once per
    language and kept an hour or until an agency changes (selectors.forget_agency_datalist), as is the whole form
    of the list not filtered: hundreds of agencies cost the page more than its queries (issue 20)."""
    datalist = _rendered_once(selectors.AGENCY_DATALIST_KEY.format(language=translation.get_language()),
                              lambda: render_to_string("partnerships/agency_datalist.html",
                                                       {"agencies": selectors.agency_choices()}))
    return render_to_string("partnerships/case_filter_fields.html", {"form": form, "agency_datalist": datalist})


def _rendered_once(key, render_html):
    """HTML kept in the cache under `key` for an hour; with the cache unreachable, rendered for this request."""
    try:
        html = cache.get(key)
    except (RedisError, OSError):
        html, key = None, None
    if html is None:
        html = render_html()
        if key:
            with contextlib.suppress(RedisError, OSError):
                cache.set(key, html, 3600)
    return mark_safe(html)  # noqa: S308  # nosec B308 B703 - the template's own output, escaped when rendered


EXPORT_CHUNK = 1000
# An export gives way to the requests beside it: after each chunk it pauses as long as the chunk took to write, so
# that it holds at most half of a core. People wait seconds for an export anyway; pages and API reads wait
# milliseconds, and on a two-core server a looping export otherwise took the other core from them at their slowest
# moments (docs/benchmarks.md, issue 17, run L: an API read's p99 beside it 1.9x its own, 1.1-1.6x with the pause).
EXPORT_PAUSE = 1.0


def csv_stream_response(filename, header, rows):
    """CSV sent as it is written: the header at once, then the rows EXPORT_CHUNK at a time, each chunk one piece of
    the body (a piece per row cost a 50,000-row export a system call and a packet per row), with a pause after each
    (EXPORT_PAUSE)."""
    response = StreamingHttpResponse(_csv_pieces(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_pieces(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_cell(value) for value in header])
    rows = iter(rows)
    while True:
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        started = time.monotonic()
        writer.writerows([_cell(value) for value in row] for row in itertools.islice(rows, EXPORT_CHUNK))
        if not buffer.tell():
            return
        time.sleep((time.monotonic() - started) * EXPORT_PAUSE)


@login_required
@limit_export()
def case_export(request):
    """The filtered list as CSV, streamed; each H1+ case carries its caveat in the caveat column.

    The header row leaves at once. Then, before any case does, the record naming every case exported (by id) is
    written; rows follow a chunk at a time, read in one pass through the reader's visible cases again (a case no
    longer shared by then is left out, one shared since is not added). The stream runs after this view returns: it
    keeps the request's audit context, language and time zone."""
    _filterset, cases = _filtered_cases(request)
    header = [_("Reference"), _("Title"), _("Program"), _("Status"), _("Lead agency"), _("Releasability"),
              _("Handling code"), _("Opened on"), _("Closed on"), _("Last updated"), _("Caveat")]
    rows = _export_rows(request, cases, translation.get_language(), timezone.get_current_timezone())
    return csv_stream_response("cases.csv", header, _in_context(contextvars.copy_context(), rows))


def _in_context(context, generator):
    """Each step of `generator` run in `context` (the request's, copied while the view ran)."""
    while True:
        try:
            yield context.run(next, generator)
        except StopIteration:
            return


def _export_rows(request, cases, language, zone):
    with translation.override(language), timezone.override(zone):
        # Through a cursor, which PostgreSQL never runs as a parallel plan: in parallel, this one statement took
        # every core of a two-core server from the requests beside it (docs/benchmarks.md, issue 17, run L).
        ids = list(cases.order_by().values_list("pk", flat=True).iterator(chunk_size=EXPORT_CHUNK * 10))
        audit.record(action=Action.CASE_EXPORT, door=Door.EXPORT, user=request.user, query=request.GET.dict(),
                     returned=ids)
        # Each label translated once, not once per row (it was most of a 50,000-row export's time).
        labels = {field: {value: str(label) for value, label in JointCase._meta.get_field(field).choices}
                  for field in ("program", "status", "releasability")}
        exported = set(ids)
        caveats = {}  # (handling code, lead agency): its caveat, written once
        # One pass over the reader's visible cases again, read EXPORT_CHUNK rows at a time (a cursor kept open on
        # PostgreSQL): a case no longer shared is left out, one shared since the record was written is not added.
        # Values, not model instances: building two instances a row was a third of the export's time; and re-reading
        # each chunk of ids through the grants made PostgreSQL scan all of the agency's grants for each.
        rows = cases.values_list(
            "pk", "reference", "title", "program", "status", "lead_agency_id", "lead_agency__acronym",
            "lead_agency__acronym_fr", "releasability", "handling_code", "opened_at", "closed_at", "updated_at")
        for (pk, reference, title, program, status, agency_id, acronym, acronym_fr, releasability, handling_code,
             opened_at, closed_at, updated_at) in rows.iterator(chunk_size=EXPORT_CHUNK):
            if pk not in exported:
                continue
            if (handling_code, agency_id) not in caveats:
                lead = Agency(pk=agency_id, acronym=acronym, acronym_fr=acronym_fr)
                caveats[handling_code, agency_id] = access.evidence_caveat(
                    JointCase(handling_code=handling_code, lead_agency=lead))
            yield [reference, title, labels["program"][program], labels["status"][status], acronym,
                   labels["releasability"][releasability], handling_code, opened_at, closed_at or "",
                   timezone.localtime(updated_at, zone).isoformat(timespec="seconds"),
                   caveats[handling_code, agency_id]]


@login_required
def case_detail(request, reference):
    case = _case_or_404(request, reference)
    audit.record(action=Action.CASE_VIEW, door=Door.PAGE, user=request.user, case=case)
    can_manage = access.can(request.user, case, AccessLevel.MANAGE)
    can_contribute = can_manage or access.can(request.user, case, AccessLevel.CONTRIBUTE)
    return render(request, "partnerships/case_detail.html", {
        "case": case, "shares": selectors.case_shares(case=case), "can_manage": can_manage,
        "can_control": can_manage and access.can_control(request.user, case),
        "is_lead": access.is_lead(request.user, case), "caveat": access.evidence_caveat(case),
        "history": selectors.case_history(case=case),
        "requests": selectors.case_requests(case=case, user=request.user),
        "court_releases": selectors.court_releases(case=case),
        "can_ask_share": can_manage and access.lead_only_sharing(case.handling_code)
        and not access.is_lead(request.user, case),
        "can_ask_release": access.carries_evidence_caveat(case) and not access.is_lead(request.user, case),
        "sections": case_sections.for_case(case=case, user=request.user),
        "subjects": selectors.case_subjects(case=case),
        "subject_form": SubjectForm(prefix="subject") if can_contribute else None,
        "documents": selectors.case_documents(case=case),
        "deconfliction_hits": deconfliction.hit_rows(
            deconfliction_selectors.case_hit_groups(case=case, user=request.user)),
        "document_form": AttachmentForm(prefix="document") if can_contribute else None,
    })


@login_required
@require_POST
def case_subject_add(request, reference):
    case = _case_or_404(request, reference, AccessLevel.CONTRIBUTE)
    form = SubjectForm(request.POST, prefix="subject")
    if form.is_valid():
        try:
            subject = services.subject_add(by=request.user, case=case, **form.cleaned_data)
        except services.CaseRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Subject added."))
            for text in deconfliction.checker_messages(deconfliction_selectors.hit_parties(
                    user=request.user).filter(subject=subject)):
                messages.warning(request, text)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect(case)


@login_required
def case_document_add(request, reference):
    case = _case_or_404(request, reference, AccessLevel.CONTRIBUTE)
    _record_case_page(request, case, "documents")
    form = AttachmentForm(request.POST or None, request.FILES or None, prefix="document")
    if request.method == "POST" and form.is_valid():
        try:
            services.document_attach(case=case, upload=form.cleaned_data["file"], by=request.user)
        except (services.CaseRefused, attachments.AttachmentRefused) as refusal:
            form.add_error("file", str(refusal))
        else:
            messages.success(request, _("Document attached."))
            return redirect(case.get_absolute_url() + "#documents")
    return render(request, "partnerships/case_document_form.html", {"case": case, "form": form})


@login_required
def case_document_download(request, reference, pk):
    case = _case_or_404(request, reference)
    document = get_object_or_404(selectors.case_documents(case=case), pk=pk)
    return attachments.download(document, by=request.user, door=Door.PAGE, case=case, object_type="case_document")


@login_required
def case_print(request, reference):
    case = _case_or_404(request, reference)
    audit.record(action=Action.CASE_PRINT, door=Door.PRINT, user=request.user, case=case)
    return render(request, "partnerships/case_print.html", {
        "case": case, "shares": selectors.case_shares(case=case), "caveat": access.evidence_caveat(case),
        "court_releases": selectors.court_releases(case=case), "printed_at": timezone.now(),
    })


@login_required
def case_create(request):
    if access.agency_of(request.user) is None:
        raise PermissionDenied
    form = CaseCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(by=request.user, **form.cleaned_data)
        except services.CaseRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
            return redirect(case)
    return render(request, "partnerships/case_form.html", {"form": form})


@login_required
def case_edit(request, reference):
    case = _case_or_404(request, reference, AccessLevel.MANAGE, control="change")
    _record_case_page(request, case, "edit")
    form = CaseEditForm(request.POST or None, instance=case, lead=access.is_lead(request.user, case))
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "confirm_revocations"}
        try:
            services.case_update(case=case, by=request.user,
                                 confirm_revocations=form.cleaned_data["confirm_revocations"], **changes)
        except services.TighteningNeedsConfirmation as question:
            form.add_error(None, str(question))
            form.ask_confirmation()
        except services.CaseRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Case %(reference)s saved.") % {"reference": case.reference})
            return redirect(case)
    return render(request, "partnerships/case_form.html", {"form": form, "case": case})


# --- sharing --------------------------------------------------------------------------------------

def _share_form(case, data=None):
    return ShareForm(data, agencies=selectors.agencies_to_share_with(case=case),
                     teams=selectors.teams_to_share_with(case=case))


@login_required
def case_sharing(request, reference):
    case = _case_or_404(request, reference, AccessLevel.MANAGE)
    _record_case_page(request, case, "sharing")
    form = _share_form(case, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.case_share(case=case, by=request.user, **form.cleaned_data)
        except SharingRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            names = ", ".join(agency.acronym for agency in decision.agencies.all())
            messages.success(request, _("Case shared with %(agency)s.") % {"agency": names})
            return redirect("partnerships:case_sharing", reference=case.reference)
    return _render_sharing(request, case, form, UnshareForm())


@login_required
@require_POST
def case_unshare(request, reference):
    case = _case_or_404(request, reference, AccessLevel.MANAGE)
    form = UnshareForm(request.POST)
    if form.is_valid():
        try:
            services.case_unshare(case=case, by=request.user, **form.cleaned_data)
        except SharingRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Share with %(agency)s revoked.") % {"agency": form.cleaned_data["agency"]})
            return redirect("partnerships:case_sharing", reference=case.reference)
    return _render_sharing(request, case, _share_form(case), form, status=400)


def _render_sharing(request, case, share_form, unshare_form, status=200):
    """The page offers the share form and the revoke buttons only to an agency that may use them
    (access.can_control); a partner managing an H2 case sees who holds it and is offered a request instead."""
    can_control = access.can_control(request.user, case)
    return render(request, "partnerships/case_sharing.html", {
        "case": case, "form": share_form, "unshare_form": unshare_form,
        "revoke_form": unshare_form if can_control else None,  # the table's revoke buttons
        "shares": selectors.case_shares(case=case), "history": selectors.case_sharing_history(case=case),
        "can_share_directly": can_control,
    }, status=status)


# --- requests to the lead agency ------------------------------------------------------------------

@login_required
def case_request_new(request, reference, kind):
    case = _case_or_404(request, reference)
    _record_case_page(request, case, f"request_{kind}")
    if kind == CaseRequest.Kind.SHARE:
        form = ShareRequestForm(request.POST or None, agencies=selectors.agencies_for_request(case=case))
    else:
        form = CourtReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_request_file(case=case, kind=kind, by=request.user, **form.cleaned_data)
        except SharingRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Request sent to %(agency)s.") % {"agency": case.lead_agency.acronym})
            return redirect(case)
    return render(request, "partnerships/case_request_form.html",
                  {"case": case, "form": form, "kind": CaseRequest.Kind(kind)})


@login_required
def case_request_decide(request, reference, pk):
    case = _case_or_404(request, reference)
    case_request = get_object_or_404(selectors.case_requests(case=case, user=request.user), pk=pk)
    if not access.is_lead(request.user, case):
        raise PermissionDenied
    _record_case_page(request, case, "request")
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_request_decide(request=case_request, by=request.user, **form.cleaned_data)
        except SharingRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(case)
    return render(request, "partnerships/case_request_decide.html",
                  {"case": case, "case_request": case_request, "form": form})


# --- who saw what ---------------------------------------------------------------------------------

def _audit_limits(view):
    """The audit pages search by reference or username, and export as CSV."""
    return limit_export("csv")(limit_search("reference", "username")(view))


def _audit_page(request, *, events=None, lookups=None, title, scope, case=None, template="partnerships/audit_log.html"):
    """A page (or CSV) of audit records: of one queryset (`events`), or of a union of index lookups (`lookups`),
    each filtered by the page's filters and paged on their ids (selectors.RecordUnion)."""
    filterset = AuditFilter(request.GET, queryset=events if lookups is None else lookups[0])
    if lookups is not None:
        valid = filterset.is_valid()
        events = selectors.RecordUnion([filterset.filter_queryset(lookup) if valid else lookup.none()
                                        for lookup in lookups])
    else:
        events = filterset.qs if filterset.is_valid() else events.none()
    audit.record(action=Action.ACCESS_LOG_READ, door=Door.EXPORT if request.GET.get("format") == "csv" else Door.PAGE,
                 user=request.user, case=case, scope=scope, query=request.GET.dict())
    if request.GET.get("format") == "csv":
        from deconfliction.templatetags.deconfliction_tags import asked_lines

        header = ["id", "at (UTC)", "username", "agency", "event", "door", "outcome", "object", "reference",
                  "ip_address", "request_id", "asked"]
        rows = ([e.pk, e.at.isoformat(), e.username, e.agency.acronym if e.agency else "", e.action, e.door,
                 e.outcome, e.object_type, e.object_ref, e.ip_address or "", e.request_id,
                 " | ".join(asked_lines(e.detail.get("asked")))] for e in events.iterator())
        return csv_response(f"{scope}-audit.csv", header, rows)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, template, {
        "filter": filterset, "page": page, "title": title, "case": case,
        "query": _query_without_page(request).urlencode(),
    })


@login_required
@_audit_limits
def case_access_log(request, reference):
    case = _case_or_404(request, reference)
    if not access.can_read_case_access_log(request.user, case):
        raise PermissionDenied
    return _audit_page(request, lookups=selectors.case_access_log_lookups(case=case), case=case, scope=case.reference,
                       title=_("Who saw %(reference)s") % {"reference": case.reference})


@login_required
@_audit_limits
def agency_activity(request):
    if not access.is_agency_admin(request.user):
        raise Http404
    agency = access.agency_of(request.user)
    return _audit_page(request, events=selectors.agency_activity(user=request.user), scope=agency.acronym,
                       title=_("Activity of %(agency)s officers") % {"agency": agency.acronym})


@login_required
@_audit_limits
def audit_search(request):
    if not access.is_auditor(request.user):
        raise Http404
    return _audit_page(request, events=selectors.audit_trail(user=request.user), scope="portal",
                       title=_("Audit trail"))


# --- notifications --------------------------------------------------------------------------------

@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(n, *notifications.describe(n, request.user)) for n in page]
    # Notices name the cases the reader may see (describe() leaves the others out): a list of them.
    about = {n.case_id for n in page if n.case_id}
    shown = selectors.case_list(user=request.user).filter(pk__in=about) if about else ()
    audit.record(action=Action.CASE_LIST, door=Door.PAGE, user=request.user, page="notifications",
                 query=request.GET.dict(), returned=list(shown))
    return render(request, "partnerships/notifications.html", {"page": page, "items": items})


@login_required
@require_POST
def notification_mark_read(request):
    selectors.notifications_for(user=request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("partnerships:notifications")


# --- agency administration ------------------------------------------------------------------------

def _require_agency_admin(request):
    if not access.is_agency_admin(request.user):
        raise Http404


@login_required
def agency_officers(request):
    _require_agency_admin(request)
    form = OfficerInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "username"}
        try:
            officer = services.officer_invite(by=request.user, username=form.cleaned_data["username"], **fields)
        except services.OfficerRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("%(name)s invited: an email with a link to choose a password is on its way.")
                             % {"name": f"{officer.first_name} {officer.last_name}"})
            return redirect("partnerships:agency_officers")
    if request.method == "GET":  # a POST records the invitation
        reads.team_list_read(user=request.user, door=Door.PAGE, object_type="officer", query=request.GET.dict())
    return render(request, "partnerships/agency_officers.html", {
        "officers": selectors.agency_officers(user=request.user), "form": form,
        "agency": access.agency_of(request.user),
    })


@login_required
def agency_officer_edit(request, pk):
    _require_agency_admin(request)
    officer = get_object_or_404(selectors.agency_officers(user=request.user), pk=pk)
    if request.method == "GET":  # a POST records the change
        reads.team_record_read(user=request.user, door=Door.PAGE, object_type="officer", object_ref=officer.pk)
    form = OfficerForm(request.POST or None, instance=officer)
    deactivate_form = DeactivateForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_update(by=request.user, officer=officer, **form.cleaned_data)
        except services.OfficerRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Officer saved."))
            return redirect("partnerships:agency_officers")
    return render(request, "partnerships/agency_officer_form.html", {
        "form": form, "officer": officer, "deactivate_form": deactivate_form,
        "locked": officer.user is not None and accounts.is_locked(officer.user),
        "has_second_factor": officer.user is not None and accounts.has_second_factor(officer.user),
    })


@login_required
@require_POST
def agency_officer_set_active(request, pk):
    _require_agency_admin(request)
    officer = get_object_or_404(selectors.agency_officers(user=request.user), pk=pk)
    activate = request.POST.get("active") == "1"
    form = DeactivateForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.officer_set_active(by=request.user, officer=officer, active=activate, reason=reason)
    except services.OfficerRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("partnerships:agency_officer_edit", pk=officer.pk)
    messages.success(request, _("Officer reactivated.") if activate else _("Officer deactivated."))
    return redirect("partnerships:agency_officers")


@login_required
@require_POST
def agency_officer_unlock(request, pk):
    _require_agency_admin(request)
    officer = get_object_or_404(selectors.agency_officers(user=request.user), pk=pk)
    accounts.account_unlock(by=request.user, officer=officer)
    messages.success(request, _("The login of %(name)s is unlocked.") % {"name": officer})
    return redirect("partnerships:agency_officer_edit", pk=officer.pk)


@login_required
@require_POST
def agency_officer_mfa_reset(request, pk):
    _require_agency_admin(request)
    officer = get_object_or_404(selectors.agency_officers(user=request.user), pk=pk)
    try:
        accounts.mfa_reset(by=request.user, officer=officer)
    except accounts.AccountRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The second factor of %(name)s is reset: they set it up again at their next "
                                    "sign-in.") % {"name": officer})
    return redirect("partnerships:agency_officer_edit", pk=officer.pk)


@login_required
def agency_tokens(request):
    _require_agency_admin(request)
    if request.method == "POST":
        token = get_object_or_404(selectors.agency_tokens(user=request.user),
                                  pk=limits.id_from(request.POST.get("token")))
        services.api_token_revoke(token=token, by=request.user)
        messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
        return redirect("partnerships:agency_tokens")
    return _tokens_page(request, _token_form(request))


def _token_form(request, data=None):
    return ApiTokenIssueForm(data, officers=selectors.officers_for_tokens(user=request.user))


def _tokens_page(request, form):
    return render(request, "partnerships/agency_tokens.html",
                  {"tokens": selectors.agency_tokens(user=request.user), "now": timezone.now(), "form": form})


@login_required
@require_POST
def agency_token_issue(request):
    _require_agency_admin(request)
    form = _token_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            token, key = services.api_token_issue(user=data["officer"].user, read_only=data["read_only"],
                                                  days=data["days"], name=data["name"], by=request.user,
                                                  door=Door.PAGE)
        except services.OfficerRefused as refusal:
            form.add_error(None, str(refusal))
        else:  # the key is on this answer only: only its hash is kept
            response = render(request, "partnerships/agency_token_key.html", {"token": token, "key": key})
            response["Cache-Control"] = "no-store"
            return response
    return _tokens_page(request, form)


# --- cross-designations ---------------------------------------------------------------------------

@login_required
def designation_list(request):
    if access.agency_of(request.user) is None:
        raise Http404
    filterset = DesignationFilter(request.GET, queryset=selectors.designation_register(user=request.user))
    designations = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(selectors.designations_expiring_first(designations), 50).get_page(request.GET.get("page"))
    reads.team_list_read(user=request.user, door=Door.PAGE, object_type="cross_designation", query=request.GET.dict())
    agency = access.agency_of(request.user)
    return render(request, "partnerships/designation_list.html", {
        "filter": filterset, "page": page, "query": _query_without_page(request).urlencode(),
        "can_designate": access.can_designate(request.user, agency), "today": timezone.localdate(),
    })


@login_required
def designation_create(request):
    agency = access.agency_of(request.user)
    if agency is None or not access.can_designate(request.user, agency):
        raise Http404
    form = DesignationForm(request.POST or None, officers=selectors.officers_to_designate(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.designation_grant(by=request.user, **form.cleaned_data)
        except services.OfficerRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Designation recorded."))
            return redirect("partnerships:designation_list")
    return render(request, "partnerships/designation_form.html", {
        "form": form, "agency": agency, "shiprider_countries": selectors.shiprider_countries_designated_by(agency)})


@login_required
def designation_renew(request, pk):
    designation = get_object_or_404(selectors.designation_register(user=request.user), pk=pk)
    if not access.can_decide_designation(request.user, designation):
        raise PermissionDenied
    if request.method == "GET":  # a POST records the renewal
        reads.team_record_read(user=request.user, door=Door.PAGE, object_type="cross_designation",
                               object_ref=designation.pk)
    form = DesignationRenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            renewal = services.designation_renew(by=request.user, designation=designation, **form.cleaned_data)
        except services.OfficerRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Designation renewed from %(start)s to %(end)s.")
                             % {"start": renewal.valid_from.isoformat(), "end": renewal.valid_to.isoformat()})
            return redirect("partnerships:designation_detail", pk=renewal.pk)
    return render(request, "partnerships/designation_renew.html", {"designation": designation, "form": form})


@login_required
def designation_detail(request, pk):
    designation = get_object_or_404(selectors.designation_register(user=request.user), pk=pk)
    can_change = access.can_decide_designation(request.user, designation)
    if request.method == "GET":  # a POST records the change
        reads.team_record_read(user=request.user, door=Door.PAGE, object_type="cross_designation",
                               object_ref=designation.pk)
    form = DesignationStatusForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.designation_set_status(by=request.user, designation=designation, **form.cleaned_data)
            except services.OfficerRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Designation updated."))
                return redirect("partnerships:designation_detail", pk=designation.pk)
    renewal = selectors.designation_renewal(designation=designation)
    return render(request, "partnerships/designation_detail.html", {
        "designation": designation, "form": form, "can_change": can_change, "renewal": renewal,
        "can_renew": can_change and renewal is None and designation.status == "active"
        and designation.valid_to >= timezone.localdate(),
    })


# --- search -----------------------------------------------------------------------------------------

@login_required
@limit_search("q")
def search_page(request):
    """Everything the reader may see that matches, grouped by kind; one kind's pages with ?kind=. Recorded."""
    form = SearchForm(request.GET)
    valid = form.is_valid()
    text = form.cleaned_data.get("q", "") if valid else ""
    results = search.run(user=request.user, text=text, kind=form.cleaned_data.get("kind") or None,
                         page=form.cleaned_data.get("page") or 1) if valid else search.Results(
        terms=search.Terms.parse(""), groups=[])
    search.record(user=request.user, door=Door.PAGE, results=results, query=request.GET.dict())
    query = _query_without_page(request)
    query.pop("kind", None)
    return render(request, "partnerships/search.html", {
        "form": form, "results": results, "kind": form.cleaned_data.get("kind") if valid else "",
        "query": query.urlencode()})
