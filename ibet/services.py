"""IBET writes: atomic, audited, keyword-only."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from ibet.models import (
    CORE_AGENCIES,
    IbetTeam,
    JmtRepresentative,
    ManagementMeeting,
    Occurrence,
    Region,
)
from ibet.selectors import jmt_missing, meeting_due  # noqa: F401 (reads; the API and tests call them here too)
from partnerships import access, audit
from partnerships.models import AccessLevel, AuditEvent, EnforcementResult
from portal import outbox


class IbetRefused(Exception):
    """An IBET write the rules forbid; the message says why."""


def _record(by, object_type, object_ref, *, door=AuditEvent.Door.PAGE, **detail):
    audit.record(action=AuditEvent.Action.TEAM_RECORD, door=door, user=by, object_type=object_type,
                 object_ref=str(object_ref), **detail)


@transaction.atomic
def jmt_representative_add(*, by, region, officer, door=AuditEvent.Door.PAGE):
    """An agency administrator names their core agency's one representative on a region's JMT."""
    agency = officer.agency
    if agency.acronym not in CORE_AGENCIES:
        raise IbetRefused(_("Only the five core agencies (%(agencies)s) sit on a Joint Management Team.")
                          % {"agencies": ", ".join(CORE_AGENCIES)})
    if not access.is_agency_admin(by) or access.agency_of(by) != agency:
        raise IbetRefused(_("Only an administrator of %(agency)s names its representative.")
                          % {"agency": agency.display_acronym})
    current = JmtRepresentative.objects.current().filter(region=region, agency=agency).select_related(
        "officer").first()
    if current:
        raise IbetRefused(_("The Joint Management Team of %(region)s already has a %(agency)s representative "
                            "(%(name)s).") % {"region": region.name, "agency": agency.display_acronym,
                                              "name": f"{current.officer.first_name} {current.officer.last_name}"})
    try:
        with transaction.atomic():
            representative = JmtRepresentative.objects.create(region=region, agency=agency, officer=officer,
                                                              started_on=timezone.localdate())
    except IntegrityError as clash:  # two administrators at once: the constraint decides
        raise IbetRefused(_("The Joint Management Team of %(region)s already has a %(agency)s representative.")
                          % {"region": region.name, "agency": agency.display_acronym}) from clash
    _record(by, "jmt_representative", representative.pk, door=door, region=region.name, core_agency=agency.acronym)
    return representative


@transaction.atomic
def jmt_representative_replace(*, by, representative, officer, door=AuditEvent.Door.PAGE):
    """An administrator of the representative's agency replaces them with another of its active officers: the
    serving one ends today, the new one starts today; both kept, the change recorded with the old and the new."""
    representative = JmtRepresentative.objects.select_for_update().select_related("region", "agency", "officer") \
        .get(pk=representative.pk)
    agency = representative.agency
    if not access.is_agency_admin(by) or access.agency_of(by) != agency:
        raise IbetRefused(_("Only an administrator of %(agency)s names its representative.")
                          % {"agency": agency.display_acronym})
    if representative.ended_on is not None:
        raise IbetRefused(_("This representative was already replaced."))
    if officer.agency_id != agency.pk or not officer.is_active:
        raise IbetRefused(_("The new representative must be an active officer of %(agency)s.")
                          % {"agency": agency.acronym})
    if officer.pk == representative.officer_id:
        raise IbetRefused(_("%(name)s already represents %(agency)s.")
                          % {"name": f"{officer.first_name} {officer.last_name}", "agency": agency.acronym})
    today = timezone.localdate()
    representative.ended_on = today
    representative.save(update_fields=["ended_on"])
    successor = JmtRepresentative.objects.create(region=representative.region, agency=agency, officer=officer,
                                                 started_on=today)
    _record(by, "jmt_representative", successor.pk, door=door, region=representative.region.name,
            core_agency=agency.acronym, replaced=representative.pk,
            officer={"old": representative.officer_id, "new": officer.pk})
    return successor


@transaction.atomic
def management_meeting_record(*, by, region, held_on, notes="", door=AuditEvent.Door.PAGE):
    """A representative records that the region's JMT met."""
    if not region.representatives.current().filter(officer__user=by).exists():
        raise IbetRefused(_("Only a representative on the Joint Management Team records its meetings."))
    if held_on > timezone.localdate():
        raise IbetRefused(_("A meeting is recorded once it has been held."))
    meeting = ManagementMeeting.objects.create(region=region, held_on=held_on, notes=notes, recorded_by=by)
    _record(by, "management_meeting", meeting.pk, door=door, region=region.name, held_on=str(held_on))
    return meeting


def meetings_overdue_daily(*, today=None):
    """Celery beat, daily: remind each overdue region's representatives (once per due date)."""
    from partnerships import notifications
    from partnerships.models import Notification

    reminded = 0
    serving = Prefetch("representatives", queryset=JmtRepresentative.objects.current().select_related("officer__user"))
    for region in Region.objects.prefetch_related(serving):
        _last, due, overdue = meeting_due(region, today)
        if not overdue:
            continue
        officers = [rep.officer for rep in region.representatives.all()]
        detail = {"region": region.name, "due": due.isoformat()}
        already = Notification.objects.filter(kind=Notification.Kind.MEETING_OVERDUE, detail__region=region.name,
                                              detail__due=due.isoformat())
        if officers and not already.exists():
            notifications.send_notice(kind=Notification.Kind.MEETING_OVERDUE, officers=officers, detail=detail)
            reminded += 1
    return reminded


@transaction.atomic
def occurrence_record(*, by, team, occurred_at, kind, nearest_port, narrative, results=(), case=None,
                      door=AuditEvent.Door.PAGE, **facts):
    """A member agency's officer records an occurrence between the ports of entry (from a page or the API: `door`)."""
    agency = access.agency_of(by)
    if agency is None or not team.team.member_agencies.filter(pk=agency.pk).exists():
        raise IbetRefused(_("Only officers of the team's member agencies record its occurrences."))
    if occurred_at > timezone.now():
        raise IbetRefused(_("An occurrence is recorded once it has happened."))
    if case is not None and not access.can(by, case, AccessLevel.CONTRIBUTE):
        raise IbetRefused(_("Link a case your agency can contribute to."))
    occurrence = Occurrence.objects.create(team=team, occurred_at=occurred_at, kind=kind, nearest_port=nearest_port,
                                           narrative=narrative, case=case, recorded_by=by, **facts)
    created = [EnforcementResult.objects.create(occurred_at=occurred_at, recorded_by=by, case=case, **result)
               for result in results]
    occurrence.results.set(created)
    _record(by, "occurrence", occurrence.pk, door=door, team=team.name, kind=kind,
            joint_case=case.reference if case else None)
    return occurrence


# What an edit may change, with how the audit trail writes each value.
OCCURRENCE_FIELDS = ("occurred_at", "kind", "place", "latitude", "longitude", "nearest_port", "at_port",
                     "persons_apprehended", "nationalities", "narrative", "case")


def _audit_value(value):
    """A field's value as the audit trail writes it (and as an edit compares it)."""
    from decimal import Decimal

    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.00001")))
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    return value.reference if hasattr(value, "reference") else str(value)


@transaction.atomic
def occurrence_change(*, by, occurrence, door=AuditEvent.Door.PAGE, **values):
    """Correct an occurrence (its team stays): an officer of the team's member agencies, under the rules of
    recording one. The audit trail keeps the old and new value of each field changed; nothing changed, nothing
    recorded. Returns the occurrence and the names of the fields changed."""
    occurrence = Occurrence.objects.select_for_update(of=("self",)).select_related("team__team", "case").get(
        pk=occurrence.pk)
    agency = access.agency_of(by)
    if agency is None or not occurrence.team.team.member_agencies.filter(pk=agency.pk).exists():
        raise IbetRefused(_("Only officers of the team's member agencies correct its occurrences."))
    unknown = set(values) - set(OCCURRENCE_FIELDS)
    if unknown:
        raise TypeError(f"occurrence_change() takes no {sorted(unknown)}")
    if "occurred_at" in values and values["occurred_at"] > timezone.now():
        raise IbetRefused(_("An occurrence is recorded once it has happened."))
    case = values.get("case", occurrence.case)
    if "case" in values and case is not None and case != occurrence.case \
            and not access.can(by, case, AccessLevel.CONTRIBUTE):
        raise IbetRefused(_("Link a case your agency can contribute to."))
    place = values.get("place", occurrence.place)
    latitude, longitude = values.get("latitude", occurrence.latitude), values.get("longitude", occurrence.longitude)
    if not place and (latitude is None or longitude is None):
        raise IbetRefused(_("Give the position (latitude and longitude) or a place."))
    old, new = {}, {}
    for name, value in values.items():
        before = getattr(occurrence, name)
        if _audit_value(before) != _audit_value(value):
            old[name], new[name] = _audit_value(before), _audit_value(value)
            setattr(occurrence, name, value)
    if not new:
        return occurrence, []
    occurrence.save()
    if "case" in new:
        occurrence.results.update(case=occurrence.case)
    _record(by, "occurrence", occurrence.pk, door=door, change="edit", team=occurrence.team.name, old=old, new=new)
    return occurrence, sorted(new)


# --- intelligence reports (28 CFR Part 23) --------------------------------------------------------

REVIEW_YEARS = 5


def review_date(from_date):
    """Five years on (28 CFR 23.20(h)); 29 February falls back to 28 February."""
    try:
        return from_date.replace(year=from_date.year + REVIEW_YEARS)
    except ValueError:
        return from_date.replace(year=from_date.year + REVIEW_YEARS, day=28)


def is_reviewer(user, report):
    """The source agency's supervisors and administrators review its reports."""
    from partnerships.models import Officer

    officer = access.officer_of(user)
    return bool(officer and officer.agency_id == report.source_agency_id
                and officer.role in (Officer.Role.SUPERVISOR, Officer.Role.AGENCY_ADMIN))


@transaction.atomic
def report_enter(*, by, team, subject, text, reliability, credibility, handling_code, releasability, case=None,
                 door=AuditEvent.Door.PAGE):
    """A member agency's officer enters a graded report; their agency is its source (from a page or the API)."""
    from ibet.models import IntelligenceReport

    agency = access.agency_of(by)
    if agency is None or not team.team.member_agencies.filter(pk=agency.pk).exists():
        raise IbetRefused(_("Only officers of the team's member agencies enter its reports."))
    if case is not None and not access.can(by, case, AccessLevel.CONTRIBUTE):
        raise IbetRefused(_("Link a case your agency can contribute to."))
    report = IntelligenceReport.objects.create(
        team=team, source_agency=agency, subject=subject, text=text, reliability=reliability,
        credibility=credibility, handling_code=handling_code, releasability=releasability, case=case,
        review_due=review_date(timezone.localdate()), entered_by=by)
    _record(by, "intelligence_report", report.pk, door=door, team=team.name, grading=report.grading)
    return report


@transaction.atomic
def report_validate(*, by, report, reason, door=AuditEvent.Door.PAGE):
    """A reviewer confirms the report still meets the criteria: five more years, who, when, why."""
    if not is_reviewer(by, report) or report.purged_at:
        raise IbetRefused(_("Only a supervisor of the source agency reviews this report."))
    if not (reason or "").strip():
        raise IbetRefused(_("Give the reason the report is still valid."))
    now = timezone.now()
    report.validated_at, report.validated_by, report.validation_reason = now, by, reason.strip()
    report.review_due = review_date(timezone.localdate())
    report.save()
    _record(by, "intelligence_report", report.pk, door=door, change="validate", reason=report.validation_reason,
            review_due=str(report.review_due))
    return report


@transaction.atomic
def report_purge(*, by, report, reason, door=AuditEvent.Door.PAGE):
    """A reviewer purges the report: its subject and text are gone; a tombstone and the audit remain."""
    if not is_reviewer(by, report) or report.purged_at:
        raise IbetRefused(_("Only a supervisor of the source agency reviews this report."))
    if not (reason or "").strip():
        raise IbetRefused(_("Give the reason for the purge."))
    report.subject, report.text, report.case = "", "", None
    report.purged_at, report.purged_by = timezone.now(), by
    report.save()
    _record(by, "intelligence_report", report.pk, door=door, change="purge", reason=reason.strip())
    return report


def reports_review_daily(*, today=None):
    """Celery beat, daily: tell the source agency's reviewers about reports that fell due."""
    from ibet.models import IntelligenceReport
    from partnerships import notifications
    from partnerships.models import Notification, Officer

    today = today or timezone.localdate()
    told = 0
    due = IntelligenceReport.objects.filter(purged_at__isnull=True, review_due=today - datetime.timedelta(days=1))
    for report in due.select_related("source_agency"):
        reviewers = Officer.objects.filter(agency=report.source_agency, is_active=True,
                                           role__in=[Officer.Role.SUPERVISOR, Officer.Role.AGENCY_ADMIN])
        notifications.send_notice(kind=Notification.Kind.REPORT_REVIEW_DUE, officers=list(reviewers),
                                  detail={"report": report.pk, "due": str(report.review_due)})
        told += 1
    return told


# --- bulk import ----------------------------------------------------------------------------------

MAX_IMPORT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def occurrence_import_start(*, by, team, file):
    """Accept a CSV for checking and import by a Celery task (after commit); return the job."""
    from ibet.models import ImportJob

    agency = access.agency_of(by)
    if agency is None or not team.team.member_agencies.filter(pk=agency.pk).exists():
        raise IbetRefused(_("Only officers of the team's member agencies record its occurrences."))
    if file.size > MAX_IMPORT_BYTES:
        raise IbetRefused(_("The file is larger than 20 MB."))
    from ibet.imports import decode

    content = decode(file.read())
    if content is None:
        raise IbetRefused(_("Save the file as CSV in UTF-8 or Windows-1252."))
    job = ImportJob.objects.create(team=team, uploaded_by=by, file_name=file.name[:200], content=content)
    _record(by, "occurrence_import", job.pk, file=job.file_name, team=team.name)
    outbox.enqueue("ibet.tasks.import_occurrences_task", job.pk)
    return job


# --- joint operations -----------------------------------------------------------------------------

@transaction.atomic
def operation_create(*, by, team, us_name, canadian_name, starts_on, agencies, ends_on=None, cases=(),
                     door=AuditEvent.Door.PAGE):
    """A member agency opens a joint operation under its paired names, with its agencies and cases."""
    from ibet.models import JointOperation

    agency = access.agency_of(by)
    if agency is None or not team.team.member_agencies.filter(pk=agency.pk).exists():
        raise IbetRefused(_("Only officers of the team's member agencies open its operations."))
    if ends_on and ends_on < starts_on:
        raise IbetRefused(_("The operation cannot end before it starts."))
    agencies = set(agencies) | {agency}
    if {a.country for a in agencies} != {"CA", "US"}:
        raise IbetRefused(_("A joint operation has agencies of both countries."))
    for case in cases:
        if not access.can(by, case, AccessLevel.CONTRIBUTE):
            raise IbetRefused(_("Link a case your agency can contribute to."))
    operation = JointOperation.objects.create(team=team, us_name=us_name.strip(), canadian_name=canadian_name.strip(),
                                              starts_on=starts_on, ends_on=ends_on, created_by=by)
    operation.agencies.set(agencies)
    operation.cases.set(cases)
    _record(by, "joint_operation", operation.pk, door=door, names=str(operation),
            agencies=sorted(a.acronym for a in agencies))
    return operation


# --- regions and teams ------------------------------------------------------------------------------------------
# Managed by the agency administrators of the five core agencies (CORE_AGENCIES), who found every IBET: any of them
# opens a region or a team (their agency among its members); a team is changed by an administrator of one of its
# core member agencies; each member agency's administrator assigns their own agency's officers to the team.

def can_manage_ibet(user):
    """An administrator of a core IBET agency."""
    agency = access.agency_of(user)
    return bool(agency and access.is_agency_admin(user) and agency.acronym in CORE_AGENCIES)


def can_change_team(user, team):
    """An administrator of a core agency that is a member of the (active) team."""
    agency = access.agency_of(user)
    return can_manage_ibet(user) and team.team.is_active and team.team.member_agencies.filter(pk=agency.pk).exists()


def can_assign_officers(user, team):
    """An administrator of one of the team's member agencies (their own officers only)."""
    agency = access.agency_of(user)
    return bool(agency and access.is_agency_admin(user) and team.team.is_active
                and team.team.member_agencies.filter(pk=agency.pk).exists())


def _require_manager(by):
    if not can_manage_ibet(by):
        raise IbetRefused(_("Only an administrator of a core IBET agency (%(agencies)s) manages regions and teams.")
                          % {"agencies": ", ".join(CORE_AGENCIES)})


@transaction.atomic
def region_create(*, by, name, door=AuditEvent.Door.PAGE):
    _require_manager(by)
    name = (name or "").strip()
    if not name:
        raise IbetRefused(_("Give the region a name."))
    if Region.objects.filter(name__iexact=name).exists():
        raise IbetRefused(_("A region named %(name)s exists already.") % {"name": name})
    region = Region.objects.create(name=name)
    _record(by, "ibet_region", region.pk, door=door, name=name)
    return region


def _team_members(by, member_agencies):
    agency = access.agency_of(by)
    members = set(member_agencies)
    if agency not in members:
        raise IbetRefused(_("Your agency must be one of the team's member agencies."))
    if {member.country for member in members} != {"CA", "US"}:
        raise IbetRefused(_("An IBET team has member agencies of both countries."))
    return members


@transaction.atomic
def team_create(*, by, region, name, location, time_zone, member_agencies, door=AuditEvent.Door.PAGE):
    """A new IBET team of a region, with its member agencies (both countries; the creator's among them)."""
    from partnerships.models import Team

    _require_manager(by)
    members = _team_members(by, member_agencies)
    name = (name or "").strip()
    if not name or not (location or "").strip():
        raise IbetRefused(_("Give the team a name and a location."))
    if Team.objects.filter(kind=Team.Kind.IBET_TEAM, name__iexact=name).exists():
        raise IbetRefused(_("An IBET team named %(name)s exists already.") % {"name": name})
    team = Team.objects.create(name=name, kind=Team.Kind.IBET_TEAM)
    team.member_agencies.set(members)
    ibet_team = IbetTeam.objects.create(team=team, region=region, location=location.strip(), time_zone=time_zone)
    _record(by, "ibet_team", ibet_team.pk, door=door, name=name, region=region.name,
            member_agencies=sorted(member.acronym for member in members))
    return ibet_team


@transaction.atomic
def team_update(*, by, team, region, location, time_zone, member_agencies, door=AuditEvent.Door.PAGE):
    """Change a team's region, location, time zone and member agencies; the audit trail keeps old and new. An
    agency leaving the team leaves with its officers' assignments."""
    team = IbetTeam.objects.select_for_update().select_related("team", "region").get(pk=team.pk)
    if not can_change_team(by, team):
        raise IbetRefused(_("Only an administrator of a core agency of the team changes it."))
    members = _team_members(by, member_agencies)
    if not (location or "").strip():
        raise IbetRefused(_("Give the team a name and a location."))
    before = {"region": team.region.name, "location": team.location, "time_zone": team.time_zone,
              "member_agencies": sorted(a.acronym for a in team.team.member_agencies.all())}
    after = {"region": region.name, "location": location.strip(), "time_zone": time_zone,
             "member_agencies": sorted(a.acronym for a in members)}
    changed = {name: {"old": before[name], "new": after[name]} for name in before if before[name] != after[name]}
    if not changed:
        return team
    team.region, team.location, team.time_zone = region, location.strip(), time_zone
    team.save(update_fields=["region", "location", "time_zone", "updated_at"])
    team.team.member_agencies.set(members)
    team.officers.remove(*team.officers.exclude(agency__in=members))
    _record(by, "ibet_team", team.pk, door=door, changed=changed)
    return team


@transaction.atomic
def team_officers_set(*, by, team, officers, door=AuditEvent.Door.PAGE):
    """An administrator of a member agency sets which of their agency's active officers are assigned to the team;
    the other agencies' assignments stay as they are."""
    if not can_assign_officers(by, team):
        raise IbetRefused(_("Only an administrator of a member agency assigns its officers to the team."))
    agency = access.agency_of(by)
    officers = set(officers)
    if any(officer.agency_id != agency.pk or not officer.is_active for officer in officers):
        raise IbetRefused(_("Assign active officers of %(agency)s only.") % {"agency": agency.acronym})
    before = set(team.officers.filter(agency=agency))
    if before == officers:
        return team
    team.officers.remove(*(before - officers))
    team.officers.add(*(officers - before))
    _record(by, "ibet_team", team.pk, door=door, officers_of=agency.acronym,
            officers={"old": sorted(o.pk for o in before), "new": sorted(o.pk for o in officers)})
    return team
