from celery import shared_task

from portal import accounts


@shared_task
def officers_inactive_task():
    """Nightly: deactivate officers unused for 90 days and forget old sign-in failures."""
    accounts.sign_in_failures_prune()
    return accounts.officers_deactivate_inactive()
