"""The agency administrator's webhook pages: endpoints, their secret (shown once), their deliveries."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerships import access
from portal import limits
from webhooks import selectors, services
from webhooks.forms import DeliveryFilterForm, EndpointForm, RotateForm

PAGE_SIZE = 50


def _endpoint(request, pk):
    if not access.is_agency_admin(request.user):
        raise Http404
    return get_object_or_404(selectors.endpoints_of(user=request.user), pk=limits.id_from(str(pk)))


@login_required
def endpoint_list(request):
    if not access.is_agency_admin(request.user):
        raise Http404
    return render(request, "webhooks/endpoint_list.html", {"endpoints": selectors.endpoints_of(user=request.user)})


@login_required
def endpoint_create(request):
    if not access.is_agency_admin(request.user):
        raise Http404
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.endpoint_register(by=request.user, **form.cleaned_data)
        except services.WebhookRefused as refusal:
            form.add_error(None, str(refusal))
        else:  # the secret is shown on this answer only: it is never shown again
            return render(request, "webhooks/endpoint_secret.html", {"endpoint": endpoint, "secret": secret,
                                                                     "created": True})
    return render(request, "webhooks/endpoint_form.html", {"form": form})


@login_required
def endpoint_detail(request, pk):
    endpoint = _endpoint(request, pk)
    form = EndpointForm(request.POST or None, initial={
        "url": endpoint.url, "description": endpoint.description, "event_types": endpoint.event_types,
        "program": endpoint.program})
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(by=request.user, endpoint=endpoint, **form.cleaned_data)
        except services.WebhookRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Endpoint saved."))
            return redirect("webhooks:endpoint_detail", pk=endpoint.pk)
    recent = selectors.deliveries_of(user=request.user, endpoint=endpoint)[:10]
    return render(request, "webhooks/endpoint_detail.html", {
        "endpoint": endpoint, "form": form, "rotate_form": RotateForm(), "deliveries": recent})


@login_required
@require_POST
def endpoint_rotate(request, pk):
    endpoint = _endpoint(request, pk)
    form = RotateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how long the old secret keeps signing."))
        return redirect("webhooks:endpoint_detail", pk=endpoint.pk)
    try:
        secret = services.endpoint_rotate_secret(by=request.user, endpoint=endpoint, **form.cleaned_data)
    except services.WebhookRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("webhooks:endpoint_detail", pk=endpoint.pk)
    endpoint.refresh_from_db()
    return render(request, "webhooks/endpoint_secret.html", {"endpoint": endpoint, "secret": secret})


@login_required
@require_POST
def endpoint_set_active(request, pk):
    endpoint = _endpoint(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.endpoint_update(by=request.user, endpoint=endpoint, is_active=active)
    except services.WebhookRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Endpoint enabled.") if active else _("Endpoint disabled."))
    return redirect("webhooks:endpoint_detail", pk=endpoint.pk)


@login_required
def delivery_list(request, pk):
    endpoint = _endpoint(request, pk)
    filters = DeliveryFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else None
    deliveries = selectors.deliveries_of(user=request.user, endpoint=endpoint, status=status)
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "webhooks/delivery_list.html", {"endpoint": endpoint, "page": page, "filters": filters,
                                                           "query": urlencode({"status": status}) if status else ""})


@login_required
@require_POST
def delivery_resend(request, pk):
    if not access.is_agency_admin(request.user):
        raise Http404
    delivery = get_object_or_404(selectors.deliveries_of(user=request.user), pk=limits.id_from(str(pk)))
    try:
        services.delivery_resend(by=request.user, delivery=delivery)
    except services.WebhookRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The delivery will be sent again."))
    return redirect("webhooks:delivery_list", pk=delivery.endpoint_id)
