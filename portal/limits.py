"""What the portal takes from anyone, in pages and the API: dates in a sensible range, and numbers and ids that fit
their columns. A value outside is refused with a message, before it reaches a query or a row.

Forms take dates through the fields of partnerships/forms.py, the API through StrictSerializer
(partnerships/api/serializers.py): both check with these. Ids read straight from a query string or a form go
through `id_from`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Far wider than any date the partnerships record (births, cases, meetings, designations), and far enough from
# years 1 and 9999 that no time zone or calendar step leaves Python's range (a meeting at 9999-12-31 23:59 in
# Toronto is year 10000 in UTC).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2200, 12, 31)

# The largest id a column holds (PostgreSQL bigint, SQLite INTEGER); SQLite cannot even compare a larger one.
MAX_ID = 2**63 - 1

# Persons apprehended or arrested at once, counts of one charge: far above any real one, far below any column's
# limit.
MAX_COUNT = 100_000

# Quantities are kept as numeric(14, 3) (EnforcementResult.quantity).
QUANTITY_MAX_DIGITS = 14
QUANTITY_DECIMAL_PLACES = 3


def check_date_in_range(value):
    """A validator for date and date-time fields, in forms and the API."""
    if not in_range(value):
        raise ValidationError(
            _("Give a date between %(earliest)s and %(latest)s."), code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()})


def in_range(value):
    """Whether a date (or date and time) is in the portal's range."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    return EARLIEST_DATE <= day <= LATEST_DATE


def id_from(value):
    """An id given in a query string or a form: a whole number from 1 to MAX_ID, or None for anything else
    (so that the lookup finds nothing and answers 404)."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
        return int(text)
    return None
