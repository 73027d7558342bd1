"""In-app notifications and their emails. What a notice says is decided when it is shown or sent,
from what its reader may see at that moment: a reference and title reach only those who may see
the case, and never more than that."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from partnerships import access, audit
from partnerships.models import AccessLevel, AuditEvent, CaseRequest, Notification

# Notice kinds raised by the program apps are described by the app that raises them: it registers
# `describe(notification, reader) -> (text, url or None)` from its AppConfig.ready (its notices.py). The core keeps
# the last word on what a reader is told: a notice about a case reaches its describer only when the reader may see
# the case, and any other reader gets the kind's `hidden` text, which names no case.
_describers = {}


def register(*kinds, describe, hidden=None):
    """Register the describer of these notice kinds. A kind given `hidden` is about a case: a reader who may not see
    the notice's case (or a notice whose case is gone) is told `hidden` instead. Any notice that carries a case is
    checked so, with the kind's label as the default text."""
    for kind in kinds:
        if _describers.get(kind, (describe,))[0] is not describe:
            raise ValueError(f"notice kind {kind} is described twice")
        _describers[kind] = (describe, hidden)


def describe(notification, reader):
    """(text, url or None) of a notification for its reader, in the active language."""
    case, kind = notification.case, notification.kind
    if kind in _describers:
        describer, hidden = _describers[kind]
        about_a_case = case is not None or hidden is not None
        if about_a_case and (case is None or not access.can(reader, case, AccessLevel.VIEW)):
            return str(hidden or notification.get_kind_display()), None
        return describer(notification, reader)
    if kind in (Notification.Kind.DESIGNATION_EXPIRING, Notification.Kind.DESIGNATION_EXPIRED):
        return _describe_designation(notification)
    if kind not in (Notification.Kind.CASE_SHARED, Notification.Kind.CASE_REVOKED, Notification.Kind.REQUEST_FILED,
                    Notification.Kind.REQUEST_DECIDED):
        return notification.get_kind_display(), None  # a kind whose app is not installed: its label only
    visible = case is not None and access.can(reader, case, AccessLevel.VIEW)
    values = {"reference": case.reference, "title": case.title} if visible else {}
    if case is not None:
        values["lead"] = case.lead_agency.display_acronym
    if kind == Notification.Kind.CASE_SHARED:
        if not visible:
            return _("A case shared with your agency is no longer available to it."), None
        level = AccessLevel(notification.decision.level).label if notification.decision else ""
        text = _("%(lead)s shared %(reference)s — %(title)s with your agency (%(level)s).") % {**values, "level": level}
    elif kind == Notification.Kind.CASE_REVOKED:
        return _("Your agency's access to a case led by %(lead)s was revoked.") % values, None
    elif kind == Notification.Kind.REQUEST_FILED:
        if not visible:
            return _("A request about a case is no longer yours to decide."), None
        request = notification.request
        values["agency"] = request.requesting_agency.display_acronym
        if request.kind == CaseRequest.Kind.SHARE:
            text = _("%(agency)s asks to share %(reference)s — %(title)s onward.") % values
        else:
            text = _("%(agency)s asks for release of %(reference)s — %(title)s for use in court.") % values
        return text, reverse("partnerships:case_request_decide", args=[case.reference, request.pk])
    else:
        if not visible:
            return _("A request your agency filed was decided."), None
        if notification.request.status == CaseRequest.Status.APPROVED:
            text = _("%(lead)s approved your agency's request about %(reference)s — %(title)s.") % values
        else:
            text = _("%(lead)s declined your agency's request about %(reference)s — %(title)s.") % values
    return text, case.get_absolute_url()


def designation_values(notification):
    """What a notice about a cross-designation may say of it: the officer's name, its kind and end date."""
    designation = notification.designation
    return {"name": f"{designation.officer.first_name} {designation.officer.last_name}",
            "kind": designation.get_kind_display(), "until": designation.valid_to.isoformat(),
            **notification.detail}


def _describe_designation(notification):
    values = designation_values(notification)
    designations = reverse("partnerships:designation_list")
    if notification.kind == Notification.Kind.DESIGNATION_EXPIRING:
        return (_("The %(kind)s designation of %(name)s expires on %(until)s (in %(days)s days).") % values,
                designations)
    return _("The %(kind)s designation of %(name)s is no longer active.") % values, designations


def _deliver(*, kind, officers, audit_detail, **fields):
    """Create each active officer's notice, email it, and record the sending once."""
    sent = 0
    for officer in officers:
        if officer.user is None or not officer.user.is_active or not officer.is_active:
            continue
        notification = Notification.objects.create(recipient=officer.user, kind=kind, **fields)
        if officer.email:
            _email(notification, officer)
            sent += 1
    audit.record(action=AuditEvent.Action.NOTIFY, door=AuditEvent.Door.TASK, kind=kind,
                 recipients=[o.user.username for o in officers if o.user], **audit_detail)
    return sent


def send_notice(*, kind, officers, detail):
    """A notice that carries no case data, to the given officers (in-app and email)."""
    return _deliver(kind=kind, officers=officers, detail=detail, audit_detail={"detail": detail})


def send_case_notice(*, kind, officers, case, detail):
    """A notice about a case; what it says is decided on reading, from what the reader may see."""
    return _deliver(kind=kind, officers=officers, case=case, detail=detail, audit_detail={"case": case})


def send_about_designation(*, kind, designation, detail=None, officers=None):
    """Tell the designated officer and their agency's administrators (or the given officers)."""
    from partnerships.models import Officer

    if officers is None:
        officer = designation.officer
        officers = [officer, *Officer.objects.filter(agency=officer.agency, role=Officer.Role.AGENCY_ADMIN,
                                                     is_active=True).exclude(pk=officer.pk)]
    return _deliver(kind=kind, officers=officers, designation=designation, detail=detail or {},
                    audit_detail={"object_type": "designation", "object_ref": str(designation.pk)})


def send(*, kind, officers, case, decision=None, request=None):
    """Create each officer's notice once and email it. Tasks are delivered at least once (portal/outbox.py):
    a second delivery finds the notices made (one per recipient and event, a unique constraint) and repeats
    neither notice, email nor audit; an email that fails undoes its notice, so that the retry sends both."""
    sent, created_any, repeated = 0, False, False
    for officer in officers:
        if officer.user is None or not officer.user.is_active:
            continue
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                recipient=officer.user, kind=kind, decision=decision, request=request, defaults={"case": case}
            )
            if created and officer.email:
                _email(notification, officer)
                sent += 1
        created_any, repeated = created_any or created, repeated or not created
    if repeated and not created_any:
        return 0  # this event was notified already
    audit.record(action=AuditEvent.Action.NOTIFY, door=AuditEvent.Door.TASK, case=case,
                 kind=kind, recipients=[o.user.username for o in officers if o.user],
                 decision=decision.pk if decision else None, request=request.pk if request else None)
    return sent


def _email(notification, officer):
    with translation.override(officer.preferred_language):
        text, url = describe(notification, officer.user)
        subject = _("Border Partnerships Portal: %(kind)s") % {"kind": notification.get_kind_display()}
        body = "\n\n".join(filter(None, [
            _("Hello %(name)s,") % {"name": officer.first_name},
            text,
            _("Open it in the portal: %(url)s") % {"url": settings.PORTAL_BASE_URL + url} if url else "",
            _("Border Partnerships Portal"),
        ]))
    send_mail(subject, body, None, [officer.email])


def send_invitation(officer):
    """Email a new officer a link to choose their password."""
    user = officer.user
    link = settings.PORTAL_BASE_URL + reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    with translation.override(officer.preferred_language):
        subject = _("Your account on the Border Partnerships Portal")
        body = "\n\n".join([
            _("Hello %(name)s,") % {"name": officer.first_name},
            _("%(agency)s has opened an account for you (username: %(username)s). Choose your password here:")
            % {"agency": officer.agency.display_acronym, "username": user.username},
            link,
            _("Border Partnerships Portal"),
        ])
    if officer.email:
        send_mail(subject, body, None, [officer.email])


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


