"""Writes to the shared core: atomic, audited, keyword-only."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships import access
from partnerships.access import SharingRefused
from partnerships.models import AccessLevel, AuditEvent, Country, JointCase, SharingDecision
from partnerships.models import CaseReferenceCounter as Counter


class CaseRefused(Exception):
    """A case write that the rules forbid; the message says why, in the user's language."""


def audit_record(*, user, action, door, case=None, ip_address=None, **detail):
    """Append one audit line. The caller's transaction decides whether it is kept."""
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        agency=access.agency_of(user),
        action=action,
        door=door,
        case=case,
        ip_address=ip_address,
        detail=detail,
    )


def case_reference_next(*, program, year):
    """The next reference for the program and year, e.g. IBET-2026-000123. Never handed out twice."""
    with transaction.atomic():
        counter, _created = Counter.objects.select_for_update().get_or_create(program=program, year=year)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    return f"{program.upper()}-{year}-{counter.last_number:06d}"


def _check_releasability(*, lead_agency, releasability):
    lead_only = {Country.CA: JointCase.Releasability.US_ONLY, Country.US: JointCase.Releasability.CA_ONLY}
    if releasability == lead_only[lead_agency.country]:
        raise CaseRefused(
            _("A case led by %(agency)s cannot be releasable to the other country only.")
            % {"agency": lead_agency.acronym}
        )


@transaction.atomic
def case_create(*, by, title, summary, program, releasability, handling_code, opened_at=None, ip_address=None):
    """Open a case led by the creator's agency, which manages it from the start."""
    lead_agency = access.agency_of(by)
    if lead_agency is None:
        raise CaseRefused(_("Only an officer of an active agency can open a case."))
    _check_releasability(lead_agency=lead_agency, releasability=releasability)
    opened_at = opened_at or timezone.localdate()
    case = JointCase.objects.create(
        reference=case_reference_next(program=program, year=opened_at.year),
        title=title,
        summary=summary,
        program=program,
        releasability=releasability,
        handling_code=handling_code,
        lead_agency=lead_agency,
        opened_at=opened_at,
        created_by=by,
    )
    access.grant(case, lead_agency, AccessLevel.MANAGE)
    audit_record(user=by, action="case.create", door=AuditEvent.Door.PAGE, case=case, ip_address=ip_address)
    return case


EDITABLE_FIELDS = ("title", "summary", "status", "releasability", "handling_code", "closed_at")


@transaction.atomic
def case_update(*, case, by, ip_address=None, **changes):
    """Edit a case the user's agency manages. Releasability may not shut out an agency it is shared with."""
    if not access.can(by, case, AccessLevel.MANAGE):
        raise CaseRefused(_("Only an agency that manages this case can edit it."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise CaseRefused(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    case = JointCase.objects.select_for_update().get(pk=case.pk)
    new = {field: changes.get(field, getattr(case, field)) for field in EDITABLE_FIELDS}
    _check_releasability(lead_agency=case.lead_agency, releasability=new["releasability"])
    probe = JointCase(releasability=new["releasability"])
    shares = access.case_shares(case)
    shut_out = [agency.acronym for agency, _level in shares if not probe.allows_country(agency.country)]
    if shut_out:
        raise CaseRefused(
            _("The case is shared with %(agencies)s: revoke those shares before making it %(releasability)s.")
            % {"agencies": ", ".join(shut_out), "releasability": probe.get_releasability_display()}
        )
    if new["status"] == JointCase.Status.CLOSED and not new["closed_at"]:
        new["closed_at"] = timezone.localdate()
    if new["status"] != JointCase.Status.CLOSED:
        new["closed_at"] = None
    changed = sorted(field for field, value in new.items() if getattr(case, field) != value)
    for field, value in new.items():
        setattr(case, field, value)
    case.save()
    audit_record(user=by, action="case.update", door=AuditEvent.Door.PAGE, case=case, ip_address=ip_address,
                 fields=changed)
    return case


def _notify_on_commit(decision):
    from partnerships.tasks import notify_sharing_decision_task

    notify_sharing_decision_task.delay_on_commit(decision.pk)


@transaction.atomic
def case_share(*, case, agency, level, by, reason, ip_address=None, notify=True):
    """Share the case with an agency at a level, or change its level; recorded with the reason.

    The agency's officers are emailed after commit, unless `notify` is off (demo data only).
    """
    reason = (reason or "").strip()
    if not reason:
        raise SharingRefused(_("Give the reason (purpose or legal basis) for this share."))
    access.check_share(case=case, agency=agency, level=level, by=by)
    previous = access.level_of(agency, case)
    if previous == level:
        raise SharingRefused(
            _("%(agency)s already holds this case at the %(level)s level.")
            % {"agency": agency.acronym, "level": AccessLevel(level).label}
        )
    access.grant(case, agency, level)
    decision = SharingDecision.objects.create(
        case=case, agency=agency, level=level, reason=reason, decided_by=by,
        action=SharingDecision.Action.CHANGE if previous else SharingDecision.Action.SHARE,
    )
    JointCase.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    audit_record(user=by, action="case.share", door=AuditEvent.Door.PAGE, case=case, ip_address=ip_address,
                 agency=agency.acronym, level=str(level), previous=previous and str(previous))
    if notify:
        _notify_on_commit(decision)
    return decision


@transaction.atomic
def case_unshare(*, case, agency, by, reason, ip_address=None):
    """Revoke an agency's access to the case; the lead agency cannot be removed."""
    reason = (reason or "").strip()
    if not reason:
        raise SharingRefused(_("Give the reason for revoking this share."))
    if not access.can(by, case, AccessLevel.MANAGE):
        raise SharingRefused(_("Only an agency that manages this case can revoke a share."))
    if agency.pk == case.lead_agency_id:
        raise SharingRefused(_("The lead agency's access cannot be revoked."))
    previous = access.level_of(agency, case)
    if previous is None:
        raise SharingRefused(_("%(agency)s does not hold this case.") % {"agency": agency.acronym})
    access.revoke(case, agency)
    decision = SharingDecision.objects.create(
        case=case, agency=agency, action=SharingDecision.Action.REVOKE, reason=reason, decided_by=by,
    )
    JointCase.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    audit_record(user=by, action="case.unshare", door=AuditEvent.Door.PAGE, case=case, ip_address=ip_address,
                 agency=agency.acronym, previous=str(previous))
    _notify_on_commit(decision)
    return decision


def sharing_decision_notify(*, decision):
    """Email the officers of the agency a decision concerns, each in their own language.

    Checked again at send time: if the agency lost the case in between, a share notice says nothing.
    """
    from django.core.mail import send_mass_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    from partnerships.models import Officer

    case, agency = decision.case, decision.agency
    holds_case = access.level_of(agency, case) is not None
    if decision.action != SharingDecision.Action.REVOKE and not holds_case:
        return 0
    officers = Officer.objects.filter(agency=agency, is_active=True, user__is_active=True).exclude(email="")
    messages = []
    for officer in officers:
        with translation.override(officer.preferred_language):
            context = {"decision": decision, "case": case, "agency": agency, "officer": officer}
            subject = render_to_string("partnerships/email/sharing_subject.txt", context).strip()
            body = render_to_string("partnerships/email/sharing_body.txt", context)
        messages.append((subject, body, None, [officer.email]))
    sent = send_mass_mail(messages, fail_silently=False)
    AuditEvent.objects.create(
        action="case.notify", door=AuditEvent.Door.TASK, case=case, agency=agency,
        detail={"decision": decision.pk, "recipients": len(messages)},
    )
    return sent
