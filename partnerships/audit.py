"""The audit trail: append-only, sealed in a hash chain just after it is written, checkpointed outside the database.

- **Writing never waits.** A request inserts its record and goes on; no lock is taken and no hash computed, so
  no request waits on another's record (the chain once took one global lock per record: 85 records a second
  at most, and an export held it for seconds).
- **Sealing.** The sealer (`seal()`: `manage.py seal_audit --loop`, and the checkpoint beat task) chains the
  committed records in order, about every second: each seal holds a record's position, the SHA-256 of its
  content (the cases it returned included) and of the seal before it. One sealer works at a time.
- **Checkpoints.** Every minute a checkpoint (position, head hash, count, time), signed with a key that is not in
  the database, goes to a sink outside it (append-only files, or syslog).
- **Verifying.** `verify()` walks the seals, recomputes every hash, checks that every checkpoint's position still
  holds its hash, and reports records left unsealed too long: a truncation, a deleted tail, a removed or changed
  record, or a changed list of returned cases is reported by position.
- **Privileges.** The portal's runtime database role may only SELECT and INSERT the audit tables
  (`portal/db_roles.py`); triggers refuse UPDATE and DELETE even to the owner until it disables them, which the
  checkpoints then reveal. docs/security.md states the window that remains.
"""

import contextvars
import hashlib
import hmac
import ipaddress
import json
import logging
import logging.handlers
import os
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from partnerships.models import AuditEvent, AuditSeal

GENESIS = "0" * 64
SECRET_WORDS = ("password", "token", "secret", "key", "credential")
# Any constant: the advisory lock that lets one sealer at a time extend the chain (PostgreSQL). Requests never
# take it.
SEAL_LOCK = 72011998
# The sealer looks this many record ids below the newest sealed one for records that committed late.
STRAGGLER_WINDOW = 5000
CHECKPOINT_FILE = "audit-checkpoints.jsonl"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    user_agent: str = ""
    request_id: str = ""
    client_request_id: str = ""


_request = contextvars.ContextVar("audit_request", default=RequestContext())  # noqa: B039 (frozen)


class AuditContextMiddleware:
    """Remember where the request came from for every record written while serving it.

    The request id is the portal's own; one the client sent is kept beside it, cleaned and bounded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = _request.set(RequestContext(
            ip_address=_normal_ip(request.META.get("REMOTE_ADDR")),
            user_agent=_printable(request.headers.get("User-Agent") or "")[:300],
            request_id=request_id,
            client_request_id=_printable(request.headers.get("X-Request-ID") or "")[:64],
        ))
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        response["X-Request-ID"] = request_id
        return response


def _printable(text):
    return "".join(character for character in str(text) if character.isprintable())


def _normal_ip(value):
    """The form PostgreSQL's inet gives back, so that the hash survives a round trip."""
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return None


def _text(value):
    """Text a database and JSON can hold: no NUL, no lone surrogate."""
    return value.replace("\x00", "").encode("utf-8", "backslashreplace").decode("utf-8")


def _clean(detail):
    """Drop anything that looks like a secret, whatever the caller passed; keep only storable text."""
    if isinstance(detail, dict):
        return {
            _text(str(key)): _clean(value) for key, value in detail.items()
            if not any(word in str(key).lower() for word in SECRET_WORDS)
        }
    if isinstance(detail, (list, tuple)):
        return [_clean(value) for value in detail]
    if isinstance(detail, str):
        return _text(detail)
    if isinstance(detail, (int, bool)) or detail is None:
        return detail
    return _text(str(detail))


def content_hash(event, previous_hash):
    """The hash a seal holds: the record's whole content, the cases it returned, and the seal before it."""
    payload = {
        "id": event.pk, "at": event.at.isoformat(timespec="microseconds"),
        "user": event.user_id, "username": event.username, "agency": event.agency_id,
        "action": event.action, "door": event.door, "outcome": event.outcome,
        "object_type": event.object_type, "object_ref": event.object_ref, "case": event.case_id,
        "returned": sorted(event.returned), "ip_address": event.ip_address, "user_agent": event.user_agent,
        "request_id": event.request_id, "detail": event.detail,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{previous_hash}{canonical}".encode()).hexdigest()


def record(*, action, door, user=None, case=None, agency=None, object_type="", object_ref="",
           outcome=AuditEvent.Outcome.SUCCESS, returned=(), **detail):
    """Append one record. Inside a caller's transaction it stands or falls with it; it takes no lock.

    `returned` is the cases (or case ids) a list, search or export showed: held in the record as a set of ids.
    """
    from partnerships.access import agency_of  # access imports models only; avoid a cycle at import

    if settings.AUDIT_SKIP_WRITES_FOR_BENCH:  # bench/audit_trail.py only; a system check refuses it elsewhere
        return None
    context = _request.get()
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if case is not None:
        object_type, object_ref = object_type or "case", object_ref or case.reference
    if context.client_request_id:
        detail["client_request_id"] = context.client_request_id
    event = AuditEvent(
        action=action, door=door, outcome=outcome,
        user=user if signed_in else None,
        username=_text(user.get_username() if signed_in else str(detail.pop("username", "")))[:150],
        agency=agency or (agency_of(user) if signed_in else None),
        case=case, object_type=object_type, object_ref=_text(str(object_ref))[:100],
        returned=[getattr(item, "pk", item) for item in returned],
        ip_address=context.ip_address, user_agent=context.user_agent, request_id=context.request_id,
        detail=_clean(detail),
    )
    _insert(event)
    if settings.AUDIT_SEAL_ON_COMMIT:
        transaction.on_commit(seal)
    return event


# Reads: a record of one of these, written in a transaction of its own, may commit without waiting for its WAL
# flush when AUDIT_READS_ASYNC_COMMIT is on (off by default; docs/security.md states what a crash can lose). Never a
# change's record, nor a denial, nor a record inside a caller's transaction (the caller's writes would go too).
READ_ACTIONS = frozenset({
    AuditEvent.Action.CASE_VIEW, AuditEvent.Action.CASE_LIST, AuditEvent.Action.CASE_EXPORT,
    AuditEvent.Action.CASE_PRINT, AuditEvent.Action.ACCESS_LOG_READ, AuditEvent.Action.TEAM_VIEW,
    AuditEvent.Action.TEAM_LIST, AuditEvent.Action.DOCUMENT_DOWNLOAD,
})
_FIELDS = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
_COLUMNS = ", ".join(field.column for field in _FIELDS)
_VALUES = ", ".join(["%s"] * len(_FIELDS))
_TABLE = AuditEvent._meta.db_table
# One statement, no ORM: the model's insert cost 0.1-0.3 ms of Python per record (docs/benchmarks.md, run H). The
# values are the fields' own database values, as the ORM sends them.
INSERT = f"INSERT INTO {_TABLE} ({_COLUMNS}) VALUES ({_VALUES}) RETURNING id"  # noqa: S608  # nosec B608 - the model's own names
# The same, committing without waiting for the flush: `set_config(..., true)` is SET LOCAL inside the statement's
# own transaction (autocommit), so it needs no extra round trip and ends with it.
INSERT_ASYNC_COMMIT = (f"INSERT INTO {_TABLE} ({_COLUMNS}) SELECT {_VALUES} "  # noqa: S608  # nosec B608 - the model's own names
                       "FROM set_config('synchronous_commit', 'off', true) RETURNING id")


def _insert(event):
    """Insert the record in one statement; on PostgreSQL without the ORM's model save (same columns, same values)."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        event.save(force_insert=True)
        return
    asynchronous = (settings.AUDIT_READS_ASYNC_COMMIT and event.action in READ_ACTIONS
                    and event.outcome == AuditEvent.Outcome.SUCCESS and connection.get_autocommit())
    values = [field.get_db_prep_save(field.pre_save(event, True), connection) for field in _FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(INSERT_ASYNC_COMMIT if asynchronous else INSERT, values)
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias


# --- sealing -----------------------------------------------------------------------------------------

def _unsealed(using=None):
    return AuditEvent.objects.using(using).filter(~Exists(AuditSeal.objects.using(using).filter(event=OuterRef("pk"))))


def seal(*, full=False, stragglers=True, limit=20000):
    """Chain the committed records that have no seal yet, in id order: the number sealed.

    Another sealer at work means nothing to do (it takes what this one would). `full` looks at the whole trail
    for late records instead of the ids just below the newest sealed one (the checkpoint task does, each minute);
    without `stragglers`, only at the ids above it (the sealer's rounds but every tenth: the window's anti-join cost
    14 ms a round at 500,000 records, for records that commit out of order, rarely).
    """
    connection = connections["default"]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEAL_LOCK])
                if not cursor.fetchone()[0]:
                    return 0
        head = AuditSeal.objects.order_by("-position").values_list("position", "hash").first()
        position, previous = head if head else (0, GENESIS)
        pending = _unsealed()
        if not full:
            newest = AuditSeal.objects.aggregate(newest=Max("event_id"))["newest"] or 0
            pending = pending.filter(pk__gt=newest - STRAGGLER_WINDOW if stragglers else newest)
        seals = []
        for event in pending.order_by("pk")[:limit]:
            position += 1
            digest = content_hash(event, previous)
            seals.append(AuditSeal(position=position, event=event, previous_hash=previous, hash=digest))
            previous = digest
        AuditSeal.objects.bulk_create(seals)
    if seals and connection.vendor == "postgresql":
        _merge_returned_index(connection)
    return len(seals)


# The function (migration partnerships/0015, owned by the owner role) that merges the GIN index's pending list.
MERGE_RETURNED_INDEX = "partnerships_audit_merge_returned_index"


def _merge_returned_index(connection):
    """Move the cases that new records returned from the GIN index's pending list into the index itself.

    A request adds its record's ids to the pending list: a few pages at its end, about 2 kB of WAL, where writing
    them into the index at once touched a page per id (130 kB of WAL per page record after a checkpoint, twice the
    time; docs/benchmarks.md). The sealer merges the list just after, in sorted bulk, so that it stays a second
    long: "who saw my case" reads the list whole, and the insert that fills it would merge it inside a request.
    Outside the seal's transaction and lock; a merge already running elsewhere makes this one return at once.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {MERGE_RETURNED_INDEX}()")


def seal_all():
    """Seal until nothing is left (commands and tests; the sealer process calls `seal` every second)."""
    total = 0
    while sealed := seal(full=True):
        total += sealed
    return total


# --- checkpoints outside the database ----------------------------------------------------------------

def _signature(entry):
    canonical = json.dumps({k: v for k, v in entry.items() if k != "signature"}, sort_keys=True,
                           separators=(",", ":"))
    return hmac.new(settings.AUDIT_CHECKPOINT_KEY.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def _database_name(using=None):
    return str(connections[using or "default"].settings_dict["NAME"])


def checkpoint():
    """Seal what is committed, then write the chain's head to every configured sink: the entry written."""
    seal_all()
    head = AuditSeal.objects.order_by("-position").values_list("position", "hash").first()
    position, head_hash = head if head else (0, GENESIS)
    entry = {"database": _database_name(), "position": position, "hash": head_hash, "count": position,
             "at": timezone.now().isoformat(timespec="seconds")}
    entry["signature"] = _signature(entry)
    line = json.dumps(entry, sort_keys=True)
    sinks = settings.AUDIT_CHECKPOINT_SINKS
    if "file" in sinks:
        directory = Path(settings.AUDIT_CHECKPOINT_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        # O_APPEND: a write can only add to the end (make the file append-only at the OS too: docs/operations.md).
        descriptor = os.open(directory / CHECKPOINT_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(descriptor, (line + "\n").encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    if "syslog" in sinks:
        handler = logging.handlers.SysLogHandler(address=settings.AUDIT_CHECKPOINT_SYSLOG_ADDRESS)
        try:
            handler.emit(logging.LogRecord("portal.audit", logging.INFO, __file__, 0,
                                           "portal-audit-checkpoint %s", (line,), None))
        finally:
            handler.close()
    return entry


def read_checkpoints(paths=None, using=None):
    """(valid checkpoints of this database, problems): a line that does not parse or whose signature is wrong
    is a problem (written or edited by someone without the key)."""
    if paths is None:
        directory = Path(settings.AUDIT_CHECKPOINT_DIR)
        paths = sorted(directory.glob("*.jsonl")) if directory.is_dir() else []
    found, problems, database = [], [], _database_name(using)
    for path in paths:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            text = line[line.index("{"):] if "{" in line else line  # syslog lines carry a prefix
            try:
                entry = json.loads(text)
                valid = hmac.compare_digest(str(entry.get("signature", "")), _signature(entry))
            except (ValueError, TypeError, AttributeError):
                valid, entry = False, {}
            if not valid:
                problems.append(Problem(None, None, f"checkpoint {path}:{number} is not signed with the "
                                                    "checkpoint key: it was written or changed by someone else"))
            elif entry.get("database") == database:
                found.append(entry)
    return found, problems


# --- verifying ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    position: int | None
    event_id: int | None
    message: str

    def __str__(self):
        return self.message


def verify(using=None, *, checkpoints=True, checkpoint_paths=None, unsealed_after=None):
    """Walk the chain from the start: (number of seals verified, problems found, in order).

    Checks every seal's record and hash, that every signed checkpoint's position still holds its hash, and that
    no record stayed unsealed longer than `unsealed_after` (settings.AUDIT_SEAL_MAX_DELAY by default).
    `using` names another database alias: the restore drill verifies a restored copy (portal/backups.py), without
    the checkpoints (they name the live trail).
    """
    problems, verified, previous, expected, head = [], 0, GENESIS, 1, 0
    seals = AuditSeal.objects.using(using).order_by("position").values_list("position", "event_id", "previous_hash",
                                                                             "hash")
    for chunk in _chunks(seals.iterator(chunk_size=2000), 2000):
        events = AuditEvent.objects.using(using).in_bulk([event_id for _p, event_id, _ph, _h in chunk])
        for position, event_id, previous_hash, digest in chunk:
            if position != expected:
                problems.append(Problem(expected, None, f"positions {expected} to {position - 1} are missing: "
                                                        "their seals were removed"))
            event = events.get(event_id)
            if event is None:
                problems.append(Problem(position, event_id, f"record #{event_id} at position {position} was removed"))
            elif previous_hash != previous:
                problems.append(Problem(position, event_id, f"the chain is broken before position {position} "
                                                            f"(record #{event_id}): a seal before it was changed"))
            elif content_hash(event, previous) != digest:
                problems.append(Problem(position, event_id, f"record #{event_id} at position {position} was "
                                                            "changed after it was sealed"))
            else:
                verified += 1
            previous, expected, head = digest, position + 1, position
    if checkpoints and using is None:
        found, unreadable = read_checkpoints(checkpoint_paths)
        problems.extend(unreadable)
        problems.extend(_checkpoint_problems(found, head, using))
    cutoff = timezone.now() - timedelta(seconds=settings.AUDIT_SEAL_MAX_DELAY if unsealed_after is None
                                        else unsealed_after)
    late = _unsealed(using).filter(at__lt=cutoff).order_by("pk")
    count = late.count()
    if count:
        first = late.first()
        problems.append(Problem(None, first.pk, f"{count} records written before {cutoff:%Y-%m-%d %H:%M:%S} UTC are "
                                                f"not sealed (the first: #{first.pk}): is the sealer running?"))
    return verified, problems


def _checkpoint_problems(found, head, using):
    problems = []
    for entry in sorted(found, key=lambda item: item["position"]):
        position = entry["position"]
        if position == 0:
            continue
        held = AuditSeal.objects.using(using).filter(position=position).values_list("hash", flat=True).first()
        if held is None:
            problems.append(Problem(position, None, f"the checkpoint of {entry['at']} names position {position}, "
                                                    f"which no longer exists (the chain now ends at {head}): the "
                                                    "trail was truncated or its newest records deleted"))
        elif held != entry["hash"]:
            problems.append(Problem(position, None, f"the checkpoint of {entry['at']} names a different hash at "
                                                    f"position {position}: the trail up to it was rewritten"))
    return problems


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- events Django raises itself (connected in apps.py) ---------------------------------------------

def on_sign_in(sender, request, user, **kwargs):
    record(action=AuditEvent.Action.SIGN_IN, door=AuditEvent.Door.PAGE, user=user)


def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    # Never the password (Django masks it), and a name only when it is an account's: people type their
    # password into the username field, and that must not land in the trail. Other names are kept as a
    # keyed digest, so that repeated tries of one name can still be told apart.
    tried = str(credentials.get("username", ""))[:150]
    if get_user_model().objects.filter(username=tried).exists():
        record(action=AuditEvent.Action.SIGN_IN_FAILED, door=AuditEvent.Door.PAGE,
               outcome=AuditEvent.Outcome.FAILURE, username=tried)
    else:
        record(action=AuditEvent.Action.SIGN_IN_FAILED, door=AuditEvent.Door.PAGE,
               outcome=AuditEvent.Outcome.FAILURE, unknown_name_digest=name_digest(tried))


def name_digest(name):
    """A keyed digest of a name that is not an account's: comparable, not readable."""
    return hmac.new(settings.SECRET_KEY.encode(), name.encode(), hashlib.sha256).hexdigest()[:16]


def on_sign_out(sender, request, user, **kwargs):
    if user is not None:
        record(action=AuditEvent.Action.SIGN_OUT, door=AuditEvent.Door.PAGE, user=user)


def on_admin_log_entry(sender, instance, created, **kwargs):
    if created:
        record(action=AuditEvent.Action.ADMIN_ACTION, door=AuditEvent.Door.ADMIN, user=instance.user,
               object_type=instance.content_type.model if instance.content_type else "",
               object_ref=instance.object_repr, flag=instance.get_action_flag_display(),
               change=instance.get_change_message())
