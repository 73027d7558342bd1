from celery import shared_task

from partnerships.models import SharingDecision
from partnerships.services import sharing_decision_notify


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_sharing_decision_task(self, decision_id):
    decision = SharingDecision.objects.select_related("case", "agency").filter(pk=decision_id).first()
    if decision is not None:
        sharing_decision_notify(decision=decision)
