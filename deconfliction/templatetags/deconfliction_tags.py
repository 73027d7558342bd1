"""Deconfliction in words, for the pages: what a check asked (its audit record's `asked`), a match's degree and what
it was found on. Field names come from the models and forms, so they read in the reader's language."""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from deconfliction.models import Hit
from deconfliction.services import MATCHED_ON
from partnerships.models import Subject

register = template.Library()

EVENT_LABELS = {"starts_at": _("Starts"), "ends_at": _("Ends"), "area": _("Named area"), "latitude": _("Latitude"),
                "longitude": _("Longitude"), "radius_m": _("Radius (m)")}


def _label(name):
    if name in EVENT_LABELS:
        return EVENT_LABELS[name]
    try:
        return capfirst(Subject._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a name no model knows (a record written by an older version): shown as is
        return name


@register.filter
def asked_lines(asked):
    """One line per subject or operation a check asked about: "Kind: Person; Name, number or address: ..."."""
    lines = []
    for probe in asked if isinstance(asked, list) else ():
        if isinstance(probe, dict):
            parts = []
            for name, value in probe.items():
                if name == "kind" and value in Subject.Kind.values:
                    value = Subject.Kind(value).label
                parts.append(f"{_label(name)}: {value}")
            lines.append("; ".join(parts))
    return lines


@register.filter
def certainty_label(value):
    return Hit.Certainty(value).label if value in Hit.Certainty.values else value


@register.filter
def matched_on_label(value):
    return MATCHED_ON.get(value, value)
