"""The API's JSON in and out.

In: a body nested deeper than any the API takes, or holding text that is not Unicode (a lone surrogate such as
"\\ud800", which no column can keep and no response can encode), is refused with 400 before a view sees it. Python's
JSON decoder raises RecursionError on a deep enough body ("[" * 100000), which DRF's parser lets through as a 500.

Out: an answer that quotes such text back anyway is sent with it escaped, instead of failing to encode.
"""

import json

from django.utils.translation import gettext as _
from rest_framework import parsers, renderers
from rest_framework.exceptions import ParseError

# The deepest body the API takes is a case with its results: {"results": [{...}]}, three levels. Far more than any
# real one, far less than Python's recursion limit (which anything walking the data would meet).
MAX_DEPTH = 32


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("JSON parse error - the body is nested too deeply.")) from error
        check_body(data)
        return data


def check_body(data):
    """Walk the parsed body without recursion: refuse it if too deep or holding text that is not Unicode."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if not _is_unicode(value):
                raise ParseError(_("JSON parse error - the body holds text that is not valid Unicode."))
        elif isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise ParseError(_("JSON parse error - the body is nested more than %(depth)s levels deep.")
                                 % {"depth": MAX_DEPTH})
            if isinstance(value, dict):
                pending.extend((key, depth) for key in value)
                pending.extend((item, depth + 1) for item in value.values())
            else:
                pending.extend((item, depth + 1) for item in value)


def _is_unicode(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class JSONRenderer(renderers.JSONRenderer):
    """DRF's, falling back to ASCII escapes (\\ud800) when the data holds text UTF-8 cannot encode."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return json.dumps(data, cls=self.encoder_class, ensure_ascii=True, allow_nan=not self.strict).encode()
