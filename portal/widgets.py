"""Form widgets rendered in Python where the template engine cost a page more than its queries.

Django renders a select through a template and each of its options through another: on the case list page the
filter form's three selects (program, status, sort order: 24 options) were a fifth of the request's Python (issue 20,
docs/benchmarks.md). QuickSelect writes the same markup as Django's select.html and select_option.html, from the same
context (`get_context`: the attributes, the selected options, aria-describedby and aria-invalid set by the bound
field), every value and label escaped by format_html."""

from django import forms
from django.utils.html import format_html, format_html_join


class QuickSelect(forms.Select):
    """A single-choice select written without templates; the markup of Django's own."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join("", '<option value="{}"{}>{}</option>',
                                        ((str(option["value"]), _attributes(option["attrs"]), option["label"])
                                         for option in options))
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered) if group_name
                         else rendered)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], _attributes(widget["attrs"]),
                           format_html_join("", "{}", ((part,) for part in parts)))


def _attributes(attrs):
    """ name="value" for each attribute in its order, as Django's attrs.html writes them (flatatt would sort them):
    True is the bare name, False and None leave the attribute out."""
    return format_html_join("", "{}", (
        (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
        for name, value in attrs.items() if value is not False and value is not None))
