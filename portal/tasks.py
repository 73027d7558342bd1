from celery import shared_task

from portal import accounts


@shared_task
def officers_inactive_task():
    """Nightly: deactivate officers unused for 90 days and forget old sign-in failures."""
    accounts.sign_in_failures_prune()
    accounts.sign_in_addresses_prune()
    return accounts.officers_deactivate_inactive()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def security_notice_task(user_id, kind, detail):
    """Email an officer of a lockout, a second-factor reset or a sign-in from a new address or device."""
    return accounts.security_notice_send(user_id=user_id, kind=kind, detail=detail)
