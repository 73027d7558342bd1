"""CBCF reads: the secretariat sees every meeting; a participant sees the meetings they are invited to."""

from django.db.models import Q

from cbcf import services
from cbcf.models import ActionItem, Initiative, Meeting, Subgroup
from partnerships import access


def meeting_list(*, user):
    if services.is_secretariat(user):
        return Meeting.objects.select_related("subgroup")
    officer = access.officer_of(user)
    if officer is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(participants__officer=officer).select_related("subgroup").distinct()


def action_register(*, user):
    """The secretariat sees every action; others those of their meetings or owned by their agency."""
    actions = ActionItem.objects.select_related("owner", "meeting", "case")
    if services.is_secretariat(user):
        return actions
    agency = access.agency_of(user)
    if agency is None:
        return actions.none()
    return actions.filter(Q(meeting__in=meeting_list(user=user)) | Q(owner=agency)).distinct()


def initiative_list():
    return Initiative.objects.prefetch_related("owners", "updates")


def subgroup_list():
    return Subgroup.objects.select_related("canadian_co_chair__agency", "american_co_chair__agency")


def visible_case_ids(*, user, actions):
    return set(access.cases_visible_to(user).filter(pk__in=[a.case_id for a in actions if a.case_id])
               .values_list("pk", flat=True))
