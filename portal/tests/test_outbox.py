"""The outbox (portal/outbox.py): a task is written with the change it follows, published after commit, and
kept for the relay while the broker cannot be reached. Here the broker is a stand-in; tests/test_resilience.py
stops a real Redis."""

import threading
from contextlib import nullcontext
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from partnerships import services
from partnerships.models import AccessLevel, AuditEvent, Notification, Purpose
from partnerships.tasks import notify_request_task, notify_sharing_decision_task
from portal import outbox
from portal.celery import app
from portal.models import OutboxMessage

pytestmark = pytest.mark.django_db
NOTIFY = notify_sharing_decision_task.name


class Broker:
    """Records what would be published; refuses everything while `down`, or the messages `refuse` names."""

    def __init__(self):
        self.down, self.refuse, self.published = False, set(), []

    def publish(self, message, connection):
        if self.down:
            raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")
        if message.task in self.refuse:
            raise ValueError("cannot encode")
        self.published.append((message.task, message.args))


@pytest.fixture
def broker(monkeypatch):
    """Tasks go through the outbox, as with REDIS_URL set, to a stand-in broker."""
    stand_in = Broker()
    monkeypatch.setattr(outbox, "_publish", stand_in.publish)
    monkeypatch.setattr(outbox, "_broker_connection", nullcontext)
    monkeypatch.setattr(outbox, "_paused_until", 0.0)
    app.conf.task_always_eager = False  # conftest's _eager_celery puts it back
    return stand_in


def decide(cast, agency=None):
    return services.case_share(case=cast.case, agency=agency or cast.charlie.officer.agency, level=AccessLevel.VIEW,
                               purpose=Purpose.IBET_MOU, reason="Joint operation", by=cast.alice, notify=False)


def test_without_a_broker_the_task_runs_after_commit_and_nothing_is_written(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(cast)
        assert outbox.enqueue(notify_sharing_decision_task, decision.pk) is None
        assert not Notification.objects.filter(decision=decision).exists()  # not before the commit
    assert Notification.objects.filter(recipient=cast.charlie, decision=decision).count() == 1
    assert not OutboxMessage.objects.exists()


def test_the_task_is_written_with_the_change_and_published_after_commit(cast, broker,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        decision = services.case_share(case=cast.case, agency=cast.charlie.officer.agency, level=AccessLevel.VIEW,
                                       purpose=Purpose.IBET_MOU, reason="Joint operation", by=cast.alice)
    message = OutboxMessage.objects.get()
    assert (message.task, message.args, message.sent_at) == (NOTIFY, [decision.pk], None)
    assert broker.published == []
    for callback in callbacks:
        callback()
    assert broker.published == [(NOTIFY, [decision.pk])]
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1


def test_a_change_rolled_back_leaves_no_task(cast, broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(notify_sharing_decision_task, decide(cast).pk)
        raise RuntimeError("the service failed after enqueuing")
    assert not OutboxMessage.objects.exists() and broker.published == []


def test_with_the_broker_down_the_share_is_made_and_the_relay_sends_its_task_later(
        cast, broker, client, django_capture_on_commit_callbacks):
    broker.down = True
    client.force_login(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partnerships:case_sharing", args=[cast.case.reference]), {
            "agency": "OPP", "level": "view", "purpose": "ibet_mou", "reason": "Joint operation on the river"})
    assert response.status_code == 302
    first = OutboxMessage.objects.get()
    assert first.sent_at is None and first.attempts == 1 and "Connection refused" in first.last_error
    # For a while after a failure, requests leave their tasks to the relay without trying the broker again.
    with django_capture_on_commit_callbacks(execute=True):
        services.case_unshare(case=cast.case, agency=cast.bob.officer.agency, purpose=Purpose.OTHER,
                              reason="Operation over", by=cast.alice)
    second = OutboxMessage.objects.latest("id")
    assert second.sent_at is None and second.attempts == 0

    assert outbox.relay_outbox() == 0  # still down: nothing sent, nothing lost
    broker.down = False
    assert outbox.relay_outbox() == 2
    assert broker.published == [(NOTIFY, first.args), (NOTIFY, second.args)]  # oldest first
    assert outbox.relay_outbox() == 0
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_a_relay_pass_stops_at_a_broker_failure_and_keeps_the_order(broker):
    messages = [OutboxMessage.objects.create(task=NOTIFY, args=[number]) for number in range(3)]
    calls = []

    def fail_second(message, connection):
        calls.append(message.pk)
        if len(calls) == 2:
            raise OperationalError("Connection reset by peer")
        broker.published.append(message.args)

    outbox._publish = fail_second  # restored by monkeypatch with the fixture
    assert outbox.relay_outbox() == 1
    assert list(OutboxMessage.objects.filter(sent_at__isnull=True).values_list("pk", flat=True)) == [
        messages[1].pk, messages[2].pk]
    assert outbox.relay_outbox() == 2
    assert broker.published == [[0], [1], [2]]


def test_a_message_that_cannot_be_published_does_not_hold_up_the_others(broker):
    OutboxMessage.objects.create(task="gone.tasks.removed_task", args=[1])
    OutboxMessage.objects.create(task=NOTIFY, args=[2])
    broker.refuse = {"gone.tasks.removed_task"}
    assert outbox.relay_outbox() == 1
    stuck = OutboxMessage.objects.get(sent_at__isnull=True)
    assert stuck.task == "gone.tasks.removed_task" and "cannot encode" in stuck.last_error


@pytest.mark.django_db(transaction=True)
def test_two_relays_never_publish_the_same_message(broker):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's")
    for number in range(5):
        OutboxMessage.objects.create(task=notify_request_task.name, args=[number])
    holding, release = threading.Event(), threading.Event()

    def slow_publish(message, connection):
        holding.set()
        release.wait(10)
        broker.published.append(message.args)

    outbox._publish = slow_publish
    first_relay = {}

    def relay():
        try:
            first_relay["published"] = outbox.relay_outbox()
        finally:
            connection.close()

    thread = threading.Thread(target=relay)
    thread.start()
    assert holding.wait(10)
    # The first relay holds every pending row: a second relay, and a request publishing its own, skip them.
    assert outbox.relay_outbox() == 0
    assert outbox.publish_now(OutboxMessage.objects.first().pk) is False
    release.set()
    thread.join(10)
    assert first_relay["published"] == 5
    assert sorted(broker.published) == [[0], [1], [2], [3], [4]]


def test_the_relay_command_reports_sends_and_prunes(broker, capsys):
    old = OutboxMessage.objects.create(task=NOTIFY, args=[1], sent_at=timezone.now() - timedelta(days=8))
    OutboxMessage.objects.create(task=NOTIFY, args=[2])
    call_command("relay_outbox", "--status")
    assert capsys.readouterr().out.startswith("1 pending, the oldest since ")
    call_command("relay_outbox")
    assert capsys.readouterr().out == "1 published\n"
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()  # published more than 7 days ago
    call_command("relay_outbox", "--status")
    assert capsys.readouterr().out == "0 pending\n"


def test_a_decision_notified_twice_notifies_emails_and_audits_once(cast):
    decision = decide(cast)
    notify_sharing_decision_task.apply(args=[decision.pk])
    notify_sharing_decision_task.apply(args=[decision.pk])  # delivered again
    assert Notification.objects.filter(decision=decision).count() == 1
    assert [message.to for message in mail.outbox] == [["charlie@example.org"]]
    assert AuditEvent.objects.filter(action="case.notify", detail__decision=decision.pk).count() == 1
