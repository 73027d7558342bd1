"""Transactional outbox: Celery tasks that outlive a Redis outage.

    from portal import outbox

    @transaction.atomic
    def case_share(...):
        ...
        outbox.enqueue("partnerships.tasks.notify_sharing_decision_task", decision.pk)

`enqueue` writes an OutboxMessage in the caller's transaction, so the task exists exactly when the change
it follows was committed. After the commit it publishes the task at once, with short timeouts and no
retries, so that a request never waits long on a Redis that is down. If that fails the row stays pending
and the relay (`manage.py relay_outbox --loop`, the `relay` service) publishes it later, oldest first.
The relay runs outside Celery on purpose: Celery beat needs the very Redis that is missing.

Delivery is at least once: a publish that reached Redis but whose row could not be marked sent (the
database failed in between) is published again. Every task enqueued here must therefore be idempotent:
its effect happens once however many times it runs (see "Failures and recovery" in docs/operations.md).

Without a broker (no REDIS_URL: Celery runs tasks eagerly, as in the tests) `enqueue` is
`task.delay_on_commit(*args)`: nothing is written and the task runs in-process after the commit.
"""

import logging
import os
import time
from contextlib import contextmanager, suppress
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from portal.celery import app
from portal.models import OutboxMessage

logger = logging.getLogger(__name__)

# What a broker that cannot be reached raises: the relay stops its pass and tries again later.
BROKER_ERRORS = (KombuError, RedisError, OSError)
# After a failed publish, a web process leaves new messages to the relay for this long instead of trying
# (and waiting) again on every request while Redis is down.
PAUSE_AFTER_FAILURE_SECONDS = 15
# A publish tries once, with short timeouts, so that a Redis that is down costs a request little (measured in
# docs/operations.md); the relay tries again later.
PUBLISH_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 1, "socket_timeout": 2}
POOL_LIMIT = 10
BATCH = 100
KEEP_SENT = timedelta(days=7)

_paused_until = 0.0
_pools = {}  # broker URL -> kombu connection pool of this process


def enqueue(task, *args):
    """Run `task(*args)` after the current transaction commits; never lost if Redis is down. Args: JSON values.

    `task` is the task's registered name ("partnerships.tasks.notify_request_task"), as a service gives it: a
    service publishes a task by name and the task module calls the service, so that services never import their
    tasks and the imports go one way (docs/architecture.md). A task object is accepted too."""
    task = registered_task(task if isinstance(task, str) else task.name)
    if task.app.conf.task_always_eager:
        task.delay_on_commit(*args)
        return None
    message = OutboxMessage.objects.create(task=task.name, args=list(args))
    transaction.on_commit(lambda: publish_now(message.pk), robust=True)
    return message


def registered_task(name):
    """The task registered under `name`, the apps' task modules loaded first if need be (Celery's autodiscovery,
    as a worker does at start). A name that is no task is a programming error: it fails here, not in a worker."""
    if name not in app.tasks:
        app.loader.import_default_modules()
    try:
        return app.tasks[name]
    except KeyError:
        raise LookupError(f"No Celery task is registered as {name!r}.") from None


def publish_now(message_id):
    """Publish one committed message right away, unless the relay holds it or Redis failed a moment ago.
    True when it was published; False leaves it to the relay."""
    global _paused_until
    if time.monotonic() < _paused_until:
        return False
    try:
        with transaction.atomic():
            message = (OutboxMessage.objects.select_for_update(skip_locked=True)
                       .filter(pk=message_id, sent_at__isnull=True).first())
            if message is None:  # the relay is sending it, or already has
                return False
            with _broker_connection() as connection:
                _publish(message, connection)
            _mark_sent([message.pk])
        return True
    except BROKER_ERRORS as error:
        _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE_SECONDS
        logger.warning("Task %s left to the outbox relay: the broker cannot be reached (%s)", message_id, error)
        _mark_failed(message_id, error)
        return False


def relay_outbox(*, batch=BATCH):
    """Publish the pending messages, oldest first; return how many were published.

    Rows are taken with SELECT ... FOR UPDATE SKIP LOCKED, so two relays (or a relay and a request
    publishing its own message) never publish the same row twice. A pass stops at the first broker
    failure: the rest waits, in order, for the next pass.
    """
    published = 0
    while True:
        with transaction.atomic():
            messages = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                            .filter(sent_at__isnull=True).order_by("created_at", "id")[:batch])
            done, broker_down = [], False
            try:
                with _broker_connection() as connection:
                    for message in messages:
                        try:
                            _publish(message, connection)
                        except BROKER_ERRORS:
                            raise
                        except Exception as error:  # noqa: BLE001 - one bad message must not hold up the others
                            logger.exception("Outbox message %s could not be published", message.pk)
                            _mark_failed(message.pk, error)
                            continue
                        done.append(message.pk)
            except BROKER_ERRORS as error:
                logger.warning("Outbox relay paused: the broker cannot be reached (%s)", error)
                if messages[len(done):]:
                    _mark_failed(messages[len(done)].pk, error)
                broker_down = True
            _mark_sent(done)
        published += len(done)
        if broker_down or not done or len(messages) < batch:
            return published


def outbox_prune(*, keep=KEEP_SENT):
    """Forget messages published more than `keep` ago; pending ones are never deleted."""
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - keep).delete()
    return deleted


def outbox_status():
    """(pending count, oldest pending created_at or None): what the relay still has to publish."""
    pending = OutboxMessage.objects.filter(sent_at__isnull=True)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    return pending.count(), oldest


def _publish(message, connection):
    task = app.tasks.get(message.task)
    if task is not None:
        task.apply_async(args=message.args, connection=connection, retry=False)
    else:  # not imported in this process: Celery publishes by name all the same
        app.send_task(message.task, args=message.args, connection=connection, retry=False)


@contextmanager
def _broker_connection():
    """A connection from this process's own pool, made to fail fast: no reconnection attempts and short
    socket timeouts (Celery's own pool retries a refused connection for about 6 s). A connection that
    failed is thrown away with its pool: the next publish connects afresh."""
    url = app.conf.broker_write_url or app.conf.broker_url
    pool = _pools.get(url)
    if pool is None:
        options = {**(app.conf.broker_transport_options or {}), **PUBLISH_TRANSPORT_OPTIONS}
        pool = _pools[url] = app.connection_for_write(transport_options=options).Pool(limit=POOL_LIMIT)
    try:
        with pool.acquire(block=True, timeout=PUBLISH_TRANSPORT_OPTIONS["socket_timeout"]) as connection:
            yield connection
    except BROKER_ERRORS:
        _forget_pools()
        raise


def _forget_pools():
    while _pools:
        _, pool = _pools.popitem()
        with suppress(Exception):  # closing what is already broken
            pool.force_close_all()


os.register_at_fork(after_in_child=_pools.clear)  # a forked process opens its own connections


def _mark_sent(ids):
    if ids:
        OutboxMessage.objects.filter(pk__in=ids).update(sent_at=timezone.now(), attempts=F("attempts") + 1,
                                                        last_error="")


def _mark_failed(message_id, error):
    OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(
        attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:1000])
