from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerships import access, selectors, services
from partnerships.access import SharingRefused
from partnerships.filters import CaseFilter
from partnerships.forms import CaseCreateForm, CaseEditForm, ShareForm, UnshareForm
from partnerships.models import AccessLevel, AuditEvent

PAGE_SIZE = 25


def _ip(request):
    return request.META.get("REMOTE_ADDR")


def _case_or_404(request, reference, level=AccessLevel.VIEW):
    case = get_object_or_404(selectors.case_list(user=request.user), reference=reference)
    if level != AccessLevel.VIEW and not access.can(request.user, case, level):
        raise PermissionDenied
    return case


@login_required
def case_list(request):
    filterset = CaseFilter(request.GET, queryset=selectors.case_list(user=request.user))
    cases = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "partnerships/case_list.html",
                  {"filter": filterset, "page": page, "query": query.urlencode()})


@login_required
def case_detail(request, reference):
    case = _case_or_404(request, reference)
    services.audit_record(user=request.user, action="case.view", door=AuditEvent.Door.PAGE, case=case,
                          ip_address=_ip(request))
    can_manage = access.can(request.user, case, AccessLevel.MANAGE)
    return render(request, "partnerships/case_detail.html", {
        "case": case, "shares": selectors.case_shares(case=case), "can_manage": can_manage,
    })


@login_required
def case_create(request):
    if access.agency_of(request.user) is None:
        raise PermissionDenied
    form = CaseCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(by=request.user, ip_address=_ip(request), **form.cleaned_data)
        except services.CaseRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
            return redirect(case)
    return render(request, "partnerships/case_form.html", {"form": form})


@login_required
def case_edit(request, reference):
    case = _case_or_404(request, reference, AccessLevel.MANAGE)
    form = CaseEditForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(case=case, by=request.user, ip_address=_ip(request), **form.cleaned_data)
        except services.CaseRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Case %(reference)s saved.") % {"reference": case.reference})
            return redirect(case)
    return render(request, "partnerships/case_form.html", {"form": form, "case": case})


@login_required
def case_sharing(request, reference):
    case = _case_or_404(request, reference, AccessLevel.MANAGE)
    form = ShareForm(request.POST or None, agencies=selectors.agencies_to_share_with(case=case))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_share(case=case, by=request.user, ip_address=_ip(request), **form.cleaned_data)
        except SharingRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Case shared with %(agency)s.") % {"agency": form.cleaned_data["agency"]})
            return redirect("partnerships:case_sharing", reference=case.reference)
    return _render_sharing(request, case, form, UnshareForm())


@login_required
@require_POST
def case_unshare(request, reference):
    case = _case_or_404(request, reference, AccessLevel.MANAGE)
    form = UnshareForm(request.POST)
    if form.is_valid():
        try:
            services.case_unshare(case=case, by=request.user, ip_address=_ip(request), **form.cleaned_data)
        except SharingRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Share with %(agency)s revoked.") % {"agency": form.cleaned_data["agency"]})
            return redirect("partnerships:case_sharing", reference=case.reference)
    share_form = ShareForm(agencies=selectors.agencies_to_share_with(case=case))
    return _render_sharing(request, case, share_form, form, status=400)


def _render_sharing(request, case, share_form, unshare_form, status=200):
    return render(request, "partnerships/case_sharing.html", {
        "case": case, "form": share_form, "unshare_form": unshare_form,
        "shares": selectors.case_shares(case=case), "history": selectors.case_sharing_history(case=case),
        "levels": AccessLevel.choices,
    }, status=status)
