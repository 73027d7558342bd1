from celery import shared_task

from deconfliction import services
from deconfliction.models import Hit


@shared_task
def notify_hit_task(hit_id):
    """Tell both sides of a hit, once each."""
    hit = Hit.objects.filter(pk=hit_id).first()
    if hit is not None:
        services.hit_notify(hit=hit)
