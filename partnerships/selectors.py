"""Reads. Every query that returns case data starts from access.cases_visible_to()."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404

from partnerships import access
from partnerships.models import (
    AccessLevel,
    Agency,
    AuditEvent,
    CaseRequest,
    JointCase,
    Notification,
    Officer,
    Program,
    SharingDecision,
    Team,
)


def case_list(*, user, level=AccessLevel.VIEW):
    return access.cases_visible_to(user, level).select_related("lead_agency")


# What the case list page and its CSV export show: summaries, bookkeeping and the agency's other fields stay in
# the database (a page's query reads a fifth of the columns, and a long summary costs nothing).
CASE_ROW_FIELDS = ("reference", "title", "program", "status", "releasability", "handling_code", "opened_at",
                   "closed_at", "updated_at", "lead_agency__acronym", "lead_agency__acronym_fr", "lead_agency__name_en",
                   "lead_agency__name_fr")


def case_rows(*, user):
    return case_list(user=user).only(*CASE_ROW_FIELDS)


def case_get(*, user, reference, level=AccessLevel.VIEW, door=AuditEvent.Door.PAGE, path="", control=None):
    """Fetch and authorize in one step, for pages and API alike. Not visible is a 404 and visible
    without the level is a 403 (the case's existence is known to a partner already); both recorded.

    `control` ("change", "share" or "revoke") also asks that the user's agency may change the case or its shares
    (access.can_control: on an H2 or stricter case, the lead agency only); the 403 then says why."""
    from partnerships import audit

    case = case_list(user=user).filter(reference=reference).first()
    if case is None:
        audit.record(action=AuditEvent.Action.CASE_DENIED, door=door, user=user, object_type="case",
                     object_ref=reference, outcome=AuditEvent.Outcome.DENIED, path=path)
        raise Http404
    if level != AccessLevel.VIEW and not access.can(user, case, level):
        audit.record(action=AuditEvent.Action.CASE_DENIED, door=door, user=user, case=case,
                     outcome=AuditEvent.Outcome.DENIED, path=path, needed=str(level))
        raise PermissionDenied
    refusal = access.control_refusal(user, case, control) if control else None
    if refusal:
        audit.record(action=AuditEvent.Action.CASE_DENIED, door=door, user=user, case=case,
                     outcome=AuditEvent.Outcome.DENIED, path=path, needed=f"control:{control}")
        raise PermissionDenied(refusal)
    return case


def case_counts(*, user):
    """{program: {status: n}} over the cases the user may see."""
    rows = access.visible_case_counts(user)
    counts = {program: dict.fromkeys(JointCase.Status.values, 0) for program in Program.values}
    for row in rows:
        counts[row["program"]][row["status"]] = row["n"]
    return counts


def case_shares(*, case):
    return access.case_shares(case)


def case_sharing_history(*, case):
    return (SharingDecision.objects.filter(case=case)
            .select_related("team", "decided_by__officer", "decided_by_agency")
            .prefetch_related(Prefetch("agencies", queryset=Agency.objects.order_by("acronym"))))


def case_history(*, case):
    """What changed on the case, when and by whom (from the audit trail)."""
    actions = [AuditEvent.Action.CASE_CREATE, AuditEvent.Action.CASE_UPDATE, AuditEvent.Action.CASE_CLOSE]
    return AuditEvent.objects.filter(case=case, action__in=actions).select_related("agency").order_by("-id")


def case_requests(*, case, user):
    """The lead agency sees every request about its case; a partner sees its own agency's."""
    requests = case.requests.select_related("requesting_agency", "target_agency", "requested_by", "decided_by")
    if access.is_lead(user, case):
        return requests
    return requests.filter(requesting_agency=access.agency_of(user))


def court_releases(*, case):
    return case.requests.filter(kind=CaseRequest.Kind.COURT_RELEASE, status=CaseRequest.Status.APPROVED) \
        .select_related("requesting_agency")


def requests_awaiting(*, user):
    """Pending requests about cases the user's agency leads."""
    agency = access.agency_of(user)
    if agency is None:
        return CaseRequest.objects.none()
    return CaseRequest.objects.filter(case__in=case_list(user=user).filter(lead_agency=agency),
                                      status=CaseRequest.Status.PENDING).select_related("case", "requesting_agency")


def agencies_to_share_with(*, case):
    """Active agencies the case could still be shared with under its releasability."""
    held = {agency.pk for agency, _level in access.case_shares(case)}
    agencies = Agency.objects.filter(is_active=True).exclude(pk__in=held)
    if case.releasability != JointCase.Releasability.CA_US:
        agencies = agencies.filter(country="CA" if case.releasability == JointCase.Releasability.CA_ONLY else "US")
    return agencies


def agencies_for_request(*, case):
    return agencies_to_share_with(case=case)


def cases_removed(*, user):
    """The cases the user's agency held and holds no more, each with the time of its latest revocation
    (`removed_at`), oldest first: the sync's removals feed.

    Built from the recorded revocations that name the agency, so a reference the agency never held is never
    listed; a case it holds again (shared anew) is left out. Only the reference and the time are given: not who
    decided, nor why."""
    from django.db.models import Max

    agency = access.agency_of(user)
    if agency is None:
        return SharingDecision.objects.none()
    return (
        SharingDecision.objects.filter(action=SharingDecision.Action.REVOKE, agencies=agency)
        .exclude(case__in=access.cases_visible_to(user).values("pk"))
        .values("case__reference").annotate(removed_at=Max("decided_at"))
        .order_by("removed_at", "case__reference")
    )


def teams_to_share_with(*, case):
    return active_teams()


def active_teams():
    """The teams a case may be shared with, whole (the sharing page's choice, the API's `team`)."""
    return Team.objects.filter(is_active=True).prefetch_related("member_agencies")


def case_access_log_lookups(*, case):
    """The three index lookups that make up "who saw my case": the case's own records, denied attempts recorded
    by reference, and the lists, searches and exports that returned it (the GIN index on `returned`)."""
    return [AuditEvent.objects.filter(case=case),
            AuditEvent.objects.filter(object_type="case", object_ref=case.reference),
            AuditEvent.objects.filter(returned__has_case=case.pk)]


def case_access_log(*, case):
    """Every record about the case, as one queryset (for checks and small reads; pages use RecordUnion)."""
    ids = [lookup.order_by().values("pk") for lookup in case_access_log_lookups(case=case)]
    return AuditEvent.objects.filter(pk__in=ids[0].union(*ids[1:])).select_related("agency")


class RecordUnion:
    """Audit records whose ids come from a union of index lookups, newest first: counted and paged on the ids, then
    the page's records fetched by primary key. Its cost follows the records found, never the size of the trail
    (filtering the union from outside let PostgreSQL walk the whole table backwards for a page of 50)."""

    def __init__(self, lookups):
        ids = [lookup.order_by().values_list("id", flat=True) for lookup in lookups]
        self.ids = ids[0].union(*ids[1:]).order_by("-id")
        self.db = lookups[0].db

    def count(self):
        return self.ids.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        return self._records(list(self.ids[key]))

    def iterator(self, chunk_size=2000):
        offset = 0
        while chunk := list(self.ids[offset:offset + chunk_size]):
            yield from self._records(chunk)
            offset += chunk_size

    def _records(self, ids):
        return list(AuditEvent.objects.using(self.db).filter(pk__in=ids).select_related("agency").order_by("-id"))


def agency_activity(*, user):
    """What the administrator's own agency's officers did and saw."""
    agency = access.agency_of(user)
    if not access.is_agency_admin(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(agency=agency).select_related("agency")


def audit_trail(*, user):
    """The whole trail, for auditors only."""
    if not access.is_auditor(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("agency")


def notifications_for(*, user):
    return Notification.objects.filter(recipient=user).select_related(
        "case__lead_agency", "decision", "request__requesting_agency")


def agency_officers(*, user):
    return access.officers_administered_by(user).select_related("user").order_by("last_name", "first_name")


def active_agencies():
    return Agency.objects.filter(is_active=True)


def agency_choices():
    """Every agency, by acronym, for a picker: the case list's lead agency filter offers them all."""
    return Agency.objects.order_by("acronym").only("acronym", "name_en", "name_fr")


AGENCY_DATALIST_KEY = "agency-datalist:{language}"  # the rendered list, per language (partnerships/views.py)
CASE_FILTER_FORM_KEY = "case-filter-form:{language}"  # the case list's form when not filtered, with that list


def forget_agency_datalist(**kwargs):
    """An agency was added, renamed or removed: the pickers' cached list is rendered again, in every language.
    An unreachable cache forgets nothing and stops nothing: the entries expire within the hour anyway."""
    import contextlib

    from django.conf import settings
    from django.core.cache import cache
    from redis.exceptions import RedisError

    with contextlib.suppress(RedisError, OSError):
        cache.delete_many([key.format(language=code) for key in (AGENCY_DATALIST_KEY, CASE_FILTER_FORM_KEY)
                           for code, _name in settings.LANGUAGES])


def officer_directory():
    return Officer.objects.filter(is_active=True, agency__is_active=True).select_related("agency") \
        .order_by("agency__acronym", "last_name", "first_name", "pk")


def agency_tokens(*, user):
    """API tokens of the administrator's own agency's officers."""
    from partnerships.models import ApiToken

    return ApiToken.objects.filter(user__officer__in=access.officers_administered_by(user)) \
        .select_related("user__officer")


def officers_for_tokens(*, user):
    """The administrator's own agency's officers with an active sign-in: those a token may be issued to."""
    return access.officers_administered_by(user).filter(user__is_active=True).select_related("user") \
        .order_by("last_name", "first_name")


def designation_register(*, user):
    """Designations of the user's own agency's officers and of its partners' (agencies sharing a team)."""
    from partnerships.models import CrossDesignation

    return CrossDesignation.objects.filter(officer__agency__in=access.partner_agencies(user)).select_related(
        "officer__agency", "designating_agency")


def designations_expiring_first(queryset):
    """The register's order: active designations first, the soonest to expire at the top; then pending ones; then
    suspended, expired and revoked ones, the latest first."""
    from django.db.models import Case, F, IntegerField, Value, When

    from partnerships.models import CrossDesignation

    Status = CrossDesignation.Status
    rank = Case(When(status=Status.ACTIVE, then=Value(0)), When(status=Status.PENDING, then=Value(1)),
                When(status=Status.SUSPENDED, then=Value(2)), When(status=Status.EXPIRED, then=Value(3)),
                default=Value(4), output_field=IntegerField())
    live_end = Case(When(status__in=[Status.ACTIVE, Status.PENDING], then=F("valid_to")))
    return queryset.annotate(register_rank=rank, register_live_end=live_end).order_by(
        "register_rank", F("register_live_end").asc(nulls_last=True), F("valid_to").desc(), "pk")


def designation_renewal(*, designation):
    """The designation that renews this one (it starts the day after this one ends), or None."""
    from partnerships.models import CrossDesignation

    return CrossDesignation.objects.filter(renews=designation).first()


def shiprider_countries_designated_by(agency):
    """The countries whose officers `agency` designates for ShipRider (settings.SHIPRIDER_DESIGNATING_AUTHORITIES)."""
    from django.conf import settings

    from partnerships.models import Country

    return [Country(country).label for country, acronym in sorted(settings.SHIPRIDER_DESIGNATING_AUTHORITIES.items())
            if agency is not None and acronym == agency.acronym]


def officers_to_designate(*, user):
    """Active officers of the partner agencies, for the designating agency's administrator to choose from."""
    return Officer.objects.filter(agency__in=access.partner_agencies(user), is_active=True).select_related("agency")


def case_subjects(*, case):
    """The subjects of a case the caller has fetched through case_get."""
    return case.subjects.all()


def case_documents(*, case):
    """The documents of a case the caller has fetched through case_get."""
    return case.documents.select_related("uploaded_by_agency")
