"""Benchmark: the audit trail of issue 17 at one million cases and 500,000 audit records, in one run.

    apt-get install -y wrk
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench REDIS_URL=redis://127.0.0.1:6379/10
    .venv/bin/python bench/audit_trail.py [--seconds 20] [--small-database portal_bench_5k]

Needs the bench database seeded with seed_scale (one million cases) and bench/seed_audit.py up to 500,000
records, and a copy of it taken at 5,000 records (`--small-database`; docs/benchmarks.md says how). Four parts:

1. "Who saw my case" (first, on the settled trail): the SQL the access-log page runs through
   `selectors.RecordUnion` over `case_access_log_lookups` (its count and its page of 50, as the paginator asks
   for them, taken from the queries Django runs) against a hand-written floor returning the same count and page,
   at 5,000 records (the small database) and at 500,000 (the bench database), for the probe case of
   seed_audit.py (the same 250 records in both) and for a typical case (a few records; both cases invisible to
   the bench officer, so that the exports and lists below add no record about them and a second run finds the
   same).
2. Throughput: two gunicorns with 4 workers each, DEBUG off, one writing the audit trail and one with
   AUDIT_SKIP_WRITES_FOR_BENCH=1 (the bench-only switch; gunicorn runs no system checks), with
   `manage.py seal_audit --loop --interval 1` beside them as in production; wrk against the API case list (a
   page of 50, the bench officer's read-only token) with 1, 2, 4 and 8 connections, the two servers taking turns
   at each (the order flips from one concurrency to the next, so that a drift in the machine's load falls on
   both). After each audited run: the records written and how long the sealer took to seal them all. With
   `--async-commit`, a third server with AUDIT_READS_ASYNC_COMMIT=1 (a policy setting, off by default) takes its turn
   too, and its ratio to the skipped server is reported beside the target's.
3. The export's first byte: the unfiltered CSV export (every case the officer sees) as a signed-in session,
   five times one after another: time to the first byte of the body and to the last.
4. Export against reads: one wrk connection on an API read (the case list's page of 50, then a case's detail)
   for the set time without an export, with the export running in a loop beside it, and without again; p99
   with against the mean of the two p99s without.

Writes audit records (the audited runs and the exports) and a token: run it on the bench database only.
"""

import argparse
import http.client
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import RUNS, load, production_env, scale_officer, signed_in_client, timed, wait_until_up  # sets Django up
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Max
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from seed_audit import invisible_to_bench_agency, probe_case

from partnerships import selectors
from partnerships.filters import AuditFilter
from partnerships.models import AuditEvent, AuditSeal, JointCase

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv/bin/python")
AUDITED, SKIPPED, ASYNC = "127.0.0.1:8041", "127.0.0.1:8042", "127.0.0.1:8043"
PAGE = 50

# The floor: the same count and page, hand-written: the three index lookups' ids united, counted; and the page's
# 50 newest ids taken from the union before the records (and their agencies) are read.
FLOOR_IDS = ("(SELECT id FROM partnerships_auditevent WHERE case_id = %(case)s) "
             "UNION (SELECT id FROM partnerships_auditevent WHERE object_type = 'case' AND object_ref = %(ref)s) "
             "UNION (SELECT id FROM partnerships_auditevent WHERE returned @> ARRAY[%(case)s]::bigint[])")
FLOOR_COUNT = f"SELECT count(*) FROM ({FLOOR_IDS}) ids"  # noqa: S608 - constants
FLOOR_PAGE = (f"SELECT e.*, a.* FROM (SELECT id FROM ({FLOOR_IDS}) ids ORDER BY id DESC LIMIT {PAGE}) page "  # noqa: S608
              "JOIN partnerships_auditevent e USING (id) LEFT JOIN partnerships_agency a ON a.id = e.agency_id "
              "ORDER BY e.id DESC")


def verdict(met):
    return "met" if met else "MISSED"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20, help="each wrk run")
    parser.add_argument("--reads-seconds", type=int, help="each wrk run of part 4 (default: --seconds): a p99 of a "
                        "single connection's 15 s (about 900 requests) is its ninth slowest, and varies by itself")
    parser.add_argument("--clients", default="1,2,4,8", help="wrk connections, comma-separated")
    parser.add_argument("--rounds", type=int, default=3,
                        help="throughput: runs of each server per concurrency, in turns (the ratio is of the totals)")
    parser.add_argument("--exports", type=int, default=5, help="exports timed one after another")
    parser.add_argument("--small-database", default="portal_bench_5k", help="the copy taken at 5,000 records")
    parser.add_argument("--user", default="scale1", help="the bench officer (seed_scale's first officer of S0001)")
    parser.add_argument("--async-commit", action="store_true",
                        help="throughput: a third server, AUDIT_READS_ASYNC_COMMIT=1 (a read record does not wait for "
                             "its WAL flush), in the same turns")
    parser.add_argument("--skip", default="", help="parts to leave out, comma-separated: who,throughput,export,reads")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the bench database.")
    skip = set(filter(None, options.skip.split(",")))
    officer = scale_officer()
    user = officer.user
    visible = selectors.case_list(user=user).count()
    print(f"cases {JointCase.objects.count()}, visible to {user.username} of {officer.agency.acronym}: {visible}; "
          f"audit records {AuditEvent.objects.count()}, sealed {AuditSeal.objects.count()} ({load()})", flush=True)
    summary = []
    if "who" not in skip:
        summary += who_saw(options.small_database)
    key = _token(options.user)
    secret = secrets.token_urlsafe(50)  # the servers' key: the session below is signed with it
    with override_settings(SECRET_KEY=secret):
        session = signed_in_client(user).session.session_key
    detail = selectors.case_list(user=user).values_list("reference", flat=True)[0]
    with Servers(secret, key, async_commit=options.async_commit) as servers:
        if "throughput" not in skip:
            summary += throughput(options, key)
        if "export" not in skip:
            summary += export_first_byte(options, session, visible)
        if "reads" not in skip:
            summary += export_against_reads(options, key, session, detail)
        servers.check()
    print("\ntargets:")
    for name, value, target, met in summary:
        print(f"  {name:58s} {value:>22s}   target {target:14s} {verdict(met)}")


# --- 1. who saw my case ----------------------------------------------------------------------------

def who_saw(small_database):
    big = connections.databases["default"]
    connections.databases["small"] = {**big, "NAME": small_database}
    # The probe case of bench/seed_audit.py (250 records among the first 5,000, none later), and a typical case: the
    # last case read among the first 5,000 records (a few records in the small trail, a few more in the big one).
    # Neither is visible to the bench officer, whose exports and lists below would add records about them.
    probe = probe_case()
    typical = AuditEvent.objects.filter(pk__lte=5000, case__in=invisible_to_bench_agency()).exclude(case=probe) \
        .order_by("-pk").values_list("case_id", flat=True)[0]
    results, summary = {}, []
    print(f"\n1. who saw my case: the selector's SQL (count + page of {PAGE}) against the hand-written floor; "
          f"{RUNS} runs each")
    for label, case_id in [("probe case", probe), ("typical case", typical)]:
        case = JointCase.objects.get(pk=case_id)
        for alias in ("small", "default"):
            trail = AuditEvent.objects.using(alias).count()
            filterset = AuditFilter({}, queryset=AuditEvent.objects.using(alias))
            filterset.is_valid()
            events = selectors.RecordUnion([filterset.filter_queryset(lookup.using(alias))
                                            for lookup in selectors.case_access_log_lookups(case=case)])

            def page(events=events):  # what the access-log page does: count, then the page of 50
                shown = Paginator(events, PAGE).get_page(None)
                return shown.paginator.count, list(shown)

            with CaptureQueriesContext(connections[alias]) as captured:
                count, rows = page()
            statements = [(query["sql"], None) for query in captured.captured_queries]
            params = {"case": case.pk, "ref": case.reference}
            floor = [(FLOOR_COUNT, params), (FLOOR_PAGE, params)]
            with connections[alias].cursor() as cursor:
                cursor.execute(FLOOR_COUNT, params)
                floor_count = cursor.fetchone()[0]
                cursor.execute(FLOOR_PAGE, params)
                floor_rows = [row[0] for row in cursor.fetchall()]
            same = floor_count == count and floor_rows == [event.pk for event in rows]
            name = f"{label} #{case.pk}, {trail:,} records ({count} about it)"
            print(f"  {name}: {len(statements)} queries, floor's answer the same: {same}")
            floor_ms = _line("    floor: hand-written SQL, count + page", _timed_sql(alias, floor))
            count_ms = _line("    the selector's SQL: count", _timed_sql(alias, statements[:1]))
            page_ms = _line("    the selector's SQL: page", _timed_sql(alias, statements[1:]))
            portal_ms = _line("    the selector's SQL: count + page", _timed_sql(alias, statements))
            django_ms = _line("    through Django (paginator, records made)", timed(page))
            results[label, alias] = portal_ms
            print(f"    -> selector / floor {portal_ms / floor_ms:.2f}x (count {count_ms:.2f} ms, page "
                  f"{page_ms:.2f} ms; Django adds {django_ms - portal_ms:.2f} ms)", flush=True)
            summary.append((f"who saw: {label}, {trail:,} records, / floor", f"{portal_ms / floor_ms:.2f}x "
                            f"({portal_ms:.2f} ms)", "<= 2x", portal_ms <= 2 * floor_ms and same))
        growth = results[label, "default"] / results[label, "small"]
        print(f"  -> {label}: 500,000 records / 5,000 records {growth:.2f}x")
        if label == "probe case":  # the same records in both trails: only the trail around them grew
            summary.append((f"who saw: {label}, 500,000 / 5,000 records", f"{growth:.2f}x", "about 1x",
                            growth <= 1.5))
    connections["small"].close()
    return summary


def _timed_sql(alias, statements, runs=RUNS, warm=3):
    def run():
        with connections[alias].cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
    return timed(run, runs, warm)


def _line(name, result, width=52):
    median, p95 = result
    print(f"{name:{width}s} median {median:8.2f} ms   p95 {p95:8.2f} ms   ({load()})", flush=True)
    return median


# --- the servers -----------------------------------------------------------------------------------

class Servers:
    """Two gunicorns (audit written, audit skipped) with 4 workers each and the sealer beside them."""

    def __init__(self, secret, token, async_commit=False):
        self.secret, self.token, self.async_commit = secret, token, async_commit

    def __enter__(self):
        self.env = production_env({"DJANGO_SECRET_KEY": self.secret})
        self.env.pop("AUDIT_SKIP_WRITES_FOR_BENCH", None)
        self.env.pop("AUDIT_READS_ASYNC_COMMIT", None)
        # With DEBUG off the portal refuses to start without the static files' manifest (portal/checks.py).
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=self.env,  # noqa: S603
                       check=True, stdout=subprocess.DEVNULL)
        self.logs = tempfile.TemporaryDirectory(prefix="audit_trail-")
        self.processes = []
        try:
            self._start_all()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _start_all(self):
        servers = [(AUDITED, {}), (SKIPPED, {"AUDIT_SKIP_WRITES_FOR_BENCH": "1"})]
        if self.async_commit:
            servers.append((ASYNC, {"AUDIT_READS_ASYNC_COMMIT": "1"}))
        for address, extra in servers:
            self._start([str(ROOT / ".venv/bin/gunicorn"), "portal.wsgi", "-w", "4", "-b", address],
                        {**self.env, **extra}, address.replace(":", "_"))
        self._start([PYTHON, "manage.py", "seal_audit", "--loop", "--interval", "1"], self.env, "sealer")
        for address, _extra in servers:
            wait_until_up(address)
            # Every worker imports and connects at its first requests: warm them all up, unmeasured.
            _wrk(address, f"/api/v1/cases/?page_size={PAGE}", 8, 5, {"Authorization": f"Token {self.token}"})
        _wait_sealed()
        print(f"\ngunicorn -w 4 on {AUDITED} (audit written) and {SKIPPED} (AUDIT_SKIP_WRITES_FOR_BENCH=1)"
              f"{f' and {ASYNC} (AUDIT_READS_ASYNC_COMMIT=1)' if self.async_commit else ''}, "
              f"seal_audit --loop --interval 1 beside them; pids "
              f"{', '.join(str(process.pid) for process, _log in self.processes)} ({load()})", flush=True)

    def _start(self, command, env, name):
        log = open(Path(self.logs.name) / f"{name}.log", "w")  # noqa: SIM115 - closed in __exit__
        self.processes.append((subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log), log))  # noqa: S603

    def check(self):
        for process, log in self.processes:
            if process.poll() is not None:
                print(f"process {process.pid} ended with {process.returncode}: {Path(log.name).read_text()[-2000:]}")
        sealer_log = Path(self.processes[-1][1].name).read_text()
        if sealer_log.strip():
            print(f"the sealer said: {sealer_log[-1000:]}")

    def __exit__(self, *exc):
        for process, _log in self.processes:
            process.terminate()
        for process, log in self.processes:
            process.wait(timeout=30)
            log.close()
        self.logs.cleanup()


def _token(username):
    output = subprocess.run([PYTHON, "manage.py", "issue_api_token", username, "--read-only", "--days", "1",  # noqa: S603
                             "--name", "bench/audit_trail.py"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout
    return output.strip().splitlines()[-1]


def _wrk(address, path, connections_, seconds, headers):
    """wrk on one URL: requests/s, latency percentiles in ms, requests, errors, the load when it ended."""
    url = f"http://{address}{path}"
    _check(address, path, headers)
    command = ["wrk", f"-t{min(connections_, 2)}", f"-c{connections_}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    latency = {p: _ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M)}
    errors = re.search(r"Socket errors: (.*)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "requests": int(re.search(r"(\d+) requests in", output).group(1)),
            "p50": latency["50"], "p90": latency["90"], "p99": latency["99"],
            "errors": ", ".join(filter(None, [errors and errors.group(1),
                                              non_2xx and f"non-2xx {non_2xx.group(1)}"])) or "0",
            "load": os.getloadavg()[0]}


def _ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def _check(address, path, headers):
    """One request by hand first: a load test of an error page measures nothing."""
    connection = http.client.HTTPConnection(*address.split(":"), timeout=60)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        sys.exit(f"{path} on {address} answered {response.status}: {body[:300]!r}")


def _unsealed():
    newest = AuditSeal.objects.aggregate(newest=Max("event_id"))["newest"] or 0
    return AuditEvent.objects.filter(pk__gt=newest).count()


# --- 2. throughput ----------------------------------------------------------------------------------

def throughput(options, key):
    headers = {"Authorization": f"Token {key}"}
    path = f"/api/v1/cases/?page_size={PAGE}"
    print(f"\n2. throughput: wrk on {path}, {options.seconds} s a run, audit written / skipped in turns")
    summary = []
    for turn, clients in enumerate(int(value) for value in options.clients.split(",")):
        order = [("audit written", AUDITED), ("audit skipped", SKIPPED)]
        if options.async_commit:
            order.append(("async commit", ASYNC))
        totals = {name: [0, 0.0] for name, _address in order}  # requests, seconds
        for round_ in range(options.rounds):  # the order flips at every run: ABBA... so drift hits both alike
            for name, address in (order if (turn + round_) % 2 == 0 else order[::-1]):
                before = AuditEvent.objects.aggregate(last=Max("pk"))["last"]
                result = _wrk(address, path, clients, options.seconds, headers)
                written = AuditEvent.objects.filter(pk__gt=before).count()
                sealed_after = _wait_sealed() if address != SKIPPED else None
                totals[name][0] += result["requests"]
                totals[name][1] += result["requests"] / result["rps"] if result["rps"] else options.seconds
                extra = (f"; {written} records written, all sealed {sealed_after:.1f} s after the run"
                         if address != SKIPPED else f"; {written} records written")
                print(f"  -c{clients} {name:14s} {result['rps']:8.1f} req/s  p50 {result['p50']:7.2f} ms  "
                      f"p90 {result['p90']:7.2f} ms  p99 {result['p99']:7.2f} ms  requests {result['requests']}  "
                      f"errors {result['errors']}{extra}  (load {result['load']:.2f})", flush=True)
        rates = {name: requests / seconds for name, (requests, seconds) in totals.items()}
        ratio = rates["audit written"] / rates["audit skipped"]
        print(f"  -> -c{clients}: audit written / skipped {ratio:.2f}x over {options.rounds} run(s) each "
              f"(target at least 0.9x: {verdict(ratio >= 0.9)})", flush=True)
        summary.append((f"throughput with audit / without, {clients} client{'s' if clients > 1 else ''}",
                        f"{ratio:.2f}x ({rates['audit written']:.1f}/{rates['audit skipped']:.1f})",
                        ">= 0.9x", ratio >= 0.9))
        if options.async_commit:  # a policy option (off by default), reported beside the target, not for it
            fast = rates["async commit"] / rates["audit skipped"]
            print(f"  -> -c{clients}: with AUDIT_READS_ASYNC_COMMIT=1 / skipped {fast:.2f}x", flush=True)
            summary.append(("  the same, reads' records committed asynchronously",
                            f"{fast:.2f}x ({rates['async commit']:.1f}/{rates['audit skipped']:.1f})", ">= 0.9x",
                            fast >= 0.9))
    return summary


def _wait_sealed(limit=60):
    started = time.monotonic()
    while _unsealed() and time.monotonic() - started < limit:
        time.sleep(0.1)
    return time.monotonic() - started


# --- 3. the export's first byte ---------------------------------------------------------------------

def _export(session, stop=None):
    """One unfiltered export as the signed-in officer: (seconds to the first byte of the body, to the last,
    bytes, lines)."""
    connection = http.client.HTTPConnection(*AUDITED.split(":"), timeout=300)
    started = time.perf_counter()
    connection.request("GET", "/cases/export.csv", headers={"Cookie": f"__Host-sessionid={session}"})
    response = connection.getresponse()
    if response.status != 200:
        sys.exit(f"the export answered {response.status}: {response.read()[:300]!r}")
    first = response.read(1)
    first_byte = time.perf_counter() - started
    size, lines = len(first), first.count(b"\n")
    while chunk := response.read(1 << 16):
        size += len(chunk)
        lines += chunk.count(b"\n")
    connection.close()
    return first_byte, time.perf_counter() - started, size, lines


def export_first_byte(options, session, visible):
    print(f"\n3. the unfiltered export of the {visible:,} cases the officer sees, {options.exports} times in a row")
    runs = []
    for number in range(options.exports):
        first, total, size, lines = _export(session)
        runs.append((first, total))
        print(f"  export {number + 1}: first byte {first * 1000:7.1f} ms, all {total:6.2f} s, {size / 1e6:.1f} MB, "
              f"{lines - 1:,} rows  ({load()})", flush=True)
    firsts, totals = [first for first, _ in runs], [total for _, total in runs]
    print(f"  -> first byte median {statistics.median(firsts) * 1000:.1f} ms, max {max(firsts) * 1000:.1f} ms; "
          f"all of it median {statistics.median(totals):.2f} s (target: first byte within 1 s: "
          f"{verdict(max(firsts) <= 1)})", flush=True)
    return [("export: first byte (max of runs)", f"{max(firsts) * 1000:.0f} ms", "<= 1 s", max(firsts) <= 1),
            ("export: all of it (median, for the record)", f"{statistics.median(totals):.2f} s", "-", True)]


# --- 4. the export against reads ---------------------------------------------------------------------

class _ExportLoop(threading.Thread):
    def __init__(self, session):
        super().__init__(daemon=True)
        self.session, self.stopping, self.runs = session, threading.Event(), []

    def run(self):
        while not self.stopping.is_set():
            self.runs.append(_export(self.session))

    def stop(self):
        self.stopping.set()
        self.join()


def export_against_reads(options, key, session, detail):
    headers = {"Authorization": f"Token {key}"}
    seconds = options.reads_seconds or options.seconds
    print(f"\n4. an API read, one wrk connection, {seconds} s: without the export, with it in a loop, "
          "without again")
    summary = []
    for name, path in [(f"API case list, page of {PAGE}", f"/api/v1/cases/?page_size={PAGE}"),
                       ("API case detail", f"/api/v1/cases/{detail}/")]:
        results = {}
        for phase in ("without", "with export", "without again"):
            loop = None
            if phase == "with export":
                loop = _ExportLoop(session)
                loop.start()
                time.sleep(0.5)  # the first export under way
            result = _wrk(AUDITED, path, 1, seconds, headers)
            exports = ""
            if loop:
                loop.stop()
                exports = (f"; {len(loop.runs)} exports, first byte max "
                           f"{max(first for first, *_ in loop.runs) * 1000:.0f} ms, all of it median "
                           f"{statistics.median(total for _, total, *_ in loop.runs):.2f} s")
            results[phase] = result
            print(f"  {name}, {phase:13s} {result['rps']:7.1f} req/s  p50 {result['p50']:7.2f} ms  "
                  f"p90 {result['p90']:7.2f} ms  p99 {result['p99']:7.2f} ms  requests {result['requests']}  "
                  f"errors {result['errors']}{exports}  (load {result['load']:.2f})", flush=True)
            _wait_sealed()
        baseline = (results["without"]["p99"] + results["without again"]["p99"]) / 2
        ratio = results["with export"]["p99"] / baseline
        print(f"  -> {name}: p99 with the export / without {ratio:.2f}x (target at most 2x: "
              f"{verdict(ratio <= 2)})", flush=True)
        summary.append((f"export vs reads: {name} p99 with / without", f"{ratio:.2f}x "
                        f"({results['with export']['p99']:.1f}/{baseline:.1f} ms)", "<= 2x", ratio <= 2))
    return summary


if __name__ == "__main__":
    main()
