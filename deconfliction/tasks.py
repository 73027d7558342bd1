from celery import shared_task

from deconfliction import services
from deconfliction.models import Hit


@shared_task
def notify_hits_task(hit_ids):
    """Tell both sides of the hits one check found, once each agency."""
    services.hits_notify(hit_ids=hit_ids)


@shared_task
def notify_hit_task(hit_id):
    """Tell both sides of a hit, once each (messages written before hits were grouped by check)."""
    hit = Hit.objects.filter(pk=hit_id).first()
    if hit is not None:
        services.hit_notify(hit=hit)


@shared_task
def check_notify_task(record_id):
    """Tell each agency whose work a check before entering hit, once (the check's audit record id)."""
    services.check_notify(record_id=record_id)


@shared_task
def check_limit_notify_task(officer_id, window_start):
    """Tell the agency administrators that an officer reached the hourly limit of checks, once per hour."""
    services.check_limit_notify(officer_id=officer_id, window_start=window_start)
