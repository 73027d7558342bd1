"""BEST's kind in the portal's search (partnerships/search.py): target organizations, seen exactly by those who
see their investigation's case (access.case_records_visible_to, the rule of investigation_list)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from best.models import TargetOrganization
from partnerships import access, search


def _target(target):
    case = target.investigation.case
    return {"url": reverse("best:investigation_detail", args=[case.reference]),
            "about": f"{target.get_kind_display()} · {case.reference} — {case.title}"}


TARGETS = search.Searchable(
    name="target", label=_("BEST targets"), model=TargetOrganization,
    visible=lambda user: access.case_records_visible_to(user, TargetOrganization.objects.all(),
                                                        via="investigation__case"),
    columns=("name", "aliases"), title="name", snippet="aliases", describe=_target,
    case_of=lambda target: target.investigation.case_id, select_related=("investigation__case",),
)


def register():
    search.register(TARGETS)
