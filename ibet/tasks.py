from celery import shared_task

from ibet import services


@shared_task
def meetings_overdue_task():
    """Celery beat, daily: remind the representatives of regions whose JMT meeting is overdue."""
    return services.meetings_overdue_daily()


@shared_task
def reports_review_task():
    """Celery beat, daily: the 28 CFR 23 review of intelligence reports."""
    return services.reports_review_daily()
