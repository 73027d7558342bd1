from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from partnerships import access
from shiprider import selectors, services
from shiprider.forms import CrewFormSet, PatrolForm


def _require_officer(request):
    if access.agency_of(request.user) is None:
        raise Http404


@login_required
def patrol_list(request):
    _require_officer(request)
    patrols = selectors.patrol_list(user=request.user)
    site = request.GET.get("site")
    if site and site.isdigit():
        patrols = patrols.filter(site_id=int(site))
    page = Paginator(patrols, 25).get_page(request.GET.get("page"))
    return render(request, "shiprider/patrol_list.html",
                  {"page": page, "sites": selectors.site_list(user=request.user), "site": site})


@login_required
def patrol_detail(request, pk):
    patrol = get_object_or_404(selectors.patrol_list(user=request.user), pk=pk)
    return render(request, "shiprider/patrol_detail.html", {"patrol": patrol})


@login_required
def patrol_schedule(request):
    _require_officer(request)
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
