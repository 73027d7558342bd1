"""Bad input gets a clear message in the user's language and changes nothing; never a server error (DESIGN.md §6).

The sweep walks the resolver (portal/tests/routes.py), so a new route is swept without editing this file. It reuses
the rich case of tests/test_no_trace_sweep.py (alice's cases with one of every record that hangs off a case, in
every app) and its table of what each route parameter addresses, and fills each pattern with alice's real records.
Each route is swept as alice and, where someone else holds what it acts on, as that owner too (alice's agency's
administrator for its officers, tokens, activity and designations; the forum's secretariat for the forum):

- GET with junk in every query parameter the route reads: the FilterSets' fields, the names the view reads
  (string constants of its code, when it reads request.GET), the no-trace sweep's queries(), the fields of the GET
  forms the pages show, and the parameters every list shares (page, format, ordering, ...). Junk is malformed
  numbers and dates, unknown choices, 5,000 characters, NUL and control characters, bytes that are not UTF-8 and
  broken percent escapes. One request carries junk in the headers the portal reads.
- POST with an empty body, with junk in every field name the route may read at once, and, for each form a page
  shows for the route, with the form filled plausibly (its own options and values) but for one field at a time
  that takes junk of its kind: so that the junk reaches the form's clean() and the service, not only the field.
- Under /api/: JSON bodies that are not objects or not JSON at all, objects with wrong types in every field, and
  the route's serializer filled plausibly but for one field (nested ones included); PUT, PATCH and DELETE alike.

Any 5xx is a failure, listed with the request and the exception, but for the faults known and listed in
KNOWN_FAULTS, which must still happen (a fixed fault is removed from the list). Each request runs in a savepoint
rolled back after a server error, so that one fault cannot break the requests after it; what the other requests
save stays (half-saved writes are other tests' business). The audit chain still verifies at the end.
"""

import datetime
import itertools
import json
import re
import time
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import FunctionType, ModuleType
from urllib.parse import quote, urljoin, urlsplit

import django_filters
import pytest
from django import forms as django_forms
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from rest_framework import serializers
from rest_framework.views import APIView

from best.models import Investigation
from ibet.models import IbetTeam
from partnerships import audit
from partnerships.models import Officer, Subject
from portal.tests.routes import fill, url_patterns
from shiprider.models import Patrol
from tests import test_no_trace_sweep as no_trace

pytestmark = pytest.mark.django_db

rich = no_trace.rich  # the same fixture: alice's cases and everything hanging off them, in every app

# Server errors the sweep found and that wait for a fix: (method, view name): the exception, in one line. The sweep
# tolerates them (the same exception class on the same method and route) and fails when one no longer happens.
KNOWN_FAULTS = {}

# Routes swept and requests made when the sweep was written (2026-11-29). Only ever raise them.
ROUTES_AT_LEAST = 236
REQUESTS_AT_LEAST = 4000

# Who acts on what a route addresses, beyond alice (the no-trace sweep names the officer pages' owner): the route is
# swept as alice and as its owner.
OWNER_BY_PREFIX = {
    "partnerships:agency_": "rcmp.admin",  # alice's agency's administrator: its officers, tokens and activity
    "partnerships:designation": "rcmp.admin",  # designations are granted and changed by the agency's administrators
    "cbcf:": "secretariat",  # the forum's secretariat runs its meetings, agenda, initiatives and subgroups
}

# A route is reached when the user's answer to its plain GET (or, for a POST-only route, an empty POST) is none of
# these; a route nobody reaches is swept all the same, with the short list of junk.
NOT_REACHED = {403, 404}
PROBES_PER_ROUTE = 12  # combinations of records tried before giving up on reaching a route

BASE_DIR = Path(__file__).resolve().parent.parent
LONG = "x" * 5000
NOW = timezone.now()

# --- junk ------------------------------------------------------------------------------------------------------

# Values for query parameters and form fields: each is sent in every name at once.
JUNK = ["", " ", "abc", "-1", "0", "99999", "99999999999999999999", "-99999999999", "1.5", "NaN", "1e309",
        "2026-13-45", "notadate", "0001-01-01", "9999-12-31", "0001-01-01T00:00", "9999-12-31T23:59", "bogus",
        LONG, "\x00", "a\x00b", "\x01\x1f\x7f", "\u202e\ufeff"]
# Sent as they are, not percent-encoded: bytes that are not UTF-8, a NUL, broken escapes.
RAW_JUNK = ["%ff", "%00", "%c3%28", "%zz", "%", "%e2%82"]
# Routes that refuse before reading (a redirect to sign in, a 404 for whoever is not the owner) get these only.
SHORT_JUNK = ["bogus", "a\x00b", LONG]
SHORT_RAW_JUNK = ["%ff"]
# Per parameter of those a route documents (FilterSets, queries(), GET forms), with the others left valid.
QUERY_JUNK = ["abc", "-1", "99999999999999999999", "2026-13-45", "bogus", LONG, "a\x00b"]
QUERY_RAW_JUNK = ["%ff", "%00"]
# Query parameters every list or export of the portal shares.
COMMON_QUERY = ["page", "page_size", "format", "ordering", "q", "cursor", "next"]
# Headers the portal reads (language, content negotiation, ETags, the audit context), with junk in each.
JUNK_HEADERS = {
    "HTTP_ACCEPT": "application/bogus;q=abc, */*;q=x", "HTTP_ACCEPT_LANGUAGE": "zz-ZZ;q=abc, \x00, " + LONG[:300],
    "HTTP_IF_MATCH": '"bogus", \x00', "HTTP_IF_NONE_MATCH": "bogus", "HTTP_IF_MODIFIED_SINCE": "notadate",
    "HTTP_RANGE": "bytes=abc-", "HTTP_X_REQUEST_ID": "a\x00b" + LONG, "HTTP_USER_AGENT": "a\x00b" + LONG,
    "HTTP_X_FORWARDED_FOR": "999.999.1.1, \x00", "HTTP_REFERER": "http://[bogus",
}

# One field of a form at a time, by the kind of input the page shows for it.
FIELD_JUNK = {
    "text": [LONG, "a\x00b", "\x01\x1f\x7f"],
    "number": ["abc", "-1", "99999999999999999999", "1e309", "NaN"],
    "date": ["2026-13-45", "0001-01-01", "9999-12-31", "notadate"],
    "datetime-local": ["2026-13-45T25:61", "0001-01-01T00:00", "9999-12-31T23:59", "2026-03-08T02:30"],
    "time": ["25:61", "notatime"],
    "select": ["bogus", "99999999999999999999", "-1"],
    "hidden": ["abc", "-1", "99999999999999999999", "a\x00b"],
    "checkbox": ["bogus"],
    "file": ["empty", "long name", "odd name", "not utf-8"],
}
FIELD_KINDS = {"textarea": "text", "search": "text", "email": "text", "tel": "text", "url": "text", "password": "text",
               "radio": "select", "datetime": "datetime-local", "month": "date", "week": "date"}


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

# JSON: whole bodies that are not what any endpoint takes.
JSON_BODIES = [{}, [], "x", None, 123, True, [{}], {"": None}, {"x" * 300: LONG}]
RAW_JSON_BODIES = ["{not json", "", "\x00", b"\xff\xfe{}", '{"a": 1,}', "[" * 100_000, '{"a": 1e999}', "NaN"]
# JSON: every writable field at once takes each of these.
JSON_JUNK = [None, "", 123, -1, 0, 1.5, True, [], {}, "bogus", LONG, "a\x00b", "\ud800", 99999999999999999999,
             "2026-13-45", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"]
# JSON: one field at a time, by its kind.
JSON_FIELD_JUNK = {
    "text": [None, 123, LONG, "a\x00b", "\ud800", "\x01\x1f"],
    "integer": ["abc", -1, 0, 99999999999999999999, 1.5, True],
    "number": ["abc", "NaN", "Infinity", 1e308, 99999999999999999999, "-1e999"],
    "datetime": ["2026-13-45", "notadate", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00",
                 "2026-03-08T02:30:00", 123],
    "date": ["2026-13-45", "0001-01-01", "9999-12-31", 123],
    "choice": ["bogus", 1, None],
    "boolean": ["true", 1, None],
    "related": ["bogus", 1, "a\x00b", None],
    "list": ["x", {}, [None], [[]], []],
    "object": ["x", [], None],
}
WRITE_METHODS = ["post", "put", "patch", "delete"]


# --- what a route reads ------------------------------------------------------------------------------------------

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,30}$")


@dataclass
class Reads:
    """What a view's code uses: forms, serializers and filter sets, and the names it may read from the request."""

    forms: set = field(default_factory=set)
    serializers: set = field(default_factory=set)
    filtersets: set = field(default_factory=set)
    names: set = field(default_factory=set)  # identifier-like string constants of its code
    reads_query: bool = False  # request.GET or request.query_params
    reads_body: bool = False  # request.POST, request.data or request.FILES
    api: bool = False
    methods: set = field(default_factory=set)  # the API view's write methods

    @property
    def form_fields(self):
        return {name for form in self.forms for name in form.base_fields}

    @property
    def filter_fields(self):
        return {name for filterset in self.filtersets for name in filterset.base_filters}


def _is_project_code(obj):
    module = getattr(obj, "__module__", "") or ""
    return module.split(".")[0] in {"portal", "partnerships", "shiprider", "ibet", "best", "cbcf", "deconfliction"}


def _code_objects(code):
    yield code
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            yield from _code_objects(const)


def _note(value, reads, seen, depth):
    """Take in what a name of the view's code refers to."""
    if isinstance(value, type):
        if issubclass(value, django_forms.BaseForm):
            reads.forms.add(value)
        elif issubclass(value, django_forms.BaseFormSet):
            reads.forms.add(value.form)
        elif issubclass(value, serializers.BaseSerializer):
            reads.serializers.add(value)
        elif issubclass(value, django_filters.FilterSet):
            reads.filtersets.add(value)
    elif isinstance(value, dict | list | tuple) and depth < 3:
        for item in value.values() if isinstance(value, dict) else value:
            _note(item, reads, seen, depth + 1)
    elif isinstance(value, FunctionType) and _is_project_code(value) and depth < 3:
        _read_function(value, reads, seen, depth + 1)


def _read_function(function, reads, seen, depth=0):
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
            if isinstance(value, ModuleType):
                for attribute in names:
                    _note(getattr(value, attribute, None), reads, seen, depth)
            else:
                _note(value, reads, seen, depth)


def reads_of(callback):
    reads, seen = Reads(), set()
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:
        _read_function(callback, reads, seen)
        return reads
    for name in ("serializer_class", "filterset_class", "form_class"):
        _note(getattr(view_class, name, None), reads, seen, 0)
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
            return
        if self._form is None or not attributes.get("name") and tag != "option":
            return
        if tag in ("input", "button"):
            kind = (attributes.get("type") or ("submit" if tag == "button" else "text")).lower()
            self._form["fields"].append({"name": attributes["name"], "type": kind, "value": attributes.get("value"),
                                         "checked": "checked" in attributes})
        elif tag == "select":
            self._select = {"name": attributes["name"], "type": "select", "options": [],
                            "multiple": "multiple" in attributes}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [attributes.get("value"), "selected" in attributes, ""]
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = {"name": attributes["name"], "type": "textarea", "value": ""}
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


def forms_on(response, path):
    """[(method, action path, fields)] of an HTML answer."""
    if not response.get("Content-Type", "").startswith("text/html") or response.streaming:
        return []
    parser = FormsOnPage()
    parser.feed(response.content.decode(errors="replace"))
    return [(form["method"], urlsplit(urljoin(path, form["action"])).path, form["fields"]) for form in parser.forms]


def kind_of(form_field):
    kind = FIELD_KINDS.get(form_field["type"], form_field["type"])
    return kind if kind in FIELD_JUNK else "text"


def plausible(fields):
    """The form as a user would fill it: its own values and options, a text or a date where it is empty. Dates and
    times rise from field to field, so that an end comes after its start."""
    body = {}
    for index, form_field in enumerate(fields):
        name, kind, value = form_field["name"], form_field["type"], form_field.get("value")
        if kind in ("submit", "button", "image", "reset"):
            if value:
                body.setdefault(name, value)
        elif kind == "checkbox":
            if form_field["checked"]:
                body.setdefault(name, []).append(value or "on")
        elif kind == "radio":
            if name not in body or form_field["checked"]:
                body[name] = value or "on"
        elif kind == "select":
            options = [option[0] if option[0] is not None else option[2].strip() for option in form_field["options"]]
            chosen = [option for option, (_v, selected, _t) in zip(options, form_field["options"], strict=True)
                      if selected and option] or [option for option in options if option][:1]
            if chosen:
                body[name] = chosen if form_field["multiple"] else chosen[0]
        elif kind == "file":
            body[name] = JUNK_FILES["plain"]
        elif value:
            body[name] = value
        elif kind == "date":
            body[name] = (timezone.localdate() + datetime.timedelta(days=index)).isoformat()
        elif kind in ("datetime-local", "datetime"):
            body[name] = (timezone.localtime() + datetime.timedelta(days=2, hours=index)).strftime("%Y-%m-%dT%H:%M")
        elif kind == "number":
            body[name] = "1"
        elif kind == "email":
            body[name] = "officer@example.org"
        elif kind == "time":
            body[name] = "10:00"
        elif kind != "hidden":
            body[name] = "Bad input sweep"
    return body


def with_junk(base, fields):
    """(label, body) for each field of the form taking, alone, each junk of its kind."""
    for form_field in fields:
        name, kind = form_field["name"], kind_of(form_field)
        if form_field["type"] in ("submit", "button", "image", "reset"):
            continue
        for junk in FIELD_JUNK[kind]:
            value = JUNK_FILES[junk] if kind == "file" else junk
            yield f"{name}={_short(junk)}", {**base, name: value}


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


def json_plausible(serializer, samples):
    """The body a well-behaved client would send: real records where the field names one (`samples`)."""
    body = {}
    for name, serializer_field in serializer.fields.items():
        if serializer_field.read_only:
            continue
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
                          "datetime": (NOW + datetime.timedelta(days=2)).isoformat(),
                          "date": timezone.localdate().isoformat(), "related": "Bad input sweep",
                          "text": "Bad input sweep"}[kind]
    return body


def json_with_junk(serializer, base, prefix=()):
    """(label, body) for each writable field, nested ones included, taking alone each junk of its kind."""
    for name, serializer_field in serializer.fields.items():
        if serializer_field.read_only:
            continue
        kind = json_kind(serializer_field)
        for junk in JSON_FIELD_JUNK[kind]:
            yield ".".join((*prefix, name)) + f"={_short(junk)}", _replace(base, (*prefix, name), junk)
        nested = serializer_field.child if kind == "list" else serializer_field if kind == "object" else None
        if isinstance(nested, serializers.BaseSerializer):
            path = (*prefix, name, 0) if kind == "list" else (*prefix, name)
            yield from json_with_junk(nested, base, path)


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


# --- the sweep ---------------------------------------------------------------------------------------------------

class _Undo(Exception):  # noqa: N818 - not an error: rolls the savepoint of a failed request back
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
        return (f"{self.method} {self.path} ({self.view_name}) as {self.user} -> {self.status}: {self.exception}\n"
                f"      at {self.frame}\n      body: {self.body}")


def _app_frame(exc_info):
    """The last frame of the traceback in the project's own code."""
    frames = [frame for frame in traceback.extract_tb(exc_info[2])
              if frame.filename.startswith(str(BASE_DIR)) and "/.venv/" not in frame.filename
              and "/tests/" not in frame.filename]
    if not frames:
        return "(no frame of the project's code)"
    frame = frames[-1]
    return f"{Path(frame.filename).relative_to(BASE_DIR)}:{frame.lineno} in {frame.name}: {frame.line}"


def _describe(body, limit=300):
    if isinstance(body, dict):
        body = {name: (f"<file {value.name[:40]!r}, {len(value.content)} bytes>" if isinstance(value, JunkFile)
                       else value) for name, value in body.items()}
    text = repr(body)
    return text[:limit] + f"… ({len(text)} characters)" if len(text) > limit else text


@dataclass
class Sweep:
    rich: object
    samples: dict
    requests: int = 0
    routes: int = 0
    faults: list = field(default_factory=list)
    unreached: list = field(default_factory=list)
    forms: dict = field(default_factory=dict)  # (username, action path): [(method, fields)] from the pages
    paths: dict = field(default_factory=dict)  # (view name, username): the path that reached it

    # --- one request ---------------------------------------------------------------------------------------------

    def send(self, client, user, view_name, method, path, *, body=None, raw=None, content_type=None, label=None,
             **extra):
        """Send one request in a savepoint; a server error (or a transaction it left broken) rolls it back."""
        kwargs = dict(extra)
        if raw is not None:
            kwargs.update(data=raw, content_type=content_type)
        elif body is not None and content_type == "application/json":
            kwargs.update(data=json.dumps(body), content_type=content_type)
        elif body is not None:
            kwargs["data"] = {name: value.upload() if isinstance(value, JunkFile) else value
                              for name, value in body.items()}
            if content_type:
                kwargs["content_type"] = content_type
        self.requests += 1
        response, broken = None, None
        try:
            with transaction.atomic():
                response = getattr(client, method.lower())(path, **kwargs)
                try:
                    if response.streaming:  # a file or a streamed export fails, if it fails, while it is read
                        b"".join(response.streaming_content)
                except Exception as exc:  # noqa: BLE001 - a stream that breaks is the fault to report
                    broken = (type(exc), exc, exc.__traceback__)
                if response.status_code >= 500 or broken or not _usable():
                    raise _Undo
        except _Undo:
            pass
        if response.status_code >= 500 or broken:
            exc_info = broken or getattr(response, "exc_info", None)
            exception = (f"{exc_info[0].__name__}: {str(exc_info[1]).strip().splitlines()[0][:300]}"
                         if exc_info and str(exc_info[1]).strip() else
                         exc_info[0].__name__ if exc_info else "(no exception: the view answered so)")
            self.faults.append(Fault(
                method=method.upper(), path=path, view_name=view_name, user=user.get_username(),
                body=label or _describe(raw if raw is not None else body), status=response.status_code,
                exception=("while streaming the answer: " if broken else "") + exception,
                frame=_app_frame(exc_info) if exc_info else "-"))
        return response

    # --- finding a path each user reaches ---------------------------------------------------------------------------

    def discover(self, routes, clients):
        """GET each route as each of its users, with the first records they reach; keep the forms the pages show."""
        pending = []
        for path, pattern, view_name, users in routes:
            for user in users:
                client = clients[user.pk]
                reached = None
                for concrete in self.combinations(path, pattern, view_name)[:PROBES_PER_ROUTE]:
                    response = self.send(client, user, view_name, "GET", concrete)
                    self.keep_forms(user, concrete, response)
                    if response.status_code == 405:
                        pending.append((view_name, user, path, pattern))
                        break
                    if response.status_code not in NOT_REACHED:
                        reached = concrete
                        break
                if reached:
                    self.paths[view_name, user.get_username()] = reached
        return pending

    def settle(self, pending, clients):
        """POST-only routes: the path of a form that a page shows for it, else the first records an empty POST
        reaches."""
        for view_name, user, path, pattern in pending:
            username = user.get_username()
            shown = self.shown_paths(username, view_name)
            if shown:
                self.paths[view_name, username] = shown[0]
                continue
            for concrete in self.combinations(path, pattern, view_name)[:PROBES_PER_ROUTE]:
                if self.send(clients[user.pk], user, view_name, "POST", concrete).status_code not in NOT_REACHED:
                    self.paths[view_name, username] = concrete
                    break

    def combinations(self, path, pattern, view_name):
        """Concrete paths of the pattern with real records: alice's first, never the sweep's users' own logins."""
        names = no_trace.parameter_names(pattern)
        if not names:
            return [path]
        prefix = path.removesuffix(fill(pattern.pattern))
        options = []
        for name in names:
            found = no_trace.candidates(view_name, name, pattern, self.rich)
            if found is None:
                raise AssertionError(f"{path} ({view_name}): say what <{name}> addresses in test_no_trace_sweep.py")
            values, _missing = found
            model = no_trace.ADDRESSES.get(view_name, {}).get(name)
            if model is Officer:
                values = [(value, whose) for value, whose in values if value not in self.samples["sweepers"]]
            options.append(sorted(values, key=lambda pair: pair[1] != no_trace.HIDDEN))
        paths = []
        for combination in itertools.product(*options):
            concrete = prefix + fill(pattern.pattern, {name: value for name, (value, _whose)
                                                       in zip(names, combination, strict=True)})
            if _resolves_to(concrete, pattern):
                paths.append(concrete)
        return paths

    def keep_forms(self, user, path, response):
        for method, action, fields in forms_on(response, path):
            self.forms.setdefault((user.get_username(), action), []).append((method, fields))

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

    def form_fields(self, username, path, method):
        """The distinct field lists of the forms with this method that the pages showed for this path."""
        found, seen = [], set()
        for shown_method, fields in self.forms.get((username, path), []):
            names = tuple(sorted(form_field["name"] for form_field in fields))
            if shown_method == method and names not in seen:
                seen.add(names)
                found.append(fields)
        return found

    # --- the junk -----------------------------------------------------------------------------------------------

    def route(self, path, pattern, view_name, users):
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
            for concrete in paths:
                cache.clear()  # the rate-limit counters, the API's included (its rate is read once, at start-up)
                client = Client(raise_request_exception=False)  # a server error is an answer to record
                client.force_login(user)
                self.queries(client, user, view_name, concrete, reads, short=not reached)
                if reads.api:
                    self.api_bodies(client, user, view_name, concrete, reads)
                else:
                    self.bodies(client, user, view_name, concrete, reads, short=not reached)

    def queries(self, client, user, view_name, path, reads, *, short):
        username = user.get_username()
        documented = set(reads.filter_fields)
        asked = no_trace.queries(view_name, self.rich)
        documented |= {name for query in asked for name in query}
        for fields in self.form_fields(username, path, "get"):
            documented |= {form_field["name"] for form_field in fields}
        names = sorted(documented | set(COMMON_QUERY) | (reads.names if reads.reads_query else set()))
        reads_query = reads.reads_query or bool(documented)
        junk, raw_junk = (JUNK, RAW_JUNK) if reads_query and not short else (SHORT_JUNK, SHORT_RAW_JUNK)
        for value in junk:
            self.get(client, user, view_name, path, "&".join(f"{quote(name)}={quote(value)}" for name in names))
        for value in raw_junk:
            self.get(client, user, view_name, path, "&".join(f"{quote(name)}={value}" for name in names))
        if short or not reads_query:
            return
        self.get(client, user, view_name, path, "&".join(f"{quote(name)}=1&{quote(name)}=abc" for name in names))
        self.send(client, user, view_name, "GET", path, label=f"junk headers {sorted(JUNK_HEADERS)}", **JUNK_HEADERS)
        base = asked[0] if asked else {}
        for name in sorted(documented):
            valid = "&".join(f"{quote(key)}={quote(str(value))}" for key, value in base.items() if key != name)
            for value in QUERY_JUNK:
                self.get(client, user, view_name, path, "&".join(filter(None, [valid, f"{quote(name)}={quote(value)}"])))
            for value in QUERY_RAW_JUNK:
                self.get(client, user, view_name, path, "&".join(filter(None, [valid, f"{quote(name)}={value}"])))

    def get(self, client, user, view_name, path, query):
        return self.send(client, user, view_name, "GET", f"{path}?{query}")

    def bodies(self, client, user, view_name, path, reads, *, short):
        """Forms: an empty POST, junk in every name the route may read, then each shown form one field at a time."""
        username = user.get_username()
        shown = self.form_fields(username, path, "post")
        names = sorted(reads.form_fields | {form_field["name"] for fields in shown for form_field in fields}
                       | (reads.names if reads.reads_body else set()) | {"item", "next", "page"})
        self.post(client, user, view_name, path, {})
        if short or not (reads.reads_body or shown):
            for value in SHORT_JUNK:
                self.post(client, user, view_name, path, dict.fromkeys(names, value))
            return
        for value in JUNK:
            self.post(client, user, view_name, path, dict.fromkeys(names, value))
        for value in RAW_JUNK:
            self.send(client, user, view_name, "POST", path, raw="&".join(f"{quote(name)}={value}" for name in names),
                      content_type="application/x-www-form-urlencoded")
        for fields in shown:
            base = plausible(fields)
            self.post(client, user, view_name, path, base, label=f"the form filled plausibly: {_describe(base)}")
            for label, body in with_junk(base, fields):
                self.post(client, user, view_name, path, body, label=f"{label} in {_describe(base, 200)}")

    def post(self, client, user, view_name, path, body, label=None):
        return self.send(client, user, view_name, "POST", path, body=body, label=label)

    def api_bodies(self, client, user, view_name, path, reads):
        """Every write method: bodies that are not objects, wrong types everywhere, then one field at a time."""
        serializer_classes = sorted(reads.serializers, key=lambda klass: klass.__name__)
        writable = []
        for serializer_class in serializer_classes:
            try:
                serializer = serializer_class()
            except Exception:  # noqa: BLE001, S112 - a serializer that needs arguments is read from its fields
                continue
            if any(not serializer_field.read_only for serializer_field in serializer.fields.values()):
                writable.append(serializer)
        for method in WRITE_METHODS:
            if method not in reads.methods:  # 405 before the body is read: two bodies prove it
                self.send(client, user, view_name, method, path, body={"x": "a\x00b"}, content_type="application/json")
                self.send(client, user, view_name, method, path, raw="{not json", content_type="application/json")
                continue
            for body in JSON_BODIES:
                self.send(client, user, view_name, method, path, body=body, content_type="application/json")
            for raw in RAW_JSON_BODIES:
                self.send(client, user, view_name, method, path, raw=raw, content_type="application/json",
                          label=_describe(raw, 60))
            self.send(client, user, view_name, method, path, raw="a=1", content_type="text/plain")
            for value in SHORT_JUNK:
                self.send(client, user, view_name, method, path, raw=f"title={quote(value)}&reason=%ff",
                          content_type="application/x-www-form-urlencoded")
            for serializer in writable:
                names = [name for name, serializer_field in serializer.fields.items() if not serializer_field.read_only]
                for value in JSON_JUNK:
                    self.send(client, user, view_name, method, path, body=dict.fromkeys(names, value),
                              content_type="application/json")
                base = json_plausible(serializer, self.samples)
                self.send(client, user, view_name, method, path, body=base, content_type="application/json")
                for label, body in json_with_junk(serializer, base):
                    self.send(client, user, view_name, method, path, body=body, content_type="application/json",
                              label=f"{type(serializer).__name__} {label}: {_describe(body, 200)}")


def _usable():
    """The connection still runs queries (a view that swallowed a database error may leave it aborted)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


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
    if view_name in rich.owners:
        return rich.owners[view_name]
    for prefix, username in OWNER_BY_PREFIX.items():
        if view_name.startswith(prefix):
            return get_user_model().objects.get(username=username)
    return None


def api_samples(rich):
    """Real records for the API's fields that name one, so that a body is refused for its junk field alone."""
    patrol = Patrol.objects.filter(site__team__member_agencies=rich.cast.alice.officer.agency).first()
    crew = patrol.crew.select_related("officer").first()
    return {
        "site": patrol.site_id, "vessel": patrol.vessel.hull_number, "directing_officer": crew.officer_id,
        "officer": crew.officer_id, "team": IbetTeam.objects.order_by("pk").first().pk, "agency": "CBP",
        "person": Subject.objects.filter(case=Investigation.objects.first().case, kind="person").first().pk,
    }


def test_no_bad_input_answers_a_server_error(rich, settings):
    # The sweep is a robot by design; the limits have their own tests and would answer 429 here.
    settings.RATE_LIMIT_SEARCH = settings.RATE_LIMIT_EXPORT = settings.RATE_LIMIT_SIGN_IN = "100000/m"
    alice = rich.cast.alice
    routes = []
    for path, pattern in url_patterns():
        view_name = resolve(path).view_name
        owner = owner_of(view_name, rich)
        routes.append((path, pattern, view_name, [alice] + ([owner] if owner and owner != alice else [])))
    users = {user.pk: user for *_route, route_users in routes for user in route_users}
    samples = api_samples(rich)
    samples["sweepers"] = set(Officer.objects.filter(user__in=users.values()).values_list("pk", flat=True))
    sweep = Sweep(rich=rich, samples=samples)
    started = time.monotonic()

    clients = {}
    for user in users.values():
        clients[user.pk] = Client(raise_request_exception=False)
        clients[user.pk].force_login(user)
    pending = sweep.discover(routes, clients)
    sweep.settle(pending, clients)
    for path, pattern, view_name, route_users in routes:
        sweep.route(path, pattern, view_name, route_users)
    elapsed = time.monotonic() - started

    seen = {(fault.method, fault.view_name) for fault in sweep.faults}
    unknown = [fault for fault in sweep.faults if not _known(fault)]
    stale = sorted(set(KNOWN_FAULTS) - seen)
    summary = (f"{sweep.routes} routes, {sweep.requests} requests in {elapsed:.0f} s; not reached by their users "
               f"(swept with the short list): {', '.join(sweep.unreached) or 'none'}")
    assert not unknown, f"{len(unknown)} requests with bad input answered a server error ({summary}):\n" + "\n".join(
        _grouped(unknown))
    assert not stale, f"fixed (remove them from KNOWN_FAULTS): {stale}"
    verified, broken = audit.verify()
    assert broken is None, f"the audit chain breaks after {verified} records, at {broken.pk}"
    assert sweep.routes >= ROUTES_AT_LEAST and sweep.requests >= REQUESTS_AT_LEAST, summary


def _known(fault):
    known = KNOWN_FAULTS.get((fault.method, fault.view_name))
    return known is not None and known.split(":")[0] == fault.exception.split(":")[0]


def _grouped(faults):
    """One entry per method, route and exception, with the first request that raised it and how many did."""
    groups = {}
    for fault in faults:
        groups.setdefault((fault.method, fault.view_name, fault.exception.split(":")[0]), []).append(fault)
    return [f"- {len(group)} x {group[0]}" for group in groups.values()]


def test_known_faults_name_routes_that_exist():
    names = {resolve(path).view_name for path, _pattern in url_patterns()}
    assert {view_name for _method, view_name in KNOWN_FAULTS} <= names
