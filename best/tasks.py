from celery import shared_task

from best import services


@shared_task
def mlat_stalled_task():
    """Celery beat, daily: remind the owners of MLAT requests without news for 90 days."""
    return services.mlat_stalled_daily()
