"""Every URL pattern of the project, found by walking the resolver, and sample values for its parameters.

Shared by the sweeps that must reach every view (portal/tests/test_csrf.py, tests/test_no_trace_sweep.py), so
that a new pattern is swept by all of them without editing any."""

import re
import uuid

from django.urls import URLPattern, URLResolver, converters, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils.regex_helper import normalize

SAMPLES = {
    converters.IntConverter: "1",
    converters.StringConverter: "x",
    converters.SlugConverter: "x",
    converters.UUIDConverter: str(uuid.UUID(int=1)),
    converters.PathConverter: "x",
}
# Named groups of regular-expression patterns (only Django's admin has them): a value each must match.
REGEX_SAMPLES = {"app_label": "partnerships"}

PARAMETER = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")


def fill(pattern, values=None):
    """The pattern's text with each parameter given its value in `values`, else a sample of its kind."""
    values = values or {}
    if isinstance(pattern, RoutePattern):
        return PARAMETER.sub(lambda match: str(values.get(match["name"],
                                                          SAMPLES[type(pattern.converters[match["name"]])])),
                             str(pattern))
    ((form, names),) = normalize(pattern.regex.pattern)[:1]
    return form % {name: values.get(name, REGEX_SAMPLES.get(name, "x")) for name in names}


def url_patterns(patterns=None, prefix="/"):
    """(concrete path, pattern) for every pattern, through every include."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry.url_patterns, prefix + fill(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + fill(entry.pattern), entry
