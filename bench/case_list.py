"""Benchmark: the case list, side by side, for an officer who sees about 5 % of the cases.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench
    .venv/bin/python manage.py seed_scale --cases 1000000 --agencies 200 --officers 2000 --events 20000 --yes
    .venv/bin/python bench/case_list.py

A page of 50, the list page's and the API's: first the SQL of the floor (hand-written), of the portal and
of guardian's get_objects_for_user, side by side, against the targets; then the same through Django, where
building and compiling the queryset and making model instances add a constant to every side; then the
counts the pager needs, the full requests, and the query count of each request at two sizes.
"""

from _common import (
    RUNS,
    get_ok,
    line,
    load,
    query_count,
    raw_sql,
    scale_officer,
    signed_in_client,
    timed,
)
from guardian.shortcuts import get_objects_for_user

from partnerships import access, selectors
from partnerships.models import JointCase
from partnerships.views import PAGE_SIZE
from portal.pagination import COUNT_CAP, CappedPaginator

ROWS = 50

# The floor: what a hand-written query would fetch for the page (partnerships/case_list.html shows the
# reference, title, program, status, lead agency acronym and name, opened and updated dates), on the same
# tables and indexes as the portal: the agency's grants, newest case change first, joined to their cases.
FLOOR = (
    "SELECT c.id, c.reference, c.title, c.program, c.status, c.opened_at, c.updated_at, c.lead_agency_id, "
    "a.acronym, a.name_en, a.name_fr FROM partnerships_jointcasegroupobjectpermission p "
    "JOIN partnerships_jointcase c ON c.id = p.content_object_id "
    "JOIN partnerships_agency a ON a.id = c.lead_agency_id "
    "WHERE p.group_id = %s AND p.permission_id = %s "
    "ORDER BY p.case_updated_at DESC, p.content_object_id DESC LIMIT %s"
)
# The API's floor: the same, with every column of the case (its answer carries the summary, releasability,
# handling code, closing date) and the lead agency's names.
API_FLOOR = (
    "SELECT c.*, a.acronym, a.name_en, a.name_fr FROM partnerships_jointcasegroupobjectpermission p "
    "JOIN partnerships_jointcase c ON c.id = p.content_object_id "
    "JOIN partnerships_agency a ON a.id = c.lead_agency_id "
    "WHERE p.group_id = %s AND p.permission_id = %s "
    "ORDER BY p.case_updated_at DESC, p.content_object_id DESC LIMIT %s"
)
# The same page without the grants' copy of updated_at (the floor before migration 0007): walk every
# agency's cases by date and probe the grants for each until the page is full.
FLOOR_WITHOUT_COPY = (
    "SELECT c.id, c.reference, c.title, c.program, c.status, c.opened_at, c.updated_at, c.lead_agency_id, "
    "a.acronym, a.name_en, a.name_fr FROM partnerships_jointcase c "
    "JOIN partnerships_agency a ON a.id = c.lead_agency_id "
    "WHERE EXISTS (SELECT 1 FROM partnerships_jointcasegroupobjectpermission p "
    "WHERE p.content_object_id = c.id AND p.group_id = %s AND p.permission_id = %s) "
    "ORDER BY c.updated_at DESC, c.id DESC LIMIT %s"
)


# What the API page would read as plain dicts: every column of the case and its lead agency's names.
API_VALUES = ("id", "reference", "title", "summary", "program", "status", "releasability", "handling_code",
              "opened_at", "closed_at", "updated_at", "lead_agency__acronym", "lead_agency__name_en",
              "lead_agency__name_fr", "lead_agency__country")


def verdict(met):
    return "met" if met else "MISSED"


def main():
    officer = scale_officer()
    user = officer.user
    total = JointCase.objects.count()
    visible = access.cases_visible_to(user).count()
    view = access._permission_id("view")
    print(f"cases {total}, visible to {user.username} of {officer.agency.acronym}: {visible} "
          f"({100 * visible / total:.1f} %); {RUNS} runs each; page of {ROWS} rows ({load()})")

    def sql_of(queryset):
        return queryset.query.sql_with_params()

    def raw(sql, params=None):
        """A query run as it stands and its rows fetched: what each side costs the database and the driver."""
        return raw_sql(sql, [officer.agency.group_id, view, ROWS] if params is None else params)

    def guardian(defaults, fields=None):
        """guardian's page: as the library's defaults have it (model-wide permissions accepted: a query more
        to look for them), or as the portal would have to call it (accept_global_perms=False)."""
        def queryset():
            options = {} if defaults else {"accept_global_perms": False}
            found = get_objects_for_user(user, "partnerships.view_jointcase", klass=JointCase, **options) \
                .select_related("lead_agency").order_by("-updated_at", "-id")
            return (found.only(*fields) if fields else found)[:ROWS]
        return queryset

    sides = {  # what differs between the page and the API: the columns (the API answers with every one)
        "case list page": (FLOOR, lambda: selectors.case_rows(user=user)[:ROWS], selectors.CASE_ROW_FIELDS),
        "API page": (API_FLOOR, lambda: selectors.case_list(user=user)[:ROWS], None),
    }
    results = {}

    def measure(name, function):
        results[name] = timed(function)
        line(name, *results[name])
        return results[name][0]

    for side, (floor_sql, portal_queryset, fields) in sides.items():
        params = [officer.agency.group_id, view, ROWS]
        # The targets compare queries: the floor is a query, and so is what get_objects_for_user returns.
        print(f"{side}, {ROWS} rows: the SQL alone (each run through the same cursor, its rows fetched)")
        floor_ms = measure("  floor: hand-written SQL", raw(floor_sql))
        portal_ms = measure("  the portal's SQL", raw(*sql_of(portal_queryset())))
        guardian_ms = measure("  guardian's SQL", raw(*sql_of(guardian(False, fields)())))
        print(f"  -> portal / floor {portal_ms / floor_ms:.2f}x (target within 2x: "
              f"{verdict(portal_ms <= 2 * floor_ms)}); guardian / portal {guardian_ms / portal_ms:.1f}x "
              f"(target at least 10x: {verdict(guardian_ms >= 10 * portal_ms)})")
        # Django's own cost comes on top of every side alike: building and compiling a queryset, and making model
        # instances of the rows (the page's cases and their lead agencies), whatever the query is.
        print(f"{side}, {ROWS} rows: through Django (built, compiled, run, rows made into model instances)")
        measure("  floor: hand-written SQL, as objects", lambda sql=floor_sql, params=params: list(
            JointCase.objects.raw(sql, params)))
        compile_ms = measure("  the portal's queryset built and compiled, not run",
                             lambda q=portal_queryset: q().query.sql_with_params())
        django_ms = measure("  the portal's queryset", lambda q=portal_queryset: list(q()))
        values_ms = measure("  the portal's queryset as plain dicts", lambda q=portal_queryset, f=fields: list(
            q().values(*(f or API_VALUES))))
        safe_ms = measure("  guardian get_objects_for_user, no global perms",
                          lambda f=fields: list(guardian(False, f)()))
        default_ms = measure("  guardian get_objects_for_user, library defaults",
                             lambda f=fields: list(guardian(True, f)()))
        print(f"  -> Django adds {django_ms - portal_ms:.2f} ms to the portal's SQL ({compile_ms:.2f} ms to build "
              f"and compile, the rest to make {2 * ROWS} model instances), the same on guardian's side; "
              f"guardian / portal {default_ms / django_ms:.1f}x with the library's defaults, "
              f"{safe_ms / django_ms:.1f}x without global permissions; {default_ms / values_ms:.1f}x against the "
              f"portal's page as plain dicts (not what the pages use)")
    measure("hand-written SQL without the grants' copy of updated_at", raw(FLOOR_WITHOUT_COPY))

    client = signed_in_client(user)

    def page():
        get_ok(client, "/cases/")

    def api():
        get_ok(client, f"/api/v1/cases/?page_size={ROWS}")

    def page_filtered():
        get_ok(client, "/cases/?program=ibet&status=open")

    print("counts and full requests:")
    measure("COUNT(*) of every visible case (the old pager)", lambda: selectors.case_list(user=user).count())
    measure(f"count up to {COUNT_CAP:,} (the page's pager)",
            lambda: CappedPaginator(selectors.case_rows(user=user), PAGE_SIZE).count)
    measure(f"case list page, full request ({PAGE_SIZE} rows)", page)
    measure("case list page, filtered by program and status", page_filtered)
    measure(f"API page of {ROWS}, full request", api)
    # Why: guardian hashes every visible id first (cost grows with the visible set). The portal reads the first
    # 50 entries of the agency's range of the grants' (group, permission, case_updated_at) index and joins
    # their cases: the same work at any size. Without the copy, walking every agency's cases by date and
    # probing the grants for each costs 1 / (the visible share) probes per row: 20 per row at 5 %.

    narrow = "?program=ibet&status=open"
    narrow_count = selectors.case_list(user=user).filter(program="ibet", status="open").count()
    print("queries per request (must not grow with rows):")
    print(f"  case list page, {visible} visible: {query_count(page)}; "
          f"filtered to {narrow_count}: {query_count(lambda: get_ok(client, '/cases/' + narrow))}; "
          f"page 3: {query_count(lambda: get_ok(client, '/cases/?page=3'))}")
    print(f"  API, page of 10: {query_count(lambda: get_ok(client, '/api/v1/cases/?page_size=10'))}; "
          f"page of 50: {query_count(api)}; "
          f"page of 200: {query_count(lambda: get_ok(client, '/api/v1/cases/?page_size=200'))}")


if __name__ == "__main__":
    main()
