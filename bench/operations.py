"""Benchmark: what an officer and the CBCF secretariat do, each beside its floor and the library default.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench
    .venv/bin/python manage.py seed_scale --cases 1000000 --agencies 200 --officers 2000 --events 20000 --yes
    .venv/bin/python bench/operations.py

For each operation, in one run: the floor (the hand-written SQL that does the same work), the portal,
and what the library would do by default (django-guardian for access; django.contrib.postgres for the
similar-name search), then the full request with its query count at two sizes. Dashboard counts, case
detail, a sharing change, a deconfliction check, and the CBCF briefing book of a 30-item agenda.

It loads the demo data once (ShipRider sites, IBET teams, BEST units: the briefing book's figures walk
them) and writes a bench meeting, shares and audit records: run it on the bench database only.
"""

import datetime
import itertools

from _common import RUNS, get_ok, line, load, query_count, raw_sql, scale_officer, signed_in_client, timed
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from cbcf import briefing
from cbcf.models import ActionItem, AgendaItem, BriefingBook, Initiative, Meeting
from deconfliction import matching
from partnerships import access, selectors, services, subjects
from partnerships.models import AccessLevel, Agency, JointCase, Officer, Purpose, Subject, SubjectKey
from portal import demo as portal_demo

BOOK_RUNS = 10  # a briefing book takes a second, not milliseconds
VIEW = "partnerships.view_jointcase"

COUNTS_FLOOR = (  # the agency's counts as the grants' triggers keep them (migration partnerships/0008)
    "SELECT program, status, sum(n) FROM partnerships_grantcount WHERE group_id = %s AND permission_id = %s "
    "GROUP BY program, status HAVING sum(n) > 0"
)
COUNTS_FROM_GRANTS = (  # counted from the grants' copies of program and status (before partnerships/0008)
    "SELECT case_program, case_status, COUNT(*) FROM partnerships_jointcasegroupobjectpermission "
    "WHERE group_id = %s AND permission_id = %s GROUP BY case_program, case_status"
)
COUNTS_WITHOUT_COPY = (  # counted from the cases' own columns (before partnerships/0007)
    "SELECT c.program, c.status, COUNT(*) FROM partnerships_jointcasegroupobjectpermission p "
    "JOIN partnerships_jointcase c ON c.id = p.content_object_id "
    "WHERE p.group_id = %s AND p.permission_id = %s GROUP BY c.program, c.status"
)
DETAIL_FLOOR = (  # fetch and authorize in one statement, the lead agency joined (what the page shows)
    "SELECT c.*, a.* FROM partnerships_jointcase c JOIN partnerships_agency a ON a.id = c.lead_agency_id "
    "WHERE c.reference = %s AND EXISTS (SELECT 1 FROM partnerships_jointcasegroupobjectpermission p "
    "WHERE p.content_object_id = c.id AND p.group_id = %s AND p.permission_id = %s)"
)
SHARE_FLOOR_REMOVE = (
    "DELETE FROM partnerships_jointcasegroupobjectpermission "
    "WHERE content_object_id = %s AND group_id = %s AND NOT permission_id = ANY(%s)"
)
SHARE_FLOOR_ADD = (
    "INSERT INTO partnerships_jointcasegroupobjectpermission (content_object_id, group_id, permission_id) "
    "SELECT %s, %s, unnest(%s::int[]) ON CONFLICT DO NOTHING"
)
NAME_FLOOR = (  # a person's name: the same name, and the 100 most similar distinct names, on other agencies' open cases
    "WITH alike AS (SELECT name FROM deconfliction_namekey WHERE name %% %(name)s AND name <> %(name)s "
    "ORDER BY similarity(name, %(name)s) DESC LIMIT 100) "
    "SELECT k.subject_id, c.lead_agency_id, k.key FROM partnerships_subjectkey k "
    "JOIN partnerships_subject s ON s.id = k.subject_id JOIN partnerships_jointcase c ON c.id = s.case_id "
    "WHERE k.kind = 'name' AND s.kind = 'person' AND c.lead_agency_id <> %(agency)s AND c.status <> 'closed' "
    "AND k.key = ANY (ARRAY(SELECT name FROM alike) || %(name)s::varchar)"
)


def main():
    from shiprider.models import Site

    if not Site.objects.exists():
        portal_demo.load()  # sites, teams and units for the briefing book's figures; a few demo cases
    officer = scale_officer()
    user, group = officer.user, officer.agency.group_id
    view = access._permission_id(AccessLevel.VIEW)
    client = signed_in_client(user)
    visible = access.cases_visible_to(user).count()
    print(f"cases {JointCase.objects.count()}, visible to {user.username}: {visible}; {RUNS} runs each ({load()})")

    small = Officer.objects.filter(user__username="alice").select_related("user").first() \
        or Officer.objects.exclude(agency__acronym__startswith="S").select_related("user").first()
    small_client = signed_in_client(small.user)
    small_visible = access.cases_visible_to(small.user).count()

    # --- dashboard -------------------------------------------------------------------------------
    print("dashboard counts by program and status:")
    line("  floor: hand-written SQL", *timed(raw_sql(COUNTS_FLOOR, [group, view])))
    line("  hand-written SQL counting the grants", *timed(raw_sql(COUNTS_FROM_GRANTS, [group, view])))
    line("  hand-written SQL from the cases' columns", *timed(raw_sql(COUNTS_WITHOUT_COPY, [group, view])))
    line("  portal (selectors.case_counts)", *timed(lambda: selectors.case_counts(user=user)),
         query_count(lambda: selectors.case_counts(user=user)))
    line(f"  portal, for an officer who sees {small_visible}", *timed(lambda: selectors.case_counts(user=small.user)))
    line("  guardian get_objects_for_user, counted", *timed(lambda: list(
        get_objects_for_user(user, VIEW, klass=JointCase, accept_global_perms=False)
        .order_by().values("program", "status").annotate(n=Count("pk")))))
    line("  dashboard page, full request", *timed(lambda: get_ok(client, "/")),
         query_count(lambda: get_ok(client, "/")))
    print(f"  queries: dashboard at {visible} visible {query_count(lambda: get_ok(client, '/'))}, "
          f"at {small_visible} visible {query_count(lambda: get_ok(small_client, '/'))}")

    # --- case detail ------------------------------------------------------------------------------
    print("case detail: fetch and authorize, then the page:")
    cases = selectors.case_list(user=user).filter(lead_agency=officer.agency)
    busy = cases.annotate(n=Count("subjects")).order_by("-n", "-pk").first()
    quiet = cases.annotate(n=Count("subjects")).filter(n=0).order_by("pk").first()
    shared = selectors.case_list(user=user).exclude(lead_agency=officer.agency).first()  # seen as a partner

    def guardian_detail():
        case = JointCase.objects.select_related("lead_agency").get(reference=shared.reference)
        if not ObjectPermissionChecker(user).has_perm("view_jointcase", case):
            raise SystemExit("guardian refused a case the officer sees")

    line("  floor: hand-written SQL", *timed(raw_sql(DETAIL_FLOOR, [shared.reference, group, view])))
    line("  the portal's SQL, run the same way", *timed(raw_sql(*selectors.case_list(user=user).filter(
        reference=shared.reference)[:1].query.sql_with_params())))
    line("  portal (selectors.case_get)", *timed(lambda: selectors.case_get(user=user, reference=shared.reference)),
         query_count(lambda: selectors.case_get(user=user, reference=shared.reference)))
    line("  guardian: get, then ObjectPermissionChecker", *timed(guardian_detail), query_count(guardian_detail))
    path = busy.get_absolute_url()
    line("  case detail page, full request", *timed(lambda: get_ok(client, path)),
         query_count(lambda: get_ok(client, path)))
    print(f"  queries: case with {busy.subjects.count()} subjects "
          f"{query_count(lambda: get_ok(client, busy.get_absolute_url()))}, with none "
          f"{query_count(lambda: get_ok(client, quiet.get_absolute_url()))}")

    # --- a sharing change -------------------------------------------------------------------------
    print("a sharing change (view <-> contribute for one agency):")
    partner = Agency.objects.filter(acronym__startswith="S", is_active=True).exclude(pk=officer.agency_id) \
        .exclude(pk__in=[a.pk for a, _level in access.case_shares(busy)]).order_by("acronym").first()
    levels = itertools.cycle([AccessLevel.CONTRIBUTE, AccessLevel.VIEW])
    level_ids = {level: [access._permission_id(each) for each in access.LEVEL_ORDER[:index + 1]]
                 for index, level in enumerate(access.LEVEL_ORDER)}

    def floor_share():
        held = level_ids[next(levels)]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(SHARE_FLOOR_REMOVE, [busy.pk, partner.group_id, held])
            cursor.execute(SHARE_FLOOR_ADD, [busy.pk, partner.group_id, held])

    def portal_grant():
        with transaction.atomic():
            access.grant(busy, partner, next(levels))

    def guardian_grant():  # what access.grant did before: assign_perm and remove_perm level by level
        target = access.LEVEL_ORDER.index(next(levels))
        with transaction.atomic():
            for index, each in enumerate(access.LEVEL_ORDER):
                perm = f"partnerships.{access.PERMISSION_CODENAMES[each]}"
                (assign_perm if index <= target else remove_perm)(perm, partner.group, busy)

    def share():
        services.case_share(case=JointCase.objects.get(pk=busy.pk), agency=partner, level=next(levels),
                            purpose=Purpose.OTHER, reason="Benchmark", by=user)

    line("  floor: hand-written SQL (the grants)", *timed(floor_share), query_count(floor_share))
    line("  portal (access.grant)", *timed(portal_grant), query_count(portal_grant))
    line("  guardian assign_perm / remove_perm", *timed(guardian_grant), query_count(guardian_grant))
    line("  the recorded decision (services.case_share)", *timed(share), query_count(share))

    # --- a deconfliction check ----------------------------------------------------------------------
    print("deconfliction check of a person's name against every other agency's open cases:")
    names = [subjects.fold_name(s.name) for s in Subject.objects.filter(kind="person").order_by("?")[:60]]
    agency = officer.agency

    def cycled(function):
        queue = itertools.cycle(names)
        return lambda: function(next(queue))

    def floor_name(name):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                           [str(matching.name_similarity())])
            cursor.execute(NAME_FLOOR, {"name": name, "agency": agency.pk})
            cursor.fetchall()

    def portal_name(name):
        matching.subject_matches(agency=agency, subject_kind="person", keys=[("name", name)])

    def contrib_postgres_name(name):  # django.contrib.postgres's trigram lookup over every name key
        list(SubjectKey.objects.filter(kind="name", subject__kind="person", key__trigram_similar=name)
             .exclude(subject__case__lead_agency=agency).exclude(subject__case__status=JointCase.Status.CLOSED)
             .annotate(similarity=TrigramSimilarity("key", name)).order_by("-similarity")
             .values("subject_id", "subject__case__lead_agency_id", "key")[:100])

    def check(name):
        response = client.post("/api/v1/deconfliction/checks/", {"subject": {"kind": "person", "name": name}},
                               content_type="application/json")
        if response.status_code != 200:
            raise SystemExit(f"check answered {response.status_code}: {response.content[:300]!r}")

    for name in names:  # every name's pages read once, so that the side measured first is not the one paying
        portal_name(name)
    line("  floor: hand-written SQL", *timed(cycled(floor_name)))
    line("  portal (matching.subject_matches)", *timed(cycled(portal_name)), query_count(cycled(portal_name)))
    line("  contrib.postgres trigram_similar", *timed(cycled(contrib_postgres_name)))
    line("  the API's check, full request", *timed(cycled(check)), query_count(cycled(check)))

    # --- the CBCF briefing book ------------------------------------------------------------------------
    print("CBCF briefing book, 30-item agenda (HTML and PDF):")
    officer.is_cbcf_secretariat = True
    officer.save(update_fields=["is_cbcf_secretariat"])
    counts = {}
    for items in (10, 30):
        book = _book(user, officer.agency, items)

        def build(book=book):
            BriefingBook.objects.filter(pk=book.pk).update(status=BriefingBook.Status.BUILDING)
            briefing.build(book)

        counts[items] = query_count(build)
    context = briefing.content(book)  # the 30-item book's data, fetched once

    def render_only():  # the floor: laying out the same HTML and PDF from data already in memory
        with translation.override(book.language):
            briefing._pdf(render_to_string("cbcf/briefing_book.html", context), context)

    line("  floor: the layout alone (data in memory)", *timed(render_only, runs=BOOK_RUNS, warm=1))
    line("  portal (briefing.build: data, HTML, PDF)", *timed(build, runs=BOOK_RUNS, warm=1), counts[30])
    print("  library default: none (nothing in it is an access question)")
    print(f"  queries: briefing book of 10 items {counts[10]}, of 30 items {counts[30]}")


def _book(user, agency, items):
    """A senior officials' meeting with `items` accepted agenda items, some initiatives and action items."""
    starts = timezone.now() + datetime.timedelta(days=30)
    meeting = Meeting.objects.create(title=f"Bench meeting, {items} items", level=Meeting.Level.SENIOR,
                                     starts_at=starts, place="Ottawa", host_country="CA", created_by=user,
                                     breaks=[{"after": 5, "minutes": 15}, {"after": 15, "minutes": 60}])
    AgendaItem.objects.bulk_create([AgendaItem(
        meeting=meeting, proposing_agency=agency, title_en=f"Item {n}: cross-border firearms trafficking",
        title_fr=f"Point {n} : trafic d'armes à feu transfrontalier", summary_en="A summary. " * 20,
        summary_fr="Un résumé. " * 20, purpose=AgendaItem.Purpose.DISCUSSION, presenter="RCMP", minutes=10,
        status=AgendaItem.Status.ACCEPTED, order=n, proposed_by=user) for n in range(1, items + 1)])
    if not Initiative.objects.filter(title_en__startswith="Bench").exists():
        for n in range(10):
            initiative = Initiative.objects.create(title_en=f"Bench initiative {n}", title_fr=f"Initiative {n}",
                                                   text_en="Text. " * 30, text_fr="Texte. " * 30,
                                                   target_date=starts.date())
            initiative.owners.add(agency)
        ActionItem.objects.bulk_create([ActionItem(meeting=meeting, text=f"Bench action {n}", owner=agency,
                                                   due_on=starts.date()) for n in range(20)])
    return BriefingBook.objects.create(meeting=meeting, agenda_version=1, language="en", built_by=user)


if __name__ == "__main__":
    main()
