"""Template filters that show values as words and numbers people read (partnerships/words.py)."""

from django import template
from django.apps import apps

from partnerships import words

register = template.Library()


@register.filter
def choice_label(value, choices):
    """`{{ code|choice_label:"partnerships.EnforcementResult.Category" }}`: the label of a choice's code."""
    app_model, _dot, name = choices.rpartition(".")
    return words.label(getattr(apps.get_model(app_model), name), value)


@register.filter
def choice_labels(values, choices):
    """The labels of a list of codes, joined by commas."""
    return ", ".join(choice_label(value, choices) for value in values or ())


@register.filter
def quantity(value):
    return words.quantity(value)


@register.filter
def measure(value, unit):
    return words.measure(value, unit)


@register.simple_tag
def seizure_line(category, value, unit, count=None):
    return words.seizure_line(category, value, unit, count)


@register.simple_tag
def field_change(model, name, change):
    """`{% field_change "partnerships.JointCase" field change %}`: one recorded change, in words."""
    return words.field_change(apps.get_model(model), name, change.get("old"), change.get("new"))
