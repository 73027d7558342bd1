"""Charlie's agency (OPP) holds none of alice's cases, so on every GET route of the project he finds no trace of them
or of anything hanging off them. Not his looks like not there: another agency's record answers 404, never 403.

A fixture (`rich`: tests/sweep_support.py, shared with the audit doors sweep) builds alice's cases with one of every
record that hangs off a case, in every app, through the services, and gives every text it writes a marker (ZQXMARK
and three digits). Charlie also holds what legitimately points at alice's case from his side (his side of two
deconfliction hits, a joint operation and a forum action linked to the case): those are where a leak would most
likely be, so they carry no marker of their own.

The sweep walks the resolver (portal/tests/routes.py), so a new route is swept without editing this file, fills each
pattern's parameters with the identifiers of what exists, and requests each path as charlie. No answer may hold a
marker, a reference or a title of alice's cases, and a path that addresses one of alice's records answers exactly
as for a record that does not exist: 404 (or the 405 or redirect that the route gives before it reads anything).
"""

import io
import itertools
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from urllib.parse import unquote, urlencode

import pytest
from django.test import Client
from django.urls import resolve

from cbcf.models import AgendaItem, BriefingBook
from partnerships.models import CaseDocument
from portal.tests.routes import fill, url_patterns
from tests.sweep_support import (
    HIDDEN,
    MARK,
    MISSING,
    RichCase,
    candidates,
    concrete,
    owner_of,
    parameter_names,
    queries,
)

pytestmark = pytest.mark.django_db

MARKED = re.compile(MARK + r"\d{3}")

# Patterns left out of the sweep (path: why). Empty: every GET route is requested, Django's admin included.
NOT_SWEPT = {}

# Routes swept and requests made when the sweep was written (2026-11-28), Django's admin included. Only ever raise
# them. The requests leave out the 12 on the named areas that a migration seeds, which a transactional test run
# earlier in the session empties.
ROUTES_AT_LEAST = 236
REQUESTS_AT_LEAST = 713

# --- what a response gives away -------------------------------------------------------------------

def pdf_text(content):
    """The text of a PDF: poppler's pdftotext where installed, else pypdf (a test dependency of the project)."""
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-q", "-", "-"], input=content, capture_output=True, check=False)
        return done.stdout.decode(errors="replace")
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def readable(response):
    """Headers and body as text: text bodies decoded, PDFs read, other bytes kept (markers are ASCII)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode(errors="replace")
    if response.get("Content-Type", "").startswith("application/pdf"):
        text += "\n" + pdf_text(content)
    return "\n".join(f"{name}: {value}" for name, value in response.items()) + "\n" + text


def traces_in(text, rich, asked):
    """Markers, references and titles of alice's cases in `text`, but for what the request itself carried (a page
    may say which address was not found, or fill a form with what was asked)."""
    found = {marker for marker in MARKED.findall(text) if marker not in asked}
    found |= {trace for trace in rich.traces if trace in text and trace not in asked}
    return sorted(found)


def excerpt(text, trace):
    at = text.find(trace)
    return " ".join(text[max(0, at - 100):at + len(trace) + 60].split())


def describe(trace, rich):
    return f"{trace} ({rich.markers.written_on[trace]})" if trace in rich.markers.written_on else trace


# --- the sweep --------------------------------------------------------------------------------------

@dataclass
class Sweep:
    rich: RichCase
    client: Client
    requests: int = 0
    statuses: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    unmapped: list = field(default_factory=list)
    owner_checks: list = field(default_factory=list)  # (view name, path): the owner must reach one of each

    def get(self, path, query=None):
        full = f"{path}?{urlencode(query)}" if query else path
        response = self.client.get(full)
        self.requests += 1
        self.statuses[full] = response.status_code
        text = readable(response)
        for trace in traces_in(text, self.rich, unquote(full)):
            self.failures.append(f"GET {full} as charlie ({response.status_code}) shows {describe(trace, self.rich)}: "
                                 f"…{excerpt(text, trace)}…")
        if response.status_code >= 500:
            self.failures.append(f"GET {full} as charlie: {response.status_code}")
        return response

    def route(self, path, pattern):
        view_name = resolve(path).view_name
        names = parameter_names(pattern)
        prefix = path.removesuffix(fill(pattern.pattern))
        asked = queries(view_name, self.rich)
        if not names:
            if view_name.split(":")[0].endswith("api") and not asked:
                asked = [{"format": "csv"}]  # every list of the API is also an export
            for query in [None, *asked]:
                self.get(path, query)
            return
        options = {}
        for name in names:
            found = candidates(view_name, name, pattern, self.rich)
            if found is None:
                self.unmapped.append(f"{path} ({view_name}): say what <{name}> addresses")
                return
            options[name] = found
        baseline = self.get(concrete(prefix, pattern, {name: missing[0] for name, (_, missing) in options.items()}))
        addresses_alices = any(whose == HIDDEN for found, _missing in options.values() for _value, whose in found)
        if addresses_alices and baseline.status_code not in (302, 404, 405):
            self.failures.append(f"GET {path} ({view_name}) for records that do not exist: {baseline.status_code}")
        # With two or more parameters, each also takes a value that exists nowhere: alice's case with a record
        # that is not there must look the same as no case at all.
        lists = [found if len(names) == 1 else [*found, missing] for found, missing in options.values()]
        for combination in itertools.product(*lists):
            if all(whose == MISSING for _value, whose in combination):
                continue
            values = {name: value for name, (value, _whose) in zip(names, combination, strict=True)}
            address = concrete(prefix, pattern, values)
            if resolve(address).func is not pattern.callback:
                self.failures.append(f"{address} does not reach {view_name}: give it other values")
                continue
            response = self.get(address)
            for query in asked:
                self.get(address, query)
            if any(whose == HIDDEN for _value, whose in combination):
                self.owner_checks.append((view_name, address))
                # 405 and the admin's redirect to sign in come before any read: alike for every record.
                if not (response.status_code == 404
                        or response.status_code == baseline.status_code and response.status_code in (302, 405)):
                    self.failures.append(
                        f"GET {address} as charlie addresses alice's record: {response.status_code}, where a "
                        f"record that does not exist answers {baseline.status_code}")


def owner_reaches(checks, rich):
    """For each route, alice (or the route's owner) reaches one of the paths that answered charlie 404: the sweep
    addressed real records, not ids of another table."""
    clients, unreached = {}, []
    by_route = {}
    for view_name, path in checks:
        by_route.setdefault(view_name, []).append(path)
    for view_name, paths in by_route.items():
        if view_name.startswith("admin:"):
            continue  # nobody in the cast is staff: the admin answers them all alike, before reading
        owner = owner_of(view_name, rich)
        if owner.pk not in clients:
            clients[owner.pk] = Client(raise_request_exception=False)
            clients[owner.pk].force_login(owner)
        for path in paths:
            if clients[owner.pk].get(path).status_code not in (404, 500):
                break
        else:
            unreached.append(f"{view_name}: {owner.username} reaches none of {paths}")
    return unreached


def test_charlie_finds_no_trace_of_the_case_on_any_route(rich, settings):
    # The sweep is a robot by design; the search and export limits have their own tests and would answer 429 here.
    settings.RATE_LIMIT_SEARCH = settings.RATE_LIMIT_EXPORT = "100000/m"
    client = Client(raise_request_exception=False)  # a server error is an answer to judge, not the end of the sweep
    client.force_login(rich.cast.charlie)
    sweep = Sweep(rich=rich, client=client)
    routes = 0
    for path, pattern in url_patterns():
        if path in NOT_SWEPT:
            continue
        routes += 1
        sweep.route(path, pattern)

    assert not sweep.unmapped, "\n".join(sweep.unmapped)
    assert not sweep.failures, f"{len(sweep.failures)} failures of the promise to charlie:\n" + "\n".join(
        sweep.failures)
    unreached = owner_reaches(sweep.owner_checks, rich)
    assert not unreached, "the sweep addressed nothing real on these routes:\n" + "\n".join(unreached)
    assert {path: sweep.statuses.get(path) for path in rich.bridges} == dict.fromkeys(rich.bridges, 200)
    assert routes >= ROUTES_AT_LEAST and sweep.requests >= REQUESTS_AT_LEAST, (routes, sweep.requests)


def test_charlie_is_told_of_the_overlaps_by_email_without_a_trace_of_the_case(rich):
    to_charlie = [message for message in rich.mail if rich.cast.charlie.officer.email in message.to]
    assert len(to_charlie) == 2, "one notice for each overlap"
    for message in to_charlie:
        text = f"{message.subject}\n{message.body}"
        assert "RCMP" in text and not traces_in(text, rich, asked=""), text


def test_alice_and_bob_see_what_the_sweep_hides_from_charlie(client, rich):
    """The markers are where the sweep looks for them: on the pages, in the API, in PDFs and briefing books."""
    case = rich.cases[0]
    summary_marker = case.summary
    for user in (rich.cast.alice, rich.cast.bob):
        client.force_login(user)
        page = client.get(case.get_absolute_url())
        api = client.get(f"/api/v1/cases/{case.reference}/")
        assert page.status_code == api.status_code == 200
        for response in (page, api):
            text = readable(response)
            assert case.title in text and summary_marker in text
    client.force_login(rich.cast.alice)
    pdf = client.get(CaseDocument.objects.get(case=case, original_name__endswith=".pdf").download_url)
    assert "document content (PDF)" in {rich.markers.written_on[m] for m in MARKED.findall(readable(pdf))}
    book = client.get(f"/cbcf/books/{BriefingBook.objects.get(language='en').pk}/")
    assert AgendaItem.objects.get(proposing_agency=rich.cast.alice.officer.agency).title_en in readable(book)


def test_nothing_left_out_of_the_sweep_is_stale():
    paths = {path for path, _pattern in url_patterns()}
    assert set(NOT_SWEPT) <= paths
