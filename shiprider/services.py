"""ShipRider writes: atomic, audited, keyword-only. The Framework Agreement's rules live here."""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships import access, audit
from partnerships.models import AuditEvent, Country, CrossDesignation, Officer
from shiprider.models import CrewMember, Patrol, Vessel

# The usual crew is 3-4 host officers to 1 visitor; outside this range the planner is warned.
HOST_RATIO_RANGE = (2, 5)


class PatrolRefused(Exception):
    """A patrol the rules forbid; the message names the officer or the field."""


def officer_name(officer):
    rank = f"{officer.rank} " if officer.rank else ""
    return f"{rank}{officer.first_name} {officer.last_name} ({officer.agency.display_acronym})"


def local_dates(site, start, end):
    zone = ZoneInfo(site.time_zone)
    return start.astimezone(zone).date(), end.astimezone(zone).date()


def _designation_for(officer, start_day, end_day):
    """The active ShipRider designation in force on the patrol's first day, when it alone or with the consecutive
    designations after it (a renewal starts the day after the designation it renews ends) covers every day of the
    patrol; else a refusal naming the officer."""
    designations = sorted(CrossDesignation.objects.filter(officer=officer, kind=CrossDesignation.Kind.SHIPRIDER,
                                                          status=CrossDesignation.Status.ACTIVE),
                          key=lambda d: d.valid_from)
    first = max((d for d in designations if d.valid_from <= start_day <= d.valid_to), key=lambda d: d.valid_to,
                default=None)
    if first is None:
        raise PatrolRefused(_("%(name)s holds no active ShipRider designation for the dates of the patrol.")
                            % {"name": officer_name(officer)})
    until = first.valid_to
    for designation in designations:
        if designation.valid_from <= until + datetime.timedelta(days=1) and designation.valid_to > until:
            until = designation.valid_to
    if until < end_day:
        raise PatrolRefused(_("The ShipRider designation of %(name)s ends on %(until)s, before the patrol ends.")
                            % {"name": officer_name(officer), "until": until.isoformat()})
    return first


def active_designation_on(officer, day):
    """The officer's ShipRider designation active on `day`, or None."""
    return CrossDesignation.objects.filter(officer=officer, kind=CrossDesignation.Kind.SHIPRIDER,
                                           status=CrossDesignation.Status.ACTIVE, valid_from__lte=day,
                                           valid_to__gte=day).first()


def _check_plan(*, by, site, vessel, planned_start, planned_end, crew, patrol=None):
    """The scheduling rules, for a new patrol or a change of `patrol` (which does not clash with itself).

    Returns the locked vessel, the locked officers by pk, their designations by officer pk and the warnings."""
    members = set(site.team.member_agencies.values_list("pk", flat=True))
    planner = access.agency_of(by)
    if planner is None or planner.pk not in members:
        raise PatrolRefused(_("Only officers of the site's member agencies plan its patrols."))
    if not site.team.is_active:
        raise PatrolRefused(_("%(site)s is closed.") % {"site": site.name})
    if planned_end <= planned_start:
        raise PatrolRefused(_("The patrol must end after it starts."))
    if planned_start <= timezone.now():
        raise PatrolRefused(_("A patrol is planned for the future."))
    vessel = Vessel.objects.select_for_update().select_related("owner").get(pk=vessel.pk)
    if not vessel.is_active or vessel.owner_id not in members:
        raise PatrolRefused(_("%(vessel)s is not an active vessel of the site's member agencies.")
                            % {"vessel": vessel.name})
    if not crew:
        raise PatrolRefused(_("Name the crew."))
    officers = [officer for officer, _role in crew]
    if len({o.pk for o in officers}) != len(officers):
        raise PatrolRefused(_("An officer is listed twice in the crew."))
    locked = {o.pk: o for o in Officer.objects.select_for_update().select_related("agency")
              .filter(pk__in=[o.pk for o in officers])}
    start_day, end_day = local_dates(site, planned_start, planned_end)
    designations = {}
    for officer in officers:
        officer = locked[officer.pk]
        if not officer.is_active or officer.agency_id not in members:
            raise PatrolRefused(_("%(name)s is not an active officer of the site's member agencies.")
                                % {"name": officer_name(officer)})
        designations[officer.pk] = _designation_for(officer, start_day, end_day)
    countries = {locked[o.pk].agency.country for o in officers}
    if len(countries) < 2:
        raise PatrolRefused(_("Both countries must be on board: the crew has no officer of %(country)s.")
                            % {"country": _("Canada") if "CA" not in countries else _("the United States")})
    leads = [locked[o.pk] for o, role in crew if role == CrewMember.Role.HOST_LEAD]
    host = vessel.owner.country
    if len(leads) != 1 or leads[0].agency.country != host:
        raise PatrolRefused(_("Name exactly one host lead, an officer of the vessel's country (%(country)s).")
                            % {"country": vessel.owner.get_country_display()})
    live = Patrol.objects.exclude(status=Patrol.Status.CANCELLED).filter(
        planned_start__lt=planned_end, planned_end__gt=planned_start).select_related("site")
    if patrol is not None:
        live = live.exclude(pk=patrol.pk)
    clash = live.filter(vessel=vessel).first()
    if clash:
        raise PatrolRefused(_("%(vessel)s is already on a patrol from %(start)s to %(end)s.") % {
            "vessel": vessel.name, "start": site_time(clash.site, clash.planned_start),
            "end": site_time(clash.site, clash.planned_end)})
    for officer in officers:
        busy = live.filter(crew__officer=officer).first()
        if busy:
            raise PatrolRefused(_("%(name)s is already on a patrol from %(start)s to %(end)s.") % {
                "name": officer_name(locked[officer.pk]),
                "start": site_time(busy.site, busy.planned_start), "end": site_time(busy.site, busy.planned_end)})
    hosts = sum(1 for o in officers if locked[o.pk].agency.country == host)
    visitors = len(officers) - hosts
    warnings = []
    if not HOST_RATIO_RANGE[0] <= hosts / visitors <= HOST_RATIO_RANGE[1]:
        warnings.append(_("The crew has %(hosts)s host officers to %(visitors)s visitors; the usual is 3 or 4 to 1.")
                        % {"hosts": hosts, "visitors": visitors})
    return vessel, locked, designations, warnings


def site_time(site, moment):
    """A moment as the site's local time, with its zone's abbreviation (2026-12-08 08:00 PST)."""
    return f"{timezone.localtime(moment, ZoneInfo(site.time_zone)):%Y-%m-%d %H:%M %Z}"


@transaction.atomic
def patrol_schedule(*, by, site, vessel, planned_start, planned_end, crew, notes="", door=AuditEvent.Door.PAGE):
    """Plan a patrol; return it and any warnings. Every rule is checked before anything is saved.

    Planned from a page or through the API: `door` says which."""
    vessel, locked, designations, warnings = _check_plan(by=by, site=site, vessel=vessel, planned_start=planned_start,
                                                         planned_end=planned_end, crew=crew)
    patrol = Patrol.objects.create(site=site, vessel=vessel, planned_start=planned_start, planned_end=planned_end,
                                   notes=notes, planned_by=by)
    CrewMember.objects.bulk_create([
        CrewMember(patrol=patrol, officer=locked[officer.pk], role=role, designation=designations[officer.pk])
        for officer, role in crew])
    audit.record(action=AuditEvent.Action.PATROL_CHANGE, door=door, user=by,
                 object_type="patrol", object_ref=str(patrol.pk), site=site.name, vessel=vessel.hull_number,
                 start=planned_start.isoformat(), end=planned_end.isoformat(),
                 crew=[{"officer": locked[o.pk].badge_number, "role": role} for o, role in crew], warnings=warnings)
    return patrol, warnings


def _plan_of(patrol):
    """What a change may alter, as recorded in the audit trail."""
    return {"vessel": patrol.vessel.hull_number, "start": patrol.planned_start.isoformat(),
            "end": patrol.planned_end.isoformat(), "notes": patrol.notes,
            "crew": sorted(({"officer": m.officer.badge_number, "role": m.role}
                            for m in patrol.crew.select_related("officer")), key=lambda row: row["officer"])}


@transaction.atomic
def patrol_change(*, by, patrol, vessel, planned_start, planned_end, crew, notes="", door=AuditEvent.Door.PAGE):
    """Change a planned patrol's vessel, times, crew or notes, under the same rules as patrol_schedule; the crew
    (before and after) and the partner agencies are told, and the iCal SEQUENCE grows. Returns it and warnings."""
    _require_member(by, patrol)
    patrol = Patrol.objects.select_for_update().select_related("site__team", "vessel").get(pk=patrol.pk)
    if patrol.status != Patrol.Status.PLANNED:
        raise PatrolRefused(_("Only a planned patrol can be changed."))
    vessel, locked, designations, warnings = _check_plan(
        by=by, site=patrol.site, vessel=vessel, planned_start=planned_start, planned_end=planned_end, crew=crew,
        patrol=patrol)
    before = _plan_of(patrol)
    crew_before = list(patrol.crew.select_related("officer__user", "officer__agency"))
    patrol.vessel, patrol.planned_start, patrol.planned_end, patrol.notes = vessel, planned_start, planned_end, notes
    after_crew = sorted(({"officer": locked[o.pk].badge_number, "role": role} for o, role in crew),
                        key=lambda row: row["officer"])
    after = {"vessel": vessel.hull_number, "start": planned_start.isoformat(), "end": planned_end.isoformat(),
             "notes": notes, "crew": after_crew}
    if after == before:
        return patrol, warnings  # nothing changed: no new version, no notice
    patrol.sequence += 1
    patrol.save()
    patrol.crew.all().delete()
    CrewMember.objects.bulk_create([
        CrewMember(patrol=patrol, officer=locked[officer.pk], role=role, designation=designations[officer.pk])
        for officer, role in crew])
    changed = sorted(name for name in after if after[name] != before[name])
    audit.record(action=AuditEvent.Action.PATROL_CHANGE, door=door, user=by, object_type="patrol",
                 object_ref=str(patrol.pk), change="edit", sequence=patrol.sequence, changed=changed,
                 old={name: before[name] for name in changed}, new={name: after[name] for name in changed},
                 warnings=warnings)
    _tell_about_patrol(patrol, by=by, crew_before=crew_before, cancelled=False, changed=changed)
    return patrol, warnings


@transaction.atomic
def patrol_cancel(*, by, patrol, reason, door=AuditEvent.Door.PAGE):
    """Cancel a planned patrol, with a reason; the crew and the partner agencies are told, and the iCal feeds show
    it cancelled (STATUS:CANCELLED, a new SEQUENCE)."""
    _require_member(by, patrol)
    patrol = Patrol.objects.select_for_update().select_related("site__team", "vessel").get(pk=patrol.pk)
    reason = (reason or "").strip()
    if not reason:
        raise PatrolRefused(_("Give the reason for cancelling the patrol."))
    if patrol.status != Patrol.Status.PLANNED:
        raise PatrolRefused(_("Only a planned patrol can be cancelled."))
    patrol.status, patrol.cancel_reason, patrol.cancelled_at = Patrol.Status.CANCELLED, reason, timezone.now()
    patrol.sequence += 1
    patrol.save()
    audit.record(action=AuditEvent.Action.PATROL_CHANGE, door=door, user=by, object_type="patrol",
                 object_ref=str(patrol.pk), change="cancel", sequence=patrol.sequence, reason=reason)
    _tell_about_patrol(patrol, by=by, crew_before=list(patrol.crew.select_related("officer__user", "officer__agency")),
                       cancelled=True)
    return patrol


def _tell_about_patrol(patrol, *, by, crew_before, cancelled, changed=()):
    """The crew (before and after the change) and the agency administrators of the site's other member agencies
    hear of a change or cancellation, in-app and by email. The one who made it is not told."""
    from django.urls import reverse

    from partnerships import notifications
    from partnerships.models import Notification

    officers = {m.officer.pk: m.officer for m in crew_before}
    officers.update({m.officer.pk: m.officer for m in patrol.crew.select_related("officer__user", "officer__agency")})
    planner_agency = access.agency_of(by)
    partners = Officer.objects.filter(agency__in=patrol.site.team.member_agencies.all(), is_active=True,
                                      role=Officer.Role.AGENCY_ADMIN).select_related("user", "agency")
    if planner_agency is not None:
        partners = partners.exclude(agency=planner_agency)
    officers.update({o.pk: o for o in partners})
    recipients = [o for o in officers.values() if o.user_id != by.pk]
    detail = {"patrol": f"{patrol.site.name} — {patrol.vessel.name}",
              "start": site_time(patrol.site, patrol.planned_start), "end": site_time(patrol.site, patrol.planned_end),
              "url": reverse("shiprider:patrol_detail", args=[patrol.pk])}
    if cancelled:
        kind, detail["reason"] = Notification.Kind.PATROL_CANCELLED, patrol.cancel_reason
    else:
        kind, detail["changed"] = Notification.Kind.PATROL_CHANGED, list(changed)
    notifications.send_notice(kind=kind, officers=recipients, detail=detail)


def patrols_relying_on(designation):
    """Future planned patrols whose crew relies on the designation: alone, or with the designation before it (a patrol
    spanning a renewal relies on both, and its crew names the first)."""
    from django.db.models import Q

    if designation.kind != CrossDesignation.Kind.SHIPRIDER:
        return Patrol.objects.none()
    spanning = Q(crew__officer_id=designation.officer_id, planned_end__date__gte=designation.valid_from,
                 planned_start__date__lte=designation.valid_to)
    return Patrol.objects.filter(Q(crew__designation=designation) | spanning, status=Patrol.Status.PLANNED,
                                 planned_start__gt=timezone.now()).distinct().select_related("site__team",
                                                                                             "planned_by")


def tell_planners_designation_lapsed(sender, designation, **kwargs):
    """A designation lapsed: the planners of future patrols that relied on it hear of it."""
    from django.urls import reverse

    from partnerships import notifications
    from partnerships.models import Notification

    for patrol in patrols_relying_on(designation):
        planner = getattr(patrol.planned_by, "officer", None)
        if planner is None:
            continue
        notifications.send_about_designation(
            kind=Notification.Kind.PATROL_AT_RISK, designation=designation, officers=[planner],
            detail={"patrol": f"{patrol.site.name} {site_time(patrol.site, patrol.planned_start)}",
                    "url": reverse("shiprider:patrol_detail", args=[patrol.pk])},
        )


# --- the patrol log -------------------------------------------------------------------------------

def _require_member(by, patrol):
    agency = access.agency_of(by)
    if agency is None or not patrol.site.team.member_agencies.filter(pk=agency.pk).exists():
        raise PatrolRefused(_("Only officers of the site's member agencies keep its patrols' log."))


def _audit(by, patrol, what, *, door=AuditEvent.Door.PAGE, **detail):
    audit.record(action=AuditEvent.Action.PATROL_CHANGE, door=door, user=by, object_type="patrol",
                 object_ref=str(patrol.pk), change=what, **detail)


# The log records what happened on the water: a change of waters or an activity falls within the patrol's actual time
# on the water (from getting underway to completion, or to now while it is underway), give or take LOG_TOLERANCE
# (times are entered to the minute), and never later than now (CLOCK_SKEW allows for a client's clock).
LOG_TOLERANCE = datetime.timedelta(minutes=15)
CLOCK_SKEW = datetime.timedelta(minutes=2)
# A patrol gets underway at the earliest this long before its planned start.
EARLY_START = datetime.timedelta(hours=2)


def _site_time(patrol, moment):
    return site_time(patrol.site, moment)


@transaction.atomic
def patrol_start(*, by, patrol, at=None, door=AuditEvent.Door.PAGE):
    """The patrol is underway: its actual start is recorded (now, or a moment given that is not in the future and
    not more than EARLY_START before the planned start)."""
    _require_member(by, patrol)
    patrol = Patrol.objects.select_for_update().select_related("site__team").get(pk=patrol.pk)
    if patrol.status != Patrol.Status.PLANNED:
        raise PatrolRefused(_("Only a planned patrol can get underway."))
    now = timezone.now()
    at = at or now
    if at > now + CLOCK_SKEW:
        raise PatrolRefused(_("A patrol gets underway when it leaves, not in the future."))
    if at < patrol.planned_start - EARLY_START:
        raise PatrolRefused(_("This patrol is planned to start at %(start)s: it can get underway from %(earliest)s.")
                            % {"start": _site_time(patrol, patrol.planned_start),
                               "earliest": _site_time(patrol, patrol.planned_start - EARLY_START)})
    patrol.status, patrol.actual_start = Patrol.Status.UNDERWAY, at
    patrol.save()
    _audit(by, patrol, "start", door=door, at=patrol.actual_start.isoformat())
    return patrol


@transaction.atomic
def patrol_complete(*, by, patrol, at=None, door=AuditEvent.Door.PAGE):
    """The patrol is back: its actual end is recorded (now, or a moment given that is not in the future)."""
    _require_member(by, patrol)
    patrol = Patrol.objects.select_for_update().get(pk=patrol.pk)
    now = timezone.now()
    at = at or now
    if patrol.status != Patrol.Status.UNDERWAY:
        raise PatrolRefused(_("Only a patrol underway can be completed."))
    if at <= patrol.actual_start:
        raise PatrolRefused(_("The patrol must end after it starts."))
    if at > now + CLOCK_SKEW:
        raise PatrolRefused(_("A patrol is completed when it is back, not in the future."))
    patrol.status, patrol.actual_end = Patrol.Status.COMPLETED, at
    patrol.save()
    _audit(by, patrol, "complete", door=door, at=at.isoformat())
    return patrol


def _locked_for_log(by, patrol):
    """The patrol, locked (its completion waits for the entry), once its log may take an entry."""
    _require_member(by, patrol)
    patrol = Patrol.objects.select_for_update().select_related("site__team").get(pk=patrol.pk)
    if patrol.status == Patrol.Status.CANCELLED:
        raise PatrolRefused(_("A cancelled patrol has no log."))
    if patrol.status == Patrol.Status.PLANNED:
        raise PatrolRefused(_("This patrol has not got underway: its log records what happens once it is on the "
                              "water."))
    return patrol


def _check_on_the_water(patrol, at):
    """`at` is within the patrol's actual time on the water (LOG_TOLERANCE either side) and not in the future."""
    now = timezone.now()
    if at > now + CLOCK_SKEW:
        raise PatrolRefused(_("%(when)s is in the future: the log records what happened.")
                            % {"when": _site_time(patrol, at)})
    end = patrol.actual_end or now
    if not patrol.actual_start - LOG_TOLERANCE <= at <= end + LOG_TOLERANCE:
        values = {"when": _site_time(patrol, at), "start": _site_time(patrol, patrol.actual_start)}
        if patrol.actual_end:
            raise PatrolRefused(_("%(when)s is outside the patrol's time on the water (%(start)s to %(end)s).")
                                % {**values, "end": _site_time(patrol, patrol.actual_end)})
        raise PatrolRefused(_("%(when)s is outside the patrol's time on the water (underway since %(start)s).")
                            % values)


WATERS = {Country.CA: gettext_lazy("In Canadian waters"), Country.US: gettext_lazy("In United States waters")}


def _check_director(patrol, officer, country, at):
    """The host country's designated officer directs in its own waters (Framework Agreement, art. 4): on board, of
    that country, and holding an active ShipRider designation on that day (the site's date)."""
    on_board = patrol.crew.filter(officer=officer).exists()
    if not on_board or officer.agency.country != country:
        raise PatrolRefused(
            _("%(waters)s, a designated officer of that country on board directs: %(name)s cannot.")
            % {"waters": WATERS[country], "name": officer_name(officer)})
    day = timezone.localtime(at, ZoneInfo(patrol.site.time_zone)).date()
    if active_designation_on(officer, day) is None:
        raise PatrolRefused(_("%(name)s holds no active ShipRider designation on %(date)s: they cannot direct.")
                            % {"name": officer_name(officer), "date": day.isoformat()})


@transaction.atomic
def waters_segment_add(*, by, patrol, country, starts_at, directing_officer, door=AuditEvent.Door.PAGE):
    from shiprider.models import WatersSegment

    patrol = _locked_for_log(by, patrol)
    _check_on_the_water(patrol, starts_at)
    _check_director(patrol, directing_officer, country, starts_at)
    segment = WatersSegment.objects.create(patrol=patrol, country=country, starts_at=starts_at,
                                           directing_officer=directing_officer)
    _audit(by, patrol, "waters", door=door, country=country, starts_at=starts_at.isoformat(),
           directing_officer=directing_officer.badge_number)
    return segment


@transaction.atomic
def activity_log(*, by, patrol, kind, occurred_at, waters, directing_officer, results=(), door=AuditEvent.Door.PAGE,
                 **facts):
    """Log a boarding, SAR assist or other activity, with its arrests and seizures (shared results), from a page
    or through the API (`door`): on a patrol that got underway, within its time on the water, never in the future,
    directed by an officer whose designation is active that day."""
    from partnerships.models import EnforcementResult
    from shiprider.models import Activity

    patrol = _locked_for_log(by, patrol)
    _check_on_the_water(patrol, occurred_at)
    _check_director(patrol, directing_officer, waters, occurred_at)
    activity = Activity.objects.create(patrol=patrol, kind=kind, occurred_at=occurred_at, waters=waters,
                                       directing_officer=directing_officer, recorded_by=by, **facts)
    created = [EnforcementResult.objects.create(occurred_at=occurred_at, recorded_by=by, **result)
               for result in results]
    activity.results.set(created)
    _audit(by, patrol, "activity", door=door, activity=activity.pk, kind=kind, waters=waters,
           results=[f"{r.kind}:{r.category}:{r.quantity}{r.unit}" for r in created])
    return activity


def patrol_partner_agencies(patrol, agency):
    """The agencies of the patrol's crew other than `agency`, by acronym."""
    from partnerships.models import Agency

    return list(Agency.objects.filter(pk__in=patrol.crew.values("officer__agency")).exclude(pk=agency.pk)
                .order_by("acronym"))


def _position(activity):
    point = (f"{activity.latitude:.5f}, {activity.longitude:.5f}"
             if activity.latitude is not None and activity.longitude is not None else "")
    where = "; ".join(filter(None, [point, activity.place]))
    return f"{_('Position')}: {where}" if where else ""


@transaction.atomic
def activity_open_case(*, by, activity, share_with_partners=False, door=AuditEvent.Door.PAGE):
    """Open a ShipRider joint case from a boarding in one step, carrying its facts, position and results over; if
    asked, share it at once (contribute, a recorded decision) with the partner agencies on the patrol."""
    from partnerships import services as core_services
    from partnerships.models import AccessLevel, Purpose
    from shiprider.models import Activity

    _require_member(by, activity.patrol)
    activity = Activity.objects.select_for_update().select_related("patrol__site__team", "directing_officer__agency") \
        .get(pk=activity.pk)
    if activity.case_id:
        raise PatrolRefused(_("This activity already has a joint case."))
    partners = patrol_partner_agencies(activity.patrol, access.agency_of(by)) if share_with_partners else []
    if share_with_partners and not partners:
        raise PatrolRefused(_("No other agency was on this patrol to share the case with."))
    when = timezone.localtime(activity.occurred_at, ZoneInfo(activity.patrol.site.time_zone))
    facts = [
        f"{activity.get_kind_display()} — {when:%Y-%m-%d %H:%M %Z}, {activity.patrol.site.name}",
        f"{_('waters of %(country)s') % {'country': activity.get_waters_display()}}; "
        f"{_('directing officer')}: {officer_name(activity.directing_officer)}",
        _position(activity),
        f"{_('Target vessel')}: {activity.target_name} {activity.target_registration} {activity.target_flag}".strip(),
        activity.outcome,
        *[str(result) for result in activity.results.all()],
    ]
    case = core_services.case_create(
        by=by, program="shiprider", opened_at=when.date(), door=door,
        title=(_("Boarding of %(vessel)s") % {"vessel": activity.target_name or activity.target_registration
                                               or _("an unnamed vessel")})[:200],
        summary="\n".join(filter(None, facts)),
    )
    activity.case = case
    activity.save(update_fields=["case", "updated_at"])
    activity.results.update(case=case)
    for agency in partners:
        core_services.case_share(
            case=case, agency=agency, level=AccessLevel.CONTRIBUTE, by=by, purpose=Purpose.SHIPRIDER_FRAMEWORK,
            door=door,
            reason=_("Opened from a boarding on the joint patrol of %(date)s at %(site)s, with %(agency)s on board.")
            % {"date": when.date().isoformat(), "site": activity.patrol.site.name, "agency": agency.display_acronym})
    _audit(by, activity.patrol, "case", door=door, activity=activity.pk, joint_case=case.reference,
           shared_with=[agency.acronym for agency in partners])
    return case


# --- the radio communications plan (ICS 205) ------------------------------------------------------

FREQUENCY_RANGE_MHZ = (30, 960)  # the VHF/UHF public-safety and marine bands


@transaction.atomic
def radio_plan_save(*, by, patrol, incident_name, period_from, period_to, prepared_by, channels,
                    special_instructions="", door=AuditEvent.Door.PAGE):
    """Write the patrol's ICS 205 in full (its channel table replaced as a whole)."""
    from shiprider.models import RadioChannel, RadioPlan

    _require_member(by, patrol)
    if period_to <= period_from:
        raise PatrolRefused(_("The operational period must end after it starts."))
    if not channels:
        raise PatrolRefused(_("List at least one channel."))
    for index, channel in enumerate(channels, start=1):
        for name in ("rx_frequency", "tx_frequency"):
            if not FREQUENCY_RANGE_MHZ[0] <= channel[name] <= FREQUENCY_RANGE_MHZ[1]:
                raise PatrolRefused(_("Channel row %(row)s: %(value)s MHz is outside %(low)s-%(high)s MHz.") % {
                    "row": index, "value": channel[name], "low": FREQUENCY_RANGE_MHZ[0],
                    "high": FREQUENCY_RANGE_MHZ[1]})
    plan, _created = RadioPlan.objects.update_or_create(patrol=patrol, defaults={
        "incident_name": incident_name, "period_from": period_from, "period_to": period_to,
        "prepared_by": prepared_by, "special_instructions": special_instructions})
    plan.channels.all().delete()
    RadioChannel.objects.bulk_create([RadioChannel(plan=plan, order=index, **channel)
                                      for index, channel in enumerate(channels)])
    _audit(by, patrol, "radio_plan", door=door, channels=len(channels))
    return plan


# --- the personal calendar feed -------------------------------------------------------------------

def calendar_feed_issue(*, user):
    """(Re)issue the user's personal iCal key; the old one stops working. Returns the key, shown once."""
    import hashlib
    import secrets

    from shiprider.models import CalendarFeed

    key = secrets.token_urlsafe(24)
    CalendarFeed.objects.update_or_create(user=user, defaults={"key_hash": hashlib.sha256(key.encode()).hexdigest(),
                                                               "last_used_at": None})
    audit.record(action=AuditEvent.Action.TOKEN_ISSUE, door=AuditEvent.Door.PAGE, user=user,
                 object_type="calendar_feed", object_ref=user.get_username())
    return key


def calendar_feed_user(key):
    """The active user a feed key belongs to, or None."""
    import hashlib

    from shiprider.models import CalendarFeed

    feed = CalendarFeed.objects.select_related("user").filter(
        key_hash=hashlib.sha256(key.encode()).hexdigest()).first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user
