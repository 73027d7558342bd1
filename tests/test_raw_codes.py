"""Everything a person reads is words, in their language: no page, CSV export or PDF shows the stored code of a choice
("vessel_incursion", "open", "firearms") where its label belongs ("Vessel incursion", «ouverte», «Armes à feu»).

The sweep walks the resolver (portal/tests/routes.py) with the rich case of the route sweeps (tests/sweep_support.py),
as the owner of what each route addresses, once in English and once in French, with the query strings each route reads
(its CSV and PDF exports among them); a briefing book is written in its own language, so each pass reads the book of
its language (HTML and PDF). It reads what a person sees: the text of the page without its tags, scripts,
styles, attribute values, addresses and what it marks as <code>; every cell of a CSV; the text of a PDF.

The codes looked for are the values of every choice of every installed model whose value is not its label. A code that
is also a word of the interface in that language (the English "open" of "open cases", the French "active") cannot be
told from prose and is left out in that language; so are the short upper-case codes that people write themselves
(US, CA, QC, H2, the reliability letters). The API (JSON for machines) and Django's admin (staff only, reference data)
are not swept.
"""

import csv
import io
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import resolve
from django.utils import timezone, translation

from best import services as best_services
from best.models import Investigation
from cbcf.models import BriefingBook
from partnerships import services
from partnerships.models import CrossDesignation, JointCase
from partnerships.tests.factories import OfficerFactory
from portal.tests.routes import fill, url_patterns
from tests.sweep_support import CHARLIES, candidates, concrete, owner_of, parameter_names, queries
from tests.test_no_trace_sweep import pdf_text

pytestmark = pytest.mark.django_db

CATALOG = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
LANGUAGES = ("en", "fr")
NOT_SWEPT_NAMESPACES = {"admin"}  # staff only, reference data; its own translations are Django's
ADDRESS = re.compile(r"(?:https?://|mailto:|/)[^\s\"'<>«»]*")
# a whole word: not part of a longer word, a user name (rcmp.admin) or an identifier (case.changed_at)
BEFORE, AFTER = r"(?<![\w.-])", r"(?![\w-]|\.\w)"
# Exports whose codes are the record itself (view name: why). Only their CSV is exempt; their pages show labels.
MACHINE_EXPORTS = {
    "partnerships:audit_search": "the audit trail's CSV: the append-only, hash-chained record keeps the stable codes "
                                 "of actions, doors and outcomes that auditors' tools read",
    "partnerships:agency_activity": "the same audit trail's CSV, for one agency",
}
# Found by this test and left to others when it was written (view name: why). Take a route out once it passes.
LEFT = {}
# A briefing book is written in its own language, whatever the reader's interface: the English book opened with the
# French interface still reads "IBET persons apprehended". Each pass reads the book of its own language.
BOOKS = {"cbcf:book_html", "cbcf:book_pdf"}
# Routes swept when the test was written (2026-12): only ever raise it.
ROUTES_AT_LEAST = 80


# elements whose text is not prose: scripts and styles, and what a page marks as code (a webhook's wire event name)
MACHINE_TEXT = ("script", "style", "template", "code")


class VisibleText(HTMLParser):
    """The text a person reads on a page: no tags, attribute values, scripts or styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in MACHINE_TEXT:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in MACHINE_TEXT and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        text = pdf_text(content)
    elif kind.startswith("text/csv"):
        text = "\n".join(" | ".join(row) for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    elif kind.startswith("text/html"):
        parser = VisibleText()
        parser.feed(content.decode(errors="replace"))
        text = " ".join(parser.parts)
    else:
        return ""  # calendars, downloads of what a user attached: not the portal's words
    return ADDRESS.sub(" ", text)


def interface_words(language):
    """The words the interface itself writes in `language`: its catalog's strings and its choices' labels."""
    texts = [entry.msgstr if language == "fr" else entry.msgid for entry in polib.pofile(str(CATALOG))]
    with translation.override(language):
        texts += [str(label) for _model, _field, _value, label in choices()]
    # prose words only: an identifier with an underscore quoted in a message ("vehicle_incursion") is still a code
    return {word for text in texts for word in re.findall(r"[^\W\d_]+(?!\w|\.\w)", text)}


def choices():
    """(model, where, value, label) of every choice of every installed model: its fields' choices, and the choices
    classes it declares for values kept otherwise (a list of BEST priorities in a JSON field)."""
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            for value, label in getattr(model_field, "flatchoices", None) or ():
                yield model, model_field.name, str(value), label
        for name, declared in vars(model).items():
            if isinstance(declared, type) and issubclass(declared, models.Choices):
                for value, label in declared.choices:
                    yield model, name, str(value), label


def codes(language):
    """code: where it is defined, for the choices whose code a person must not read in `language`."""
    words = interface_words(language)
    found = {}
    with translation.override(language):
        for model, where, value, label in choices():
            if value == str(label) or value in words or (len(value) <= 3 and value == value.upper()):
                continue
            found.setdefault(value, f"{model._meta.label}.{where} ({label})")
    return found


def codes_in(text, looked_for):
    pattern = re.compile(BEFORE + "(" + "|".join(re.escape(code) for code in sorted(looked_for, key=len,
                                                                                    reverse=True)) + ")" + AFTER)
    return sorted({match[1] for match in pattern.finditer(text)})


def excerpt(text, code):
    at = re.search(BEFORE + re.escape(code) + AFTER, text).start()
    return " ".join(text[max(0, at - 80):at + len(code) + 60].split())


@dataclass
class CodeSweep:
    rich: object
    owners: dict
    language: str
    looked_for: dict
    clients: dict = field(default_factory=dict)
    routes: int = 0
    swept: set = field(default_factory=set)
    failures: list = field(default_factory=list)

    def client(self, view_name):
        owner = self.owners.get(view_name) or owner_of(view_name, self.rich)
        if owner.pk not in self.clients:
            client = Client(raise_request_exception=False)
            client.force_login(owner)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = self.language
            self.clients[owner.pk] = client
        return self.clients[owner.pk]

    def get(self, view_name, path, query=None):
        full = f"{path}?{urlencode(query)}" if query else path
        response = self.client(view_name).get(full)  # its status is the other sweeps' to judge
        exempt = view_name in LEFT or view_name in MACHINE_EXPORTS and (query or {}).get("format") == "csv"
        if response.status_code == 200 and not exempt:
            text = visible_text(response)
            for code in codes_in(text, self.looked_for):
                self.failures.append(f"[{self.language}] GET {full} shows {code!r} ({self.looked_for[code]}): "
                                     f"…{excerpt(text, code)}…")
        return response.status_code

    def route(self, path, pattern):
        view_name = resolve(path).view_name
        if view_name.split(":")[0] in NOT_SWEPT_NAMESPACES or path.startswith("/api/"):
            return
        # the exports and reports a route reads from its query string, not every search term
        asked = [query for query in queries(view_name, self.rich)
                 if "q" not in query and "reference" not in query]
        names = parameter_names(pattern)
        options = []
        for name in names:
            found = candidates(view_name, name, pattern, self.rich)
            if found is None:
                return  # the no-trace sweep names the routes whose parameters nothing fills
            existing, missing = found
            if view_name in BOOKS:
                languages = dict(BriefingBook.objects.values_list("pk", "language"))
                existing = [candidate for candidate in existing if languages.get(candidate[0]) == self.language]
            options.append(sorted(existing, key=lambda candidate: candidate[1] == CHARLIES) or [missing])
        prefix = path.removesuffix(fill(pattern.pattern))
        for combination in itertools.product(*options) if names else [()]:
            address = concrete(prefix, pattern, dict(zip(names, (value for value, _whose in combination),
                                                         strict=True)))
            if resolve(address).func is not pattern.callback:
                continue
            status = self.get(view_name, address)
            if status == 200:
                self.routes += 1
                self.swept.add(view_name)
                for query in asked:
                    self.get(view_name, address, query)
            if status in (200, 405):  # one record of each route is enough: the same template shows them all
                return


def owners_of_routes(rich):
    auditor = OfficerFactory(agency=rich.cast.alice.officer.agency, is_auditor=True, user__username="auditor").user
    return {
        **dict.fromkeys(["partnerships:agency_officers", "partnerships:agency_activity",
                         "partnerships:agency_tokens", "partnerships:designation_create",
                         "partnerships:designation_renew"], rich.agency_admin),
        "partnerships:audit_search": auditor,
        "cbcf:meeting_create": rich.secretariat,
    }


def with_the_codes_people_met(rich):
    """What the rich case lacks of the places where codes were found (issue 22): a case's status changed, a sum of
    money seized, a designation that expired by itself."""
    alice = rich.cast.alice
    case = services.case_update(case=rich.cases[0], by=alice, status=JointCase.Status.ACTIVE)
    investigation = Investigation.objects.get(case=rich.cases[1])
    best_services.seizure_record(by=alice, investigation=investigation, seized_on=timezone.localdate(),
                                 category="currency", quantity=Decimal("48500"), unit="USD")
    CrossDesignation.objects.filter(pk=CrossDesignation.objects.order_by("pk")[0].pk).update(
        status=CrossDesignation.Status.EXPIRED, status_reason=CrossDesignation.EXPIRED_REASON)
    return case


def test_no_page_export_or_pdf_shows_a_choice_code_in_english_or_french(rich, settings):
    settings.RATE_LIMIT_SEARCH = settings.RATE_LIMIT_EXPORT = "100000/m"
    with_the_codes_people_met(rich)
    owners = owners_of_routes(rich)
    failures, routes = [], {}
    for language in LANGUAGES:
        sweep = CodeSweep(rich=rich, owners=owners, language=language, looked_for=codes(language))
        for path, pattern in url_patterns():
            sweep.route(path, pattern)
        failures += sweep.failures
        routes[language] = sweep.routes
        assert sweep.swept >= BOOKS, f"the {language} book was not read in the {language} pass"
    assert not failures, f"{len(failures)} raw codes where words belong:\n" + "\n".join(failures)
    assert min(routes.values()) >= ROUTES_AT_LEAST, routes


def test_nothing_left_out_is_stale():
    names = {resolve(path).view_name for path, _pattern in url_patterns()}
    assert set(LEFT) | set(MACHINE_EXPORTS) <= names
    assert all(reason.strip() for reason in [*LEFT.values(), *MACHINE_EXPORTS.values()])


def test_the_checker_finds_a_code_as_a_whole_word_only():
    looked_for = {"vessel_incursion": "ibet.Occurrence.kind", "firearms": "category"}
    assert codes_in("Kind: vessel_incursion", looked_for) == ["vessel_incursion"]
    assert codes_in("firearms (count)", looked_for) == ["firearms"]
    assert codes_in("Seized: firearms.", looked_for) == ["firearms"]
    assert codes_in("rcmp.firearms firearms.unit", looked_for) == []
    assert codes_in(ADDRESS.sub(" ", "Firearms; vessel_incursions; /ibet/?kind=vessel_incursion"), looked_for) == []
    assert "vessel_incursion" in codes("fr") and "firearms" in codes("fr") and "vessel_incursion" in codes("en")
    assert "narcotics" in codes("fr"), "a BEST priority, kept in a JSON field, is a code too"
