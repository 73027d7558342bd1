"""Writes to the shared core: atomic, audited, keyword-only."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships import access, audit, signals
from partnerships.access import SharingRefused
from partnerships.models import (
    AccessLevel,
    AuditEvent,
    CaseRequest,
    Country,
    JointCase,
    Officer,
    Purpose,
    SharingDecision,
)
from partnerships.models import CaseReferenceCounter as Counter
from portal import outbox

Action, Door = AuditEvent.Action, AuditEvent.Door


class CaseRefused(Exception):
    """A case write that the rules forbid; the message says why, in the user's language."""


class TighteningNeedsConfirmation(CaseRefused):
    """Tightening would revoke these agencies' shares; the user must confirm it first."""

    def __init__(self, agencies):
        self.agencies = agencies
        super().__init__(
            _("Tightening the case revokes the access of %(agencies)s. Confirm to go ahead.")
            % {"agencies": ", ".join(a.display_acronym for a in agencies)}
        )


class OfficerRefused(Exception):
    """An agency administration write that the rules forbid."""


# --- cases ----------------------------------------------------------------------------------------

def case_reference_next(*, program, year):
    """The next reference for the program and year, e.g. IBET-2026-000123. Never handed out twice."""
    with transaction.atomic():
        counter, _created = Counter.objects.select_for_update().get_or_create(program=program, year=year)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    return f"{program.upper()}-{year}-{counter.last_number:06d}"


def _check_lead_releasability(*, lead_agency, releasability):
    other_country_only = {Country.CA: JointCase.Releasability.US_ONLY, Country.US: JointCase.Releasability.CA_ONLY}
    if releasability == other_country_only[lead_agency.country]:
        raise CaseRefused(
            _("A case led by %(agency)s cannot be releasable to the other country only.")
            % {"agency": lead_agency.acronym}
        )


@transaction.atomic
def case_create(*, by, title, summary, program, releasability=JointCase.Releasability.CA_US,
                handling_code=JointCase.HandlingCode.H0, opened_at=None, door=Door.PAGE):
    """Open a case led by the creator's agency, which manages it from the start."""
    lead_agency = access.agency_of(by)
    if lead_agency is None:
        raise CaseRefused(_("Only an officer of an active agency can open a case."))
    _check_lead_releasability(lead_agency=lead_agency, releasability=releasability)
    opened_at = opened_at or timezone.localdate()
    case = JointCase.objects.create(
        reference=case_reference_next(program=program, year=opened_at.year),
        title=title, summary=summary, program=program, releasability=releasability,
        handling_code=handling_code, lead_agency=lead_agency, opened_at=opened_at, created_by=by,
    )
    access.grant(case, lead_agency, AccessLevel.MANAGE)
    audit.record(action=Action.CASE_CREATE, door=door, user=by, case=case,
                 values={field: str(getattr(case, field)) for field in TRACKED_FIELDS})
    return case


EDITABLE_FIELDS = ("title", "summary", "status", "releasability", "handling_code", "closed_at")
LEAD_ONLY_FIELDS = ("releasability", "handling_code")
TRACKED_FIELDS = ("title", "summary", "program", "status", "releasability", "handling_code", "opened_at", "closed_at")


@transaction.atomic
def case_update(*, case, by, confirm_revocations=False, door=Door.PAGE, **changes):
    """Edit a case the user's agency manages.

    Only the lead agency changes releasability and handling code, and on an H2 or stricter case anything at all
    (access.can_control). Tightening either revokes the shares that no longer fit (asked to confirm first), tells
    those agencies and records it.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise CaseRefused(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    # Checked on the locked row: a handling code tightened meanwhile is the one that counts.
    case = JointCase.objects.select_for_update().select_related("lead_agency").get(pk=case.pk)
    refusal = access.control_refusal(by, case)
    if refusal:
        raise CaseRefused(refusal)
    new = {field: changes.get(field, getattr(case, field)) for field in EDITABLE_FIELDS}
    if not access.is_lead(by, case) and any(new[f] != getattr(case, f) for f in LEAD_ONLY_FIELDS):
        raise CaseRefused(_("Only the lead agency can change the releasability or the handling code."))
    _check_lead_releasability(lead_agency=case.lead_agency, releasability=new["releasability"])
    if new["status"] == JointCase.Status.CLOSED and not new["closed_at"]:
        new["closed_at"] = timezone.localdate()
    if new["status"] != JointCase.Status.CLOSED:
        new["closed_at"] = None

    unfit = _shares_unfit_after(case, releasability=new["releasability"], handling_code=new["handling_code"])
    if unfit and not confirm_revocations:
        raise TighteningNeedsConfirmation(unfit)

    old = {field: getattr(case, field) for field in EDITABLE_FIELDS}
    changed = {field: {"old": str(old[field] or ""), "new": str(new[field] or "")}
               for field in EDITABLE_FIELDS if old[field] != new[field]}
    for field, value in new.items():
        setattr(case, field, value)
    case.save()
    if unfit:
        reason = _("Case tightened (releasability %(releasability)s, handling code %(code)s).") % {
            "releasability": case.get_releasability_display(), "code": case.handling_code}
        _revoke(case=case, agencies=unfit, by=by, purpose=Purpose.OTHER, reason=reason, door=door)
    audit.record(action=Action.CASE_UPDATE, door=door, user=by, case=case, changes=changed)
    if changed:
        signals.case_changed.send(sender=JointCase, case=case, fields=sorted(changed))
    if "status" in changed and new["status"] == JointCase.Status.CLOSED:
        audit.record(action=Action.CASE_CLOSE, door=door, user=by, case=case, closed_at=str(new["closed_at"]))
    return case


def _shares_unfit_after(case, *, releasability, handling_code):
    """Agencies whose share would break the case's new rules."""
    unfit = []
    lead_only = access.lead_only_sharing(handling_code) and not access.lead_only_sharing(case.handling_code)
    granted_by_partner = set()
    if lead_only:
        # Under H2 only the lead agency shares: a share a partner agency made no longer stands.
        latest = {}
        for decision in case.sharing_decisions.order_by("decided_at", "id").prefetch_related("agencies"):
            for agency in decision.agencies.all():
                latest[agency.pk] = decision
        granted_by_partner = {pk for pk, d in latest.items()
                              if d.action != SharingDecision.Action.REVOKE
                              and d.decided_by_agency_id != case.lead_agency_id}
    for agency, _level in access.case_shares(case):
        if agency.pk == case.lead_agency_id:
            continue
        if access.releasability_refusal(case, agency, releasability) or agency.pk in granted_by_partner:
            unfit.append(agency)
    return unfit


# --- sharing --------------------------------------------------------------------------------------

def _require_purpose(purpose, reason):
    reason = (reason or "").strip()
    if purpose not in Purpose.values:
        raise SharingRefused(_("Choose the purpose or legal basis of this decision."))
    if not reason:
        raise SharingRefused(_("Give the reason (purpose or legal basis) for this decision."))
    return reason


@transaction.atomic
def case_share(*, case, level, purpose, reason, by, agency=None, team=None, request=None,
               door=Door.PAGE, notify=True):
    """Share the case with an agency, or with every member agency of a team, at a level.

    One recorded decision either way. A team share is refused whole if any member may not receive
    the case (releasability), so that nothing is half-shared. The receiving agencies' duty
    contacts are told after commit, unless `notify` is off (demo data only).
    """
    reason = _require_purpose(purpose, reason)
    _lock(case)
    if (agency is None) == (team is None):
        raise SharingRefused(_("Choose an agency or a team to share with."))
    if request is None:
        for target in [agency] if agency else []:
            access.check_share(case=case, agency=target, level=level, by=by)
        if team is not None:
            _check_team_share(case=case, team=team, level=level, by=by)
    else:
        access.check_recipient(case=case, agency=agency)  # the lead approves: releasability still holds
    targets = [agency] if agency else [a for a in team.member_agencies.all() if a.pk != case.lead_agency_id]
    previous = {target.pk: access.level_of(target, case) for target in targets}
    targets = [target for target in targets if previous[target.pk] != level]
    if not targets:
        raise SharingRefused(
            _("%(agencies)s already hold this case at the %(level)s level.")
            % {"agencies": agency.acronym if agency else team.name, "level": AccessLevel(level).label}
        )
    for target in targets:
        access.grant(case, target, level)
    decision = SharingDecision.objects.create(
        case=case, level=level, purpose=purpose, reason=reason, decided_by=by,
        decided_by_agency=access.agency_of(by), team=team, request=request,
        action=SharingDecision.Action.SHARE if any(previous[t.pk] is None for t in targets)
        else SharingDecision.Action.CHANGE,
    )
    decision.agencies.set(targets)
    _touch(case)
    audit.record(action=Action.CASE_SHARE, door=door, user=by, case=case, decision=decision.pk,
                 agencies={t.acronym: {"old": previous[t.pk] and str(previous[t.pk]), "new": str(level)}
                           for t in targets},
                 team=team.name if team else None, purpose=purpose)
    signals.case_shared.send(sender=JointCase, case=case, agencies=targets, decision=decision)
    if notify:
        _notify_decision_on_commit(decision)
    return decision


def _check_team_share(*, case, team, level, by):
    if not team.is_active:
        raise SharingRefused(_("%(team)s is not an active team.") % {"team": team.name})
    if not access.can(by, case, AccessLevel.MANAGE):
        raise SharingRefused(_("Only an agency that manages this case can share it."))
    members = [a for a in team.member_agencies.all() if a.pk != case.lead_agency_id]
    if not members:
        raise SharingRefused(_("%(team)s has no member agency to share with.") % {"team": team.name})
    barred = [a.acronym for a in members if access.releasability_refusal(case, a) or not a.is_active]
    if barred:
        raise SharingRefused(
            _("This case is releasable to %(releasability)s, and %(team)s includes %(agencies)s: "
              "share with the other members one by one.")
            % {"releasability": case.get_releasability_display(), "team": team.name, "agencies": ", ".join(barred)}
        )
    for member in members:
        access.check_share(case=case, agency=member, level=level, by=by)


@transaction.atomic
def case_unshare(*, case, agency, purpose, reason, by, door=Door.PAGE):
    """Revoke an agency's access to the case; the lead agency cannot be removed."""
    reason = _require_purpose(purpose, reason)
    _lock(case)
    refusal = access.control_refusal(by, case, "revoke")
    if refusal:
        raise SharingRefused(refusal)
    if agency.pk == case.lead_agency_id:
        raise SharingRefused(_("The lead agency's access cannot be revoked."))
    if access.level_of(agency, case) is None:
        raise SharingRefused(_("%(agency)s does not hold this case.") % {"agency": agency.acronym})
    return _revoke(case=case, agencies=[agency], by=by, purpose=purpose, reason=reason, door=door)


def _revoke(*, case, agencies, by, purpose, reason, door):
    previous = {agency.pk: access.level_of(agency, case) for agency in agencies}
    for agency in agencies:
        access.revoke(case, agency)
    decision = SharingDecision.objects.create(
        case=case, action=SharingDecision.Action.REVOKE, purpose=purpose, reason=reason, decided_by=by,
        decided_by_agency=access.agency_of(by),
    )
    decision.agencies.set(agencies)
    _touch(case)
    audit.record(action=Action.CASE_UNSHARE, door=door, user=by, case=case, decision=decision.pk,
                 agencies={a.acronym: {"old": str(previous[a.pk]), "new": None} for a in agencies})
    signals.case_revoked.send(sender=JointCase, case=case, agencies=agencies, decision=decision)
    _notify_decision_on_commit(decision)
    return decision


def _lock(case):
    """Sharing decisions on one case, one at a time: the case row first, then its grants, in every path (the
    grants' triggers lock the case too), so two decisions wait for each other instead of deadlocking."""
    list(JointCase.objects.select_for_update(no_key=True).filter(pk=case.pk).values_list("pk"))


def case_counts_fold():
    """Fold the agencies' count rows, each count into one row (periodic: settings.CELERY_BEAT_SCHEDULE)."""
    return access.fold_case_counts()


def _touch(case):
    JointCase.objects.filter(pk=case.pk).update(updated_at=timezone.now())


# --- requests to the lead agency ------------------------------------------------------------------

@transaction.atomic
def case_request_file(*, case, kind, by, purpose, reason, target_agency=None, level="", door=Door.PAGE):
    """A partner asks the lead agency: onward sharing of an H2 case, or court use of an H1 case."""
    reason = _require_purpose(purpose, reason)
    agency = access.agency_of(by)
    if agency is None or not access.can(by, case, AccessLevel.VIEW):
        raise SharingRefused(_("Only an agency holding this case can file a request about it."))
    if access.is_lead(by, case):
        raise SharingRefused(_("The lead agency decides for itself; it does not file requests."))
    if kind == CaseRequest.Kind.SHARE:
        if not access.can(by, case, AccessLevel.MANAGE):
            raise SharingRefused(_("Only an agency that manages this case can ask to share it onward."))
        if not access.lead_only_sharing(case.handling_code):
            raise SharingRefused(_("This case is not H2: share it directly."))
        if target_agency is None or AccessLevel(level) not in access.LEVEL_ORDER:
            raise SharingRefused(_("Choose the agency and the level to ask for."))
        access.check_recipient(case=case, agency=target_agency)
        if access.level_of(target_agency, case) == level:
            raise SharingRefused(
                _("%(agencies)s already hold this case at the %(level)s level.")
                % {"agencies": target_agency.acronym, "level": AccessLevel(level).label}
            )
    elif kind == CaseRequest.Kind.COURT_RELEASE:
        if not access.carries_evidence_caveat(case):
            raise SharingRefused(_("This case carries no evidence restriction: no release is needed."))
        target_agency, level = None, ""
    else:
        raise SharingRefused(_("Unknown request."))
    duplicate = case.requests.filter(kind=kind, requesting_agency=agency, target_agency=target_agency,
                                     status=CaseRequest.Status.PENDING)
    if duplicate.exists():
        raise SharingRefused(_("Your agency already has the same request pending."))
    request = CaseRequest.objects.create(
        case=case, kind=kind, requested_by=by, requesting_agency=agency, target_agency=target_agency,
        level=level, purpose=purpose, reason=reason,
    )
    audit.record(action=Action.REQUEST_FILE, door=door, user=by, case=case, request=request.pk, kind=kind,
                 target=target_agency.acronym if target_agency else None, level=level or None, purpose=purpose)
    signals.case_request_changed.send(sender=CaseRequest, request=request)
    _notify_request_on_commit(request)
    return request


@transaction.atomic
def case_request_decide(*, request, by, approve, note="", door=Door.PAGE):
    """The lead agency approves or declines; an approved share is made then, as one decision."""
    request = CaseRequest.objects.select_for_update().select_related("case__lead_agency").get(pk=request.pk)
    case = request.case
    if not access.is_lead(by, case):
        raise SharingRefused(_("Only the lead agency decides on requests about its case."))
    if request.status != CaseRequest.Status.PENDING:
        raise SharingRefused(_("This request has already been decided."))
    if approve and request.kind == CaseRequest.Kind.SHARE:
        case_share(case=case, agency=request.target_agency, level=request.level, purpose=request.purpose,
                   reason=request.reason, by=by, request=request, door=door)
    request.status = CaseRequest.Status.APPROVED if approve else CaseRequest.Status.DECLINED
    request.decided_by, request.decided_at, request.decision_note = by, timezone.now(), (note or "").strip()
    request.save()
    audit.record(action=Action.REQUEST_DECIDE, door=door, user=by, case=case, request=request.pk,
                 kind=request.kind, status=request.status, note=request.decision_note)
    signals.case_request_changed.send(sender=CaseRequest, request=request)
    _notify_request_on_commit(request)
    return request


# --- notifications --------------------------------------------------------------------------------

def _notify_decision_on_commit(decision):
    outbox.enqueue("partnerships.tasks.notify_sharing_decision_task", decision.pk)


def _notify_request_on_commit(request):
    outbox.enqueue("partnerships.tasks.notify_request_task", request.pk)


def duty_contacts(agency):
    """Who hears about a case for an agency: its duty contacts, else its administrators."""
    officers = Officer.objects.filter(agency=agency, is_active=True, user__is_active=True).select_related("user")
    contacts = [o for o in officers if o.is_duty_contact]
    return contacts or [o for o in officers if o.role == Officer.Role.AGENCY_ADMIN]


def sharing_decision_notify(*, decision):
    """Tell the duty contacts of the agencies a decision concerns (in-app and email)."""
    from partnerships import notifications
    from partnerships.models import Notification

    kind = (Notification.Kind.CASE_REVOKED if decision.action == SharingDecision.Action.REVOKE
            else Notification.Kind.CASE_SHARED)
    officers = [o for agency in decision.agencies.all() for o in duty_contacts(agency)]
    return notifications.send(kind=kind, officers=officers, case=decision.case, decision=decision)


def request_notify(*, request):
    """A filed request goes to the lead agency; a decided one back to the requester's agency."""
    from partnerships import notifications
    from partnerships.models import Notification

    if request.status == CaseRequest.Status.PENDING:
        kind, officers = Notification.Kind.REQUEST_FILED, duty_contacts(request.case.lead_agency)
    else:
        requester = getattr(request.requested_by, "officer", None)
        officers = duty_contacts(request.requesting_agency)
        if requester and requester.is_active and requester not in officers:
            officers.append(requester)
        kind = Notification.Kind.REQUEST_DECIDED
    return notifications.send(kind=kind, officers=officers, case=request.case, request=request)


# --- agency administration ------------------------------------------------------------------------

OFFICER_FIELDS = ("first_name", "last_name", "rank", "badge_number", "email", "phone", "preferred_language",
                  "time_zone", "role", "is_duty_contact", "is_deconfliction_contact")


def _administered(by, officer):
    if not access.officers_administered_by(by).filter(pk=officer.pk).exists():
        raise OfficerRefused(_("You can only administer officers of your own agency."))


@transaction.atomic
def officer_invite(*, by, username, **fields):
    """Create an officer of the administrator's own agency, with a login to be set by invitation."""
    agency = access.agency_of(by)
    if not access.is_agency_admin(by):
        raise OfficerRefused(_("Only an agency administrator can invite officers."))
    unknown = set(fields) - set(OFFICER_FIELDS)
    if unknown:
        raise OfficerRefused(_("These fields cannot be set: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise OfficerRefused(_("The username %(username)s is taken.") % {"username": username})
    if Officer.objects.filter(agency=agency, badge_number=fields.get("badge_number")).exists():
        raise OfficerRefused(_("Another officer of your agency has this badge number."))
    user = User(username=username, email=fields.get("email", ""), first_name=fields.get("first_name", ""),
                last_name=fields.get("last_name", ""))
    user.set_unusable_password()
    user.save()
    officer = Officer.objects.create(user=user, agency=agency, **fields)
    audit.record(action=Action.OFFICER_INVITE, door=Door.PAGE, user=by, object_type="officer",
                 object_ref=username, role=officer.role)
    transaction.on_commit(lambda: _send_invitation(officer))
    return officer


def _send_invitation(officer):
    from partnerships import notifications

    notifications.send_invitation(officer)


@transaction.atomic
def officer_update(*, by, officer, **changes):
    """Change an officer's details or role. Never their agency, never portal-wide rights."""
    _administered(by, officer)
    unknown = set(changes) - set(OFFICER_FIELDS)
    if unknown:
        raise OfficerRefused(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    if officer.user_id == by.pk and changes.get("role", officer.role) != officer.role:
        raise OfficerRefused(_("You cannot change your own role."))
    if changes.get("badge_number") and Officer.objects.filter(
        agency=officer.agency, badge_number=changes["badge_number"]
    ).exclude(pk=officer.pk).exists():
        raise OfficerRefused(_("Another officer of your agency has this badge number."))
    changed = {f: {"old": str(getattr(officer, f)), "new": str(v)} for f, v in changes.items()
               if getattr(officer, f) != v}
    for field, value in changes.items():
        setattr(officer, field, value)
    officer.save()
    audit.record(action=Action.OFFICER_UPDATE, door=Door.PAGE, user=by, object_type="officer",
                 object_ref=officer.user.username if officer.user else officer.badge_number, changes=changed)
    return officer


@transaction.atomic
def officer_set_active(*, by, officer, active, reason=""):
    """Deactivate or reactivate. Deactivating disables the login too, so every session and token of
    the officer stops working at once (Django's ModelBackend refuses inactive users)."""
    _administered(by, officer)
    if officer.user_id == by.pk:
        raise OfficerRefused(_("You cannot deactivate yourself."))
    if not active and not (reason or "").strip():
        raise OfficerRefused(_("Give the reason for deactivating this officer."))
    officer.is_active = active
    officer.save()
    if officer.user:
        officer.user.is_active = active
        officer.user.save(update_fields=["is_active"])
    audit.record(action=Action.OFFICER_REACTIVATE if active else Action.OFFICER_DEACTIVATE, door=Door.PAGE,
                 user=by, object_type="officer",
                 object_ref=officer.user.username if officer.user else officer.badge_number, reason=reason)
    return officer


# --- API tokens -----------------------------------------------------------------------------------

TOKEN_PREFIX = "bpp_"


def _token_hash(key):
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user, read_only=True, days=None, name="", by=None, door=Door.COMMAND):
    """Create a token for the user and return (token, key). The key is shown once, never stored."""
    import secrets

    from partnerships.models import ApiToken

    if not user.is_active:
        raise OfficerRefused(_("%(username)s is not an active account.") % {"username": user.get_username()})
    if by is not None and not access.officers_administered_by(by).filter(user=user).exists():
        raise OfficerRefused(_("You can only issue tokens to officers of your own agency."))
    if days is not None and days < 1:
        raise OfficerRefused(_("A token must last at least one day."))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:12], key_hash=_token_hash(key), read_only=read_only,
        expires_at=timezone.now() + timedelta(days=days) if days else None, created_by=by,
    )
    audit.record(action=Action.TOKEN_ISSUE, door=door, user=by or user, object_type="api_token",
                 object_ref=token.prefix, owner=user.get_username(), read_only=read_only, days=days)
    return token, key


def api_token_authenticate(key):
    """The usable token for a key, or None. Marks it used (at most once a minute)."""
    from partnerships.models import ApiToken

    token = ApiToken.objects.select_related("user").filter(key_hash=_token_hash(key)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def api_token_revoke(*, token, by):
    """Agency administrators revoke their own agency's tokens; a user may revoke their own."""
    own_agency = access.officers_administered_by(by).filter(user=token.user_id).exists()
    if token.user_id != by.pk and not own_agency:
        raise OfficerRefused(_("You can only revoke tokens of your own agency."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record(action=Action.TOKEN_REVOKE, door=Door.PAGE, user=by, object_type="api_token",
                     object_ref=token.prefix, owner=token.user.get_username())
    return token


# --- cross-designations ---------------------------------------------------------------------------

DESIGNATION_REMINDER_DAYS = (60, 30, 7)


TITLE19_MAX_YEARS = 2  # a Title 19 designation lasts at most two years; recertification renews it


def title19_latest_end(valid_from):
    """The last day a Title 19 designation starting on `valid_from` may run to (the day before its second
    anniversary; a 29 February start ends on 27 February)."""
    try:
        anniversary = valid_from.replace(year=valid_from.year + TITLE19_MAX_YEARS)
    except ValueError:  # 29 February
        anniversary = valid_from.replace(year=valid_from.year + TITLE19_MAX_YEARS, day=28)
    return anniversary - timedelta(days=1)


def officer_full_name(officer):
    return f"{officer.first_name} {officer.last_name}"


def _check_designating(*, by, officer, kind):
    """The user's agency, if its administrator may designate `officer` for `kind`; else OfficerRefused. A ShipRider
    designation is given by the authority the deployment names for the officer's country, which is the other
    country's (settings.SHIPRIDER_DESIGNATING_AUTHORITIES)."""
    from partnerships.models import CrossDesignation

    agency = access.agency_of(by)
    if agency is None or not access.can_designate(by, agency):
        raise OfficerRefused(_("Only an administrator of the designating agency can designate officers."))
    if kind == CrossDesignation.Kind.SHIPRIDER:
        authority = access.designating_authority(kind, officer)
        values = {"agency": agency.acronym, "name": officer_full_name(officer), "authority": authority,
                  "officers": officer.agency.acronym, "country": officer.agency.get_country_display()}
        if authority is None:
            raise OfficerRefused(_("No designating authority is named for the ShipRider officers of %(officers)s "
                                   "(%(country)s): %(name)s cannot be designated.") % values)
        if officer.agency.country == agency.country or agency.acronym != authority:
            raise OfficerRefused(_("A ShipRider designation is given by the other country: %(authority)s designates "
                                   "the officers of %(officers)s (%(country)s), so %(agency)s cannot designate "
                                   "%(name)s.") % values)
    return agency


def _designation_create(*, by, agency, officer, kind, valid_from, valid_to, training_course, training_completed_on,
                        renews=None, door):
    from partnerships.models import CrossDesignation

    name = officer_full_name(officer)
    if not officer.is_active:
        raise OfficerRefused(_("%(name)s is not an active officer.") % {"name": name})
    if valid_to < valid_from:
        raise OfficerRefused(_("The designation cannot end before it starts."))
    if kind == CrossDesignation.Kind.TITLE19 and valid_to > title19_latest_end(valid_from):
        raise OfficerRefused(_("A Title 19 designation lasts at most two years: this one may run to %(latest)s at "
                               "the latest. Recertification renews it.")
                             % {"latest": title19_latest_end(valid_from).isoformat()})
    if not training_completed_on or training_completed_on > valid_from:
        raise OfficerRefused(_("%(name)s must complete the training before the designation starts.")
                             % {"name": name})
    overlapping = CrossDesignation.objects.filter(
        officer=officer, kind=kind, valid_from__lte=valid_to, valid_to__gte=valid_from,
        status__in=[CrossDesignation.Status.ACTIVE, CrossDesignation.Status.PENDING],
    )
    if overlapping.exists():
        raise OfficerRefused(_("%(name)s already holds this designation for part of that time. To extend a "
                               "designation, renew it: the renewal starts the day after it ends.") % {"name": name})
    designation = CrossDesignation.objects.create(
        officer=officer, kind=kind, designating_agency=agency, valid_from=valid_from, valid_to=valid_to,
        training_course=training_course, training_completed_on=training_completed_on, renews=renews,
        status=CrossDesignation.Status.ACTIVE, decided_by=by, decided_at=timezone.now(),
        # Reminders already past when granted are not sent late.
        reminders_sent=[d for d in DESIGNATION_REMINDER_DAYS if (valid_to - timezone.localdate()).days < d],
    )
    audit.record(action=Action.DESIGNATION_CHANGE, door=door, user=by, object_type="designation",
                 object_ref=str(designation.pk), officer=name, kind=kind, status=designation.status,
                 valid_from=str(valid_from), valid_to=str(valid_to), renews=renews.pk if renews else None)
    return designation


@transaction.atomic
def designation_grant(*, by, officer, kind, valid_from, valid_to, training_course="", training_completed_on=None,
                      door=Door.PAGE):
    """The designating authority's administrator designates an officer: for ShipRider the other country's authority
    named for the officer's country; a Title 19 designation for at most two years."""
    agency = _check_designating(by=by, officer=officer, kind=kind)
    return _designation_create(by=by, agency=agency, officer=officer, kind=kind, valid_from=valid_from,
                               valid_to=valid_to, training_course=training_course,
                               training_completed_on=training_completed_on, door=door)


@transaction.atomic
def designation_renew(*, by, designation, valid_to, training_course="", training_completed_on=None, door=Door.PAGE):
    """Renew (recertify) an active designation, before or on its last day: the renewal starts the day after it
    ends, so the two never overlap and together cover a patrol or a membership spanning the change."""
    from partnerships.models import CrossDesignation

    designation = CrossDesignation.objects.select_for_update().select_related(
        "officer__agency", "designating_agency").get(pk=designation.pk)
    if not access.can_decide_designation(by, designation):
        raise OfficerRefused(_("Only an administrator of the designating authority can renew this designation."))
    if designation.status != CrossDesignation.Status.ACTIVE or designation.valid_to < timezone.localdate():
        raise OfficerRefused(_("Only an active designation that has not ended can be renewed: grant a new one."))
    if CrossDesignation.objects.filter(renews=designation).exists():
        raise OfficerRefused(_("This designation has already been renewed."))
    previous_training = designation.training_completed_on
    if training_completed_on and previous_training and training_completed_on <= previous_training:
        raise OfficerRefused(_("The recertification must come after the previous training (%(date)s).")
                             % {"date": previous_training.isoformat()})
    agency = _check_designating(by=by, officer=designation.officer, kind=designation.kind)
    return _designation_create(by=by, agency=agency, officer=designation.officer, kind=designation.kind,
                               valid_from=designation.valid_to + timedelta(days=1), valid_to=valid_to,
                               training_course=training_course, training_completed_on=training_completed_on,
                               renews=designation, door=door)


@transaction.atomic
def designation_set_status(*, by, designation, status, reason, door=Door.PAGE):
    """Suspend, revoke or reinstate a designation, with the reason, by its designating authority."""
    from partnerships.models import CrossDesignation

    if not access.can_decide_designation(by, designation):
        raise OfficerRefused(_("Only an administrator of the designating authority can change this designation."))
    allowed = {CrossDesignation.Status.ACTIVE, CrossDesignation.Status.SUSPENDED, CrossDesignation.Status.REVOKED}
    if status not in allowed:
        raise OfficerRefused(_("A designation can be reinstated, suspended or revoked here."))
    if designation.status in (CrossDesignation.Status.REVOKED, CrossDesignation.Status.EXPIRED):
        raise OfficerRefused(_("A revoked or expired designation cannot change: grant a new one."))
    if not (reason or "").strip():
        raise OfficerRefused(_("Give the reason for this decision."))
    old = designation.status
    designation.status, designation.status_reason = status, reason.strip()
    designation.decided_by, designation.decided_at = by, timezone.now()
    designation.save()
    audit.record(action=Action.DESIGNATION_CHANGE, door=door, user=by, object_type="designation",
                 object_ref=str(designation.pk), status={"old": old, "new": status}, reason=designation.status_reason)
    if status != CrossDesignation.Status.ACTIVE:
        from partnerships.signals import designation_lapsed

        transaction.on_commit(lambda: designation_lapsed.send(sender=CrossDesignation, designation=designation))
    return designation


def designations_daily(*, today=None):
    """Once a day (Celery beat): remind 60, 30 and 7 days ahead; expire what ended. Idempotent."""
    from partnerships import notifications
    from partnerships.models import CrossDesignation, Notification
    from partnerships.signals import designation_lapsed

    today = today or timezone.localdate()
    expired = 0
    for designation in CrossDesignation.objects.filter(
        status__in=[CrossDesignation.Status.ACTIVE, CrossDesignation.Status.PENDING], valid_to__lt=today,
    ).select_related("officer__agency", "officer__user"):
        with transaction.atomic():
            designation.status = CrossDesignation.Status.EXPIRED
            designation.status_reason = CrossDesignation.EXPIRED_REASON
            designation.decided_by, designation.decided_at = None, timezone.now()
            designation.save()
            audit.record(action=Action.DESIGNATION_CHANGE, door=Door.TASK, object_type="designation",
                         object_ref=str(designation.pk), status={"old": "active", "new": "expired"})
            notifications.send_about_designation(kind=Notification.Kind.DESIGNATION_EXPIRED, designation=designation)
        designation_lapsed.send(sender=CrossDesignation, designation=designation)
        expired += 1
    reminded = 0
    for designation in CrossDesignation.objects.filter(
        status=CrossDesignation.Status.ACTIVE, valid_to__gte=today,
        valid_to__lte=today + timedelta(days=max(DESIGNATION_REMINDER_DAYS)),
    ).select_related("officer__agency", "officer__user"):
        days_left = (designation.valid_to - today).days
        due = [d for d in DESIGNATION_REMINDER_DAYS if days_left <= d and d not in designation.reminders_sent]
        if not due:
            continue
        with transaction.atomic():
            designation.reminders_sent = sorted(set(designation.reminders_sent) | set(due))
            designation.save(update_fields=["reminders_sent", "updated_at"])
            notifications.send_about_designation(kind=Notification.Kind.DESIGNATION_EXPIRING, designation=designation,
                                                 detail={"days": days_left})
        reminded += 1
    return {"expired": expired, "reminded": reminded}


# --- case subjects --------------------------------------------------------------------------------

@transaction.atomic
def subject_add(*, by, case, kind, name, aliases="", date_of_birth=None, registration="", jurisdiction="", vin="",
                door=Door.PAGE, notify=True):
    """Attach a subject to a case the user's agency contributes to, with its normalized keys. It is checked against
    every other agency's subjects; `notify=False` (the demo) records the hits without telling anyone."""
    from django.core.validators import validate_email

    from partnerships import subjects
    from partnerships.models import Subject, SubjectKey

    if not access.can(by, case, AccessLevel.CONTRIBUTE):
        raise CaseRefused(_("Only an agency that contributes to this case can add subjects."))
    name = (name or "").strip()
    if not name:
        raise CaseRefused(_("Give the subject's name, number or address."))
    if kind == Subject.Kind.PHONE and subjects.phone(name) is None:
        raise CaseRefused(_("%(value)s is not a phone number.") % {"value": name})
    if kind == Subject.Kind.EMAIL:
        try:
            validate_email(name)
        except Exception as error:  # noqa: BLE001 - Django's ValidationError, in the user's language below
            raise CaseRefused(_("%(value)s is not an email address.") % {"value": name}) from error
    subject = Subject.objects.create(case=case, kind=kind, name=name, aliases=aliases.strip(),
                                     date_of_birth=date_of_birth, registration=registration.strip(),
                                     jurisdiction=jurisdiction.strip(), vin=vin.strip(), added_by=by)
    SubjectKey.objects.bulk_create([SubjectKey(subject=subject, kind=key_kind, key=key)
                                    for key_kind, key in subjects.keys_of(subject)])
    audit.record(action=Action.SUBJECT_ADD, door=door, user=by, case=case, subject=subject.pk, kind=kind)
    from deconfliction.services import subject_check  # checked against every other agency's subjects

    subject_check(subject=subject, by=by, door=door, notify=notify)
    return subject


# --- documents ------------------------------------------------------------------------------------

def document_attach(*, case, upload, by, door=Door.PAGE):
    """Attach a file to a case the user's agency contributes to. The file is checked, stored and
    recorded in one step (attachments.attach): a refused file is recorded and nothing is kept; if the
    row cannot be written the stored file is removed again."""
    from partnerships import attachments
    from partnerships.models import CaseDocument

    if not access.can(by, case, AccessLevel.CONTRIBUTE):
        raise CaseRefused(_("Only an agency that contributes to this case can attach documents."))
    def create(**fields):
        document = CaseDocument.objects.create(case=case, **fields)
        # its text, for the search, after the commit
        outbox.enqueue("partnerships.tasks.document_text_extract_task", document.pk)
        return document

    return attachments.attach(upload=upload, by=by, door=door, case=case, object_type="case_document",
                              create=create)


def document_text_extract(*, document):
    """Read the text of a document's PDF or text file into the field the search indexes. Idempotent: a document
    read once is left as it is. Derived data, not a user's change: nothing is recorded."""
    from partnerships import attachments
    from partnerships.models import CaseDocument

    if document.text_extracted_at is not None:
        return document
    text = attachments.extract_text(document, limit=CaseDocument.TEXT_MAX_LENGTH)
    CaseDocument.objects.filter(pk=document.pk, text_extracted_at__isnull=True).update(
        text=text, text_extracted_at=timezone.now())
    document.refresh_from_db(fields=["text", "text_extracted_at"])
    return document
