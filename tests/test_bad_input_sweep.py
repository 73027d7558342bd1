"""Bad input gets a clear message in the user's language and changes nothing; never a server error (DESIGN.md §6).

The sweep walks the resolver (portal/tests/routes.py), so a new route is swept without editing this file, and fills
each pattern from tests/sweep_support.py (the rich case with one of everything that the no-trace and audit-door sweeps
use, and their table of what each route parameter addresses): a route whose parameters nothing fills fails the test
until someone says there what it addresses. Each route is swept as the owner of what it addresses (alice unless
sweep_support or OWNER_BY_PREFIX names someone else) and as charlie, of another agency.

What a route reads is found in its code (the forms, serializers and FilterSets its view uses; the names that the code
of its view module reads from the request), in the forms the portal's pages show for it, and in sweep_support's
queries(). Every name then takes junk of its kind: malformed numbers and dates, numbers out of range, dates at years
1 and 9999, unknown choices, 10,000 characters, NUL and control characters, bytes that are not UTF-8. It is a sample,
not the Cartesian product: junk goes to all names at once, each name taking a different junk at each of a few
requests (by its place among the names), then to one name at a time, one junk each, the others valid:

- GET: junk in every query parameter (those the route reads, and page, format, q, ...), bytes that are not UTF-8;
  then each parameter that a FilterSet, queries() or a GET form documents, alone; one request with junk in the
  headers the portal reads (X-Request-ID with a NUL and 500 characters, Accept-Language, If-None-Match, ...).
- POST: an empty body, junk in every field, bytes that are not UTF-8; then each form that a page shows for the route
  (else its form class) filled as a user would, with its own options and values, and the other names the view reads
  with junk; when the portal accepts the form, each field alone takes one junk of its kind (empty, overlong, NUL, an
  out-of-range number, a year-9999 date, a wrong choice), so that the junk reaches the form's clean() and the service.
- Under /api/, each write method the endpoint takes (POST, PUT, PATCH, DELETE): bodies that are not objects or not
  JSON at all (an array, "[" * 100000, unknown fields), junk of its kind in every field of the serializer (lone
  surrogates, wrong types), then the serializer filled plausibly but for one field, nested ones included. A method the
  endpoint does not take must answer 405 before it reads the body.

Each request runs in a savepoint that is rolled back afterwards, so that every request meets the records as the
fixture made them. Before that: a write that the portal accepted is read back (the page it redirects to; under /api/
what it created or changed), so that junk that was saved and breaks the reading is charged to the request that let
it in; the audit records the request wrote are sealed onto the chain and must verify (audit.content_hash), as the
whole chain must at the end (audit.seal_all, audit.verify); and a refused write (a 4xx, or a page that shows its form
again with errors) must have left every table's row count as it was (RowCounts, one statement).

Any 5xx is a failure, listed with the request, the exception and the last frame of the project's code. A route that
sends its user to sign in, or answers 404, before reading anything gets one request of junk for each method.
"""

import datetime
import functools
import itertools
import json
import re
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import FunctionType, ModuleType, SimpleNamespace
from urllib.parse import quote, urljoin, urlsplit

import django_filters
import pytest
from django import forms as django_forms
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.client import RedirectCycleError
from django.urls import Resolver404, resolve
from django.utils import timezone
from rest_framework import serializers
from rest_framework.views import APIView

from ibet.models import IbetTeam
from partnerships import audit
from partnerships.models import AuditSeal, Officer, Subject
from partnerships.tests.factories import OfficerFactory
from portal.tests.routes import fill, url_patterns
from shiprider.models import Patrol
from tests import sweep_support as no_trace

pytestmark = pytest.mark.django_db

# Routes swept and requests made when the sweep was written (2026-12), all shards together. Only ever raise them.
ROUTES_AT_LEAST = 237
REQUESTS_AT_LEAST = 3200
# The sweep runs as SHARDS tests, each sweeping every SHARDS-th route after discovering the forms of every page, so
# that `make test`'s workers share it. Each shard is held to its part of the totals above.
SHARDS = 4

# Who acts on what a route addresses besides alice (the no-trace sweep names the officer pages' owner): the route
# is swept as alice and as its owner.
OWNER_BY_PREFIX = {
    "partnerships:agency_": "agency_admin",  # alice's agency's administrator: its officers, tokens and activity
    "partnerships:designation": "agency_admin",  # designations are granted and changed by the agency's administrators
    "cbcf:": "secretariat",  # the forum's secretariat runs its meetings, agenda, initiatives and subgroups
}

# A user reaches a route when its plain GET (for a POST-only route: a form a page shows for it, else an empty POST)
# answers none of these.
NOT_REACHED = {403, 404}
PROBES_PER_ROUTE = 3  # combinations of records tried before giving up on reaching a route (alice's come first)
SIGN_IN_VIEWS = {"login", "admin:login"}
BASE_DIR = Path(__file__).resolve().parent.parent

# --- junk ------------------------------------------------------------------------------------------------------

LONG = "x" * 10_000
NUL = "a\x00b"
LONG_NUL = LONG[:5000] + "\x00" + LONG[:5000]  # too long and a NUL: one junk that a field's validation refuses twice
CONTROL = "\x01\x1f\x7f\u202e\ufeff"
# What each kind of name takes. At request k of a route, every name takes junk k of its kind (offset by its place,
# so that names of one kind do not all take the same junk at once). An empty value is what the empty body gives.
KIND_JUNK = {
    "text": [LONG, NUL, CONTROL],
    "number": ["-1", "99999999999999999999", LONG_NUL],
    "date": ["0001-01-01", "9999-12-31", LONG_NUL],
    "datetime": ["0001-01-01T00:00", "9999-12-31T23:59", LONG_NUL],
    "time": ["25:61", LONG_NUL],
    "month": ["9999-12", "0001-01", "0-0"],
    "select": ["bogus", "99999999999999999999", LONG_NUL],
    "hidden": ["-1", "99999999999999999999", LONG_NUL],
    "checkbox": ["bogus", LONG_NUL],
    "file": ["long name", "odd name", "not utf-8"],
    # a formset's counts: a thousand rows is the formset's limit, slow to render but no error, and not the point
    "count": ["-1", "13", LONG_NUL],
    # names the code reads whose kind is not known: a bit of every kind, in turn
    "unknown": ["abc", "-1", "99999999999999999999", "0001-01-01", "9999-12-31", "9999-12", "9999-12-31T23:59", NUL,
                LONG, CONTROL],
}
FORMSET_COUNT = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")
# Bodies with junk in every name at once: enough for each name of a known kind to take every junk of its kind.
ROTATIONS = max(len(values) for kind, values in KIND_JUNK.items() if kind != "unknown")
# Query strings with junk in every parameter at once: enough for each parameter to take every junk of its kind, and
# also the malformed values that a form's field refuses first (page=abc, 2026-13-45).
QUERY_KIND_JUNK = {**KIND_JUNK, "number": ["abc", "99999", *KIND_JUNK["number"]],
                   "date": ["2026-13-45", "notadate", *KIND_JUNK["date"]],
                   "datetime": ["2026-13-45T25:61", "notadate", *KIND_JUNK["datetime"]]}
QUERY_ROTATIONS = 4  # a sample: each parameter takes a different junk at each, by its place among the names
SECONDARY_ROTATIONS = 2  # for the other forms of a route that the pages show (its first form takes ROTATIONS)
# A documented query parameter alone, the others valid (so that an early refusal cannot hide the others).
QUERY_ALONE = {"text": [NUL], "number": ["abc"], "date": ["2026-13-45", "0001-01-01", "9999-12-31"],
               "datetime": ["9999-12-31T23:59"], "time": ["25:61"], "month": ["9999-12"], "select": ["bogus"],
               "hidden": ["abc"], "checkbox": ["bogus"], "file": [], "count": ["abc"], "unknown": [NUL]}
# A form field alone in a form the portal accepts: the junk that a field lets through to the service (a choice, an
# id or a file is refused by its field, and the junk in every field at once has shown that).
FORM_ALONE = {"text": [LONG, NUL, ""], "number": ["99999999999999999999", "-1", ""],
              "date": ["9999-12-31", "0001-01-01", ""], "datetime": ["9999-12-31T23:59", "0001-01-01T00:00", ""],
              "time": ["25:61"], "month": ["9999-12"], "hidden": ["abc", NUL], "select": ["bogus"],
              "checkbox": ["bogus"], "file": ["empty"], "count": ["99999999999999999999"]}
# The names the code reads besides the form's, all at once, in the form filled plausibly.
OTHERS_JUNK = ["abc", NUL]
# Sent as they are, not percent-encoded: bytes that are not UTF-8, a NUL, a broken escape.
RAW_JUNK = ["%ff", "%c3%28", "%00", "%zz", "%e2%82"]
# Query parameters every list, page or export of the portal may read. Under /api/ ?format=junk is refused before
# anything else is read: there those in ALONE_QUERY take their junk one at a time only.
COMMON_QUERY = {"page": "number", "page_size": "number", "format": "select", "ordering": "select", "q": "text",
                "cursor": "text", "next": "text", "lang": "select"}
ALONE_QUERY = ["format"]
# Headers the portal reads (language, content negotiation, ETags, the audit context), each with junk.
JUNK_HEADERS = {
    "HTTP_ACCEPT": "application/bogus;q=abc, */*;q=x", "HTTP_ACCEPT_LANGUAGE": "xx",
    "HTTP_IF_MATCH": '"bogus", \x00', "HTTP_IF_NONE_MATCH": 'W/"\x00\xff, *, bogus',
    "HTTP_IF_MODIFIED_SINCE": "notadate",
    "HTTP_RANGE": "bytes=abc-", "HTTP_X_REQUEST_ID": "a\x00b" + "x" * 500, "HTTP_USER_AGENT": "a\x00b" + LONG,
    "HTTP_X_FORWARDED_FOR": "999.999.1.1, \x00", "HTTP_REFERER": "http://[bogus",
}
HTML_KINDS = {"textarea": "text", "search": "text", "email": "text", "tel": "text", "url": "text", "password": "text",
              "radio": "select", "datetime-local": "datetime", "week": "date"}


@dataclass(frozen=True)
class JunkFile:
    """A file to upload, made afresh for each request (an upload is read once)."""

    name: str
    content: bytes

    def upload(self):
        return SimpleUploadedFile(self.name, self.content)


JUNK_FILES = {
    "plain": JunkFile("note.txt", b"A note.\n"),
    "empty": JunkFile("empty.txt", b""),
    "long name": JunkFile("x" * 400 + ".pdf", b"%PDF-1.4 not really"),
    "odd name": JunkFile("..\\../a\x01b\u202e.txt", b"hello"),
    "not utf-8": JunkFile("junk.csv", b"\xff\xfe\x00bad,\x00\n\xc3\x28"),
}

# JSON: whole bodies that are not what any endpoint takes, then bodies that are not JSON.
JSON_BODIES = [{}, [], "x", None, [{}], {"x" * 300: LONG}]
RAW_JSON_BODIES = ["{not json", "", b"\xff\xfe{}", "[" * 100_000]
JSON_UNIVERSAL = [None, "a\x00b", "\ud800", LONG, [], {}]
JSON_KIND_JUNK = {  # the sharpest first: one field at a time takes the first JSON_ALONE
    "text": ["\ud800", "a\x00b", 123, True, "\x01\x1f", None, LONG, [], {}],
    "integer": [99999999999999999999, -1, "abc", 0, 1.5, True, *JSON_UNIVERSAL],
    "number": ["NaN", 99999999999999999999, "abc", "Infinity", 1e308, "-1e999", *JSON_UNIVERSAL],
    "datetime": ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "2026-13-45", "2026-03-08T02:30:00",
                 123, *JSON_UNIVERSAL],
    "date": ["0001-01-01", "9999-12-31", "2026-13-45", 123, *JSON_UNIVERSAL],
    "choice": ["\ud800", "bogus", 1, "", None, "a\x00b", LONG, [], {}],
    "boolean": ["true", 1, None, "", "\ud800", [], {}],
    "related": ["\ud800", "a\x00b", 1, "bogus", "", None, LONG, [], {}],
    "list": ["x", [None], [[]], {}, [], None, "\ud800"],
    "object": ["x", [], None, 1, "\ud800"],
}
JSON_ROTATIONS = 2
JSON_ALONE = 1  # one field at a time: the first junk of its kind
WRITE_METHODS = ["post", "put", "patch", "delete"]


def junk_at(kind, index, number, junk=KIND_JUNK):
    values = junk[kind]
    return values[(number + index) % len(values)]


# --- what a route reads ------------------------------------------------------------------------------------------

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,30}$")
FORM_FIELD_KINDS = [  # the first that matches
    (django_forms.FileField, "file"), (django_forms.BooleanField, "checkbox"),
    (django_forms.ChoiceField | django_forms.ModelChoiceField, "select"), (django_forms.DateTimeField, "datetime"),
    (django_forms.DateField, "date"), (django_forms.TimeField, "time"),
    (django_forms.IntegerField | django_forms.DecimalField | django_forms.FloatField, "number"),
    (django_forms.Field, "text"),
]
FILTER_KINDS = [
    (django_filters.ChoiceFilter | django_filters.ModelChoiceFilter | django_filters.OrderingFilter, "select"),
    (django_filters.IsoDateTimeFilter | django_filters.DateTimeFilter, "datetime"),
    (django_filters.DateFilter, "date"), (django_filters.NumberFilter, "number"), (django_filters.Filter, "text"),
]


def _kind(instance, table):
    return next(kind for classes, kind in table if isinstance(instance, classes))


@dataclass
class Reads:
    """What a view's code uses: forms, serializers and filter sets, and the names it may read from the request."""

    forms: set = field(default_factory=set)
    serializers: set = field(default_factory=set)
    filtersets: set = field(default_factory=set)
    names: set = field(default_factory=set)  # identifier-like string constants of the view module's code it runs
    reads_query: bool = False  # request.GET or request.query_params
    reads_body: bool = False  # request.POST, request.data or request.FILES
    api: bool = False
    methods: set = field(default_factory=set)  # the API view's write methods

    def query_kinds(self):
        return {name: _kind(form_filter, FILTER_KINDS)
                for filterset in self.filtersets for name, form_filter in filterset.base_filters.items()}

    def body_kinds(self):
        return {name: _kind(form_field, FORM_FIELD_KINDS)
                for form in self.forms for name, form_field in form.base_fields.items()}


def _is_project_code(obj):
    module = getattr(obj, "__module__", "") or ""
    return module.split(".")[0] in {"portal", "partnerships", "shiprider", "ibet", "best", "cbcf", "deconfliction"}


def _code_objects(code):
    yield code
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            yield from _code_objects(const)


def _note(value, reads, seen, module, depth=0):
    """Take in what a name of the view's code refers to: a form, serializer or FilterSet class (also inside a table
    of them), or a helper of the view's own module, read in turn."""
    if isinstance(value, type):
        if issubclass(value, django_forms.BaseForm):
            reads.forms.add(value)
        elif issubclass(value, django_forms.BaseFormSet):
            reads.forms.add(value.form)
        elif issubclass(value, serializers.BaseSerializer):
            reads.serializers.add(value)
        elif issubclass(value, django_filters.FilterSet):
            reads.filtersets.add(value)
    elif isinstance(value, dict | list | tuple) and depth < 2:
        for item in value.values() if isinstance(value, dict) else value:
            _note(item, reads, seen, module, depth + 1)
    elif isinstance(value, FunctionType) and value.__module__ == module:
        _read_function(value, reads, seen)


def _read_function(function, reads, seen):
    while hasattr(function, "__wrapped__"):
        function = function.__wrapped__
    if not isinstance(function, FunctionType) or function in seen:
        return
    seen.add(function)
    for code in _code_objects(function.__code__):
        names = set(code.co_names)
        reads.reads_query |= bool(names & {"GET", "query_params"})
        reads.reads_body |= bool(names & {"POST", "data", "FILES"})
        reads.names |= {const for const in code.co_consts if isinstance(const, str) and IDENTIFIER.match(const)}
        for name in names:
            value = function.__globals__.get(name)
            if isinstance(value, ModuleType):  # forms.MeetingForm: the module's attribute
                for attribute in names:
                    _note(getattr(value, attribute, None), reads, seen, function.__module__)
            else:
                _note(value, reads, seen, function.__module__)


def reads_of(callback):
    reads, seen = Reads(), set()
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:
        _read_function(callback, reads, seen)
        return reads
    for name in ("serializer_class", "filterset_class", "form_class"):
        _note(getattr(view_class, name, None), reads, seen, view_class.__module__)
    for klass in view_class.__mro__:
        if _is_project_code(klass):
            for value in vars(klass).values():
                _read_function(value, reads, seen)
    if issubclass(view_class, APIView):
        reads.api = reads.reads_query = True  # every endpoint reads ?format=; lists read their pages
        reads.methods = {method for method in WRITE_METHODS if hasattr(view_class, method)}
        reads.reads_body |= bool(reads.methods)
    return reads


# --- the forms the pages show ----------------------------------------------------------------------------------

class FormsOnPage(HTMLParser):
    """The <form>s of a page: method, action, and each field's name, kind, value and options."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._option, self._textarea = [], None, None, None, None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._form = {"method": (attributes.get("method") or "get").lower(),
                          "action": attributes.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "option" and self._select is not None:
            self._option = [attributes.get("value"), "selected" in attributes, ""]
            self._select["options"].append(self._option)
        elif not attributes.get("name"):
            return
        elif tag in ("input", "button"):
            kind = (attributes.get("type") or ("submit" if tag == "button" else "text")).lower()
            self._form["fields"].append({"name": attributes["name"], "type": kind, "value": attributes.get("value"),
                                         "checked": "checked" in attributes, **_limits(attributes)})
        elif tag == "select":
            self._select = {"name": attributes["name"], "type": "select", "options": [],
                            "multiple": "multiple" in attributes}
            self._form["fields"].append(self._select)
        elif tag == "textarea":
            self._textarea = {"name": attributes["name"], "type": "textarea", "value": "", **_limits(attributes)}
            self._form["fields"].append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = self._option = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data
        if self._option is not None:
            self._option[2] += data


def _limits(attributes):
    """What the page says a field refuses (maxlength, min, max): junk beyond it is refused by the field itself."""
    return {name: attributes[name] for name in ("maxlength", "min", "max") if attributes.get(name)}


def forms_on(response, path):
    """[(method, action path, fields)] of an HTML answer."""
    if not response.get("Content-Type", "").startswith("text/html") or response.streaming:
        return []
    parser = FormsOnPage()
    parser.feed(response.content.decode(errors="replace"))
    return [(form["method"], urlsplit(urljoin(path, form["action"])).path, form["fields"]) for form in parser.forms]


BUTTONS = {"submit", "button", "image", "reset"}
LATER_ROW = re.compile(r"-[1-9]\d*-")  # a formset's second row and after: the first row stands for them


def html_kind(form_field):
    if FORMSET_COUNT.search(form_field["name"]):
        return "count"
    kind = HTML_KINDS.get(form_field["type"], form_field["type"])
    return kind if kind in KIND_JUNK else "text"


def fields_of(form_class):
    """A form class's fields as a page would show them (for a route whose form no page shows)."""
    fields = []
    for name, form_field in form_class.base_fields.items():
        kind = _kind(form_field, FORM_FIELD_KINDS)
        if isinstance(form_field, django_forms.ModelChoiceField):
            queryset = form_field.queryset
            first = queryset.order_by("pk").first() if queryset is not None else None
            value = getattr(first, form_field.to_field_name or "pk", None) if first is not None else None
            options = [(str(value), False, "")] if value is not None else []
            fields.append({"name": name, "type": "select", "options": options, "multiple": False})
        elif kind == "select":
            fields.append({"name": name, "type": "select", "multiple": False,
                           "options": [(str(value), False, "") for value, _label in form_field.choices]})
        else:
            fields.append({"name": name, "type": {"datetime": "datetime-local"}.get(kind, kind), "value": None,
                           "checked": False})
    return fields


def plausible(fields):
    """The form as a user would fill it: its own values and options, a text or a date where it is empty. Dates and
    times rise from field to field, so that an end comes after its start."""
    body = {}
    for index, form_field in enumerate(fields):
        name, kind, value = form_field["name"], form_field["type"], form_field.get("value")
        if kind in BUTTONS:
            if value:
                body.setdefault(name, value)
        elif kind == "checkbox":
            if form_field["checked"]:
                body.setdefault(name, []).append(value or "on")
        elif kind == "radio":
            if name not in body or form_field["checked"]:
                body[name] = value or "on"
        elif kind == "select":
            options = [(option if option is not None else text.strip(), selected)
                       for option, selected, text in form_field["options"]]
            chosen = [option for option, selected in options if selected and option] or [
                option for option, _selected in options if option][:1]
            if chosen:
                body[name] = chosen if form_field["multiple"] else chosen[0]
        elif kind == "file":
            body[name] = JUNK_FILES["plain"]
        elif value:
            body[name] = value
        elif kind == "date":
            body[name] = (timezone.localdate() + datetime.timedelta(days=index)).isoformat()
        elif kind == "datetime-local":
            body[name] = (timezone.localtime() + datetime.timedelta(days=2, hours=index)).strftime("%Y-%m-%dT%H:%M")
        elif kind == "number":
            body[name] = "1"
        elif kind == "email":
            body[name] = "officer@example.org"
        elif kind == "time":
            body[name] = "10:00"
        elif kind == "month":
            body[name] = timezone.localdate().strftime("%Y-%m")
        elif kind != "hidden":
            body[name] = "Bad input sweep"
    return body


def one_at_a_time(base, fields):
    """(label, body): each field of the form alone taking one junk of its kind, in turn by its place."""
    for index, form_field in enumerate(fields):
        name, kind = form_field["name"], html_kind(form_field)
        if form_field["type"] in BUTTONS or LATER_ROW.search(name) or name == "csrfmiddlewaretoken":
            continue
        choices = FORM_ALONE.get(kind, [])
        for junk in choices[index % len(choices):][:1] if choices else ():
            yield f"{name}={_short(junk)}", {**base, name: JUNK_FILES[junk] if kind == "file" else junk}


def rotation(kinds, number, junk=KIND_JUNK):
    """The body or query of request `number`: every name takes a junk of its kind (a formset's first row stands
    for the others)."""
    values = {}
    for index, (name, kind) in enumerate(sorted(kinds.items())):
        if not LATER_ROW.search(name):
            value = junk_at(kind, index, number, junk)
            values[name] = JUNK_FILES[value] if kind == "file" else value
    return values


def query_string(values):
    return "&".join(f"{quote(name)}={quote(value)}" for name, value in values.items())


# --- JSON bodies from a serializer ----------------------------------------------------------------------------------

def json_kind(serializer_field):
    if isinstance(serializer_field, serializers.ListSerializer | serializers.ListField):
        return "list"
    if isinstance(serializer_field, serializers.BaseSerializer):
        return "object"
    for kind, classes in (("boolean", serializers.BooleanField), ("choice", serializers.ChoiceField),
                          ("integer", serializers.IntegerField),
                          ("number", serializers.DecimalField | serializers.FloatField),
                          ("datetime", serializers.DateTimeField), ("date", serializers.DateField),
                          ("related", serializers.RelatedField)):
        if isinstance(serializer_field, classes):
            return kind
    return "text"


def writable(serializer):
    return {name: serializer_field for name, serializer_field in serializer.fields.items()
            if not serializer_field.read_only}


def json_plausible(serializer, samples):
    """The body a well-behaved client would send: real records where the field names one (`samples`); times rise
    from field to field, so that an end comes after its start."""
    body = {}
    for index, (name, serializer_field) in enumerate(writable(serializer).items()):
        kind = json_kind(serializer_field)
        if name in samples:
            body[name] = samples[name]
        elif kind == "list":
            child = serializer_field.child
            body[name] = [json_plausible(child, samples) if isinstance(child, serializers.BaseSerializer)
                          else "Bad input sweep"]
        elif kind == "object":
            body[name] = json_plausible(serializer_field, samples)
        elif kind == "choice":
            body[name] = next(iter(serializer_field.choices))
        else:
            body[name] = {"boolean": False, "integer": 1, "number": "1.5",
                          "datetime": (timezone.now() + datetime.timedelta(days=2, hours=index)).isoformat(),
                          "date": timezone.localdate().isoformat(), "related": "Bad input sweep",
                          "text": "Bad input sweep"}[kind]
    return body


def json_rotation(serializer, base, number):
    """Request `number` of the serializer: every field, nested ones included, takes a junk of its kind."""
    body = dict(base)
    for index, (name, serializer_field) in enumerate(writable(serializer).items()):
        kind = json_kind(serializer_field)
        nested = serializer_field.child if kind == "list" else serializer_field if kind == "object" else None
        if isinstance(nested, serializers.BaseSerializer) and number % 2 and isinstance(base.get(name), list | dict):
            inner = base[name][0] if kind == "list" else base[name]
            inner = json_rotation(nested, inner, number // 2)
            body[name] = [inner] if kind == "list" else inner
        else:
            body[name] = junk_at(kind, index, number, JSON_KIND_JUNK)
    return body


def json_one_at_a_time(serializer, base, prefix=()):
    """(label, body): each writable field, nested ones included, alone taking each junk of its kind."""
    for name, serializer_field in writable(serializer).items():
        kind = json_kind(serializer_field)
        for junk in JSON_KIND_JUNK[kind][:JSON_ALONE]:
            yield ".".join(map(str, (*prefix, name))) + f"={_short(junk)}", _replace(base, (*prefix, name), junk)
        nested = serializer_field.child if kind == "list" else serializer_field if kind == "object" else None
        if isinstance(nested, serializers.BaseSerializer):
            yield from json_one_at_a_time(nested, base, (*prefix, name, 0) if kind == "list" else (*prefix, name))


def _replace(body, path, value):
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(body, list):
        copy = list(body)
        copy[head] = _replace(copy[head], rest, value)
        return copy
    return {**body, head: _replace(body.get(head, {}), rest, value)}


def _short(value):
    text = value if isinstance(value, str) else json.dumps(value)
    return repr(text[:20] + "…" if len(text) > 20 else text)


# --- one request ------------------------------------------------------------------------------------------------

class _Undo(Exception):  # noqa: N818 - not an error: rolls the request's savepoint back
    pass


@dataclass
class Fault:
    method: str
    path: str
    view_name: str
    user: str
    body: str
    status: int
    exception: str
    frame: str

    def __str__(self):
        return (f"{self.method} {self.path[:300]} ({self.view_name}) as {self.user} -> {self.status}: "
                f"{self.exception}\n      at {self.frame}\n      body: {self.body}")


def _app_frame(exc_info):
    """The last frame of the traceback in the project's own code (else the last frame, in a library)."""
    frames = traceback.extract_tb(exc_info[2])
    own = [frame for frame in frames if frame.filename.startswith(str(BASE_DIR)) and "/.venv/" not in frame.filename
           and "/tests/" not in frame.filename]
    if not frames:
        return "-"
    frame = (own or frames)[-1]
    where = frame.filename.split("/site-packages/")[-1] if not own else Path(frame.filename).relative_to(BASE_DIR)
    return f"{'' if own else '(no frame of the project) '}{where}:{frame.lineno} in {frame.name}: {frame.line}"


def _describe(body, limit=300):
    if body is None:
        return "(no body)"
    if isinstance(body, dict):
        body = {name: (f"<file {value.name[:40]!r}, {len(value.content)} bytes>" if isinstance(value, JunkFile)
                       else value) for name, value in body.items()}
    text = repr(body)
    return text[:limit] + f"… ({len(text)} characters)" if len(text) > limit else text


def _answer(client, method, path, kwargs):
    """(the answer, the request that read back what was written or None, the exception of a broken stream)."""
    try:
        response = getattr(client, method)(path, **kwargs)
    except RedirectCycleError:  # a redirect loop: not a server error (and not this sweep's business)
        return SimpleNamespace(status_code=310), None, None
    location = response.get("Location", "") if response.status_code < 500 else ""
    read = None
    if method != "get" and 300 <= response.status_code < 400 and location and not sends_to_sign_in(response):
        read = location  # the page the form sends the user to
    elif method != "get" and path.startswith("/api/") and 200 <= response.status_code < 300:
        read = location or path  # what the endpoint created or changed
    if read:
        reread = client.get(read)
        broken = _streamed(reread)
        if reread.status_code >= 500 or broken:
            return reread, f"GET {read[:200]} (reading back what it wrote)", broken
    return response, None, _streamed(response)


def _unverified(tail):
    """What is wrong with the audit records the request wrote (within its savepoint), once sealed onto the chain."""
    audit.seal_all()
    problems, previous = [], tail.hash
    for seal in AuditSeal.objects.filter(position__gt=tail.position).select_related("event").order_by("position"):
        if seal.previous_hash != previous or audit.content_hash(seal.event, previous) != seal.hash:
            problems.append(f"the audit record it wrote ({seal.event.action}, #{seal.event_id}) does not verify")
        previous = seal.hash
    return problems


# Tables that a refused request may write: the audit trail (a refusal is recorded), the session (messages, the
# language), django-axes' failed attempts and django-otp's throttling (a wrong password or code is counted).
MAY_CHANGE_WHEN_REFUSED = {"partnerships_auditevent", "partnerships_auditseal", "django_session"}


class RowCounts:
    """The number of rows of every table in one statement: what a refused request saved shows as a difference."""

    def __init__(self):
        tables = sorted(set(connection.introspection.django_table_names(only_existing=True))
                        - MAY_CHANGE_WHEN_REFUSED)
        quote_name = connection.ops.quote_name
        self.tables = tables
        self.sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote_name(table)})" for table in tables)
        self.before = self.count()

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            return cursor.fetchone()

    def saved(self):
        """The tables whose row count differs from the fixture's."""
        return [f"{table} ({was} -> {now})" for table, was, now in zip(self.tables, self.before, self.count(),
                                                                        strict=True) if was != now]


REFUSED_FORM = re.compile(rb'class="(?:error-summary|field-error|errorlist)')


def refused(response):
    """A 4xx, or a page that shows the form again with its errors."""
    if 400 <= response.status_code < 500:
        return True
    return (response.status_code == 200 and not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
            and bool(REFUSED_FORM.search(response.content)))


def _streamed(response):
    """A file or a streamed export fails, if it fails, while it is read."""
    try:
        if getattr(response, "streaming", False):
            response.streaming_content = [b"".join(response.streaming_content)]
    except Exception as exc:  # noqa: BLE001 - a stream that breaks is the fault to report
        return type(exc), exc, exc.__traceback__
    return None


# --- the sweep ---------------------------------------------------------------------------------------------------

@dataclass
class Sweep:
    rich: object
    samples: dict  # real records for the API fields that name one
    sweepers: set  # officer ids of the sweep's users: no route acts on their own logins
    audit_tail: object  # the head of the sealed chain before the sweep: a request's records chain on from it
    rows: RowCounts  # the fixture's row counts
    requests: int = 0
    counts: Counter = field(default_factory=Counter)  # requests by method and part of the portal
    routes: int = 0
    faults: list = field(default_factory=list)
    unreached: list = field(default_factory=list)
    forms: dict = field(default_factory=dict)  # (username, action path): [(method, fields)] the pages showed
    paths: dict = field(default_factory=dict)  # (view name, username): the path that reached the route
    refusing: set = field(default_factory=set)  # (view name, username): sent to sign in before anything is read
    post_only: set = field(default_factory=set)  # view names that answer GET with 405

    def send(self, client, user, view_name, method, path, *, body=None, raw=None, content_type=None, label=None,
             **extra):
        """One request, in a savepoint rolled back afterwards; a 5xx (or a stream that breaks) is recorded."""
        kwargs = dict(extra)
        if content_type == "application/json" and raw is None:
            raw, label = json.dumps(body), label or _describe(body)
        if raw is not None:
            kwargs.update(data=raw, content_type=content_type)
        elif body is not None:
            kwargs["data"] = {name: value.upload() if isinstance(value, JunkFile) else value
                              for name, value in body.items()}
        self.requests += 1
        cookies = dict(client.cookies.items())  # the session as it was: a sign-out or a language switch is undone
        self.counts[method.upper(), "admin" if path.startswith("/admin/") else "API" if path.startswith("/api/")
                    else "pages"] += 1
        try:
            with transaction.atomic():
                response, then, broken = _answer(client, method.lower(), path, kwargs)
                problems, saved = [], []
                if response.status_code < 500 and not broken:  # else the transaction may be unusable
                    problems = _unverified(self.audit_tail)
                    saved = self.rows.saved() if method.upper() != "GET" and refused(response) else []
                raise _Undo
        except _Undo:
            pass
        where = {"method": method.upper(), "path": path, "view_name": view_name, "user": user.get_username(),
                     "body": label or _describe(raw if raw is not None else body), "status": response.status_code}
        if problems:
            self.faults.append(Fault(**where, exception=f"AuditChainBroken: {problems[0]}", frame="-"))
        if saved:
            self.faults.append(Fault(**where, exception=f"SavedWhenRefused: rows changed in {saved}", frame="-"))
        client.cookies.clear()
        client.cookies.update(cookies)
        if response.status_code >= 500 or broken:
            exc_info = broken or getattr(response, "exc_info", None)
            message = str(exc_info[1]).strip().splitlines()[0][:300] if exc_info and str(exc_info[1]).strip() else ""
            exception = (f"{exc_info[0].__name__}: {message}" if message else exc_info[0].__name__) if exc_info \
                else "(no exception: the view answered so)"
            self.faults.append(Fault(
                method=method.upper(), path=path, view_name=view_name, user=user.get_username(),
                body=(label or _describe(raw if raw is not None else body)) + (f"; then {then}" if then else ""),
                status=response.status_code, exception=("while streaming the answer: " if broken else "") + exception,
                frame=_app_frame(exc_info) if exc_info else "-"))
        return response

    # --- a path each user reaches ---------------------------------------------------------------------------------

    def discover(self, routes, clients):
        """GET each route as each of its users, with the first records they reach; keep the forms the pages show.
        Returns the routes that answer GET with 405, to settle once every page has shown its forms."""
        pending = []
        for path, pattern, view_name, users in routes:
            for user in users:
                for concrete in self.combinations(path, pattern, view_name)[:PROBES_PER_ROUTE]:
                    response = self.send(clients[user.pk], user, view_name, "GET", concrete)
                    for method, action, fields in forms_on(response, concrete):
                        self.forms.setdefault((user.get_username(), action), []).append((method, fields))
                    if response.status_code == 405:
                        self.post_only.add(view_name)
                        pending.append((view_name, user, path, pattern))
                        break
                    if response.status_code not in NOT_REACHED:
                        self.paths[view_name, user.get_username()] = concrete
                        if sends_to_sign_in(response):
                            self.refusing.add((view_name, user.get_username()))
                        break
        return pending

    def settle(self, pending, clients):
        """POST-only routes: the path of a form a page shows for it, else the first records an empty POST reaches."""
        for view_name, user, path, pattern in pending:
            username = user.get_username()
            shown = self.shown_paths(username, view_name)
            if shown:
                self.paths[view_name, username] = shown[0]
                continue
            for concrete in self.combinations(path, pattern, view_name)[:PROBES_PER_ROUTE]:
                response = self.send(clients[user.pk], user, view_name, "POST", concrete)
                if response.status_code not in NOT_REACHED:
                    self.paths[view_name, username] = concrete
                    if sends_to_sign_in(response):
                        self.refusing.add((view_name, username))
                    break

    def combinations(self, path, pattern, view_name):
        """Concrete paths of the pattern with real records, alice's first; never a sweep user's own login."""
        names = no_trace.parameter_names(pattern)
        if not names:
            return [path]
        prefix = path.removesuffix(fill(pattern.pattern))
        options = []
        for name in names:
            found = no_trace.candidates(view_name, name, pattern, self.rich)
            assert found is not None, f"{path} ({view_name}): say what <{name}> addresses in tests/sweep_support.py"
            values, _missing = found
            if no_trace.ADDRESSES.get(view_name, {}).get(name) is Officer:
                values = [(value, whose) for value, whose in values if value not in self.sweepers]
            options.append(sorted(values, key=lambda pair: pair[1] != no_trace.HIDDEN))
        paths = []
        for combination in itertools.product(*options):
            concrete = prefix + fill(pattern.pattern, {name: value for name, (value, _whose)
                                                       in zip(names, combination, strict=True)})
            if _resolves_to(concrete, pattern):
                paths.append(concrete)
        return paths

    def shown_paths(self, username, view_name):
        """Paths of the forms the pages showed this user for this route, one for each set of fields."""
        found, fieldsets = [], set()
        for (who, action), shown in self.forms.items():
            if who != username or _view_name(action) != view_name:
                continue
            for method, fields in shown:
                names = frozenset(form_field["name"] for form_field in fields)
                if method == "post" and names not in fieldsets:
                    fieldsets.add(names)
                    found.append(action)
        return list(dict.fromkeys(found))

    def shown_forms(self, username, path, method):
        """The distinct field lists of the forms with this method that the pages showed for this path."""
        found, seen = [], set()
        for shown_method, fields in self.forms.get((username, path), []):
            names = tuple(sorted(form_field["name"] for form_field in fields))
            if shown_method == method and names not in seen:
                seen.add(names)
                found.append(fields)
        return found

    # --- the junk -----------------------------------------------------------------------------------------------

    def route(self, path, pattern, view_name, users, clients):
        reads = reads_of(pattern.callback)
        self.routes += 1
        for user in users:
            username = user.get_username()
            reached = self.paths.get((view_name, username))
            paths = [reached] if reached else []
            if not reads.api:
                paths += [shown for shown in self.shown_paths(username, view_name) if shown not in paths]
            if not paths:
                self.unreached.append(f"{view_name} as {username}")
                paths = (self.combinations(path, pattern, view_name) or [path])[:1]
            short = not reached or (view_name, username) in self.refusing
            for number, concrete in enumerate(paths):
                cache.clear()  # the rate-limit counters, the API's too (its rate is read once, at start-up)
                sweep = Route(self, clients[user.pk], user, view_name, concrete, reads, short, primary=number == 0)
                if sweep.primary:
                    sweep.queries()
                if reads.api:
                    sweep.api_bodies()
                else:
                    sweep.bodies()


@dataclass
class Route:
    """One route's path, swept as one user."""

    sweep: Sweep
    client: Client
    user: object
    view_name: str
    path: str
    reads: Reads
    short: bool  # the route sends this user away before reading anything: one request of junk for each method
    primary: bool = True  # the route's first path; the others are those of other forms the pages show for it

    def send(self, method, path=None, **kwargs):
        return self.sweep.send(self.client, self.user, self.view_name, method, path or self.path, **kwargs)

    def get(self, query):
        return self.send("GET", f"{self.path}?{query}")

    def queries(self):
        username = self.user.get_username()
        kinds = dict.fromkeys(self.reads.names if self.reads.reads_query else (), "unknown")
        kinds.update(COMMON_QUERY)
        asked = no_trace.queries(self.view_name, self.sweep.rich)
        documented = {name: kinds.get(name, "unknown") for query in asked for name in query}
        documented.update(self.reads.query_kinds())
        for fields in self.sweep.shown_forms(username, self.path, "get"):
            documented.update({form_field["name"]: html_kind(form_field) for form_field in fields})
        kinds.update(documented)
        rotated = {name: kind for name, kind in kinds.items() if not self.reads.api or name not in ALONE_QUERY}
        reads_query = (self.reads.reads_query or bool(documented)) and self.view_name not in self.sweep.post_only
        raw = "&".join(f"{quote(name)}={RAW_JUNK[index % len(RAW_JUNK)]}" for index, name in enumerate(kinds))
        if self.short or not reads_query:  # one request: the raw junk repeats each name (the last one counts)
            self.get(query_string(rotation(rotated, 0, QUERY_KIND_JUNK)) + "&" + raw)
            return
        for number in range(QUERY_ROTATIONS if documented or not self.reads.api else 1):
            repeated = "".join(f"{quote(name)}=1&" for name in rotated) if number == 0 else ""  # the last one counts
            self.get(repeated + query_string(rotation(rotated, number, QUERY_KIND_JUNK)))
        self.get(raw)
        self.send("GET", label=f"junk in the headers {sorted(JUNK_HEADERS)}", **JUNK_HEADERS)
        base = {name: str(value) for name, value in asked[0].items()} if asked else {}
        for index, name in enumerate(sorted(set(documented) | set(ALONE_QUERY if self.reads.api else ()))):
            values = QUERY_ALONE[kinds[name]] + ["%ff"]  # one each, in turn (%ff is sent as it is)
            value = values[index % len(values)]
            others = query_string({key: text for key, text in base.items() if key != name})
            self.get("&".join(filter(None, [others, f"{quote(name)}={value if value == '%ff' else quote(value)}"])))

    def bodies(self):
        """Forms: an empty POST, junk in every name, bytes that are not UTF-8; then each form a page shows, filled
        plausibly, and if the portal accepts it, each of its fields alone with junk that a field lets through. The
        other paths of a route (other forms of it that the pages show) take their own form's names only."""
        shown = self.sweep.shown_forms(self.user.get_username(), self.path, "post")
        kinds = {}
        if self.primary:
            kinds.update(dict.fromkeys(self.reads.names if self.reads.reads_body else (), "unknown"))
            kinds.update(self.reads.body_kinds())
        kinds.update({form_field["name"]: html_kind(form_field) for fields in shown for form_field in fields
                      if form_field["type"] not in BUTTONS})
        if self.short or not (self.reads.reads_body or shown):  # nothing of the body is read
            self.send("POST", body=rotation(kinds, 0))
            return
        empty = None
        if self.primary:
            empty = self.send("POST", body={})
            self.send("POST", raw="&".join(f"{quote(name)}={RAW_JUNK[index % len(RAW_JUNK)]}"
                                           for index, name in enumerate(kinds) if kinds[name] != "file"),
                      content_type="application/x-www-form-urlencoded")
        for number in range(ROTATIONS if self.primary else SECONDARY_ROTATIONS):
            self.send("POST", body=rotation(kinds, number))
        others = sorted(name for name, kind in kinds.items() if kind == "unknown")
        fillings = (shown or [fields_of(form) for form in self.reads.forms]) if self.primary else shown
        for fields in fillings or ([[]] if self.primary else []):
            base = plausible(fields)
            response = self.send("POST", body=base, label=f"the form filled plausibly: {_describe(base)}") \
                if base else empty
            if response.status_code in (301, 302, 303) and not sends_to_sign_in(response):
                for label, body in one_at_a_time(base, fields):
                    self.send("POST", body=body, label=f"{label} in {_describe(base, 200)}")
            for value in OTHERS_JUNK if others and self.primary else ():
                body = {**dict.fromkeys(others, value), **base}
                self.send("POST", body=body, label=f"{_describe(dict.fromkeys(others, value), 150)} with "
                                                   f"the form filled plausibly: {_describe(base, 150)}")

    def api_bodies(self):
        """Every write method: bodies that are not objects or not JSON, junk in every field, then one at a time."""
        serializers_ = []
        for serializer_class in sorted(self.reads.serializers, key=lambda klass: klass.__name__):
            try:
                serializer = serializer_class()
            except Exception:  # noqa: BLE001, S112 - one that needs arguments only serializes
                continue
            if writable(serializer):
                serializers_.append(serializer)
        for method in WRITE_METHODS:
            if method not in self.reads.methods:  # answered 405 before the body is read
                self.send(method, raw='{"x": "a\\u0000b", "y": 1e999', content_type="application/json")
                continue
            if self.short:
                self.send(method, body={"x": "a\x00b", "y": LONG}, content_type="application/json")
                continue
            for body in JSON_BODIES:
                self.send(method, body=body, content_type="application/json")
            for raw in RAW_JSON_BODIES:
                self.send(method, raw=raw, content_type="application/json", label=_describe(raw, 60))
            self.send(method, raw="a=1", content_type="text/plain")
            self.send(method, raw="title=%ff&reason=a%00b&agency=%c3%28",
                      content_type="application/x-www-form-urlencoded")
            for serializer in serializers_:
                base = json_plausible(serializer, self.sweep.samples)
                for number in range(JSON_ROTATIONS):
                    self.send(method, body=json_rotation(serializer, base, number), content_type="application/json")
                self.send(method, body=base, content_type="application/json",
                          label=f"{type(serializer).__name__} filled plausibly: {_describe(base, 200)}")
                for label, body in json_one_at_a_time(serializer, base):
                    self.send(method, body=body, content_type="application/json",
                              label=f"{type(serializer).__name__} {label}: {_describe(body, 200)}")


def sends_to_sign_in(response):
    return response.status_code in (301, 302, 303) and _view_name(urlsplit(response["Location"]).path) in SIGN_IN_VIEWS


@functools.cache
def _view_name(path):
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _resolves_to(path, pattern):
    try:
        return resolve(path).func is pattern.callback
    except Resolver404:
        return False


def owner_of(view_name, rich):
    """Who acts on what the route addresses: the no-trace sweep's owner, else by the route's prefix, else alice."""
    if view_name in rich.owners:
        return rich.owners[view_name]
    for prefix, role in OWNER_BY_PREFIX.items():
        if view_name.startswith(prefix):
            return getattr(rich, role)
    return rich.cast.alice


def api_samples(rich):
    """Real records for the API's fields that name one, so that a body is refused for its junk field alone."""
    patrol = Patrol.objects.filter(site__team__member_agencies=rich.cast.alice.officer.agency).first()
    crew = patrol.crew.first()
    return {
        "site": patrol.site_id, "vessel": patrol.vessel.hull_number, "directing_officer": crew.officer_id,
        "officer": crew.officer_id, "team": IbetTeam.objects.order_by("pk").first().pk, "agency": "CBP",
        "person": Subject.objects.filter(case__in=rich.cases, kind="person").first().pk,
    }


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_bad_input_answers_a_server_error_or_saves_anything(rich, settings, shard):
    # The sweep is a robot by design; the limits have their own tests and would answer 429 here.
    settings.RATE_LIMIT_SEARCH = settings.RATE_LIMIT_EXPORT = settings.RATE_LIMIT_SIGN_IN = "100000/m"
    settings.DECONFLICTION_CHECKS_PER_HOUR = 1_000_000
    charlie = rich.cast.charlie
    auditor = OfficerFactory(agency=rich.cast.alice.officer.agency, is_auditor=True, user__username="auditor").user
    routes = []
    for path, pattern in url_patterns():
        view_name = resolve(path).view_name
        owner = auditor if view_name == "partnerships:audit_search" else owner_of(view_name, rich)
        routes.append((path, pattern, view_name, [owner] + ([charlie] if owner != charlie else [])))
    users = {user.pk: user for *_route, route_users in routes for user in route_users}
    sweep = Sweep(rich=rich, samples=api_samples(rich),
                  sweepers=set(Officer.objects.filter(user__in=users.values()).values_list("pk", flat=True)),
                  audit_tail=None, rows=None)
    started = time.monotonic()
    clients = {}
    for user in users.values():
        clients[user.pk] = Client(raise_request_exception=False)  # a server error is an answer to record
        clients[user.pk].force_login(user)
    audit.seal_all()  # the fixture's records and the sign-ins: each request's own are sealed after them, and checked
    sweep.audit_tail, sweep.rows = AuditSeal.objects.order_by("-position").first(), RowCounts()
    sweep.settle(sweep.discover(routes, clients), clients)
    for path, pattern, view_name, route_users in routes[shard::SHARDS]:
        sweep.route(path, pattern, view_name, route_users, clients)
    elapsed = time.monotonic() - started

    counts = ", ".join(f"{count} {method} {part}" for (method, part), count in sorted(sweep.counts.items()))
    summary = (f"shard {shard + 1} of {SHARDS}: {sweep.routes} of {len(routes)} routes, {sweep.requests} requests "
               f"({counts}) in {elapsed:.0f} s; not reached by their users (one request of junk for each method): "
               f"{', '.join(sweep.unreached) or 'none'}")
    print(summary)  # noqa: T201 - the sweep's size and time, for whoever runs it with -s
    assert not sweep.faults, f"{len(sweep.faults)} requests with bad input went wrong ({summary}):\n" + "\n".join(
        _grouped(sweep.faults))
    audit.seal_all()
    _verified, problems = audit.verify()
    assert not problems, [str(problem) for problem in problems]
    assert len(routes) >= ROUTES_AT_LEAST, summary
    assert sweep.routes >= ROUTES_AT_LEAST // SHARDS and sweep.requests >= REQUESTS_AT_LEAST // SHARDS, summary


def _grouped(faults):
    """One entry per method, route and exception, with the first request that raised it and how many did."""
    groups = {}
    for fault in faults:
        groups.setdefault((fault.method, fault.view_name, fault.exception.split(":")[0]), []).append(fault)
    return [f"- {len(group)} x {group[0]}" for group in groups.values()]


def test_the_checks_see_a_refused_write_that_saved_a_row(cast):
    rows = RowCounts()
    assert rows.saved() == []
    OfficerFactory(agency=cast.alice.officer.agency)
    assert any(table.startswith("partnerships_officer ") for table in rows.saved())
    page = SimpleNamespace(status_code=200, streaming=False, content=b'<div class="error-summary" role="alert">',
                           get=lambda name, default="": "text/html; charset=utf-8")
    assert refused(page)
    assert refused(SimpleNamespace(status_code=404)) and not refused(SimpleNamespace(status_code=302, get={}.get))
