"""Add synthetic audit records to the bench database, in one INSERT ... SELECT generate_series, then seal them.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench REDIS_URL=redis://127.0.0.1:6379/10
    .venv/bin/python bench/seed_audit.py --upto 5000       # the first 5,000 records
    .venv/bin/python bench/seed_audit.py --upto 500000     # then the rest, up to 500,000

Run after seed_scale (the records name its officers and cases). `--upto N` adds records until the trail holds N
(a second call continues where the first stopped), runs VACUUM ANALYZE on the audit table (a settled trail: the
GIN index's pending list merged, planner statistics), then `manage.py seal_audit` once, so that every record is
sealed as the sealer process would have left it.

The mix, drawn with a fixed seed: half case reads (`case.view`, the case set, page or API), 40 % lists
(`case.list`, `returned` holding 25-50 case ids, one of them the record's drawn case), 10 % denied attempts
(`case.denied`, by reference only, no case), by random seeded officers, one a minute going back from the first
record. Case ids are drawn uniformly from the seeded cases, so a case has about 0.25 reads and 4.5 lists at
500,000 records. The probe case of "who saw my case" (bench/audit_trail.py) is different on purpose: every 20th
of the first 5,000 records is about it (250 records: 125 reads, 100 lists, 25 denied, with the same mix) and no
later record names it, so that its page is the same at 5,000 and at 500,000 records and only the trail around it
grows. The probe case is one the bench officer's agency cannot see, so that the exports and lists of
bench/audit_trail.py never name it. Writes the audit table directly as the database owner: run it on the bench
database only.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _common import load  # noqa: E402  (sets Django up)
from django.db import connection  # noqa: E402

from partnerships.models import AuditEvent, JointCase  # noqa: E402

PROBE_UNTIL = 5_000
PROBE_EVERY = 20

INSERT = """
WITH officers AS (
    SELECT array_agg(u.id ORDER BY o.id) AS users, array_agg(u.username ORDER BY o.id) AS names,
           array_agg(o.agency_id ORDER BY o.id) AS agencies, count(*)::int AS n
    FROM partnerships_officer o JOIN auth_user u ON u.id = o.user_id
), drawn AS (
    SELECT g, random() AS kind, 1 + floor(random() * n)::int AS who, users, names, agencies,
           CASE WHEN g <= %(probe_until)s AND g %% %(probe_every)s = 0 THEN %(probe)s::bigint
                ELSE 1 + floor(random() * %(cases)s)::bigint END AS drawn_case
    FROM generate_series(%(start)s, %(stop)s) AS g, officers
), cased AS (  -- no record after the first 5,000 names the probe case
    SELECT *, CASE WHEN drawn_case = %(probe)s AND NOT (g <= %(probe_until)s AND g %% %(probe_every)s = 0)
                   THEN drawn_case %% %(cases)s + 1 ELSE drawn_case END AS one_case
    FROM drawn
)
INSERT INTO partnerships_auditevent (at, username, action, door, outcome, object_type, object_ref, ip_address,
                                     user_agent, request_id, detail, agency_id, user_id, case_id, returned)
SELECT timestamptz '2025-06-01 00:00:00+00' + g * interval '1 minute',
       names[who],
       CASE WHEN kind < 0.5 THEN 'case.view' WHEN kind < 0.9 THEN 'case.list' ELSE 'case.denied' END,
       CASE WHEN kind < 0.9 AND g %% 3 = 0 THEN 'api' ELSE 'page' END,
       CASE WHEN kind < 0.9 THEN 'success' ELSE 'denied' END,
       CASE WHEN kind < 0.5 OR kind >= 0.9 THEN 'case' ELSE '' END,
       CASE WHEN kind < 0.5 OR kind >= 0.9 THEN 'SCALE-' || lpad(one_case::text, 9, '0') ELSE '' END,
       ('10.' || (g %% 200) || '.' || (g / 200 %% 250) || '.' || (1 + g %% 251))::inet,
       'Mozilla/5.0 (X11; Linux x86_64) bench/seed_audit.py',
       md5(g::text),
       CASE WHEN kind < 0.5 THEN '{}'::jsonb
            WHEN kind < 0.9 THEN '{"query": {"page_size": "50"}}'::jsonb
            ELSE jsonb_build_object('path', '/cases/SCALE-' || lpad(one_case::text, 9, '0') || '/') END,
       agencies[who], users[who],
       CASE WHEN kind < 0.5 THEN one_case END,
       CASE WHEN kind >= 0.5 AND kind < 0.9 THEN ARRAY(
           SELECT DISTINCT x FROM (
               SELECT one_case AS x
               UNION ALL
               SELECT CASE WHEN v = %(probe)s THEN v %% %(cases)s + 1 ELSE v END
               FROM (SELECT 1 + floor(random() * %(cases)s)::bigint AS v
                     FROM generate_series(1, 24 + g %% 26)) AS others
           ) AS ids ORDER BY x)
            ELSE '{}'::bigint[] END
FROM cased
ORDER BY g
"""


def invisible_to_bench_agency():
    """The cases the bench officer's agency (S0001) cannot see: its exports and API lists never name them, so that
    bench/audit_trail.py adds no record about them and a second run finds the same records."""
    from partnerships.models import JointCaseGroupObjectPermission

    group = JointCase.objects.filter(lead_agency__acronym="S0001").values("lead_agency__group_id")[:1]
    return JointCase.objects.exclude(pk__in=JointCaseGroupObjectPermission.objects.filter(group_id=group)
                                     .values("content_object_id"))


def probe_case():
    """The case "who saw my case" is measured on: the newest case the bench agency cannot see."""
    return invisible_to_bench_agency().order_by("-pk").values_list("pk", flat=True)[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upto", type=int, default=500_000, help="records the trail holds afterwards")
    options = parser.parse_args()
    have = AuditEvent.objects.count()
    if have >= options.upto:
        sys.exit(f"The trail holds {have} records already.")
    start = have + 1
    cases = JointCase.objects.count()
    probe = probe_case()
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [start / (options.upto + 1)])  # a fixed seed for each range
        cursor.execute(INSERT, {"start": start, "stop": options.upto, "cases": cases, "probe": probe,
                                "probe_until": PROBE_UNTIL, "probe_every": PROBE_EVERY})
        inserted = cursor.rowcount
    print(f"{inserted} audit records inserted ({start} to {options.upto}) in {time.monotonic() - started:.1f} s; "
          f"probe case #{probe} ({load()})", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) partnerships_auditevent")
    print(f"vacuumed and analyzed at {time.monotonic() - started:.1f} s", flush=True)
    subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "seal_audit"], cwd=ROOT, check=True)  # noqa: S603
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) partnerships_auditseal")
    print(f"sealed at {time.monotonic() - started:.1f} s ({load()})", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT action, count(*), round(avg(cardinality(returned)), 1) FROM partnerships_auditevent "
                       "GROUP BY action ORDER BY action")
        for action, count, returned in cursor.fetchall():
            print(f"  {action:12s} {count:8d} records, {returned} cases returned on average")
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('partnerships_auditevent')), "
                       "pg_size_pretty(pg_relation_size('partnerships_auditevent_returned_gin'))")
        table, gin = cursor.fetchone()
        print(f"  audit table with its indexes {table}, of which the GIN index on returned {gin}")


if __name__ == "__main__":
    main()
