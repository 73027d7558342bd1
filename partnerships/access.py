"""Who may see and do what with joint cases. The only module that reads or writes case permissions.

Levels are cumulative: an agency shared at "manage" holds the view, contribute and manage object
permissions on the case, so a check for one level is one permission lookup. They are stored as
guardian group object permissions on the agency's group, in the direct foreign-key table.

Nothing here accepts model-wide permissions and nothing special-cases superusers: a portal
administrator without an officer sees no case at all.

Handling codes, from the Europol/SIENA family: H1 and stricter (H1, H2, H3) carry the evidence
caveat; H2 and stricter (H2, H3) allow onward sharing by the lead agency only.
"""

import functools

from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from partnerships.models import (
    AccessLevel,
    Agency,
    GrantCount,
    JointCase,
    JointCaseGroupObjectPermission,
    Officer,
)

LEVEL_ORDER = [AccessLevel.VIEW, AccessLevel.CONTRIBUTE, AccessLevel.MANAGE]
PERMISSION_CODENAMES = {
    AccessLevel.VIEW: "view_jointcase",
    AccessLevel.CONTRIBUTE: "contribute_jointcase",
    AccessLevel.MANAGE: "manage_jointcase",
}
HANDLING_ORDER = ["H0", "H1", "H2", "H3"]
RELEASABILITY_ORDER = [JointCase.Releasability.CA_US, JointCase.Releasability.CA_ONLY,
                       JointCase.Releasability.US_ONLY]


class SharingRefused(Exception):
    """A share that the case's rules forbid; the message says why, in the user's language."""


@functools.cache
def _permission_id(level):
    """Permission rows only change when migrations run (apps.py clears this cache then)."""
    return Permission.objects.get(
        content_type__app_label="partnerships", codename=PERMISSION_CODENAMES[AccessLevel(level)]
    ).pk


# --- who is asking ------------------------------------------------------------------------------

def officer_of(user):
    """The active officer behind a signed-in user, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    officer = getattr(user, "officer", None)
    if officer is None or not officer.is_active or not officer.agency.is_active:
        return None
    return officer


def agency_of(user):
    officer = officer_of(user)
    return officer.agency if officer else None


def is_agency_admin(user):
    officer = officer_of(user)
    return bool(officer and officer.role == Officer.Role.AGENCY_ADMIN)


def is_auditor(user):
    officer = officer_of(user)
    return bool(officer and officer.is_auditor)


def on_officer_saved(sender, instance, raw=False, **kwargs):
    """post_save of Officer: keep the user's agency group in step (not for fixtures loaded raw)."""
    if instance.user_id and not raw:
        sync_agency_membership(instance.user)


def sync_agency_membership(user):
    """Put the user in exactly the group of their officer's agency."""
    officer = getattr(user, "officer", None)
    agency_groups = Group.objects.filter(agency__isnull=False)
    keep = officer.agency.group_id if officer and officer.is_active else None
    user.groups.remove(*agency_groups.exclude(pk=keep))
    if keep:
        user.groups.add(keep)


# --- cases --------------------------------------------------------------------------------------

def cases_visible_to(user, level=AccessLevel.VIEW):
    """Every case the user's agency holds at least `level` on, most recently changed first.

    A join with the agency's grants at that level: one grant per case and level, so one row per case. Each
    grant carries a copy of its case's updated_at, program and status (kept by triggers; migration 0007),
    annotated here as `grant_updated_at`, `grant_program` and `grant_status`: sorting and filtering on these
    rather than on the case's own columns lets PostgreSQL read the agency's range of one index in order and
    stop after a page, whatever the number of cases (docs/architecture.md, docs/benchmarks.md)."""
    officer = officer_of(user)
    if officer is None:
        return JointCase.objects.none()
    # Naming the group (the user's is their agency's, kept in step by sync_agency_membership) rather
    # than joining auth_user_groups keeps the plan to that one index range.
    return (
        JointCase.objects.filter(grants__group_id=officer.agency.group_id, grants__permission_id=_permission_id(level))
        .annotate(grant_updated_at=F("grants__case_updated_at"))  # selected: the API's cursor reads it
        .alias(grant_program=F("grants__case_program"), grant_status=F("grants__case_status"))
        .order_by(*NEWEST_FIRST)
    )


NEWEST_FIRST = ("-grant_updated_at", "-id")


def visible_case_counts(user):
    """[{"program", "status", "n"}] over the cases the user's agency may see.

    On PostgreSQL, the sums of the agency's count rows as the grants' triggers write them (models.GrantCount): a
    few rows, whatever the number of cases. On SQLite, counted from the agency's grants."""
    officer = officer_of(user)
    if officer is None:
        return []
    held = {"group_id": officer.agency.group_id, "permission_id": _permission_id(AccessLevel.VIEW)}
    if connection.vendor == "postgresql":
        return list(GrantCount.objects.filter(**held).values("program", "status").annotate(n=Sum("n"))
                    .filter(n__gt=0).order_by())
    grants = JointCaseGroupObjectPermission.objects.filter(**held)
    return list(grants.values(program=F("case_program"), status=F("case_status")).annotate(n=Count("*"))
                .order_by())


# Any constant: the advisory lock that keeps two folds of the counts from running at once.
FOLD_LOCK = 7_311_020
# Each count with more than one row (models.GrantCount): its rows deleted and their sum written back, in one
# statement, so that rows written after its snapshot are left alone for the next fold.
FOLD = """
WITH busy AS (SELECT group_id, permission_id, program, status FROM partnerships_grantcount
              GROUP BY 1, 2, 3, 4 HAVING count(*) > 1),
folded AS (DELETE FROM partnerships_grantcount AS c USING busy AS b
           WHERE (c.group_id, c.permission_id, c.program, c.status) = (b.group_id, b.permission_id, b.program, b.status)
           RETURNING c.group_id, c.permission_id, c.program, c.status, c.n),
summed AS (INSERT INTO partnerships_grantcount (group_id, permission_id, program, status, n)
           SELECT group_id, permission_id, program, status, sum(n) FROM folded GROUP BY 1, 2, 3, 4
           HAVING sum(n) <> 0)
SELECT count(*) FROM folded
"""


def fold_case_counts():
    """Fold each count's rows into one (PostgreSQL; a periodic task). Returns the number of rows folded.

    Rows written after the statement's snapshot are left for the next fold, so a count never loses a change;
    a count that sums to zero leaves no row."""
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [FOLD_LOCK])
        if not cursor.fetchone()[0]:
            return 0  # another fold is running
        cursor.execute(FOLD)
        return cursor.fetchone()[0]


def case_records_visible_to(user, records, via="case"):
    """Narrow `records` (subjects, documents: anything hanging off a case through `via`) to those whose case the
    user's agency holds: a join with the agency's grants at view level, one per case, so each record once. From the
    records' side, this reads one grant (an index probe) per record: a search that matches few records costs few
    probes, whatever the number of cases the agency sees."""
    officer = officer_of(user)
    if officer is None:
        return records.none()
    return records.filter(**{f"{via}__grants__group_id": officer.agency.group_id,
                             f"{via}__grants__permission_id": _permission_id(AccessLevel.VIEW)})


def held_by(cases, agency):
    """Narrow a queryset of cases to those the agency holds (at any level)."""
    granted = JointCaseGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), permission_id=_permission_id(AccessLevel.VIEW), group_id=agency.group_id,
    )
    return cases.filter(Exists(granted))


def shares_of_cases(cases):
    """{case id: [(agency, level)]} for a page of cases, in two queries (lead first, then by acronym).

    The grants are read alone (no join); the agencies they name are fetched once each."""
    cases = list(cases)
    rank = {_permission_id(level): index for index, level in enumerate(LEVEL_ORDER)}
    best = {}  # {case id: {group id: rank of the highest level held}}
    grants = JointCaseGroupObjectPermission.objects.filter(content_object__in=[c.pk for c in cases])
    for case_id, group_id, permission_id in grants.values_list("content_object_id", "group_id", "permission_id"):
        held = best.setdefault(case_id, {})
        held[group_id] = max(held.get(group_id, 0), rank[permission_id])
    agencies = {agency.group_id: agency
                for agency in Agency.objects.filter(group_id__in={g for held in best.values() for g in held})}
    lead = {c.pk: c.lead_agency_id for c in cases}
    return {
        case_id: sorted(((agencies[g], LEVEL_ORDER[index]) for g, index in held.items() if g in agencies),
                        key=lambda s, case_id=case_id: (s[0].pk != lead[case_id], s[0].acronym))
        for case_id, held in best.items()
    }


def can(user, case, level):
    return cases_visible_to(user, level).filter(pk=case.pk).exists()


def is_lead(user, case):
    agency = agency_of(user)
    return agency is not None and agency.pk == case.lead_agency_id


def carries_evidence_caveat(case):
    return HANDLING_ORDER.index(case.handling_code) >= HANDLING_ORDER.index("H1")


def lead_only_sharing(handling_code):
    return HANDLING_ORDER.index(handling_code) >= HANDLING_ORDER.index("H2")


def is_tightening(*, releasability_from, releasability_to, handling_from, handling_to):
    return (
        (releasability_from == JointCase.Releasability.CA_US and releasability_to != releasability_from)
        or HANDLING_ORDER.index(handling_to) > HANDLING_ORDER.index(handling_from)
    )


def level_of(agency, case):
    """The highest level the agency holds on the case, or None."""
    codenames = set(
        JointCaseGroupObjectPermission.objects.filter(content_object=case, group_id=agency.group_id)
        .values_list("permission__codename", flat=True)
    )
    held = [level for level in LEVEL_ORDER if PERMISSION_CODENAMES[level] in codenames]
    return held[-1] if held else None


def case_shares(case):
    """[(agency, level)] for every agency holding the case, lead agency first, then by acronym."""
    return shares_of_cases([case]).get(case.pk, [])


def releasability_refusal(case, agency, releasability=None):
    """Why releasability keeps the case from this agency, or None."""
    probe = JointCase(releasability=releasability or case.releasability)
    if probe.allows_country(agency.country):
        return None
    return _(
        "This case is releasable to %(releasability)s: it cannot be shared with %(agency)s (%(country)s)."
    ) % {"releasability": probe.get_releasability_display(), "agency": agency.display_acronym,
         "country": agency.get_country_display()}


def can_control(user, case):
    """May the user's agency change the case itself (title, summary, status, closing, releasability, handling code)
    and its shares (share, change a level, revoke)? An agency that manages the case may; on an H2 or stricter case,
    only the lead agency. A partner holding "manage" there keeps its contribute rights (subjects, documents, results)
    and asks the lead agency through a sharing request. Pages, the API and the services all ask this."""
    if lead_only_sharing(case.handling_code):
        return is_lead(user, case)
    return can(user, case, AccessLevel.MANAGE)


def control_refusal(user, case, doing="change"):
    """Why the user's agency may not change the case (`doing` = "change"), share it ("share") or revoke a share
    ("revoke"); None when it may."""
    if can_control(user, case):
        return None
    if not can(user, case, AccessLevel.MANAGE):
        return {"change": _("Only an agency that manages this case can edit it."),
                "share": _("Only an agency that manages this case can share it."),
                "revoke": _("Only an agency that manages this case can revoke a share.")}[doing]
    values = {"code": case.handling_code, "agency": case.lead_agency.display_acronym}
    return {"change": _("This case is %(code)s: only the lead agency (%(agency)s) may change its title, summary, "
                        "status or handling. Your agency can still add subjects, documents and results."),
            "share": _("This case is %(code)s: only the lead agency (%(agency)s) may share it. "
                       "Ask the lead agency with a sharing request."),
            "revoke": _("This case is %(code)s: only the lead agency (%(agency)s) may revoke its shares.")}[doing] \
        % values


def check_share(*, case, agency, level, by):
    """Raise SharingRefused unless `by` may give `agency` the `level` on `case` directly."""
    if AccessLevel(level) not in LEVEL_ORDER:
        raise SharingRefused(_("Unknown sharing level."))
    refusal = control_refusal(by, case, "share")
    if refusal:
        raise SharingRefused(refusal)
    check_recipient(case=case, agency=agency)


def check_recipient(*, case, agency):
    """Rules about the receiving agency, whoever shares: active, not the lead, releasability."""
    if agency.pk == case.lead_agency_id:
        raise SharingRefused(_("The lead agency always manages its own case."))
    if not agency.is_active:
        raise SharingRefused(_("%(agency)s is not an active agency.") % {"agency": agency.display_acronym})
    refusal = releasability_refusal(case, agency)
    if refusal:
        raise SharingRefused(refusal)


def grant(case, agency, level):
    """Give the agency exactly `level` (and the levels below it) on the case: two statements, where guardian's
    assign_perm and remove_perm take three to four per level (docs/benchmarks.md)."""
    held = [_permission_id(each) for each in LEVEL_ORDER[: LEVEL_ORDER.index(AccessLevel(level)) + 1]]
    grants = JointCaseGroupObjectPermission.objects.filter(content_object=case, group_id=agency.group_id)
    grants.exclude(permission_id__in=held).delete()
    JointCaseGroupObjectPermission.objects.bulk_create(
        [JointCaseGroupObjectPermission(content_object=case, group_id=agency.group_id, permission_id=permission)
         for permission in held],
        ignore_conflicts=True,  # the levels already held stay as they are
    )


def revoke(case, agency):
    JointCaseGroupObjectPermission.objects.filter(content_object=case, group_id=agency.group_id).delete()


# --- teams and their records ---------------------------------------------------------------------

def teams_of(user):
    """The active teams (sites, IBET teams, BEST units) the user's agency is a member of."""
    from partnerships.models import Team

    agency = agency_of(user)
    if agency is None:
        return Team.objects.none()
    return Team.objects.filter(is_active=True, member_agencies=agency)


def partner_agencies(user):
    """The user's own agency and every agency it shares a team with."""
    agency = agency_of(user)
    if agency is None:
        return Agency.objects.none()
    return Agency.objects.filter(Q(pk=agency.pk) | Q(teams__in=teams_of(user))).distinct()


def can_designate(user, agency):
    """Designations are granted and changed by the designating agency's administrators."""
    officer = officer_of(user)
    return bool(officer and officer.role == Officer.Role.AGENCY_ADMIN and officer.agency_id == agency.pk)


def designating_authority(kind, officer):
    """The acronym of the agency that designates `officer` for `kind`, where the deployment names one: for ShipRider
    the other country's authority (settings.SHIPRIDER_DESIGNATING_AUTHORITIES, by the officer's country). None for
    the kinds an agency grants in its own name (Title 19), and for a country no authority is named for."""
    from django.conf import settings

    from partnerships.models import CrossDesignation

    if kind == CrossDesignation.Kind.SHIPRIDER:
        return settings.SHIPRIDER_DESIGNATING_AUTHORITIES.get(officer.agency.country)
    return None


def can_decide_designation(user, designation):
    """May the user renew, suspend, revoke or reinstate this designation? The administrators of its designating
    authority: for ShipRider the agency named for the officer's country (whoever granted it), else the agency that
    granted it."""
    agency = agency_of(user)
    if agency is None or not can_designate(user, agency):
        return False
    if designation.kind == designation.Kind.SHIPRIDER:
        return agency.acronym == designating_authority(designation.kind, designation.officer)
    return agency.pk == designation.designating_agency_id


def administers_team(user, team, acronym):
    """Is the user an administrator of `acronym`, a member agency of the active team (HSI leads every BEST unit, and
    its administrators manage the unit's members)?"""
    officer = officer_of(user)
    return bool(officer and officer.role == Officer.Role.AGENCY_ADMIN and officer.agency.acronym == acronym
                and team.is_active and team.member_agencies.filter(pk=officer.agency_id).exists())


# --- the audit trail ------------------------------------------------------------------------------

def can_read_case_access_log(user, case):
    """Who saw a case is for the lead agency's officers."""
    return is_lead(user, case)


def officers_administered_by(user):
    """The officers an agency administrator manages: their own agency's, never another's."""
    officer = officer_of(user)
    if officer is None or officer.role != Officer.Role.AGENCY_ADMIN:
        return Officer.objects.none()
    return Officer.objects.filter(agency=officer.agency)


def evidence_caveat(case):
    """The H1 caveat every export, print and API answer of the case carries; "" when none applies."""
    if not carries_evidence_caveat(case):
        return ""
    return _("%(code)s: not for use as evidence without the permission of %(agency)s.") % {
        "code": case.handling_code, "agency": case.lead_agency.display_acronym}
