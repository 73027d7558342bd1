from celery import shared_task

from webhooks import services


@shared_task(acks_late=True)
def deliver_webhook_task(delivery_id):
    """Send one delivery if it is due (services.delivery_attempt); a failure is retried by the beat task."""
    services.delivery_attempt(delivery_id=delivery_id)


@shared_task
def webhooks_retry_due_task():
    """Celery beat, every minute: hand the deliveries due for another attempt to the workers."""
    return services.deliveries_retry_due()
