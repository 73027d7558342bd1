"""Why bench/audit_trail.py misses its targets, measured on the bench database (nothing is kept).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench REDIS_URL=redis://127.0.0.1:6379/10
    .venv/bin/python bench/audit_trail_causes.py

1. "Who saw my case": the page as `selectors.case_access_log` and its paginator run it, against the page's ids
   taken inside the union (`pk__in=union.order_by("-pk")[:50]`, the proposed fix), for the probe case and the
   typical case of bench/audit_trail.py; the same records or not, and the plan of each.
2. The record: what `audit.record` costs a page of 50 and an export of every visible case, with the GIN index on
   `returned` as it is (`fastupdate` on: a pending list that the insert overflowing it merges) and with
   `fastupdate = off` (the proposed fix). Inside one transaction that is rolled back: no record is kept and the
   index is left as it was.
3. The committed record (issue 17's throughput): time and WAL per page record, each its own commit as an API list's
   is, right after a CHECKPOINT, with the index's pending list (the sealer merges it: migration 0015) and with every
   id written into the index at once (`fastupdate = off`, migration 0011). These records are kept (300 per way):
   the bench database only.
"""

import time

from _common import RUNS, line, load, percentiles, scale_officer, timed  # sets Django up
from django.core.paginator import Paginator
from django.db import connection, transaction
from seed_audit import invisible_to_bench_agency, probe_case

from partnerships import audit, selectors
from partnerships.filters import AuditFilter
from partnerships.models import AuditEvent, JointCase

GIN = "partnerships_auditevent_returned_gin"


def who_saw():
    probe = probe_case()
    typical = AuditEvent.objects.filter(pk__lte=5000, case__in=invisible_to_bench_agency()).exclude(case=probe) \
        .order_by("-pk").values_list("case_id", flat=True)[0]
    print(f"1. who saw my case, {AuditEvent.objects.count():,} records; {RUNS} runs each ({load()})")
    for label, case_id in [("probe case", probe), ("typical case", typical)]:
        case = JointCase.objects.get(pk=case_id)
        events = AuditFilter({}, queryset=selectors.case_access_log(case=case)).qs
        about = AuditEvent.objects.filter(case=case).order_by().values("pk")
        by_reference = AuditEvent.objects.filter(object_type="case", object_ref=case.reference).order_by() \
            .values("pk")
        listed = AuditEvent.objects.filter(returned__has_case=case.pk).order_by().values("pk")
        union = about.union(by_reference, listed)

        def now(events=events):
            shown = Paginator(events, 50).get_page(None)
            return shown.paginator.count, [event.pk for event in shown]

        def inside(union=union):
            page = AuditEvent.objects.filter(pk__in=union.order_by("-pk")[:50]).select_related("agency")
            return union.count(), [event.pk for event in page.order_by("-pk")]

        print(f"  {label} #{case.pk}: {now()[0]} records; the same count and page both ways: {now() == inside()}")
        line("    now: pk__in the union, ordered and sliced outside", *timed(now))
        line("    proposed: the page's ids taken inside the union", *timed(inside))
        for name, queryset in [("now", events[:50]),
                               ("proposed", AuditEvent.objects.filter(pk__in=union.order_by("-pk")[:50])
                                .select_related("agency").order_by("-pk"))]:
            sql, params = queryset.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
                plan = [row[0] for row in cursor.fetchall()]
            walked = [row.strip() for row in plan if "Index Scan Backward" in row or "Merge Join" in row]
            print(f"    {name}'s plan: {plan[-1].strip()}; {'; '.join(walked) or 'no walk of the primary key'}")


class _Rollback(Exception):
    pass


def record_cost():
    user = scale_officer().user
    page = list(selectors.case_list(user=user)[:50])
    every = list(selectors.case_rows(user=user).values_list("pk", flat=True))
    print(f"2. the record: a page of 50, and an export of {len(every):,} ids; 8 exports and 200 pages a side, "
          f"in a transaction rolled back ({load()})")

    def record(returned):
        with transaction.atomic():  # a savepoint: the cost of the insert, not of a commit
            audit.record(action=AuditEvent.Action.CASE_LIST, door=AuditEvent.Door.API, user=user,
                         query={"page_size": "50"}, returned=returned)

    def pending():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pending_pages FROM pgstatginindex(%s)", [GIN])
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")  # pgstatginindex: the pending list's pages
    for fastupdate in ("on", "off"):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"ALTER INDEX {GIN} SET (fastupdate = {fastupdate})")
                exports = []
                for _ in range(8):
                    before = pending()
                    started = time.perf_counter()
                    record(every)
                    exports.append(f"{(time.perf_counter() - started) * 1000:.0f} ({before}->{pending()})")
                pages = []
                for _ in range(200):
                    started = time.perf_counter()
                    record(page)
                    pages.append((time.perf_counter() - started) * 1000)
                median, p95 = percentiles(pages)
                print(f"  fastupdate {fastupdate}: export record, ms (pending pages before->after): "
                      f"{', '.join(exports)}")
                print(f"  fastupdate {fastupdate}: page record median {median:.2f} ms, p95 {p95:.2f} ms, "
                      f"max {max(pages):.1f} ms ({load()})", flush=True)
                raise _Rollback
        except _Rollback:
            pass


def committed_record():
    officer = scale_officer()
    visible = list(JointCase.objects.order_by("?").values_list("pk", flat=True)[:2000])
    print(f"3. a committed page record: time and WAL, 300 each way ({load()})")

    def wal():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            return cursor.fetchone()[0]

    for fastupdate in ("on", "off", "on"):
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER INDEX {GIN} SET (fastupdate = {fastupdate})")
            cursor.execute("CHECKPOINT")
        start, times = wal(), []
        for number in range(300):
            ids = visible[(number * 37) % 1900:(number * 37) % 1900 + 37]
            started = time.perf_counter()
            audit.record(action=AuditEvent.Action.CASE_LIST, door=AuditEvent.Door.API, user=officer.user,
                         returned=ids)
            times.append((time.perf_counter() - started) * 1000)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [start])
            per_record = float(cursor.fetchone()[0]) / 300 / 1024
        median, p95 = percentiles(times)
        print(f"  fastupdate {fastupdate}: median {median:.2f} ms, p95 {p95:.2f} ms, WAL {per_record:.1f} kB a record "
              f"({load()})", flush=True)
    audit.seal_all()  # and merge the list, as the sealer does


if __name__ == "__main__":
    who_saw()
    record_cost()
    committed_record()
