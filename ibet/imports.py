"""CSV import of occurrences: every row is checked first; one bad row refuses the whole file."""

import csv
import datetime
import io
import logging
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from ibet.models import IMPORT_SAVING_KEY, ImportJob, Occurrence
from partnerships import audit
from partnerships.models import AuditEvent, EnforcementResult
from portal import limits

# column: (English header, French header)
COLUMNS = {
    "occurred_at": ("occurred_at", "date_heure"),
    "kind": ("kind", "type"),
    "latitude": ("latitude", "latitude"),
    "longitude": ("longitude", "longitude"),
    "place": ("place", "lieu"),
    "nearest_port": ("nearest_port", "point_entree"),
    "at_port": ("at_port", "au_point_entree"),
    "persons_apprehended": ("persons_apprehended", "personnes_apprehendees"),
    "nationalities": ("nationalities", "nationalites"),
    "narrative": ("narrative", "expose"),
    "arrests": ("arrests", "arrestations"),
    "seizure_category": ("seizure_category", "saisie_categorie"),
    "seizure_quantity": ("seizure_quantity", "saisie_quantite"),
    "seizure_unit": ("seizure_unit", "saisie_unite"),
    "seizure_description": ("seizure_description", "saisie_description"),
}
REQUIRED = ("occurred_at", "kind", "nearest_port", "narrative")
YES = {"yes", "y", "oui", "o", "true", "1"}
NO = {"", "no", "n", "non", "false", "0"}
PROGRESS_EVERY = 500
# The column's numeric(14, 3) holds 11 digits before the point.
MAX_QUANTITY = Decimal(10) ** (limits.QUANTITY_MAX_DIGITS - limits.QUANTITY_DECIMAL_PLACES)
MAX_LISTED_ERRORS = 200

logger = logging.getLogger(__name__)


def template(language):
    index = 1 if language == "fr" else 0
    with override(language):  # the example row in words of the template's language, which the import reads back
        example = ["2026-11-02 23:40", str(Occurrence.Kind.VEHICLE_INCURSION.label), "49.00211", "-122.75612",
                   "Zero Avenue at 176 Street", "Pacific Highway", "non" if index else "no", "2", "CA, US",
                   _("Pickup crossed the ditch southbound"), "1", str(EnforcementResult.Category.DRUGS.label), "18",
                   str(EnforcementResult.Unit.KG.label), "cannabis"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([headers[index] for headers in COLUMNS.values()])
    writer.writerow(example)
    return buffer.getvalue()


def _headers(row):
    """Map the file's headers (English or French, any order) to our columns, or say what is wrong."""
    by_name = {name.strip().lower().lstrip("\ufeff"): position for position, name in enumerate(row)}
    mapping, unknown = {}, []
    for column, names in COLUMNS.items():
        found = [by_name[name] for name in names if name in by_name]
        if found:
            mapping[column] = found[0]
    known = {name for names in COLUMNS.values() for name in names}
    unknown = [name for name in by_name if name and name not in known]
    missing = [_column(column) for column in REQUIRED if column not in mapping]
    return mapping, unknown, missing


def _column(column):
    """A column's header in the active language, as the template writes it."""
    return COLUMNS[column][1 if (get_language() or "en").startswith("fr") else 0]


def _choice(choices, raw, refused=()):
    """The code of a choice written as its code or as its label in English or French (any case), else None."""
    wanted = raw.strip().casefold()
    for value, label in choices.choices:
        if value in refused:
            continue
        names = {value.casefold()}
        for language in ("en", "fr"):
            with override(language):
                names.add(str(label).casefold())
        if wanted in names:
            return value
    return None


def _labels(choices, refused=()):
    return ", ".join(str(label) for value, label in choices.choices if value not in refused)


def check_row(values, zone, now, written=None):
    """(clean values, [errors]) for one row; a column is named as the file's header wrote it (`written`)."""

    def name(column):
        return (written or {}).get(column) or name(column)

    errors, clean = [], {}
    for column in REQUIRED:
        if not values.get(column, "").strip():
            errors.append(_("%(column)s is required.") % {"column": name(column)})
    raw_when = values.get("occurred_at", "").strip()
    if raw_when:
        try:
            when = datetime.datetime.fromisoformat(raw_when.replace("T", " "))
            clean["occurred_at"] = when if when.tzinfo else when.replace(tzinfo=zone)
            if clean["occurred_at"] > now:
                errors.append(_("%(column)s is in the future.") % {"column": name("occurred_at")})
        except ValueError:
            errors.append(_("%(column)s is not a date and time like 2026-11-02 23:40.")
                          % {"column": name("occurred_at")})
    raw_kind = values.get("kind", "").strip()
    kind = _choice(Occurrence.Kind, raw_kind) if raw_kind else ""
    if kind is None:
        errors.append(_("%(column)s: %(value)s is not one of %(choices)s.") % {
            "column": name("kind"), "value": raw_kind, "choices": _labels(Occurrence.Kind)})
    clean["kind"] = kind or raw_kind
    for column, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        raw = values.get(column, "").strip()
        clean[column] = None
        if raw:
            try:
                clean[column] = Decimal(raw)
                if not low <= clean[column] <= high:
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(_("%(column)s must be a number from %(low)s to %(high)s.")
                              % {"column": name(column), "low": low, "high": high})
    clean["place"] = values.get("place", "").strip()[:200]
    if not clean["place"] and (clean["latitude"] is None or clean["longitude"] is None):
        errors.append(_("Give the position (latitude and longitude) or a place."))
    at_port = values.get("at_port", "").strip().lower()
    if at_port not in YES | NO:
        errors.append(_("%(column)s must be yes or no.") % {"column": name("at_port")})
    clean["at_port"] = at_port in YES
    for column in ("persons_apprehended", "arrests"):
        raw = values.get(column, "").strip() or "0"
        number = int(raw) if raw.isascii() and raw.isdigit() else None
        if number is None or number > limits.MAX_COUNT:
            errors.append(_("%(column)s must be a whole number from 0 to %(max)s.")
                          % {"column": name(column), "max": limits.MAX_COUNT})
        clean[column] = number if number is not None and number <= limits.MAX_COUNT else 0
    raw_category = values.get("seizure_category", "").strip()
    clean["seizure"] = None
    if raw_category:
        persons = (EnforcementResult.Category.PERSONS,)
        category = _choice(EnforcementResult.Category, raw_category, refused=persons)
        raw_unit = values.get("seizure_unit", "").strip()
        unit = _choice(EnforcementResult.Unit, raw_unit)
        try:
            quantity = Decimal(values.get("seizure_quantity", "").strip())
            if not quantity.is_finite():
                raise InvalidOperation
            quantity = quantity.quantize(Decimal(1).scaleb(-limits.QUANTITY_DECIMAL_PLACES))  # as the column keeps it
            if not 0 < quantity < MAX_QUANTITY:
                raise InvalidOperation
        except InvalidOperation:
            errors.append(_("%(column)s must be a number above 0 and below %(max)s.") % {
                "column": name("seizure_quantity"), "max": MAX_QUANTITY})
            quantity = None
        if category is None:
            errors.append(_("%(column)s: %(value)s is not one of %(choices)s.") % {
                "column": name("seizure_category"), "value": raw_category,
                "choices": _labels(EnforcementResult.Category, refused=persons)})
        if unit is None:
            errors.append(_("%(column)s: %(value)s is not one of %(choices)s.") % {
                "column": name("seizure_unit"), "value": raw_unit, "choices": _labels(EnforcementResult.Unit)})
        clean["seizure"] = {"category": category, "quantity": quantity, "unit": unit,
                            "description": values.get("seizure_description", "").strip()[:300]}
    clean["nearest_port"] = values.get("nearest_port", "").strip()[:100]
    clean["nationalities"] = values.get("nationalities", "").strip()[:200]
    clean["narrative"] = values.get("narrative", "").strip()
    return clean, errors


def decode(data):
    """The text of an uploaded file: UTF-8 (with or without its byte-order mark), else Windows-1252, as Excel saves
    "CSV" on a French or English Windows. None when it is neither (a byte Windows-1252 does not define)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def sniff_dialect(text):
    """The file's delimiter, "," or ";" (French Excel writes semicolons), from its header line; "," when unsure."""
    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=",;")
    except csv.Error:
        return csv.excel


def run(job):
    """Check every row (progress saved as it goes), then save all rows in one transaction, or none.

    A job that fails for any other reason than the database (which the task retries) says so, rather than show
    "Checking rows" for ever."""
    try:
        _run(job)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("Occurrence import %s failed", job.pk)
        _fail(job)


def _run(job):
    zone = ZoneInfo(job.team.time_zone)
    now = timezone.now()
    with override(_language(job)):
        rows = list(csv.reader(io.StringIO(job.content), dialect=sniff_dialect(job.content)))
        if not rows:
            return _refuse(job, [{"row": 1, "errors": [_("The file is empty.")]}])
        mapping, unknown, missing = _headers(rows[0])
        written = {column: rows[0][position].strip().lstrip("\ufeff") for column, position in mapping.items()}
        if unknown or missing:
            problems = [_("Unknown column: %(name)s") % {"name": name} for name in unknown]
            problems += [_("Missing column: %(name)s") % {"name": name} for name in missing]
            return _refuse(job, [{"row": 1, "errors": problems}])
        body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
        _unfinished(job).update(status=ImportJob.Status.CHECKING, total_rows=len(body))
        cleaned, errors = [], []
        for number, row in enumerate(body, start=2):
            values = {column: row[position] if position < len(row) else "" for column, position in mapping.items()}
            clean, problems = check_row(values, zone, now, written)
            if problems:
                errors.append({"row": number, "errors": problems})
            cleaned.append(clean)
            if (number - 1) % PROGRESS_EVERY == 0:
                _unfinished(job).update(checked_rows=number - 1)
        _unfinished(job).update(checked_rows=len(body))
        if errors:
            return _refuse(job, errors)
        _unfinished(job).update(status=ImportJob.Status.SAVING)
        _save(job, cleaned)


def _unfinished(job):
    """The job while it is still to be done. A task may run twice, even at once (delivery is at least once,
    portal/outbox.py): writes go through this, so that a finished job is never touched again."""
    return ImportJob.objects.filter(pk=job.pk, status__in=[ImportJob.Status.PENDING, ImportJob.Status.CHECKING,
                                                           ImportJob.Status.SAVING])


def _language(job):
    officer = getattr(job.uploaded_by, "officer", None)
    return officer.preferred_language if officer else "en"


def _fail(job):
    if not _unfinished(job).update(status=ImportJob.Status.FAILED, finished_at=timezone.now()):
        return  # another run finished it
    audit.record(action=AuditEvent.Action.TEAM_RECORD, door=AuditEvent.Door.TASK, user=job.uploaded_by,
                 object_type="occurrence_import", object_ref=str(job.pk), outcome=AuditEvent.Outcome.FAILURE,
                 failed=True)


def _refuse(job, errors):
    if not _unfinished(job).update(
        status=ImportJob.Status.REFUSED, errors=errors[:MAX_LISTED_ERRORS], finished_at=timezone.now()):
        return  # another run finished it
    audit.record(action=AuditEvent.Action.TEAM_RECORD, door=AuditEvent.Door.TASK, user=job.uploaded_by,
                 object_type="occurrence_import", object_ref=str(job.pk), outcome=AuditEvent.Outcome.FAILURE,
                 bad_rows=len(errors))


# Saving is one transaction (all rows or none), which no other connection sees until it commits: its progress is
# told through the cache instead, batch by batch, for the import page to show. A cache that cannot be reached only
# loses the progress bar's movement (the page shows the saving half-way), never the import.
SAVE_BATCH = 1000
SAVING_KEY = IMPORT_SAVING_KEY


def saving_progress(job):
    """Rows saved so far by a job in its saving phase (0 when unknown)."""
    return job.saving_progress()


def _saved(job, rows):
    try:
        cache.set(SAVING_KEY.format(pk=job.pk), rows, timeout=3600)
    except (RedisError, OSError):
        logger.warning("Import %s: saving progress not told, the cache cannot be reached", job.pk, exc_info=True)


@transaction.atomic
def _save(job, cleaned):
    if _unfinished(job).select_for_update().first() is None:
        return  # another run of the task imported the rows (or refused them) meanwhile
    by = job.uploaded_by
    occurrences = []
    for start in range(0, len(cleaned), SAVE_BATCH):
        occurrences += Occurrence.objects.bulk_create([
            Occurrence(team=job.team, occurred_at=c["occurred_at"], kind=c["kind"], latitude=c["latitude"],
                       longitude=c["longitude"], place=c["place"], nearest_port=c["nearest_port"],
                       at_port=c["at_port"], persons_apprehended=c["persons_apprehended"],
                       nationalities=c["nationalities"], narrative=c["narrative"], recorded_by=by)
            for c in cleaned[start:start + SAVE_BATCH]])
        _saved(job, len(occurrences))
    results, owners = [], []
    for occurrence, c in zip(occurrences, cleaned, strict=True):
        if c["arrests"]:
            results.append(EnforcementResult(kind="arrest", category="persons", quantity=c["arrests"], unit="count",
                                             occurred_at=c["occurred_at"], recorded_by=by))
            owners.append(occurrence)
        if c["seizure"]:
            results.append(EnforcementResult(kind="seizure", occurred_at=c["occurred_at"], recorded_by=by,
                                             **c["seizure"]))
            owners.append(occurrence)
    results = EnforcementResult.objects.bulk_create(results, batch_size=1000)
    through = Occurrence.results.through
    through.objects.bulk_create([through(occurrence_id=owner.pk, enforcementresult_id=result.pk)
                                 for owner, result in zip(owners, results, strict=True)], batch_size=2000)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, imported_rows=len(occurrences),
                                               finished_at=timezone.now(), content="")
    audit.record(action=AuditEvent.Action.TEAM_RECORD, door=AuditEvent.Door.TASK, user=by,
                 object_type="occurrence_import", object_ref=str(job.pk), rows=len(occurrences), team=job.team.name)
