"""Benchmark under load: gunicorn on loopback, wrk against the case list API and /healthz, in one run.

    apt-get install -y wrk          # wrk is a Debian package
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench REDIS_URL=redis://127.0.0.1:6379/10
    .venv/bin/python bench/load.py [--seconds 30] [--connections 4]

It issues an API token for the bench officer (manage.py issue_api_token), collects the static files
(`manage.py collectstatic --noinput`: with DEBUG off the portal refuses to start without them), starts
`gunicorn portal.wsgi -w 2 -b 127.0.0.1:8031` with DEBUG off (a throwaway secret key, ALLOWED_HOSTS
127.0.0.1, no https redirect: plain http on loopback) and the per-token rate limit raised
(API_RATE_LIMIT=1000000/min; the default, 600/min, would answer 429 within a second), runs wrk
against /healthz (the trivial endpoint: what the stack costs without the portal's work) and then
the API's case list (a page of 50), samples the web processes' memory (RSS, ps) while they run,
and stops gunicorn. wrk, gunicorn and PostgreSQL share the machine's cores.
"""

import argparse
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from _common import Gunicorn

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = "127.0.0.1:8031"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (two per worker)")
    parser.add_argument("--user", default="scale1", help="the bench officer (seed_scale's first officer of S0001)")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the bench database.")
    key = _token(options.user)
    with Gunicorn(ADDRESS, workers=2) as server:
        print(f"gunicorn pid {server.pid}, 2 workers; wrk -t2 -c{options.connections} -d{options.seconds}s; "
              f"load before {os.getloadavg()[0]:.2f}")
        api = f"http://{ADDRESS}/api/v1/cases/?page_size=50"
        results = {}
        for name, url, headers in [("/healthz", f"http://{ADDRESS}/healthz", []),
                                   ("API case list, page of 50", api, ["-H", f"Authorization: Token {key}"])]:
            _check(url, headers)
            sampler = _RssSampler(server.pid)
            sampler.start()
            command = ["wrk", "-t2", f"-c{options.connections}", f"-d{options.seconds}s", "--latency", *headers, url]
            output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
            sampler.stop()
            results[name] = _parse(output)
            results[name]["rss"] = sampler.peak
            results[name]["load"] = os.getloadavg()[0]
        for name, result in results.items():
            print(f"{name:27s} {result['rps']:8.1f} req/s  latency p50 {result['p50']}  p90 {result['p90']}  "
                  f"p99 {result['p99']}  requests {result['requests']}  errors {result['errors']}  "
                  f"web RSS peak {result['rss']}  (load {result['load']:.2f})")
        ratio = results["API case list, page of 50"]["rps"] / results["/healthz"]["rps"]
        print(f"throughput, API case list / healthz: {ratio:.2f}")


def _token(username):
    output = subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "issue_api_token", username,  # noqa: S603
                             "--read-only", "--days", "1", "--name", "bench/load.py"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return output.strip().splitlines()[-1]


def _check(url, headers):
    """One request by hand first: a load test of an error page measures nothing."""
    request = urllib.request.Request(url, headers=dict([headers[1].split(": ", 1)]) if headers else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http on loopback, our own URL
        if response.status != 200:
            sys.exit(f"{url} answered {response.status}")


def _parse(output):
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M))
    errors = re.search(r"Socket errors: (.*)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50": latency.get("50"), "p90": latency.get("90"), "p99": latency.get("99"),
        "errors": ", ".join(filter(None, [errors and errors.group(1), non_2xx and f"non-2xx {non_2xx.group(1)}"]))
        or "0",
    }


class _RssSampler(threading.Thread):
    """The largest total RSS of gunicorn's master and workers seen while wrk runs (ps, every 0.5 s)."""

    def __init__(self, master):
        super().__init__(daemon=True)
        self.master, self.running, self.kib, self.per_process = master, True, 0, ""

    def run(self):
        while self.running:
            rows = subprocess.run(["ps", "-o", "pid=,ppid=,rss=", "-e"],  # noqa: S607 - ps from the PATH
                                  capture_output=True, text=True).stdout
            mine = [(int(pid), int(rss)) for pid, ppid, rss in (row.split() for row in rows.splitlines())
                    if int(pid) == self.master or int(ppid) == self.master]
            if sum(rss for _pid, rss in mine) > self.kib:
                self.kib = sum(rss for _pid, rss in mine)
                self.per_process = " + ".join(f"{rss // 1024}" for _pid, rss in sorted(mine))
            time.sleep(0.5)

    def stop(self):
        self.running = False
        self.join()

    @property
    def peak(self):
        return f"{self.kib / 1024:.0f} MiB ({self.per_process} MiB)"


if __name__ == "__main__":
    main()
