"""Every form and every API write takes dates in the portal's range and numbers that fit their columns
(portal/limits.py), so that a new field cannot forget it: a date in year 9999 was saved as year 10000 and took the
forum down, a number of 20 digits failed the row's insert."""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from rest_framework import serializers

from partnerships.api.serializers import StrictSerializer
from partnerships.forms import DateField, DateTimeField
from portal import limits

PROJECT = str(apps.get_app_config("portal").path).rsplit("/", 1)[0]
PORTAL_APPS = [config.name for config in apps.get_app_configs()
               if config.path.startswith(PROJECT + "/") and "site-packages" not in config.path]


def portal_forms():
    for app in PORTAL_APPS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for _name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                yield form


def write_serializers():
    for app in PORTAL_APPS:
        try:
            importlib.import_module(f"{app}.api.serializers")
        except ModuleNotFoundError:
            continue
    pending = [StrictSerializer]
    while pending:
        serializer = pending.pop()
        pending.extend(serializer.__subclasses__())
        yield serializer


def test_the_apps_swept_are_the_portals():
    assert {"partnerships", "shiprider", "ibet", "best", "cbcf", "deconfliction", "portal"} <= set(PORTAL_APPS)


@pytest.mark.parametrize("form", list(portal_forms()), ids=lambda form: f"{form.__module__}.{form.__name__}")
def test_every_form_takes_dates_in_range_and_numbers_that_fit(form):
    for name, field in form.base_fields.items():
        if isinstance(field, (forms.DateField, forms.DateTimeField)):
            assert isinstance(field, (DateField, DateTimeField)), f"{name}: use partnerships.forms' {type(field)}"
        declared = name in form.declared_fields  # a ModelForm's other fields take their model field's validators
        if declared and isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField):
            assert field.max_value is not None, f"{name}: an IntegerField needs a max_value"
        if declared and isinstance(field, forms.DecimalField):
            assert field.max_value is not None or field.max_digits is not None, f"{name}: a DecimalField needs a bound"


@pytest.mark.parametrize("serializer", list(write_serializers()), ids=lambda serializer: serializer.__name__)
def test_every_api_write_takes_dates_in_range_and_numbers_that_fit(serializer):
    for name, field in serializer().fields.items():
        if field.read_only:
            continue
        if isinstance(field, (serializers.DateField, serializers.DateTimeField)):
            assert limits.check_date_in_range in field.validators, name
        if isinstance(field, serializers.IntegerField):
            assert field.max_value is not None and field.max_value <= limits.MAX_ID, name
        if isinstance(field, serializers.DecimalField):
            assert field.max_digits is not None, name


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01"])
def test_a_date_outside_the_range_is_refused_by_forms_and_the_api(value):
    with pytest.raises(forms.ValidationError, match="Give a date between 1900-01-01 and 2200-12-31."):
        DateField().clean(value)
    with pytest.raises(forms.ValidationError, match="Give a date between"):
        DateTimeField().clean(f"{value} 23:59")

    class Probe(StrictSerializer):
        on = serializers.DateField()
        at = serializers.DateTimeField()

    probe = Probe(data={"on": value, "at": f"{value}T12:00:00+00:00"})
    assert not probe.is_valid()
    assert set(probe.errors) == {"on", "at"}
