"""BEST writes: atomic, audited, keyword-only."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from best.models import (
    Arrest,
    Charge,
    Conviction,
    Investigation,
    Membership,
    MlatRequest,
    OrganizationMember,
    Referral,
    StageChange,
    TargetOrganization,
    Unit,
)
from partnerships import access, audit
from partnerships import services as core_services
from partnerships.models import AccessLevel, AuditEvent, CrossDesignation, EnforcementResult, Subject

MLAT_SILENCE_DAYS = 90
STAGE_ORDER = [Investigation.Stage.INITIATED, Investigation.Stage.ACTIVE, Investigation.Stage.DISRUPTED,
               Investigation.Stage.DISMANTLED, Investigation.Stage.CLOSED]


class BestRefused(Exception):
    """A BEST write the rules forbid; the message says why."""


def _record(by, investigation, what, *, door=AuditEvent.Door.PAGE, **detail):
    audit.record(action=AuditEvent.Action.CASE_RECORD, door=door, user=by,
                 case=investigation.case, record=what, **detail)


def _require(by, investigation, level):
    if not access.can(by, investigation.case, level):
        raise BestRefused(_("Your agency's level of access does not allow this."))


def _person(investigation, subject):
    if subject.case_id != investigation.case_id or subject.kind != Subject.Kind.PERSON:
        raise BestRefused(_("Choose a person who is a subject of this case."))


@transaction.atomic
def investigation_open(*, by, unit, title, summary, priorities, foreign_nexus,
                       releasability="ca_us", handling_code="H0", door=AuditEvent.Door.PAGE):
    """A unit member's agency opens a BEST joint case with its investigation."""
    agency = access.agency_of(by)
    if agency is None or not unit.team.member_agencies.filter(pk=agency.pk).exists():
        raise BestRefused(_("Only officers of the unit's member agencies open its investigations."))
    if unit.status == Unit.Status.PLANNED:
        raise BestRefused(_("%(unit)s is planned, not yet at work: its investigations open once it is active.")
                          % {"unit": unit.name})
    if not priorities or set(priorities) - set(Investigation.Priority.values):
        raise BestRefused(_("Choose at least one priority category."))
    if not (foreign_nexus or "").strip():
        raise BestRefused(_("Describe the foreign nexus."))
    try:
        case = core_services.case_create(by=by, title=title, summary=summary, program="best",
                                         releasability=releasability, handling_code=handling_code, door=door)
    except core_services.CaseRefused as refusal:
        raise BestRefused(str(refusal)) from refusal
    investigation = Investigation.objects.create(case=case, unit=unit, priorities=sorted(priorities),
                                                 foreign_nexus=foreign_nexus.strip())
    StageChange.objects.create(investigation=investigation, stage=Investigation.Stage.INITIATED,
                               on=timezone.localdate(), decided_by=by)
    _record(by, investigation, "investigation", door=door, unit=unit.name, priorities=investigation.priorities)
    return investigation


@transaction.atomic
def investigation_stage(*, by, investigation, stage, on, note="", door=AuditEvent.Door.PAGE):
    """Move the investigation along its lifecycle (forward only), on the written definitions. The stage moves the
    case's status, so it takes the right to change the case (on an H2 or stricter case, the lead agency's only)."""
    refusal = access.control_refusal(by, investigation.case)
    if refusal:
        raise BestRefused(refusal)
    if STAGE_ORDER.index(stage) <= STAGE_ORDER.index(investigation.stage):
        raise BestRefused(_("An investigation moves forward: it is already %(stage)s.")
                          % {"stage": investigation.get_stage_display()})
    last = investigation.stages.order_by("-on").values_list("on", flat=True).first()
    if last and on < last:
        raise BestRefused(_("This step cannot come before the previous one (%(date)s).") % {"date": last})
    investigation.stage = stage
    investigation.save(update_fields=["stage", "updated_at"])
    StageChange.objects.create(investigation=investigation, stage=stage, on=on, decided_by=by, note=note)
    case_status = "closed" if stage == Investigation.Stage.CLOSED else "active"
    if investigation.case.status != case_status:
        core_services.case_update(case=investigation.case, by=by, status=case_status, door=door)
    _record(by, investigation, "stage", door=door, stage=stage, on=str(on))
    return investigation


@transaction.atomic
def target_add(*, by, investigation, name, kind, aliases="", linked=(), door=AuditEvent.Door.PAGE):
    _require(by, investigation, AccessLevel.CONTRIBUTE)
    target = TargetOrganization.objects.create(investigation=investigation, name=name.strip(), kind=kind,
                                               aliases=aliases.strip())
    target.linked.set([other for other in linked if other.investigation_id == investigation.pk])
    _record(by, investigation, "target", door=door, target=target.name)
    return target


@transaction.atomic
def member_add(*, by, organization, subject, role, door=AuditEvent.Door.PAGE):
    investigation = organization.investigation
    _require(by, investigation, AccessLevel.CONTRIBUTE)
    _person(investigation, subject)
    if organization.members.filter(subject=subject).exists():
        raise BestRefused(_("%(name)s is already a known member.") % {"name": subject.name})
    member = OrganizationMember.objects.create(organization=organization, subject=subject, role=role.strip())
    _record(by, investigation, "member", door=door, target=organization.name, subject=subject.pk)
    return member


def title19_refusal(*, officer, designation, on, not_active=""):
    """Why `designation` does not let `officer` serve as a task force officer on `on` (19 USC 1401), or None. It must
    be the officer's own Title 19 designation, and it (or its renewal) active that day and no longer than two years
    (a longer one, recorded before the limit, must be recertified)."""
    name = core_services.officer_full_name(officer)
    if designation is None or designation.kind != CrossDesignation.Kind.TITLE19:
        return _("A task force officer serves under a Title 19 designation: choose %(name)s's.") % {"name": name}
    if designation.officer_id != officer.pk:
        return _("This Title 19 designation is not %(name)s's own: a task force officer serves under their own.") \
            % {"name": name}
    in_force = designation.in_force_on(on)
    if in_force is None:
        return not_active or _("The Title 19 designation of %(name)s is not active on %(date)s.") % {
            "name": name, "date": on.isoformat()}
    if in_force.valid_to > core_services.title19_latest_end(in_force.valid_from):
        return _("The Title 19 designation of %(name)s runs from %(start)s to %(end)s, longer than two years: its "
                 "designating agency must recertify it.") % {
            "name": name, "start": in_force.valid_from.isoformat(), "end": in_force.valid_to.isoformat()}
    return None


def enforcement_actor_check(*, by, investigation, on):
    """Arrests and seizures are recorded by the unit's members; a task force officer only while their own Title 19
    designation (or its renewal) is active (19 USC 1401)."""
    officer = access.officer_of(by)
    membership = Membership.objects.filter(
        unit=investigation.unit, officer=officer, starts_on__lte=on).exclude(ends_on__lt=on).select_related(
        "designation").first() if officer else None
    if membership is None:
        raise BestRefused(_("Only members of %(unit)s record its enforcement actions.")
                          % {"unit": investigation.unit.name})
    if membership.role == Membership.Role.TASK_FORCE_OFFICER:
        refusal = title19_refusal(officer=officer, designation=membership.designation, on=on, not_active=_(
            "Your Title 19 designation is not active on %(date)s: a task force officer records enforcement actions "
            "only while designated.") % {"date": on.isoformat()})
        if refusal:
            raise BestRefused(refusal)


# --- unit members ---------------------------------------------------------------------------------

def can_manage_members(user, unit):
    """The unit's members are managed by the administrators of the agency that leads every BEST unit (HSI;
    settings.BEST_LEAD_AGENCY)."""
    return access.administers_team(user, unit.team, settings.BEST_LEAD_AGENCY)


def _require_member_manager(by, unit):
    if not can_manage_members(by, unit):
        raise BestRefused(_("Only an administrator of %(agency)s, which leads %(unit)s, manages its members.")
                          % {"agency": settings.BEST_LEAD_AGENCY, "unit": unit.name})


@transaction.atomic
def membership_add(*, by, unit, officer, role, starts_on, ends_on=None, designation=None, door=AuditEvent.Door.PAGE):
    """Put an officer of a member agency on the unit, in a role, from a date; a task force officer under their own
    Title 19 designation, valid on the first day (title19_refusal)."""
    _require_member_manager(by, unit)
    name = core_services.officer_full_name(officer)
    if not officer.is_active or not unit.team.member_agencies.filter(pk=officer.agency_id).exists():
        raise BestRefused(_("%(name)s is not an active officer of the unit's member agencies.") % {"name": name})
    if role not in Membership.Role.values:
        raise BestRefused(_("Choose the role."))
    if ends_on and ends_on < starts_on:
        raise BestRefused(_("The membership cannot end before it starts."))
    if role == Membership.Role.TASK_FORCE_OFFICER:
        refusal = title19_refusal(officer=officer, designation=designation, on=starts_on)
        if refusal:
            raise BestRefused(refusal)
    elif designation is not None:
        raise BestRefused(_("Only a task force officer serves under a Title 19 designation."))
    # Locked: two additions of the same officer at once wait for each other instead of overlapping.
    list(Membership.objects.select_for_update().filter(unit=unit, officer=officer).values_list("pk"))
    overlapping = Membership.objects.filter(unit=unit, officer=officer).exclude(ends_on__lt=starts_on)
    if ends_on:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if overlapping.exists():
        raise BestRefused(_("%(name)s is already a member of %(unit)s for part of that time.")
                          % {"name": name, "unit": unit.name})
    membership = Membership.objects.create(unit=unit, officer=officer, role=role, starts_on=starts_on,
                                           ends_on=ends_on, designation=designation)
    audit.record(action=AuditEvent.Action.TEAM_RECORD, door=door, user=by,
                 object_type="unit_membership", object_ref=str(membership.pk), unit=unit.name,
                 officer=officer.badge_number, role=role, starts_on=str(starts_on),
                 ends_on=str(ends_on) if ends_on else None, designation=designation.pk if designation else None)
    return membership


@transaction.atomic
def unit_set_status(*, by, unit, status, door=AuditEvent.Door.PAGE):
    """Mark a unit planned (not yet at work: no investigation opens in it) or active; its leading agency's
    administrators decide, as they manage its members."""
    _require_member_manager(by, unit)
    if status not in Unit.Status.values:
        raise BestRefused(_("Choose the unit's status."))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.status == status:
        return unit
    old, unit.status = unit.status, status
    unit.save(update_fields=["status", "updated_at"])
    audit.record(action=AuditEvent.Action.TEAM_RECORD, door=door, user=by, object_type="best_unit",
                 object_ref=str(unit.pk), status={"old": old, "new": status})
    return unit


@transaction.atomic
def membership_end(*, by, membership, ends_on, door=AuditEvent.Door.PAGE):
    """End a membership on a date (not before it started); the record stays."""
    _require_member_manager(by, membership.unit)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if ends_on < membership.starts_on:
        raise BestRefused(_("The membership cannot end before it starts (%(date)s).")
                          % {"date": membership.starts_on.isoformat()})
    if membership.ends_on and membership.ends_on <= ends_on:
        raise BestRefused(_("This membership already ends on %(date)s.") % {"date": membership.ends_on.isoformat()})
    old = membership.ends_on
    membership.ends_on = ends_on
    membership.save(update_fields=["ends_on"])
    audit.record(action=AuditEvent.Action.TEAM_RECORD, door=door, user=by,
                 object_type="unit_membership", object_ref=str(membership.pk),
                 ends_on={"old": str(old) if old else None, "new": str(ends_on)})
    return membership


class DuplicateArrest(BestRefused):
    """The person is already recorded as arrested that day: recorded again only when the caller confirms."""


@transaction.atomic
def arrest_record(*, by, investigation, subject, arrested_on, charging_country, nationality, confirm_duplicate=False,
                  door=AuditEvent.Door.PAGE):
    """An arrest of a person subject of the case, from a page or through the API (`door`). The same person already
    recorded as arrested that day is most often the same arrest entered twice: refused unless `confirm_duplicate`
    says it is a second one."""
    _require(by, investigation, AccessLevel.CONTRIBUTE)
    _person(investigation, subject)
    enforcement_actor_check(by=by, investigation=investigation, on=arrested_on)
    if not confirm_duplicate and investigation.arrests.filter(subject=subject, arrested_on=arrested_on).exists():
        raise DuplicateArrest(_("%(name)s is already recorded as arrested on %(date)s. If this is a second arrest "
                                "that day, confirm it and record it again.")
                              % {"name": subject.name, "date": arrested_on.isoformat()})
    when = datetime.datetime.combine(arrested_on, datetime.time(12), timezone.get_current_timezone())
    result = EnforcementResult.objects.create(kind="arrest", category="persons", quantity=1, unit="count",
                                              occurred_at=when, case=investigation.case, recorded_by=by,
                                              description=subject.name[:300])
    arrest = Arrest.objects.create(investigation=investigation, subject=subject, arrested_on=arrested_on,
                                   charging_country=charging_country, nationality=nationality.strip(),
                                   result=result, recorded_by=by)
    _record(by, investigation, "arrest", door=door, subject=subject.pk, on=str(arrested_on))
    return arrest


@transaction.atomic
def seizure_record(*, by, investigation, seized_on, category, quantity, unit, description="",
                   door=AuditEvent.Door.PAGE):
    """A seizure in the case, from a page or through the API (`door`)."""
    _require(by, investigation, AccessLevel.CONTRIBUTE)
    enforcement_actor_check(by=by, investigation=investigation, on=seized_on)
    when = datetime.datetime.combine(seized_on, datetime.time(12), timezone.get_current_timezone())
    result = EnforcementResult.objects.create(kind="seizure", category=category, quantity=quantity, unit=unit,
                                              description=description, occurred_at=when, case=investigation.case,
                                              recorded_by=by)
    _record(by, investigation, "seizure", door=door, category=category, quantity=str(quantity), unit=unit)
    return result


@transaction.atomic
def charge_record(*, by, investigation, subject, court, jurisdiction, charged_on, counts,
                  door=AuditEvent.Door.PAGE):
    _require(by, investigation, AccessLevel.CONTRIBUTE)
    _person(investigation, subject)
    charge = Charge.objects.create(investigation=investigation, subject=subject, court=court.strip(),
                                   jurisdiction=jurisdiction.strip(), charged_on=charged_on, counts=counts,
                                   recorded_by=by)
    _record(by, investigation, "charge", door=door, subject=subject.pk, on=str(charged_on))
    return charge


@transaction.atomic
def conviction_record(*, by, investigation, subject, court, convicted_on, sentence, door=AuditEvent.Door.PAGE):
    """A conviction needs an earlier indictment or charge against the same person in the same case."""
    _require(by, investigation, AccessLevel.CONTRIBUTE)
    _person(investigation, subject)
    charge = investigation.charges.filter(subject=subject, charged_on__lte=convicted_on).order_by(
        "-charged_on").first()
    if charge is None:
        raise BestRefused(_("%(name)s has no earlier indictment or charge in this case: record it first.")
                          % {"name": subject.name})
    conviction = Conviction.objects.create(investigation=investigation, subject=subject, charge=charge,
                                           court=court.strip(), convicted_on=convicted_on,
                                           sentence=sentence.strip(), recorded_by=by)
    _record(by, investigation, "conviction", door=door, subject=subject.pk, on=str(convicted_on))
    return conviction


@transaction.atomic
def referral_record(*, by, investigation, country, office, referred_on, door=AuditEvent.Door.PAGE):
    _require(by, investigation, AccessLevel.CONTRIBUTE)
    referral = Referral.objects.create(investigation=investigation, country=country, office=office.strip(),
                                       referred_on=referred_on)
    _record(by, investigation, "referral", door=door, office=referral.office)
    return referral


@transaction.atomic
def referral_decide(*, by, referral, status, on, door=AuditEvent.Door.PAGE):
    """The prosecutors accepted or declined the referral, on a date."""
    _require(by, referral.investigation, AccessLevel.CONTRIBUTE)
    if on < referral.referred_on:
        raise BestRefused(_("The decision cannot come before the referral (%(date)s).")
                          % {"date": referral.referred_on})
    referral.status, referral.decided_on = status, on
    referral.save()
    _record(by, referral.investigation, "referral_decision", door=door, status=status, on=str(on))
    return referral


@transaction.atomic
def mlat_record(*, by, investigation, requesting_country, asked, sent_on, door=AuditEvent.Door.PAGE):
    _require(by, investigation, AccessLevel.CONTRIBUTE)
    request = MlatRequest.objects.create(investigation=investigation, requesting_country=requesting_country,
                                         asked=asked.strip(), sent_on=sent_on, last_news_on=sent_on, owner=by)
    _record(by, investigation, "mlat", door=door, requesting_country=requesting_country, sent_on=str(sent_on))
    return request


@transaction.atomic
def mlat_update(*, by, request, status, on, door=AuditEvent.Door.PAGE):
    """News on a request: acknowledged, executed or withdrawn, on a date."""
    _require(by, request.investigation, AccessLevel.CONTRIBUTE)
    if on < request.last_news_on:
        raise BestRefused(_("This news cannot be older than the last (%(date)s).") % {"date": request.last_news_on})
    request.status, request.last_news_on = status, on
    if status == MlatRequest.Status.ACKNOWLEDGED:
        request.acknowledged_on = on
    if status == MlatRequest.Status.EXECUTED:
        request.executed_on = on
    request.save()
    _record(by, request.investigation, "mlat_news", door=door, status=status, on=str(on))
    return request


def mlat_stalled(today=None):
    today = today or timezone.localdate()
    return MlatRequest.objects.filter(
        status__in=[MlatRequest.Status.SENT, MlatRequest.Status.ACKNOWLEDGED],
        last_news_on__lte=today - datetime.timedelta(days=MLAT_SILENCE_DAYS))


def mlat_stalled_daily(*, today=None):
    """Celery beat, daily: remind the owners of requests without news for 90 days (once per silence)."""
    from partnerships import notifications
    from partnerships.models import Notification

    reminded = 0
    for request in mlat_stalled(today).select_related("investigation__case", "owner__officer"):
        if request.reminded_on and request.reminded_on >= request.last_news_on:
            continue
        officer = getattr(request.owner, "officer", None)
        if officer:
            notifications.send_case_notice(kind=Notification.Kind.MLAT_STALLED, officers=[officer],
                                           case=request.investigation.case,
                                           detail={"since": request.last_news_on.isoformat()})
        MlatRequest.objects.filter(pk=request.pk).update(reminded_on=today or timezone.localdate())
        reminded += 1
    return reminded
