"""Values as people read them, in the active language: a choice's label rather than its code, quantities with their
thousands separators and without trailing zeros ("1", not "1.000"), sums of money with their currency sign."""

from decimal import Decimal

from django.apps import apps
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def _results():
    # the model through the app registry: models.py prints its results with these words (one way, models -> words)
    return apps.get_model("partnerships", "EnforcementResult")


def label(choices, value):
    """The label of `value` among `choices` (a TextChoices class), or the value itself when it is not one of them."""
    try:
        return str(choices(value).label)
    except ValueError:
        return "" if value is None else str(value)


def quantity(value):
    """A number as people read it: "49,471,467" / "49 471 467", "2.5" / "2,5", "1" (never "1.000")."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    number = number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    return formats.number_format(number, force_grouping=True)


def money(value, currency):
    """A sum of money: "US$49,471,467" in English, "49 471 467 $ US" in French."""
    country = {"USD": "US", "CAD": "CA"}.get(currency, currency)
    if (get_language() or "en").startswith("fr"):
        return f"{quantity(value)}\u00a0$\u00a0{country}"
    return f"{country}${quantity(value)}"


def measure(value, unit):
    """A quantity in its unit: "2 kg", "4" for a count, "US$48,500" for money."""
    EnforcementResult = _results()
    if unit in (EnforcementResult.Unit.USD, EnforcementResult.Unit.CAD):
        return money(value, unit)
    if unit == EnforcementResult.Unit.COUNT:
        return quantity(value)
    return f"{quantity(value)}\u00a0{label(EnforcementResult.Unit, unit)}"


def seizure_line(category, value, unit, count=None):
    """One line of seized goods: "Currency: US$48,500 (1)" / "Devises : 48 500 $ US (1)"."""
    text = _("%(category)s: %(measure)s") % {"category": label(_results().Category, category),
                                             "measure": measure(value, unit)}
    return text if count is None else f"{text} ({quantity(count)})"


def field_change(model, name, old, new):
    """One change of a record as people read it: 'Status: “Open” → “Active”' / 'Statut : « Ouvert » → « Actif »',
    with the field's name and its choices' labels rather than their codes."""
    try:
        field = model._meta.get_field(name)
    except Exception:  # a field since removed: its name as it was recorded
        return _("%(field)s: “%(old)s” → “%(new)s”") % {"field": name, "old": old or "—", "new": new or "—"}

    def shown(value):
        if not value:
            return "—"
        return str(dict(field.flatchoices).get(value, value)) if field.choices else str(value)

    return _("%(field)s: “%(old)s” → “%(new)s”") % {
        "field": str(field.verbose_name).capitalize(), "old": shown(old), "new": shown(new)}
