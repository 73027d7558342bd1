from celery import shared_task
from django.db import InterfaceError, OperationalError

from ibet import services


@shared_task
def meetings_overdue_task():
    """Celery beat, daily: remind the representatives of regions whose JMT meeting is overdue."""
    return services.meetings_overdue_daily()


@shared_task
def reports_review_task():
    """Celery beat, daily: the 28 CFR 23 review of intelligence reports."""
    return services.reports_review_daily()


# The database failed for a moment (a restart): the job is still unfinished, and runs again (imports.run is idempotent).
@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def import_occurrences_task(job_id):
    """Check and import a CSV of occurrences; runs once per job (a finished job is left alone)."""
    from ibet import imports
    from ibet.models import ImportJob

    job = ImportJob.objects.select_related("team", "uploaded_by__officer").filter(pk=job_id).first()
    if job is not None and job.status in (ImportJob.Status.PENDING, ImportJob.Status.CHECKING):
        imports.run(job)
