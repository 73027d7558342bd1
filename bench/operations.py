"""Benchmark: what an officer and the CBCF secretariat do, each timed with its query count, at two sizes.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench
    .venv/bin/python manage.py seed_scale --cases 1000000 --agencies 200 --officers 2000 --events 20000 --yes
    .venv/bin/python bench/operations.py

Dashboard counts (selector and page), case detail page, a sharing change (services.case_share), a
deconfliction check through the API, and the CBCF briefing book of a 30-item agenda. It loads the demo
data once (ShipRider sites, IBET teams, BEST units: the briefing book's figures walk them) and writes
a bench meeting, shares and audit records: run it on the bench database only.

Query counts are shown at two sizes (an officer seeing ~50,000 cases and one seeing the demo's
handful; a case with many subjects and one with none; 10 and 30 agenda items): they must not differ.
"""

import datetime
import itertools

from _common import RUNS, get_ok, line, load, query_count, scale_officer, signed_in_client, timed
from django.db.models import Count
from django.utils import timezone

from cbcf import briefing
from cbcf.models import ActionItem, AgendaItem, BriefingBook, Initiative, Meeting
from partnerships import access, demo, selectors, services
from partnerships.models import AccessLevel, Agency, JointCase, Officer, Purpose

BOOK_RUNS = 10  # a briefing book takes seconds, not milliseconds


def main():
    from shiprider.models import Site

    if not Site.objects.exists():
        demo.load()  # sites, teams and units for the briefing book's figures; a few demo cases
    officer = scale_officer()
    user = officer.user
    client = signed_in_client(user)
    visible = access.cases_visible_to(user).count()
    print(f"cases {JointCase.objects.count()}, visible to {user.username}: {visible}; {RUNS} runs each ({load()})")

    small = Officer.objects.filter(user__username="alice").select_related("user").first() \
        or Officer.objects.exclude(agency__acronym__startswith="S").select_related("user").first()
    small_client = signed_in_client(small.user)
    small_visible = access.cases_visible_to(small.user).count()

    # --- dashboard -------------------------------------------------------------------------------
    line("dashboard counts (selectors.case_counts)", *timed(lambda: selectors.case_counts(user=user)),
         query_count(lambda: selectors.case_counts(user=user)))
    line("dashboard page, full request", *timed(lambda: get_ok(client, "/")), query_count(lambda: get_ok(client, "/")))
    print(f"  queries: dashboard at {visible} visible {query_count(lambda: get_ok(client, '/'))}, "
          f"at {small_visible} visible {query_count(lambda: get_ok(small_client, '/'))}")

    # --- case detail ------------------------------------------------------------------------------
    cases = selectors.case_list(user=user).filter(lead_agency=officer.agency)
    busy = cases.annotate(n=Count("subjects")).order_by("-n", "-pk").first()
    quiet = cases.annotate(n=Count("subjects")).filter(n=0).order_by("pk").first()
    path = busy.get_absolute_url()
    line("case detail page, full request", *timed(lambda: get_ok(client, path)),
         query_count(lambda: get_ok(client, path)))
    print(f"  queries: case with {busy.subjects.count()} subjects "
          f"{query_count(lambda: get_ok(client, busy.get_absolute_url()))}, with none "
          f"{query_count(lambda: get_ok(client, quiet.get_absolute_url()))}")

    # --- a sharing change -------------------------------------------------------------------------
    partner = Agency.objects.filter(acronym__startswith="S", is_active=True).exclude(pk=officer.agency_id) \
        .exclude(pk__in=[a.pk for a, _level in access.case_shares(busy)]).order_by("acronym").first()
    levels = itertools.cycle([AccessLevel.CONTRIBUTE, AccessLevel.VIEW])

    def share():
        services.case_share(case=JointCase.objects.get(pk=busy.pk), agency=partner, level=next(levels),
                            purpose=Purpose.OTHER, reason="Benchmark", by=user)

    line("sharing change (services.case_share)", *timed(share), query_count(share))

    # --- a deconfliction check through the API ------------------------------------------------------
    names = itertools.cycle(["Jean-François Tremblay", "Michael Jonson", "Xavier Quillfeather"])

    def check():
        response = client.post("/api/v1/deconfliction/checks/", {"subject": {"kind": "person", "name": next(names)}},
                               content_type="application/json")
        if response.status_code != 200:
            raise SystemExit(f"check answered {response.status_code}: {response.content[:300]!r}")

    line("deconfliction check (API, person name)", *timed(check), query_count(check))

    # --- the CBCF briefing book ------------------------------------------------------------------------
    officer.is_cbcf_secretariat = True
    officer.save(update_fields=["is_cbcf_secretariat"])
    counts = {}
    for items in (10, 30):
        book = _book(user, officer.agency, items)

        def build(book=book):
            BriefingBook.objects.filter(pk=book.pk).update(status=BriefingBook.Status.BUILDING)
            briefing.build(book)

        counts[items] = query_count(build)
        if items == 30:
            line("briefing book, 30-item agenda (HTML and PDF)", *timed(build, runs=BOOK_RUNS, warm=1), counts[items])
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
