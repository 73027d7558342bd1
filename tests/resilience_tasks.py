"""A test-only task for tests/test_resilience.py: a worker started with `-I tests.resilience_tasks` runs it.

It does the real work of a notification task, then stalls on its first run only, so that the test can
kill the worker's child while the task is done but not yet acknowledged: the redelivered task must then
have no second effect.
"""

import os
import time
from pathlib import Path

from celery import shared_task

from partnerships.tasks import notify_sharing_decision_task

STALL_SECONDS = 60


@shared_task(acks_late=True)
def notify_then_stall_task(decision_id, journal):
    """Notify the decision; stall on the first run. Each run writes `start <pid>` and `done <pid>` to `journal`."""
    journal = Path(journal)
    with journal.open("a") as lines:
        lines.write(f"start {os.getpid()}\n")
    first_run = journal.read_text().count("start ") == 1
    notify_sharing_decision_task(decision_id)  # the task's own body, run here
    if first_run:
        time.sleep(STALL_SECONDS)  # the test kills this process meanwhile
    with journal.open("a") as lines:
        lines.write(f"done {os.getpid()}\n")
